//! A template's error said in Vietnamese, with the expression concerned:
//! told by minijinja's `ErrorKind`, its range and line, and the text's
//! undefined variables.

use crate::workbook::limits::{grouped, MAX_TEMPLATE_FUEL};
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind};
use std::fmt;

/// A template that could not be rendered: a Vietnamese message and the
/// expression concerned (or the whole text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
    pub expr: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (trong «{}»)", self.message, self.expr)
    }
}

impl std::error::Error for TemplateError {}

/// A filter's own Vietnamese message, carried as the source of its error
/// so that [`template_error`] tells it from minijinja's English ones by type.
#[derive(Debug)]
pub(super) struct FilterMessage(String);

impl fmt::Display for FilterMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FilterMessage {}

/// A filter's error with a Vietnamese message.
pub(super) fn filter_error(msg: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.clone()).with_source(FilterMessage(msg))
}

/// Turn a minijinja error into a Vietnamese one, with the expression concerned.
pub(super) fn template_error(env: &Environment, text: &str, ctx: &Value, e: &Error) -> TemplateError {
    let range = e.range().filter(|r| text.get(r.clone()).is_some());
    let expr = enclosing_tag(text, range.as_ref().map(|r| r.start), e.line()).unwrap_or_else(|| text.to_string());
    if let Some(own) = std::error::Error::source(e).and_then(|s| s.downcast_ref::<FilterMessage>()) {
        return TemplateError { message: own.0.clone(), expr };
    }
    // What the range points at (`join(',', 2)`, `khong_co`), else the tag.
    let at = range.clone().and_then(|r| text.get(r)).map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&expr);
    let missing = missing_variables(env, text, ctx, &expr);
    // An undefined value is reported as such by its kind, except when an
    // operator meets it (`x + 1`: InvalidOperation, "unsupported types
    // undefined and number"): then the kind and an undefined variable in
    // the expression say it, not the English wording.
    let undefined = e.kind() == ErrorKind::UndefinedError
        || (e.kind() == ErrorKind::InvalidOperation && names(at).any(|n| missing.iter().any(|m| m == n)));
    let message = match e.kind() {
        _ if undefined => {
            // The range may point at a filter that got the undefined value
            // (`x.y | so`): then the value is the path before the `|`.
            let pipe = range.as_ref().and_then(|r| piped(text, r.start));
            let subject = range.clone().map(|r| pipe.map_or(r, |end| end..end));
            let path = subject.and_then(|r| variable_path(text, r)).filter(|p| {
                let root = p.split('.').next().unwrap_or(p);
                missing.is_empty() || missing.iter().any(|m| m == root)
            });
            let name = path
                .or_else(|| (!missing.is_empty()).then(|| missing.join("», «")))
                // A value that is no path (`ds[9]`) is named as written.
                .or_else(|| (range.is_some() && pipe.is_none()).then(|| at.to_string()))
                .or_else(|| first_name(&expr))
                .unwrap_or_else(|| expr.clone());
            format!("biến «{name}» chưa được định nghĩa")
        }
        ErrorKind::SyntaxError => format!("lỗi cú pháp: {}", syntax_vi(text, range.as_ref().map(|r| r.start))),
        ErrorKind::OutOfFuel => format!(
            "biểu thức chạy quá {} bước (giới hạn của một ô); bỏ bớt vòng lặp {{% for %}}",
            grouped(MAX_TEMPLATE_FUEL)
        ),
        // minijinja's own repeated-string limit (`'ab' * 100000000`) is an
        // InvalidOperation like any other; `text::bound` refuses such
        // growth, with its size, before minijinja runs.
        ErrorKind::InvalidOperation => format!("phép tính hoặc bộ lọc «{at}» không làm được với các giá trị này"),
        ErrorKind::UnknownFilter => format!("bộ lọc «{at}» không tồn tại"),
        ErrorKind::UnknownFunction => format!("hàm «{}» không tồn tại", first_name(at).as_deref().unwrap_or(at)),
        ErrorKind::UnknownTest => format!("phép thử «is {at}» không tồn tại"),
        ErrorKind::UnknownMethod => {
            let method = at.trim_start_matches('.');
            format!("phương thức «{}» không tồn tại", first_name(method).as_deref().unwrap_or(method))
        }
        ErrorKind::TooManyArguments => format!("«{at}»: thừa đối số, hoặc có đối số không mang tên đó"),
        ErrorKind::MissingArgument => format!("«{at}»: thiếu đối số"),
        ErrorKind::CannotUnpack => format!("không tách được giá trị thành «{at}»"),
        _ => format!("biểu thức «{at}» không tính được"),
    };
    TemplateError { message, expr }
}

