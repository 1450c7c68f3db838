//! Returned forms checked against the master workbook and merged into one
//! [`Progress`]; the consolidated workbook written and read back.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Format, FormatAlign, Workbook as XlsxBook, XlsxError};

use super::read::{read_returned, Returned, ReturnedRow};
use super::write::{excel_date, fixed_properties, lines_in};
use super::{checksum, key_match, task_keys, PlanId, Stamp, Values, FORM_SHEET, KIND_CONSOLIDATED, KIND_FORM};
use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::document::report::Period;
use crate::document::status::Marked;
use crate::document::units::UnitIndex;
use crate::vi::fold::match_key;
use crate::workbook::model::Workbook;
use crate::workbook::schema::{self, FormCol};
use crate::xlsx_style;

/// Sheets of the consolidated workbook besides [`FORM_SHEET`].
pub const SENT_SHEET: &str = "DaGui";
pub const LINES_SHEET: &str = "YKien";

/// A task's merged progress.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskProgress {
    pub key: String,
    /// The values that stand: the lead unit's, else the master's.
    pub values: Values,
    pub difficulty: Option<String>,
    /// The unit (code) the values came from; `None`: the master workbook.
    pub source: Option<String>,
    /// Results of the other units that reported the task: (code, text).
    pub supporters: Vec<(String, String)>,
}

/// A unit of sheet DonVi and what it sent.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitReport {
    pub code: String,
    pub name: String,
    pub short_name: String,
    /// The file its values came from; `None`: nothing usable was sent.
    pub file: Option<String>,
    pub ton_tai: Vec<String>,
    pub kien_nghi: Vec<String>,
    /// Its form changed no value and added no line.
    pub unchanged: bool,
}

/// Every task's merged progress (in sheet order) and every unit's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub period: Period,
    pub tasks: Vec<TaskProgress>,
    pub units: Vec<UnitReport>,
    /// Files that could not be used because of an error.
    pub failed: Vec<String>,
}

impl Progress {
    pub fn sent(&self) -> impl Iterator<Item = &UnitReport> {
        self.units.iter().filter(|u| u.file.is_some())
    }
    pub fn missing(&self) -> impl Iterator<Item = &UnitReport> {
        self.units.iter().filter(|u| u.file.is_none())
    }
    /// The task of a key.
    pub fn task(&self, key: &str) -> Option<&TaskProgress> {
        self.tasks.iter().find(|t| t.key == key)
    }
    /// `8/10 đơn vị đã gửi báo cáo; chưa gửi: Chi cục Thủy lợi, Trung tâm Khuyến nông.`
    pub fn who_reported(&self) -> String {
        self.reported("đơn vị")
    }
    /// A unit's report: `2/3 đơn vị thực hiện các nhiệm vụ này đã gửi báo
    /// cáo; chưa gửi: Chi cục Thủy lợi.` (the units are those sharing its tasks).
    pub fn who_reported_of_tasks(&self) -> String {
        self.reported("đơn vị thực hiện các nhiệm vụ này")
    }
    fn reported(&self, who: &str) -> String {
        let missing: Vec<&str> = self.missing().map(|u| u.name.as_str()).collect();
        let head = format!("{}/{} {who} đã gửi báo cáo", self.sent().count(), self.units.len());
        if missing.is_empty() {
            format!("{head}.")
        } else {
            format!("{head}; chưa gửi: {}.", missing.join(", "))
        }
    }
}

