//! The Vietnamese filters (`so`, `phan_tram`, `ngay`, `ngay_ngan`, `la_ma`,
//! `hoa`). Text values are read by the same parsers as the workbook's cells
//! (`vi::parse`), so a filter and a cell agree on what `1.234`, `85,5%` or
//! `05.01.2023` is.

use super::error::filter_error;
use crate::vi::date::Date;
use crate::vi::parse::{parse_number, parse_percent};
use crate::vi::{format, number, roman, upper};
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind};

/// Add the Vietnamese filters to `env`.
pub(super) fn add(env: &mut Environment<'static>) {
    env.add_filter("so", filter_so);
    env.add_filter("phan_tram", filter_phan_tram);
    env.add_filter("ngay", filter_ngay);
    env.add_filter("ngay_ngan", filter_ngay_ngan);
    env.add_filter("la_ma", filter_la_ma);
    env.add_filter("hoa", filter_hoa);
}

/// An undefined value passed to a filter (reported as an undefined variable).
fn defined(value: &Value, filter: &str) -> Result<(), Error> {
    if value.is_undefined() {
        return Err(Error::new(
            ErrorKind::UndefinedError,
            format!("bộ lọc {filter} nhận một biến chưa được định nghĩa"),
        ));
    }
    Ok(())
}

/// A value as a number: numbers, and strings read by `parse` as a cell's
/// text is (`parse_number`: `10,5`, `1.234,5`, `1.234` = 1234;
/// `parse_percent`: also `85,5%`).
fn number_of(value: &Value, parse: fn(&str) -> Option<f64>) -> Option<f64> {
    if value.is_number() {
        return f64::try_from(value.clone()).ok().filter(|x| x.is_finite());
    }
    parse(value.as_str()?)
}

/// A value as a date: `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `yyyy-mm-dd`,
/// or a map `{year, month, day}`.
fn date_of(value: &Value) -> Option<Date> {
    if let Some(s) = value.as_str() {
        return date_from_str(s);
    }
    let part = |k: &str| value.get_attr(k).ok().and_then(|v| v.as_i64());
    let year = i32::try_from(part("year")?).ok()?;
    let month = u8::try_from(part("month")?).ok()?;
    let day = u8::try_from(part("day")?).ok()?;
    Date::new(year, month, day)
}

/// A date as text, read as a date cell's text is (`vi::parse::parse_date`).
fn date_from_str(s: &str) -> Option<Date> {
    crate::vi::parse::parse_date(s).ok()
}

/// A number filter: `value` shown by `show`, or an error naming `filter`.
fn shown_number(
    filter: &str,
    value: &Value,
    parse: fn(&str) -> Option<f64>,
    show: fn(f64) -> String,
) -> Result<String, Error> {
    defined(value, filter)?;
    number_of(value, parse)
        .map(show)
        .ok_or_else(|| filter_error(format!("bộ lọc {filter} cần một số, nhận được «{value}»")))
}

/// A date filter: `value` shown by `show`, or an error naming `filter`.
fn shown_date(filter: &str, value: &Value, show: fn(&Date) -> String) -> Result<String, Error> {
    defined(value, filter)?;
    date_of(value)
        .map(|d| show(&d))
        .ok_or_else(|| filter_error(format!("bộ lọc {filter} cần một ngày, nhận được «{value}»")))
}

/// `{{ x | so }}`: a number in Vietnamese form (`89,87`).
fn filter_so(value: Value) -> Result<String, Error> {
    shown_number("so", &value, parse_number, number::format_number)
}

/// `{{ x | phan_tram }}`: a percentage (`85,5%`), from a number or a
/// text read as a progress cell's (`85,5`, `85,5%`).
fn filter_phan_tram(value: Value) -> Result<String, Error> {
    shown_number("phan_tram", &value, parse_percent, number::format_percent)
}

/// `{{ d | ngay }}`: `ngày 05 tháng 01 năm 2023`.
fn filter_ngay(value: Value) -> Result<String, Error> {
    shown_date("ngay", &value, format::long)
}

/// `{{ d | ngay_ngan }}`: `05/01/2023`.
fn filter_ngay_ngan(value: Value) -> Result<String, Error> {
    shown_date("ngay_ngan", &value, format::short)
}

