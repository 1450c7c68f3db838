//! The quarterly BÁO CÁO on the plan's own tasks and metrics (report.md).

use serde::Serialize;
use serde_json::json;

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::document::model::{plain_rich, Appendix, Bar, BarChart, Block, Column, Document, Row, Table};
use crate::document::status::{state, Facts, State, Stats};
use crate::vi::date::Date;
use crate::vi::deadline::quarter_end;
use crate::vi::number::{format_number, format_percent};
use crate::vi::roman::to_roman;
use crate::vi::{format, upper};
use crate::workbook::model::{Info, InfoKey, Workbook};

use super::numbering::{Level3, Numbering};
use super::plan::{end_body, kem_theo};
use super::units::UnitIndex;
use super::{can_cu, header, noi_nhan, signature, vars, year_and_date, Builder, Meta};

pub const LOAI: &str = "BÁO CÁO";

/// The period reported on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub quarter: u8,
    pub year: i32,
    /// States are computed as things stood on this date.
    pub as_of: Date,
}

impl Period {
    /// Quarter `q` of `year` (default: the plan's year), as of its last day.
    pub fn quarter_end(wb: &Workbook, q: u8, year: Option<i32>) -> Period {
        let year = year.or_else(|| year_and_date(&wb.info).map(|(y, _)| y)).unwrap_or(2000);
        let q = q.clamp(1, 4);
        let as_of = quarter_end(year, q).unwrap_or(Date { year, month: 12, day: 31 });
        Period { quarter: q, year, as_of }
    }

    /// `quý III năm 2024`.
    pub fn label(&self) -> String {
        format!("quý {} năm {}", to_roman(u32::from(self.quarter)), self.year)
    }
}

/// One task as the report sees it (also the `--emit json` record).
#[derive(Debug, Clone, Serialize)]
pub struct TaskState {
    /// One-based row in sheet NhiemVu.
    pub hang: u32,
    pub noi_dung: String,
    pub chu_tri: String,
    pub thoi_han: String,
    pub han: Option<Date>,
    pub trang_thai: State,
    pub trang_thai_chu: &'static str,
    pub tien_do: Option<f64>,
    pub ngay_hoan_thanh: Option<Date>,
    pub ket_qua: String,
    /// `ket_qua` came from a unit's form: printed literally.
    #[serde(skip)]
    pub ket_qua_literal: bool,
}

/// The computed report data (`--emit json`).
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub ky_bao_cao: String,
    pub ngay_tinh: Date,
    pub thong_ke: Stats,
    pub don_vi: Vec<UnitStats>,
    pub nhiem_vu: Vec<TaskState>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitStats {
    pub don_vi: String,
    pub thong_ke: Stats,
}

/// States of every task on the as-of date.
pub fn task_states(wb: &Workbook, period: &Period) -> Vec<TaskState> {
    let plan_year = year_and_date(&wb.info).map_or(period.year, |(y, _)| y);
    wb.tasks
        .iter()
        .map(|t| {
            let f = Facts::of(t, plan_year);
            let st = state(&f, period.as_of);
            TaskState {
                hang: t.row,
                noi_dung: {
                    let mut r = crate::text::inline(&t.content.text);
                    super::numbering::strip_typed(&mut r, "");
                    crate::text::plain_text(&r)
                },
                chu_tri: t.lead.as_ref().map(|l| l.text.clone()).unwrap_or_default(),
                thoi_han: t.deadline.as_ref().map(|l| l.text.clone()).unwrap_or_default(),
                han: f.due,
                trang_thai: st,
                trang_thai_chu: st.label(),
                tien_do: t.progress.as_ref().map(|p| p.value),
                ngay_hoan_thanh: t.done_on.as_ref().map(|d| d.date),
                ket_qua: t.result.as_ref().map(|r| r.text.clone()).unwrap_or_default(),
                ket_qua_literal: false,
            }
        })
        .collect()
}