/// Reads the returned files (name, bytes) and merges them over the master
/// workbook, for the quarter given (or, without one, the quarter most forms
/// are for). A file with an error counts for nothing, the others still do.
/// `None` only when the master's task keys are unusable.
pub fn collect(
    wb: &Workbook,
    quarter: Option<u8>,
    year: Option<i32>,
    inputs: &[(String, Vec<u8>)],
) -> (Option<Progress>, Diagnostics) {
    let (keys, mut diags) = task_keys(wb);
    if diags.has_errors() {
        return (None, diags);
    }
    let plan = PlanId::of(wb);
    // In name order, so that the order given changes nothing.
    let mut order: Vec<&(String, Vec<u8>)> = inputs.iter().collect();
    order.sort();
    let mut returned: Vec<Returned> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    for (name, bytes) in order {
        let (r, d) = read_returned(bytes, name);
        let bad = d.has_errors();
        diags.extend(d);
        match r {
            Some(r) if !bad => returned.push(r),
            _ => failed.push(name.clone()),
        }
    }

    // One consolidated workbook stands for all the forms.
    if let Some(pos) = returned.iter().position(|r| r.stamp.vanban == KIND_CONSOLIDATED) {
        if returned.len() == 1 && failed.is_empty() {
            let r = returned.remove(pos);
            return from_consolidated(wb, &keys, &plan, r, quarter, year, diags);
        }
        let r = returned.remove(pos);
        diags.push(
            Diagnostic::error(
                Code::TronTongHop,
                Loc::file(r.file.clone()),
                "tệp tổng hợp không dùng chung với các biểu mẫu của đơn vị",
            )
            .hint("dùng hoặc một tệp tổng hợp, hoặc các biểu mẫu đơn vị gửi về"),
        );
        failed.push(r.file);
    }

    let period = match quarter {
        Some(q) => Period::quarter_end(wb, q, year),
        None => {
            let mut count: BTreeMap<(i32, u8), usize> = BTreeMap::new();
            for r in returned.iter().filter(|r| r.stamp.same_plan(&plan)) {
                *count.entry((r.stamp.nam, r.stamp.quy)).or_default() += 1;
            }
            // The most forms; among equals the latest quarter.
            match count.iter().max_by_key(|(k, n)| (**n, **k)) {
                Some(((y, q), _)) => Period::quarter_end(wb, *q, Some(year.unwrap_or(*y))),
                None => Period::quarter_end(wb, 1, year),
            }
        }
    };

    // Each form to its unit; what does not belong is said and left out.
    let mut by_unit: BTreeMap<usize, Vec<Returned>> = BTreeMap::new();
    for r in returned {
        let s = &r.stamp;
        let file = Loc::file(r.file.clone());
        if !s.same_plan(&plan) {
            let theirs = plan_words(&s.so, &s.ky_hieu);
            diags.push(
                Diagnostic::warning(
                    Code::BieuMauKeHoachKhac,
                    file,
                    format!(
                        "biểu mẫu của kế hoạch {theirs}, không phải kế hoạch {}; không dùng biểu mẫu này",
                        plan_words(&plan.so, &plan.ky_hieu)
                    ),
                )
                .hint("kiểm tra đơn vị đã gửi đúng biểu mẫu chưa"),
            );
            continue;
        }
        if s.quy != period.quarter || s.nam != period.year {
            let theirs = Period::quarter_end(wb, s.quy.clamp(1, 4), Some(s.nam)).label();
            diags.push(
                Diagnostic::warning(
                    Code::BieuMauKyKhac,
                    file,
                    format!(
                        "biểu mẫu {theirs} của đơn vị «{}», không phải {}; không dùng biểu mẫu này",
                        s.don_vi,
                        period.label()
                    ),
                )
                .hint(format!(
                    "gửi lại đơn vị biểu mẫu đúng kỳ: vanban forms --quarter {} --year {} --unit {}",
                    period.quarter, period.year, s.don_vi
                )),
            );
            continue;
        }
        let code = match_key(&s.don_vi);
        match wb.units.iter().position(|u| match_key(&u.code.text) == code) {
            Some(u) => by_unit.entry(u).or_default().push(r),
            None => diags.push(
                Diagnostic::warning(
                    Code::DonViKhongCo,
                    file,
                    format!("biểu mẫu của đơn vị mã «{}», không có ở trang DonVi; không dùng biểu mẫu này", s.don_vi),
                )
                .hint("thêm đơn vị vào trang DonVi, hoặc bỏ tệp này"),
            ),
        }
    }
    let mut chosen: BTreeMap<usize, Returned> = BTreeMap::new();
    for (u, mut list) in by_unit {
        if list.len() > 1 {
            let names: Vec<&str> = list.iter().map(|r| r.file.as_str()).collect();
            let last = names.last().copied().unwrap_or_default().to_string();
            diags.push(
                Diagnostic::warning(
                    Code::HaiBieuMau,
                    Loc::file(last.clone()),
                    format!(
                        "đơn vị «{}» có {} biểu mẫu: {}; dùng «{last}» (tên xếp sau cùng)",
                        wb.units[u].name.text,
                        list.len(),
                        names.join(", ")
                    ),
                )
                .hint("bỏ các tệp cũ, chỉ giữ biểu mẫu đơn vị gửi sau cùng"),
            );
        }
        if let Some(r) = list.pop() {
            chosen.insert(u, r);
        }
    }

    // The rows of every form, by task.
    let find_key = |k: &str| {
        let m = key_match(k);
        keys.iter().position(|x| key_match(x) == m)
    };
    let mut reports: Vec<Vec<(usize, &Returned, &ReturnedRow)>> = vec![Vec::new(); wb.tasks.len()];
    for (&u, r) in &chosen {
        let sums: BTreeMap<String, &str> = r.stamp.nhiem_vu.iter().map(|(k, s)| (key_match(k), s.as_str())).collect();
        let mut seen: Vec<usize> = Vec::new();
        for row in &r.rows {
            let loc = row.loc.clone().with_file(r.file.clone());
            let Some(i) = find_key(&row.key) else {
                if row.filled() {
                    diags.push(
                        Diagnostic::warning(
                            Code::MaKhongCo,
                            loc,
                            format!("mã nhiệm vụ «{}» không còn trong kế hoạch; bỏ qua hàng này", row.key),
                        )
                        .hint("kiểm tra mã ở cột A với trang NhiemVu của kế hoạch"),
                    );
                }
                continue;
            };
            if seen.contains(&i) {
                diags.push(Diagnostic::warning(
                    Code::MaLap,
                    loc,
                    format!("nhiệm vụ «{}» có hai hàng trong biểu mẫu; chỉ dùng hàng đầu", row.key),
                ));
                continue;
            }
            seen.push(i);
            if sums.get(&key_match(&row.key)).is_some_and(|s| *s != checksum(&wb.tasks[i].content.text)) {
                diags.push(
                    Diagnostic::warning(
                        Code::NoiDungDaDoi,
                        loc,
                        format!(
                            "nội dung nhiệm vụ «{}» trong kế hoạch đã đổi kể từ khi gửi biểu mẫu; vẫn dùng số liệu của hàng này",
                            row.key
                        ),
                    )
                    .hint("xem lại với đơn vị số liệu có còn đúng với nội dung mới"),
                );
            }
            reports[i].push((u, r, row));
        }
    }

    let index = UnitIndex::new(&wb.units);
    let mut changed = vec![false; wb.units.len()];
    let mut tasks = Vec::with_capacity(wb.tasks.len());
    for (i, t) in wb.tasks.iter().enumerate() {
        let master = Values::of(t);
        let leads = t.lead.as_ref().map(|l| index.resolve(&l.text)).unwrap_or_default();
        let list = &reports[i];
        for (u, _, row) in list {
            let v = row_values(row);
            let differs = if leads.contains(u) {
                v != master
            } else {
                !same_state(&v, &master) || v.result.as_ref().is_some_and(|r| Some(r) != master.result.as_ref())
            };
            if differs || row.difficulty.is_some() {
                changed[*u] = true;
            }
        }
        let standing = leads.iter().find_map(|l| list.iter().find(|(u, ..)| u == l));
        let (values, difficulty, source) = match standing {
            Some((u, _, row)) => (row_values(row), row.difficulty.clone(), Some(wb.units[*u].code.text.clone())),
            None => (master.clone(), None, None),
        };
        let mut supporters = Vec::new();
        for (u, r, row) in list {
            if standing.is_some_and(|(s, ..)| s == u) {
                continue;
            }
            let v = row_values(row);
            let name = &wb.units[*u].name.text;
            if !same_state(&v, &master) && !same_state(&v, &values) {
                let msg = match standing {
                    Some((s, ..)) => format!(
                        "đơn vị «{name}» báo nhiệm vụ «{}» là {}, đơn vị chủ trì «{}» báo {}; dùng số liệu của đơn vị chủ trì",
                        keys[i],
                        state_words(&v),
                        wb.units[*s].name.text,
                        state_words(&values)
                    ),
                    None => format!(
                        "đơn vị «{name}» báo nhiệm vụ «{}» là {}, đơn vị chủ trì chưa báo cáo; giữ số liệu của kế hoạch ({})",
                        keys[i],
                        state_words(&v),
                        state_words(&master)
                    ),
                };
                diags.push(Diagnostic::warning(Code::BatDong, row.loc.clone().with_file(r.file.clone()), msg));
            }
            if let Some(res) = &v.result {
                if Some(res) != master.result.as_ref() && Some(res) != values.result.as_ref() {
                    supporters.push((wb.units[*u].code.text.clone(), res.clone()));
                }
            }
        }
        tasks.push(TaskProgress { key: keys[i].clone(), values, difficulty, source, supporters });
    }

    let units = wb
        .units
        .iter()
        .enumerate()
        .map(|(u, row)| {
            let r = chosen.get(&u);
            UnitReport {
                code: row.code.text.clone(),
                name: row.name.text.clone(),
                short_name: row.short_name.as_ref().map_or_else(|| row.name.text.clone(), |s| s.text.clone()),
                file: r.map(|r| file_name(&r.file)),
                ton_tai: r.map(|r| r.ton_tai.clone()).unwrap_or_default(),
                kien_nghi: r.map(|r| r.kien_nghi.clone()).unwrap_or_default(),
                unchanged: r.is_some_and(|r| !changed[u] && r.ton_tai.is_empty() && r.kien_nghi.is_empty()),
            }
        })
        .collect();
    (Some(Progress { period, tasks, units, failed }), diags)
}

