//! Sheet ChiSo: the metrics (chỉ số) and their points.

use calamine::Data;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::workbook::model::MetricRow;
use crate::workbook::read::{find_table, is_empty_sheet, no_header_error, Grid};
use crate::workbook::schema::{key, Col, SheetKind};

/// Reads the rows of sheet ChiSo.
pub fn read_metrics(grid: &Grid, diags: &mut Diagnostics) -> Vec<MetricRow> {
    let Some(table) = find_table(grid, SheetKind::Metrics, diags) else {
        if !is_empty_sheet(grid) {
            diags.push(no_header_error(grid, SheetKind::Metrics));
        }
        return Vec::new();
    };
    let Some(name_col) = table.col(Col::MetricName) else {
        return Vec::new();
    };
    let header = |c: Col| SheetKind::Metrics.spec().column(c).map_or("", |s| s.name);

    let mut metrics = Vec::new();
    for r in table.data_rows(grid) {
        let text = |c: Col, diags: &mut Diagnostics| table.col(c).and_then(|col| grid.text(r, col, diags));
        let number =
            |c: Col, diags: &mut Diagnostics| table.col(c).and_then(|col| grid.number(r, col, header(c), diags));
        let code = text(Col::Code, diags);
        let name = grid.text(r, name_col, diags);
        let max_points = number(Col::MaxPoints, diags);
        let last_year = number(Col::LastYear, diags);
        let last_rank = text(Col::LastRank, diags);
        if let (Some(rank), Some(c)) = (&last_rank, table.col(Col::LastRank)) {
            if matches!(grid.get(r, c), Data::DateTime(_)) {
                diags.push(
                    Diagnostic::warning(
                        Code::XepHangThanhNgay,
                        rank.loc.clone(),
                        format!(
                            "Xếp hạng năm trước là ô ngày tháng ({}): Excel có thể đã đổi «7/17» thành ngày",
                            rank.text
                        ),
                    )
                    .hint("định dạng ô là Text rồi gõ lại, ví dụ 7/17"),
                );
            }
        }
        let target = number(Col::MetricTarget, diags);
        let result = number(Col::MetricResult, diags);
        let units = text(Col::Units, diags);
        // The total row may be named only by its code (`TONG`).
        let name = match (name, &code) {
            (Some(n), _) => n,
            (None, Some(c)) if key(&c.text) == "tong" => c.clone(),
            (None, _) => {
                if grid.is_blank(r, name_col) {
                    diags.push(
                        Diagnostic::error(
                            Code::ThieuTenChiSo,
                            grid.loc(r, name_col),
                            "hàng có dữ liệu nhưng thiếu tên «Chỉ số»",
                        )
                        .hint("ghi tên chỉ số, hoặc xoá hàng nếu thừa"),
                    );
                }
                continue;
            }
        };
        metrics.push(MetricRow { code, name, max_points, last_year, last_rank, target, result, units, row: r + 1 });
    }
    metrics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::grid::tests::grid_at;

    fn s(x: &str) -> Data {
        Data::String(x.to_string())
    }

    #[test]
    fn numbers_and_total_row() {
        let g = grid_at(
            "ChiSo",
            0,
            0,
            &[
                &[s("Mã"), s("Chỉ số"), s("Điểm tối đa"), s("Mục tiêu")],
                &[s("CCHC"), s("Cải cách"), s("10,5"), Data::Float(9.25)],
                &[s("X"), s("Sai"), s("mười"), Data::Empty],
                &[s("TONG"), Data::Empty, Data::Int(100)],
            ],
        );
        let mut d = Diagnostics::default();
        let m = read_metrics(&g, &mut d);
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].max_points.as_ref().unwrap().value, 10.5);
        assert_eq!(m[0].target.as_ref().unwrap().value, 9.25);
        assert_eq!(m[2].name.text, "TONG");
        let e = d.errors().next().unwrap();
        assert_eq!((e.code.as_str(), e.loc.a1().as_deref()), ("khong-phai-so", Some("C3")));
    }
}