/// Per lead unit: units of sheet DonVi in their order, then outside names in
/// order of appearance; a task led by two units counts for both.
pub fn unit_stats(wb: &Workbook, states: &[TaskState]) -> Vec<UnitStats> {
    let index = UnitIndex::new(&wb.units);
    let mut names: Vec<String> = Vec::new();
    let mut per: Vec<Vec<State>> = Vec::new();
    let mut slot = |name: String, per: &mut Vec<Vec<State>>| -> usize {
        match names.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                names.push(name);
                per.push(Vec::new());
                names.len() - 1
            }
        }
    };
    for u in &wb.units {
        slot(u.name.text.clone(), &mut per);
    }
    for s in states {
        let mut leads: Vec<String> = Vec::new();
        for name in super::units::split(&s.chu_tri) {
            let n = match index.find(&name) {
                Some(i) => wb.units[i].name.text.clone(),
                None => name,
            };
            if !leads.contains(&n) {
                leads.push(n);
            }
        }
        if leads.is_empty() {
            leads.push("(Chưa giao đơn vị chủ trì)".into());
        }
        for n in leads {
            let i = slot(n, &mut per);
            per[i].push(s.trang_thai);
        }
    }
    names
        .into_iter()
        .zip(per)
        .filter(|(_, st)| !st.is_empty())
        .map(|(don_vi, st)| UnitStats { don_vi, thong_ke: Stats::of(st) })
        .collect()
}

fn heading(num: &mut Numbering, level: u8, title: &str) -> Block {
    Block::Heading { level, number: num.next(level), title: plain_rich(title), text: Vec::new() }
}

/// The fields in force for a report: ThongTin overridden by BaoCao; the
/// plan's Số and Ngày ban hành never carry over.
fn report_info(wb: &Workbook) -> Info {
    let mut base = wb.info.clone();
    base.values.retain(|v| !matches!(v.key, InfoKey::So | InfoKey::NgayBanHanh | InfoKey::KetThuc | InfoKey::TrichYeu));
    // The plan's ký hiệu is a KH-…: the report's own is BC-… unless BaoCao sets one.
    for v in base.values.iter_mut().filter(|v| v.key == InfoKey::KyHieu) {
        let t = v.text.text.trim();
        if let Some(rest) = t.split_once('-').map(|(_, r)| r) {
            v.text.text = format!("BC-{rest}");
        }
    }
    match &wb.report {
        Some(r) => base.overridden_by(r),
        None => base,
    }
}

/// Builds the report; `None` when an error was found.
pub fn build(
    wb: &Workbook,
    env: &minijinja::Environment<'static>,
    period: &Period,
) -> (Option<(Document, Meta, ReportData)>, Diagnostics) {
    build_with(wb, env, period, None, None)
}

/// Builds the report of the whole workbook, or of one unit (`wb` is then
/// the unit's view of it, and `don_vi` is defined in its cells).
pub fn build_for_unit(
    wb: &Workbook,
    env: &minijinja::Environment<'static>,
    period: &Period,
    unit: Option<&crate::workbook::model::UnitRow>,
) -> (Option<(Document, Meta, ReportData)>, Diagnostics) {
    build_with(wb, env, period, unit, None)
}

/// A unit's report (`wb` its view of the workbook) with the returned
/// progress of its own tasks (`batch --kind report --progress`).
pub fn build_for_unit_with_progress(
    wb: &Workbook,
    env: &minijinja::Environment<'static>,
    period: &Period,
    unit: &crate::workbook::model::UnitRow,
    progress: Option<&crate::forms::Progress>,
) -> (Option<(Document, Meta, ReportData)>, Diagnostics) {
    build_with(wb, env, period, Some(unit), progress)
}