/// `số 54/KH-SNNPTNT` or `KH-SNNPTNT` when there is no number.
fn plan_words(so: &str, ky_hieu: &str) -> String {
    if so.trim().is_empty() {
        format!("«{ky_hieu}»")
    } else {
        format!("số «{}/{ky_hieu}»", so.trim())
    }
}

/// The file name without its folders (the consolidated workbook does not
/// depend on where the forms were).
fn file_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

fn row_values(row: &ReturnedRow) -> Values {
    Values { status: row.status, progress: row.progress, done_on: row.done_on, result: row.result.clone() }
}

/// Same state, progress and completion date (results aside).
fn same_state(a: &Values, b: &Values) -> bool {
    a.status.unwrap_or(Marked::NotStarted) == b.status.unwrap_or(Marked::NotStarted)
        && a.progress == b.progress
        && a.done_on == b.done_on
}

/// `«Hoàn thành, 100%, 05/10/2023»`.
fn state_words(v: &Values) -> String {
    let mut parts = vec![v.status.unwrap_or(Marked::NotStarted).label().to_string()];
    if let Some(p) = v.progress {
        parts.push(format!("{}%", crate::vi::number::format_number(p)));
    }
    if let Some(d) = v.done_on {
        parts.push(d.to_string());
    }
    format!("«{}»", parts.join(", "))
}

