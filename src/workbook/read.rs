//! Opening a workbook from bytes (format by magic bytes, friendly file
//! errors), the cell grid of one sheet with typed cell readers that report
//! problems at their A1 cell, and header-row detection.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, Range, Reader, SheetType, Sheets, Xlsx};

use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::vi::date::Date;
use crate::vi::fold::nfc;
use crate::vi::parse::{parse_date, parse_number, DateError};
use crate::workbook::formats::{self, Shown};
use crate::workbook::merge;
use crate::workbook::model::{DateCell, NumberCell, Text};
use crate::workbook::schema::{self, Col, SheetKind};

/// How many rows from the top of a sheet are searched for the header row.
const HEADER_SCAN_ROWS: usize = 20;

thread_local! {
    /// Set while a [`guarded`] call runs on this thread.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a calamine call, turning a panic inside it into `None`: the caller
/// reports it as a message about the file. The library installs no panic
/// hook; a front-end that wants the default hook's "thread 'main' panicked
/// at …" left out for these caught panics asks [`in_guarded`] (the CLI does,
/// in `main.rs`).
pub(super) fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    let outer = GUARDED.with(|g| g.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f)).ok();
    GUARDED.with(|g| g.set(outer));
    result
}

/// Whether the current thread is inside a [`guarded`] call (its panic is
/// caught and reported as a message about the file).
pub fn in_guarded() -> bool {
    GUARDED.with(std::cell::Cell::get)
}

/// An opened workbook.
pub struct Book<'a> {
    sheets: Sheets<Cursor<&'a [u8]>>,
    /// The file, for what calamine does not read (merged cells of an ods).
    bytes: &'a [u8],
}

/// Opens a workbook from its bytes, deciding the format by its magic bytes
/// (see `open.rs`). On failure pushes one error naming the file and returns `None`.
pub fn open<'a>(bytes: &'a [u8], name: &str, ext_hint: Option<&str>, diags: &mut Diagnostics) -> Option<Book<'a>> {
    match super::open::sheets(bytes, name, ext_hint) {
        Ok(sheets) => Some(Book { sheets, bytes }),
        Err(d) => {
            diags.push(*d);
            None
        }
    }
}

impl Book<'_> {
    /// Names of the worksheets (not chart or macro sheets), in file order.
    pub fn sheet_names(&mut self) -> Vec<String> {
        let sheets = &self.sheets;
        guarded(|| {
            sheets.sheets_metadata().iter().filter(|s| s.typ == SheetType::WorkSheet).map(|s| s.name.clone()).collect()
        })
        .unwrap_or_default()
    }

    /// Reads one sheet into a grid; an error message when it cannot be read.
    pub fn grid(&mut self, name: &str) -> Result<Grid, String> {
        let sheets = &mut self.sheets;
        let result = guarded(|| match sheets {
            // Cell by cell: a stray value in XFD1048576 must not make a dense
            // range of 17 billion cells.
            Sheets::Xlsx(x) => xlsx_grid(x, name),
            other => {
                let data = other.worksheet_range(name).map_err(|e| e.to_string())?;
                // Only to tell "no cached value" from a blank cell: optional.
                let formulas = other.worksheet_formula(name).ok();
                Ok(Grid::from_ranges(name, &data, formulas.as_ref()))
            }
        });
        let mut grid =
            result.unwrap_or_else(|| Err("nội dung trang không đúng cấu trúc".to_string())).and_then(within_limits)?;
        let bytes = self.bytes;
        // Percent and month formats, which calamine gives for xlsx only.
        let shown = guarded(|| match &self.sheets {
            Sheets::Ods(_) => formats::ods_cells(bytes, name),
            Sheets::Xls(_) => {
                super::cfb::workbook_stream(bytes).map(|s| formats::xls_cells(&s, name)).unwrap_or_default()
            }
            _ => Vec::new(),
        });
        grid.set_shown(shown.unwrap_or_default());
        let sheets = &mut self.sheets;
        let regions = guarded(|| match sheets {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).map(|d| merge::from_dimensions(&d)).ok(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).map(|d| merge::from_dimensions(&d)).ok(),
            Sheets::Ods(_) => Some(merge::ods_regions(bytes, name)),
            Sheets::Xlsb(_) => None,
        });
        grid.set_merges(regions.flatten().unwrap_or_default());
        Ok(grid)
    }
}