/// The master workbook with the units' returned values over its own
/// progress columns, and per task the units' results to print literally
/// (never evaluated), with whether the master's own result comes first.
fn overlay(wb: &Workbook, p: &crate::forms::Progress) -> (Workbook, Vec<Option<(bool, String)>>) {
    let mut out = wb.clone();
    let short =
        |code: &str| p.units.iter().find(|u| u.code == code).map_or_else(|| code.to_string(), |u| u.short_name.clone());
    let mut literal = Vec::with_capacity(out.tasks.len());
    for ((t, tp), master) in out.tasks.iter_mut().zip(&p.tasks).zip(&wb.tasks) {
        let v = &tp.values;
        let loc = t.content.loc.clone();
        let text = |s: &str| crate::workbook::model::Text { text: s.to_string(), loc: loc.clone() };
        t.status = v.status.map(|m| text(m.label()));
        t.progress = v.progress.map(|value| crate::workbook::model::NumberCell { value, loc: loc.clone() });
        t.done_on = v.done_on.map(|date| crate::workbook::model::DateCell { date, loc: loc.clone() });
        let own = v.result.is_some() && v.result.as_ref() == master.result.as_ref().map(|r| &r.text);
        let mut lines: Vec<String> = Vec::new();
        if !own {
            lines.extend(v.result.clone());
        }
        for (code, r) in &tp.supporters {
            lines.push(format!("{}: {r}", short(code)));
        }
        if !own {
            t.result = None;
        }
        literal.push((!lines.is_empty()).then(|| (own, lines.join("\n"))));
    }
    (out, literal)
}

/// The units' lines of a section, each unit's introduced by its short name.
/// In a unit's own report (`own`), its lines stand without its name.
fn unit_paras(
    p: &crate::forms::Progress,
    pick: fn(&crate::forms::UnitReport) -> &Vec<String>,
    own: bool,
) -> Vec<Block> {
    p.units
        .iter()
        .filter(|u| !pick(u).is_empty())
        .map(|u| {
            let items: Vec<String> =
                pick(u).iter().map(|s| s.trim().trim_end_matches(['.', ';']).to_string()).collect();
            let head = crate::document::model::Run { t: format!("{}: ", u.short_name), b: true, i: false };
            let body = crate::document::model::Run { t: format!("{}.", items.join("; ")), b: false, i: false };
            let runs = if own { vec![body] } else { vec![head, body] };
            Block::Para { number: None, text: vec![runs] }
        })
        .collect()
}

/// The report, with the units' returned progress over the master's own
/// when `progress` is given (collect.md); `None` when an error was found.
pub fn build_with_progress(
    wb: &Workbook,
    env: &minijinja::Environment<'static>,
    period: &Period,
    progress: Option<&crate::forms::Progress>,
) -> (Option<(Document, Meta, ReportData)>, Diagnostics) {
    build_with(wb, env, period, None, progress)
}

