//! Generated heading numbers (Nghị định 30, documents without articles):
//! `I.` / `1.` / `1.1.` or `a)` / `1.1.1.` or `a1)`; each level restarts
//! under its parent. A number (or bullet) the user typed in front of a
//! heading, item or task, as copied from an old document, is removed here —
//! vanban numbers them itself — with a warning naming the cell, saying too
//! when the typed number differs from the generated one.

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::document::model::Rich;
use crate::vi::roman::{from_roman, to_roman};

/// Style of levels 3 and 4 (`Đánh số cấp 3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level3 {
    /// `1.1.`, `1.1.1.`
    #[default]
    Decimal,
    /// `a)`, `a1)`
    Letter,
}

/// The Vietnamese alphabet order used for `a)`, `b)` … (no f, j, w, z; đ after d).
const LETTERS: [&str; 23] =
    ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"];

/// `a` … `y`, then `aa`, `ab` … for very long lists.
pub fn letter(n: u32) -> String {
    if n == 0 {
        return String::new();
    }
    let i = (n - 1) as usize;
    if i < LETTERS.len() {
        LETTERS[i].to_string()
    } else {
        format!("{}{}", letter((i / LETTERS.len()) as u32), LETTERS[i % LETTERS.len()])
    }
}

/// Counters for levels 1–4.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    counters: [u32; 4],
    style: Level3,
    /// Deepest level numbered so far under the current position (0 = none).
    depth: u8,
}

impl Numbering {
    pub fn new(style: Level3) -> Self {
        Numbering { style, ..Numbering::default() }
    }

    /// The level of the last numbered item (0 before any).
    pub fn depth(&self) -> u8 {
        self.depth
    }

    /// The next number at `level` (1–4; other values are clamped).
    pub fn next(&mut self, level: u8) -> String {
        let level = level.clamp(1, 4);
        let i = usize::from(level - 1);
        self.counters[i] += 1;
        for c in &mut self.counters[i + 1..] {
            *c = 0;
        }
        self.depth = level;
        self.format(level)
    }

    fn format(&self, level: u8) -> String {
        let c = &self.counters;
        match (level, self.style) {
            (1, _) => format!("{}.", to_roman(c[0])),
            (2, _) => format!("{}.", c[1]),
            (3, Level3::Decimal) => decimal(&c[1..3]),
            (4, Level3::Decimal) => decimal(&c[1..4]),
            (3, Level3::Letter) => format!("{})", letter(c[2])),
            (_, Level3::Letter) => format!("{}{})", letter(c[2]), c[3]),
            _ => String::new(),
        }
    }
}

/// `1.2.` from counters, leaving out missing parents (a level 3 with no level
/// 2 above it prints `2.` rather than `0.2.`).
fn decimal(counters: &[u32]) -> String {
    let parts: Vec<String> = counters.iter().skip_while(|c| **c == 0).map(u32::to_string).collect();
    format!("{}.", parts.join("."))
}

/// A number or bullet typed at the start of a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// `I.`, `IV)`
    Roman(u32),
    /// `1.`, `1.2.`, `1.2`, `3)`
    Decimal(Vec<u32>),
    /// `a)`, `đ)`, `a1)`
    Letter(u32, Option<u32>),
    /// `-`, `+`, `•`, `–`
    Bullet,
}

/// Longest typed number we take for one (`1.2.3.4.`); two digits a part, so
/// `1.000 hồ sơ` or `2021.` are text, not numbers.
const MAX_PARTS: usize = 4;

