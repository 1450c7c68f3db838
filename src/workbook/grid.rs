//! One sheet's cells by absolute (row, col), and the typed cell readers
//! (text, number, date, percentage, month) that report a problem at its A1
//! cell.

use std::collections::{BTreeMap, HashMap, HashSet};

use calamine::{Data, Range};

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::vi::date::Date;
use crate::vi::fold::nfc;
use crate::vi::parse::{parse_date, parse_number, DateError};
use crate::workbook::formats::{self, Shown};
use crate::workbook::merge;
use crate::workbook::model::{DateCell, NumberCell, Text};

static EMPTY: Data = Data::Empty;

/// One sheet's non-empty cells, by absolute zero-based (row, col).
pub struct Grid {
    /// The sheet's name as written in the file.
    pub sheet: String,
    pub(super) cells: BTreeMap<(u32, u32), Data>,
    pub(super) formulas: BTreeMap<(u32, u32), String>,
    /// Numeric cells formatted as a percentage (85% stored as 0.85).
    pub(super) percent: HashSet<(u32, u32)>,
    /// Date cells formatted to show only a month (`"Tháng "m/yyyy`), with the format code.
    pub(super) months: HashMap<(u32, u32), String>,
    /// Whether cell formats were read at all (xlsx); else `percent` is empty
    /// for want of information, not because no cell is a percentage.
    pub has_styles: bool,
    /// Merged regions (merge.rs); values merged down are already filled in.
    pub merges: merge::Merges,
    /// The plan's year, when known before this sheet is read (year-suffixed
    /// ChiSo headers).
    pub plan_year: Option<i32>,
}

impl Grid {
    pub(super) fn empty(sheet: &str) -> Grid {
        Grid {
            sheet: sheet.to_string(),
            cells: BTreeMap::new(),
            formulas: BTreeMap::new(),
            percent: HashSet::new(),
            months: HashMap::new(),
            has_styles: false,
            merges: merge::Merges::default(),
            plan_year: None,
        }
    }

    /// Number formats read beside calamine (.ods, .xls): a number shown as a
    /// percentage, a date shown as a month.
    pub(super) fn set_shown(&mut self, cells: Vec<formats::ShownCell>) {
        for (pos, shown) in cells {
            match (shown, self.cells.get(&pos)) {
                (Shown::Percent, Some(Data::Int(_) | Data::Float(_))) => {
                    self.percent.insert(pos);
                }
                (
                    Shown::Month(code),
                    Some(Data::DateTime(_) | Data::DateTimeIso(_) | Data::Int(_) | Data::Float(_)),
                ) => {
                    self.months.insert(pos, code);
                }
                _ => {}
            }
        }
    }

    /// Keeps the sheet's merged regions and repeats values merged down.
    pub fn set_merges(&mut self, regions: Vec<merge::Region>) {
        self.merges = merge::Merges::new(regions);
        merge::fill_down(&mut self.cells, &self.merges);
    }

    /// A grid from calamine ranges (positions made absolute).
    pub fn from_ranges(sheet: &str, data: &Range<Data>, formulas: Option<&Range<String>>) -> Grid {
        let mut grid = Grid::empty(sheet);
        if let Some((r0, c0)) = data.start() {
            for (r, c, v) in data.used_cells() {
                grid.cells.insert((r0 + r as u32, c0 + c as u32), v.clone());
            }
        }
        if let Some((r0, c0)) = formulas.and_then(|f| f.start()) {
            for (r, c, f) in formulas.iter().flat_map(|f| f.used_cells()) {
                if !f.trim().is_empty() {
                    grid.formulas.insert((r0 + r as u32, c0 + c as u32), f.clone());
                }
            }
        }
        grid
    }

    /// Rows holding a value or a formula, top to bottom.
    pub fn used_rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.keys().chain(self.formulas.keys()).map(|p| p.0).collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// Columns holding a value or a formula in a row, left to right.
    pub fn row_cols(&self, row: u32) -> Vec<u32> {
        let range = (row, 0)..=(row, u32::MAX);
        let mut cols: Vec<u32> = self
            .cells
            .range(range.clone())
            .map(|(p, _)| p.1)
            .chain(self.formulas.range(range).map(|(p, _)| p.1))
            .collect();
        cols.sort_unstable();
        cols.dedup();
        cols
    }

