//! Vietnamese upper case, and agency names in capitals as they read inside a
//! sentence (`SỞ NÔNG NGHIỆP …` → `Sở Nông nghiệp …`).

use crate::vi::fold::nfc;
use crate::vi::roman::from_roman;

/// Vietnamese-aware upper case on NFC text: `đ` → `Đ`, `ở` → `Ở` (precomposed).
pub fn hoa(s: &str) -> String {
    let upper: String = nfc(s).chars().flat_map(char::to_uppercase).collect();
    nfc(&upper)
}

/// Organisation types: the word after one starts with a capital
/// (`Sở Nông nghiệp`, `Chi cục Chăn nuôi`), longest first where they overlap.
const ORG_TYPES: &[&str] = &[
    "ủy ban nhân dân",
    "hội đồng nhân dân",
    "ủy ban",
    "ban quản lý",
    "ban chỉ đạo",
    "bộ chỉ huy",
    "tổng cục",
    "chi cục",
    "văn phòng",
    "trung tâm",
    "thanh tra",
    "công ty",
    "chi nhánh",
    "sở",
    "ban",
    "phòng",
    "cục",
    "bộ",
    "viện",
    "trường",
    "trạm",
    "hạt",
    "đội",
];

/// Administrative levels: the words after one are a place name, each capitalised.
const ADMIN_LEVELS: &[&str] = &["thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường"];

/// Upper-case abbreviations that contain a vowel and so are not caught by
/// the "no vowel" rule.
const ACRONYMS: &[&str] = &[
    "UBND",
    "HĐND",
    "UBMTTQ",
    "UBMTTQVN",
    "MTTQ",
    "PTNT",
    "NN",
    "TTHC",
    "CCHC",
    "KH",
    "CA",
    "BQL",
    "BHXH",
    "KBNN",
    "CNTT",
    "THCS",
    "THPT",
    "KT-XH",
    "VN",
    "TW",
    "HTX",
    "ĐU",
    "UB",
    "KCN",
    "KKT",
    "TN&MT",
    "GD&ĐT",
    "LĐ-TB&XH",
    "VH-TT&DL",
];

/// An agency name written in capitals, as it reads inside a sentence.
///
/// Heuristic: lines are joined with a space; text that is not all capitals is
/// returned as is. Otherwise every word is lower-cased except tokens that look
/// like abbreviations (no Vietnamese vowel, a digit or `&`, a known acronym, a
/// Roman numeral at the end); then the first word, the word after an
/// organisation type (`Sở`, `Chi cục`, `Ủy ban nhân dân` …; not when it is an
/// administrative level), the word after `và` or a dash, and every word after
/// an administrative level (`tỉnh`, `huyện`, `thành phố` …, the place name)
/// are capitalised.
pub fn agency_in_sentence(s: &str) -> String {
    let joined = nfc(&s.split_whitespace().collect::<Vec<_>>().join(" "));
    if joined.chars().any(char::is_lowercase) || !joined.chars().any(char::is_uppercase) {
        return joined;
    }
    let tokens: Vec<&str> = joined.split(' ').collect();
    let n = tokens.len();
    let lower: Vec<String> = tokens.iter().map(|t| t.to_lowercase()).collect();
    let keys: Vec<String> = lower.iter().map(|t| t.replace("uỷ", "ủy")).collect();
    let keep: Vec<bool> = tokens.iter().enumerate().map(|(k, t)| is_abbreviation(t, k + 1 == n)).collect();
    let mut capital = vec![false; n];
    if n > 0 {
        capital[0] = true;
    }
    let mut k = 0;
    let mut place = false;
    while k < n {
        if place {
            capital[k] = true;
            k += 1;
            continue;
        }
        // "xã hội" is society, not a commune.
        let is_xa_hoi = keys[k] == "xã" && keys.get(k + 1).is_some_and(|w| w == "hội");
        if k > 0 && !is_xa_hoi {
            if let Some(len) = phrase_at(&keys, k, ADMIN_LEVELS) {
                k += len;
                place = true;
                continue;
            }
        }
        if let Some(len) = phrase_at(&keys, k, ORG_TYPES) {
            let next = k + len;
            if next < n && phrase_at(&keys, next, ADMIN_LEVELS).is_none() {
                capital[next] = true;
            }
            // The type's own words after the first stay lower case.
            k = next;
            continue;
        }
        if (keys[k] == "và" || keys[k] == "-" || keys[k] == "–") && k + 1 < n {
            capital[k + 1] = true;
        }
        k += 1;
    }
    let words: Vec<String> = (0..n)
        .map(|k| {
            if keep[k] {
                tokens[k].to_string()
            } else if capital[k] {
                capitalise(&lower[k])
            } else {
                lower[k].clone()
            }
        })
        .collect();
    words.join(" ")
}