/// The marker typed at the start of `s` and the text after it (spaces after
/// it skipped), when `s` plainly starts with one: the marker ends in `.` or
/// `)` (or is `1.2` with two parts) and is followed by a space or a letter.
pub fn typed_marker(s: &str) -> Option<(Marker, &str)> {
    let s = s.trim_start();
    let first = s.chars().next()?;
    // Bullets: `- a`, `-a`, `+ a`, `• a`, `– a`.
    if matches!(first, '-' | '+' | '•' | '–' | '—' | '·') {
        let rest = &s[first.len_utf8()..];
        let next = rest.chars().next()?;
        return (next.is_whitespace() || next.is_alphabetic()).then(|| (Marker::Bullet, rest.trim_start()));
    }
    let (marker, used, closed) = if first.is_ascii_digit() {
        decimal_at(s)?
    } else if first.is_ascii_uppercase() && "IVXLC".contains(first) {
        let end = s.find(|c: char| !"IVXLC".contains(c)).unwrap_or(s.len());
        let n = from_roman(&s[..end])?;
        let punct = s[end..].chars().next()?;
        if !matches!(punct, '.' | ')') {
            return None;
        }
        (Marker::Roman(n), end + 1, true)
    } else {
        letter_at(s)?
    };
    let rest = &s[used..];
    let next = rest.chars().next()?;
    let plain = next.is_whitespace() || (closed && next.is_alphabetic());
    (plain && !rest.trim().is_empty()).then(|| (marker, rest.trim_start()))
}

/// `1.`, `1.2.`, `1.2`, `3)`: the marker, bytes used, and whether it ends in `.`/`)`.
fn decimal_at(s: &str) -> Option<(Marker, usize, bool)> {
    let bytes = s.as_bytes();
    let mut parts = Vec::new();
    let mut k = 0;
    loop {
        let start = k;
        while k < bytes.len() && bytes[k].is_ascii_digit() {
            k += 1;
        }
        let digits = &s[start..k];
        if digits.is_empty() || digits.len() > 2 || digits.starts_with('0') || parts.len() == MAX_PARTS {
            return None;
        }
        parts.push(digits.parse().ok()?);
        match bytes.get(k) {
            Some(b')') => return Some((Marker::Decimal(parts), k + 1, true)),
            Some(b'.') if bytes.get(k + 1).is_some_and(u8::is_ascii_digit) => k += 1,
            Some(b'.') => return Some((Marker::Decimal(parts), k + 1, true)),
            // `1.2 Mục tiêu`: two parts or more need no closing dot.
            _ if parts.len() >= 2 => return Some((Marker::Decimal(parts), k, false)),
            _ => return None,
        }
    }
}

/// `a)`, `đ)`, `a1)`: the marker, bytes used, closed.
fn letter_at(s: &str) -> Option<(Marker, usize, bool)> {
    let first = s.chars().next()?;
    let pos = LETTERS.iter().position(|l| l.starts_with(first))?;
    let mut k = first.len_utf8();
    let start = k;
    while s.as_bytes().get(k).is_some_and(u8::is_ascii_digit) && k - start < 2 {
        k += 1;
    }
    let sub = (k > start).then(|| s[start..k].parse().ok()).flatten();
    if s.as_bytes().get(k) != Some(&b')') {
        return None;
    }
    Some((Marker::Letter(pos as u32 + 1, sub), k + 1, true))
}

/// Removes a marker typed at the start of a numbered heading, item or task
/// (`generated` is what vanban prints: `I.`, `1.2.`, `a)`, `-`) and returns
/// the marker as typed. A marker that would leave no text is kept.
pub fn strip_typed(r: &mut Rich, _generated: &str) -> Option<String> {
    let para = r.first_mut()?;
    let line: String = para.iter().map(|run| run.t.as_str()).collect();
    let (_, rest) = typed_marker(&line)?;
    // Bytes to cut from the front of the line: leading spaces, the marker,
    // the spaces after it; cut run by run so emphasis stays where it was.
    let mut cut = line.len() - rest.len();
    let typed = line[..cut].trim().to_string();
    for run in para.iter_mut() {
        if cut == 0 {
            break;
        }
        let n = cut.min(run.t.len());
        run.t.drain(..n);
        cut -= n;
    }
    para.retain(|run| !run.t.is_empty());
    if let Some(first) = para.first_mut() {
        first.t = first.t.trim_start().to_string();
    }
    Some(typed)
}

