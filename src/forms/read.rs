//! Reading a returned form (or a consolidated workbook) back, whatever wrote
//! it (.xlsx, .xls, .ods): the stamp, the task rows by their header names,
//! every filled-in cell checked like `check` does, each problem located.

use calamine::Data;

use super::{Stamp, KIND_CONSOLIDATED, KIND_FORM};
use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::document::status::Marked;
use crate::vi::date::Date;
use crate::workbook::read::{self, Grid};
use crate::workbook::schema::key;

/// The columns `read` knows (one table with the writer's headers: the schema).
pub use crate::workbook::schema::FormCol;

fn form_col(header: &str) -> Option<FormCol> {
    crate::workbook::schema::form_column(header)
}

/// One task row as returned, its values checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnedRow {
    pub key: String,
    /// One-based row in the returned sheet.
    pub row: u32,
    pub loc: Loc,
    pub status: Option<Marked>,
    pub progress: Option<f64>,
    pub done_on: Option<Date>,
    pub result: Option<String>,
    pub difficulty: Option<String>,
    /// Consolidated workbook only: the unit whose values stand, and the
    /// supporting units' results (`CODE: text` a line).
    pub source: Option<String>,
    pub supporters: Option<String>,
}

impl ReturnedRow {
    /// Whether any cell to fill in holds something.
    pub fn filled(&self) -> bool {
        self.status.is_some()
            || self.progress.is_some()
            || self.done_on.is_some()
            || self.result.is_some()
            || self.difficulty.is_some()
    }
}

/// A returned file, read.
#[derive(Debug, Clone)]
pub struct Returned {
    /// The file as named on the command line.
    pub file: String,
    pub stamp: Stamp,
    pub rows: Vec<ReturnedRow>,
    pub ton_tai: Vec<String>,
    pub kien_nghi: Vec<String>,
    /// Consolidated workbook only: units (code, full name) that sent a form,
    /// and the units' own lines (`code`, `Tồn tại, hạn chế` or `Kiến nghị`, text).
    pub sent: Vec<(String, String)>,
    pub unit_lines: Vec<(String, String, String)>,
}

/// Reads a returned form or consolidated workbook from its bytes. `None`
/// when it cannot be used at all; every problem carries `name` as its file.
pub fn read_returned(bytes: &[u8], name: &str) -> (Option<Returned>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let ext = std::path::Path::new(name).extension().and_then(|e| e.to_str());
    let out = read::open(bytes, name, ext, &mut diags).and_then(|mut book| read_book(&mut book, name, &mut diags));
    for d in &mut diags.items {
        d.loc.file = Some(name.to_string());
    }
    (out, diags)
}

