//! Workbook → document data: the decisions a văn thư makes when typing the
//! document — header, numbering, where the tasks and metrics go, recipients,
//! signature. Template expressions in cells are evaluated here, per document.

pub mod model;
pub mod numbering;
pub mod plan;
pub mod report;
pub mod status;
pub mod tasks;
pub mod units;
pub mod vars;

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::document::model::{Header, Rich, Run, Signature};
use crate::text;
use crate::vi::date::Date;
use crate::vi::{format, upper};
use crate::workbook::model::{Info, InfoKey, Text, Workbook};

/// What a built document is known by: its year, date, ký hiệu.
#[derive(Debug, Clone)]
pub struct Meta {
    pub year: i32,
    /// Issue date when set, else 1 January of the year (PDF date, `today`).
    pub date: Date,
    pub ky_hieu: String,
    /// The template variables the document was built with.
    pub vars: serde_json::Value,
}

/// Builds one document: the workbook, the fields in force (ThongTin, or
/// ThongTin overridden by BaoCao), the template environment and variables.
pub struct Builder<'a> {
    pub wb: &'a Workbook,
    pub info: Info,
    env: &'a minijinja::Environment<'static>,
    vars: minijinja::Value,
    pub vars_json: serde_json::Value,
    pub diags: Diagnostics,
}

impl<'a> Builder<'a> {
    pub fn new(
        wb: &'a Workbook,
        info: Info,
        env: &'a minijinja::Environment<'static>,
        vars: serde_json::Value,
    ) -> Self {
        Builder {
            wb,
            info,
            env,
            vars: minijinja::Value::from_serialize(&vars),
            vars_json: vars,
            diags: Diagnostics::default(),
        }
    }

    /// A cell's text with its `{{ … }}` evaluated; on error the message names
    /// the cell and the expression, and the raw text is kept.
    pub fn eval(&mut self, t: &Text) -> String {
        if !text::has_template(&t.text) {
            return t.text.clone();
        }
        match text::render(self.env, &t.text, &self.vars) {
            Ok(s) => s,
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(Code::BieuThuc, t.loc.clone(), format!("biểu thức «{}»: {}", e.expr, e.message))
                        .hint("sửa biểu thức trong ô, hoặc bỏ cặp {{ }} nếu muốn in nguyên văn"),
                );
                t.text.clone()
            }
        }
    }

    /// A cell as rich text (paragraphs, inline emphasis).
    pub fn rich(&mut self, t: &Text) -> Rich {
        text::inline(&self.eval(t))
    }

    pub fn opt_rich(&mut self, t: Option<&Text>) -> Rich {
        t.map(|t| self.rich(t)).unwrap_or_default()
    }

    /// The first value of a field, evaluated and trimmed ("" when absent).
    pub fn field(&mut self, key: InfoKey) -> String {
        match self.info.text(key).cloned() {
            Some(t) => self.eval(&t).trim().to_string(),
            None => String::new(),
        }
    }

    /// Every value of a repeating field, as rich text.
    pub fn field_rich_all(&mut self, key: InfoKey) -> Vec<Rich> {
        let texts: Vec<Text> = self.info.all(key).map(|v| v.text.clone()).collect();
        texts.iter().map(|t| self.rich(t)).filter(|r| !r.is_empty()).collect()
    }

    /// Every value of a repeating field, as lines of plain text.
    pub fn field_lines(&mut self, key: InfoKey) -> Vec<String> {
        let texts: Vec<Text> = self.info.all(key).map(|v| v.text.clone()).collect();
        texts.iter().flat_map(|t| lines(&self.eval(t))).collect()
    }

    /// Where a field is, for messages.
    pub fn loc(&self, key: InfoKey) -> Loc {
        self.info
            .get(key)
            .map(|v| v.text.loc.clone())
            .unwrap_or_else(|| Loc::sheet(self.info.sheet.clone()).with_label(key.label()))
    }
}

/// Builds every document a workbook can produce, without rendering, and
/// returns their problems (template expressions above all): the plan, the
/// first unit's plan (cells naming `don_vi` are evaluated per unit; the other
/// units differ only in values), and the report for each of `quarters`.
pub fn build_all(wb: &Workbook, env: &minijinja::Environment<'static>, quarters: &[u8]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    diags.extend(plan::build(wb, env, None).1);
    for q in quarters {
        diags.extend(report::build(wb, env, &report::Period::quarter_end(wb, *q, None)).1);
    }
    if let Some(u) = wb.units.first() {
        let index = units::UnitIndex::new(&wb.units);
        diags.extend(plan::build(wb, env, Some(plan::ForUnit { unit: u, index: &index })).1);
    }
    diags
}

/// Non-empty trimmed lines of a text.
pub fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// The document's year and date from `Ngày ban hành` / `Năm`.
pub fn year_and_date(info: &Info) -> Option<(i32, Option<Date>)> {
    let date = info.get(InfoKey::NgayBanHanh).and_then(|v| v.date);
    let year = info
        .text(InfoKey::Nam)
        .and_then(|t| t.text.trim().trim_end_matches(".0").parse::<i32>().ok())
        .or(date.map(|d| d.year))?;
    Some((year, date))
}

