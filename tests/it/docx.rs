//! The Word copy (`--format docx`, spec/docx.md): the package's XML read
//! back (sections, styles, header repetition, the PAGE field, the header
//! table, literal text), and the same reading-back checks as vanban's PDF on
//! LibreOffice's render of the `.docx` (sample plan, long plan with an
//! appendix, report).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// Cells are templates (`{{ nam }}` is the year, evaluated in the model);
// what reaches the writer is printed as it is.
const HOSTILE: &str = r#"a < b && c > d { PAGE } </w:t><w:fldSimple w:instr="PAGE"/> ]]> &amp; MERGEFIELD x"#;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The parts of a `.docx`, by name.
struct Docx {
    bytes: Vec<u8>,
    parts: HashMap<String, String>,
    names: Vec<String>,
}

impl Docx {
    fn read(path: &Path) -> Docx {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("a zip");
        let mut parts = HashMap::new();
        let mut names = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).expect("entry");
            let mut s = String::new();
            f.read_to_string(&mut s).expect("UTF-8 part");
            let name = f.name().map(|n| n.to_string()).expect("entry name");
            names.push(name.clone());
            parts.insert(name, s);
        }
        Docx { bytes, parts, names }
    }
    fn part(&self, name: &str) -> &str {
        self.parts.get(name).unwrap_or_else(|| panic!("no {name} in {:?}", self.names))
    }
    fn xml(&self, name: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(self.part(name)).unwrap_or_else(|e| panic!("{name} is not XML: {e}"))
    }
}

fn is(n: &roxmltree::Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(W)
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| is(c, name))
}

fn children<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    n.children().filter(move |c| is(c, name))
}

fn desc<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    n.descendants().filter(move |c| is(c, name))
}

fn val<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

/// The text of a node (its `w:t` joined).
fn text_of(n: roxmltree::Node) -> String {
    desc(n, "t").filter_map(|t| t.text()).collect()
}

/// Does this run (`w:r`) have `w:b` / `w:i`, and its size in points.
fn run_fmt(r: roxmltree::Node) -> (bool, bool, Option<f64>) {
    let pr = child(r, "rPr");
    let has = |n: &str| pr.and_then(|p| child(p, n)).is_some_and(|x| val(x, "val").is_none_or(|v| v != "0"));
    let size = pr.and_then(|p| child(p, "sz")).and_then(|s| val(s, "val")).and_then(|v| v.parse::<f64>().ok());
    (has("b"), has("i"), size.map(|s| s / 2.0))
}

/// The runs whose text contains `s`.
fn runs_with<'a, 'i>(doc: &'a roxmltree::Document<'i>, s: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    desc(doc.root(), "r").filter(|r| text_of(*r).contains(s)).collect()
}

fn body<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> roxmltree::Node<'a, 'i> {
    desc(doc.root(), "body").next().expect("w:body")
}

/// Every section's properties, in order.
fn sections<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> Vec<roxmltree::Node<'a, 'i>> {
    desc(doc.root(), "sectPr").collect()
}

/// Runs `vanban ARGS` in `dir`, asserting success.
fn vanban(dir: &Path, args: &[&str]) -> Out {
    let out = run_in(dir, args);
    assert!(out.ok(), "vanban {args:?} failed ({}):\n{}\n{}", out.code, out.stdout, out.stderr);
    out
}

/// Renders `book` (a plan) as both PDF and DOCX into a fresh directory.
fn plan_both(book: &Book) -> (tempfile::TempDir, Docx, Pdf) {
    let dir = tmp();
    book.write(&dir.path().join("wb.xlsx"));
    vanban(dir.path(), &["plan", "wb.xlsx", "-o", "out.pdf", "--format", "pdf,docx", "--ignore-system-fonts", "-q"]);
    let docx = Docx::read(&dir.path().join("out.docx"));
    let pdf = Pdf::load(&std::fs::read(dir.path().join("out.pdf")).expect("pdf")).expect("PDF");
    (dir, docx, pdf)
}

// ---------------------------------------------------------------------------
// The XML
// ---------------------------------------------------------------------------

