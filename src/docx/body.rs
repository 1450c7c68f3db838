//! `word/document.xml`: the document model laid out as a Word user would
//! type it — the header as a borderless table, the body as styled
//! paragraphs with their numbering as text, tables with a repeating header
//! row, the signature block as one borderless table, each appendix as its
//! own landscape section.

use std::fmt::Write;

use super::metrics::width;
use super::nd30::*;
use super::xml::{br, close_p, cm, mm, run, tw, Fmt, P};
use crate::document::model::{Appendix, BarChart, Block, Document, Header, KemTheo, Rich, Row, Signature, Table};
use crate::vi::upper::hoa;

const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                  xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

/// A4 in twips.
const A4_W: i64 = 11906;
const A4_H: i64 = 16838;

/// The relationship ids of the two headers (see `mod.rs`).
pub const HEADER_PAGE: &str = "rIdHeaderPage";
pub const HEADER_FIRST: &str = "rIdHeaderFirst";

/// A page: its text width in twips, portrait or landscape.
#[derive(Clone, Copy)]
struct Page {
    landscape: bool,
}

impl Page {
    fn size(self) -> (i64, i64) {
        if self.landscape {
            (A4_H, A4_W)
        } else {
            (A4_W, A4_H)
        }
    }
    fn text_width(self) -> i64 {
        self.size().0 - tw(mm(PAGE_MARGIN_LEFT_MM)) - tw(mm(PAGE_MARGIN_RIGHT_MM))
    }
}

/// Section properties: A4, the decree's margins, the page number from the
/// second page (first-page header empty), numbering from 1.
fn sect_pr(page: Page, first: bool) -> String {
    let (w, h) = page.size();
    let top = mm(PAGE_MARGIN_TOP_MM);
    // The header's top so that a 14 pt number's baseline sits where the PDF
    // puts it (40 % of the margin up from the body); Times' ascent is 0.891 em.
    let header = top * (1.0 - PAGE_NUMBER_ASCENT) - 0.891 * SIZE_PAGE_NUMBER;
    let mut s = String::from("<w:sectPr>");
    let _ = write!(
        s,
        "<w:headerReference w:type=\"default\" r:id=\"{HEADER_PAGE}\"/>\
         <w:headerReference w:type=\"first\" r:id=\"{HEADER_FIRST}\"/>"
    );
    if !first {
        s.push_str("<w:type w:val=\"nextPage\"/>");
    }
    if page.landscape {
        let _ = write!(s, "<w:pgSz w:w=\"{w}\" w:h=\"{h}\" w:orient=\"landscape\"/>");
    } else {
        let _ = write!(s, "<w:pgSz w:w=\"{w}\" w:h=\"{h}\"/>");
    }
    let _ = write!(
        s,
        "<w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"{}\" w:footer=\"{}\" w:gutter=\"0\"/>\
         <w:pgNumType w:start=\"1\"/><w:cols w:space=\"720\"/><w:titlePg/></w:sectPr>",
        tw(top),
        tw(mm(PAGE_MARGIN_RIGHT_MM)),
        tw(mm(PAGE_MARGIN_BOTTOM_MM)),
        tw(mm(PAGE_MARGIN_LEFT_MM)),
        tw(header),
        tw(mm(10.0)),
    );
    s
}

/// The whole `word/document.xml`.
pub fn document(doc: &Document) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NS}><w:body>");
    let page = Page { landscape: false };
    header(&mut out, &doc.header, page);
    title(&mut out, doc, page);
    kinh_gui(&mut out, &doc.kinh_gui, page);
    for r in &doc.can_cu {
        rich_paras(&mut out, r, &P { style: Some("CanCu"), ..P::default() }, None, Fmt::default(), false);
    }
    for r in &doc.mo_dau {
        rich_paras(&mut out, r, &P::default(), None, Fmt::default(), false);
    }
    let body: Vec<&Block> = doc.body.iter().filter(|b| !matches!(b, Block::AppendixRef { .. })).collect();
    for (i, b) in body.iter().enumerate() {
        block(&mut out, b, page, i + 1 == body.len());
    }
    signature(&mut out, &doc.ky, &doc.noi_nhan, page);
    let mut sections = vec![page];
    for a in &doc.phu_luc {
        // The paragraph that ends the previous section carries its properties.
        let prev = sect_pr(sections[sections.len() - 1], sections.len() == 1);
        spacer(&mut out, Some(&prev));
        let p = Page { landscape: true };
        appendix(&mut out, a, p);
        sections.push(p);
    }
    let last = sections[sections.len() - 1];
    spacer(&mut out, None);
    out.push_str(&sect_pr(last, sections.len() == 1));
    out.push_str("</w:body></w:document>");
    out
}

