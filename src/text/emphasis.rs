//! Inline emphasis in a cell's text: `**đậm**` and `*nghiêng*` turned into
//! runs, one paragraph a line.

use crate::document::model::{Para, Rich, Run};

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
}
