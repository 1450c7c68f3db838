//! Sheets ThongTin and BaoCao: two columns, label and value.

use std::collections::HashMap;

use crate::diag::{a1, Code, Diagnostic, Diagnostics, Loc};
use crate::workbook::model::{Info, InfoKey, InfoValue, Text};
use crate::workbook::read::{find_table, DateOrText, Grid};
use crate::workbook::schema::{self, Col, SheetKind};

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
                        Code::ThieuNhan,
                        grid.loc(r, value_col),
                        "ô có giá trị nhưng không có mục (cột nhãn trống), bỏ qua",
                    )
                    .hint("ghi tên mục vào ô bên trái, ví dụ «Trích yếu»"),
                );
            }
            continue;
        };
        let Some(key) = schema::info_key(&label.text) else {
            // An unknown label with no value is a title or a separator row.
            if !value_blank {
                let mut d = Diagnostic::warning(
                    Code::MucLa,
                    label.loc.clone(),
                    format!("mục «{}» không thuộc mẫu, bỏ qua", label.text),
                );
                if let Some(s) = schema::closest_label(&label.text) {
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
                        Code::MucTrung,
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

    typed_in_full(&mut info, diags);
    if kind == SheetKind::Info {
        check_required(&info, &broken, diags);
    }
    info
}

/// One value; `None` when blank or unusable (reported).
fn read_value(grid: &Grid, r: u32, c: u32, key: InfoKey, diags: &mut Diagnostics) -> Option<InfoValue> {
    match key {
        InfoKey::NgayBanHanh => {
            // Typed with its words or the place: `Ngày 30 tháng 6 năm 2021`, `An Giang, ngày 30/6/2021`.
            if let Some((text, date)) = grid.plain_text(r, c).and_then(|t| long_date(&t).map(|d| (t, d))) {
                return Some(InfoValue { key, text: Text { text, loc: grid.loc(r, c) }, date: Some(date) });
            }
            let (text, date) = match grid.date_or_text(r, c, key.label(), diags)? {
                DateOrText::Date(d) => (grid.plain_text(r, c).unwrap_or_else(|| d.to_string()), Some(d)),
                DateOrText::Text(t) => (t, None),
            };
            Some(InfoValue { key, text: Text { text, loc: grid.loc(r, c) }, date })
        }
        InfoKey::Nam => {
            let mut text = grid.text(r, c, diags)?;
            // `Năm 2021` typed with its label.
            if let Some(rest) = strip_word(&text.text, "nam") {
                text.text = rest.trim_start_matches(':').trim().to_string();
            }
            let t = text.text.as_str();
            if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
                diags.push(
                    Diagnostic::error(Code::NamSai, text.loc.clone(), format!("Năm «{t}» phải là năm bốn chữ số"))
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
            Code::ThieuMuc,
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

/// `s` without a leading word (folded: `Số`, `so`, `SỐ:`), when it starts with it.
fn strip_word<'s>(s: &'s str, word: &str) -> Option<&'s str> {
    let s = s.trim_start();
    let end = s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len());
    (end > 0 && crate::vi::fold::match_key(&s[..end]) == word).then(|| &s[end..])
}

/// A date typed in words or after the place (`ngày 30 tháng 6 năm 2021`,
/// `An Giang, ngày 30/6/2021`); `None` for anything else.
fn long_date(s: &str) -> Option<crate::vi::date::Date> {
    let lower = s.to_lowercase();
    let at = lower.find("ngày").or_else(|| lower.find("ngay"))?;
    crate::vi::parse::parse_date(lower[at..].trim().trim_end_matches('.')).ok()
}

/// Fields typed with their label or in full, as copied from a signed
/// document: `Số` `54/KH-SNNPTNT` or `Số: 54/KH-SNNPTNT` (split, the ký hiệu
/// compared with `Ký hiệu`), `Quyền hạn ký` `KT.GIÁM ĐỐC` (the space put back).
fn typed_in_full(info: &mut Info, diags: &mut Diagnostics) {
    let ky_hieu = info.text(InfoKey::KyHieu).cloned();
    let mut from_so: Option<Text> = None;
    info.values.retain_mut(|v| match v.key {
        InfoKey::So if !v.text.text.contains('{') => {
            let raw = v.text.text.clone();
            let t = strip_word(&raw, "so").map_or(raw.as_str(), |r| r.trim_start_matches([':', '.']).trim());
            let (number, symbol) = match t.split_once('/') {
                Some((n, k)) => (n.trim(), Some(k.trim())),
                None => (t, None),
            };
            if let Some(k) = symbol.filter(|k| !k.is_empty()) {
                match &ky_hieu {
                    Some(kh) if crate::vi::fold::match_key(&kh.text) != crate::vi::fold::match_key(k) => {
                        diags.push(
                            Diagnostic::warning(
                                Code::SoKyHieu,
                                v.text.loc.clone(),
                                format!(
                                    "Số «{raw}» ghi ký hiệu «{k}», khác «Ký hiệu» «{}» ở {}; văn bản dùng «{}»",
                                    kh.text, kh.loc, kh.text
                                ),
                            )
                            .hint("ở mục Số chỉ ghi con số (ví dụ 54); ký hiệu ghi ở mục «Ký hiệu»"),
                        );
                    }
                    Some(_) => {}
                    None => from_so = Some(Text { text: k.to_string(), loc: v.text.loc.clone() }),
                }
            }
            v.text.text = number.to_string();
            !number.is_empty()
        }
        InfoKey::QuyenHanKy => {
            let lines: Vec<String> = v.text.text.lines().map(spaced_authority).collect();
            v.text.text = lines.join("\n");
            true
        }
        _ => true,
    });
    if let Some(text) = from_so {
        info.values.push(InfoValue { key: InfoKey::KyHieu, text, date: None });
    }
}

/// `KT.GIÁM ĐỐC` → `KT. GIÁM ĐỐC`, `TM.ỦY BAN` → `TM. ỦY BAN` (Nghị định 30
/// writes a space after the abbreviation).
fn spaced_authority(line: &str) -> String {
    let t = line.trim();
    for p in ["TUQ.", "TM.", "KT.", "TL.", "Q."] {
        let head: String = t.chars().take(p.chars().count()).collect();
        if head.to_uppercase() == p {
            let rest = &t[head.len()..];
            if rest.starts_with(|c: char| c.is_alphabetic()) {
                return format!("{head} {rest}");
            }
            return t.to_string();
        }
    }
    t.to_string()
}

#[cfg(test)]
mod typed_tests {
    use super::*;

    fn info(rows: &[(InfoKey, &str)]) -> Info {
        Info {
            values: rows
                .iter()
                .enumerate()
                .map(|(i, (key, t))| InfoValue {
                    key: *key,
                    text: Text { text: (*t).into(), loc: Loc::cell("ThongTin", i as u32 + 1, 1) },
                    date: None,
                })
                .collect(),
            sheet: "ThongTin".into(),
        }
    }

    #[test]
    fn so_typed_in_full_is_split() {
        for typed in ["54/KH-SNNPTNT", "Số: 54/KH-SNNPTNT", "số 54 / KH-SNNPTNT", "SỐ:54/KH-SNNPTNT"] {
            let mut i = info(&[(InfoKey::So, typed), (InfoKey::KyHieu, "KH-SNNPTNT")]);
            let mut d = Diagnostics::default();
            typed_in_full(&mut i, &mut d);
            assert_eq!(i.text(InfoKey::So).map(|t| t.text.as_str()), Some("54"), "{typed}");
            assert!(d.is_empty(), "{typed}: {:?}", d.items);
        }
        // A different ký hiệu: the Ký hiệu field wins, with a warning at the Số cell.
        let mut i = info(&[(InfoKey::So, "54/KH-UBND"), (InfoKey::KyHieu, "KH-SNNPTNT")]);
        let mut d = Diagnostics::default();
        typed_in_full(&mut i, &mut d);
        assert_eq!(i.text(InfoKey::So).unwrap().text, "54");
        assert_eq!(d.items.len(), 1);
        assert_eq!(d.items[0].code, "so-ky-hieu");
        assert_eq!(d.items[0].loc.a1().as_deref(), Some("B2"));
        // No Ký hiệu: taken from Số. A blank number leaves the number to write by hand.
        let mut i = info(&[(InfoKey::So, "Số:    /KH-SNNPTNT")]);
        typed_in_full(&mut i, &mut Diagnostics::default());
        assert!(i.text(InfoKey::So).is_none());
        assert_eq!(i.text(InfoKey::KyHieu).unwrap().text, "KH-SNNPTNT");
        // A plain number is unchanged.
        let mut i = info(&[(InfoKey::So, "54")]);
        typed_in_full(&mut i, &mut Diagnostics::default());
        assert_eq!(i.text(InfoKey::So).unwrap().text, "54");
    }

    #[test]
    fn authority_gets_its_space() {
        assert_eq!(spaced_authority("KT.GIÁM ĐỐC"), "KT. GIÁM ĐỐC");
        assert_eq!(spaced_authority("TM.ỦY BAN NHÂN DÂN"), "TM. ỦY BAN NHÂN DÂN");
        assert_eq!(spaced_authority("kt.giám đốc"), "kt. giám đốc");
        assert_eq!(spaced_authority("KT. GIÁM ĐỐC"), "KT. GIÁM ĐỐC");
        assert_eq!(spaced_authority("TUQ.CHỦ TỊCH"), "TUQ. CHỦ TỊCH");
        assert_eq!(spaced_authority("GIÁM ĐỐC"), "GIÁM ĐỐC");
    }

    #[test]
    fn dates_and_years_typed_with_words() {
        let d = |s: &str| long_date(s).map(|d| d.to_string());
        assert_eq!(d("ngày 30 tháng 6 năm 2021").as_deref(), Some("30/06/2021"));
        assert_eq!(d("Ngày 30 tháng 6 năm 2021").as_deref(), Some("30/06/2021"));
        assert_eq!(d("An Giang, ngày 30 tháng 6 năm 2021").as_deref(), Some("30/06/2021"));
        assert_eq!(d("ngày 30/6/2021").as_deref(), Some("30/06/2021"));
        assert_eq!(d("30/6/2021"), None);
        assert_eq!(strip_word("Năm 2021", "nam"), Some(" 2021"));
        assert_eq!(strip_word("2021", "nam"), None);
    }
}
