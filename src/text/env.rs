//! The template environment: strict about undefined variables, no
//! escaping, the Vietnamese filters, and minijinja's built-ins bounded (or
//! removed) so that one cell's text stays within its limits.

use super::error::filter_error;
use super::filters;
use crate::workbook::limits::{grouped, MAX_TEMPLATE_BYTES, MAX_TEMPLATE_FUEL};
use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, Error, UndefinedBehavior};

/// The template environment: undefined variables are errors, no escaping,
/// filters `so`, `phan_tram`, `ngay`, `ngay_ngan`, `la_ma`, `hoa`.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_keep_trailing_newline(true);
    filters::add(&mut env);
    // Bounded work and text per cell: a loop of loops runs out of fuel, and
    // the builtin filters that can multiply a text's size are replaced by
    // ones that refuse a result past the limit before making it.
    env.set_fuel(Some(MAX_TEMPLATE_FUEL));
    env.add_filter("replace", filter_replace);
    env.add_filter("join", filter_join);
    env.add_filter("center", filter_center);
    env.add_filter("indent", filter_indent);
    // What would let a value grow unseen by `bound::check`: a mutable
    // namespace (its attributes outlive a loop's turn), pretty-printing
    // (indentation grows with depth), `%`-formatting (widths), and a dump
    // of every variable.
    env.remove_global("namespace");
    env.remove_global("debug");
    env.remove_filter("pprint");
    env.remove_filter("format");
    env
}

/// A built-in filter's result that would pass the limit of one cell.
fn too_long(filter: &str, bytes: u128) -> Error {
    filter_error(format!(
        "bộ lọc {filter} sẽ cho ra {} byte, vượt giới hạn {} byte của một ô",
        grouped(bytes.min(u128::from(u64::MAX)) as u64),
        grouped(MAX_TEMPLATE_BYTES)
    ))
}

/// `replace` with the size of its result checked before it is made.
fn filter_replace(value: String, from: String, to: String, count: Option<usize>) -> Result<String, Error> {
    let hits = if from.is_empty() { value.chars().count() + 1 } else { value.matches(from.as_str()).count() };
    let hits = count.map_or(hits, |c| c.min(hits));
    let size = value.len() as u128 + hits as u128 * to.len() as u128;
    if size > u128::from(MAX_TEMPLATE_BYTES) {
        return Err(too_long("replace", size));
    }
    Ok(match count {
        Some(n) => value.replacen(from.as_str(), &to, n),
        None => value.replace(from.as_str(), &to),
    })
}

/// `join` with the size of its result checked as it is made.
fn filter_join(value: Value, joiner: Option<String>) -> Result<String, Error> {
    let joiner = joiner.unwrap_or_default();
    let items: Vec<Value> = if let Some(s) = value.as_str() {
        s.chars().map(|c| Value::from(c.to_string())).collect()
    } else {
        value.try_iter()?.collect()
    };
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let text = item.as_str().map(str::to_string).unwrap_or_else(|| item.to_string());
        let size = out.len() as u128 + text.len() as u128 + if i > 0 { joiner.len() as u128 } else { 0 };
        if size > u128::from(MAX_TEMPLATE_BYTES) {
            return Err(too_long("join", size));
        }
        if i > 0 {
            out.push_str(&joiner);
        }
        out.push_str(&text);
    }
    Ok(out)
}

/// `center` with a bounded width.
fn filter_center(value: String, width: Option<usize>) -> Result<String, Error> {
    let width = width.unwrap_or(80);
    if width as u128 > u128::from(MAX_TEMPLATE_BYTES) {
        return Err(too_long("center", width as u128));
    }
    let len = value.chars().count();
    if len >= width {
        return Ok(value);
    }
    let left = (width - len) / 2;
    Ok(format!("{}{value}{}", " ".repeat(left), " ".repeat(width - len - left)))
}