/// A paragraph as small as Word allows (1 pt), to end a section or follow a
/// table without taking room.
fn spacer(out: &mut String, sect: Option<&str>) {
    P {
        exact: Some(20),
        before: Some(0),
        after: Some(0),
        mark: Some(1.0),
        sect,
        style: Some("Compact"),
        ..P::default()
    }
    .open(out);
    close_p(out);
}

/// The runs of one paragraph of rich text, with `base` under each run's own
/// emphasis; `upper` puts the text in capitals.
fn runs(out: &mut String, para: &[crate::document::model::Run], base: Fmt, upper: bool) {
    for r in para {
        let f = Fmt { b: base.b || r.b, i: base.i || r.i, size: base.size };
        if upper {
            run(out, &hoa(&r.t), f);
        } else {
            run(out, &r.t, f);
        }
    }
}

/// Rich text as paragraphs (one per line of the cell), `lead` before the
/// first; `keep`: the last stays on the page of what follows.
fn rich_paras(out: &mut String, r: &Rich, p: &P, lead: Option<&str>, base: Fmt, keep: bool) {
    let paras: Vec<&Vec<crate::document::model::Run>> = r.iter().filter(|p| !p.is_empty()).collect();
    if paras.is_empty() {
        if let Some(l) = lead {
            let mut p = p.clone();
            p.keep_next |= keep;
            p.text(out, l, base);
        }
        return;
    }
    for (i, para) in paras.iter().enumerate() {
        let mut p = p.clone();
        p.keep_next |= keep && i + 1 == paras.len();
        p.open(out);
        if i == 0 {
            if let Some(l) = lead {
                run(out, l, base);
            }
        }
        runs(out, para, base, false);
        close_p(out);
    }
}

/// Rich text as lines of one paragraph (header, cells of one line).
fn rich_lines(out: &mut String, r: &Rich, base: Fmt) {
    let mut first = true;
    for para in r.iter().filter(|p| !p.is_empty()) {
        if !first {
            br(out);
        }
        first = false;
        runs(out, para, base, false);
    }
}

fn rich_text(r: &Rich) -> Vec<String> {
    r.iter().filter(|p| !p.is_empty()).map(|p| p.iter().map(|x| x.t.as_str()).collect()).collect()
}

/// Spaces that leave `room` points at `size` (a space is a quarter em).
fn room(room: f64, size: f64) -> String {
    " ".repeat((room / (0.25 * size)).ceil().max(1.0) as usize)
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

/// `<w:tbl>` with fixed column widths (twips), borders or none, cell margins.
fn table_open(out: &mut String, cols: &[i64], borders: bool, mar_x: i64, mar_y: i64, jc: &str) {
    let total: i64 = cols.iter().sum();
    let _ = write!(out, "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"{jc}\"/>");
    if borders {
        let sz = (TABLE_STROKE * 8.0).round() as i64;
        out.push_str("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            let _ = write!(out, "<w:{side} w:val=\"single\" w:sz=\"{sz}\" w:space=\"0\" w:color=\"000000\"/>");
        }
        out.push_str("</w:tblBorders>");
    } else {
        out.push_str("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            let _ = write!(out, "<w:{side} w:val=\"nil\"/>");
        }
        out.push_str("</w:tblBorders>");
    }
    let _ = write!(
        out,
        "<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"{mar_y}\" w:type=\"dxa\"/>\
         <w:left w:w=\"{mar_x}\" w:type=\"dxa\"/><w:bottom w:w=\"{mar_y}\" w:type=\"dxa\"/>\
         <w:right w:w=\"{mar_x}\" w:type=\"dxa\"/></w:tblCellMar>\
         <w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
    );
    for c in cols {
        let _ = write!(out, "<w:gridCol w:w=\"{c}\"/>");
    }
    out.push_str("</w:tblGrid>");
}

