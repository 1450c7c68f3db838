//! The quarterly loop (collect.md): one progress form per unit out as xlsx
//! bytes (`write`), the returned forms read back (`read`), checked against
//! the master workbook and merged into one [`Progress`] (`collect`), and the
//! consolidated workbook as bytes. The library never prints or writes files.

pub mod collect;
pub mod read;
pub mod write;

use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::document::report::Period;
use crate::document::status::Marked;
use crate::document::units::UnitIndex;
use crate::vi::date::Date;
use crate::vi::fold::{match_key, slug};
use crate::workbook::model::{InfoKey, TaskRow, Workbook};

pub use collect::{collect, Progress, TaskProgress, UnitReport};

/// The sheet of a form and of the consolidated workbook's tasks.
pub const FORM_SHEET: &str = "TienDo";
/// What the hidden cell of a form starts with.
const STAMP_PREFIX: &str = "{\"vanban\":";

/// What the hidden, protected cell of a form (or of a consolidated
/// workbook) says, as JSON: enough to recognise it whatever its file name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// `bieu-mau` (a unit's form) or `tong-hop` (a consolidated workbook).
    pub vanban: String,
    pub phien_ban: u32,
    /// The unit's code (forms only).
    #[serde(default)]
    pub don_vi: String,
    /// The plan's Ký hiệu and Số (ThongTin).
    pub ky_hieu: String,
    #[serde(default)]
    pub so: String,
    pub quy: u8,
    pub nam: i32,
    /// Each task of the form: key and checksum of its text.
    #[serde(default)]
    pub nhiem_vu: Vec<(String, String)>,
}

pub const KIND_FORM: &str = "bieu-mau";
pub const KIND_CONSOLIDATED: &str = "tong-hop";

impl Stamp {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    /// The stamp in a cell's text, if it is one.
    pub fn parse(s: &str) -> Option<Stamp> {
        let s = s.trim();
        if !s.starts_with(STAMP_PREFIX) {
            return None;
        }
        serde_json::from_str(s).ok()
    }
    /// Whether it is for this plan (Ký hiệu and Số, folded).
    pub fn same_plan(&self, plan: &PlanId) -> bool {
        match_key(&self.ky_hieu) == match_key(&plan.ky_hieu) && match_key(&self.so) == match_key(&plan.so)
    }
}

/// The master plan as the stamps name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanId {
    pub ky_hieu: String,
    pub so: String,
}

impl PlanId {
    pub fn of(wb: &Workbook) -> PlanId {
        let get = |k| wb.info.text(k).map(|t| t.text.trim().to_string()).unwrap_or_default();
        PlanId { ky_hieu: get(InfoKey::KyHieu), so: get(InfoKey::So) }
    }
}

/// Checksum of a task's text (folded, so a re-typed accent or space is no
/// change): FNV-1a, 32 bits, hex.
pub fn checksum(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in match_key(text).bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// What two task keys are compared by: case, accents and spaces ignored,
/// but not `.` or `-` (`1.11` and `11.1`, `1.2` and `12` are other tasks).
pub fn key_match(key: &str) -> String {
    crate::vi::fold::strip_accents(key).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The key of every task, in sheet order: its `Mã` when set, else the STT the
/// plan prints (typed, or generated `2.3` within its group). A key used twice
/// is an error naming both cells.
pub fn task_keys(wb: &Workbook) -> (Vec<String>, Diagnostics) {
    let mut keys = Vec::with_capacity(wb.tasks.len());
    let mut group_key: Option<String> = None;
    let (mut gi, mut ti, mut flat) = (0usize, 0usize, 0usize);
    for t in &wb.tasks {
        let g = t.group.as_ref().map(|g| match_key(&g.text)).unwrap_or_default();
        if group_key.as_deref() != Some(g.as_str()) {
            group_key = Some(g.clone());
            ti = 0;
            if !g.is_empty() {
                gi += 1;
            }
        }
        ti += 1;
        let typed = |x: &Option<crate::workbook::model::Text>| {
            x.as_ref().map(|s| s.text.trim().to_string()).filter(|s| !s.is_empty())
        };
        let key = match (typed(&t.code), typed(&t.stt)) {
            (Some(code), _) => code,
            (None, Some(stt)) => stt,
            (None, None) if !g.is_empty() => format!("{gi}.{ti}"),
            (None, None) => {
                flat += 1;
                flat.to_string()
            }
        };
        keys.push(key);
    }
    let mut diags = Diagnostics::default();
    for (i, k) in keys.iter().enumerate() {
        if let Some(j) = keys[..i].iter().position(|x| key_match(x) == key_match(k)) {
            let loc = |t: &TaskRow| t.code.as_ref().map_or_else(|| t.content.loc.clone(), |c| c.loc.clone());
            diags.push(
                Diagnostic::error(
                    Code::MaNhiemVuTrung,
                    loc(&wb.tasks[i]),
                    format!(
                        "mã nhiệm vụ «{k}» trùng với nhiệm vụ ở hàng {}; biểu mẫu tiến độ cần mỗi nhiệm vụ một mã",
                        wb.tasks[j].row
                    ),
                )
                .hint("ghi cột «Mã» (Mã nhiệm vụ) ở trang NhiemVu, mỗi nhiệm vụ một mã khác nhau"),
            );
        }
    }
    (keys, diags)
}

/// A unit's part in a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Lead,
    Support,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "Chủ trì",
            Role::Support => "Phối hợp",
        }
    }
}