/// The end of the expression piped into the filter at byte `at` (`x.y | so`:
/// the end of `x.y`), or `None` when no `|` comes before it.
fn piped(text: &str, at: usize) -> Option<usize> {
    let head = text.get(..at)?.trim_end().strip_suffix('|')?;
    Some(head.trim_end().len())
}

/// The identifiers (and other words) in an expression.
fn names(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty())
}

/// A syntax error said from the cell's own text at the error's place
/// (`at`, a byte offset): minijinja has one kind for every syntax error and
/// its words are English, so what is wrong — a tag left open, an empty
/// tag, a string or bracket left open, a statement vanban does not have, a
/// block not closed — is read from the text, not from its message.
fn syntax_vi(text: &str, at: Option<usize>) -> String {
    let tags = tags(text);
    for &(s, e) in &tags {
        let (open, close) = (&text[s..s + 2], closer(&text[s..s + 2]));
        if !text[s..e].ends_with(close) || e - s < 4 {
            return format!("thiếu dấu đóng {close} cho «{open}» (ở «{}»)", excerpt(&text[s..e]));
        }
    }
    // The tag at the error, else the last one (an error at the end).
    let here = at.and_then(|at| tags.iter().find(|(s, e)| *s <= at && at < *e)).or(tags.last());
    if let Some(&(s, e)) = here {
        let inner = tag_inner(text, s, e);
        let kind = &text[s..s + 2];
        if inner.is_empty() && kind != "{#" {
            return format!("cặp {kind} {} không có gì bên trong", closer(kind));
        }
        if let Some(q) = open_quote(inner) {
            return format!("chuỗi mở bằng dấu {q} chưa đóng (trong «{}»)", excerpt(inner));
        }
        if let Some(b) = open_bracket(inner) {
            return b;
        }
        if kind == "{%" {
            let word: String = inner.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !STATEMENTS.contains(&word.as_str()) {
                return format!("không có câu lệnh «{word}» (trong {{% %}} chỉ dùng: {})", STATEMENTS.join(", "));
            }
        }
        // The error at the tag's closer: what comes before it is unfinished.
        let marked = text[s + 2..e - 2].ends_with(['-', '+']);
        let closer_at = if marked { e - 3 } else { e - 2 };
        if at.is_some_and(|at| at >= closer_at && at < e) {
            let last = inner.rsplit(char::is_whitespace).next().unwrap_or(inner);
            return format!("thiếu phần sau «{}»", excerpt(last));
        }
    }
    if let Some(block) = unclosed_block(text, &tags) {
        return block;
    }
    match at.and_then(|at| text.get(at..)).map(token).filter(|t| !t.is_empty()) {
        Some(t) => format!("biểu thức viết sai ở «{t}»"),
        None => "biểu thức viết sai hoặc bị cắt ngang".to_string(),
    }
}

/// What a closed tag at `s..e` holds: less its delimiters, the whitespace
/// marks written against them (`{{-`, `-}}`, `+%}`) and the spaces.
fn tag_inner(text: &str, s: usize, e: usize) -> &str {
    let inside = &text[s + 2..e - 2];
    let inside = inside.strip_prefix(['-', '+']).unwrap_or(inside);
    inside.strip_suffix(['-', '+']).unwrap_or(inside).trim()
}

/// The statements a `{% %}` tag may start with (those minijinja parses with
/// vanban's settings; macros, includes and the like are not among them).
const STATEMENTS: &[&str] =
    &["if", "elif", "else", "endif", "for", "endfor", "set", "with", "endwith", "raw", "endraw"];

fn closer(open: &str) -> &'static str {
    match open {
        "{{" => "}}",
        "{%" => "%}",
        _ => "#}",
    }
}

