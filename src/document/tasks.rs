//! The task block (sheet NhiemVu) as a table, numbered prose or an appendix
//! table, and the metrics table (sheet ChiSo).

use crate::document::model::{plain_rich, Block, Column, Rich, Row, Run, Table};
use crate::vi::fold::match_key;
use crate::vi::number::format_number;
use crate::workbook::model::{MetricRow, NumberCell, TaskRow, Text};

use super::numbering::{strip_and_warn, Numbering};
use super::vars::is_total;
use super::Builder;

/// How tasks are presented (`Trình bày nhiệm vụ`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Presentation {
    /// A table in the body, with group rows.
    #[default]
    Table,
    /// Numbered prose items with chủ trì / phối hợp / thời hạn lines.
    Prose,
    /// A landscape table in an appendix.
    Appendix,
}

impl Presentation {
    /// From the field's text; `None` when it is not one of the three.
    pub fn parse(s: &str) -> Option<Presentation> {
        match match_key(s).as_str() {
            "" | "bang" => Some(Presentation::Table),
            "vanxuoi" => Some(Presentation::Prose),
            "phuluc" => Some(Presentation::Appendix),
            _ => None,
        }
    }
}

/// Tasks gathered under one heading (a `Nhóm`, or a batch unit's
/// "lead" / "support" part).
pub struct Group<'w> {
    pub title: Option<Rich>,
    pub tasks: Vec<&'w TaskRow>,
}

/// Consecutive tasks with the same `Nhóm` form one group.
pub fn group_by_nhom<'w>(b: &mut Builder, tasks: impl IntoIterator<Item = &'w TaskRow>) -> Vec<Group<'w>> {
    let mut groups: Vec<(String, Option<Text>, Vec<&'w TaskRow>)> = Vec::new();
    for t in tasks {
        let key = t.group.as_ref().map(|g| match_key(&g.text)).unwrap_or_default();
        match groups.last_mut() {
            Some((k, _, list)) if *k == key => list.push(t),
            _ => groups.push((key, t.group.clone(), vec![t])),
        }
    }
    groups
        .into_iter()
        .map(|(_, title, tasks)| {
            let title = title.map(|t| {
                let mut r = b.rich(&t);
                // Its number is generated too (`1.` in a table, the next heading number in prose).
                strip_and_warn(&mut r, "", &t.loc, &mut b.diags);
                r
            });
            Group { title, tasks }
        })
        .collect()
}

/// The cells of one task, evaluated once.
struct TaskCells {
    content: Rich,
    target: Rich,
    product: Rich,
    lead: Rich,
    support: Rich,
    deadline: Rich,
    note: Rich,
}

fn cells(b: &mut Builder, t: &TaskRow) -> TaskCells {
    TaskCells {
        content: b.rich(&t.content),
        target: b.opt_rich(t.target.as_ref()),
        product: b.opt_rich(t.product.as_ref()),
        lead: b.opt_rich(t.lead.as_ref()),
        support: b.opt_rich(t.support.as_ref()),
        deadline: b.opt_rich(t.deadline.as_ref()),
        note: b.opt_rich(t.note.as_ref()),
    }
}

/// A row of the task table: the group header above it (number, title), its
/// STT and its cells.
type TableEntry = (Option<(String, Rich)>, String, TaskCells);