/// The report of the workbook or of one unit, with the units' returned
/// progress when given.
fn build_with(
    wb: &Workbook,
    env: &minijinja::Environment<'static>,
    period: &Period,
    unit: Option<&crate::workbook::model::UnitRow>,
    progress: Option<&crate::forms::Progress>,
) -> (Option<(Document, Meta, ReportData)>, Diagnostics) {
    let (merged, literal) = match progress {
        Some(p) => {
            let (w, l) = overlay(wb, p);
            (Some(w), l)
        }
        None => (None, Vec::new()),
    };
    let wb = merged.as_ref().unwrap_or(wb);
    let info = report_info(wb);
    let mut states = task_states(wb, period);
    let stats = Stats::of(states.iter().map(|s| s.trang_thai));
    let mut vars = vars::base(wb, &info, LOAI, period.year, unit);
    if let serde_json::Value::Object(map) = &mut vars {
        map.insert("quy".into(), json!(period.quarter));
        map.insert("ky_bao_cao".into(), json!(period.label()));
        map.insert("thong_ke".into(), serde_json::to_value(stats).unwrap_or_default());
    }
    let date = info.get(InfoKey::NgayBanHanh).and_then(|v| v.date);
    let year = date.map_or(period.as_of.year, |d| d.year);
    let mut b = Builder::new(wb, info, env, vars);
    // The task cells as the plan prints them: `{{ … }}` evaluated (and an
    // error there refuses the report, as it refuses the plan).
    for (s, t) in states.iter_mut().zip(&wb.tasks) {
        let mut noi_dung = b.rich(&t.content);
        super::numbering::strip_and_warn(&mut noi_dung, "", &t.content.loc, &mut b.diags);
        s.noi_dung = crate::text::plain_text(&noi_dung);
        s.chu_tri = t.lead.as_ref().map(|x| b.eval(x)).unwrap_or_default();
        s.thoi_han = t.deadline.as_ref().map(|x| b.eval(x)).unwrap_or_default();
        s.ket_qua = t.result.as_ref().map(|x| b.eval(x)).unwrap_or_default();
    }
    for (s, lit) in states.iter_mut().zip(&literal) {
        if let Some((own, units)) = lit {
            s.ket_qua = if *own && !s.ket_qua.is_empty() { format!("{}\n{units}", s.ket_qua) } else { units.clone() };
            s.ket_qua_literal = true;
        }
    }
    let units = unit_stats(wb, &states);
    let hdr = header(&mut b, year, date, None);

    let trich_yeu = match b.info.text(InfoKey::TrichYeu).cloned() {
        Some(t) => b.rich(&t),
        None => plain_rich(default_trich_yeu(wb, period)),
    };
    let mut doc = Document {
        loai: LOAI.into(),
        header: hdr,
        trich_yeu,
        kinh_gui: b.field_rich_all(InfoKey::KinhGui),
        can_cu: if wb.report.as_ref().is_some_and(|r| r.get(InfoKey::CanCu).is_some()) {
            can_cu(&mut b)
        } else {
            Vec::new()
        },
        mo_dau: if wb.report.as_ref().is_some_and(|r| r.get(InfoKey::MoDau).is_some()) {
            b.field_rich_all(InfoKey::MoDau)
        } else {
            vec![plain_rich(format!(
                "Thực hiện {}, {} báo cáo kết quả thực hiện {} như sau:",
                plan_reference(wb),
                upper::agency_in_sentence(&b.field(InfoKey::CoQuanBanHanh)),
                period.label()
            ))]
        },
        body: Vec::new(),
        ky: signature(&mut b),
        noi_nhan: Vec::new(),
        phu_luc: Vec::new(),
    };

    let mut num = Numbering::new(Level3::Decimal);
    let mut body = Vec::new();
    body.push(heading(&mut num, 1, "KẾT QUẢ THỰC HIỆN"));
    if stats.tong == 0 {
        body.push(Block::Para {
            number: None,
            text: plain_rich("Kế hoạch không có nhiệm vụ nào để theo dõi trong kỳ báo cáo."),
        });
    } else {
        body.push(heading(&mut num, 2, "Tình hình thực hiện nhiệm vụ"));
        body.push(Block::Para {
            number: None,
            text: plain_rich(format!(
                "Tính đến ngày {}, tổng số {} nhiệm vụ, đã hoàn thành {} nhiệm vụ (tỷ lệ {}).",
                format::short(&period.as_of),
                stats.tong,
                stats.hoan_thanh,
                format_percent(stats.ty_le_hoan_thanh)
            )),
        });
        if let Some(p) = progress {
            let line = if unit.is_some() { p.who_reported_of_tasks() } else { p.who_reported() };
            body.push(Block::Para { number: None, text: plain_rich(line) });
        }
        body.push(Block::Table(summary_table(&stats)));
        if !units.is_empty() {
            body.push(heading(&mut num, 2, "Kết quả theo đơn vị chủ trì"));
            body.push(Block::Table(unit_table(&units)));
            body.push(Block::Chart(BarChart {
                caption: "Tỷ lệ hoàn thành nhiệm vụ theo đơn vị chủ trì (%)".into(),
                max: 100.0,
                bars: units
                    .iter()
                    .map(|u| Bar {
                        label: u.don_vi.clone(),
                        value: u.thong_ke.ty_le_hoan_thanh,
                        text: format_percent(u.thong_ke.ty_le_hoan_thanh),
                    })
                    .collect(),
            }));
        }
    }
    if let Some(t) = metrics_table(wb) {
        body.push(heading(&mut num, 2, "Kết quả các chỉ số"));
        body.push(Block::Table(t));
    }
    let overdue: Vec<&TaskState> = states.iter().filter(|s| s.trang_thai == State::QuaHan).collect();
    if !overdue.is_empty() {
        body.push(heading(&mut num, 2, "Nhiệm vụ quá hạn chưa hoàn thành"));
        body.push(Block::Table(Table::numbered(
            &[("Nhiệm vụ", 4.0, "left"), ("Đơn vị chủ trì", 1.8, "left"), ("Thời hạn", 1.3, "center")],
            overdue.iter().map(|s| {
                vec![plain_rich(s.noi_dung.clone()), plain_rich(s.chu_tri.clone()), plain_rich(s.thoi_han.clone())]
            }),
        )));
    }

    let ton_tai = b.field_rich_all(InfoKey::TonTaiHanChe);
    let units_ton_tai = progress.map(|p| unit_paras(p, |u| &u.ton_tai, unit.is_some())).unwrap_or_default();
    if !ton_tai.is_empty() || !units_ton_tai.is_empty() {
        body.push(heading(&mut num, 1, "TỒN TẠI, HẠN CHẾ"));
        body.extend(ton_tai.into_iter().map(|text| Block::Para { number: None, text }));
        body.extend(units_ton_tai);
    }

    let next_end = next_quarter_end(period);
    let upcoming: Vec<&TaskState> =
        states.iter().filter(|s| !s.trang_thai.is_done() && s.han.is_some_and(|h| h <= next_end)).collect();
    let phuong_huong = b.field_rich_all(InfoKey::PhuongHuong);
    if !upcoming.is_empty() || !phuong_huong.is_empty() {
        body.push(heading(&mut num, 1, "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ TỚI"));
        if !upcoming.is_empty() {
            body.push(Block::Para {
                number: None, text: plain_rich("Tập trung hoàn thành các nhiệm vụ sau:")
            });
            for s in upcoming {
                let mut detail = Vec::new();
                if !s.chu_tri.is_empty() {
                    detail.push(format!("chủ trì: {}", s.chu_tri.replace('\n', ", ")));
                }
                if !s.thoi_han.is_empty() {
                    detail.push(format!("thời hạn: {}", s.thoi_han));
                }
                let tail = if detail.is_empty() { String::new() } else { format!(" ({})", detail.join("; ")) };
                body.push(Block::Bullet {
                    marker: "-".into(),
                    text: plain_rich(format!("{}{tail};", s.noi_dung.replace('\n', " "))),
                });
            }
        }
        body.extend(phuong_huong.into_iter().map(|text| Block::Para { number: None, text }));
    }
    let kien_nghi = b.field_rich_all(InfoKey::KienNghi);
    let units_kien_nghi = progress.map(|p| unit_paras(p, |u| &u.kien_nghi, unit.is_some())).unwrap_or_default();
    if !kien_nghi.is_empty() || !units_kien_nghi.is_empty() {
        body.push(heading(&mut num, 1, "KIẾN NGHỊ"));
        body.extend(kien_nghi.into_iter().map(|text| Block::Para { number: None, text }));
        body.extend(units_kien_nghi);
    }
    if wb.report.as_ref().is_some_and(|r| r.get(InfoKey::KetThuc).is_some()) {
        body.extend(b.field_rich_all(InfoKey::KetThuc).into_iter().map(|text| Block::Para { number: None, text }));
    }
    end_body(&mut body);
    doc.body = body;

    let mut recipients = noi_nhan(&mut b);
    if !doc.kinh_gui.is_empty() && !recipients.first().is_some_and(|r| r.starts_with("Như trên")) {
        recipients.insert(0, "Như trên;".into());
    }
    doc.noi_nhan = recipients;

    if !states.is_empty() {
        let kt = kem_theo(&doc, "Báo cáo");
        doc.phu_luc.push(Appendix {
            label: "PHỤ LỤC".into(),
            title: "CHI TIẾT TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ".into(),
            kem_theo: kt,
            body: vec![Block::Table(detail_table(&states))],
        });
    }

    let meta = Meta {
        year: period.year,
        date: date.unwrap_or(period.as_of),
        ky_hieu: doc.header.ky_hieu.clone(),
        vars: b.vars_json.clone(),
    };
    let data = ReportData {
        ky_bao_cao: period.label(),
        ngay_tinh: period.as_of,
        thong_ke: stats,
        don_vi: units,
        nhiem_vu: states,
    };
    if b.info.text(InfoKey::KyHieu).is_none() {
        b.diags.push(Diagnostic::error(
            Code::ThieuTruong,
            Loc::sheet("BaoCao").with_label("Ký hiệu"),
            "báo cáo chưa có ký hiệu",
        ));
    }
    let diags = std::mem::take(&mut b.diags);
    if diags.has_errors() {
        (None, diags)
    } else {
        (Some((doc, meta, data)), diags)
    }
}

