//! Legacy Vietnamese encodings, as they reach Excel from old documents.
//!
//! Text typed with a TCVN3 font (ABC keyboard, `.VnTime`) or a VNI font
//! (`VNI-Times`) was stored as bytes that Windows shows through code page 1252,
//! so a cell reads `KÕ ho¹ch` (TCVN3) or `Keá hoaïch` (VNI) for `Kế hoạch`.
//! The tables below map those cp1252 characters back to Vietnamese letters.

use crate::vi::fold::nfc;
use unicode_normalization::UnicodeNormalization;

/// A legacy Vietnamese encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN 5712:1993 VN3 (ABC, `.VnTime`): one byte per letter.
    Tcvn3,
    /// VNI-Windows (`VNI-Times`): a base letter then one mark byte.
    Vni,
}

/// TCVN3 (VN3): the character Windows-1252 shows for a byte, and the letter
/// the byte stands for. Capitals with tone marks have no code in VN3 (the
/// `.VnTimeH` fonts draw the lower-case codes as capitals).
const TCVN3: &[(char, char)] = &[
    ('\u{A1}', 'Ă'),
    ('\u{A2}', 'Â'),
    ('\u{A3}', 'Ê'),
    ('\u{A4}', 'Ô'),
    ('\u{A5}', 'Ơ'),
    ('\u{A6}', 'Ư'),
    ('\u{A7}', 'Đ'),
    ('\u{A8}', 'ă'),
    ('\u{A9}', 'â'),
    ('\u{AA}', 'ê'),
    ('\u{AB}', 'ô'),
    ('\u{AC}', 'ơ'),
    ('\u{AD}', 'ư'),
    ('\u{AE}', 'đ'),
    ('\u{B5}', 'à'),
    ('\u{B6}', 'ả'),
    ('\u{B7}', 'ã'),
    ('\u{B8}', 'á'),
    ('\u{B9}', 'ạ'),
    ('\u{BB}', 'ằ'),
    ('\u{BC}', 'ẳ'),
    ('\u{BD}', 'ẵ'),
    ('\u{BE}', 'ắ'),
    ('\u{C6}', 'ặ'),
    ('\u{C7}', 'ầ'),
    ('\u{C8}', 'ẩ'),
    ('\u{C9}', 'ẫ'),
    ('\u{CA}', 'ấ'),
    ('\u{CB}', 'ậ'),
    ('\u{CC}', 'è'),
    ('\u{CE}', 'ẻ'),
    ('\u{CF}', 'ẽ'),
    ('\u{D0}', 'é'),
    ('\u{D1}', 'ẹ'),
    ('\u{D2}', 'ề'),
    ('\u{D3}', 'ể'),
    ('\u{D4}', 'ễ'),
    ('\u{D5}', 'ế'),
    ('\u{D6}', 'ệ'),
    ('\u{D7}', 'ì'),
    ('\u{D8}', 'ỉ'),
    ('\u{DC}', 'ĩ'),
    ('\u{DD}', 'í'),
    ('\u{DE}', 'ị'),
    ('\u{DF}', 'ò'),
    ('\u{E1}', 'ỏ'),
    ('\u{E2}', 'õ'),
    ('\u{E3}', 'ó'),
    ('\u{E4}', 'ọ'),
    ('\u{E5}', 'ồ'),
    ('\u{E6}', 'ổ'),
    ('\u{E7}', 'ỗ'),
    ('\u{E8}', 'ố'),
    ('\u{E9}', 'ộ'),
    ('\u{EA}', 'ờ'),
    ('\u{EB}', 'ở'),
    ('\u{EC}', 'ỡ'),
    ('\u{ED}', 'ớ'),
    ('\u{EE}', 'ợ'),
    ('\u{EF}', 'ù'),
    ('\u{F1}', 'ủ'),
    ('\u{F2}', 'ũ'),
    ('\u{F3}', 'ú'),
    ('\u{F4}', 'ụ'),
    ('\u{F5}', 'ừ'),
    ('\u{F6}', 'ử'),
    ('\u{F7}', 'ữ'),
    ('\u{F8}', 'ứ'),
    ('\u{F9}', 'ự'),
    ('\u{FA}', 'ỳ'),
    ('\u{FB}', 'ỷ'),
    ('\u{FC}', 'ỹ'),
    ('\u{FD}', 'ý'),
    ('\u{FE}', 'ỵ'),
];

