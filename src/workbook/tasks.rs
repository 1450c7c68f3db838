//! Sheet NhiemVu: one task a row.

use calamine::Data;

use crate::diag::{Diagnostic, Diagnostics};
use crate::vi::parse::parse_number;
use crate::workbook::headers::{Col, SheetKind};
use crate::workbook::model::{NumberCell, TaskRow};
use crate::workbook::read::{find_table, is_empty_sheet, no_header_error, Grid, Table};

/// Reads the tasks of sheet NhiemVu.
pub fn read_tasks(grid: &Grid, diags: &mut Diagnostics) -> Vec<TaskRow> {
    let Some(table) = find_table(grid, SheetKind::Tasks, diags) else {
        if !is_empty_sheet(grid) {
            diags.push(no_header_error(grid, SheetKind::Tasks));
        }
        return Vec::new();
    };
    // Without the Nội dung column there are no tasks (already reported).
    let Some(content_col) = table.col(Col::Content) else {
        return Vec::new();
    };
    let header = |c: Col| SheetKind::Tasks.spec().column(c).map_or("", |s| s.name);

    let mut tasks = Vec::new();
    for r in table.data_rows(grid) {
        // Rows numbered in advance but not filled in (only STT) are blank.
        if only_stt(grid, &table, r) {
            continue;
        }
        let text = |c: Col, diags: &mut Diagnostics| table.col(c).and_then(|col| grid.text(r, col, diags));
        let content = grid.text(r, content_col, diags);
        let stt = text(Col::Stt, diags);
        let group = text(Col::Group, diags);
        let target = text(Col::Target, diags);
        let product = text(Col::Product, diags);
        let lead = text(Col::Lead, diags);
        let support = text(Col::Support, diags);
        let deadline = text(Col::Deadline, diags);
        let note = text(Col::Note, diags);
        let status = text(Col::Status, diags);
        let progress = table.col(Col::Progress).and_then(|c| read_progress(grid, r, c, header(Col::Progress), diags));
        let done_on = table.col(Col::DoneOn).and_then(|c| grid.date(r, c, header(Col::DoneOn), diags));
        let result = text(Col::Result, diags);
        let code = text(Col::TaskCode, diags);
        let Some(content) = content else {
            if grid.is_blank(r, content_col) {
                diags.push(
                    Diagnostic::error(
                        "thieu-noi-dung",
                        grid.loc(r, content_col),
                        "hàng có dữ liệu nhưng thiếu «Nội dung» nhiệm vụ",
                    )
                    .hint("ghi nội dung nhiệm vụ, hoặc xoá hàng nếu thừa"),
                );
            }
            continue;
        };
        if lead.is_none() {
            if let Some(c) = table.col(Col::Lead) {
                if grid.is_blank(r, c) {
                    diags.push(
                        Diagnostic::warning(
                            "thieu-chu-tri",
                            grid.loc(r, c),
                            format!("nhiệm vụ «{}» chưa có đơn vị chủ trì", short(&content.text)),
                        )
                        .hint("ghi đơn vị chủ trì (mã, tên viết tắt hoặc tên trong trang DonVi)"),
                    );
                }
            }
        }
        tasks.push(TaskRow {
            stt,
            group,
            content,
            target,
            product,
            lead,
            support,
            deadline,
            note,
            status,
            progress,
            done_on,
            result,
            code,
            row: r + 1,
        });
    }
    tasks
}

/// Whether the only thing in a row is its STT.
fn only_stt(grid: &Grid, table: &Table, r: u32) -> bool {
    let Some(stt) = table.col(Col::Stt) else {
        return false;
    };
    let others = [
        Col::Group,
        Col::Content,
        Col::Target,
        Col::Product,
        Col::Lead,
        Col::Support,
        Col::Deadline,
        Col::Note,
        Col::Status,
        Col::Progress,
        Col::DoneOn,
        Col::Result,
        Col::TaskCode,
    ];
    !grid.is_blank(r, stt) && others.iter().filter_map(|&c| table.col(c)).all(|c| grid.is_blank(r, c))
}