/// `Kế hoạch số 54/KH-SNNPTNT ngày 30/6/2021 của Sở …` (number and date only
/// when the plan has them).
pub fn plan_reference(wb: &Workbook) -> String {
    let info = &wb.info;
    let so = info.text(InfoKey::So).map(|t| t.text.trim().to_string()).filter(|s| !s.is_empty());
    let kh = info.text(InfoKey::KyHieu).map(|t| t.text.trim().to_string()).unwrap_or_default();
    let date = info.get(InfoKey::NgayBanHanh).and_then(|v| v.date);
    let agency = info.text(InfoKey::CoQuanBanHanh).map(|t| upper::agency_in_sentence(&t.text)).unwrap_or_default();
    let mut s = "Kế hoạch".to_string();
    if let Some(so) = so {
        s.push_str(&format!(" số {}/{kh}", format::so(&so)));
    }
    if let Some(d) = date {
        s.push_str(&format!(" ngày {}", format::reference(&d)));
    }
    if !agency.is_empty() {
        s.push_str(&format!(" của {agency}"));
    }
    s
}

/// `Kết quả thực hiện Kế hoạch số 54/KH-SNNPTNT ngày 30/6/2021 của Sở … quý III năm 2021`.
pub fn default_trich_yeu(wb: &Workbook, period: &Period) -> String {
    format!("Kết quả thực hiện {} {}", plan_reference(wb), period.label())
}