/// `indent` with the size of its result checked before it is made; else
/// as minijinja's (arguments by position or by name, a trailing newline
/// dropped, only empty lines taken as blank).
fn filter_indent(
    value: String,
    width: Option<usize>,
    first: Option<bool>,
    blank: Option<bool>,
    kwargs: Kwargs,
) -> Result<String, Error> {
    let width = match width {
        Some(w) => w,
        None => kwargs.get::<Option<usize>>("width")?.unwrap_or(4),
    };
    let first = match first {
        Some(f) => f,
        None => kwargs.get::<Option<bool>>("first")?.unwrap_or(false),
    };
    let blank = match blank {
        Some(b) => b,
        None => kwargs.get::<Option<bool>>("blank")?.unwrap_or(false),
    };
    kwargs.assert_all_used()?;
    let input = strip_trailing_newline(&value);
    let lines = input.split('\n').count();
    let size = input.len() as u128 + lines as u128 * (width as u128 + 1);
    if size > u128::from(MAX_TEMPLATE_BYTES) {
        return Err(too_long("indent", size));
    }
    let pad = " ".repeat(width);
    let mut out = String::new();
    let mut lines = input.split('\n');
    if !first {
        out.push_str(lines.next().unwrap_or_default());
        out.push('\n');
    }
    for line in lines {
        if !line.is_empty() || blank {
            out.push_str(&pad);
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(strip_trailing_newline(&out).len());
    Ok(out)
}

/// The text without one trailing `\n`, then without one trailing `\r`.
fn strip_trailing_newline(s: &str) -> &str {
    let s = s.strip_suffix('\n').unwrap_or(s);
    s.strip_suffix('\r').unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::testing::rc;

    #[test]
    fn everyday_templates_still_work() {
        let c = serde_json::json!({
            "quy": 3,
            "nam": 2024,
            "thong_ke": { "tong": 40, "hoan_thanh": 30 },
            "don_vi": { "ten": "Sở Tư pháp" },
            "chi_so": { "A": { "ten": "Chỉ số A", "ket_qua": 80.5 }, "B": { "ten": "Chỉ số B", "ket_qua": 70 } },
            "ds": [{ "ten": "a", "so": 2 }, { "ten": "b", "so": 3 }],
        });
        for (t, want) in [
            ("{% if quy > 2 %}cuối năm{% else %}đầu năm{% endif %}", "cuối năm"),
            (
                "{% for x in ds %}{{ loop.index }}. {{ x.ten }}{% if not loop.last %}; {% endif %}{% endfor %}",
                "1. a; 2. b",
            ),
            ("{% for x in ds %}{{ x.so * 10 }} {% endfor %}", "20 30 "),
            ("{% for i in range(quy) %}{{ i }}{% endfor %}", "012"),
            ("{{ thong_ke.hoan_thanh * 100 / thong_ke.tong }}", "75.0"),
            ("{{ (thong_ke.hoan_thanh * 100 / thong_ke.tong) | so }}", "75"),
            ("{% set ten = don_vi.ten | hoa %}{% set ten = ten ~ ' (' ~ nam ~ ')' %}{{ ten }}", "SỞ TƯ PHÁP (2024)"),
            ("{% with n = nam + 1 %}{{ n }}{% endwith %}", "2025"),
            ("{{ chi_so.A.ten }}: {{ chi_so['B'].ket_qua | so }}", "Chỉ số A: 70"),
            ("{% for k, v in chi_so | items %}{{ k }}={{ v.ket_qua }} {% endfor %}", "A=80.5 B=70 "),
            ("{{ ds | map(attribute='ten') | join(', ') }}", "a, b"),
            ("{{ khong_co | default('—') }} {{ ds | length }}", "— 2"),
            ("{{ 'ab' * 3 }} {{ '-' * quy }}", "ababab ---"),
            ("{{ don_vi.ten | replace('Sở', 'Phòng') | upper }}", "PHÒNG TƯ PHÁP"),
            ("{{ range(5) | join(',') }}", "0,1,2,3,4"),
        ] {
            assert_eq!(rc(t, c.clone()).as_deref(), Ok(want), "{t}");
        }
    }

    #[test]
    fn features_vanban_does_not_offer_are_not_there() {
        let c = serde_json::json!({ "quy": 3, "ds": ["x"] });
        for t in ["{{ namespace() }}", "{{ debug() }}", "{{ 1 | pprint }}", "{{ '%s' | format(1) }}"] {
            assert!(rc(t, c.clone()).is_err(), "{t}");
        }
        assert!(rc("{% macro m() %}{% endmacro %}", c.clone()).unwrap_err().message.starts_with("lỗi cú pháp"));
        assert!(rc("{% include 'x' %}", c).unwrap_err().message.starts_with("lỗi cú pháp"));
    }

    #[test]
    fn bounded_built_ins_give_what_minijinjas_give() {
        // The filters replaced for their size checks change no result.
        let ours = environment();
        let mut theirs = Environment::new();
        theirs.set_keep_trailing_newline(true);
        let ctx = Value::from_serialize(serde_json::json!({ "ds": ["a", 1, 2.5, true], "s": "x\n\n  y\nz" }));
        for t in [
            "{{ 'a-b-c-d' | replace('-', '+') }}",
            "{{ 'abc' | replace('', '.') }}",
            "{{ 'Sở Tư pháp' | replace('Sở', 'Phòng') }}",
            "{{ ds | join }}|{{ ds | join(', ') }}|{{ 'chữ' | join('.') }}|{{ [] | join(',') }}",
            "{{ s | indent }}",
            "{{ s | indent(2, true) }}",
            "{{ s | indent(3, true, true) }}",
            "{{ 'a\\r\\nb' | indent(2) }}",
            "{{ s | indent(width=1, blank=true) }}|{{ s | indent(2, first=true) }}",
            "{{ 'a\\nb\\n' | indent(2) }}|{{ 'a\\r\\n' | indent(2, true) }}|{{ '\\n' | indent(2, true, true) }}",
            "{{ 'a\\n   \\nb' | indent(2) }}|{{ '' | indent(2, true, true) }}",
            "{{ 'một dòng' | indent(2, true) }}",
        ] {
            let want = theirs.render_str(t, &ctx).unwrap();
            assert_eq!(ours.render_str(t, &ctx).unwrap(), want, "{t}");
        }
        // Jinja's `replace` count and `center`, which minijinja lacks.
        assert_eq!(rc("{{ 'a-b-c-d' | replace('-', '', 2) }}", serde_json::json!({})).as_deref(), Ok("abc-d"));
        assert_eq!(
            rc("[{{ 'ab' | center(7) }}][{{ 'chữ' | center(6) }}][{{ 'abcdef' | center(3) }}]", serde_json::json!({}))
                .as_deref(),
            Ok("[  ab   ][ chữ  ][abcdef]")
        );
    }

    #[test]
    fn bounded_built_ins_refuse_a_result_past_the_limit() {
        let a = "x".repeat(1000);
        let many = Value::from_serialize(vec![a.clone(); 2000]);
        for (e, filter) in [
            (filter_replace(a.clone(), "x".into(), a.clone(), None).unwrap_err(), "replace"),
            (filter_join(many, Some(",".into())).unwrap_err(), "join"),
            (filter_center("a".into(), Some(2_000_000)).unwrap_err(), "center"),
            (
                filter_indent("\n".repeat(1000), Some(1000), None, None, std::iter::empty::<(&str, Value)>().collect())
                    .unwrap_err(),
                "indent",
            ),
        ] {
            let message = e.detail().unwrap_or_default();
            assert!(message.starts_with(&format!("bộ lọc {filter} sẽ cho ra ")), "{filter}: {e:?}");
            assert!(message.ends_with("vượt giới hạn 1.000.000 byte của một ô"), "{filter}: {e:?}");
        }
        // At the limit, not past it, the result is made.
        assert_eq!(filter_replace("x".repeat(999), "x".into(), a, None).ok().map(|s| s.len()), Some(999_000));
    }
}
