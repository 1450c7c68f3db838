//! The KẾ HOẠCH: the body from sheet NoiDung with generated numbering, the
//! tasks and metrics where the workbook places them, `./.` at the end.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::document::model::{Appendix, Block, Document, KemTheo, Rich, Run};
use crate::vi::upper;
use crate::workbook::model::{InfoKey, Level, MetricRow, TaskRow, UnitRow, Workbook};

use super::numbering::{Level3, Numbering};
use super::tasks::{self, Group, Presentation};
use super::units::UnitIndex;
use super::{can_cu, header, noi_nhan, set_end, signature, upper_lines, vars, year_and_date, Builder, Meta};

pub const LOAI: &str = "KẾ HOẠCH";

/// For one unit in batch: the unit issues its own plan.
pub struct ForUnit<'w> {
    pub unit: &'w UnitRow,
    pub index: &'w UnitIndex,
}

/// Builds the plan (the whole department's, or one unit's); `None` when an
/// error was found (all of them are in the diagnostics).
pub fn build(
    wb: &Workbook,
    env: &minijinja::Environment<'static>,
    unit: Option<ForUnit>,
) -> (Option<(Document, Meta)>, Diagnostics) {
    let info = wb.info.clone();
    let Some((year, date)) = year_and_date(&info) else {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error(
                Code::ThieuNam,
                crate::diag::Loc::sheet(info.sheet.clone()).with_label("Năm"),
                "không xác định được năm của kế hoạch",
            )
            .hint("điền «Năm» (ví dụ 2024) hoặc «Ngày ban hành» ở trang ThongTin"),
        );
        return (None, d);
    };
    // In batch, Số and Ngày ban hành are left blank to fill in by hand.
    let date = if unit.is_some() { None } else { date };
    let vars = vars::base(wb, &info, LOAI, year, unit.as_ref().map(|u| u.unit));
    let mut b = Builder::new(wb, info, env, vars);

    let issuer = unit.as_ref().map(|u| {
        let parent = b.field(InfoKey::CoQuanBanHanh);
        (upper_lines(&parent), vec![upper::hoa(&u.unit.name.text)])
    });
    let mut hdr = header(&mut b, year, date, issuer);
    let mut ky = signature(&mut b);
    if let Some(u) = &unit {
        hdr.so = None;
        if let Some(sym) = u.unit.symbol.as_ref().filter(|s| !s.text.trim().is_empty()) {
            hdr.ky_hieu = sym.text.trim().to_string();
        }
        if let Some(name) = u.unit.signer.as_ref().filter(|s| !s.text.trim().is_empty()) {
            ky.nguoi_ky = name.text.trim().to_string();
            ky.quyen_han.clear();
            ky.chuc_vu = u.unit.title.as_ref().map(|t| upper::hoa(t.text.trim())).unwrap_or_default();
        }
    }

    let presentation = {
        let raw = b.field(InfoKey::TrinhBayNhiemVu);
        Presentation::parse(&raw).unwrap_or_else(|| {
            let loc = b.loc(InfoKey::TrinhBayNhiemVu);
            b.diags.push(
                Diagnostic::warning(
                    Code::TrinhBay,
                    loc,
                    format!("«{raw}» không phải cách trình bày đã biết; dùng «bảng»"),
                )
                .hint("ghi «bảng», «văn xuôi» hoặc «phụ lục»"),
            );
            Presentation::Table
        })
    };
    let level3 = {
        let raw = b.field(InfoKey::DanhSoCap3);
        if raw.contains(')') || (raw.chars().any(char::is_alphabetic) && !raw.chars().any(|c| c.is_ascii_digit())) {
            Level3::Letter
        } else {
            Level3::Decimal
        }
    };

    // The tasks and metrics this document shows.
    let renumbered: Vec<Vec<TaskRow>>;
    let (groups, metrics): (Vec<Group>, Vec<&MetricRow>) = match &unit {
        None => {
            let groups = tasks::group_by_nhom(&mut b, wb.tasks.iter());
            (groups, wb.metrics.iter().collect())
        }
        Some(u) => {
            let (chosen, metrics) = unit_selection(wb, u);
            // A unit's plan numbers its own tasks afresh (1.1, 1.2 under each
            // part): the Sở's typed numbers would leave gaps (1, 2, 3, 6, 7).
            renumbered = chosen
                .iter()
                .map(|g| g.tasks.iter().map(|t| TaskRow { stt: None, ..(*t).clone() }).collect())
                .collect();
            let groups = chosen
                .into_iter()
                .zip(&renumbered)
                .map(|(g, own)| Group { title: g.title, tasks: own.iter().collect() })
                .collect();
            (groups, metrics)
        }
    };

    let trich_yeu = match b.info.text(InfoKey::TrichYeu).cloned() {
        Some(t) => b.rich(&t),
        None => Vec::new(),
    };
    let mut doc = Document {
        loai: LOAI.into(),
        header: hdr,
        trich_yeu,
        kinh_gui: Vec::new(),
        can_cu: can_cu(&mut b),
        mo_dau: b.field_rich_all(InfoKey::MoDau),
        body: Vec::new(),
        ky,
        noi_nhan: Vec::new(),
        phu_luc: Vec::new(),
    };

    let mut num = Numbering::new(level3);
    let mut body = Vec::new();
    let mut placed_tasks = false;
    let mut placed_metrics = false;
    let has_tasks = groups.iter().any(|g| !g.tasks.is_empty());
    // Without a CHISO row the metric table follows the tasks, wherever the
    // NHIEMVU row puts them.
    let has_metrics_row = wb.content.iter().any(|r| r.level == Level::Metrics);
    for row in &wb.content {
        let title = row.title.as_ref().map(|t| b.rich(t)).filter(|r| !r.is_empty());
        let text = row.body.as_ref().map(|t| b.rich(t)).unwrap_or_default();
        match row.level {
            Level::Numbered(n) => match title {
                Some(mut title) => {
                    let number = num.next(n);
                    untype(&mut b, &mut title, &number, row.title.as_ref());
                    body.push(Block::Heading { level: n, number, title, text })
                }
                None if !text.is_empty() => {
                    let (number, mut text) = (num.next(n), text);
                    untype(&mut b, &mut text, &number, row.body.as_ref());
                    body.push(Block::Para { number: Some(number), text })
                }
                None => {}
            },
            Level::Bullet(c) => {
                let mut t = title.unwrap_or_default();
                let first = if t.is_empty() { row.body.as_ref() } else { row.title.as_ref() };
                t.extend(text);
                untype(&mut b, &mut t, &c.to_string(), first);
                if !t.is_empty() {
                    body.push(Block::Bullet { marker: c.to_string(), text: t });
                }
            }
            Level::None => match title {
                Some(title) => {
                    let level = (num.depth() + 1).min(4);
                    body.push(Block::Heading { level, number: String::new(), title, text });
                }
                None if !text.is_empty() => body.push(Block::Para { number: None, text }),
                None => {}
            },
            Level::Tasks => {
                if wb.tasks.is_empty() && !placed_tasks {
                    b.diags.push(no_tasks_error(wb, &row.loc));
                }
                if !placed_tasks && has_tasks {
                    body.extend(task_blocks(&mut b, &groups, presentation, &mut num, &mut doc));
                }
                placed_tasks = true;
                if !has_metrics_row && !placed_metrics && !metrics.is_empty() {
                    body.push(Block::Table(tasks::metrics_table(&mut b, &metrics)));
                    placed_metrics = true;
                }
            }
            Level::Metrics => {
                if !placed_metrics && !metrics.is_empty() {
                    body.push(Block::Table(tasks::metrics_table(&mut b, &metrics)));
                }
                placed_metrics = true;
            }
        }
    }
    if !placed_tasks && has_tasks {
        body.extend(task_blocks(&mut b, &groups, presentation, &mut num, &mut doc));
    }
    if !placed_metrics && !metrics.is_empty() {
        body.push(Block::Table(tasks::metrics_table(&mut b, &metrics)));
    }
    for p in b.field_rich_all(InfoKey::KetThuc) {
        body.push(Block::Para { number: None, text: p });
    }
    end_body(&mut body);
    doc.body = body;
    doc.noi_nhan = noi_nhan(&mut b);

    let meta = Meta {
        year,
        date: date.unwrap_or(crate::vi::date::Date { year, month: 1, day: 1 }),
        ky_hieu: doc.header.ky_hieu.clone(),
        vars: b.vars_json.clone(),
    };
    let diags = std::mem::take(&mut b.diags);
    if diags.has_errors() {
        (None, diags)
    } else {
        (Some((doc, meta)), diags)
    }
}