/// `<w:tr>`: `header` repeats on every page; `keep` never splits.
fn row_open(out: &mut String, header: bool, keep: bool, height: Option<(i64, &str)>) {
    out.push_str("<w:tr><w:trPr>");
    if keep {
        out.push_str("<w:cantSplit/>");
    }
    if let Some((h, rule)) = height {
        let _ = write!(out, "<w:trHeight w:val=\"{h}\" w:hRule=\"{rule}\"/>");
    }
    if header {
        out.push_str("<w:tblHeader/>");
    }
    out.push_str("</w:trPr>");
}

/// `<w:tc>` of `width` twips spanning `span` grid columns.
fn cell_open(out: &mut String, width: i64, span: usize, valign: &str, fill: Option<&str>, bottom_rule: bool) {
    let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if span > 1 {
        let _ = write!(out, "<w:gridSpan w:val=\"{span}\"/>");
    }
    if bottom_rule {
        out.push_str(
            "<w:tcBorders><w:bottom w:val=\"single\" w:sz=\"5\" w:space=\"0\" w:color=\"000000\"/></w:tcBorders>",
        );
    }
    if let Some(f) = fill {
        let _ = write!(out, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>");
    }
    let _ = write!(out, "<w:vAlign w:val=\"{valign}\"/></w:tcPr>");
}

// ---------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------

fn header(out: &mut String, hd: &Header, page: Page) {
    let total = page.text_width();
    let w_pt = f64::from(total as i32) / 20.0;
    let pad = |w: f64| w + HEADER_PAD;
    let so_line = |r: f64| match &hd.so {
        Some(s) => format!("Số: {s}/{}", hd.ky_hieu),
        None => format!("Số: {}/{}", room(cm(r), SIZE_SO), hd.ky_hieu),
    };
    let date_text = format!(
        "{}, ngày {} tháng {} năm {}",
        hd.dia_danh,
        hd.ngay.clone().unwrap_or_else(|| room(cm(ROOM_DATE_CM), SIZE_DIA_DANH)),
        hd.thang.clone().unwrap_or_else(|| room(cm(ROOM_DATE_CM), SIZE_DIA_DANH)),
        hd.nam
    );
    // The columns and sizes as nd30.typ picks them, from the text.
    let widest = |lines: &[String], size: f64, bold: bool| {
        lines.iter().map(|l| pad(width(&hoa(l), size, bold))).fold(0.0, f64::max)
    };
    let lines_at = |size_qh: f64, size_co_quan: f64| HeaderLines {
        parent: widest(&hd.co_quan_chu_quan, size_co_quan, false),
        issuer: widest(&hd.co_quan_ban_hanh, size_co_quan, true),
        so: pad(width(&so_line(ROOM_CM), SIZE_SO, false)),
        so_min: pad(width(&so_line(ROOM_MIN_CM), SIZE_SO, false)),
        quoc_hieu: pad(width(QUOC_HIEU, size_qh, true)),
        tieu_ngu: pad(width(TIEU_NGU, tieu_ngu_size(size_qh), true)),
        date: pad(width(&date_text, SIZE_DIA_DANH, false)),
    };
    let (size_qh, size_co_quan) = header_sizes(w_pt, lines_at);
    let lines = lines_at(size_qh, size_co_quan);
    let left = tw(header_left(w_pt, &lines)).clamp(total / 8, total);
    let right = total - left;
    // The blank for the number: its least where the full one would wrap.
    let so_text = so_line(if lines.so <= f64::from(left as i32) / 20.0 { ROOM_CM } else { ROOM_MIN_CM });

    table_open(out, &[left, right], false, 0, 0, "left");
    let compact = P { style: Some("Compact"), jc: Some("center"), ..P::default() };

    // Agency | nation.
    row_open(out, false, true, None);
    cell_open(out, left, 1, "top", None, false);
    for l in &hd.co_quan_chu_quan {
        compact.text(out, &hoa(l), Fmt::size(size_co_quan));
    }
    let issuer: Vec<String> = hd.co_quan_ban_hanh.iter().map(|l| hoa(l)).collect();
    compact.open(out);
    for (i, l) in issuer.iter().enumerate() {
        if i > 0 {
            br(out);
        }
        run(out, l, Fmt::size(size_co_quan).bold());
    }
    close_p(out);
    let widest = issuer.iter().map(|l| width(l, size_co_quan, true)).fold(0.0, f64::max);
    rule_para(out, widest.min(f64::from(left as i32) / 20.0) * AGENCY_RULE_RATIO, left);
    out.push_str("</w:tc>");
    cell_open(out, right, 1, "top", None, false);
    compact.text(out, QUOC_HIEU, Fmt::size(size_qh).bold());
    compact.text(out, TIEU_NGU, Fmt::size(tieu_ngu_size(size_qh)).bold());
    rule_para(out, width(TIEU_NGU, tieu_ngu_size(size_qh), true), right);
    out.push_str("</w:tc></w:tr>");

    // Số | place and date, on one baseline (both bottom-aligned).
    row_open(out, false, true, None);
    let gap = P { before: Some(tw(HEADER_ROW_GAP)), ..compact.clone() };
    cell_open(out, left, 1, "bottom", None, false);
    gap.text(out, &so_text, Fmt::size(SIZE_SO));
    out.push_str("</w:tc>");
    cell_open(out, right, 1, "bottom", None, false);
    gap.text(out, &date_text, Fmt::size(SIZE_DIA_DANH).italic());
    out.push_str("</w:tc></w:tr></w:tbl>");
}

/// A solid line `len` points long, centred in `within` twips: the bottom
/// border of an empty 1 pt paragraph indented to that length (a real line
/// that moves with the text, as Word's "Borders" button draws it).
fn rule_para(out: &mut String, len: f64, within: i64) {
    let len = tw(len).clamp(20, within);
    let side = (within - len) / 2;
    P {
        style: Some("Compact"),
        rule: Some(RULE_STROKE),
        exact: Some(20),
        before: Some(0),
        after: Some(0),
        left: Some(side),
        right: Some(within - len - side),
        mark: Some(1.0),
        ..P::default()
    }
    .open(out);
    close_p(out);
}

// ---------------------------------------------------------------------------
// Title, Kính gửi
// ---------------------------------------------------------------------------

fn title(out: &mut String, doc: &Document, page: Page) {
    let total = page.text_width();
    let has_ty = !rich_text(&doc.trich_yeu).is_empty();
    let p = P {
        style: Some("Compact"),
        jc: Some("center"),
        before: Some(tw(TITLE_ABOVE)),
        keep_next: true,
        ..P::default()
    };
    p.text(out, &hoa(&doc.loai), Fmt::size(SIZE_TITLE).bold());
    if has_ty {
        let p = P { style: Some("Compact"), jc: Some("center"), keep_next: true, ..P::default() };
        p.open(out);
        rich_lines(out, &doc.trich_yeu, Fmt::size(SIZE_TITLE).bold());
        close_p(out);
        let w_pt = f64::from(total as i32) / 20.0;
        let widest = rich_text(&doc.trich_yeu).iter().map(|l| width(l, SIZE_TITLE, true)).fold(0.0, f64::max);
        rule_para(out, widest.min(w_pt) * TRICH_YEU_RULE_RATIO, total);
    }
    // The room under the title block.
    P { style: Some("Compact"), exact: Some(tw(TITLE_BELOW)), mark: Some(1.0), ..P::default() }.open(out);
    close_p(out);
}

/// `Kính gửi: …`, centred; several recipients each on a line starting `- `,
/// aligned after the label (a hanging indent, as typed in Word).
fn kinh_gui(out: &mut String, list: &[Rich], page: Page) {
    if list.is_empty() {
        return;
    }
    let f = Fmt::size(SIZE_KINH_GUI);
    let label = "Kính gửi:";
    let label_w = width(label, SIZE_KINH_GUI, false) + 0.4 * SIZE_KINH_GUI;
    let lines: Vec<String> = list
        .iter()
        .map(|r| {
            let t = rich_text(r).join(" ");
            if list.len() == 1 {
                t
            } else {
                format!("- {t}")
            }
        })
        .collect();
    let total = f64::from(page.text_width() as i32) / 20.0;
    let widest = lines.iter().map(|l| width(l, SIZE_KINH_GUI, false)).fold(0.0, f64::max);
    let block = (label_w + widest).min(total);
    let start = ((total - block) / 2.0).max(0.0);
    for (i, r) in list.iter().enumerate() {
        let last = i + 1 == list.len();
        let p = P {
            style: Some("Compact"),
            left: Some(tw(start + label_w)),
            first_line: if i == 0 { Some(-tw(label_w)) } else { None },
            after: if last { Some(tw(TITLE_BELOW)) } else { None },
            keep_next: !last,
            ..P::default()
        };
        p.open(out);
        if i == 0 {
            run(out, &format!("{label}\t"), f);
        }
        if list.len() > 1 {
            run(out, "- ", f);
        }
        rich_lines(out, r, f);
        close_p(out);
    }
}

// ---------------------------------------------------------------------------
// Body blocks
// ---------------------------------------------------------------------------

/// `I. `, `1. `, `a) ` (a bare `1` gets its dot).
fn number_label(n: Option<&str>) -> Option<String> {
    let n = n.filter(|n| !n.is_empty())?;
    Some(if n.ends_with('.') || n.ends_with(')') { format!("{n} ") } else { format!("{n}. ") })
}

fn block(out: &mut String, b: &Block, page: Page, keep: bool) {
    match b {
        Block::Heading { level, number, title, text } => {
            let level = (*level).clamp(1, 4);
            let style = format!("Heading{level}");
            let base = Fmt { b: true, i: level == 4, size: None };
            let lead = number_label(Some(number));
            let p = P { style: Some(&style), ..P::default() };
            let paras: Vec<&Vec<crate::document::model::Run>> = title.iter().filter(|p| !p.is_empty()).collect();
            let has_text = !rich_text(text).is_empty();
            if paras.is_empty() {
                p.text(out, lead.as_deref().unwrap_or(""), base);
            }
            for (i, para) in paras.iter().enumerate() {
                let mut p = p.clone();
                p.keep_next |= keep && !has_text;
                p.open(out);
                if i == 0 {
                    if let Some(l) = &lead {
                        run(out, l, base);
                    }
                }
                runs(out, para, base, level == 1);
                close_p(out);
            }
            rich_paras(out, text, &P::default(), None, Fmt::default(), keep);
        }
        Block::Para { number, text } => {
            rich_paras(out, text, &P::default(), number_label(number.as_deref()).as_deref(), Fmt::default(), keep)
        }
        Block::Bullet { marker, text } => {
            rich_paras(out, text, &P::default(), Some(&format!("{marker} ")), Fmt::default(), keep)
        }
        Block::Table(t) => data_table(out, t, page),
        Block::Chart(c) => bar_chart(out, c, page),
        Block::AppendixRef { .. } => {}
    }
}

fn rich_len(r: &Rich) -> usize {
    r.iter().flatten().map(|x| x.t.chars().count()).sum()
}

fn data_table(out: &mut String, t: &Table, page: Page) {
    let n = t.columns.len();
    if n == 0 {
        return;
    }
    let size = if n >= TABLE_WIDE_COLUMNS { SIZE_TABLE_WIDE } else { SIZE_TABLE };
    let total = page.text_width();
    let inset = 2.0 * TABLE_INSET_X;
    // Columns of width 0 are as wide as their content (at most a quarter of
    // the line); the others share the rest by their weights.
    let auto: Vec<Option<f64>> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (c.width <= 0.0).then(|| {
                let cells = t.rows.iter().filter(|r| !r.group).filter_map(|r| r.cells.get(i));
                let content = cells
                    .flat_map(rich_text)
                    .map(|l| width(&l, size, false))
                    .chain(std::iter::once(width(&c.title, size, true)))
                    .fold(0.0, f64::max);
                (content + inset + 1.0).min(f64::from(total as i32) / 20.0 / 4.0)
            })
        })
        .collect();
    let fixed: i64 = auto.iter().flatten().map(|w| tw(*w)).sum();
    let weights: f64 = t.columns.iter().filter(|c| c.width > 0.0).map(|c| c.width).sum();
    let rest = (total - fixed).max(0);
    let mut cols: Vec<i64> = t
        .columns
        .iter()
        .zip(&auto)
        .map(|(c, a)| match a {
            Some(w) => tw(*w),
            None if weights > 0.0 => (rest as f64 * c.width / weights).floor() as i64,
            None => 0,
        })
        .collect();
    // No column narrower than its longest word (Word would break the word;
    // Typst lets it overflow): the room comes from the columns with slack.
    let min: Vec<i64> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = t.rows.iter().filter(|r| !r.group).filter_map(|r| r.cells.get(i));
            let body = cells
                .flat_map(rich_text)
                .flat_map(|l| l.split_whitespace().map(|w| width(w, size, false)).collect::<Vec<_>>())
                .fold(0.0, f64::max);
            let title = c.title.split_whitespace().map(|w| width(w, size, true)).fold(0.0, f64::max);
            tw(body.max(title) + inset + 2.0)
        })
        .collect();
    let need: i64 = cols.iter().zip(&min).map(|(c, m)| (m - c).max(0)).sum();
    let slack: i64 = cols.iter().zip(&min).map(|(c, m)| (c - m).max(0)).sum();
    if need > 0 && slack > 0 {
        let share = (need as f64 / slack as f64).min(1.0);
        for (c, m) in cols.iter_mut().zip(&min) {
            if *c < *m {
                *c = *m;
            } else {
                *c -= ((*c - m) as f64 * share).ceil() as i64;
            }
        }
    }
    // Rounding: the last column takes what is left, so the table is exactly
    // as wide as the line.
    let sum: i64 = cols.iter().sum();
    if let Some(last) = cols.last_mut() {
        *last += total - sum;
    }

    let compact = P { style: Some("TableText"), ..P::default() };
    if let Some(caption) = t.caption.as_deref().filter(|c| !c.is_empty()) {
        P { jc: Some("center"), keep_next: true, ..compact.clone() }.text(out, caption, Fmt::size(SIZE_CAPTION).bold());
    }
    let f = Fmt::size(size);
    table_open(out, &cols, true, tw(TABLE_INSET_X), tw(TABLE_INSET_Y), "left");
    row_open(out, true, true, None);
    for (c, w) in t.columns.iter().zip(&cols) {
        cell_open(out, *w, 1, "center", None, false);
        P { jc: Some("center"), ..compact.clone() }.text(out, &c.title, f.bold());
        out.push_str("</w:tc>");
    }
    out.push_str("</w:tr>");
    let jc = |i: usize| match t.columns.get(i).map(|c| c.align) {
        Some("center") => "center",
        Some("right") => "right",
        _ => "left",
    };
    for r in &t.rows {
        table_row(out, r, &cols, f, &compact, &jc);
    }
    out.push_str("</w:tbl>");
    spacer(out, None);
}