#[test]
fn sample_plan_package_styles_and_section() {
    let dir = tmp();
    let wb = root().join("data/ke-hoach-mau.xlsx");
    let wb = wb.to_str().expect("path");
    let out = vanban(dir.path(), &["plan", wb, "--format", "docx", "-q"]);
    let path = dir.path().join("output/kh-snnptnt-2024.docx");
    assert!(path.is_file(), "default name .docx: {out:?}");
    assert!(out.stdout.contains("kh-snnptnt-2024.docx"), "{out:?}");
    assert!(!dir.path().join("output/kh-snnptnt-2024.pdf").exists(), "--format docx writes no PDF");
    let d = Docx::read(&path);
    for n in ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "docProps/core.xml"] {
        assert!(d.names.contains(&n.to_string()), "{n} in {:?}", d.names);
    }
    // Deterministic: no date in the properties.
    assert!(!d.part("docProps/core.xml").contains("dcterms:created"), "{}", d.part("docProps/core.xml"));

    // Styles: Times New Roman named, vi-VN, body 14 pt justified, 1.27 cm, 6 pt after, 1.2 lines.
    let st = d.xml("word/styles.xml");
    let fonts = desc(st.root(), "rPrDefault").flat_map(|n| desc(n, "rFonts")).next().expect("default fonts");
    assert_eq!(val(fonts, "ascii"), Some("Times New Roman"));
    assert_eq!(val(fonts, "hAnsi"), Some("Times New Roman"));
    let lang = desc(st.root(), "rPrDefault").flat_map(|n| desc(n, "lang")).next().expect("default lang");
    assert_eq!(val(lang, "val"), Some("vi-VN"));
    let normal = desc(st.root(), "style").find(|s| val(*s, "styleId") == Some("Normal")).expect("Normal");
    assert_eq!(desc(normal, "sz").next().and_then(|s| val(s, "val")), Some("28"), "14 pt");
    assert_eq!(desc(normal, "jc").next().and_then(|s| val(s, "val")), Some("both"), "justified");
    assert_eq!(desc(normal, "ind").next().and_then(|s| val(s, "firstLine")), Some("720"), "1.27 cm");
    let sp = desc(normal, "spacing").next().expect("spacing");
    assert_eq!(val(sp, "after"), Some("120"), "6 pt after");
    assert_eq!(val(sp, "line"), Some("288"), "1.2 lines");
    for h in ["Heading1", "Heading2", "Heading3", "Heading4"] {
        let s = desc(st.root(), "style").find(|s| val(*s, "styleId") == Some(h)).expect(h);
        assert!(desc(s, "keepNext").next().is_some(), "{h} kept with the next paragraph");
        assert!(desc(s, "b").next().is_some(), "{h} bold");
    }

    let doc = d.xml("word/document.xml");
    // Every run is Vietnamese; no Word auto-numbering anywhere.
    let runs: Vec<_> = desc(doc.root(), "r").collect();
    assert!(runs.len() > 100);
    for r in &runs {
        let lang = child(*r, "rPr").and_then(|p| child(p, "lang")).and_then(|l| val(l, "val"));
        assert_eq!(lang, Some("vi-VN"), "run «{}» without vi-VN", text_of(*r));
    }
    assert!(desc(doc.root(), "numPr").next().is_none(), "numbering is text, not Word lists");
    assert!(d.part("word/document.xml").contains(">I. </w:t>"), "the heading number is typed text");

    // One portrait A4 section, the decree's margins, a different first page.
    let secs = sections(&doc);
    assert_eq!(secs.len(), 1);
    let s = secs[0];
    let sz = child(s, "pgSz").expect("pgSz");
    assert_eq!((val(sz, "w"), val(sz, "h"), val(sz, "orient")), (Some("11906"), Some("16838"), None));
    let m = child(s, "pgMar").expect("pgMar");
    let mar: Vec<Option<&str>> = ["top", "bottom", "left", "right"].iter().map(|k| val(m, k)).collect();
    assert_eq!(mar, [Some("1134"), Some("1134"), Some("1701"), Some("850")], "20/20/30/15 mm");
    assert!(child(s, "titlePg").is_some(), "a different first page");
    check_page_headers(&d, s);
}

/// The section's default header holds a centred PAGE field; its first-page
/// header holds none.
fn check_page_headers(d: &Docx, sect: roxmltree::Node) {
    let rels = d.xml("word/_rels/document.xml.rels");
    let target = |kind: &str| {
        let id = children(sect, "headerReference")
            .find(|h| val(*h, "type") == Some(kind))
            .and_then(|h| h.attribute((R, "id")))
            .unwrap_or_else(|| panic!("{kind} header reference"));
        let rel = rels.root().descendants().find(|r| r.attribute("Id") == Some(id)).expect("relationship");
        format!("word/{}", rel.attribute("Target").expect("target"))
    };
    let default = d.xml(&target("default"));
    let instr: String = desc(default.root(), "instrText").filter_map(|t| t.text()).collect();
    assert_eq!(instr.trim(), "PAGE", "a PAGE field, not a typed number");
    assert!(desc(default.root(), "fldChar").count() >= 3);
    let jc = desc(default.root(), "jc").next().and_then(|j| val(j, "val"));
    let style = desc(default.root(), "pStyle").next().and_then(|j| val(j, "val"));
    let st = d.xml("word/styles.xml");
    let header_style = desc(st.root(), "style").find(|s| val(*s, "styleId") == style).expect("header style");
    assert!(
        jc == Some("center") || desc(header_style, "jc").next().and_then(|j| val(j, "val")) == Some("center"),
        "page number centred"
    );
    let first = d.xml(&target("first"));
    assert!(desc(first.root(), "instrText").next().is_none(), "no number on the first page");
}

