//! The template variables of `workbook.md` ("Template variables"): what
//! `{{ … }}` in a cell or an output-name template can name.

use serde_json::{json, Map, Value};

use crate::vi::fold::match_key;
use crate::workbook::model::{Info, InfoKey, MetricRow, UnitRow, Workbook};

/// `van_ban`: the fields by snake_case key (repeating labels as lists), raw.
pub fn van_ban(info: &Info) -> Value {
    let mut map = Map::new();
    for (key, _, name) in InfoKey::ALL {
        let values: Vec<Value> = info.all(*key).map(|v| Value::String(v.text.text.clone())).collect();
        if key.repeats() {
            map.insert((*name).to_string(), Value::Array(values));
        } else if let Some(v) = values.into_iter().next() {
            map.insert((*name).to_string(), v);
        }
    }
    Value::Object(map)
}

fn num(n: Option<&crate::workbook::model::NumberCell>) -> Value {
    n.map_or(Value::Null, |n| json!(n.value))
}

/// `chi_so`: metrics by `Mã`.
pub fn chi_so(metrics: &[MetricRow]) -> Value {
    let mut map = Map::new();
    for m in metrics {
        let Some(code) = &m.code else { continue };
        let code = code.text.trim();
        if code.is_empty() {
            continue;
        }
        map.insert(
            code.to_string(),
            json!({
                "ten": m.name.text,
                "diem_toi_da": num(m.max_points.as_ref()),
                "ket_qua_nam_truoc": num(m.last_year.as_ref()),
                "xep_hang_nam_truoc": m.last_rank.as_ref().map(|t| t.text.clone()),
                "muc_tieu": num(m.target.as_ref()),
                "ket_qua": num(m.result.as_ref()),
            }),
        );
    }
    Value::Object(map)
}

/// `don_vi`: the unit being rendered in batch.
pub fn don_vi(u: &UnitRow) -> Value {
    let t = |x: &Option<crate::workbook::model::Text>| x.as_ref().map(|t| t.text.clone());
    json!({
        "ma": u.code.text,
        "ten": u.name.text,
        "ten_viet_tat": t(&u.short_name),
        "nguoi_ky": t(&u.signer),
        "chuc_vu": t(&u.title),
        "ky_hieu": t(&u.symbol),
    })
}

/// The variables every document has.
pub fn base(wb: &Workbook, info: &Info, loai: &str, year: i32, unit: Option<&UnitRow>) -> Value {
    let mut v = json!({
        "nam": year,
        "loai": loai,
        "van_ban": van_ban(info),
        "chi_so": chi_so(&wb.metrics),
    });
    if let (Some(u), Value::Object(map)) = (unit, &mut v) {
        map.insert("don_vi".into(), don_vi(u));
    }
    v
}

/// Whether a metric row is the total row (`Tổng` / `TONG` as code or name).
pub fn is_total(m: &MetricRow) -> bool {
    let is = |s: &str| matches!(match_key(s).as_str(), "tong" | "tongcong" | "tongdiem");
    m.code.as_ref().is_some_and(|c| is(&c.text)) || is(&m.name.text)
}