fn table_row(out: &mut String, r: &Row, cols: &[i64], f: Fmt, compact: &P, jc: &dyn Fn(usize) -> &'static str) {
    let n = cols.len();
    let cell = |out: &mut String, rich: Option<&Rich>, width: i64, span: usize, jc: &str, f: Fmt, keep: bool| {
        cell_open(out, width, span, "center", None, false);
        let p = P { jc: Some(jc), keep_next: keep, ..compact.clone() };
        let lines: Vec<&Vec<crate::document::model::Run>> =
            rich.map(|r| r.iter().filter(|p| !p.is_empty()).collect()).unwrap_or_default();
        if lines.is_empty() {
            p.open(out);
            close_p(out);
        }
        for l in lines {
            p.open(out);
            runs(out, l, f, false);
            close_p(out);
        }
        out.push_str("</w:tc>");
    };
    if r.group {
        // A group row: its number, then its title across the other columns;
        // kept with the row below it.
        row_open(out, false, true, None);
        cell(out, r.cells.first(), cols[0], 1, jc(0), f.bold(), true);
        if n > 1 {
            cell(out, r.cells.get(1), cols[1..].iter().sum(), n - 1, "left", f.bold(), true);
        }
        out.push_str("</w:tr>");
        return;
    }
    let keep = r.cells.iter().all(|c| rich_len(c) <= ROW_UNBREAKABLE_MAX);
    let f = if r.bold { f.bold() } else { f };
    row_open(out, false, keep, None);
    for (i, w) in cols.iter().enumerate() {
        cell(out, r.cells.get(i), *w, 1, jc(i), f, false);
    }
    out.push_str("</w:tr>");
}

