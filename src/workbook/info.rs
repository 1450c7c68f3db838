//! Sheets ThongTin and BaoCao: two columns, label and value.

use std::collections::HashMap;

use crate::diag::{a1, Diagnostic, Diagnostics, Loc};
use crate::workbook::headers::{self, Col, SheetKind};
use crate::workbook::model::{Info, InfoKey, InfoValue, Text};
use crate::workbook::read::{find_table, DateOrText, Grid};

/// Labels ThongTin must have (`Năm` is checked apart: it may come from
/// `Ngày ban hành`).
const REQUIRED: &[InfoKey] = &[
    InfoKey::CoQuanBanHanh,
    InfoKey::KyHieu,
    InfoKey::DiaDanh,
    InfoKey::TrichYeu,
    InfoKey::ChucVuNguoiKy,
    InfoKey::NguoiKy,
];

/// Reads a ThongTin (`kind` = Info, required labels checked) or BaoCao sheet.
pub fn read_info(grid: &Grid, kind: SheetKind, diags: &mut Diagnostics) -> Info {
    let mut info = Info { values: Vec::new(), sheet: grid.sheet.clone() };
    // With a `Mục | Giá trị` header row, read under it; without, the first
    // two used columns (A and B) are label and value.
    let (label_col, value_col, first_row) = match find_table(grid, kind, diags) {
        Some(t) => match (t.col(Col::Label), t.col(Col::Value)) {
            (Some(l), Some(v)) => (l, v, t.header_row.saturating_add(1)),
            _ => return info,
        },
        None => {
            let c = grid.first_col();
            (c, c.saturating_add(1), 0)
        }
    };
    // First row of each single-valued label, for the "given twice" warning.
    let mut seen: HashMap<InfoKey, u32> = HashMap::new();
    // Labels given with a value that could not be used (an Excel error, a
    // formula with no value): reported at the cell, so not "missing" too.
    let mut broken: Vec<InfoKey> = Vec::new();

    for r in grid.used_rows().into_iter().filter(|&r| r >= first_row) {
        let value_blank = grid.is_blank(r, value_col);
        let Some(label) = grid.text(r, label_col, diags) else {
            if !value_blank {
                diags.push(
                    Diagnostic::warning(
                        "thieu-nhan",
                        grid.loc(r, value_col),
                        "ô có giá trị nhưng không có mục (cột nhãn trống), bỏ qua",
                    )
                    .hint("ghi tên mục vào ô bên trái, ví dụ «Trích yếu»"),
                );
            }
            continue;
        };
        let Some(key) = headers::info_key(&label.text) else {
            // An unknown label with no value is a title or a separator row.
            if !value_blank {
                let mut d = Diagnostic::warning(
                    "muc-la",
                    label.loc.clone(),
                    format!("mục «{}» không thuộc mẫu, bỏ qua", label.text),
                );
                if let Some(s) = headers::closest_label(&label.text) {
                    d = d.hint(format!("có phải «{s}»?"));
                }
                diags.push(d);
            }
            continue;
        };
        let Some(value) = read_value(grid, r, value_col, key, diags) else {
            if !value_blank {
                broken.push(key);
            }
            continue;
        };
        if !key.repeats() {
            if let Some(&first) = seen.get(&key) {
                diags.push(
                    Diagnostic::warning(
                        "muc-trung",
                        label.loc.clone(),
                        format!("mục «{}» đã có ở {}; chỉ dùng giá trị đầu tiên", key.label(), a1(first, label_col)),
                    )
                    .hint("xoá hàng thừa; chỉ các mục Căn cứ, Mở đầu, Kết thúc, Quyền hạn ký, Nơi nhận… được lặp lại"),
                );
                continue;
            }
            seen.insert(key, r);
        }
        info.values.push(value);
    }

    if kind == SheetKind::Info {
        check_required(&info, &broken, diags);
    }
    info
}

/// One value; `None` when blank or unusable (reported).
fn read_value(grid: &Grid, r: u32, c: u32, key: InfoKey, diags: &mut Diagnostics) -> Option<InfoValue> {
    match key {
        InfoKey::NgayBanHanh => {
            let (text, date) = match grid.date_or_text(r, c, key.label(), diags)? {
                DateOrText::Date(d) => (grid.plain_text(r, c).unwrap_or_else(|| d.to_string()), Some(d)),
                DateOrText::Text(t) => (t, None),
            };
            Some(InfoValue { key, text: Text { text, loc: grid.loc(r, c) }, date })
        }
        InfoKey::Nam => {
            let text = grid.text(r, c, diags)?;
            let t = text.text.as_str();
            if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
                diags.push(
                    Diagnostic::error("nam-sai", text.loc.clone(), format!("Năm «{t}» phải là năm bốn chữ số"))
                        .hint("ghi năm của kế hoạch, ví dụ 2021"),
                );
            }
            Some(InfoValue { key, text, date: None })
        }
        _ => grid.text(r, c, diags).map(|text| InfoValue { key, text, date: None }),
    }
}

fn check_required(info: &Info, broken: &[InfoKey], diags: &mut Diagnostics) {
    let missing = |key: InfoKey| {
        Diagnostic::error(
            "thieu-muc",
            Loc::sheet(info.sheet.clone()).with_label(key.label()),
            format!("thiếu mục bắt buộc «{}» trong trang {}", key.label(), info.sheet),
        )
    };
    for &key in REQUIRED {
        if info.get(key).is_none() && !broken.contains(&key) {
            diags.push(missing(key).hint(format!("thêm một hàng: cột A «{}», cột B giá trị", key.label())));
        }
    }
    let given = |k: InfoKey| info.get(k).is_some() || broken.contains(&k);
    if !given(InfoKey::Nam) && !given(InfoKey::NgayBanHanh) {
        diags.push(
            missing(InfoKey::Nam)
                .hint("thêm một hàng: cột A «Năm», cột B năm của kế hoạch (ví dụ 2021); hoặc ghi «Ngày ban hành»"),
        );
    }
}