/// The tasks of unit `u`: those it leads, then those it supports, each with
/// its index in `wb.tasks`.
pub fn unit_tasks(wb: &Workbook, index: &UnitIndex, u: usize) -> Vec<(usize, Role)> {
    let has = |cell: &Option<crate::workbook::model::Text>| {
        cell.as_ref().is_some_and(|c| index.resolve(&c.text).contains(&u))
    };
    let led = wb.tasks.iter().enumerate().filter(|(_, t)| has(&t.lead)).map(|(i, _)| (i, Role::Lead));
    let supported =
        wb.tasks.iter().enumerate().filter(|(_, t)| !has(&t.lead) && has(&t.support)).map(|(i, _)| (i, Role::Support));
    led.chain(supported).collect()
}

/// The values a task holds in the master workbook (what a form prefills and
/// what "changed nothing" is measured against).
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    pub status: Option<Marked>,
    pub progress: Option<f64>,
    pub done_on: Option<Date>,
    pub result: Option<String>,
}

impl Values {
    pub fn of(t: &TaskRow) -> Values {
        Values {
            // Blank stays blank; an unknown word is left for the unit to fix.
            status: t.status.as_ref().and_then(|s| Marked::parse(&s.text)).filter(|_| t.status.is_some()),
            progress: t.progress.as_ref().map(|p| p.value),
            done_on: t.done_on.as_ref().map(|d| d.date),
            result: t.result.as_ref().map(|r| r.text.clone()),
        }
    }
}

/// The file name of a unit's form: `p1-tien-do-quy-3-2023.xlsx`.
pub fn form_file_name(code: &str, period: &Period) -> String {
    let s = slug(code);
    let s = if s.is_empty() { "don-vi".to_string() } else { s };
    format!("{s}-tien-do-quy-{}-{}.xlsx", period.quarter, period.year)
}

/// The consolidated workbook's default name: `tien-do-quy-3-2023.xlsx`.
pub fn consolidated_file_name(period: &Period) -> String {
    format!("tien-do-quy-{}-{}.xlsx", period.quarter, period.year)
}

/// The default date to send a form back by: the 5th of the month after the
/// quarter.
pub fn default_send_by(period: &Period) -> Date {
    let end = crate::vi::deadline::quarter_end(period.year, period.quarter).unwrap_or(period.as_of);
    let (y, m) = if end.month == 12 { (end.year + 1, 1) } else { (end.year, end.month + 1) };
    Date::new(y, m, 5).unwrap_or(end)
}

