//! The Word writer: the same document model the Typst templates get, laid
//! out as an editable `.docx` (spec `docx.md`). Bytes in memory; the caller
//! writes them. Deterministic: fixed zip entry order and times, no date or
//! random id anywhere in the package.
//!
//! WordprocessingML is written directly (with the `zip` crate already used
//! to read workbooks): docx-rs 0.4 has no `w:lang` on runs and no
//! `w:tblHeader`, both required here, and numbers its paragraphs from
//! counters that outlive a document.

mod body;
mod metrics;
mod nd30;
mod xml;

use std::io::Write;

use zip::write::SimpleFileOptions;

use crate::document::model::Document;
use nd30::*;
use xml::{tw, Fmt};

/// Why a `.docx` could not be made.
#[derive(Debug)]
pub enum DocxError {
    /// The zip writer failed (in memory: only on exhausted resources).
    Zip(String),
}

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocxError::Zip(e) => write!(f, "lỗi tạo tệp Word (.docx): {e}"),
        }
    }
}

impl std::error::Error for DocxError {}

impl From<zip::result::ZipError> for DocxError {
    fn from(e: zip::result::ZipError) -> Self {
        DocxError::Zip(e.to_string())
    }
}

impl From<std::io::Error> for DocxError {
    fn from(e: std::io::Error) -> Self {
        DocxError::Zip(e.to_string())
    }
}