/// A consolidated workbook read back as the progress it holds.
fn from_consolidated(
    wb: &Workbook,
    keys: &[String],
    plan: &PlanId,
    r: Returned,
    quarter: Option<u8>,
    year: Option<i32>,
    mut diags: Diagnostics,
) -> (Option<Progress>, Diagnostics) {
    let s = &r.stamp;
    let period = Period::quarter_end(wb, quarter.unwrap_or(s.quy), year.or(Some(s.nam)));
    let file = Loc::file(r.file.clone());
    if !s.same_plan(plan) {
        diags.push(Diagnostic::error(
            Code::BieuMauKeHoachKhac,
            file,
            format!(
                "tệp tổng hợp của kế hoạch {}, không phải kế hoạch {}",
                plan_words(&s.so, &s.ky_hieu),
                plan_words(&plan.so, &plan.ky_hieu)
            ),
        ));
        return (None, diags);
    }
    if s.quy != period.quarter || s.nam != period.year {
        let theirs = Period::quarter_end(wb, s.quy.clamp(1, 4), Some(s.nam)).label();
        diags.push(
            Diagnostic::error(
                Code::BieuMauKyKhac,
                file,
                format!("tệp tổng hợp {theirs}, không phải {}", period.label()),
            )
            .hint("chạy lại vanban collect với biểu mẫu của đúng quý"),
        );
        return (None, diags);
    }
    let tasks = wb
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let row = r.rows.iter().find(|x| key_match(&x.key) == key_match(&keys[i]));
            match row {
                Some(row) => TaskProgress {
                    key: keys[i].clone(),
                    values: row_values(row),
                    difficulty: row.difficulty.clone(),
                    source: row
                        .source
                        .clone()
                        .filter(|s| wb.units.iter().any(|u| match_key(&u.code.text) == match_key(s))),
                    supporters: row
                        .supporters
                        .as_deref()
                        .unwrap_or("")
                        .lines()
                        .filter_map(|l| l.split_once(": "))
                        .map(|(c, t)| (c.trim().to_string(), t.trim().to_string()))
                        .collect(),
                },
                None => TaskProgress {
                    key: keys[i].clone(),
                    values: Values::of(t),
                    difficulty: None,
                    source: None,
                    supporters: Vec::new(),
                },
            }
        })
        .collect();
    let lines = |code: &str, kind: &str| -> Vec<String> {
        r.unit_lines
            .iter()
            .filter(|(c, k, _)| match_key(c) == match_key(code) && match_key(k) == match_key(kind))
            .map(|(_, _, t)| t.clone())
            .collect()
    };
    let units = wb
        .units
        .iter()
        .map(|row| {
            let code = &row.code.text;
            let sent = r.sent.iter().any(|(c, _)| match_key(c) == match_key(code));
            UnitReport {
                code: code.clone(),
                name: row.name.text.clone(),
                short_name: row.short_name.as_ref().map_or_else(|| row.name.text.clone(), |s| s.text.clone()),
                file: sent.then(|| file_name(&r.file)),
                ton_tai: lines(code, "Tồn tại, hạn chế"),
                kien_nghi: lines(code, "Kiến nghị"),
                unchanged: false,
            }
        })
        .collect();
    (Some(Progress { period, tasks, units, failed: Vec::new() }), diags)
}

