//! Sheet NhiemVu: one task a row.

use calamine::Data;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::vi::parse::parse_percent;
use crate::workbook::merge::{self, Region};
use crate::workbook::model::{NumberCell, TaskRow, Text};
use crate::workbook::read::{find_table, is_empty_sheet, no_header_error, ColumnMap, Grid};
use crate::workbook::schema::{Col, SheetKind};

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

    let mut tasks: Vec<TaskRow> = Vec::new();
    // The STT merge of each task (one STT merged down over several tasks).
    let mut stt_merges: Vec<Option<Region>> = Vec::new();
    // The title of the last group row, and whether a task has followed it.
    let mut group_row: Option<(Text, bool)> = None;
    let cols: Vec<u32> = SheetKind::Tasks.spec().columns.iter().filter_map(|s| table.col(s.col)).collect();
    let rows = table.data_rows(grid);
    for (i, &r) in rows.iter().enumerate() {
        // A row holding only values merged down from the rows above.
        if cols.iter().all(|&c| grid.is_blank(r, c) || grid.merges.is_continued(r, c)) {
            continue;
        }
        // Before the STT-only test: a group title merged across from the STT
        // column (`I. CÔNG TÁC …` over A:E) has its text in the STT cell.
        let group = group_title(grid, &table, &cols, r, rows.get(i + 1).copied(), diags);
        // Rows numbered in advance but not filled in (only STT) are blank.
        if group.is_none() && only_stt(grid, &table, r) {
            continue;
        }
        if let Some(title) = group {
            group_row = Some(match group_row.take() {
                // A group holding only groups: one level is numbered, so its
                // title goes above its first sub-group's.
                Some((outer, false)) => {
                    diags.push(
                        Diagnostic::warning(
                            Code::NhomLongNhau,
                            title.loc.clone(),
                            format!(
                                "nhóm «{}» nằm trong nhóm «{}»: vanban đánh số một cấp nhóm, nên ghép hai tiêu đề vào một hàng nhóm",
                                short(&title.text),
                                short(&outer.text)
                            ),
                        )
                        .hint("nếu cần hai cấp, đưa nhóm ngoài thành đề mục ở trang NoiDung (Cấp 1) và để trang NhiemVu một cấp nhóm"),
                    );
                    (Text { text: format!("{}\n{}", outer.text, title.text), loc: title.loc }, false)
                }
                _ => (title, false),
            });
            continue;
        }
        // The lower rows of a task whose Nội dung is merged down: more
        // lines of the same task (another product, another unit).
        if grid.merges.is_continued(r, content_col) {
            if let Some(task) = tasks
                .last_mut()
                .filter(|t| grid.merges.region(r, content_col).is_some_and(|m| m.first_row < t.row && t.row <= r))
            {
                extend_task(grid, &table, r, task, diags);
                continue;
            }
        }
        let text = |c: Col, diags: &mut Diagnostics| table.col(c).and_then(|col| grid.text(r, col, diags));
        let content = grid.text(r, content_col, diags);
        let stt = text(Col::Stt, diags);
        let group = text(Col::Group, diags).or_else(|| {
            group_row.as_mut().map(|(g, used)| {
                *used = true;
                g.clone()
            })
        });
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
                        Code::ThieuNoiDung,
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
                            Code::ThieuChuTri,
                            grid.loc(r, c),
                            format!("nhiệm vụ «{}» chưa có đơn vị chủ trì", short(&content.text)),
                        )
                        .hint("ghi đơn vị chủ trì (mã, tên viết tắt hoặc tên trong trang DonVi)"),
                    );
                }
            }
        }
        stt_merges.push(table.col(Col::Stt).and_then(|c| grid.merges.region(r, c)).filter(|m| m.rows() > 1).copied());
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
    number_merged_stt(&mut tasks, &stt_merges);
    tasks
}

/// Several tasks under one STT merged down (`2.2` over three rows, each its
/// own task): each is numbered under it, `2.2.1`, `2.2.2`, … so numbers stay
/// unique (they key the progress forms) and none is printed twice.
fn number_merged_stt(tasks: &mut [TaskRow], merges: &[Option<Region>]) {
    let mut i = 0;
    while i < tasks.len() {
        let Some(m) = merges[i] else {
            i += 1;
            continue;
        };
        let n = merges[i..].iter().take_while(|x| **x == Some(m)).count();
        if n > 1 {
            for (k, t) in tasks[i..i + n].iter_mut().enumerate() {
                if let Some(stt) = t.stt.as_mut() {
                    stt.text = format!("{}.{}", stt.text.trim().trim_end_matches('.'), k + 1);
                }
            }
        }
        i += n;
    }
}