/// At most 40 characters of a text, for a message.
fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// The quote that opens a string never closed in an expression.
fn open_quote(expr: &str) -> Option<char> {
    let mut open: Option<char> = None;
    let mut escaped = false;
    for c in expr.chars() {
        match open {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => open = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => open = Some(c),
            None => {}
        }
    }
    open
}

/// A bracket left open, or closed without being opened, outside strings.
fn open_bracket(expr: &str) -> Option<String> {
    let mut stack: Vec<char> = Vec::new();
    let mut quote: Option<char> = None;
    for c in expr.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => stack.push(c),
            (None, ')' | ']') => {
                let want = if c == ')' { '(' } else { '[' };
                if stack.pop() != Some(want) {
                    return Some(format!("thừa dấu «{c}» (trong «{}»)", excerpt(expr)));
                }
            }
            _ => {}
        }
    }
    stack.last().map(|c| format!("ngoặc «{c}» chưa đóng (trong «{}»)", excerpt(expr)))
}

/// An `if`/`for`/`with`/`raw` block not closed, or a closing tag with no
/// block to close.
fn unclosed_block(text: &str, tags: &[(usize, usize)]) -> Option<String> {
    let mut open: Vec<&str> = Vec::new();
    for &(s, e) in tags.iter().filter(|(s, _)| text[*s..].starts_with("{%")) {
        let word = tag_inner(text, s, e).split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("");
        match word {
            "if" | "for" | "with" | "raw" => open.push(word),
            "endif" | "endfor" | "endwith" | "endraw" if open.pop() != Some(&word[3..]) => {
                return Some(format!("thừa {{% {word} %}}: không có khối {{% {} %}} nào đang mở", &word[3..]));
            }
            _ => {}
        }
    }
    open.last().map(|w| format!("khối {{% {w} %}} chưa đóng: thiếu {{% end{w} %}}"))
}

/// The token starting a text: a word, or one other character.
fn token(s: &str) -> String {
    let s = s.trim_start();
    let word: String = s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    if word.is_empty() {
        s.chars().take(2).filter(|c| !c.is_whitespace()).collect()
    } else {
        word
    }
}

/// Variables the text uses that the context does not define, preferring
/// those named in `expr`.
fn missing_variables(env: &Environment, text: &str, ctx: &Value, expr: &str) -> Vec<String> {
    let Ok(tmpl) = env.template_from_str(text) else {
        return Vec::new();
    };
    let mut missing: Vec<String> = tmpl
        .undeclared_variables(false)
        .into_iter()
        .filter(|v| ctx.get_attr(v).map_or(true, |x| x.is_undefined()))
        .collect();
    missing.sort();
    let in_expr: Vec<String> = missing.iter().filter(|v| expr.contains(v.as_str())).cloned().collect();
    if in_expr.is_empty() {
        missing
    } else {
        in_expr
    }
}

/// The error range as a variable path (`van_ban.khong_co`), extended back
/// over the path it continues (`.b` → `van_ban.a.b`); `None` for other text.
fn variable_path(text: &str, r: std::ops::Range<usize>) -> Option<String> {
    let is_path = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let head = text.get(..r.start)?;
    let start = head.char_indices().rev().take_while(|(_, c)| is_path(*c)).last().map_or(r.start, |(i, _)| i);
    let path = text.get(start..r.end)?.trim();
    let ok = !path.is_empty()
        && path.chars().all(is_path)
        && path.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_');
    ok.then(|| path.to_string())
}

/// The first identifier inside a `{{ … }}` tag (a guess at the undefined
/// name) or of a call (`khong_co()`).
fn first_name(expr: &str) -> Option<String> {
    let inner = expr.trim_start_matches(['{', '%', '-', ' ']);
    let name: String = inner.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
}