/// A number as printed in Vietnamese (decimal comma, one decimal at most).
fn vi_number(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}").replace('.', ",")
    }
}

/// The chart as a table of bars (editable: a bar is a shaded cell whose
/// width is its value): label | bar | value, then the axis and its ticks.
fn bar_chart(out: &mut String, c: &BarChart, page: Page) {
    let total = page.text_width();
    let w_pt = f64::from(total as i32) / 20.0;
    let f = Fmt::size(SIZE_TABLE);
    let compact = P { style: Some("TableText"), ..P::default() };
    P {
        before: Some(tw(CHART_GAP)),
        after: Some(tw(BAR_ROW_GAP)),
        keep_next: true,
        jc: Some("center"),
        ..compact.clone()
    }
    .text(out, &c.caption, Fmt::size(SIZE_CAPTION).bold());
    let max = if c.max > 0.0 { c.max } else { c.bars.iter().map(|b| b.value).fold(1.0, f64::max) };
    let unit = if !c.bars.is_empty() && c.bars.iter().all(|b| b.text.ends_with('%')) { "%" } else { "" };
    let gap = 6.0;
    let label_w =
        (c.bars.iter().map(|b| width(&b.label, SIZE_TABLE, false)).fold(1.0, f64::max) + 1.0).min(w_pt * BAR_LABEL_MAX);
    let value_w = c
        .bars
        .iter()
        .map(|b| width(&b.text, SIZE_TABLE, false))
        .fold(width(&format!("{}{unit}", vi_number(max)), SIZE_TABLE, false), f64::max)
        + gap;
    let area = (w_pt - label_w - gap - value_w).max(10.0);
    let x0 = label_w + gap;
    let t = |pt: f64| tw(pt).clamp(0, total);

    // Every row as segments [from, to) in twips; the grid has every boundary.
    struct Seg {
        from: i64,
        to: i64,
        text: String,
        jc: &'static str,
        fill: bool,
        rule: bool,
    }
    let seg = |from: i64, to: i64, text: &str, jc: &'static str| Seg {
        from,
        to,
        text: text.to_string(),
        jc,
        fill: false,
        rule: false,
    };
    let mut rows: Vec<(Vec<Seg>, i64)> = Vec::new();
    for (i, b) in c.bars.iter().enumerate() {
        let ratio = (b.value / max).clamp(0.0, 1.0);
        let end = t(x0 + area * ratio);
        let mut r = vec![seg(0, t(label_w), &b.label, "right"), seg(t(label_w), t(x0), "", "left")];
        if end > t(x0) {
            r.push(Seg { fill: true, ..seg(t(x0), end, "", "left") });
        }
        r.push(seg(end.max(t(x0)), total, &b.text, "left"));
        rows.push((r, tw(BAR_HEIGHT + 4.0)));
        if i + 1 < c.bars.len() {
            rows.push((vec![seg(0, total, "", "left")], tw(BAR_ROW_GAP)));
        }
    }
    // The axis: a line under the bars' area.
    rows.push((
        vec![
            seg(0, t(x0), "", "left"),
            Seg { rule: true, ..seg(t(x0), t(x0 + area), "", "left") },
            seg(t(x0 + area), total, "", "left"),
        ],
        tw(BAR_ROW_GAP / 2.0),
    ));
    // Tick labels centred under 0, ¼, ½, ¾ and all of the area.
    let half = area / 8.0;
    let mut ticks = Vec::new();
    let mut at = 0;
    for k in 0..=4 {
        let centre = x0 + area * f64::from(k) / 4.0;
        let (from, to) = (t(centre - half).max(at), t(centre + half));
        if from > at {
            ticks.push(seg(at, from, "", "left"));
        }
        ticks.push(seg(from, to, &format!("{}{unit}", vi_number(max * f64::from(k) / 4.0)), "center"));
        at = to;
    }
    if at < total {
        ticks.push(seg(at, total, "", "left"));
    }
    rows.push((ticks, 0));

    let mut bounds: Vec<i64> = rows.iter().flat_map(|(r, _)| r.iter().flat_map(|s| [s.from, s.to])).collect();
    bounds.push(0);
    bounds.push(total);
    bounds.sort_unstable();
    bounds.dedup();
    let cols: Vec<i64> = bounds.windows(2).map(|w| w[1] - w[0]).filter(|w| *w > 0).collect();
    table_open(out, &cols, false, 0, 0, "left");
    let n_rows = rows.len();
    for (ri, (r, h)) in rows.iter().enumerate() {
        let height = if *h > 0 { Some((*h, "exact")) } else { None };
        row_open(out, false, true, height);
        for s in r.iter().filter(|s| s.to > s.from) {
            let span = bounds.iter().filter(|b| **b > s.from && **b <= s.to).count().max(1);
            cell_open(out, s.to - s.from, span, "center", s.fill.then_some(BAR_FILL), s.rule);
            let last = ri + 1 == n_rows;
            let p = P {
                jc: Some(s.jc),
                keep_next: !last,
                left: (s.jc == "left" && !s.text.is_empty()).then_some(tw(3.0)),
                right: (s.jc == "right").then_some(0),
                mark: if *h > 0 && s.text.is_empty() { Some(1.0) } else { None },
                ..compact.clone()
            };
            p.text(out, &s.text, f);
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    P { exact: Some(tw(CHART_GAP)), mark: Some(1.0), ..compact.clone() }.open(out);
    close_p(out);
}

// ---------------------------------------------------------------------------
// Signature and Nơi nhận
// ---------------------------------------------------------------------------

fn signature(out: &mut String, ky: &Signature, noi_nhan: &[String], page: Page) {
    let total = page.text_width();
    let left = (total as f64 * SIGN_LEFT).round() as i64;
    let right = total - left;
    table_open(out, &[left, right], false, 0, 0, "left");
    row_open(out, false, true, None);
    cell_open(out, left, 1, "top", None, false);
    let above = P { style: Some("Compact"), before: Some(tw(SIGN_ABOVE)), ..P::default() };
    if noi_nhan.is_empty() {
        above.open(out);
        close_p(out);
    } else {
        above.text(out, "Nơi nhận:", Fmt::size(SIZE_NOI_NHAN_LABEL).bold().italic());
        for n in noi_nhan {
            P { style: Some("Compact"), ..P::default() }.text(out, &format!("- {n}"), Fmt::size(SIZE_NOI_NHAN));
        }
    }
    out.push_str("</w:tc>");
    cell_open(out, right, 1, "top", None, false);
    let lines: Vec<String> =
        ky.quyen_han.iter().chain(std::iter::once(&ky.chuc_vu)).filter(|s| !s.is_empty()).map(|s| hoa(s)).collect();
    let f = Fmt::size(SIZE_SIGN).bold();
    for (i, l) in lines.iter().enumerate() {
        let p = P { jc: Some("center"), keep_next: true, ..above.clone() };
        let p = if i == 0 { p } else { P { before: None, ..p } };
        p.text(out, l, f);
    }
    let name = P {
        style: Some("Compact"),
        jc: Some("center"),
        before: Some(tw(mm(SIGN_ROOM_MM)) + if lines.is_empty() { tw(SIGN_ABOVE) } else { 0 }),
        ..P::default()
    };
    name.text(out, &ky.nguoi_ky, f);
    out.push_str("</w:tc></w:tr></w:tbl>");
}

// ---------------------------------------------------------------------------
// Appendix
// ---------------------------------------------------------------------------

fn kem_theo(k: &KemTheo) -> String {
    let so = k.so.clone().unwrap_or_else(|| room(cm(ROOM_CM), SIZE_APPENDIX));
    let ngay = match &k.ngay {
        Some(n) => n.clone(),
        None => {
            let r = room(cm(ROOM_SHORT_CM), SIZE_APPENDIX);
            format!("{r}/{r}/{}", k.nam)
        }
    };
    format!("(Kèm theo {} số {so}/{} ngày {ngay} của {})", k.loai, k.ky_hieu, k.co_quan)
}

fn appendix(out: &mut String, a: &Appendix, page: Page) {
    let p = P { style: Some("Compact"), jc: Some("center"), keep_next: true, ..P::default() };
    let f = Fmt::size(SIZE_APPENDIX);
    p.open(out);
    run(out, &a.label, f.bold());
    br(out);
    run(out, &hoa(&a.title), f.bold());
    br(out);
    run(out, &kem_theo(&a.kem_theo), f.italic());
    close_p(out);
    P { style: Some("Compact"), exact: Some(tw(TITLE_BELOW)), mark: Some(1.0), ..P::default() }.open(out);
    close_p(out);
    let body: Vec<&Block> = a.body.iter().filter(|b| !matches!(b, Block::AppendixRef { .. })).collect();
    for b in body {
        block(out, b, page, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_labels() {
        assert_eq!(number_label(Some("I.")).as_deref(), Some("I. "));
        assert_eq!(number_label(Some("a)")).as_deref(), Some("a) "));
        assert_eq!(number_label(Some("1")).as_deref(), Some("1. "));
        assert_eq!(number_label(Some("")), None);
        assert_eq!(vi_number(62.5), "62,5");
        assert_eq!(vi_number(100.0), "100");
    }

    #[test]
    fn room_is_spaces_of_the_width_asked() {
        let r = room(cm(ROOM_CM), SIZE_SO);
        assert!(r.chars().all(|c| c == ' '));
        assert!(r.len() as f64 * 0.25 * SIZE_SO >= cm(ROOM_CM));
    }
}