/// The title of a group row: a row whose text is one merge across the
/// table (`I` + `CÔNG TÁC CHỈ ĐẠO…` merged B:F), or whose only filled cells
/// are a number and a title when the number reads as a group's (`II`, `A`)
/// or the next row's number is under it (`1` then `1.1`).
fn group_title(
    grid: &Grid,
    table: &ColumnMap,
    cols: &[u32],
    r: u32,
    next: Option<u32>,
    diags: &mut Diagnostics,
) -> Option<Text> {
    let stt_col = table.col(Col::Stt);
    let filled: Vec<u32> = cols.iter().copied().filter(|&c| !grid.is_blank(r, c)).collect();
    let merged = grid.row_cols(r).into_iter().find_map(|c| {
        grid.merges
            .spanning(r, c)
            .filter(|m| cols.iter().filter(|&&k| k >= m.first_col && k <= m.last_col).count() >= 2)
            .map(|m| (c, *m))
    });
    let stt_text = stt_col.and_then(|c| grid.plain_text(r, c)).unwrap_or_default();
    let title_col = match merged {
        Some((c, m)) => {
            // Nothing outside the merge but the number.
            let outside = filled.iter().filter(|&&k| (k < m.first_col || k > m.last_col) && Some(k) != stt_col).count();
            if outside > 0 || grid.plain_text(r, c).is_none() {
                return None;
            }
            c
        }
        None => {
            let stt = stt_col?;
            let others: Vec<u32> = filled.iter().copied().filter(|&k| k != stt).collect();
            if stt_text.is_empty() || others.len() != 1 {
                return None;
            }
            let under = next
                .and_then(|n| grid.plain_text(n, stt))
                .is_some_and(|s| s.starts_with(&format!("{}.", stt_text.trim().trim_end_matches('.'))));
            if !merge::is_group_number(&stt_text) && !under {
                return None;
            }
            others[0]
        }
    };
    let t = grid.text(r, title_col, diags)?;
    let title = merge::strip_group_marker(&t.text).to_string();
    Some(Text { text: if title.is_empty() { t.text.clone() } else { title }, loc: t.loc })
}

/// Adds a lower row of a merged task to it: each cell not merged with the
/// task's own is one more line of that field.
fn extend_task(grid: &Grid, table: &ColumnMap, r: u32, task: &mut TaskRow, diags: &mut Diagnostics) {
    let add = |field: &mut Option<Text>, c: Col, diags: &mut Diagnostics| {
        let Some(col) = table.col(c) else {
            return;
        };
        if grid.merges.is_continued(r, col) {
            return;
        }
        let Some(more) = grid.text(r, col, diags) else {
            return;
        };
        match field {
            Some(t) => {
                t.text.push('\n');
                t.text.push_str(&more.text);
            }
            None => *field = Some(more),
        }
    };
    add(&mut task.target, Col::Target, diags);
    add(&mut task.product, Col::Product, diags);
    add(&mut task.lead, Col::Lead, diags);
    add(&mut task.support, Col::Support, diags);
    add(&mut task.deadline, Col::Deadline, diags);
    add(&mut task.note, Col::Note, diags);
    add(&mut task.result, Col::Result, diags);
}

/// Whether the only thing in a row is its STT.
fn only_stt(grid: &Grid, table: &ColumnMap, r: u32) -> bool {
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
            match parse_percent(&t.text) {
                Some(v) => v,
                None => {
                    diags.push(
                        Diagnostic::error(
                            Code::TienDoSai,
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
            Diagnostic::error(Code::TienDoSai, grid.loc(r, c), format!("Tiến độ {value} nằm ngoài 0–100"))
                .hint("ghi số phần trăm từ 0 đến 100"),
        );
        return None;
    }
    Some(NumberCell { value, loc: grid.loc(r, c) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::grid::tests::grid_at;

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
        let a1s: Vec<String> = d.items.iter().map(|x| x.loc.a1().unwrap_or_default()).collect();
        let cells: Vec<(&str, &str)> = d.items.iter().zip(&a1s).map(|(x, c)| (x.code.as_str(), c.as_str())).collect();
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
