//! Text of the workbook's cells: inline emphasis (`**đậm**`, `*nghiêng*`)
//! turned into runs, and template expressions (`{{ nam }}`) rendered with
//! minijinja and the Vietnamese filters.

use crate::document::model::{Para, Rich, Run};
use crate::vi::date::Date;
use crate::vi::{format, number, roman, upper};
use minijinja::machinery::{parse, WhitespaceConfig};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};
use std::{fmt, io};

mod bound;

/// Paragraphs (one per non-blank line, trimmed) with `**bold**` and `*italic*` runs.
pub fn inline(s: &str) -> Rich {
    s.split(['\n', '\r'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(emphasis)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The text without marks, paragraphs joined by `\n`.
pub fn plain_text(r: &Rich) -> String {
    r.iter().map(|p| p.iter().map(|run| run.t.as_str()).collect::<String>()).collect::<Vec<_>>().join("\n")
}

/// A piece of a line while emphasis is being matched.
enum Piece {
    Text(String),
    /// A run of `*`: how many are left as literal stars, whether it may open
    /// or close emphasis, and the marks matched on each side.
    Stars {
        left: usize,
        open: bool,
        close: bool,
        closes: Vec<Mark>,
        opens: Vec<Mark>,
    },
}

#[derive(Clone, Copy)]
enum Mark {
    Bold,
    Italic,
}

/// Punctuation after which a star cannot close emphasis.
const OPENING: &str = "([{«“‘\"'";
/// Punctuation before which a star cannot open emphasis.
const CLOSING: &str = ")]}»”’.,;:!?";

/// Parse one line's emphasis (a simplified CommonMark delimiter algorithm:
/// a star run opens when followed by a non-space, closes when preceded by
/// one; `**` pairs make bold, `*` pairs italic; unmatched stars are literal).
fn emphasis(line: &str) -> Para {
    let chars: Vec<char> = line.chars().collect();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if chars[k] == '*' {
            let start = k;
            while k < chars.len() && chars[k] == '*' {
                k += 1;
            }
            let before = start.checked_sub(1).and_then(|i| chars.get(i));
            let after = chars.get(k);
            // A star opens only before a word (`*chữ*`), closes only after
            // one: `(*)`, `* ` and `*)` are literal (footnote marks).
            pieces.push(Piece::Stars {
                left: k - start,
                open: after.is_some_and(|c| !c.is_whitespace() && !CLOSING.contains(*c)),
                close: before.is_some_and(|c| !c.is_whitespace() && !OPENING.contains(*c)),
                closes: Vec::new(),
                opens: Vec::new(),
            });
        } else {
            let start = k;
            while k < chars.len() && chars[k] != '*' {
                k += 1;
            }
            pieces.push(Piece::Text(chars[start..k].iter().collect()));
        }
    }
    match_stars(&mut pieces);
    runs(&pieces)
}

/// Pair closing star runs with the nearest opening runs before them.
fn match_stars(pieces: &mut [Piece]) {
    for c in 0..pieces.len() {
        while let Piece::Stars { left: cl @ 1.., close: true, .. } = pieces[c] {
            let opener = (0..c).rev().find(|&o| matches!(pieces[o], Piece::Stars { left, open: true, .. } if left > 0));
            let Some(o) = opener else { break };
            let Piece::Stars { left: ol, .. } = pieces[o] else {
                break;
            };
            let (used, mark) = if ol >= 2 && cl >= 2 { (2, Mark::Bold) } else { (1, Mark::Italic) };
            if let Piece::Stars { left, opens, .. } = &mut pieces[o] {
                *left -= used;
                opens.push(mark);
            }
            if let Piece::Stars { left, closes, .. } = &mut pieces[c] {
                *left -= used;
                closes.push(mark);
            }
            // Star runs between the pair can no longer match (they are literal).
            for p in &mut pieces[o + 1..c] {
                if let Piece::Stars { open, close, .. } = p {
                    *open = false;
                    *close = false;
                }
            }
        }
    }
}

/// Walk the matched pieces and build merged runs.
fn runs(pieces: &[Piece]) -> Para {
    let (mut bold, mut italic) = (0usize, 0usize);
    let mut para: Para = Vec::new();
    let mut push = |t: &str, bold: usize, italic: usize| {
        if t.is_empty() {
            return;
        }
        let (b, i) = (bold > 0, italic > 0);
        match para.last_mut() {
            Some(last) if last.b == b && last.i == i => last.t.push_str(t),
            _ => para.push(Run { t: t.to_string(), b, i }),
        }
    };
    let apply = |m: &Mark, delta: isize, bold: &mut usize, italic: &mut usize| {
        let counter = match m {
            Mark::Bold => bold,
            Mark::Italic => italic,
        };
        *counter = counter.saturating_add_signed(delta);
    };
    for p in pieces {
        match p {
            Piece::Text(t) => push(t, bold, italic),
            Piece::Stars { left, closes, opens, .. } => {
                // Closing marks were matched innermost first; opening marks
                // too, so the outermost opens first.
                for m in closes {
                    apply(m, -1, &mut bold, &mut italic);
                }
                push(&"*".repeat(*left), bold, italic);
                for m in opens.iter().rev() {
                    apply(m, 1, &mut bold, &mut italic);
                }
            }
        }
    }
    para
}

/// Whether a text holds a template expression (`{{`, `{%` or `{#`).
pub fn has_template(s: &str) -> bool {
    s.contains("{{") || s.contains("{%") || s.contains("{#")
}

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

/// The template environment: undefined variables are errors, no escaping,
/// filters `so`, `phan_tram`, `ngay`, `ngay_ngan`, `la_ma`, `hoa`.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_keep_trailing_newline(true);
    env.add_filter("so", filter_so);
    env.add_filter("phan_tram", filter_phan_tram);
    env.add_filter("ngay", filter_ngay);
    env.add_filter("ngay_ngan", filter_ngay_ngan);
    env.add_filter("la_ma", filter_la_ma);
    env.add_filter("hoa", filter_hoa);
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

use crate::workbook::limits::{grouped, MAX_TEMPLATE_BYTES, MAX_TEMPLATE_FUEL};

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

/// `indent` with the size of its result checked before it is made.
fn filter_indent(
    value: String,
    width: Option<usize>,
    first: Option<bool>,
    blank: Option<bool>,
) -> Result<String, Error> {
    let width = width.unwrap_or(4);
    let lines = value.lines().count().max(1);
    let size = value.len() as u128 + lines as u128 * width as u128;
    if size > u128::from(MAX_TEMPLATE_BYTES) {
        return Err(too_long("indent", size));
    }
    let pad = " ".repeat(width);
    let mut out = String::new();
    for (i, line) in value.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let indent = (i > 0 || first.unwrap_or(false)) && (blank.unwrap_or(false) || !line.trim().is_empty());
        if indent {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    Ok(out)
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

/// Turn a minijinja error into a Vietnamese one, with the expression concerned.
fn template_error(env: &Environment, text: &str, ctx: &Value, e: &Error) -> TemplateError {
    let range = e.range().filter(|r| text.get(r.clone()).is_some());
    let expr = enclosing_tag(text, range.as_ref().map(|r| r.start), e.line()).unwrap_or_else(|| text.to_string());
    let detail = e.detail().map(str::to_string).unwrap_or_else(|| e.to_string());
    let missing = missing_variables(env, text, ctx, &expr);
    // An undefined value is reported as such by its kind, except when an
    // operator meets it (`x + 1`: InvalidOperation, "unsupported types
    // undefined and number"): then the kind and the text's undefined
    // variables say it, not the English wording.
    let undefined =
        e.kind() == ErrorKind::UndefinedError || (e.kind() == ErrorKind::InvalidOperation && !missing.is_empty());
    let message = match e.kind() {
        _ if undefined => {
            // The range may point at a filter that got the undefined value
            // (`x | so`): then the missing variable is the better name.
            let path = range.and_then(|r| variable_path(text, r)).filter(|p| {
                let root = p.split('.').next().unwrap_or(p);
                missing.is_empty() || missing.iter().any(|m| m == root)
            });
            let name = path
                .or_else(|| (!missing.is_empty()).then(|| missing.join("», «")))
                .or_else(|| undefined_name(&expr))
                .unwrap_or_else(|| expr.clone());
            format!("biến «{name}» chưa được định nghĩa")
        }
        ErrorKind::SyntaxError => format!("lỗi cú pháp: {}", syntax_vi(&detail)),
        ErrorKind::OutOfFuel => format!(
            "biểu thức chạy quá {} bước (giới hạn của một ô); bỏ bớt vòng lặp {{% for %}}",
            grouped(MAX_TEMPLATE_FUEL)
        ),
        // The one message without a kind of its own: minijinja's repeated
        // string limit (`'ab' * 100000000`) is an InvalidOperation whose
        // only mark is its text, "repeated string is too large" (most growth
        // is refused before it runs, by `text::bound`).
        ErrorKind::InvalidOperation if detail.contains("too large") => {
            "biểu thức tạo ra chuỗi quá dài (giới hạn của một ô)".to_string()
        }
        ErrorKind::UnknownFilter => format!("bộ lọc không tồn tại: {detail}"),
        ErrorKind::UnknownFunction => format!("hàm không tồn tại: {detail}"),
        _ => detail,
    };
    TemplateError { message, expr }
}

/// minijinja's syntax messages, said in Vietnamese (its own words kept in
/// brackets for the ones we do not know).
fn syntax_vi(detail: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        ("unexpected end of variable block", "cặp {{ }} không có biểu thức bên trong, hoặc biểu thức bị cắt ngang"),
        ("unexpected end of input", "thiếu dấu đóng }} hoặc %}"),
        ("unexpected end of block", "khối {% %} chưa đủ, thiếu phần sau từ khóa"),
        ("unknown statement", "câu lệnh trong {% %} không có (dùng if, for, set…)"),
        ("expected expression", "thiếu biểu thức"),
        ("unexpected `}}`", "thừa dấu }}"),
        ("unexpected `%}`", "thừa dấu %}"),
        ("unclosed string", "chuỗi trong dấu nháy chưa đóng"),
        ("unexpected character", "có ký tự không hợp lệ trong biểu thức"),
        ("missing endif", "thiếu {% endif %}"),
        ("missing endfor", "thiếu {% endfor %}"),
    ];
    match KNOWN.iter().find(|(en, _)| detail.contains(en)) {
        Some((_, vi)) => (*vi).to_string(),
        None => format!("biểu thức viết sai ({detail})"),
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

/// The first identifier inside a `{{ … }}` tag, as a guess at the undefined name.
fn undefined_name(expr: &str) -> Option<String> {
    let inner = expr.trim_start_matches(['{', '%', '-', ' ']);
    let name: String = inner.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
}

/// The `{{ … }}` / `{% … %}` tag around byte `at`, or else the first tag on
/// line `line` (1-based).
fn enclosing_tag(text: &str, at: Option<usize>, line: Option<usize>) -> Option<String> {
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

/// A filter error with a Vietnamese message.
fn filter_error(msg: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg)
}

/// A value as a number: numbers, and strings read as a number cell's text
/// is (`vi::parse::parse_number`: `10,5`, `1.234,5`, `1.234` = 1234).
fn number_of(value: &Value) -> Option<f64> {
    if value.is_number() {
        return f64::try_from(value.clone()).ok().filter(|x| x.is_finite());
    }
    crate::vi::parse::parse_number(value.as_str()?)
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

/// `{{ x | so }}`: a number in Vietnamese form (`89,87`).
fn filter_so(value: Value) -> Result<String, Error> {
    defined(&value, "so")?;
    number_of(&value)
        .map(number::format_number)
        .ok_or_else(|| filter_error(format!("bộ lọc so cần một số, nhận được «{value}»")))
}

/// `{{ x | phan_tram }}`: a percentage (`85,5%`).
fn filter_phan_tram(value: Value) -> Result<String, Error> {
    defined(&value, "phan_tram")?;
    number_of(&value)
        .map(number::format_percent)
        .ok_or_else(|| filter_error(format!("bộ lọc phan_tram cần một số, nhận được «{value}»")))
}

/// `{{ d | ngay }}`: `ngày 05 tháng 01 năm 2023`.
fn filter_ngay(value: Value) -> Result<String, Error> {
    defined(&value, "ngay")?;
    date_of(&value)
        .map(|d| format::long(&d))
        .ok_or_else(|| filter_error(format!("bộ lọc ngay cần một ngày, nhận được «{value}»")))
}

/// `{{ d | ngay_ngan }}`: `05/01/2023`.
fn filter_ngay_ngan(value: Value) -> Result<String, Error> {
    defined(&value, "ngay_ngan")?;
    date_of(&value)
        .map(|d| format::short(&d))
        .ok_or_else(|| filter_error(format!("bộ lọc ngay_ngan cần một ngày, nhận được «{value}»")))
}

/// `{{ 3 | la_ma }}`: `III`.
fn filter_la_ma(value: Value) -> Result<String, Error> {
    defined(&value, "la_ma")?;
    number_of(&value)
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
    use super::*;

    fn run(t: &str, b: bool, i: bool) -> Run {
        Run { t: t.to_string(), b, i }
    }

    #[test]
    fn paragraphs() {
        assert_eq!(inline(""), Rich::new());
        assert_eq!(inline("  \n \r\n"), Rich::new());
        assert_eq!(
            inline(" a \r\n\r\nb\rc\n"),
            vec![vec![run("a", false, false)], vec![run("b", false, false)], vec![run("c", false, false)]]
        );
    }

    #[test]
    fn emphasis_runs() {
        assert_eq!(
            inline("Thực hiện **đậm** và *nghiêng*."),
            vec![vec![
                run("Thực hiện ", false, false),
                run("đậm", true, false),
                run(" và ", false, false),
                run("nghiêng", false, true),
                run(".", false, false),
            ]]
        );
        assert_eq!(inline("***cả hai***"), vec![vec![run("cả hai", true, true)]]);
        assert_eq!(
            inline("**bold *and italic***"),
            vec![vec![run("bold ", true, false), run("and italic", true, true)]]
        );
        assert_eq!(inline("*nghiêng **và đậm***"), vec![vec![run("nghiêng ", false, true), run("và đậm", true, true)]]);
        assert_eq!(
            inline("**a** **b**"),
            vec![vec![run("a", true, false), run(" ", false, false), run("b", true, false)]]
        );
        assert_eq!(
            inline("**a**b**c**"),
            vec![vec![run("a", true, false), run("b", false, false), run("c", true, false)]]
        );
    }

    #[test]
    fn unmatched_stars_are_literal() {
        for s in ["*", "**", "***", "a * b", "5 * 3 = 15", "**chưa đóng", "chưa mở*", "* a *", "****"] {
            assert_eq!(inline(s), vec![vec![run(s, false, false)]], "{s}");
        }
        assert_eq!(inline("*a**"), vec![vec![run("a", false, true), run("*", false, false)]]);
        assert_eq!(inline("**a*"), vec![vec![run("*", false, false), run("a", false, true)]]);
    }

    #[test]
    fn footnote_stars_are_literal() {
        for s in [
            "tiêu chí (*) và tiêu chí (*)",
            "chỉ số (**) đạt",
            "* Ghi chú: các tiêu chí (*) là bắt buộc",
            "Tiêu chí*) và (*",
            "(*)",
        ] {
            assert_eq!(inline(s), vec![vec![run(s, false, false)]], "{s}");
        }
        assert_eq!(
            inline("tiêu chí (*) có *chữ nghiêng*"),
            vec![vec![run("tiêu chí (*) có ", false, false), run("chữ nghiêng", false, true)]]
        );
        assert_eq!(
            inline("(*ghi chú*)"),
            vec![vec![run("(", false, false), run("ghi chú", false, true), run(")", false, false)]]
        );
    }

    #[test]
    fn other_marks_are_text() {
        let s = r"# $x$ @a <b> [c](d) \*e _f_ `g` {h}";
        assert_eq!(inline(s), vec![vec![run(s, false, false)]]);
        assert_eq!(inline("_a_"), vec![vec![run("_a_", false, false)]]);
    }

    #[test]
    fn plain_text_drops_the_marks() {
        assert_eq!(plain_text(&inline("**a**\n*b* c")), "a\nb c");
        assert_eq!(plain_text(&Rich::new()), "");
        assert_eq!(plain_text(&inline("🎉 **🎉**")), "🎉 🎉");
    }

    fn ctx() -> Value {
        Value::from_serialize(serde_json::json!({
            "quy": 3,
            "nam": 2023,
            "ngay_ban_hanh": Date::new(2023, 1, 5),
            "van_ban": { "trich_yeu": "Kế hoạch" },
        }))
    }

    fn r(text: &str) -> Result<String, TemplateError> {
        render(&environment(), text, &ctx())
    }

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
    fn plain_text_is_not_rendered() {
        for s in ["", "Kế hoạch", "{ a }", "a } }}", "50% {x}"] {
            assert!(!has_template(s));
            assert_eq!(r(s).unwrap(), s);
        }
        assert!(has_template("{{ x }}") && has_template("{% if %}") && has_template("{# c #}"));
    }

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

    fn rc(text: &str, ctx: serde_json::Value) -> Result<String, TemplateError> {
        render(&environment(), text, &Value::from_serialize(ctx))
    }

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
        // Features vanban does not offer are not there.
        for t in ["{{ namespace() }}", "{{ debug() }}", "{{ 1 | pprint }}", "{{ '%s' | format(1) }}"] {
            assert!(rc(t, c.clone()).is_err(), "{t}");
        }
        assert!(rc("{% macro m() %}{% endmacro %}", c.clone()).unwrap_err().message.starts_with("lỗi cú pháp"));
        assert!(rc("{% include 'x' %}", c).unwrap_err().message.starts_with("lỗi cú pháp"));
    }
}