/// The `{{ … }}` / `{% … %}` tag around byte `at`, or else the first tag on
/// line `line` (1-based).
pub(super) fn enclosing_tag(text: &str, at: Option<usize>, line: Option<usize>) -> Option<String> {
    let tags = tags(text);
    if let Some(at) = at {
        if let Some((s, e)) = tags.iter().find(|(s, e)| *s <= at && at < *e) {
            return text.get(*s..*e).map(str::to_string);
        }
    }
    let line = line?;
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let line_end = text[line_start..].find('\n').map_or(text.len(), |n| line_start + n);
    tags.iter()
        .find(|(s, _)| (line_start..line_end).contains(s))
        .and_then(|(s, e)| text.get(*s..*e))
        .map(str::to_string)
}

/// Byte spans of the template tags in a text.
fn tags(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text[from..].find(['{']) {
        let s = from + rel;
        let close = match text[s..].get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                from = s + 1;
                continue;
            }
        };
        let e = text[s + 2..].find(close).map_or(text.len(), |n| s + 2 + n + 2);
        out.push((s, e));
        from = e;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::testing::{r, rc};

    #[test]
    fn undefined_variable() {
        let e = r("Năm {{ x }} nhé").unwrap_err();
        assert!(e.message.contains("«x»"), "{e:?}");
        assert_eq!(e.expr, "{{ x }}");
        let e = r("{{ nam }} và {{ van_ban.khong_co }}").unwrap_err();
        assert!(e.message.contains("khong_co"), "{e:?}");
        assert_eq!(e.expr, "{{ van_ban.khong_co }}");
    }

    #[test]
    fn errors_are_told_apart_by_kind() {
        // An operator on a defined value of the wrong type is not an
        // undefined variable, though minijinja's kind is the same as `y + 1`.
        let e = r("{{ nam + 'a' }}").unwrap_err();
        assert!(!e.message.contains("chưa được định nghĩa"), "{e:?}");
        let e = r("{{ quy + x }}").unwrap_err();
        assert_eq!(e.message, "biến «x» chưa được định nghĩa");
    }

    #[test]
    fn syntax_error() {
        let e = r("{% if %}").unwrap_err();
        assert!(e.message.starts_with("lỗi cú pháp"), "{e:?}");
        let e = r("a {{ nam ").unwrap_err();
        assert!(e.message.starts_with("lỗi cú pháp"), "{e:?}");
    }

    #[test]
    fn syntax_errors_are_said_from_the_text_not_from_minijinjas_words() {
        let cases = [
            ("a {{ nam ", "lỗi cú pháp: thiếu dấu đóng }} cho «{{» (ở «{{ nam »)"),
            ("{{ }}", "lỗi cú pháp: cặp {{ }} không có gì bên trong"),
            ("{{ 'abc }}", "lỗi cú pháp: chuỗi mở bằng dấu ' chưa đóng (trong «'abc»)"),
            ("{{ (nam + 1 }}", "lỗi cú pháp: ngoặc «(» chưa đóng (trong «(nam + 1»)"),
            ("{{ nam) }}", "lỗi cú pháp: thừa dấu «)» (trong «nam)»)"),
            ("{% macro m() %}{% endmacro %}", "lỗi cú pháp: không có câu lệnh «macro»"),
            ("{% if nam %}x", "lỗi cú pháp: khối {% if %} chưa đóng: thiếu {% endif %}"),
            ("x{% endfor %}", "lỗi cú pháp: thừa {% endfor %}: không có khối {% for %} nào đang mở"),
            ("{{ nam nam }}", "lỗi cú pháp: biểu thức viết sai ở «nam»"),
            ("{% if %}", "lỗi cú pháp: thiếu phần sau «if»"),
            ("{{ nam + }}", "lỗi cú pháp: thiếu phần sau «+»"),
            ("{{- nam + -}}", "lỗi cú pháp: thiếu phần sau «+»"),
        ];
        for (text, want) in cases {
            let e = r(text).unwrap_err();
            assert!(e.message.starts_with(want), "{text}: {e:?}");
            assert!(!e.message.contains("expected"), "no English words of minijinja: {text}: {e:?}");
        }
    }

    #[test]
    fn tags_and_the_one_around_an_offset() {
        let t = "a {{ x }} {% if y %}b{% endif %} {# c #} { d } {{ z";
        assert_eq!(
            tags(t).iter().map(|&(s, e)| &t[s..e]).collect::<Vec<_>>(),
            ["{{ x }}", "{% if y %}", "{% endif %}", "{# c #}", "{{ z"]
        );
        assert_eq!(enclosing_tag(t, Some(5), None).as_deref(), Some("{{ x }}"));
        assert_eq!(enclosing_tag(t, Some(0), None), None);
        // Outside every tag, the first tag on the line is taken.
        let t = "{{ a }}\nb {{ c }} {{ d }}";
        assert_eq!(enclosing_tag(t, Some(9), Some(2)).as_deref(), Some("{{ c }}"));
        assert_eq!(enclosing_tag(t, None, Some(1)).as_deref(), Some("{{ a }}"));
        assert_eq!(enclosing_tag(t, None, Some(9)), None);
        assert_eq!(enclosing_tag("🎉 {{ x }}", Some(1), Some(1)).as_deref(), Some("{{ x }}"));
    }

    #[test]
    fn names_of_the_undefined() {
        let t = "{{ van_ban.a.b }}";
        // The range of `.b` extends back over the path it continues.
        assert_eq!(variable_path(t, 12..14).as_deref(), Some("van_ban.a.b"));
        assert_eq!(variable_path(t, 3..10).as_deref(), Some("van_ban"));
        assert_eq!(variable_path("{{ 1 + 2 }}", 3..8), None);
        assert_eq!(variable_path("{{ x }}", 3..40), None);
        assert_eq!(first_name("{{ ten_don_vi | hoa }}").as_deref(), Some("ten_don_vi"));
        assert_eq!(first_name("{%- for x in y %}").as_deref(), Some("for"));
        assert_eq!(first_name("{{ 'a' }}"), None);
    }

    #[test]
    fn minijinjas_own_errors_are_told_by_kind_and_range() {
        let c = serde_json::json!({ "quy": 3, "ds": [1, 2] });
        for (t, want) in [
            ("{{ quy | khong_co }}", "bộ lọc «khong_co» không tồn tại"),
            ("{{ khong_co() }}", "hàm «khong_co» không tồn tại"),
            ("{{ quy is khong_co }}", "phép thử «is khong_co» không tồn tại"),
            ("{{ quy.khong_co() }}", "phương thức «khong_co» không tồn tại"),
            ("{{ ds | join(',', 2) }}", "«join(',', 2)»: thừa đối số, hoặc có đối số không mang tên đó"),
            ("{{ quy | indent(wat=1) }}", "«indent(wat=1)»: thừa đối số, hoặc có đối số không mang tên đó"),
            ("{{ ds | replace }}", "«replace»: thiếu đối số"),
            ("{% for a, b in ds %}{% endfor %}", "không tách được giá trị thành «a, b»"),
            ("{{ 1 // 0 }}", "phép tính hoặc bộ lọc «1 // 0» không làm được với các giá trị này"),
            ("{{ ds | batch(0) }}", "phép tính hoặc bộ lọc «batch(0)» không làm được với các giá trị này"),
            ("{{ ds[5] }}", "biến «ds[5]» chưa được định nghĩa"),
        ] {
            assert_eq!(rc(t, c.clone()).map_err(|e| e.message), Err(want.to_string()), "{t}");
        }
    }

    #[test]
    fn the_undefined_value_a_filter_gets_is_named() {
        // The error's range is the filter; the value is what is piped into it.
        for t in ["{{ van_ban.khong_co | so }}", "{{ van_ban.khong_co | upper }}", "{{ van_ban.khong_co|hoa|so }}"] {
            assert_eq!(r(t).unwrap_err().message, "biến «van_ban.khong_co» chưa được định nghĩa", "{t}");
        }
    }

    #[test]
    fn an_undefined_variable_elsewhere_does_not_hide_the_error() {
        let e = r("{{ 'a' | so }} {{ x }}").unwrap_err();
        assert_eq!((e.message.as_str(), e.expr.as_str()), ("bộ lọc so cần một số, nhận được «a»", "{{ 'a' | so }}"));
        let e = r("{{ nam + 'a' }} {{ x }}").unwrap_err();
        assert_eq!(e.message, "phép tính hoặc bộ lọc «nam + 'a'» không làm được với các giá trị này");
    }
}