/// Removes a number or bullet typed in front of a generated one, warning at
/// the cell it was typed in.
fn untype(b: &mut Builder, r: &mut Rich, number: &str, cell: Option<&crate::workbook::model::Text>) {
    if let Some(cell) = cell {
        super::numbering::strip_and_warn(r, number, &cell.loc, &mut b.diags);
    }
}

/// A NoiDung `NHIEMVU` row with no task read: the plan would come out
/// without its tasks, so it is an error, naming a sheet that looks like the
/// task table when there is one.
fn no_tasks_error(wb: &Workbook, loc: &crate::diag::Loc) -> crate::diag::Diagnostic {
    let why = if wb.has_tasks_sheet {
        "trang NhiemVu không có nhiệm vụ nào"
    } else {
        "tệp không có trang NhiemVu"
    };
    let hint = match &wb.tasks_lookalike {
        Some(s) => format!(
            "trang «{s}» trông như bảng nhiệm vụ: đổi tên trang đó thành NhiemVu (chuột phải vào tên trang › Rename)"
        ),
        None => "thêm trang NhiemVu (cột STT, Nội dung, Chủ trì, Phối hợp, Thời hạn), hoặc xoá dòng NHIEMVU ở trang NoiDung nếu kế hoạch không có bảng nhiệm vụ".to_string(),
    };
    crate::diag::Diagnostic::error(
        Code::ThieuNhiemVu,
        loc.clone(),
        format!("dòng NHIEMVU đặt bảng nhiệm vụ ở đây, nhưng {why}: kế hoạch sẽ không có nhiệm vụ nào"),
    )
    .hint(hint)
}