    /// Leftmost used column (0 for an empty sheet).
    pub fn first_col(&self) -> u32 {
        self.cells.keys().chain(self.formulas.keys()).map(|p| p.1).min().unwrap_or(0)
    }

    pub fn get(&self, row: u32, col: u32) -> &Data {
        self.cells.get(&(row, col)).unwrap_or(&EMPTY)
    }

    fn formula(&self, row: u32, col: u32) -> Option<&str> {
        self.formulas.get(&(row, col)).map(String::as_str)
    }

    /// Whether the cell is formatted as a percentage (`85%` stored as 0.85).
    pub fn is_percent(&self, row: u32, col: u32) -> bool {
        self.percent.contains(&(row, col))
    }

    pub fn loc(&self, row: u32, col: u32) -> Loc {
        // A merged cell is where its value was typed: the merge's top-left.
        let (row, col) = self.merges.origin(row, col);
        Loc::cell(self.sheet.clone(), row, col)
    }

    /// Whether the cell holds nothing (a formula with no value is not blank).
    pub fn is_blank(&self, row: u32, col: u32) -> bool {
        match self.get(row, col) {
            Data::Empty => self.formula(row, col).is_none(),
            Data::String(s) => clean_text(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as display text, with no diagnostics (for header matching).
    pub fn plain_text(&self, row: u32, col: u32) -> Option<String> {
        display_text(self.get(row, col)).filter(|s| !s.is_empty())
    }

    /// Reports the problems every reader shares: an Excel error value, a
    /// formula with no computed value. Returns true when the cell is unusable.
    fn check_broken(&self, row: u32, col: u32, diags: &mut Diagnostics) -> bool {
        match self.get(row, col) {
            Data::Error(e) => {
                diags.push(
                    Diagnostic::error(Code::LoiExcel, self.loc(row, col), format!("ô có lỗi Excel {e}"))
                        .hint("sửa công thức (hoặc nhập thẳng giá trị) để ô không còn lỗi"),
                );
                true
            }
            Data::Empty => match self.formula(row, col) {
                Some(f) => {
                    diags.push(
                        Diagnostic::error(
                            Code::CongThucChuaTinh,
                            self.loc(row, col),
                            format!("công thức «={f}» chưa có giá trị đã tính"),
                        )
                        .hint("mở tệp bằng Excel/LibreOffice, lưu lại (để công thức được tính) rồi chạy lại"),
                    );
                    true
                }
                None => false,
            },
            _ => false,
        }
    }

    /// A text cell: trimmed, NFC, line breaks as `\n`; numbers and dates as
    /// their text. `None` when blank or broken (broken cells are reported).
    pub fn text(&self, row: u32, col: u32, diags: &mut Diagnostics) -> Option<Text> {
        if self.check_broken(row, col, diags) {
            return None;
        }
        self.shown(row, col).filter(|s| !s.is_empty()).map(|text| Text { text, loc: self.loc(row, col) })
    }

    /// What the cell shows: as [`display_text`], except that a
    /// percent-formatted number is a percentage (0.5 → `50%`) and a date
    /// formatted as a month is that month as Excel shows it (`Tháng 9/2021`).
    fn shown(&self, row: u32, col: u32) -> Option<String> {
        let value = self.get(row, col);
        if self.is_percent(row, col) {
            if let Some(v) = numeric(value) {
                return Some(crate::vi::number::format_percent((v * 100.0 * 1e9).round() / 1e9));
            }
        }
        if let Some(code) = self.months.get(&(row, col)) {
            let date = match value {
                Data::DateTime(dt) if dt.as_f64() >= 1.0 => {
                    let (y, m, d, ..) = dt.to_ymd_hms_milli();
                    Date::new(i32::from(y), m, d)
                }
                Data::Int(_) | Data::Float(_) => numeric(value).and_then(Date::from_excel_serial),
                Data::DateTimeIso(s) => parse_date(s).ok(),
                _ => None,
            };
            if let Some(d) = date {
                return Some(formats::show_month(code, d.year, d.month));
            }
        }
        display_text(value)
    }

    /// A number cell: numeric, or text with a decimal comma. Reports text
    /// that is no number.
    pub fn number(&self, row: u32, col: u32, header: &str, diags: &mut Diagnostics) -> Option<NumberCell> {
        if self.check_broken(row, col, diags) {
            return None;
        }
        let loc = self.loc(row, col);
        let value = match self.get(row, col) {
            Data::Empty => return None,
            Data::Int(i) => *i as f64,
            Data::Float(f) => *f,
            Data::DateTime(dt) if dt.is_duration() => dt.as_f64(),
            Data::DateTime(_) | Data::DateTimeIso(_) => {
                diags.push(
                    Diagnostic::error(
                        Code::KhongPhaiSo,
                        loc,
                        format!("cột «{header}» cần một số, ô lại là ngày tháng"),
                    )
                    .hint("định dạng ô là Number (hoặc General) rồi nhập lại số, ví dụ 10,5"),
                );
                return None;
            }
            other => {
                let text = display_text(other).unwrap_or_default();
                if text.is_empty() {
                    return None;
                }
                match parse_number(&text) {
                    Some(v) => v,
                    None => {
                        diags.push(
                            Diagnostic::error(
                                Code::KhongPhaiSo,
                                loc,
                                format!("cột «{header}» cần một số, ô ghi «{text}»"),
                            )
                            .hint("ghi số, dùng dấu phẩy thập phân: 10,5"),
                        );
                        return None;
                    }
                }
            }
        };
        Some(NumberCell { value, loc: self.loc(row, col) })
    }

    /// A date cell: a date-formatted cell or text `dd/mm/yyyy` (and the other
    /// accepted forms). Reports text that is no date and impossible dates.
    pub fn date(&self, row: u32, col: u32, header: &str, diags: &mut Diagnostics) -> Option<DateCell> {
        match self.date_or_text(row, col, header, diags)? {
            DateOrText::Date(date) => Some(DateCell { date, loc: self.loc(row, col) }),
            DateOrText::Text(_) => None,
        }
    }

    /// Like [`Grid::date`], also giving the text as written (for ThongTin's
    /// `Ngày ban hành`, whose text is kept).
    pub fn date_or_text(&self, row: u32, col: u32, header: &str, diags: &mut Diagnostics) -> Option<DateOrText> {
        if self.check_broken(row, col, diags) {
            return None;
        }
        let loc = self.loc(row, col);
        let parsed = match self.get(row, col) {
            Data::Empty => return None,
            Data::DateTime(dt) if dt.is_datetime() && dt.as_f64() >= 1.0 => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                Date::new(i32::from(y), m, d).ok_or(DateError::Impossible)
            }
            // A plain number in a date column: an Excel serial when it falls
            // in a plausible range (1954–2119), else not a date.
            Data::Int(_) | Data::Float(_) => {
                let v = match self.get(row, col) {
                    Data::Int(i) => *i as f64,
                    Data::Float(f) => *f,
                    _ => 0.0,
                };
                if (20_000.0..80_000.0).contains(&v) {
                    Date::from_excel_serial(v).ok_or(DateError::Impossible)
                } else {
                    Err(DateError::NotADate)
                }
            }
            other => {
                let text = display_text(other).unwrap_or_default();
                if text.is_empty() {
                    return None;
                }
                parse_date(&text)
            }
        };
        let written = display_text(self.get(row, col)).unwrap_or_default();
        match parsed {
            Ok(date) => Some(DateOrText::Date(date)),
            Err(DateError::Impossible) => {
                diags.push(
                    Diagnostic::error(Code::NgaySai, loc, format!("ngày «{written}» ở cột «{header}» không có thật"))
                        .hint("sửa lại ngày, tháng (ghi dd/mm/yyyy, ví dụ 05/01/2023)"),
                );
                None
            }
            Err(DateError::NotADate) => {
                diags.push(
                    Diagnostic::error(
                        Code::KhongPhaiNgay,
                        loc,
                        format!("cột «{header}» cần một ngày, ô ghi «{written}»"),
                    )
                    .hint("ghi ngày dạng dd/mm/yyyy, ví dụ 05/01/2023, hoặc định dạng ô là Date"),
                );
                Some(DateOrText::Text(written))
            }
        }
    }
}

/// A date read, or the text of a cell that was not a date (already reported).
pub enum DateOrText {
    Date(Date),
    Text(String),
}

/// Text cleanup: CR/LF → `\n`, no trailing spaces on lines, trimmed
/// (zero-width spaces and BOMs too), NFC.
pub fn clean_text(s: &str) -> String {
    // A tab between words is a space (Typst would print nothing for it).
    let s = s.replace("_x000D_", "").replace("\r\n", "\n").replace('\r', "\n").replace('\t', " ");
    let lines: Vec<&str> = s.split('\n').map(str::trim_end).collect();
    let joined = lines.join("\n");
    let trimmed = joined.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}'));
    nfc(trimmed)
}

/// A number as text: integers without `.0`, no float noise (`0.30000000000000004` → `0.3`).
pub fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// What a cell shows, as text; `None` for empty and error cells.
fn display_text(d: &Data) -> Option<String> {
    Some(match d {
        Data::Empty | Data::Error(_) => return None,
        Data::String(s) => clean_text(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) if dt.is_duration() => number_text(dt.as_f64()),
        Data::DateTime(dt) => {
            let (y, m, d, hh, mm, ..) = dt.to_ymd_hms_milli();
            if dt.as_f64() < 1.0 {
                format!("{hh:02}:{mm:02}")
            } else {
                match Date::new(i32::from(y), m, d) {
                    Some(date) => date.to_string(),
                    None => format!("{d:02}/{m:02}/{y}"),
                }
            }
        }
        Data::DateTimeIso(s) => match parse_date(s) {
            Ok(date) => date.to_string(),
            Err(_) => clean_text(s),
        },
        Data::DurationIso(s) => clean_text(s),
    })
}

fn numeric(d: &Data) -> Option<f64> {
    match d {
        Data::Int(i) => Some(*i as f64),
        Data::Float(f) => Some(*f),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A grid from rows of cells starting at (row0, col0), for unit tests.
    pub(crate) fn grid_at(sheet: &str, row0: u32, col0: u32, rows: &[&[Data]]) -> Grid {
        let h = rows.len().max(1) as u32;
        let w = rows.iter().map(|r| r.len()).max().unwrap_or(1).max(1) as u32;
        let mut range = Range::new((row0, col0), (row0 + h - 1, col0 + w - 1));
        for (i, r) in rows.iter().enumerate() {
            for (j, v) in r.iter().enumerate() {
                range.set_value((row0 + i as u32, col0 + j as u32), v.clone());
            }
        }
        Grid::from_ranges(sheet, &range, None)
    }

    fn s(x: &str) -> Data {
        Data::String(x.to_string())
    }

    #[test]
    fn clean_text_normalises() {
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("Kế hoạch").collect();
        assert_eq!(clean_text(&format!("  {nfd}\r\nDòng 2  \r")), "Kế hoạch\nDòng 2");
        assert_eq!(clean_text("\u{feff}x\u{200b}"), "x");
        assert_eq!(clean_text("chỉ số\tcải cách"), "chỉ số cải cách");
    }

    #[test]
    fn number_texts() {
        assert_eq!(number_text(54.0), "54");
        assert_eq!(number_text(1.1), "1.1");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(-3.0), "-3");
    }

    #[test]
    fn offset_range_gives_absolute_cells() {
        let g = grid_at("NhiemVu", 2, 1, &[&[s("STT"), s("Nội dung")], &[Data::Int(1), s("Việc")]]);
        let mut d = Diagnostics::default();
        let t = g.text(3, 2, &mut d).unwrap();
        assert_eq!(t.text, "Việc");
        assert_eq!(t.loc.a1().as_deref(), Some("C4"));
        assert_eq!(g.text(3, 1, &mut d).unwrap().text, "1");
    }

    #[test]
    fn formula_without_value_is_an_error() {
        let mut data: Range<Data> = Range::new((0, 0), (1, 1));
        data.set_value((0, 0), s("Mã"));
        let mut f: Range<String> = Range::new((0, 0), (1, 1));
        f.set_value((1, 1), "SUM(A1:A2)".to_string());
        let g = Grid::from_ranges("ChiSo", &data, Some(&f));
        let mut d = Diagnostics::default();
        assert!(!g.is_blank(1, 1));
        assert!(g.number(1, 1, "Mục tiêu", &mut d).is_none());
        let e = d.errors().next().unwrap();
        assert_eq!(e.code, "cong-thuc-chua-tinh");
        assert_eq!(e.loc.a1().as_deref(), Some("B2"));
        assert!(g.is_blank(1, 0));
    }

    #[test]
    fn error_cells_are_reported() {
        let g = grid_at("ChiSo", 0, 0, &[&[Data::Error(calamine::CellErrorType::Ref)]]);
        let mut d = Diagnostics::default();
        assert!(g.text(0, 0, &mut d).is_none());
        let e = d.errors().next().unwrap();
        assert_eq!(e.code, "loi-excel");
        assert!(e.message.contains("#REF!"));
    }
}
