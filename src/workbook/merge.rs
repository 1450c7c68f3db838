//! Merged cells, read the way a reader of the sheet sees them.
//!
//! calamine gives a merged region's value only to its top-left cell. Offices
//! merge constantly, so the grid keeps the regions and applies them:
//! - a value merged down repeats in every row of the merge (a `Căn cứ`
//!   label over two ThongTin rows, `Mục tiêu` or `Chủ trì` over several
//!   tasks) — [`fill_down`];
//! - a header merged across columns heads each of them and combines with
//!   the header row below it (two-row headers) — [`header_cells`];
//! - a row whose text is one merge across the table is a group row, not a
//!   task ([`Merges::spanning`], used by the NhiemVu reader).
//!
//! Regions come from calamine for xlsx and xls; for ods calamine gives none,
//! so [`ods_regions`] reads `table:number-columns-spanned` /
//! `number-rows-spanned` from `content.xml` (bounded).

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use calamine::Data;

use crate::workbook::read::Grid;
use crate::workbook::schema::{self, SheetKind};

/// Most regions kept per sheet, and most cells they may cover in all: a
/// stray merge of a whole column must not make millions of entries.
const MAX_REGIONS: usize = 20_000;
const MAX_COVERED: u64 = 400_000;
/// Largest `content.xml` read for merges (a plan's is well under 10 MB).
const MAX_ODS_XML: u64 = 200 * 1024 * 1024;

/// One merged region, zero-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

impl Region {
    /// Number of rows merged.
    pub fn rows(&self) -> u32 {
        self.last_row - self.first_row + 1
    }
    /// Number of columns merged.
    pub fn cols(&self) -> u32 {
        self.last_col - self.first_col + 1
    }
    fn cells(&self) -> u64 {
        u64::from(self.rows()) * u64::from(self.cols())
    }
}

/// The merged regions of one sheet, with an index from every covered cell.
#[derive(Debug, Default)]
pub struct Merges {
    regions: Vec<Region>,
    at: HashMap<(u32, u32), usize>,
}

impl Merges {
    /// Indexes the regions (single cells and oversized regions are dropped).
    pub fn new(regions: impl IntoIterator<Item = Region>) -> Merges {
        let mut m = Merges::default();
        let mut covered = 0u64;
        for r in regions {
            if r.last_row < r.first_row || r.last_col < r.first_col || r.cells() < 2 {
                continue;
            }
            if m.regions.len() >= MAX_REGIONS || covered + r.cells() > MAX_COVERED {
                continue;
            }
            // Overlapping merges are not valid in any writer; keep the first.
            let overlaps = (r.first_row..=r.last_row)
                .any(|row| (r.first_col..=r.last_col).any(|col| m.at.contains_key(&(row, col))));
            if overlaps {
                continue;
            }
            covered += r.cells();
            let i = m.regions.len();
            m.regions.push(r);
            for row in r.first_row..=r.last_row {
                for col in r.first_col..=r.last_col {
                    m.at.insert((row, col), i);
                }
            }
        }
        m
    }

    /// Whether the sheet has no merges.
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// The region a cell lies in, if merged.
    pub fn region(&self, row: u32, col: u32) -> Option<&Region> {
        self.at.get(&(row, col)).map(|&i| &self.regions[i])
    }

    /// The top-left cell of the merge a cell lies in (the cell itself when
    /// not merged): where the user typed the value.
    pub fn origin(&self, row: u32, col: u32) -> (u32, u32) {
        self.region(row, col).map_or((row, col), |r| (r.first_row, r.first_col))
    }

    /// Whether the cell is a lower row of a vertical merge (its value repeats
    /// the one above).
    pub fn is_continued(&self, row: u32, col: u32) -> bool {
        self.region(row, col).is_some_and(|r| r.first_row < row)
    }

    /// The region starting at this cell that spans several columns.
    pub fn spanning(&self, row: u32, col: u32) -> Option<&Region> {
        self.region(row, col).filter(|r| r.first_row == row && r.first_col == col && r.cols() > 1)
    }
}

/// Regions from calamine's dimensions.
pub fn from_dimensions(dims: &[calamine::Dimensions]) -> Vec<Region> {
    dims.iter()
        .map(|d| Region { first_row: d.start.0, first_col: d.start.1, last_row: d.end.0, last_col: d.end.1 })
        .collect()
}

/// Repeats each merge's top-left value down its first column: the lower rows
/// of a vertical merge hold the value a reader sees there.
pub fn fill_down(cells: &mut BTreeMap<(u32, u32), Data>, merges: &Merges) {
    for r in merges.regions.iter().filter(|r| r.rows() > 1) {
        let Some(value) = cells.get(&(r.first_row, r.first_col)).cloned() else {
            continue;
        };
        for row in r.first_row + 1..=r.last_row {
            // A value hidden under the merge (typed before merging) is not
            // what the reader sees either.
            cells.insert((row, r.first_col), value.clone());
        }
    }
}