/// The first words of a task, for messages.
fn short(s: &str) -> String {
    let first_line = s.lines().next().unwrap_or("");
    let mut out: String = first_line.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// `Tiến độ (%)`: 0–100 as a number, `85%`, `85,5`, or a percent-formatted
/// cell (85% stored as 0.85).
pub(crate) fn read_progress(grid: &Grid, r: u32, c: u32, header: &str, diags: &mut Diagnostics) -> Option<NumberCell> {
    let numeric = match grid.get(r, c) {
        Data::Int(i) => Some(*i as f64),
        Data::Float(f) => Some(*f),
        _ => None,
    };
    let value = match (numeric, grid.get(r, c)) {
        // Formats unknown (xls, ods): a fraction below 1 is taken as a
        // percent-formatted cell, since nobody reports 0.85% progress.
        (Some(v), _) if grid.is_percent(r, c) || (!grid.has_styles && v > 0.0 && v < 1.0) => {
            (v * 100.0 * 1e9).round() / 1e9
        }
        (_, Data::String(_)) => {
            let t = grid.text(r, c, diags)?;
            let raw = t.text.trim().trim_end_matches('%').trim_end();
            match parse_number(raw) {
                Some(v) => v,
                None => {
                    diags.push(
                        Diagnostic::error(
                            "tien-do-sai",
                            t.loc,
                            format!("Tiến độ «{}» không phải số phần trăm", t.text),
                        )
                        .hint("ghi số từ 0 đến 100, ví dụ 85 hoặc 85,5%"),
                    );
                    return None;
                }
            }
        }
        _ => grid.number(r, c, header, diags)?.value,
    };
    if !(0.0..=100.0).contains(&value) {
        diags.push(
            Diagnostic::error("tien-do-sai", grid.loc(r, c), format!("Tiến độ {value} nằm ngoài 0–100"))
                .hint("ghi số phần trăm từ 0 đến 100"),
        );
        return None;
    }
    Some(NumberCell { value, loc: grid.loc(r, c) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::read::tests::grid_at;

    fn s(x: &str) -> Data {
        Data::String(x.to_string())
    }

    #[test]
    fn tasks_progress_and_missing_content() {
        let g = grid_at(
            "NhiemVu",
            0,
            0,
            &[
                &[s("STT"), s("Nội dung"), s("Chủ trì"), s("Tiến độ (%)"), s("Ngày hoàn thành")],
                &[Data::Int(1), s("Việc một"), s("VP"), s("85,5%"), s("05/01/2023")],
                &[Data::Int(2), s("Việc hai"), Data::Empty, Data::Int(120)],
                &[Data::Int(3), Data::Empty, s("VP")],
                &[Data::Int(4)],
                &[Data::Int(5), s("Việc năm"), s("VP"), s("nhiều"), s("32/01/2023")],
            ],
        );
        let mut d = Diagnostics::default();
        let tasks = read_tasks(&g, &mut d);
        assert_eq!(tasks.len(), 3);
        assert_eq!(tasks[0].progress.as_ref().unwrap().value, 85.5);
        assert_eq!(tasks[0].done_on.as_ref().unwrap().date.to_string(), "05/01/2023");
        assert_eq!(tasks[0].row, 2);
        assert!(tasks[1].progress.is_none());
        let cells: Vec<(&str, &str)> = d.items.iter().map(|x| (x.code, x.loc.cell.as_deref().unwrap_or(""))).collect();
        assert_eq!(
            cells,
            vec![
                ("tien-do-sai", "D3"),
                ("thieu-chu-tri", "C3"),
                ("thieu-noi-dung", "B4"),
                ("tien-do-sai", "D6"),
                ("ngay-sai", "E6"),
            ]
        );
    }
}