/// The national header. `parent`/`issuer` override the agencies (batch).
pub fn header(b: &mut Builder, year: i32, date: Option<Date>, issuer: Option<(Vec<String>, Vec<String>)>) -> Header {
    let (co_quan_chu_quan, co_quan_ban_hanh) = match issuer {
        Some(pair) => pair,
        None => {
            let parent = b.field(InfoKey::CoQuanChuQuan);
            let own = b.field(InfoKey::CoQuanBanHanh);
            (upper_lines(&parent), upper_lines(&own))
        }
    };
    let so = b.field(InfoKey::So);
    Header {
        co_quan_chu_quan,
        co_quan_ban_hanh,
        so: (!so.is_empty()).then(|| format::so(&so)),
        ky_hieu: b.field(InfoKey::KyHieu),
        dia_danh: b.field(InfoKey::DiaDanh),
        ngay: date.map(|d| format::day_str(&d)),
        thang: date.map(|d| format::month_str(&d)),
        nam: date.map_or(year, |d| d.year).to_string(),
    }
}

/// Lines of a text in capitals (agency names, signature lines).
pub fn upper_lines(s: &str) -> Vec<String> {
    lines(s).iter().map(|l| upper::hoa(l)).collect()
}

/// The signature block from the fields in force.
pub fn signature(b: &mut Builder) -> Signature {
    Signature {
        quyen_han: b.field_lines(InfoKey::QuyenHanKy).iter().map(|l| upper::hoa(l)).collect(),
        chuc_vu: upper::hoa(&b.field(InfoKey::ChucVuNguoiKy)),
        nguoi_ky: b.field(InfoKey::NguoiKy),
    }
}

/// Recipient lines: each ends `;`, the last is `Lưu: …` ending `.`
/// (`VT` when the workbook names none, as the decree requires a Lưu line).
pub fn noi_nhan(b: &mut Builder) -> Vec<String> {
    let mut out = Vec::new();
    let mut luu = b.field(InfoKey::Luu);
    for line in b.field_lines(InfoKey::NoiNhan) {
        let entry = line.trim_start_matches(['-', '+', '•']).trim();
        let entry = entry.trim_end_matches([';', '.', ',']).trim();
        if entry.is_empty() {
            continue;
        }
        let key = crate::vi::fold::match_key(entry);
        if key.starts_with("luu") && luu.is_empty() {
            // `Lưu: VT, VPS.` typed as a recipient row.
            luu = entry.chars().skip(3).collect::<String>().trim_start_matches([':', ' ']).to_string();
            continue;
        }
        out.push(format!("{entry};"));
    }
    let luu = luu.trim().trim_start_matches("Lưu").trim_start_matches(':').trim().trim_end_matches(['.', ';']).trim();
    let luu = if luu.is_empty() { "VT" } else { luu };
    out.push(format!("Lưu: {luu}."));
    out
}

/// Sets the end punctuation of a text: trailing `; . ,` and spaces replaced.
pub fn set_end(r: &mut Rich, end: &str) {
    let Some(last) = r.iter_mut().rev().find(|p| !p.is_empty()) else {
        if !end.is_empty() {
            r.push(vec![Run { t: end.to_string(), ..Run::default() }]);
        }
        return;
    };
    let Some(run) = last.iter_mut().rev().find(|r| !r.t.trim().is_empty()) else {
        return;
    };
    let kept = run.t.trim_end().trim_end_matches([';', '.', ',', ':']).trim_end().to_string();
    run.t = format!("{kept}{end}");
}

/// The last visible character of a text.
pub fn last_char(r: &Rich) -> Option<char> {
    r.iter().flatten().rev().find(|r| !r.t.trim().is_empty()).and_then(|r| r.t.trim_end().chars().last())
}

/// Căn cứ: each ends `;`, the last `.` (or `,` when the user ended it so,
/// because the opening sentence continues).
pub fn can_cu(b: &mut Builder) -> Vec<Rich> {
    let mut items = b.field_rich_all(InfoKey::CanCu);
    let n = items.len();
    for (i, item) in items.iter_mut().enumerate() {
        if i + 1 < n {
            set_end(item, ";");
        } else if last_char(item) == Some(',') {
            set_end(item, ",");
        } else {
            set_end(item, ".");
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rich(s: &str) -> Rich {
        vec![vec![Run { t: s.into(), ..Run::default() }]]
    }

    #[test]
    fn end_punctuation() {
        let mut r = rich("Căn cứ Luật Tổ chức chính quyền địa phương ; ");
        set_end(&mut r, ".");
        assert_eq!(r[0][0].t, "Căn cứ Luật Tổ chức chính quyền địa phương.");
        let mut r = rich("Thực hiện");
        set_end(&mut r, "./.");
        assert_eq!(r[0][0].t, "Thực hiện./.");
        let mut r: Rich = vec![];
        set_end(&mut r, "./.");
        assert_eq!(r[0][0].t, "./.");
    }

    #[test]
    fn lines_are_trimmed_and_non_empty() {
        assert_eq!(lines(" a \n\n b\r\n"), vec!["a", "b"]);
    }
}