/// The merged regions of one sheet of an `.ods` file, from its
/// `content.xml`; none when the file cannot be read that way (calamine has
/// already read the cells, so this only loses the merges).
pub fn ods_regions(bytes: &[u8], sheet: &str) -> Vec<Region> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let Ok(file) = zip.by_name("content.xml") else {
        return Vec::new();
    };
    let mut xml = Vec::new();
    if file.take(MAX_ODS_XML).read_to_end(&mut xml).is_err() {
        return Vec::new();
    }
    ods_regions_xml(&xml, sheet)
}

fn attr_num(e: &quick_xml::events::BytesStart<'_>, name: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

/// Walks the named table's rows and cells, counting repeats, and records
/// every cell that spans rows or columns.
fn ods_regions_xml(xml: &[u8], sheet: &str) -> Vec<Region> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut regions = Vec::new();
    let mut in_table = false;
    let mut depth_in_cell = 0u32;
    let (mut row, mut col) = (0u64, 0u64);
    let mut row_repeat = 1u64;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(_) => return regions,
        };
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = e.local_name();
            match name.as_ref() {
                "table" if !empty && !in_table => {
                    let this = e.attributes().flatten().find(|a| a.key.local_name().as_ref() == "name").and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned())
                    });
                    if this.as_deref() == Some(sheet) {
                        in_table = true;
                        row = 0;
                    }
                }
                "table" if !empty && in_table => depth_in_cell += 1, // a nested table: skip its rows
                "table-row" if in_table && depth_in_cell == 0 => {
                    col = 0;
                    row_repeat = attr_num(&e, "number-rows-repeated");
                    if empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                "table-cell" | "covered-table-cell" if in_table && depth_in_cell == 0 => {
                    let repeat = attr_num(&e, "number-columns-repeated");
                    let cols = attr_num(&e, "number-columns-spanned");
                    let rows = attr_num(&e, "number-rows-spanned");
                    if name.as_ref() == "table-cell" && (cols > 1 || rows > 1) && regions.len() < MAX_REGIONS {
                        let fits = |v: u64| u32::try_from(v).ok();
                        if let (Some(r0), Some(c0), Some(r1), Some(c1)) =
                            (fits(row), fits(col), fits(row + rows - 1), fits(col + cols - 1))
                        {
                            regions.push(Region { first_row: r0, first_col: c0, last_row: r1, last_col: c1 });
                        }
                    }
                    col = col.saturating_add(repeat);
                    if !empty {
                        depth_in_cell += 1;
                    }
                }
                _ => {}
            }
        } else if let Event::End(e) = &event {
            match e.local_name().as_ref() {
                "table" if in_table && depth_in_cell == 0 => return regions,
                "table" if in_table => depth_in_cell = depth_in_cell.saturating_sub(1),
                "table-cell" | "covered-table-cell" if in_table && depth_in_cell > 0 => depth_in_cell -= 1,
                "table-row" if in_table && depth_in_cell == 0 => row = row.saturating_add(row_repeat),
                _ => {}
            }
        } else if let Event::Eof = event {
            return regions;
        }
    }
}