fn next_quarter_end(p: &Period) -> Date {
    let (y, q) = if p.quarter == 4 { (p.year + 1, 1) } else { (p.year, p.quarter + 1) };
    quarter_end(y, q).unwrap_or(p.as_of)
}

fn summary_table(s: &Stats) -> Table {
    let rows = [
        ("Tổng số nhiệm vụ", s.tong.to_string(), true),
        ("Hoàn thành đúng hạn", s.hoan_thanh_dung_han.to_string(), false),
        ("Hoàn thành trễ hạn", s.hoan_thanh_tre_han.to_string(), false),
        ("Đang thực hiện", s.dang_thuc_hien.to_string(), false),
        ("Quá hạn chưa hoàn thành", s.qua_han.to_string(), false),
        ("Chưa đến hạn", s.chua_den_han.to_string(), false),
        ("Tỷ lệ hoàn thành", format_percent(s.ty_le_hoan_thanh), true),
    ];
    Table {
        columns: vec![
            Column::new("STT", 0.5, "center"),
            Column::new("Nội dung", 3.5, "left"),
            Column::new("Số lượng", 1.2, "center"),
        ],
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, (label, value, bold))| Row {
                cells: vec![plain_rich((i + 1).to_string()), plain_rich(*label), plain_rich(value.clone())],
                bold: *bold,
                group: false,
            })
            .collect(),
        caption: None,
    }
}