#[test]
fn header_table_title_tables_and_signature_in_the_xml() {
    let (_dir, d, _) = plan_both(&Book::plan(35));
    let doc = d.xml("word/document.xml");
    let body = body(&doc);

    // The header: the body's first element, a borderless two-column table.
    let first = body.children().find(|n| n.is_element()).expect("body content");
    assert!(is(&first, "tbl"), "the header is a table");
    assert_eq!(desc(first, "gridCol").count(), 2);
    let borders = desc(first, "tblBorders").next().expect("tblBorders");
    assert!(borders.children().filter(|c| c.is_element()).all(|b| val(b, "val") == Some("nil")), "borderless");
    let rows: Vec<_> = children(first, "tr").collect();
    assert_eq!(rows.len(), 2);
    let cells: Vec<_> = children(rows[0], "tc").collect();
    let left = text_of(cells[0]);
    let right = text_of(cells[1]);
    assert!(left.contains("UBND TỈNH AN GIANG") && left.contains("SỞ NÔNG NGHIỆP"), "{left}");
    assert!(right.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && right.contains("Độc lập - Tự do - Hạnh phúc"));
    // A real line under the agency and under the tiêu ngữ: a paragraph border.
    for (c, what) in [(cells[0], "agency"), (cells[1], "tiêu ngữ")] {
        let line = desc(c, "pBdr").flat_map(|b| desc(b, "bottom")).next();
        assert!(line.is_some_and(|b| val(b, "val") == Some("single")), "a line under the {what}");
    }
    assert!(!d.part("word/document.xml").contains("___"), "no underscores for lines");
    let fmt = |s: &str| run_fmt(*runs_with(&doc, s).first().unwrap_or_else(|| panic!("run «{s}»")));
    assert_eq!(fmt("CỘNG HÒA"), (true, false, Some(13.0)), "quốc hiệu bold 13");
    assert_eq!(fmt("Độc lập"), (true, false, Some(14.0)), "tiêu ngữ bold 14");
    assert_eq!(fmt("UBND TỈNH"), (false, false, Some(13.0)), "parent agency regular 13");
    assert_eq!(fmt("SỞ NÔNG NGHIỆP"), (true, false, Some(13.0)), "issuing agency bold 13");
    // Số and the italic place-date in one row.
    let second: Vec<_> = children(rows[1], "tc").collect();
    assert_eq!(text_of(second[0]), "Số: 54/KH-SNNPTNT");
    assert_eq!(text_of(second[1]), "An Giang, ngày 30 tháng 6 năm 2021");
    assert_eq!(fmt("An Giang, ngày"), (false, true, Some(14.0)), "date italic 14");
    assert_eq!(fmt("Số: 54"), (false, false, Some(13.0)));

    // Title and trích yếu: centred bold, a line under the trích yếu.
    let title = desc(body, "p").find(|p| text_of(*p) == "KẾ HOẠCH").expect("title");
    assert_eq!(desc(title, "jc").next().and_then(|j| val(j, "val")), Some("center"));
    assert_eq!(fmt("KẾ HOẠCH"), (true, false, Some(14.0)));
    let ty = title.next_siblings().skip(1).find(|n| is(n, "p")).expect("trích yếu");
    assert!(text_of(ty).contains("Khắc phục, nâng cao"));
    let rule = ty.next_siblings().skip(1).find(|n| is(n, "p")).expect("the line");
    assert!(desc(rule, "pBdr").next().is_some(), "a line under the trích yếu");

    // Căn cứ italic (its style).
    let cc = desc(body, "p").find(|p| text_of(*p).starts_with("Căn cứ Nghị quyết")).expect("căn cứ");
    assert_eq!(desc(cc, "pStyle").next().and_then(|s| val(s, "val")), Some("CanCu"));

    // The task table: the header row repeats, rows do not split, group rows
    // span the width, numbers are right-aligned where the model says so.
    let tables: Vec<_> = children(body, "tbl").collect();
    let tasks = tables.iter().find(|t| text_of(**t).contains("Nhiệm vụ số 1 về")).expect("task table");
    let trs: Vec<_> = children(*tasks, "tr").collect();
    assert!(trs.len() > 35);
    let hdr = child(trs[0], "trPr").expect("trPr");
    assert!(child(hdr, "tblHeader").is_some(), "header row repeats (tblHeader)");
    assert!(trs[1..].iter().all(|r| child(*r, "trPr").and_then(|p| child(p, "tblHeader")).is_none()));
    assert!(trs[1..].iter().all(|r| child(*r, "trPr").and_then(|p| child(p, "cantSplit")).is_some()));
    let ncols = desc(*tasks, "gridCol").count();
    let group = trs.iter().find(|r| text_of(**r).contains("Công tác chỉ đạo, điều hành")).expect("group row");
    let span = desc(*group, "gridSpan").next().and_then(|g| val(g, "val")).and_then(|v| v.parse::<usize>().ok());
    assert_eq!(span, Some(ncols - 1), "the group title spans the rest of the row");
    assert!(desc(*group, "r").all(|r| run_fmt(r).0), "group row bold");
    let metrics = tables.iter().find(|t| text_of(**t).contains("89,87")).expect("metrics table");
    let total = children(*metrics, "tr").find(|r| text_of(*r).contains("Tổng")).expect("total row");
    assert!(desc(total, "r").all(|r| run_fmt(r).0), "total row bold");

    // Nơi nhận and the signature: one borderless table of one row that does not split.
    let sig = tables.iter().find(|t| text_of(**t).contains("Nơi nhận:")).expect("signature table");
    let srows: Vec<_> = children(*sig, "tr").collect();
    assert_eq!(srows.len(), 1);
    assert!(child(srows[0], "trPr").and_then(|p| child(p, "cantSplit")).is_some(), "the signature does not split");
    let st = text_of(srows[0]);
    for s in ["Nơi nhận:", "- Lưu: VT, VPS.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Võ Thị Thanh Vân"] {
        assert!(st.contains(s), "«{s}» in the signature table: {st}");
    }
    assert_eq!(fmt("Nơi nhận:"), (true, true, Some(12.0)), "Nơi nhận: bold italic 12");
    assert_eq!(fmt("- Lưu: VT, VPS."), (false, false, Some(11.0)), "entries 11");
    assert_eq!(fmt("Võ Thị Thanh Vân"), (true, false, Some(14.0)), "signer bold 14");
    assert!(text_of(body).contains("nông thôn./."), "./. at the end of the body");
}