/// The header of a table, as read over one or two rows: `(column, text as
/// written, text to match)`, left to right, and the last header row.
///
/// A header row with a cell merged across columns (`Nội dung thực hiện`
/// over `Mục tiêu` / `Nhiệm vụ`) or merged down over the next row (`STT`)
/// continues on the row below; each column then takes the lower text when
/// it names a known column, else the upper one. Metric headers with a year
/// (`Kết quả⏎năm 2020`, `Mục tiêu⏎năm 2021`) are matched as last year's
/// result or this year's target when the years say so.
pub fn header_cells(grid: &Grid, kind: SheetKind, row: u32) -> (u32, Vec<(u32, String, String)>) {
    let upper: Vec<(u32, String)> =
        grid.row_cols(row).into_iter().filter_map(|c| grid.plain_text(row, c).map(|t| (c, t))).collect();
    let m = &grid.merges;
    let known = |t: &str| {
        schema::column(kind, t).is_some()
            || (kind == SheetKind::Metrics && year_suffix(t).is_some_and(|(h, _)| schema::column(kind, &h).is_some()))
    };
    // The row below continues the header only if it names a known column
    // itself (not a first task under a header merged over two columns).
    let lower_is_header = grid
        .row_cols(row + 1)
        .into_iter()
        .any(|c| !m.is_continued(row + 1, c) && grid.plain_text(row + 1, c).is_some_and(|t| known(&t)));
    let two_rows = !m.is_empty()
        && lower_is_header
        && upper.iter().any(|&(c, _)| {
            m.region(row, c).is_some_and(|r| {
                (r.cols() > 1 && (r.first_col..=r.last_col).any(|cc| !grid.is_blank(row + 1, cc)))
                    || (r.first_row == row && r.last_row > row)
            })
        });
    let mut cells: Vec<(u32, String)> = Vec::new();
    if two_rows {
        let lower: BTreeMap<u32, String> = grid
            .row_cols(row + 1)
            .into_iter()
            .filter(|&c| !m.is_continued(row + 1, c))
            .filter_map(|c| grid.plain_text(row + 1, c).map(|t| (c, t)))
            .collect();
        // Every column under the upper row, its spans included.
        let mut cols: Vec<u32> = Vec::new();
        for &(c, _) in &upper {
            let last = m.spanning(row, c).map_or(c, |r| r.last_col);
            cols.extend(c..=last);
        }
        cols.extend(lower.keys().copied());
        cols.sort_unstable();
        cols.dedup();
        for c in cols {
            let (r0, c0) = m.origin(row, c);
            let up = if r0 == row { grid.plain_text(row, c0) } else { None };
            let text = match (lower.get(&c), up) {
                (Some(lo), Some(up)) => {
                    if known(lo) || !known(&up) {
                        lo.clone()
                    } else {
                        up
                    }
                }
                (Some(lo), None) => lo.clone(),
                (None, Some(up)) => up,
                (None, None) => continue,
            };
            cells.push((c, text));
        }
    } else {
        cells = upper;
    }
    let header_row = if two_rows { row + 1 } else { row };
    let out = if kind == SheetKind::Metrics {
        let years: Vec<i32> = cells.iter().filter_map(|(_, t)| year_suffix(t).map(|(_, y)| y)).collect();
        let year = grid.plan_year.or_else(|| years.iter().copied().max());
        cells
            .into_iter()
            .map(|(c, t)| {
                let matched = year.and_then(|y| metric_year_header(&t, y)).unwrap_or_else(|| t.clone());
                (c, t, matched)
            })
            .collect()
    } else {
        cells.into_iter().map(|(c, t)| (c, t.clone(), t)).collect()
    };
    (header_row, out)
}

/// `Kết quả⏎năm 2020` → (`Kết quả`, 2020); `Mục tiêu 2021` → (`Mục tiêu`, 2021).
fn year_suffix(text: &str) -> Option<(String, i32)> {
    let t = text.trim().trim_end_matches([')', ':', '.']).trim_end();
    let digits: String = t.chars().rev().take_while(char::is_ascii_digit).collect();
    if digits.len() != 4 {
        return None;
    }
    let year: i32 = digits.chars().rev().collect::<String>().parse().ok()?;
    let mut head = t[..t.len() - 4].trim_end().trim_end_matches(['(', '/', '-']).trim_end();
    for word in ["năm", "Năm", "NĂM"] {
        if let Some(h) = head.strip_suffix(word) {
            head = h.trim_end();
        }
    }
    let head = head.trim_end_matches(['(', ',', '-']).trim_end();
    if head.is_empty() {
        return None;
    }
    Some((head.to_string(), year))
}

/// A metric header with a year, as the canonical header it stands for in a
/// plan of `plan_year`; `None` when it has no year or the year says nothing.
fn metric_year_header(text: &str, plan_year: i32) -> Option<String> {
    let (head, year) = year_suffix(text)?;
    let col = schema::column(SheetKind::Metrics, &head)?.col;
    use crate::workbook::schema::Col;
    let canonical = |c: Col| SheetKind::Metrics.spec().column(c).map(|s| s.name.to_string());
    match col {
        Col::MetricResult | Col::LastYear if year == plan_year - 1 => canonical(Col::LastYear),
        Col::LastRank if year == plan_year - 1 => canonical(Col::LastRank),
        Col::MetricResult if year == plan_year => canonical(Col::MetricResult),
        Col::MetricTarget if year == plan_year => canonical(Col::MetricTarget),
        _ => None,
    }
}

/// A numbering marker typed in front of a group title (`I.`, `1.`, `A.`,
/// `II -`), removed since vanban numbers groups itself.
pub fn strip_group_marker(title: &str) -> &str {
    let t = title.trim_start();
    let marker_len = t.chars().take_while(|c| c.is_ascii_digit() || matches!(c, 'I' | 'V' | 'X' | 'L')).count();
    let single_letter = marker_len == 0 && t.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    let n = if single_letter { 1 } else { marker_len };
    if n == 0 {
        return title;
    }
    let rest = t[n..].trim_start();
    let after = rest.trim_start_matches(['.', ')', '-', '–', ':']);
    // Only a marker followed by punctuation and a space: `I. CÔNG TÁC`, not `IV` in `IVAN`
    // nor `1` in `100% TTHC`.
    if after.len() == rest.len() || !after.starts_with(char::is_whitespace) {
        return title;
    }
    after.trim_start()
}

