//! Advance widths of Times New Roman (the metrics Liberation Serif shares),
//! to size what Word cannot size by itself: the lines under the agency and
//! the trích yếu (as long as a share of the text), the header's columns, the
//! narrow table columns. Estimates: a Word user would measure by eye too.

use unicode_normalization::UnicodeNormalization;

/// Widths in 1/1000 em of U+0020..=U+007E, regular face.
const REGULAR: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
    722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500,
    444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480,
    200, 480, 541,
];

/// The same, bold face.
const BOLD: [u16; 95] = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944,
    722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556,
    444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394,
    220, 394, 520,
];

/// `đ`, `Đ` (regular, bold).
const D_STROKE: [(u16, u16); 2] = [(500, 556), (722, 722)];

/// Width of `s` in points at `size` points. Letters with diacritics take
/// the width of their base letter; anything else unknown counts half an em.
pub fn width(s: &str, size: f64, bold: bool) -> f64 {
    let table = if bold { &BOLD } else { &REGULAR };
    let mut em = 0u32;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        em += u32::from(match c {
            ' '..='~' => table[c as usize - 0x20],
            'đ' => {
                if bold {
                    D_STROKE[0].1
                } else {
                    D_STROKE[0].0
                }
            }
            'Đ' => {
                if bold {
                    D_STROKE[1].1
                } else {
                    D_STROKE[1].0
                }
            }
            _ => 500,
        });
    }
    f64::from(em) * size / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_of_known_words() {
        // 13 pt bold capitals: the quốc hiệu is about 3.9 inches wide.
        let w = width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13.0, true);
        assert!((270.0..300.0).contains(&w), "{w}");
        assert_eq!(width("ab", 10.0, false), 9.44);
        assert_eq!(width("Ộ", 10.0, true), width("O", 10.0, true));
    }
}