/// One built form: the unit (index in `wb.units`), its file name, its bytes.
pub struct Form {
    pub unit: usize,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Builds the forms of the given units (indices in `wb.units`). Errors (a
/// task key used twice, two units with one file name) refuse them all.
pub fn build_forms(
    wb: &Workbook,
    period: &Period,
    send_by: Date,
    units: &[usize],
) -> Result<(Vec<Form>, Diagnostics), Diagnostics> {
    let (keys, mut diags) = task_keys(wb);
    if diags.has_errors() {
        return Err(diags);
    }
    let index = UnitIndex::new(&wb.units);
    let plan = PlanId::of(wb);
    let plan_ref = crate::document::report::plan_reference(wb);
    let mut forms: Vec<Form> = Vec::new();
    for &u in units {
        let Some(unit) = wb.units.get(u) else { continue };
        let name = form_file_name(&unit.code.text, period);
        if let Some(other) = forms.iter().find(|f| f.file_name == name) {
            diags.push(Diagnostic::error(
                Code::TrungTenTep,
                unit.code.loc.clone(),
                format!(
                    "mã đơn vị «{}» và «{}» cho cùng tên tệp «{name}»",
                    wb.units[other.unit].code.text, unit.code.text
                ),
            ));
            continue;
        }
        let tasks = unit_tasks(wb, &index, u);
        let stamp = Stamp {
            vanban: KIND_FORM.into(),
            phien_ban: 1,
            don_vi: unit.code.text.clone(),
            ky_hieu: plan.ky_hieu.clone(),
            so: plan.so.clone(),
            quy: period.quarter,
            nam: period.year,
            nhiem_vu: tasks.iter().map(|&(i, _)| (keys[i].clone(), checksum(&wb.tasks[i].content.text))).collect(),
        };
        let rows: Vec<write::FormRow> = tasks
            .iter()
            .map(|&(i, role)| {
                let t = &wb.tasks[i];
                let mut values = Values::of(t);
                // A supporting unit reports its own contribution.
                if role == Role::Support {
                    values.result = None;
                }
                write::FormRow {
                    key: keys[i].clone(),
                    content: crate::text::plain_text(&crate::text::inline(&t.content.text)),
                    role,
                    deadline: t.deadline.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
                    values,
                }
            })
            .collect();
        let data = write::FormData { unit, plan_ref: &plan_ref, period, send_by, rows, stamp };
        match write::form_xlsx(&data) {
            Ok(bytes) => forms.push(Form { unit: u, file_name: name, bytes }),
            Err(e) => diags.push(Diagnostic::error(
                Code::LoiGhiBieuMau,
                unit.code.loc.clone(),
                format!("không tạo được biểu mẫu của đơn vị «{}»: {e}", unit.code.text),
            )),
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok((forms, diags))
    }
}

/// A problem as `collect` prints it: the returned file first, then the cell
/// (`lỗi: p1-tien-do-quy-3-2023.xlsx: TienDo!F9: …`).
pub fn located(d: &Diagnostic) -> String {
    let mut loc = d.loc.clone();
    let file = loc.file.take();
    let kind = if d.is_error() { "lỗi" } else { "cảnh báo" };
    let place = loc.to_string();
    let mut s = match (file, place.is_empty()) {
        (Some(f), false) => format!("{kind}: {f}: {place}: {}", d.message),
        (Some(f), true) => format!("{kind}: {f}: {}", d.message),
        (None, false) => format!("{kind}: {place}: {}", d.message),
        (None, true) => format!("{kind}: {}", d.message),
    };
    if let Some(h) = &d.hint {
        s.push_str(&format!("\n  → {h}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;
    use crate::workbook::model::Text;

    fn t(s: &str) -> Option<Text> {
        Some(Text { text: s.into(), loc: Loc::default() })
    }

    #[test]
    fn keys_from_code_typed_stt_or_generated() {
        let task = |code: Option<Text>, stt: Option<Text>, group: Option<Text>| TaskRow {
            code,
            stt,
            group,
            content: Text { text: "x".into(), loc: Loc::default() },
            ..TaskRow::default()
        };
        let wb = Workbook {
            tasks: vec![
                task(None, None, t("A")),
                task(None, None, t("A")),
                task(t("CD-9"), None, t("A")),
                task(None, None, t("B")),
                task(None, t("7"), None),
                task(None, None, None),
            ],
            ..Workbook::default()
        };
        let (keys, d) = task_keys(&wb);
        assert_eq!(keys, vec!["1.1", "1.2", "CD-9", "2.1", "7", "1"]);
        assert!(d.is_empty());
        let dup = Workbook { tasks: vec![task(t("X"), None, None), task(t("x"), None, None)], ..Workbook::default() };
        let (_, d) = task_keys(&dup);
        assert_eq!(d.errors().count(), 1);
        // Generated keys that only a dot tells apart are two tasks.
        let mut tasks: Vec<TaskRow> = (0..11).map(|_| task(None, None, t("A"))).collect();
        tasks.extend((0..10).map(|i| task(None, None, t(&format!("G{i}")))));
        let (keys, d) = task_keys(&Workbook { tasks, ..Workbook::default() });
        assert_eq!((keys[10].as_str(), keys[20].as_str()), ("1.11", "11.1"));
        assert!(d.is_empty(), "{:?}", d.items);
        assert_eq!(key_match(" cd-01 "), key_match("CD-01"));
        assert_ne!(key_match("1.2"), key_match("12"));
    }

    #[test]
    fn stamps_round_trip_and_checksums_fold() {
        let s = Stamp {
            vanban: KIND_FORM.into(),
            phien_ban: 1,
            don_vi: "P1".into(),
            ky_hieu: "KH-SNNPTNT".into(),
            so: "54".into(),
            quy: 3,
            nam: 2023,
            nhiem_vu: vec![("1.1".into(), checksum("Việc một"))],
        };
        assert_eq!(Stamp::parse(&s.to_json()), Some(s));
        assert_eq!(Stamp::parse("{\"other\":1}"), None);
        assert_eq!(checksum("Việc  một"), checksum("viec mot"));
        assert_ne!(checksum("Việc một"), checksum("Việc hai"));
    }
}