/// Whether a typed number reads as a group's (a Roman numeral or a single
/// capital letter: `I`, `II.`, `A`), rather than a task's.
pub fn is_group_number(stt: &str) -> bool {
    let s = stt.trim().trim_end_matches(['.', ')']);
    !s.is_empty()
        && (s.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
            || (s.chars().count() == 1 && s.chars().all(|c| c.is_ascii_uppercase())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(r0: u32, c0: u32, r1: u32, c1: u32) -> Region {
        Region { first_row: r0, first_col: c0, last_row: r1, last_col: c1 }
    }

    #[test]
    fn index_and_fill() {
        let m = Merges::new([reg(0, 0, 2, 0), reg(0, 1, 0, 3), reg(5, 5, 5, 5), reg(0, 0, 1, 1)]);
        assert_eq!(m.regions.len(), 2, "single cell and overlapping merges dropped");
        assert_eq!(m.origin(2, 0), (0, 0));
        assert_eq!(m.origin(4, 4), (4, 4));
        assert!(m.is_continued(1, 0));
        assert!(!m.is_continued(0, 0));
        assert!(m.spanning(0, 1).is_some());
        assert!(m.spanning(0, 2).is_none());
        let mut cells = BTreeMap::new();
        cells.insert((0, 0), Data::String("Căn cứ".into()));
        fill_down(&mut cells, &m);
        assert_eq!(cells.get(&(2, 0)), Some(&Data::String("Căn cứ".into())));
        assert_eq!(cells.len(), 3);
    }

    #[test]
    fn huge_merges_are_bounded() {
        let m = Merges::new([reg(0, 0, 1_048_575, 16_383), reg(0, 0, 1, 0)]);
        assert_eq!(m.regions.len(), 1);
    }

    #[test]
    fn ods_spans() {
        let xml = br#"<office:document-content xmlns:table="t" xmlns:office="o"><office:body><office:spreadsheet>
            <table:table table:name="Other"><table:table-row><table:table-cell table:number-columns-spanned="5"/></table:table-row></table:table>
            <table:table table:name="NhiemVu">
              <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
              <table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>STT</text:p></table:table-cell>
                <table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="1"/><table:covered-table-cell/></table:table-row>
              <table:table-row><table:covered-table-cell/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        assert_eq!(ods_regions_xml(xml, "NhiemVu"), vec![reg(2, 0, 3, 0), reg(2, 3, 2, 4)]);
        assert!(ods_regions(b"not a zip", "NhiemVu").is_empty());
    }

    #[test]
    fn year_headers() {
        assert_eq!(year_suffix("Kết quả\nnăm 2020"), Some(("Kết quả".into(), 2020)));
        assert_eq!(year_suffix("Mục tiêu (2021)"), Some(("Mục tiêu".into(), 2021)));
        assert_eq!(year_suffix("2021"), None);
        assert_eq!(metric_year_header("Kết quả\nnăm 2020", 2021).as_deref(), Some("Kết quả năm trước"));
        assert_eq!(metric_year_header("Điểm đạt năm 2020", 2021).as_deref(), Some("Kết quả năm trước"));
        assert_eq!(metric_year_header("Mục tiêu\nnăm 2021", 2021).as_deref(), Some("Mục tiêu"));
        assert_eq!(metric_year_header("Kết quả năm 2021", 2021).as_deref(), Some("Kết quả"));
        assert_eq!(metric_year_header("Xếp hạng năm 2020", 2021).as_deref(), Some("Xếp hạng năm trước"));
        // Years that say nothing about this plan: not matched.
        assert_eq!(metric_year_header("Mục tiêu năm 2025", 2021), None);
        assert_eq!(metric_year_header("Kết quả năm 2018", 2021), None);
    }

    #[test]
    fn group_markers() {
        assert_eq!(strip_group_marker("I. CÔNG TÁC CHỈ ĐẠO"), "CÔNG TÁC CHỈ ĐẠO");
        assert_eq!(strip_group_marker("II - CẢI CÁCH"), "CẢI CÁCH");
        assert_eq!(strip_group_marker("1. Cải cách"), "Cải cách");
        assert_eq!(strip_group_marker("A. Nhóm"), "Nhóm");
        assert_eq!(strip_group_marker("100% TTHC"), "100% TTHC");
        assert_eq!(strip_group_marker("IVAN"), "IVAN");
        assert_eq!(strip_group_marker("CÔNG TÁC"), "CÔNG TÁC");
        assert!(is_group_number("II"));
        assert!(is_group_number("IV."));
        assert!(is_group_number("A"));
        assert!(!is_group_number("1"));
        assert!(!is_group_number("1.2"));
    }
}
