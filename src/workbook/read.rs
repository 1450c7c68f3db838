//! Opening a workbook from bytes (format by magic bytes, friendly file
//! errors) and reading one sheet into a [`Grid`]; calamine's panics caught
//! per call. The grid and its typed cell readers are in `grid.rs`, header-row
//! detection in `columns.rs` (re-exported here: `read::Grid`, `read::find_table`).

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, Reader, SheetType, Sheets, Xlsx};

use crate::diag::Diagnostics;
use crate::workbook::formats::{self, Shown};
use crate::workbook::merge;

pub use super::columns::{find_table, is_empty_sheet, no_header_error, ColumnMap};
pub use super::grid::{clean_text, number_text, DateOrText, Grid};

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

fn shown_style(s: &calamine::Style) -> Option<Shown> {
    s.number_format.as_ref().and_then(|f| formats::classify(&f.format_code, f.format_id))
}
