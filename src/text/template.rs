//! Rendering one cell's template against the document variables, bounded
//! before it runs and capped while it runs.

use super::bound;
use super::error::{enclosing_tag, template_error, TemplateError};
use crate::workbook::limits::{grouped, MAX_TEMPLATE_BYTES};
use minijinja::machinery::{parse, WhitespaceConfig};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value;
use minijinja::Environment;
use std::io;

/// Whether a text holds a template expression (`{{`, `{%` or `{#`).
pub fn has_template(s: &str) -> bool {
    s.contains("{{") || s.contains("{%") || s.contains("{#")
}

/// Render a cell's text against the document variables; text without
/// template syntax is returned unchanged. Before it runs, the template is
/// bounded (`bound::check`: no expression may make more than
/// `MAX_TEMPLATE_BYTES`), and its output stops at that limit.
pub fn render(env: &Environment, text: &str, ctx: &Value) -> Result<String, TemplateError> {
    if !has_template(text) {
        return Ok(text.to_string());
    }
    // Checked on the syntax tree before compiling: the compiler folds
    // constants, and `'x' * 100000000` would be made there.
    let ws = WhitespaceConfig { keep_trailing_newline: true, ..WhitespaceConfig::default() };
    let compile_error = |_| match env.template_from_str(text) {
        Err(e) => template_error(env, text, ctx, &e),
        Ok(_) => TemplateError { message: "lỗi cú pháp".to_string(), expr: text.chars().take(200).collect() },
    };
    let tree = parse(text, "<ô>", SyntaxConfig, ws).map_err(compile_error)?;
    bound::check(&tree, ctx).map_err(|r| TemplateError {
        message: r.message,
        expr: enclosing_tag(text, Some(r.at), None).unwrap_or_else(|| text.chars().take(200).collect()),
    })?;
    drop(tree);
    let tmpl = env.template_from_str(text).map_err(|e| template_error(env, text, ctx, &e))?;
    let mut out = Capped::default();
    match tmpl.render_captured_to(ctx, &mut out) {
        Ok(_) => String::from_utf8(out.bytes).map_err(|_| TemplateError {
            message: "biểu thức cho ra chữ không hợp lệ".to_string(),
            expr: text.chars().take(200).collect(),
        }),
        Err(_) if out.full => Err(TemplateError {
            message: format!("biểu thức cho ra hơn {} byte, vượt giới hạn của một ô", grouped(MAX_TEMPLATE_BYTES)),
            expr: text.chars().take(200).collect(),
        }),
        Err(e) => Err(template_error(env, text, ctx, &e)),
    }
}

/// The output of one cell's template, refusing to grow past the limit.
#[derive(Default)]
struct Capped {
    bytes: Vec<u8>,
    full: bool,
}

impl io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if (self.bytes.len() + buf.len()) as u64 > MAX_TEMPLATE_BYTES {
            self.full = true;
            return Err(io::Error::other("giới hạn văn bản của một ô"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::inline;
    use crate::text::testing::{r, rc};

    #[test]
    fn plain_text_is_not_rendered() {
        for s in ["", "Kế hoạch", "{ a }", "a } }}", "50% {x}"] {
            assert!(!has_template(s));
            assert_eq!(r(s).unwrap(), s);
        }
        assert!(has_template("{{ x }}") && has_template("{% if %}") && has_template("{# c #}"));
    }

    #[test]
    fn weird_input_never_panics() {
        for s in [
            "{{",
            "{%",
            "{#",
            "}}{{",
            "{{ '🎉' | hoa }}",
            "{{ 1e308 * 10 | so }}",
            "{{ -1 | la_ma }}",
            "{{ {} | ngay }}",
        ] {
            let _ = r(s);
            let _ = inline(s);
        }
        assert_eq!(r("{{ '🎉' | hoa }}").unwrap(), "🎉");
    }

    #[test]
    fn growth_is_refused_before_it_runs() {
        let c = serde_json::json!({ "quy": 3, "ds": ["x"] });
        let doubling = format!("{{% set a = 'xxxxxxxxxx' %}}{}{{{{ a }}}}", "{% set a = a ~ a %}".repeat(30));
        for (t, want) in [
            (doubling.as_str(), "vượt giới hạn 1.000.000 byte"),
            ("{{ 'x' * 100000000 }}", "100.000.000 byte"),
            ("{% for x in ds %}{% set y = x %}{% endfor %}", "{% set %} chỉ dùng được ở ngoài cùng"),
            ("{% if quy %}{% set y = 1 %}{% endif %}", "ngoài cùng"),
            ("{% set ns = namespace(a=1) %}{% set ns.a = 2 %}", "namespace"),
            ("{% set x %}a{% endset %}", "endset"),
            ("{% filter upper %}a{% endfilter %}", "filter"),
            ("{% for x in ds recursive %}{{ loop(x) }}{% endfor %}", "recursive"),
            ("{{ ds | map('upper') }}", "map"),
            ("{{ 'x' * (quy | float | int) }}", "vượt giới hạn"),
            ("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", "xử lý"),
            ("{% for i in range(100) %}{{ 'x' * 100000 }}{% endfor %}", "hơn 1.000.000 byte"),
        ] {
            let e = rc(t, c.clone()).unwrap_err();
            assert!(e.message.contains(want), "{t}: {e:?}");
        }
        // The expression refused is named.
        let e = rc("a {{ quy }} b {{ 'x' * 100000000 }}", c.clone()).unwrap_err();
        assert_eq!(e.expr, "{{ 'x' * 100000000 }}");
    }
}