/// The consolidated workbook as xlsx bytes: every task with its merged
/// progress and where each value came from, who sent, the units' lines.
pub fn consolidated_xlsx(wb: &Workbook, p: &Progress) -> Result<Vec<u8>, XlsxError> {
    let plan = PlanId::of(wb);
    let stamp = Stamp {
        vanban: KIND_CONSOLIDATED.into(),
        phien_ban: 1,
        don_vi: String::new(),
        ky_hieu: plan.ky_hieu,
        so: plan.so,
        quy: p.period.quarter,
        nam: p.period.year,
        nhiem_vu: Vec::new(),
    };
    debug_assert_ne!(KIND_FORM, KIND_CONSOLIDATED);
    let cell = xlsx_style::cell();
    let header = xlsx_style::header();
    let date_fmt = cell.clone().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Center);
    let center = cell.clone().set_align(FormatAlign::Center);
    let bold = Format::new().set_bold().set_font_size(13);

    let mut book = XlsxBook::new();
    book.set_properties(&fixed_properties()?);
    let ws = book.add_worksheet().set_name(FORM_SHEET)?;
    let cols: [(FormCol, f64); 11] = [
        (FormCol::Key, 8.0),
        (FormCol::Content, 45.0),
        (FormCol::Lead, 18.0),
        (FormCol::Deadline, 14.0),
        (FormCol::Status, 15.0),
        (FormCol::Progress, 9.0),
        (FormCol::DoneOn, 12.0),
        (FormCol::Result, 38.0),
        (FormCol::Difficulty, 26.0),
        (FormCol::Source, 12.0),
        (FormCol::Supporters, 36.0),
    ];
    for (c, (col, w)) in cols.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
        ws.write_string_with_format(4, c as u16, schema::form_header(*col), &header)?;
    }
    ws.set_column_hidden(11)?;
    ws.write_string(0, 11, stamp.to_json())?;
    ws.write_string_with_format(
        0,
        0,
        format!("TỔNG HỢP TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ {}", crate::vi::upper::hoa(&p.period.label())),
        &bold,
    )?;
    ws.write_string(1, 0, format!("Thực hiện {}.", crate::document::report::plan_reference(wb)))?;
    ws.write_string(2, 0, p.who_reported())?;
    for (i, (t, tp)) in wb.tasks.iter().zip(&p.tasks).enumerate() {
        let r = 5 + i as u32;
        let v = &tp.values;
        ws.write_string_with_format(r, 0, &tp.key, &center)?;
        let content = crate::text::plain_text(&crate::text::inline(&t.content.text));
        ws.write_string_with_format(r, 1, &content, &cell)?;
        ws.write_string_with_format(r, 2, t.lead.as_ref().map_or("", |l| l.text.as_str()), &cell)?;
        ws.write_string_with_format(r, 3, t.deadline.as_ref().map_or("", |l| l.text.as_str()), &center)?;
        match v.status {
            Some(m) => ws.write_string_with_format(r, 4, m.label(), &center)?,
            None => ws.write_blank(r, 4, &center)?,
        };
        match v.progress {
            Some(x) => ws.write_number_with_format(r, 5, x, &center)?,
            None => ws.write_blank(r, 5, &center)?,
        };
        match v.done_on {
            Some(d) => ws.write_datetime_with_format(r, 6, &excel_date(d)?, &date_fmt)?,
            None => ws.write_blank(r, 6, &date_fmt)?,
        };
        ws.write_string_with_format(r, 7, v.result.as_deref().unwrap_or(""), &cell)?;
        ws.write_string_with_format(r, 8, tp.difficulty.as_deref().unwrap_or(""), &cell)?;
        ws.write_string_with_format(r, 9, tp.source.as_deref().unwrap_or(""), &center)?;
        let sup: Vec<String> = tp.supporters.iter().map(|(c, t)| format!("{c}: {}", t.replace('\n', " "))).collect();
        ws.write_string_with_format(r, 10, sup.join("\n"), &cell)?;
        let n = lines_in(&content, 45.0).max(v.result.as_deref().map_or(1, |s| lines_in(s, 38.0)));
        if n > 1 {
            ws.set_row_height(r, (15.0 * n as f64 + 3.0).min(400.0))?;
        }
    }
    ws.set_freeze_panes(5, 0)?;

    let ws = book.add_worksheet().set_name(SENT_SHEET)?;
    for (c, (h, w)) in
        [("Mã", 10.0), ("Tên đơn vị", 40.0), ("Tình trạng", 12.0), ("Tệp", 36.0), ("Ghi chú", 30.0)].iter().enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (i, u) in p.units.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string_with_format(r, 0, &u.code, &cell)?;
        ws.write_string_with_format(r, 1, &u.name, &cell)?;
        ws.write_string_with_format(r, 2, if u.file.is_some() { "Đã gửi" } else { "Chưa gửi" }, &cell)?;
        ws.write_string_with_format(r, 3, u.file.as_deref().unwrap_or(""), &cell)?;
        ws.write_string_with_format(r, 4, if u.unchanged { "Không thay đổi số liệu" } else { "" }, &cell)?;
    }

    let ws = book.add_worksheet().set_name(LINES_SHEET)?;
    for (c, (h, w)) in [("Mã đơn vị", 10.0), ("Đơn vị", 30.0), ("Loại", 18.0), ("Nội dung", 90.0)].iter().enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    let mut r = 0;
    for u in &p.units {
        for (kind, list) in [("Tồn tại, hạn chế", &u.ton_tai), ("Kiến nghị", &u.kien_nghi)] {
            for line in list {
                r += 1;
                ws.write_string_with_format(r, 0, &u.code, &cell)?;
                ws.write_string_with_format(r, 1, &u.short_name, &cell)?;
                ws.write_string_with_format(r, 2, kind, &cell)?;
                ws.write_string_with_format(r, 3, line, &cell)?;
            }
        }
    }
    book.save_to_buffer()
}