fn read_book(book: &mut read::Book<'_>, name: &str, diags: &mut Diagnostics) -> Option<Returned> {
    let mut grids: Vec<Grid> = Vec::new();
    for sheet in book.sheet_names() {
        match book.grid(&sheet) {
            Ok(g) => grids.push(g),
            Err(e) => diags.push(Diagnostic::error(
                Code::LoiDocTrang,
                Loc::sheet(sheet.clone()),
                format!("không đọc được trang «{sheet}»: {e}"),
            )),
        }
    }
    let found = grids.iter().enumerate().find_map(|(i, g)| stamp_of(g).map(|s| (i, s)));
    let Some((gi, stamp)) = found else {
        diags.push(
            Diagnostic::error(
                Code::KhongPhaiBieuMau,
                Loc::file(name),
                "tệp không phải biểu mẫu tiến độ do vanban tạo (không thấy ô nhận dạng ẩn)",
            )
            .hint("dùng biểu mẫu tạo bởi `vanban forms`; điền vào chính tệp đó, không chép sang tệp mới"),
        );
        return None;
    };
    if stamp.vanban != KIND_FORM && stamp.vanban != KIND_CONSOLIDATED {
        diags.push(Diagnostic::error(
            Code::KhongPhaiBieuMau,
            Loc::file(name),
            format!("ô nhận dạng ghi loại «{}», không phải biểu mẫu tiến độ", stamp.vanban),
        ));
        return None;
    }
    let grid = &grids[gi];
    let mut out = Returned {
        file: name.to_string(),
        stamp,
        rows: Vec::new(),
        ton_tai: Vec::new(),
        kien_nghi: Vec::new(),
        sent: Vec::new(),
        unit_lines: Vec::new(),
    };
    let Some((header, cols)) = header_row(grid) else {
        diags.push(
            Diagnostic::error(
                Code::KhongThayTieuDe,
                Loc::sheet(grid.sheet.clone()),
                "không tìm thấy hàng tiêu đề của bảng nhiệm vụ (Mã, Nhiệm vụ, Trạng thái, Tiến độ (%)…)",
            )
            .hint("không xoá hay đổi tên hàng tiêu đề của biểu mẫu"),
        );
        return None;
    };
    let col = |c: FormCol| cols.iter().find(|(x, _)| *x == c).map(|(_, i)| *i);
    let Some(key_col) = col(FormCol::Key) else {
        diags.push(Diagnostic::error(
            Code::ThieuCot,
            grid.loc(header, 0),
            "thiếu cột «Mã» (mã nhiệm vụ), không biết mỗi hàng là nhiệm vụ nào",
        ));
        return None;
    };
    // Rows under the header until the unit's own block.
    let mut block: Option<bool> = None; // Some(true) = Tồn tại, Some(false) = Kiến nghị
    for r in grid.used_rows().into_iter().filter(|&r| r > header) {
        let first = grid.row_cols(r).into_iter().find_map(|c| grid.plain_text(r, c)).unwrap_or_default();
        let k = key(&first);
        if k.starts_with(&key("Tồn tại, hạn chế")) {
            block = Some(true);
            continue;
        }
        if k.starts_with(&key("Kiến nghị")) {
            block = Some(false);
            continue;
        }
        if let Some(ton_tai) = block {
            let text: Vec<String> =
                grid.row_cols(r).into_iter().filter_map(|c| grid.text(r, c, diags)).map(|t| t.text).collect();
            let line = text.join(" ");
            if !line.is_empty() {
                if ton_tai {
                    out.ton_tai.push(line);
                } else {
                    out.kien_nghi.push(line);
                }
            }
            continue;
        }
        let Some(k) = grid.text(r, key_col, diags).map(|t| t.text) else {
            continue; // a blank or note row
        };
        let text = |c: FormCol, diags: &mut Diagnostics| col(c).and_then(|i| grid.text(r, i, diags)).map(|t| t.text);
        let status = col(FormCol::Status).and_then(|i| {
            let t = grid.text(r, i, diags)?;
            match Marked::parse(&t.text) {
                Some(m) => Some(m),
                None => {
                    diags.push(
                        Diagnostic::error(Code::TrangThaiSai, t.loc, format!("Trạng thái «{}» không rõ", t.text))
                            .hint("chọn trong danh sách: Chưa thực hiện, Đang thực hiện, Hoàn thành"),
                    );
                    None
                }
            }
        });
        let progress = col(FormCol::Progress)
            .and_then(|i| crate::workbook::tasks::read_progress(grid, r, i, "Tiến độ (%)", diags));
        let done_on = col(FormCol::DoneOn).and_then(|i| grid.date(r, i, "Ngày hoàn thành", diags)).map(|d| d.date);
        out.rows.push(ReturnedRow {
            key: k,
            row: r + 1,
            loc: grid.loc(r, key_col),
            status,
            progress: progress.map(|p| p.value),
            done_on,
            result: text(FormCol::Result, diags),
            difficulty: text(FormCol::Difficulty, diags),
            source: text(FormCol::Source, diags),
            supporters: text(FormCol::Supporters, diags),
        });
    }
    if out.stamp.vanban == KIND_CONSOLIDATED {
        read_consolidated_sheets(&grids, &mut out, diags);
    }
    Some(out)
}

/// The stamp in the first rows of a sheet, if any.
fn stamp_of(grid: &Grid) -> Option<Stamp> {
    for r in grid.used_rows().into_iter().take(10) {
        for c in grid.row_cols(r) {
            if let Data::String(s) = grid.get(r, c) {
                if let Some(stamp) = Stamp::parse(s) {
                    return Some(stamp);
                }
            }
        }
    }
    None
}

/// The table's header row (at least three known headers) and its columns.
fn header_row(grid: &Grid) -> Option<(u32, Vec<(FormCol, u32)>)> {
    for r in grid.used_rows().into_iter().take(30) {
        let mut cols: Vec<(FormCol, u32)> = Vec::new();
        for c in grid.row_cols(r) {
            if let Some(fc) = grid.plain_text(r, c).and_then(|t| form_col(&t)) {
                if !cols.iter().any(|(x, _)| *x == fc) {
                    cols.push((fc, c));
                }
            }
        }
        if cols.len() >= 3 {
            return Some((r, cols));
        }
    }
    None
}

/// The consolidated workbook's other sheets: who sent (`DaGui`) and the
/// units' own lines (`YKien`).
fn read_consolidated_sheets(grids: &[Grid], out: &mut Returned, diags: &mut Diagnostics) {
    for g in grids {
        let name = key(&g.sheet);
        let rows: Vec<u32> = g.used_rows().into_iter().skip(1).collect();
        let cell = |r: u32, c: u32, diags: &mut Diagnostics| g.text(r, c, diags).map(|t| t.text).unwrap_or_default();
        if name == key(super::collect::SENT_SHEET) {
            for r in rows {
                let (code, unit, sent) = (cell(r, 0, diags), cell(r, 1, diags), cell(r, 2, diags));
                if !code.is_empty() && key(&sent) == key("Đã gửi") {
                    out.sent.push((code, unit));
                }
            }
        } else if name == key(super::collect::LINES_SHEET) {
            for r in rows {
                let (code, kind, text) = (cell(r, 0, diags), cell(r, 2, diags), cell(r, 3, diags));
                if !code.is_empty() && !text.is_empty() {
                    out.unit_lines.push((code, kind, text));
                }
            }
        }
    }
}