#[test]
fn appendix_is_a_landscape_section_with_its_own_numbering() {
    let (_dir, d, _) = plan_both(&Book::plan(35).set("Trình bày nhiệm vụ", "phụ lục"));
    let doc = d.xml("word/document.xml");
    let secs = sections(&doc);
    assert_eq!(secs.len(), 2, "the plan, then the appendix");
    let size = |s: roxmltree::Node| {
        let sz = child(s, "pgSz").expect("pgSz");
        (val(sz, "w").map(str::to_string), val(sz, "h").map(str::to_string), val(sz, "orient").map(str::to_string))
    };
    assert_eq!(size(secs[0]), (Some("11906".into()), Some("16838".into()), None));
    assert_eq!(size(secs[1]), (Some("16838".into()), Some("11906".into()), Some("landscape".into())));
    // The first section ends at the paragraph after the signature.
    assert!(secs[0].parent().is_some_and(|p| is(&p, "pPr")), "section break in a paragraph");
    let t = child(secs[1], "type").and_then(|t| val(t, "val"));
    assert_eq!(t, Some("nextPage"));
    for s in &secs {
        assert_eq!(child(*s, "pgNumType").and_then(|p| val(p, "start")), Some("1"), "own page numbering");
        assert!(child(*s, "titlePg").is_some());
        check_page_headers(&d, *s);
    }
    // The tasks are in the appendix, after the break, with the repeated header.
    let all = d.part("word/document.xml");
    let brk = all.find("<w:sectPr>").expect("break");
    assert!(all[..brk].contains("Nhiệm vụ cụ thể tại Phụ lục") && !all[..brk].contains("Nhiệm vụ số 1 về"));
    assert!(all[brk..].contains("Nhiệm vụ số 1 về") && all[brk..].contains("<w:tblHeader/>"));
}