/// VNI-Windows letters that stand alone (not marks on the previous letter).
const VNI_LETTERS: &[(char, char)] = &[
    ('ô', 'ơ'),
    ('Ô', 'Ơ'),
    ('ö', 'ư'),
    ('Ö', 'Ư'),
    ('ñ', 'đ'),
    ('Ñ', 'Đ'),
    ('æ', 'ỉ'),
    ('Æ', 'Ỉ'),
    ('ó', 'ĩ'),
    ('Ó', 'Ĩ'),
    ('ò', 'ị'),
    ('Ò', 'Ị'),
    ('î', 'ỵ'),
    ('Î', 'Ỵ'),
    // `í` and `ì` are the same letters in VNI and in Unicode.
];

const ACUTE: char = '\u{301}';
const GRAVE: char = '\u{300}';
const HOOK: char = '\u{309}';
const TILDE: char = '\u{303}';
const DOT: char = '\u{323}';
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';

/// VNI-Windows mark bytes after a vowel: the cp1252 character (lower- and
/// upper-case forms), the vowel mark it adds (circumflex or breve) and the tone.
const VNI_MARKS: &[(char, char, Option<char>, Option<char>)] = &[
    ('ù', 'Ù', None, Some(ACUTE)),
    ('ø', 'Ø', None, Some(GRAVE)),
    ('û', 'Û', None, Some(HOOK)),
    ('õ', 'Õ', None, Some(TILDE)),
    ('ï', 'Ï', None, Some(DOT)),
    ('â', 'Â', Some(CIRCUMFLEX), None),
    ('á', 'Á', Some(CIRCUMFLEX), Some(ACUTE)),
    ('à', 'À', Some(CIRCUMFLEX), Some(GRAVE)),
    ('å', 'Å', Some(CIRCUMFLEX), Some(HOOK)),
    ('ã', 'Ã', Some(CIRCUMFLEX), Some(TILDE)),
    ('ä', 'Ä', Some(CIRCUMFLEX), Some(DOT)),
    ('ê', 'Ê', Some(BREVE), None),
    ('é', 'É', Some(BREVE), Some(ACUTE)),
    ('è', 'È', Some(BREVE), Some(GRAVE)),
    ('ú', 'Ú', Some(BREVE), Some(HOOK)),
    ('ü', 'Ü', Some(BREVE), Some(TILDE)),
    ('ë', 'Ë', Some(BREVE), Some(DOT)),
];

/// Decode text in a legacy encoding (as shown through cp1252) to Unicode NFC.
pub fn decode(s: &str, enc: Legacy) -> String {
    match enc {
        Legacy::Tcvn3 => decode_tcvn3(s),
        Legacy::Vni => decode_vni(s),
    }
}

/// The encoding and decoded text, when `s` is very likely legacy mojibake:
/// decoding turns invalid words into Vietnamese syllables, breaks none, and
/// fixes clearly more words than it leaves invalid.
pub fn detect(s: &str) -> Option<(Legacy, String)> {
    if !may_be_legacy(s) {
        return None;
    }
    let mut best: Option<(Legacy, String, usize)> = None;
    for enc in [Legacy::Tcvn3, Legacy::Vni] {
        let decoded = decode(s, enc);
        if let Some(fixed) = improvement(s, &decoded) {
            if best.as_ref().is_none_or(|(_, _, f)| fixed > *f) {
                best = Some((enc, decoded, fixed));
            }
        }
    }
    best.map(|(enc, text, _)| (enc, text))
}