/// Most cells a sheet may have (a plan has hundreds).
const MAX_CELLS: usize = super::limits::MAX_CELLS as usize;

/// The limits a grid read must keep whatever the format: rows, and the
/// characters of one cell (Excel's own 32,767).
fn within_limits(grid: Grid) -> Result<Grid, String> {
    use super::limits::{grouped, MAX_CELL_CHARS, MAX_ROWS};
    let rows = grid.used_rows().len() as u64;
    if rows > MAX_ROWS {
        return Err(format!(
            "trang có {} hàng, vượt giới hạn {} hàng của một trang; xoá các hàng thừa rồi lưu lại",
            grouped(rows),
            grouped(MAX_ROWS)
        ));
    }
    for (&(r, c), v) in &grid.cells {
        if let Data::String(t) = v {
            let chars = t.chars().count() as u64;
            if chars > MAX_CELL_CHARS {
                return Err(format!(
                    "ô {} có {} ký tự, vượt giới hạn {} ký tự của một ô (giới hạn của chính Excel)",
                    crate::diag::a1(r, c),
                    grouped(chars),
                    grouped(MAX_CELL_CHARS)
                ));
            }
        }
    }
    Ok(grid)
}

fn too_big() -> String {
    format!("trang có hơn {MAX_CELLS} ô; xoá các ô thừa ở xa vùng dữ liệu rồi lưu lại")
}

fn xlsx_grid<RS: std::io::Read + std::io::Seek>(x: &mut Xlsx<RS>, name: &str) -> Result<Grid, String> {
    let mut grid = Grid::empty(name);
    grid.has_styles = true;
    {
        let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
        let percent: Vec<bool> = reader.styles().iter().map(is_percent_style).collect();
        let mut rows = (0u64, None);
        let shown: Vec<Option<Shown>> = reader.styles().iter().map(shown_style).collect();
        while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(|e| e.to_string())? {
            let pos = cell.get_position();
            let value = Data::from(cell.get_value().clone());
            if value == Data::Empty {
                continue;
            }
            if rows.1 != Some(pos.0) {
                rows = (rows.0 + 1, Some(pos.0));
                if rows.0 > super::limits::MAX_ROWS {
                    return Err(format!(
                        "trang có hơn {} hàng, vượt giới hạn số hàng của một trang; xoá các hàng thừa rồi lưu lại",
                        super::limits::grouped(super::limits::MAX_ROWS)
                    ));
                }
            }
            if grid.cells.len() >= MAX_CELLS {
                return Err(too_big());
            }
            if matches!(value, Data::Int(_) | Data::Float(_)) && percent.get(style).copied().unwrap_or(false) {
                grid.percent.insert(pos);
            }
            if let Some(Some(Shown::Month(code))) = shown.get(style) {
                if matches!(value, Data::DateTime(_) | Data::Int(_) | Data::Float(_)) {
                    grid.months.insert(pos, code.clone());
                }
            }
            grid.cells.insert(pos, value);
        }
    }
    let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
    while let Ok(Some(f)) = reader.next_formula() {
        if grid.formulas.len() >= MAX_CELLS {
            return Err(too_big());
        }
        if !f.get_value().trim().is_empty() {
            grid.formulas.insert(f.get_position(), f.get_value().clone());
        }
    }
    Ok(grid)
}

fn is_percent_style(s: &calamine::Style) -> bool {
    s.number_format.as_ref().is_some_and(|f| f.format_code.contains('%') || matches!(f.format_id, Some(9 | 10)))
}

fn numeric(d: &Data) -> Option<f64> {
    match d {
        Data::Int(i) => Some(*i as f64),
        Data::Float(f) => Some(*f),
        _ => None,
    }
}

fn shown_style(s: &calamine::Style) -> Option<Shown> {
    s.number_format.as_ref().and_then(|f| formats::classify(&f.format_code, f.format_id))
}

static EMPTY: Data = Data::Empty;

