//! Finding a sheet's header row and the known columns in it (the schema's
//! names and aliases), with the errors and warnings about columns.

use std::collections::HashMap;

use calamine::Data;

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::workbook::grid::{clean_text, Grid};
use crate::workbook::merge;
use crate::workbook::schema::{self, Col, SheetKind};

/// How many rows from the top of a sheet are searched for the header row.
const HEADER_SCAN_ROWS: usize = 20;

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
                            Code::CotTrung,
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
                Code::ThieuCot,
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
            Code::CotLa,
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
        Code::KhongThayTieuDe,
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
mod tests {
    use super::*;
    use crate::workbook::grid::tests::grid_at;

    fn s(x: &str) -> Data {
        Data::String(x.to_string())
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