/// Length in words of the phrase from `list` that starts at word `k`, if any.
fn phrase_at(keys: &[String], k: usize, list: &[&str]) -> Option<usize> {
    list.iter().find_map(|p| {
        let words: Vec<&str> = p.split(' ').collect();
        let end = k + words.len();
        (end <= keys.len() && keys[k..end].iter().zip(&words).all(|(a, b)| a == b)).then_some(words.len())
    })
}

/// Whether an upper-case token is an abbreviation to keep as written.
fn is_abbreviation(token: &str, last: bool) -> bool {
    if token.chars().any(|c| c.is_ascii_digit() || c == '&') {
        return true;
    }
    if ACRONYMS.contains(&token) {
        return true;
    }
    if last && token.len() > 1 && from_roman(token).is_some() {
        return true;
    }
    let folded = crate::vi::fold::strip_accents(token);
    let has_letter = folded.chars().any(char::is_alphabetic);
    has_letter && !folded.chars().any(|c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
}

/// First letter upper case, the rest as is.
fn capitalise(word: &str) -> String {
    let mut out = String::new();
    let mut done = false;
    for c in word.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    nfc(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn upper_case() {
        assert_eq!(hoa("sở nông nghiệp"), "SỞ NÔNG NGHIỆP");
        assert_eq!(hoa("đường ươm"), "ĐƯỜNG ƯƠM");
        assert_eq!(hoa("kế hoạch"), "KẾ HOẠCH");
        assert_eq!(hoa("Ủy ban"), "ỦY BAN");
        assert_eq!(hoa(""), "");
        assert_eq!(hoa("🎉 a1"), "🎉 A1");
        let nfd: String = "chăn nuôi".nfd().collect();
        assert_eq!(hoa(&nfd), "CHĂN NUÔI");
        assert_eq!(hoa("chăn nuôi").chars().count(), 9);
    }

    #[test]
    fn agencies() {
        let cases = [
            ("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Sở Nông nghiệp và Phát triển nông thôn"),
            ("CHI CỤC CHĂN NUÔI VÀ THÚ Y", "Chi cục Chăn nuôi và Thú y"),
            ("ỦY BAN NHÂN DÂN TỈNH AN GIANG", "Ủy ban nhân dân tỉnh An Giang"),
            ("UỶ BAN NHÂN DÂN TỈNH AN GIANG", "Uỷ ban nhân dân tỉnh An Giang"),
            ("UBND TỈNH AN GIANG", "UBND tỉnh An Giang"),
            ("SỞ NN&PTNT", "Sở NN&PTNT"),
            ("HĐND HUYỆN CHÂU THÀNH", "HĐND huyện Châu Thành"),
            ("VĂN PHÒNG SỞ", "Văn phòng Sở"),
            ("SỞ Y TẾ", "Sở Y tế"),
            ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
            ("ỦY BAN NHÂN DÂN THÀNH PHỐ LONG XUYÊN", "Ủy ban nhân dân thành phố Long Xuyên"),
            ("PHÒNG KẾ HOẠCH - TÀI CHÍNH", "Phòng Kế hoạch - Tài chính"),
            ("TRUNG TÂM KHUYẾN NÔNG", "Trung tâm Khuyến nông"),
            ("CHI CỤC THUẾ KHU VỰC II", "Chi cục Thuế khu vực II"),
            ("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH", "Văn phòng Ủy ban nhân dân tỉnh"),
            ("ỦY BAN NHÂN DÂN XÃ MỸ HÒA HƯNG", "Ủy ban nhân dân xã Mỹ Hòa Hưng"),
            ("BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Bộ Nông nghiệp và Phát triển nông thôn"),
        ];
        for (input, want) in cases {
            assert_eq!(agency_in_sentence(input), want, "{input}");
        }
    }

    #[test]
    fn lines_are_joined() {
        assert_eq!(agency_in_sentence("ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG"), "Ủy ban nhân dân tỉnh Tuyên Quang");
        assert_eq!(agency_in_sentence("SỞ NÔNG NGHIỆP\r\n  VÀ PTNT "), "Sở Nông nghiệp và PTNT");
    }

    #[test]
    fn mixed_case_unchanged() {
        assert_eq!(agency_in_sentence("Sở Thông tin và Truyền thông"), "Sở Thông tin và Truyền thông");
        assert_eq!(agency_in_sentence("Chi cục\nThủy lợi"), "Chi cục Thủy lợi");
    }

    #[test]
    fn odd_input() {
        assert_eq!(agency_in_sentence(""), "");
        assert_eq!(agency_in_sentence("   \n "), "");
        assert_eq!(agency_in_sentence("🎉"), "🎉");
        assert_eq!(agency_in_sentence("SỞ 🎉"), "Sở 🎉");
        assert_eq!(agency_in_sentence("123"), "123");
        assert_eq!(agency_in_sentence("SỞ"), "Sở");
        assert_eq!(agency_in_sentence("TỈNH"), "Tỉnh");
        assert_eq!(agency_in_sentence("- -"), "- -");
    }
}