/// Whether a typed marker says the same number as the generated one
/// (`1.1` and `1.1.`, `I)` and `I.` agree; any bullet agrees with a bullet).
pub fn same_number(typed: &str, generated: &str) -> bool {
    // A typed STT (`1`, `2.1`) is a number too.
    let parse = |s: &str| {
        let s = s.trim();
        let closed = s.ends_with(['.', ')']) || !s.starts_with(|c: char| c.is_ascii_digit());
        let s = if closed { s.to_string() } else { format!("{s}.") };
        typed_marker(&format!("{s} x")).map(|(m, _)| m)
    };
    match (parse(typed), parse(generated)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Strips a typed number from a heading, item or task (see [`strip_typed`])
/// and warns at `loc`: the number is removed; said louder when it differs
/// from the one vanban prints.
pub fn strip_and_warn(r: &mut Rich, generated: &str, loc: &Loc, diags: &mut Diagnostics) {
    let Some(typed) = strip_typed(r, generated) else { return };
    let shown = if generated.is_empty() { String::new() } else { format!(" «{generated}»") };
    let d = if generated.is_empty() || same_number(&typed, generated) {
        Diagnostic::warning(
            Code::SoGoSan,
            loc.clone(),
            format!("đã bỏ số «{typed}» gõ sẵn ở đầu ô; vanban tự đánh số{shown}"),
        )
        .hint("xoá số ở đầu ô cho gọn; số thứ tự do cột Cấp (trang NoiDung) hoặc thứ tự hàng quyết định")
    } else {
        Diagnostic::warning(
            Code::SoGoKhac,
            loc.clone(),
            format!("số «{typed}» gõ ở đầu ô khác số vanban đánh{shown}; đã bỏ số gõ, in số{shown}"),
        )
        .hint("xoá số gõ ở đầu ô; nếu thứ tự sai, sửa cột Cấp (trang NoiDung), «Đánh số cấp 3» (trang ThongTin) hoặc thứ tự hàng")
    };
    diags.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::model::Run;

    fn rich(s: &str) -> Rich {
        crate::text::inline(s)
    }

    #[test]
    fn typed_markers() {
        let m = |s: &str| typed_marker(s).map(|(m, rest)| (m, rest.to_string()));
        assert_eq!(m("I. MỤC ĐÍCH"), Some((Marker::Roman(1), "MỤC ĐÍCH".into())));
        assert_eq!(m("IV.NHIỆM VỤ"), Some((Marker::Roman(4), "NHIỆM VỤ".into())));
        assert_eq!(m("1. Mục đích"), Some((Marker::Decimal(vec![1]), "Mục đích".into())));
        assert_eq!(m("1.1. Mục tiêu"), Some((Marker::Decimal(vec![1, 1]), "Mục tiêu".into())));
        assert_eq!(m("2.3 Mục tiêu"), Some((Marker::Decimal(vec![2, 3]), "Mục tiêu".into())));
        assert_eq!(m("3) Việc"), Some((Marker::Decimal(vec![3]), "Việc".into())));
        assert_eq!(m("a) Thực hiện"), Some((Marker::Letter(1, None), "Thực hiện".into())));
        assert_eq!(m("đ) Thực hiện"), Some((Marker::Letter(5, None), "Thực hiện".into())));
        assert_eq!(m("a1) Thực hiện"), Some((Marker::Letter(1, Some(1)), "Thực hiện".into())));
        assert_eq!(m("- Tăng cường"), Some((Marker::Bullet, "Tăng cường".into())));
        assert_eq!(m("+ Tăng cường"), Some((Marker::Bullet, "Tăng cường".into())));
        assert_eq!(m("-Tăng cường"), Some((Marker::Bullet, "Tăng cường".into())));
        // Text that only starts like a number.
        for s in [
            "2021 là năm",
            "2021. Năm",
            "1.000 hồ sơ",
            "5 nhiệm vụ",
            "3,5 điểm",
            "10% hồ sơ",
            "Ít nhất",
            "I",
            "1.",
            "a)",
            "-5%",
            "Văn bản",
            "Chỉ thị",
            "Xây dựng",
            "an toàn",
            "01. Mục",
            "1.1.1.1.1. Quá sâu",
            "",
        ] {
            assert_eq!(m(s), None, "{s}");
        }
    }

    #[test]
    fn strip_keeps_emphasis_and_text() {
        let mut r = rich("**I. MỤC ĐÍCH**, yêu cầu");
        assert_eq!(strip_typed(&mut r, "I.").as_deref(), Some("I."));
        assert_eq!(r[0][0], Run { t: "MỤC ĐÍCH".into(), b: true, i: false });
        assert_eq!(r[0][1].t, ", yêu cầu");
        let mut r = rich("I.");
        assert_eq!(strip_typed(&mut r, "I."), None);
        assert_eq!(r, rich("I."));
        let mut r = rich(
            "1.1 Mục tiêu
2. Dòng sau giữ nguyên",
        );
        assert_eq!(strip_typed(&mut r, "1.1.").as_deref(), Some("1.1"));
        assert_eq!(
            r,
            rich(
                "Mục tiêu
2. Dòng sau giữ nguyên"
            )
        );
        let mut r = rich("**1.** Mục đích");
        assert_eq!(strip_typed(&mut r, "1.").as_deref(), Some("1."));
        assert_eq!(r, rich("Mục đích"));
    }

    #[test]
    fn typed_and_generated_compared() {
        assert!(same_number("I.", "I."));
        assert!(same_number("1.1", "1.1."));
        assert!(same_number("2)", "2."));
        assert!(same_number("a)", "a)"));
        assert!(same_number("-", "+"));
        assert!(same_number("1.", "1"));
        assert!(same_number("2.1.", "2.1"));
        assert!(!same_number("II.", "I."));
        assert!(!same_number("a)", "1.1."));
        assert!(!same_number("1.", "1.1."));
    }

    #[test]
    fn warnings_name_the_cell() {
        let mut d = Diagnostics::default();
        let loc = Loc::cell("NoiDung", 2, 1);
        let mut r = rich("I. MỤC ĐÍCH");
        strip_and_warn(&mut r, "I.", &loc, &mut d);
        let mut r = rich("II. YÊU CẦU");
        strip_and_warn(&mut r, "I.", &loc, &mut d);
        let mut r = rich("Không số");
        strip_and_warn(&mut r, "II.", &loc, &mut d);
        let codes: Vec<&str> = d.items.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(codes, ["so-go-san", "so-go-khac"]);
        assert!(d.items[1].to_string().contains("NoiDung!B3"), "{}", d.items[1]);
        assert!(d.items[1].message.contains("«II.»") && d.items[1].message.contains("«I.»"));
    }

    #[test]
    fn four_levels_decimal() {
        let mut n = Numbering::new(Level3::Decimal);
        assert_eq!(n.next(1), "I.");
        assert_eq!(n.next(2), "1.");
        assert_eq!(n.next(3), "1.1.");
        assert_eq!(n.next(3), "1.2.");
        assert_eq!(n.next(4), "1.2.1.");
        assert_eq!(n.next(2), "2.");
        assert_eq!(n.next(3), "2.1.");
        assert_eq!(n.next(1), "II.");
        assert_eq!(n.next(2), "1.");
        assert_eq!(n.next(1), "III.");
        assert_eq!(n.next(1), "IV.");
        assert_eq!(n.depth(), 1);
    }

    #[test]
    fn letters_for_level_three() {
        let mut n = Numbering::new(Level3::Letter);
        n.next(1);
        n.next(2);
        assert_eq!(n.next(3), "a)");
        assert_eq!(n.next(4), "a1)");
        assert_eq!(n.next(4), "a2)");
        assert_eq!(n.next(3), "b)");
        for _ in 0..2 {
            n.next(3);
        }
        assert_eq!(n.next(3), "đ)");
        assert_eq!(n.next(3), "e)");
    }

    #[test]
    fn missing_parent_is_left_out() {
        let mut n = Numbering::new(Level3::Decimal);
        n.next(1);
        assert_eq!(n.next(3), "1.");
        assert_eq!(n.next(4), "1.1.");
    }

    #[test]
    fn alphabet() {
        assert_eq!(letter(1), "a");
        assert_eq!(letter(5), "đ");
        assert_eq!(letter(6), "e");
        assert_eq!(letter(7), "g");
        assert_eq!(letter(23), "y");
        assert_eq!(letter(24), "aa");
    }
}