/// Whether a text can be legacy mojibake at all: it has a character that
/// Vietnamese written in Unicode never needs — a Latin-1 symbol (`¹ ¸ µ`) or a
/// Latin-1 letter outside the Vietnamese alphabet (`ï ø û ä`), or one of
/// Windows-1252's extras (`œ ‚ …`). Plain Vietnamese (and ASCII) skips the
/// word-by-word check, the costly part, which runs on every cell.
fn may_be_legacy(s: &str) -> bool {
    const VIETNAMESE_LATIN1: &str = "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ\u{a0}";
    // Not the quotes, dashes, ellipsis and bullet: Word puts them in real text.
    const CP1252_EXTRAS: &str = "€‚ƒ„†‡ˆ‰Š‹ŒŽ˜™š›œžŸ";
    // Mojibake is made of what cp1252 can show; a letter beyond it (`ế ơ ư
    // đ ạ`) means the text is Unicode already, whatever else it holds (`«…»`).
    if s.chars().any(|c| u32::from(c) > 0xFF && c.is_alphabetic() && !CP1252_EXTRAS.contains(c)) {
        return false;
    }
    s.chars().any(|c| {
        let u = u32::from(c);
        ((0x80..=0xFF).contains(&u) && !VIETNAMESE_LATIN1.contains(c)) || CP1252_EXTRAS.contains(c)
    })
}

/// Words fixed by a decoding, when the decoding is clearly an improvement.
fn improvement(original: &str, decoded: &str) -> Option<usize> {
    let before = words(original);
    let after = words(decoded);
    if before.len() != after.len() {
        return None;
    }
    let (mut fixed, mut broken, mut still_bad) = (0usize, 0usize, 0usize);
    for (b, a) in before.iter().zip(&after) {
        if b.is_ascii() && a == b {
            continue;
        }
        match (is_syllable(b), is_syllable(a)) {
            (false, true) => fixed += 1,
            (true, false) => broken += 1,
            (false, false) => still_bad += 1,
            (true, true) => {}
        }
    }
    (fixed > 0 && broken == 0 && fixed > 2 * still_bad).then_some(fixed)
}

/// Words of a text: runs between spaces and ASCII punctuation (mojibake uses
/// Latin-1 symbols such as `¸ ¹ «` as letters, so those stay inside words).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// TCVN3 → Unicode, byte for letter, capitals restored where the word shows them.
fn decode_tcvn3(s: &str) -> String {
    let mapped: String = s.chars().map(|c| TCVN3.iter().find(|(k, _)| *k == c).map_or(c, |(_, v)| *v)).collect();
    restore_capitals(&mapped)
}