fn unit_table(units: &[UnitStats]) -> Table {
    Table::numbered(
        &[
            ("Đơn vị chủ trì", 3.0, "left"),
            ("Tổng số", 0.9, "center"),
            ("Hoàn thành", 1.1, "center"),
            ("Quá hạn", 0.9, "center"),
            ("Tỷ lệ hoàn thành", 1.2, "center"),
        ],
        units.iter().map(|u| {
            vec![
                plain_rich(u.don_vi.clone()),
                plain_rich(u.thong_ke.tong.to_string()),
                plain_rich(u.thong_ke.hoan_thanh.to_string()),
                plain_rich(u.thong_ke.qua_han.to_string()),
                plain_rich(format_percent(u.thong_ke.ty_le_hoan_thanh)),
            ]
        }),
    )
}

/// Metrics against targets, when sheet ChiSo has results.
fn metrics_table(wb: &Workbook) -> Option<Table> {
    if !wb.metrics.iter().any(|m| m.result.is_some()) {
        return None;
    }
    let n = |x: Option<&crate::workbook::model::NumberCell>| {
        plain_rich(x.map(|v| format_number(v.value)).unwrap_or_default())
    };
    let mut rows: Vec<Row> = Vec::new();
    let (totals, items): (Vec<_>, Vec<_>) = wb.metrics.iter().partition(|m| vars::is_total(m));
    for (i, m) in items.iter().chain(totals.iter()).enumerate() {
        let total = vars::is_total(m);
        let verdict = match (m.result.as_ref(), m.target.as_ref()) {
            (Some(r), Some(t)) if r.value + 1e-9 >= t.value => "Đạt",
            (Some(_), Some(_)) => "Chưa đạt",
            _ => "",
        };
        rows.push(Row {
            cells: vec![
                plain_rich(if total { String::new() } else { (i + 1).to_string() }),
                plain_rich(m.name.text.clone()),
                n(m.max_points.as_ref()),
                n(m.target.as_ref()),
                n(m.result.as_ref()),
                plain_rich(verdict),
            ],
            bold: total,
            group: false,
        });
    }
    Some(Table {
        columns: vec![
            Column::new("STT", 0.5, "center"),
            Column::new("Chỉ số", 3.0, "left"),
            Column::new("Điểm tối đa", 1.0, "center"),
            Column::new("Mục tiêu", 1.0, "center"),
            Column::new("Kết quả", 1.0, "center"),
            Column::new("Đánh giá", 1.1, "center"),
        ],
        rows,
        caption: None,
    })
}

fn detail_table(states: &[TaskState]) -> Table {
    Table::numbered(
        &[
            ("Nhiệm vụ", 4.0, "left"),
            ("Đơn vị chủ trì", 1.8, "left"),
            ("Thời hạn", 1.2, "center"),
            ("Tình trạng", 1.4, "left"),
            ("Tiến độ (%)", 0.8, "center"),
            ("Kết quả thực hiện", 2.6, "left"),
        ],
        states.iter().map(|s| {
            let progress = match (s.tien_do, s.trang_thai.is_done()) {
                (Some(p), _) => format_number(p),
                (None, true) => "100".into(),
                (None, false) => String::new(),
            };
            vec![
                plain_rich(s.noi_dung.clone()),
                plain_rich(s.chu_tri.clone()),
                plain_rich(s.thoi_han.clone()),
                plain_rich(s.trang_thai_chu),
                plain_rich(progress),
                if s.ket_qua_literal { plain_rich(s.ket_qua.clone()) } else { crate::text::inline(&s.ket_qua) },
            ]
        }),
    )
}
