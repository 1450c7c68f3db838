//! Sheet NoiDung: the narrative body, one row a heading, paragraph or bullet.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::workbook::model::{ContentRow, Level};
use crate::workbook::read::{find_table, is_empty_sheet, no_header_error, Grid};
use crate::workbook::schema::{self, Col, SheetKind};

const VALID_LEVELS: &str = "1, 2, 3, 4, -, +, NHIEMVU, CHISO hoặc để trống";

/// Reads the rows of sheet NoiDung.
pub fn read_content(grid: &Grid, diags: &mut Diagnostics) -> Vec<ContentRow> {
    let Some(table) = find_table(grid, SheetKind::Content, diags) else {
        if !is_empty_sheet(grid) {
            diags.push(no_header_error(grid, SheetKind::Content));
        }
        return Vec::new();
    };
    let first_col = grid.first_col();
    let mut rows = Vec::new();
    for r in table.data_rows(grid) {
        let level_cell = table.col(Col::Level).and_then(|c| grid.text(r, c, diags));
        let title = table.col(Col::Title).and_then(|c| grid.text(r, c, diags));
        let body = table.col(Col::Body).and_then(|c| grid.text(r, c, diags));
        let level = match &level_cell {
            None => Level::None,
            Some(t) => match parse_level(&t.text) {
                Some(l) => l,
                None => {
                    diags.push(
                        Diagnostic::error(Code::CapSai, t.loc.clone(), format!("Cấp «{}» không hợp lệ", t.text))
                            .hint(format!("Cấp là {VALID_LEVELS}")),
                    );
                    continue;
                }
            },
        };
        let loc = grid.loc(r, table.col(Col::Level).unwrap_or(first_col));
        if title.is_none() && body.is_none() && matches!(level, Level::Numbered(_) | Level::Bullet(_)) {
            diags.push(
                Diagnostic::warning(Code::HangTrong, loc, "hàng chỉ có Cấp, không có Tiêu đề hay Nội dung; bỏ qua")
                    .hint("ghi Tiêu đề hoặc Nội dung, hoặc xoá hàng"),
            );
            continue;
        }
        rows.push(ContentRow { level, title, body, loc });
    }
    rows
}

/// `Cấp` as written → level: `1`–`4`, `-`, `+`, `NHIEMVU`, `CHISO` (any
/// spelling the matching rules allow, `Nhiệm vụ`, `chi_so`).
pub fn parse_level(s: &str) -> Option<Level> {
    let t = s.trim();
    match t {
        "-" | "–" | "—" => return Some(Level::Bullet('-')),
        "+" => return Some(Level::Bullet('+')),
        _ => {}
    }
    match schema::key(t).as_str() {
        "1" => Some(Level::Numbered(1)),
        "2" => Some(Level::Numbered(2)),
        "3" => Some(Level::Numbered(3)),
        "4" => Some(Level::Numbered(4)),
        "nhiemvu" => Some(Level::Tasks),
        "chiso" => Some(Level::Metrics),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::grid::tests::grid_at;
    use calamine::Data;

    fn s(x: &str) -> Data {
        Data::String(x.to_string())
    }

    #[test]
    fn levels() {
        assert_eq!(parse_level("1"), Some(Level::Numbered(1)));
        assert_eq!(parse_level("4."), Some(Level::Numbered(4)));
        assert_eq!(parse_level("-"), Some(Level::Bullet('-')));
        assert_eq!(parse_level("+"), Some(Level::Bullet('+')));
        assert_eq!(parse_level("Nhiệm vụ"), Some(Level::Tasks));
        assert_eq!(parse_level("nhiem vu"), Some(Level::Tasks));
        assert_eq!(parse_level("NHIEMVU"), Some(Level::Tasks));
        assert_eq!(parse_level("Chỉ số"), Some(Level::Metrics));
        assert_eq!(parse_level("5"), None);
        assert_eq!(parse_level("I"), None);
    }

    #[test]
    fn rows_and_bad_level() {
        let g = grid_at(
            "NoiDung",
            0,
            0,
            &[
                &[s("Cấp"), s("Tiêu đề"), s("Nội dung")],
                &[Data::Int(1), s("MỤC ĐÍCH")],
                &[Data::Empty, Data::Empty, s("Đoạn văn")],
                &[s("x"), s("Sai")],
                &[],
                &[s("NHIEMVU")],
            ],
        );
        let mut d = Diagnostics::default();
        let rows = read_content(&g, &mut d);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].level, Level::Numbered(1));
        assert_eq!(rows[0].title.as_ref().unwrap().text, "MỤC ĐÍCH");
        assert_eq!(rows[1].level, Level::None);
        assert_eq!(rows[2].level, Level::Tasks);
        assert_eq!(rows[2].loc.a1().as_deref(), Some("A6"));
        let e = d.errors().next().unwrap();
        assert_eq!(e.code, "cap-sai");
        assert_eq!(e.loc.a1().as_deref(), Some("A4"));
    }
}