/// Renders a plan or report to the bytes of a `.docx`.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let title = {
        let mut t = doc.loai.clone();
        for p in &doc.trich_yeu {
            t.push(' ');
            t.extend(p.iter().map(|r| r.t.as_str()));
        }
        t
    };
    let parts: [(&str, String); 10] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core(&title)),
        ("docProps/app.xml", APP.to_string()),
        ("word/document.xml", body::document(doc)),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/fontTable.xml", FONT_TABLE.to_string()),
        ("word/header1.xml", header_page()),
        ("word/header2.xml", header_first()),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, text) in parts.iter() {
        zip.start_file(*name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    zip.start_file("word/_rels/document.xml.rels", options)?;
    zip.write_all(DOC_RELS.as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                    xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const DOC_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>\
<Relationship Id=\"rIdHeaderPage\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
<Relationship Id=\"rIdHeaderFirst\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>\
</Relationships>";

/// Core properties: the title and language; no dates (they would be the
/// clock's), so the same workbook gives the same bytes.
fn core(title: &str) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>",
    );
    xml::text(&mut s, title);
    s.push_str("</dc:title><dc:creator>vanban</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>");
    s
}

const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>vanban</Application></Properties>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"vi-VN\"/></w:settings>";

const FONT_TABLE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:font w:name=\"Times New Roman\"><w:panose1 w:val=\"02020603050405020304\"/><w:charset w:val=\"00\"/>\
<w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>";

/// The header of pages 2 on: the page number, centred, as a PAGE field.
fn header_page() -> String {
    let mut s = format!("{XML_DECL}<w:hdr {W_NS}>");
    xml::P { style: Some("Header"), ..xml::P::default() }.open(&mut s);
    let f = Fmt::default();
    let fld = |s: &mut String, inner: &str| {
        s.push_str("<w:r>");
        xml::rpr(s, f);
        s.push_str(inner);
        s.push_str("</w:r>");
    };
    fld(&mut s, "<w:fldChar w:fldCharType=\"begin\"/>");
    fld(&mut s, "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>");
    fld(&mut s, "<w:fldChar w:fldCharType=\"separate\"/>");
    fld(&mut s, "<w:t>2</w:t>");
    fld(&mut s, "<w:fldChar w:fldCharType=\"end\"/>");
    xml::close_p(&mut s);
    s.push_str("</w:hdr>");
    s
}

/// The first page's header: empty (no number on page 1).
fn header_first() -> String {
    let mut s = format!("{XML_DECL}<w:hdr {W_NS}>");
    xml::P { style: Some("Header"), ..xml::P::default() }.open(&mut s);
    xml::close_p(&mut s);
    s.push_str("</w:hdr>");
    s
}

/// Styles a Word user can change in one place: Normal is the body (14 pt,
/// justified, 1.27 cm first-line indent, 6 pt after, 1.2 lines), headings
/// by level, căn cứ, table text and the unindented "Compact" of the header
/// and signature. Times New Roman and vi-VN are the document defaults.
fn styles() -> String {
    let body = (SIZE_BODY * 2.0) as i64;
    let line = (240.0 * LINE_SPACING).round() as i64;
    let after = tw(PAR_GAP);
    let indent = tw(xml::cm(FIRST_INDENT_CM));
    let table = (SIZE_TABLE * 2.0) as i64;
    let page_no = (SIZE_PAGE_NUMBER * 2.0) as i64;
    let mut s = format!(
        "{XML_DECL}<w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>\
         <w:color w:val=\"000000\"/><w:sz w:val=\"{body}\"/><w:szCs w:val=\"{body}\"/>\
         <w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:spacing w:before=\"0\" w:after=\"{after}\" w:line=\"{line}\" w:lineRule=\"auto\"/>\
         <w:ind w:firstLine=\"{indent}\"/><w:jc w:val=\"both\"/></w:pPr>\
         <w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/><w:sz w:val=\"{body}\"/><w:szCs w:val=\"{body}\"/><w:lang w:val=\"vi-VN\"/></w:rPr></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:semiHidden/>\
         <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         <w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"CanCu\"><w:name w:val=\"Căn cứ\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
         <w:rPr><w:i/><w:iCs/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"Compact\"><w:name w:val=\"Không thụt lề\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"left\"/></w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableText\"><w:name w:val=\"Chữ trong bảng\"/><w:basedOn w:val=\"Compact\"/><w:qFormat/>\
         <w:rPr><w:sz w:val=\"{table}\"/><w:szCs w:val=\"{table}\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/><w:basedOn w:val=\"Compact\"/>\
         <w:pPr><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:sz w:val=\"{page_no}\"/><w:szCs w:val=\"{page_no}\"/></w:rPr></w:style>"
    );
    for level in 1..=4 {
        let italic = if level == 4 { "<w:i/><w:iCs/>" } else { "" };
        let _ = std::fmt::Write::write_fmt(
            &mut s,
            format_args!(
                "<w:style w:type=\"paragraph\" w:styleId=\"Heading{level}\"><w:name w:val=\"heading {level}\"/>\
                 <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
                 <w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val=\"{}\"/></w:pPr>\
                 <w:rPr><w:b/><w:bCs/>{italic}</w:rPr></w:style>",
                level - 1
            ),
        );
    }
    s.push_str("</w:styles>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::model::{plain_rich, Block, Header, Signature};

    fn doc(text: &str) -> Document {
        Document {
            loai: "KẾ HOẠCH".into(),
            header: Header {
                ky_hieu: "KH-X".into(),
                dia_danh: "An Giang".into(),
                nam: "2024".into(),
                ..Header::default()
            },
            trich_yeu: plain_rich(text),
            body: vec![Block::Para { number: None, text: plain_rich(text) }],
            ky: Signature { chuc_vu: "GIÁM ĐỐC".into(), nguoi_ky: "A".into(), quyen_han: vec![] },
            noi_nhan: vec!["Lưu: VT.".into()],
            ..Document::default()
        }
    }

    #[test]
    fn same_document_same_bytes() {
        let a = render(&doc("Một <b>&amp;</b> {{ x }}")).unwrap();
        let b = render(&doc("Một <b>&amp;</b> {{ x }}")).unwrap();
        assert_eq!(a, b);
        assert!(a.starts_with(b"PK"));
        // The text reaches document.xml escaped, braces and all.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a.clone())).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("Một &lt;b&gt;&amp;amp;&lt;/b&gt; {{ x }}"), "{xml}");
        let c = render(&doc("Hai")).unwrap();
        assert_ne!(a, c);
    }
}