#[test]
fn cell_text_is_literal() {
    let mut b = Book::plan(3);
    let nd = b.sheets.iter_mut().find(|s| s.name == "NoiDung").expect("NoiDung");
    nd.rows.insert(4, vec![E, E, t(HOSTILE)]);
    let b = b.set("Trích yếu", format!("Trích yếu {HOSTILE}"));
    let (_dir, d, _) = plan_both(&b);
    let doc = d.xml("word/document.xml");
    let texts: Vec<String> = desc(doc.root(), "p").map(text_of).collect();
    assert!(texts.iter().any(|t| t == HOSTILE), "printed exactly");
    assert!(texts.iter().any(|t| t == &format!("Trích yếu {HOSTILE}")), "in the trích yếu too");
    assert!(desc(doc.root(), "fldSimple").next().is_none(), "no field made from a cell");
    assert_eq!(desc(doc.root(), "instrText").count(), 0, "no field codes in the body");
    let core = d.xml("docProps/core.xml");
    let title: String =
        core.descendants().filter(|n| n.tag_name().name() == "title").filter_map(|n| n.text()).collect();
    assert!(title.contains(HOSTILE), "core title literal: {title}");
}

#[test]
fn same_workbook_same_bytes_and_output_names() {
    let book = Book::plan(8);
    let (_a, d1, _) = plan_both(&book);
    let (_b, d2, _) = plan_both(&book);
    assert!(d1.bytes == d2.bytes, "the same .docx bytes");
    // Fixed entry times in the zip (1980-01-01), the same order every time.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(d1.bytes.clone())).expect("zip");
    for i in 0..zip.len() {
        let f = zip.by_index(i).expect("entry");
        let t = f.last_modified().expect("time");
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{:?}", f.name());
    }
    // `-o X.docx` alone gives only the Word copy.
    let dir = tmp();
    book.write(&dir.path().join("wb.xlsx"));
    let out = vanban(dir.path(), &["plan", "wb.xlsx", "-o", "ke-hoach.docx", "-q"]);
    assert!(dir.path().join("ke-hoach.docx").is_file(), "{out:?}");
    assert!(!dir.path().join("ke-hoach.pdf").exists());
    assert_eq!(Docx::read(&dir.path().join("ke-hoach.docx")).bytes, d1.bytes, "bytes do not depend on the path");
    // A bad --format is a usage error (exit 2).
    let out = run_in(dir.path(), &["plan", "wb.xlsx", "--format", "odt"]);
    assert_eq!(out.code, 2, "{out:?}");
}

#[test]
fn batch_writes_a_docx_per_unit() {
    let dir = tmp();
    Book::plan(8).write(&dir.path().join("wb.xlsx"));
    vanban(dir.path(), &["batch", "wb.xlsx", "--format", "docx", "--out-dir", "out", "-q", "--ignore-system-fonts"]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .expect("out dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["ccty-ke-hoach-2021.docx", "tccb-ke-hoach-2021.docx", "vps-ke-hoach-2021.docx"]);
    let d = Docx::read(&dir.path().join("out/vps-ke-hoach-2021.docx"));
    let doc = d.xml("word/document.xml");
    assert!(text_of(doc.root()).contains("VĂN PHÒNG SỞ"), "the unit is the issuing body");
    // Both formats: the PDF and the Word copy of each unit, the same Word bytes.
    vanban(
        dir.path(),
        &["batch", "wb.xlsx", "--format", "pdf,docx", "--out-dir", "both", "-q", "--ignore-system-fonts"],
    );
    assert!(dir.path().join("both/vps-ke-hoach-2021.pdf").is_file());
    assert_eq!(Docx::read(&dir.path().join("both/vps-ke-hoach-2021.docx")).bytes, d.bytes);
}

// ---------------------------------------------------------------------------
// LibreOffice's render of the .docx
// ---------------------------------------------------------------------------

/// The three documents, as vanban's PDF and LibreOffice's PDF of the DOCX.
struct Renders {
    _dir: tempfile::TempDir,
    sample: (Pdf, Pdf),
    appendix: (Pdf, Pdf),
    report: (Pdf, Pdf),
}

/// Renders the sample plan, a long plan with an appendix and the sample's
/// report, converts the three `.docx` with one `soffice --headless` run
/// (its own fresh profile) and reads every PDF back.
fn renders() -> &'static Renders {
    static R: OnceLock<Renders> = OnceLock::new();
    R.get_or_init(|| {
        let dir = tmp();
        let p = dir.path();
        let sample = root().join("data/ke-hoach-mau.xlsx");
        let sample = sample.to_str().expect("path");
        Book::plan(35).set("Trình bày nhiệm vụ", "phụ lục").write(&p.join("long.xlsx"));
        vanban(p, &["plan", sample, "-o", "sample.pdf", "--format", "pdf,docx", "-q"]);
        vanban(p, &["plan", "long.xlsx", "-o", "appendix.pdf", "--format", "pdf,docx", "-q"]);
        vanban(p, &["report", sample, "--quarter", "3", "-o", "report.pdf", "--format", "pdf,docx", "-q"]);
        std::fs::create_dir_all(p.join("lo")).expect("dir");
        let profile = format!("-env:UserInstallation=file://{}", p.join("profile").display());
        let out = Command::new("soffice")
            .arg(&profile)
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(p.join("lo"))
            .args([p.join("sample.docx"), p.join("appendix.docx"), p.join("report.docx")])
            .output()
            .expect("soffice (Debian: libreoffice-writer-nogui) must be installed");
        assert!(out.status.success(), "soffice failed: {}", String::from_utf8_lossy(&out.stderr));
        let load = |path: PathBuf| {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Pdf::load(&bytes).expect("PDF")
        };
        let both = |name: &str| (load(p.join(format!("{name}.pdf"))), load(p.join("lo").join(format!("{name}.pdf"))));
        Renders { sample: both("sample"), appendix: both("appendix"), report: both("report"), _dir: dir }
    })
}

fn span<'a>(pdf: &'a Pdf, s: &str) -> (usize, &'a Run) {
    pdf.find_span(s).unwrap_or_else(|| panic!("no span with «{s}» in:\n{}", pdf.text()))
}

