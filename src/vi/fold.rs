//! Accent, case and separator folding, so that `Nhiệm vụ`, `NhiemVu`,
//! `nhiem_vu` and `NHIỆM VỤ` are one name.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Unicode NFC of a string (text pasted from some tools is decomposed).
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Lower case, no diacritics, `đ` → `d`; spaces and punctuation kept.
pub fn strip_accents(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// The key two names are compared by: accents, case, spaces, `_ - . /` ignored.
pub fn match_key(s: &str) -> String {
    strip_accents(s)
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '_' | '-' | '–' | '—' | '.' | '/')))
        .collect()
}

/// Fold to a file-name-safe slug `[a-z0-9-]`: `KH-SNNPTNT` → `kh-snnptnt`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in strip_accents(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Edit distance between two strings, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `name` by match key, when it is close enough to be
/// a likely typo (or one contains the other).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let key = match_key(name);
    if key.is_empty() {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for cand in candidates {
        let ck = match_key(cand);
        if ck.is_empty() {
            continue;
        }
        let d = if ck.contains(&key) || key.contains(&ck) {
            ck.chars().count().abs_diff(key.chars().count()).min(2)
        } else {
            distance(&key, &ck)
        };
        let limit = (ck.chars().count().max(key.chars().count()) / 3).max(2);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_many_spellings() {
        let k = match_key("Nhiệm vụ");
        assert_eq!(k, "nhiemvu");
        for s in ["NhiemVu", "nhiem_vu", "NHIỆM VỤ", "Nhiem-Vu", " nhiệm  vụ "] {
            assert_eq!(match_key(s), k, "{s}");
        }
        assert_eq!(match_key("Đơn vị"), "donvi");
        assert_eq!(match_key("ĐƠN VỊ"), "donvi");
    }

    #[test]
    fn nfd_and_nfc_fold_alike() {
        let nfd: String = "Kế hoạch".nfd().collect();
        assert_ne!(nfd, "Kế hoạch");
        assert_eq!(nfc(&nfd), "Kế hoạch");
        assert_eq!(match_key(&nfd), match_key("Kế hoạch"));
    }

    #[test]
    fn closest_names() {
        assert_eq!(distance("kitten", "sitting"), 3);
        let known = ["Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"];
        assert_eq!(closest("Noi dug", known), Some("Nội dung"));
        assert_eq!(closest("Noi dung nhiem vu", known), Some("Nội dung"));
        assert_eq!(closest("chu tri", known), Some("Chủ trì"));
        assert_eq!(closest("xyz", known), None);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("KH-SNNPTNT"), "kh-snnptnt");
        assert_eq!(slug("../../etc/x"), "etc-x");
        assert_eq!(slug("Chi cục Thủy sản"), "chi-cuc-thuy-san");
        assert_eq!(slug("///"), "");
    }
}