/// VN3 has no capitals with tone marks: a word whose other letters are all
/// capitals (`HO¹CH` → `HOạCH`) is upper-cased entirely, and so is a word
/// of one capital letter between such words (`KÕ HO¹CH`).
fn restore_capitals(s: &str) -> String {
    let parts: Vec<&str> = s.split(' ').collect();
    let caps: Vec<Option<bool>> = parts
        .iter()
        .map(|w| {
            let ascii: Vec<char> = w.chars().filter(char::is_ascii_alphabetic).collect();
            let has_lower_vn = w.chars().any(|c| !c.is_ascii() && c.is_lowercase());
            if !has_lower_vn || ascii.is_empty() {
                None
            } else if ascii.len() == 1 {
                // Undecided: one capital could be the start of a title-case word.
                ascii[0].is_uppercase().then_some(false)
            } else {
                ascii.iter().all(char::is_ascii_uppercase).then_some(true)
            }
        })
        .collect();
    let all_caps_near = |k: usize| -> bool {
        let upper_word = |w: &str| {
            let letters: Vec<char> = w.chars().filter(char::is_ascii_alphabetic).collect();
            letters.len() > 1 && letters.iter().all(char::is_ascii_uppercase)
        };
        (k > 0 && upper_word(parts[k - 1])) || parts.get(k + 1).is_some_and(|w| upper_word(w))
    };
    parts
        .iter()
        .enumerate()
        .map(|(k, w)| match caps[k] {
            Some(true) => w.to_uppercase(),
            Some(false) if all_caps_near(k) => w.to_uppercase(),
            _ => (*w).to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// VNI → Unicode: a base letter and the mark after it become one NFC letter.
fn decode_vni(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        let base = VNI_LETTERS.iter().find(|(v, _)| *v == c).map_or(c, |(_, u)| *u);
        let mark = chars
            .get(k + 1)
            .and_then(|m| VNI_MARKS.iter().find(|(lo, up, _, _)| lo == m || up == m))
            .filter(|(_, _, vowel_mark, _)| takes_mark(base, *vowel_mark));
        out.push(base);
        if let Some((_, _, vowel_mark, tone)) = mark {
            out.extend(vowel_mark.iter().chain(tone.iter()));
            k += 2;
        } else {
            k += 1;
        }
    }
    out.nfc().collect()
}

/// Whether a VNI mark can follow this letter: tones follow any vowel, the
/// circumflex follows `a e o`, the breve only `a`.
fn takes_mark(base: char, vowel_mark: Option<char>) -> bool {
    let lower = base.to_lowercase().next().unwrap_or(base);
    match vowel_mark {
        None => "aeiouyăâêôơư".contains(lower),
        Some(CIRCUMFLEX) => "aeo".contains(lower),
        Some(_) => lower == 'a',
    }
}

/// Initial consonants of a Vietnamese syllable, longest first.
const INITIALS: &[&str] = &[
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k", "l", "m",
    "n", "p", "r", "s", "t", "v", "x",
];

/// Vowel clusters (without tone marks) that may take a final consonant.
const NUCLEI_CLOSED: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "iê", "yê", "oa", "oă", "oe", "oo", "uâ", "uê", "uô",
    "uy", "ươ", "uyê",
];

/// Vowel clusters ending in a glide (or `ia`, `ua`, `ưa`): no final consonant.
const NUCLEI_OPEN: &[&str] = &[
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa", "ưi", "ưu", "uơ",
    "iêu", "yêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu",
];

/// Final consonants.
const FINALS: &[&str] = &["c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Whether a word is a well-formed Vietnamese syllable (any case, at most one tone).
fn is_syllable(word: &str) -> bool {
    let mut tones = 0;
    let bare: String = word
        .nfd()
        .filter(|c| {
            let tone = matches!(*c, ACUTE | GRAVE | HOOK | TILDE | DOT);
            tones += usize::from(tone);
            !tone
        })
        .collect();
    if tones > 1 {
        return false;
    }
    let bare: String = nfc(&bare).to_lowercase();
    if bare.is_empty() {
        return false;
    }
    INITIALS.iter().chain(std::iter::once(&"")).any(|init| {
        let Some(rest) = bare.strip_prefix(init) else {
            return false;
        };
        // `gi` before a consonant or alone: `gì`, `gìn`.
        let rest = if *init == "gi" && !rest.starts_with(is_vowel) { &bare[1..] } else { rest };
        NUCLEI_CLOSED.contains(&rest)
            || NUCLEI_OPEN.contains(&rest)
            || FINALS.iter().any(|fin| rest.strip_suffix(fin).is_some_and(|nucleus| NUCLEI_CLOSED.contains(&nucleus)))
    })
}

/// Whether a (tone-less, lower-case) letter is a Vietnamese vowel.
fn is_vowel(c: char) -> bool {
    "aăâeêioôơuưy".contains(c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_possible_mojibake_is_examined() {
        use super::may_be_legacy;
        assert!(!may_be_legacy("Kế hoạch cải cách hành chính"));
        assert!(!may_be_legacy("Café, Hà Nội\u{a0}2024 – “trích” …"));
        assert!(may_be_legacy("KÕ ho¹ch"));
        assert!(may_be_legacy("Keá hoaïch"));
        assert!(may_be_legacy("Sôû Noâng nghieäp"));
    }

    use super::*;

    #[test]
    fn unicode_with_guillemets_is_never_legacy() {
        for s in [
            "Triển khai «Chỉ số cải cách hành chính» năm 2021",
            "«Kế hoạch» số 54/KH-SNNPTNT",
            "Phong trào «Ngày thứ Bảy tình nguyện»",
            "«Tôi là»",
            "Đề án «Đô thị thông minh» ½ kinh phí",
        ] {
            assert_eq!(detect(s), None, "{s}");
        }
        assert!(!may_be_legacy("Triển khai «Chỉ số»"));
    }

    #[test]
    fn tcvn3_words() {
        assert_eq!(decode("KÕ ho¹ch", Legacy::Tcvn3), "Kế hoạch");
        assert_eq!(decode("Së N«ng nghiÖp", Legacy::Tcvn3), "Sở Nông nghiệp");
        assert_eq!(decode("§iÒu", Legacy::Tcvn3), "Điều");
        assert_eq!(decode("ng\u{AD}êi", Legacy::Tcvn3), "người");
    }

    #[test]
    fn tcvn3_sentence() {
        let s = "C¨n cø NghÞ ®Þnh sè 30/2020/N§-CP cña ChÝnh phñ vÒ c«ng t¸c v¨n th\u{AD}";
        assert_eq!(decode(s, Legacy::Tcvn3), "Căn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác văn thư");
        let (enc, text) = detect(s).unwrap();
        assert_eq!(enc, Legacy::Tcvn3);
        assert!(text.starts_with("Căn cứ Nghị định"));
    }

    #[test]
    fn tcvn3_capitals() {
        assert_eq!(decode("KÕ HO¹CH", Legacy::Tcvn3), "KẾ HOẠCH");
        assert_eq!(decode("Së N¤NG NGHIÖP", Legacy::Tcvn3), "SỞ NÔNG NGHIỆP");
        assert_eq!(decode("Së N«ng nghiÖp", Legacy::Tcvn3), "Sở Nông nghiệp");
    }

    #[test]
    fn vni_words() {
        assert_eq!(decode("Keá hoaïch", Legacy::Vni), "Kế hoạch");
        assert_eq!(decode("Sôû Noâng nghieäp", Legacy::Vni), "Sở Nông nghiệp");
        assert_eq!(decode("ñöôïc ngöôøi", Legacy::Vni), "được người");
        assert_eq!(decode("KEÁ HOAÏCH", Legacy::Vni), "KẾ HOẠCH");
        assert_eq!(decode("Ñòa chæ", Legacy::Vni), "Địa chỉ");
        assert_eq!(decode("naêm chaéc", Legacy::Vni), "năm chắc");
    }

    #[test]
    fn vni_sentence() {
        let s = "Caên cöù Nghò ñònh soá 30/2020/NÑ-CP cuûa Chính phuû veà coâng taùc vaên thö";
        assert_eq!(decode(s, Legacy::Vni), "Căn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác văn thư");
        let (enc, text) = detect(s).unwrap();
        assert_eq!(enc, Legacy::Vni);
        assert!(text.ends_with("văn thư"));
    }

    #[test]
    fn detects_mojibake() {
        assert_eq!(detect("KÕ ho¹ch"), Some((Legacy::Tcvn3, "Kế hoạch".to_string())));
        assert_eq!(detect("Së N«ng nghiÖp"), Some((Legacy::Tcvn3, "Sở Nông nghiệp".to_string())));
        assert_eq!(detect("Keá hoaïch"), Some((Legacy::Vni, "Kế hoạch".to_string())));
        assert_eq!(detect("Sôû Noâng nghieäp"), Some((Legacy::Vni, "Sở Nông nghiệp".to_string())));
    }

    #[test]
    fn leaves_real_text_alone() {
        for s in [
            "Kế hoạch",
            "Nông nghiệp",
            "Café au lait",
            "Hello",
            "",
            "   ",
            "🎉",
            "Sở Nông nghiệp và Phát triển nông thôn",
            "Hồ Chí Minh",
            "Chính phủ",
            "Où est la bibliothèque ?",
            "Crème brûlée à la carte",
            "Ñandú",
            "Müller straße",
            "NaN 1e308",
            "Trước ngày 10/9/2021",
        ] {
            assert_eq!(detect(s), None, "{s}");
        }
    }

    #[test]
    fn syllables() {
        for w in ["nghiệp", "hoạch", "người", "được", "khuyến", "quyết", "gì", "giữa", "của", "yêu", "Kế", "ĐƯỢC"]
        {
            assert!(is_syllable(w), "{w}");
        }
        for w in ["Café", "hoaùch", "Sụỷ", "ho¹ch", "", "xyz", "lait"] {
            assert!(!is_syllable(w), "{w}");
        }
    }
}