/// One sheet's non-empty cells, by absolute zero-based (row, col).
pub struct Grid {
    /// The sheet's name as written in the file.
    pub sheet: String,
    cells: BTreeMap<(u32, u32), Data>,
    formulas: BTreeMap<(u32, u32), String>,
    /// Numeric cells formatted as a percentage (85% stored as 0.85).
    percent: HashSet<(u32, u32)>,
    /// Date cells formatted to show only a month (`"Tháng "m/yyyy`), with the format code.
    months: HashMap<(u32, u32), String>,
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
    fn empty(sheet: &str) -> Grid {
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
    fn set_shown(&mut self, cells: Vec<formats::ShownCell>) {
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
                    Diagnostic::error("loi-excel", self.loc(row, col), format!("ô có lỗi Excel {e}"))
                        .hint("sửa công thức (hoặc nhập thẳng giá trị) để ô không còn lỗi"),
                );
                true
            }
            Data::Empty => match self.formula(row, col) {
                Some(f) => {
                    diags.push(
                        Diagnostic::error(
                            "cong-thuc-chua-tinh",
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
                    Diagnostic::error("khong-phai-so", loc, format!("cột «{header}» cần một số, ô lại là ngày tháng"))
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
                                "khong-phai-so",
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
                    Diagnostic::error("ngay-sai", loc, format!("ngày «{written}» ở cột «{header}» không có thật"))
                        .hint("sửa lại ngày, tháng (ghi dd/mm/yyyy, ví dụ 05/01/2023)"),
                );
                None
            }
            Err(DateError::NotADate) => {
                diags.push(
                    Diagnostic::error(
                        "khong-phai-ngay",
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

/// A sheet's header row and where each known column is.
#[derive(Debug)]
pub struct ColumnMap {
    /// Zero-based row of the header.
    pub header_row: u32,
    cols: HashMap<Col, u32>,
}

impl ColumnMap {
    /// Zero-based column of a known column, if the sheet has it.
    pub fn col(&self, c: Col) -> Option<u32> {
        self.cols.get(&c).copied()
    }

    /// Rows under the header with something in a known column.
    pub fn data_rows(&self, grid: &Grid) -> Vec<u32> {
        grid.used_rows()
            .into_iter()
            .filter(|&r| r > self.header_row && self.cols.values().any(|&c| !grid.is_blank(r, c)))
            .collect()
    }
}

/// Known column ids in a row (distinct), with the position of each.
fn header_matches(grid: &Grid, kind: SheetKind, row: u32) -> HashMap<Col, u32> {
    let mut found = HashMap::new();
    for c in grid.row_cols(row) {
        if let Some(spec) = grid.plain_text(row, c).and_then(|t| schema::column(kind, &t)) {
            found.entry(spec.col).or_insert(c);
        }
    }
    found
}

/// Finds the header row (the first row among the first 20 whose cells match
/// at least two known headers) and checks the columns: a missing required
/// column is an error, an unknown or repeated one a warning. `None` when no
/// row qualifies (nothing reported: the caller decides).
pub fn find_table(grid: &Grid, kind: SheetKind, diags: &mut Diagnostics) -> Option<ColumnMap> {
    let header_row =
        grid.used_rows().into_iter().take(HEADER_SCAN_ROWS).find(|&r| header_matches(grid, kind, r).len() >= 2)?;
    let spec = kind.spec();
    // Over two rows when merged so (merge.rs); years read in ChiSo headers.
    let (header_row, header_cells) = merge::header_cells(grid, kind, header_row);

    let mut cols: HashMap<Col, u32> = HashMap::new();
    let mut unknown: Vec<(u32, String)> = Vec::new();
    let mut written: Vec<String> = Vec::new();
    for (c, h, matched) in header_cells {
        written.push(h.replace('\n', " "));
        match schema::column(kind, &matched) {
            Some(col) => {
                if let Some(&prev) = cols.get(&col.col) {
                    diags.push(
                        Diagnostic::warning(
                            "cot-trung",
                            grid.loc(header_row, c),
                            format!(
                                "cột «{h}» lặp lại cột «{}» ở {}; chỉ dùng cột đầu",
                                col.name,
                                crate::diag::a1(header_row, prev)
                            ),
                        )
                        .hint("xoá hoặc đổi tên cột thừa"),
                    );
                } else {
                    cols.insert(col.col, c);
                }
            }
            None => unknown.push((c, h)),
        }
    }

    // Missing required columns, each with the closest unknown header.
    let mut suggested: Vec<u32> = Vec::new();
    for col in spec.columns.iter().filter(|c| c.required && !cols.contains_key(&c.col)) {
        let best = unknown
            .iter()
            .filter_map(|(c, h)| schema::column_distance(col, h).map(|d| (d, *c, h)))
            .min_by_key(|(d, ..)| *d);
        let known: Vec<String> = spec
            .columns
            .iter()
            .map(|c| if c.required { format!("{} (bắt buộc)", c.name) } else { c.name.to_string() })
            .collect();
        let mut hint = String::new();
        if let Some((_, c, h)) = best {
            suggested.push(c);
            hint.push_str(&format!("«{h}» → «{}»? ", col.name));
        }
        hint.push_str(&format!("Đặt tên cột cho đúng; các cột của trang {}: {}", spec.name, known.join(", ")));
        let aliases = if col.aliases.is_empty() {
            String::new()
        } else {
            format!(" (hoặc {})", col.aliases.iter().map(|a| format!("«{a}»")).collect::<Vec<_>>().join(", "))
        };
        diags.push(
            Diagnostic::error(
                "thieu-cot",
                Loc::sheet(grid.sheet.clone()),
                format!(
                    "thiếu cột «{}»{aliases}; hàng tiêu đề tìm thấy ở hàng {}: {}",
                    col.name,
                    header_row + 1,
                    written.join(", ")
                ),
            )
            .hint(hint),
        );
    }

    for (c, h) in unknown.iter().filter(|(c, _)| !suggested.contains(c)) {
        let mut d = Diagnostic::warning(
            "cot-la",
            grid.loc(header_row, *c),
            format!("cột «{h}» không thuộc mẫu của trang {}, bỏ qua", spec.name),
        );
        if let Some(s) = schema::closest_column(kind, h) {
            d = d.hint(format!("có phải «{s}»? Sửa tên cột nếu cần dùng cột này"));
        }
        diags.push(d);
    }

    Some(ColumnMap { header_row, cols })
}

/// The error for a tabular sheet with no recognisable header row.
pub fn no_header_error(grid: &Grid, kind: SheetKind) -> Diagnostic {
    let spec = kind.spec();
    let names: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    Diagnostic::error(
        "khong-thay-tieu-de",
        Loc::sheet(grid.sheet.clone()),
        format!(
            "không tìm thấy hàng tiêu đề trong {HEADER_SCAN_ROWS} hàng đầu của trang (cần ít nhất hai cột nhận biết được trên cùng một hàng)"
        ),
    )
    .hint(format!("thêm hàng tiêu đề với các cột: {}", names.join(", ")))
}

/// Whether a sheet has nothing at all in it.
pub fn is_empty_sheet(grid: &Grid) -> bool {
    grid.formulas.is_empty() && grid.cells.values().all(|d| matches!(d, Data::String(s) if clean_text(s).is_empty()))
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
        assert_eq!(t.loc.cell.as_deref(), Some("C4"));
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
        assert_eq!(e.loc.cell.as_deref(), Some("B2"));
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

    #[test]
    fn header_row_below_title() {
        let g = grid_at(
            "NhiemVu",
            0,
            0,
            &[
                &[s("DANH MỤC NHIỆM VỤ")],
                &[],
                &[s("stt"), s("NOI_DUNG_NHIEM_VU"), s("chu tri"), s("Cột lạ")],
                &[Data::Int(1), s("Việc"), s("VP")],
            ],
        );
        let mut d = Diagnostics::default();
        let t = find_table(&g, SheetKind::Tasks, &mut d).unwrap();
        assert_eq!(t.header_row, 2);
        assert_eq!(t.col(Col::Content), Some(1));
        assert_eq!(t.col(Col::Lead), Some(2));
        assert_eq!(t.data_rows(&g), vec![3]);
        assert!(!d.has_errors());
        assert_eq!(d.warnings().next().unwrap().code, "cot-la");
    }

    #[test]
    fn missing_required_column_suggests_closest() {
        let g = grid_at("NhiemVu", 0, 0, &[&[s("STT"), s("Noi dug"), s("Chủ trì"), s("Thời hạn")]]);
        let mut d = Diagnostics::default();
        find_table(&g, SheetKind::Tasks, &mut d).unwrap();
        let e = d.errors().next().unwrap();
        assert_eq!(e.code, "thieu-cot");
        assert!(e.message.contains("«Nội dung»"), "{}", e.message);
        assert!(e.message.contains("hàng 1: STT, Noi dug, Chủ trì, Thời hạn"), "{}", e.message);
        assert!(e.hint.as_deref().unwrap().contains("«Noi dug» → «Nội dung»"), "{:?}", e.hint);
        // The suggested header is not warned about a second time.
        assert_eq!(d.warnings().count(), 0);
    }
}