/// `{{ 3 | la_ma }}`: `III`.
fn filter_la_ma(value: Value) -> Result<String, Error> {
    defined(&value, "la_ma")?;
    number_of(&value, parse_number)
        .filter(|x| x.fract() == 0.0 && (1.0..=3999.0).contains(x))
        .map(|x| roman::to_roman(x as u32))
        .ok_or_else(|| filter_error(format!("bộ lọc la_ma cần một số nguyên từ 1 đến 3999, nhận được «{value}»")))
}

/// `{{ s | hoa }}`: Vietnamese upper case.
fn filter_hoa(value: Value) -> Result<String, Error> {
    defined(&value, "hoa")?;
    Ok(match value.as_str() {
        Some(s) => upper::hoa(s),
        None => upper::hoa(&value.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use crate::diag::Diagnostics;
    use crate::text::testing::{r, rc};
    use crate::vi::{format, number};
    use crate::workbook::grid::tests::grid_at;
    use crate::workbook::tasks::read_progress;
    use calamine::Data;

    #[test]
    fn renders() {
        assert_eq!(r("{{ quy + 1 }}").unwrap(), "4");
        assert_eq!(r("{{ 89.87 | so }}").unwrap(), "89,87");
        assert_eq!(r("{{ 1234 | so }}").unwrap(), "1.234");
        assert_eq!(r("{{ '10,5' | so }}").unwrap(), "10,5");
        assert_eq!(r("{{ '1.234,5' | so }}").unwrap(), "1.234,5");
        // Text is read as a number cell's text is: `1.234` is 1234 (it printed 1,234).
        assert_eq!(r("{{ '1.234' | so }}").unwrap(), "1.234");
        assert_eq!(r("{{ '1.234' | so }}").unwrap(), crate::vi::number::format_number(1234.0));
        assert_eq!(r("{{ '1 234,5' | so }}").unwrap(), "1.234,5");
        assert_eq!(r("{{ '12.345.678' | so }}").unwrap(), "12.345.678");
        assert_eq!(r("{{ '85.5' | phan_tram }}").unwrap(), "85,5%");
        assert_eq!(r("{{ 85.5 | phan_tram }}").unwrap(), "85,5%");
        assert_eq!(r("{{ 3 | la_ma }}").unwrap(), "III");
        assert_eq!(r("{{ quy | la_ma }}").unwrap(), "III");
        assert_eq!(r(r#"{{ "05/01/2023" | ngay }}"#).unwrap(), "ngày 05 tháng 01 năm 2023");
        assert_eq!(r(r#"{{ "2021-06-30" | ngay }}"#).unwrap(), "ngày 30 tháng 6 năm 2021");
        assert_eq!(r(r#"{{ "5-1-2023" | ngay_ngan }}"#).unwrap(), "05/01/2023");
        // Dates as a date cell's text is read (these were refused before).
        assert_eq!(r(r#"{{ "05.01.2023" | ngay_ngan }}"#).unwrap(), "05/01/2023");
        assert_eq!(r(r#"{{ "ngày 5 tháng 1 năm 2023" | ngay_ngan }}"#).unwrap(), "05/01/2023");
        assert!(r(r#"{{ "31/02/2021" | ngay }}"#).is_err());
        assert_eq!(r("{{ ngay_ban_hanh | ngay }}").unwrap(), "ngày 05 tháng 01 năm 2023");
        assert_eq!(r("{{ ngay_ban_hanh | ngay_ngan }}").unwrap(), "05/01/2023");
        assert_eq!(r("{{ 'sở' | hoa }}").unwrap(), "SỞ");
        assert_eq!(r("Năm {{ nam }}: {{ van_ban.trich_yeu }}").unwrap(), "Năm 2023: Kế hoạch");
        assert_eq!(r("{{ '<b>&' }}").unwrap(), "<b>&");
        assert_eq!(r("a {{ nam }}\n").unwrap(), "a 2023\n");
    }

    #[test]
    fn filter_errors_are_vietnamese() {
        let e = r("{{ 'abc' | ngay }}").unwrap_err();
        assert!(e.message.contains("bộ lọc ngay cần một ngày"), "{e:?}");
        assert_eq!(e.expr, "{{ 'abc' | ngay }}");
        for t in [
            "{{ 'abc' | so }}",
            "{{ 'NaN' | so }}",
            "{{ 'inf' | phan_tram }}",
            "{{ 0 | la_ma }}",
            "{{ 4000 | la_ma }}",
            "{{ 2.5 | la_ma }}",
            "{{ '31/02/2021' | ngay_ngan }}",
            "{{ 'ngày' | ngay }}",
        ] {
            let e = r(t).unwrap_err();
            assert!(e.message.contains("bộ lọc"), "{t}: {e:?}");
        }
        let e = r("{{ y + 1 }}").unwrap_err();
        assert_eq!(e.message, "biến «y» chưa được định nghĩa");
        let e = r("{{ quy }} {{ x | so }}").unwrap_err();
        assert_eq!(e.message, "biến «x» chưa được định nghĩa");
        assert_eq!(e.expr, "{{ x | so }}");
        let e = r("{{ x | hoa }}").unwrap_err();
        assert_eq!(e.message, "biến «x» chưa được định nghĩa");
        let e = r("{{ van_ban.trich_yeu.a.b }}").unwrap_err();
        assert!(e.message.contains("van_ban.trich_yeu.a"), "{e:?}");
        let e = r("{% for i in z %}{{ i }}{% endfor %}").unwrap_err();
        assert_eq!(e.message, "biến «z» chưa được định nghĩa");
        let e = r("{{ x | khong_co }}").unwrap_err();
        assert!(!e.message.is_empty());
    }

    #[test]
    fn a_filter_reads_text_as_a_cell_does() {
        // The same texts typed in a number (or date) cell and handed to a
        // filter give the same value: one parser for both.
        let numbers = ["1.234", "10,5", "1.234,5", "1 234,5", "10.5", "0.125", "1,234.5", "-3", ",5", "12.345.678"];
        let dates = ["05/01/2023", "5-1-2023", "2023-01-05", "05.01.2023", "ngày 5 tháng 1 năm 2023"];
        let cells: Vec<Data> = numbers.iter().chain(&dates).map(|s| Data::String(s.to_string())).collect();
        let grid = grid_at("NhiemVu", 0, 0, &[&cells]);
        let mut diags = Diagnostics::default();
        for (col, text) in numbers.iter().enumerate() {
            let cell = grid.number(0, col as u32, "Số", &mut diags).map(|c| c.value);
            let ctx = serde_json::json!({ "o": text });
            assert_eq!(rc("{{ o | so }}", ctx.clone()).ok(), cell.map(number::format_number), "{text}");
            assert_eq!(rc("{{ o | phan_tram }}", ctx).ok(), cell.map(number::format_percent), "{text}");
        }
        for (i, text) in dates.iter().enumerate() {
            let cell = grid.date(0, (numbers.len() + i) as u32, "Ngày", &mut diags).map(|c| c.date);
            let ctx = serde_json::json!({ "o": text });
            assert_eq!(rc("{{ o | ngay }}", ctx.clone()).ok(), cell.map(|d| format::long(&d)), "{text}");
            assert_eq!(rc("{{ o | ngay_ngan }}", ctx).ok(), cell.map(|d| format::short(&d)), "{text}");
        }
        // A progress cell's text (`Tiến độ (%)`) and `phan_tram`.
        let percents = ["85%", "85,5 %", "0,5%", "85", "10.5", "100 %"];
        let cells: Vec<Data> = percents.iter().map(|s| Data::String(s.to_string())).collect();
        let grid = grid_at("NhiemVu", 0, 0, &[&cells]);
        for (col, text) in percents.iter().enumerate() {
            let cell = read_progress(&grid, 0, col as u32, "Tiến độ (%)", &mut diags).map(|c| c.value);
            let got = rc("{{ o | phan_tram }}", serde_json::json!({ "o": text })).ok();
            assert_eq!(got, cell.map(number::format_percent), "{text}");
        }
        assert!(diags.is_empty(), "{diags:?}");
        // Text that no cell reads is refused by both.
        let bad = [Data::String("1,2,3".into()), Data::String("31/02/2021".into())];
        let grid = grid_at("NhiemVu", 0, 0, &[&bad]);
        assert!(grid.number(0, 0, "Số", &mut diags).is_none() && grid.date(0, 1, "Ngày", &mut diags).is_none());
        assert!(r("{{ '1,2,3' | so }}").is_err() && r("{{ '31/02/2021' | ngay }}").is_err());
    }
}