/// A unit's tasks: the ones it leads, then the ones it supports; its metrics.
fn unit_selection<'w>(wb: &'w Workbook, u: &ForUnit) -> (Vec<Group<'w>>, Vec<&'w MetricRow>) {
    let Some(me) = u.index.find(&u.unit.code.text) else {
        return (Vec::new(), Vec::new());
    };
    let leads = |t: &&TaskRow| t.lead.as_ref().is_some_and(|c| u.index.resolve(&c.text).contains(&me));
    let supports = |t: &&TaskRow| t.support.as_ref().is_some_and(|c| u.index.resolve(&c.text).contains(&me));
    let lead: Vec<&TaskRow> = wb.tasks.iter().filter(leads).collect();
    let support: Vec<&TaskRow> = wb.tasks.iter().filter(|t| !leads(t) && supports(t)).collect();
    let title = |s: &str| Some(vec![vec![Run { t: s.to_string(), ..Run::default() }]]);
    let mut groups = Vec::new();
    if !lead.is_empty() {
        groups.push(Group { title: title("Nhiệm vụ chủ trì thực hiện"), tasks: lead });
    }
    if !support.is_empty() {
        groups.push(Group { title: title("Nhiệm vụ phối hợp thực hiện"), tasks: support });
    }
    let metrics = wb
        .metrics
        .iter()
        .filter(|m| m.units.as_ref().is_some_and(|c| u.index.resolve(&c.text).contains(&me)))
        .collect();
    (groups, metrics)
}

fn task_blocks(
    b: &mut Builder,
    groups: &[Group],
    p: Presentation,
    num: &mut Numbering,
    doc: &mut Document,
) -> Vec<Block> {
    match p {
        Presentation::Table => vec![Block::Table(tasks::table(b, groups))],
        Presentation::Prose => tasks::prose(b, groups, num),
        Presentation::Appendix => {
            let index = doc.phu_luc.len();
            doc.phu_luc.push(Appendix {
                label: "PHỤ LỤC".into(),
                title: format!("DANH MỤC NHIỆM VỤ NĂM {}", doc.header.nam),
                kem_theo: kem_theo(doc, "Kế hoạch"),
                body: vec![Block::Table(tasks::table(b, groups))],
            });
            vec![
                Block::Para {
                    number: None,
                    text: vec![vec![Run {
                        t: "Nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.".into(),
                        ..Run::default()
                    }]],
                },
                Block::AppendixRef { index },
            ]
        }
    }
}

/// The appendix reference line's pieces, from the header.
pub fn kem_theo(doc: &Document, loai: &str) -> KemTheo {
    let h = &doc.header;
    let ngay = match (&h.ngay, &h.thang) {
        (Some(d), Some(m)) => Some(format!("{d}/{m}/{}", h.nam)),
        _ => None,
    };
    KemTheo {
        loai: loai.into(),
        so: h.so.clone(),
        ky_hieu: h.ky_hieu.clone(),
        ngay,
        nam: h.nam.clone(),
        co_quan: upper::agency_in_sentence(&h.co_quan_ban_hanh.join(" ")),
    }
}

/// The body ends `./.` after its last sentence.
pub fn end_body(body: &mut Vec<Block>) {
    let last_text: Option<&mut Rich> = match body.last_mut() {
        Some(Block::Para { text, .. }) | Some(Block::Bullet { text, .. }) => Some(text),
        Some(Block::Heading { text, .. }) if !text.is_empty() => Some(text),
        _ => None,
    };
    match last_text {
        Some(t) => set_end(t, "./."),
        None => body.push(Block::Para { number: None, text: vec![vec![Run { t: "./.".into(), ..Run::default() }]] }),
    }
}