fn size(r: &Run, want: f64, what: &str) {
    near(r.size, want, 0.3, &format!("size of «{what}»"));
}

fn regular(r: &Run) -> bool {
    !r.is_bold() && !r.is_italic()
}

/// The words of the document, page numbers left out, as a sorted set:
/// another engine breaks lines elsewhere (also after `-` and `/`, so words
/// are cut there), spreads a table over other pages (so its header row
/// repeats a different number of times) and reads cells centred in their
/// rows in another order; the order is checked on the headings.
fn words(pdf: &Pdf) -> Vec<String> {
    let mut w: Vec<String> = pdf
        .pages
        .iter()
        .flat_map(|p| p.lines.iter().filter(|l| l.y > TOP || !l.text.trim().chars().all(|c| c.is_ascii_digit())))
        .flat_map(|l| {
            l.text.split(|c: char| c.is_whitespace() || c == '-' || c == '/').map(str::to_string).collect::<Vec<_>>()
        })
        .filter(|t| !t.is_empty())
        .collect();
    w.sort();
    w.dedup();
    w
}

/// The numbered headings (bold lines `I.`, `1.`, `1.1.`, `a)`), in order.
fn headings(pdf: &Pdf) -> Vec<String> {
    pdf.pages
        .iter()
        .flat_map(|p| p.lines.iter())
        .filter(|l| l.y > TOP && l.size > 13.5 && l.glyphs.first().is_some_and(|g| g.font.contains("Bold")))
        .filter(|l| {
            let first = l.text.split_whitespace().next().unwrap_or("");
            (first.ends_with('.')
                && first.len() > 1
                && first.trim_end_matches('.').split('.').all(|p| {
                    !p.is_empty() && (p.chars().all(|c| c.is_ascii_digit()) || p.chars().all(|c| "IVXLC".contains(c)))
                }))
                || (first.ends_with(')') && first.len() <= 3)
        })
        .map(|l| l.text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .collect()
}

/// Both renders hold the same words, and the same headings in the same order.
fn same_text(vanban: &Pdf, lo: &Pdf, what: &str) {
    let (a, b) = (words(vanban), words(lo));
    if a != b {
        let only_a: Vec<&String> = a.iter().filter(|w| !b.contains(w)).collect();
        let only_b: Vec<&String> = b.iter().filter(|w| !a.contains(w)).collect();
        panic!(
            "{what}: the words differ ({} vs {}); only in vanban's PDF: {only_a:?}; only in the Word copy: {only_b:?}",
            a.len(),
            b.len()
        );
    }
    let (ha, hb) = (headings(vanban), headings(lo));
    assert!(ha.len() >= 4, "{what}: headings found: {ha:?}");
    assert_eq!(ha, hb, "{what}: headings in the same order");
}

/// The header, title, Nơi nhận and signature, as the PDF tests check them.
fn check_layout(pdf: &Pdf, agency: &str, title: &str) {
    let (pg, qh) = span(pdf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_eq!(pg, 0);
    assert!(qh.is_bold() && !qh.is_italic(), "quốc hiệu bold: {}", qh.font);
    size(qh, 13.0, "quốc hiệu");
    assert!(qh.centre() > CENTRE, "quốc hiệu in the right column");
    assert!(qh.x_end <= RIGHT + 1.0, "quốc hiệu inside the margin");
    let (_, tn) = span(pdf, "Độc lập - Tự do - Hạnh phúc");
    assert!(tn.is_bold());
    size(tn, 14.0, "tiêu ngữ");
    near(tn.centre(), qh.centre(), 3.0, "tiêu ngữ under the quốc hiệu");
    let (_, issuer) = span(pdf, agency);
    assert!(issuer.is_bold(), "issuing agency bold");
    size(issuer, 13.0, "cơ quan ban hành");
    assert!(issuer.centre() < CENTRE && issuer.x >= LEFT - 1.0, "agency in the left column");
    let (_, so) = span(pdf, "Số:");
    assert!(regular(so), "Số upright: {}", so.font);
    size(so, 13.0, "Số");
    let (_, date) = pdf.pages[0]
        .spans
        .iter()
        .find(|s| s.text.contains(", ngày"))
        .map(|s| (0, s))
        .unwrap_or_else(|| panic!("date line:\n{}", pdf.text()));
    assert!(date.is_italic() && !date.is_bold(), "date italic: {}", date.font);
    size(date, 14.0, "date");
    assert!((so.y - date.y).abs() < 3.0, "Số ({:.1}) and date ({:.1}) on one line", so.y, date.y);
    assert!(date.y > tn.y);

    let t = pdf.pages[0].spans.iter().find(|s| s.text.trim() == title).unwrap_or_else(|| panic!("{title}"));
    assert!(t.is_bold());
    size(t, 14.0, title);
    near(t.centre(), CENTRE, 5.0, "title centred");
    assert!(t.y > date.y);

    let (pg, nn) = span(pdf, "Nơi nhận:");
    assert!(nn.is_bold() && nn.is_italic(), "Nơi nhận: bold italic: {}", nn.font);
    size(nn, 12.0, "Nơi nhận:");
    near(nn.x, LEFT, 2.0, "Nơi nhận: at the left margin");
    let lines: Vec<&Run> = pdf.pages[pg].lines.iter().filter(|l| l.y > nn.y && l.x < CENTRE - 40.0).collect();
    assert!(lines.len() >= 2, "recipient lines");
    for l in &lines {
        assert!(l.text.starts_with("- "), "«{}»", l.text);
        size(l, 11.0, &l.text);
        assert!(regular(l));
    }
    assert!(lines.last().is_some_and(|l| l.text.starts_with("- Lưu:")));
    let right: Vec<&Run> = pdf.pages[pg].spans.iter().filter(|s| s.x > CENTRE - 10.0 && s.y >= nn.y - 5.0).collect();
    assert!(right.len() >= 2, "signature lines on the page of Nơi nhận:");
    for s in &right {
        assert!(s.is_bold(), "signature bold: «{}»", s.text);
        size(s, 14.0, &s.text);
    }
    let name = right.last().expect("signer");
    assert!(name.y - right[right.len() - 2].y >= 50.0, "room to sign");
}

/// No number on page 1; from page 2 the number, centred, 14 pt, in the top
/// margin; each landscape appendix restarts at 1 and shows none on its first page.
fn check_page_numbers(pdf: &Pdf) {
    assert!(pdf.pages.len() >= 2);
    let mut expect = 0;
    for (i, p) in pdf.pages.iter().enumerate() {
        let starts_appendix = p.landscape() && (i == 0 || !pdf.pages[i - 1].landscape());
        expect = if i == 0 || starts_appendix { 1 } else { expect + 1 };
        let margin: Vec<&Run> = p.lines.iter().filter(|l| l.y < TOP).collect();
        if expect == 1 {
            assert!(
                margin.is_empty(),
                "no number on page {}: {:?}",
                i + 1,
                margin.iter().map(|l| &l.text).collect::<Vec<_>>()
            );
            continue;
        }
        assert_eq!(margin.len(), 1, "one page number on page {}", i + 1);
        assert_eq!(margin[0].text.trim(), expect.to_string(), "page {}", i + 1);
        let centre = if p.landscape() { (LEFT + A4_H - 15.0 * MM) / 2.0 } else { CENTRE };
        near(margin[0].centre(), centre, 3.0, "page number centred");
        size(margin[0], 14.0, "page number");
        assert!(regular(margin[0]));
    }
}

#[test]
fn libreoffice_sample_plan_reads_like_the_pdf() {
    let (vb, lo) = &renders().sample;
    for (i, p) in lo.pages.iter().enumerate() {
        near(p.width, A4_W, 1.0, &format!("page {} width", i + 1));
        near(p.height, A4_H, 1.0, &format!("page {} height", i + 1));
    }
    same_text(vb, lo, "sample plan");
    check_layout(lo, "SỞ NÔNG NGHIỆP", "KẾ HOẠCH");
    check_page_numbers(lo);
    // Body: 14 pt, first-line indent 1.27 cm, justified to the right margin.
    let lines: Vec<&Run> = lo.pages.iter().flat_map(|p| p.lines.iter()).collect();
    let min_x = lines.iter().map(|l| l.x).fold(f64::MAX, f64::min);
    near(min_x, LEFT, 2.0, "left margin 30 mm");
    let justified = lines.iter().filter(|l| l.size > 13.5 && (l.x_end - RIGHT).abs() < 1.5).count();
    assert!(justified >= 5, "justified lines end at the right margin ({justified})");
    let indented = lines.iter().filter(|l| l.size > 13.5 && (l.x - (LEFT + 1.27 / 2.54 * 72.0)).abs() < 1.5).count();
    assert!(indented >= 5, "first lines indented 1.27 cm ({indented})");
    let (_, cc) = span(lo, "Căn cứ");
    assert!(cc.is_italic(), "căn cứ italic");
    // Headings bold, numbered as text.
    let (_, h) = span(lo, "I. ");
    assert!(h.is_bold(), "heading bold");
    assert!(lo.text().contains("./."));
    // The same number of pages, give or take the line breaks of another engine.
    assert!(lo.pages.len().abs_diff(vb.pages.len()) <= 1, "{} vs {} pages", lo.pages.len(), vb.pages.len());
}

#[test]
fn libreoffice_long_plan_has_its_landscape_appendix() {
    let (vb, lo) = &renders().appendix;
    same_text(vb, lo, "plan with an appendix");
    check_layout(lo, "SỞ NÔNG NGHIỆP", "KẾ HOẠCH");
    check_page_numbers(lo);
    let (sig, _) = span(lo, "Võ Thị Thanh Vân");
    for p in &lo.pages[..=sig] {
        assert!(!p.landscape(), "the document itself is portrait");
    }
    let appendix = &lo.pages[sig + 1..];
    assert!(appendix.len() >= 2, "a landscape appendix of several pages");
    let (first, _) = check_appendix(appendix, 0.3);
    for p in appendix {
        assert!(p.spans.iter().any(|s| s.text.trim() == "STT" && s.is_bold()), "the header row on every page");
    }
    let kt = first.span("(Kèm theo Kế hoạch số 54/KH-SNNPTNT").expect("reference line");
    assert!(kt.is_italic());
}

#[test]
fn libreoffice_report_reads_like_the_pdf() {
    let (vb, lo) = &renders().report;
    same_text(vb, lo, "report");
    check_layout(lo, "SỞ NÔNG NGHIỆP", "BÁO CÁO");
    check_page_numbers(lo);
    let text = lo.text();
    assert!(text.contains("Kính gửi:"), "Kính gửi in the Word copy");
    assert!(text.contains("- Như trên;"));
}

#[test]
fn blank_number_and_date_leave_room_to_write() {
    let (_dir, d, _) = plan_both(&Book::plan(3).unset("Số").unset("Ngày ban hành"));
    let doc = d.xml("word/document.xml");
    let header = body(&doc).children().find(|n| is(n, "tbl")).expect("header table");
    let row: Vec<_> = children(header, "tr").nth(1).map(|r| children(r, "tc").collect()).expect("Số row");
    let so = text_of(row[0]);
    let room = so.strip_prefix("Số:").and_then(|s| s.strip_suffix("/KH-SNNPTNT")).unwrap_or_else(|| panic!("«{so}»"));
    // 1.2 cm at 13 pt: spaces of a quarter em, as the văn thư would type them.
    assert!(room.len() >= 10 && room.chars().all(|c| c == ' '), "room for the number: «{so}»");
    let date = text_of(row[1]);
    let parts: Vec<&str> = date.split("  ").filter(|s| !s.trim().is_empty()).map(str::trim).collect();
    assert_eq!(parts, ["An Giang, ngày", "tháng", "năm 2021"], "blank day and month: «{date}»");
    assert!(!d.part("word/document.xml").contains("____"), "no underscores");
}
