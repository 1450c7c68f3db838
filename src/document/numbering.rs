//! Generated heading numbers (Nghị định 30, documents without articles):
//! `I.` / `1.` / `1.1.` or `a)` / `1.1.1.` or `a1)`. Numbers are never typed
//! in the data; each level restarts under its parent.

use crate::vi::roman::to_roman;

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

#[cfg(test)]
mod tests {
    use super::*;

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