/// An optional column: title, relative width, its cell, shown even when empty.
type OptionalColumn = (&'static str, f64, fn(&TaskCells) -> &Rich, bool);

/// The task table: STT, Nhiệm vụ, then the optional columns that have data.
pub fn table(b: &mut Builder, groups: &[Group]) -> Table {
    let mut rows: Vec<TableEntry> = Vec::new();
    let mut gi = 0;
    let mut flat = 0;
    for g in groups {
        let header = g.title.clone().map(|t| {
            gi += 1;
            (gi.to_string(), t)
        });
        let mut first = true;
        for (ti, t) in g.tasks.iter().enumerate() {
            let stt = match (&t.stt, &header) {
                (Some(s), _) if !s.text.trim().is_empty() => s.text.trim().to_string(),
                (_, Some((n, _))) => format!("{n}.{}", ti + 1),
                _ => {
                    flat += 1;
                    flat.to_string()
                }
            };
            let mut c = cells(b, t);
            strip_and_warn(&mut c.content, &stt, &t.content.loc, &mut b.diags);
            rows.push((if first { header.clone() } else { None }, stt, c));
            first = false;
        }
        if g.tasks.is_empty() {
            if let Some(h) = header {
                rows.push((Some(h), String::new(), cells_empty()));
            }
        }
    }
    let has = |f: fn(&TaskCells) -> &Rich| rows.iter().any(|(_, _, c)| !f(c).is_empty());
    let optional: [OptionalColumn; 6] = [
        ("Mục tiêu", 1.6, |c| &c.target, false),
        ("Sản phẩm", 1.6, |c| &c.product, false),
        ("Đơn vị chủ trì", 1.4, |c| &c.lead, true),
        ("Đơn vị phối hợp", 1.4, |c| &c.support, false),
        ("Thời hạn", 1.4, |c| &c.deadline, false),
        ("Ghi chú", 1.1, |c| &c.note, false),
    ];
    let chosen: Vec<_> = optional.iter().filter(|(_, _, f, always)| *always || has(*f)).collect();
    let mut columns = vec![
        Column { title: "STT".into(), width: 0.6, align: "center" },
        Column { title: "Nhiệm vụ".into(), width: 3.4, align: "left" },
    ];
    columns.extend(chosen.iter().map(|(title, w, _, _)| Column {
        title: (*title).to_string(),
        width: *w,
        align: if *title == "Thời hạn" { "center" } else { "left" },
    }));
    let mut out = Vec::new();
    for (header, stt, c) in &rows {
        if let Some((n, title)) = header {
            out.push(Row { cells: vec![plain_rich(n), title.clone()], group: true, bold: false });
        }
        if stt.is_empty() && c.content.is_empty() {
            continue;
        }
        let mut cells = vec![plain_rich(stt), c.content.clone()];
        cells.extend(chosen.iter().map(|(_, _, f, _)| f(c).clone()));
        out.push(Row { cells, group: false, bold: false });
    }
    Table { columns, rows: out, caption: None }
}

fn cells_empty() -> TaskCells {
    TaskCells {
        content: Vec::new(),
        target: Vec::new(),
        product: Vec::new(),
        lead: Vec::new(),
        support: Vec::new(),
        deadline: Vec::new(),
        note: Vec::new(),
    }
}

/// A labelled line (`- Đơn vị chủ trì: Văn phòng Sở`) as a bullet item; the
/// lines of a multi-line cell are joined with `; ` (unit lists) or kept as
/// paragraphs.
fn labelled(label: &str, value: &Rich, join_lines: bool) -> Option<Block> {
    if value.is_empty() {
        return None;
    }
    let mut paras = value.clone();
    if join_lines && paras.len() > 1 {
        let mut joined: Vec<Run> = Vec::new();
        for (i, p) in paras.into_iter().enumerate() {
            if i > 0 {
                if let Some(last) = joined.last_mut() {
                    last.t = last.t.trim_end().trim_end_matches([';', ',']).to_string();
                }
                joined.push(Run { t: "; ".into(), ..Run::default() });
            }
            joined.extend(p);
        }
        paras = vec![joined];
    }
    let mut first: Vec<Run> = vec![Run { t: format!("{label}: "), ..Run::default() }];
    let head = paras.remove(0);
    first.extend(head);
    let mut text = vec![first];
    text.extend(paras);
    Some(Block::Bullet { marker: "-".into(), text })
}

/// Numbered prose items: groups as headings one level below the current
/// one, each task a numbered paragraph with its lines.
pub fn prose(b: &mut Builder, groups: &[Group], num: &mut Numbering) -> Vec<Block> {
    let base = num.depth();
    let mut out = Vec::new();
    for g in groups {
        let task_level = match &g.title {
            Some(title) => {
                let level = (base + 1).min(4);
                out.push(Block::Heading { level, number: num.next(level), title: title.clone(), text: Vec::new() });
                (level + 1).min(4)
            }
            None => (base + 1).min(4),
        };
        for t in &g.tasks {
            let mut c = cells(b, t);
            let number = match &t.stt {
                Some(s) if !s.text.trim().is_empty() => s.text.trim().to_string(),
                _ => num.next(task_level),
            };
            strip_and_warn(&mut c.content, &number, &t.content.loc, &mut b.diags);
            out.push(Block::Para { number: Some(number), text: c.content.clone() });
            for (label, value, join) in [
                ("Mục tiêu", &c.target, false),
                ("Sản phẩm", &c.product, false),
                ("Đơn vị chủ trì", &c.lead, true),
                ("Đơn vị phối hợp", &c.support, true),
                ("Thời hạn", &c.deadline, false),
                ("Ghi chú", &c.note, false),
            ] {
                out.extend(labelled(label, value, join));
            }
        }
    }
    out
}

fn number_text(n: Option<&NumberCell>) -> Rich {
    plain_rich(n.map(|n| format_number(n.value)).unwrap_or_default())
}

/// The metrics table of a plan: STT, Chỉ số, Điểm tối đa, Kết quả năm trước,
/// Xếp hạng năm trước, Mục tiêu, Đơn vị phụ trách; empty columns left out;
/// the total row bold and last.
pub fn metrics_table(b: &mut Builder, metrics: &[&MetricRow]) -> Table {
    let (totals, rows): (Vec<&&MetricRow>, Vec<&&MetricRow>) = metrics.iter().partition(|m| is_total(m));
    let mut body: Vec<(bool, Vec<Rich>)> = Vec::new();
    for (i, m) in rows.iter().chain(totals.iter()).enumerate() {
        let total = is_total(m);
        let stt = if total { String::new() } else { (i + 1).to_string() };
        body.push((
            total,
            vec![
                plain_rich(&stt),
                b.rich(&m.name),
                number_text(m.max_points.as_ref()),
                number_text(m.last_year.as_ref()),
                b.opt_rich(m.last_rank.as_ref()),
                number_text(m.target.as_ref()),
                b.opt_rich(m.units.as_ref()),
            ],
        ));
    }
    let all = [
        ("STT", 0.5, "center"),
        ("Chỉ số", 3.0, "left"),
        ("Điểm tối đa", 1.0, "center"),
        ("Kết quả năm trước", 1.1, "center"),
        ("Xếp hạng năm trước", 1.1, "center"),
        ("Mục tiêu", 1.0, "center"),
        ("Đơn vị phụ trách", 1.8, "left"),
    ];
    let keep: Vec<usize> =
        (0..all.len()).filter(|&c| c < 2 || body.iter().any(|(_, cells)| !cells[c].is_empty())).collect();
    Table {
        columns: keep.iter().map(|&c| Column { title: all[c].0.into(), width: all[c].1, align: all[c].2 }).collect(),
        rows: body
            .into_iter()
            .map(|(total, cells)| Row {
                cells: keep.iter().map(|&c| cells[c].clone()).collect(),
                group: false,
                bold: total,
            })
            .collect(),
        caption: None,
    }
}
