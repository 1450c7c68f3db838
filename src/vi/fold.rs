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

/// Longest file name stem made from workbook data, in bytes: with `.pdf`
/// and the `.NAME.pdf.PID-SEQ.tmp` written first, well inside the 255 bytes
/// of every file system (and Windows' 260-character paths for short folders).
pub const MAX_FILE_STEM: usize = 80;

/// Names Windows reserves for devices, whatever the extension.
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A file name stem from workbook data: the [`slug`], at most
/// [`MAX_FILE_STEM`] bytes (a longer one keeps its start and gets a hash of
/// the whole, so two long names stay distinct), and never a name Windows
/// reserves (`con` → `con-vb`). Empty when the slug is.
pub fn file_stem(s: &str) -> String {
    let full = slug(s);
    let mut out = full.clone();
    if out.len() > MAX_FILE_STEM {
        // FNV-1a: stable across runs and platforms (output is deterministic).
        let hash =
            full.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        out.truncate(MAX_FILE_STEM - 9);
        let keep = out.trim_end_matches('-').len();
        out.truncate(keep);
        out.push_str(&format!("-{:08x}", hash as u32));
    }
    if WINDOWS_RESERVED.contains(&out.as_str()) {
        out.push_str("-vb");
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

/// The key names are compared by for closeness: the [`match_key`] with only
/// letters and digits (`Kết quả/Sản phẩm` → `ketquasanpham`).
pub fn name_key(s: &str) -> String {
    match_key(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The one "likely typo" rule, for sheet names, headers, labels and unit
/// names alike: how far `written` is from `known` (by [`name_key`]), or
/// `None` when too far to suggest. Near means an edit distance of at most a
/// third of the longer key, between 1 and 3 edits; or one key contains the
/// other and the shorter has at least 4 characters (`Nội dung nhiệm vụ` is
/// near `Nội dung`), counted as at most 2 edits so that a real typo wins.
pub fn near(written: &str, known: &str) -> Option<usize> {
    near_keys(&name_key(written), &name_key(known))
}

/// [`near`] on keys already made by [`name_key`] (to make a written name's
/// key once when it is compared with many).
pub fn near_keys(a: &str, b: &str) -> Option<usize> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let limit = (la.max(lb) / 3).clamp(1, 3);
    let (short, long) = if la <= lb { (a, b) } else { (b, a) };
    let d = if la.min(lb) >= 4 && long.contains(short) { la.abs_diff(lb).min(2) } else { distance(a, b) };
    (d <= limit).then_some(d)
}

/// The value of the candidate whose spelling is nearest to `written` by the
/// [`near`] rule (the first one on a tie), `None` when none is near.
pub fn closest_by<'a, T>(written: &str, candidates: impl IntoIterator<Item = (T, &'a str)>) -> Option<T> {
    let key = name_key(written);
    if key.is_empty() {
        return None;
    }
    let mut best: Option<(usize, T)> = None;
    for (value, spelling) in candidates {
        if let Some(d) = near_keys(&key, &name_key(spelling)) {
            if best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                best = Some((d, value));
            }
        }
    }
    best.map(|(_, v)| v)
}

/// The candidate nearest to `name` by the [`near`] rule, if any is.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_by(name, candidates.into_iter().map(|c| (c, c)))
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
        assert_eq!(near("noidug", "noidung"), Some(1));
        assert_eq!(near("ma", "mb"), Some(1));
        assert_eq!(near("ma", "xy"), None);
        // A short key inside a long one is no typo of it.
        assert_eq!(near("ma", "mavanban"), None);
    }

    /// A header and a unit name as far off by the same number of edits get
    /// the same verdict from the one rule: `Thời hạn` and `Thanh tra` have
    /// keys of 7 and 8 letters, so two edits are near and three are not.
    #[test]
    fn one_rule_for_headers_and_unit_names() {
        use crate::workbook::schema::{closest_column, SheetKind};
        let units = ["Văn phòng Sở", "Thanh tra", "Chi cục Thủy lợi"];
        let cases = [("Thoi hn", "Thanh tr", true), ("Tho hn", "Thnh tr", true), ("Th hn", "Thn tr", false)];
        for (header, unit, is_near) in cases {
            assert_eq!(
                distance(&name_key(header), "thoihan"),
                distance(&name_key(unit), "thanhtra"),
                "{header} {unit}"
            );
            let column = closest_column(SheetKind::Tasks, header);
            assert_eq!(column, is_near.then_some("Thời hạn"), "{header}");
            assert_eq!(closest(unit, units), is_near.then_some("Thanh tra"), "{unit}");
        }
        // One key inside the other is near for both kinds alike.
        assert_eq!(closest_column(SheetKind::Tasks, "Thời hạn xong"), Some("Thời hạn"));
        assert_eq!(closest("Thanh tra Sở", units), Some("Thanh tra"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("KH-SNNPTNT"), "kh-snnptnt");
        assert_eq!(slug("../../etc/x"), "etc-x");
        assert_eq!(slug("Chi cục Thủy sản"), "chi-cuc-thuy-san");
        assert_eq!(slug("///"), "");
    }

    #[test]
    fn file_stems_are_short_unique_and_not_reserved() {
        let long_a = format!("{} a", "Đơn vị ".repeat(45));
        let long_b = format!("{} b", "Đơn vị ".repeat(45));
        let (a, b) = (file_stem(&long_a), file_stem(&long_b));
        assert!(a.len() <= MAX_FILE_STEM && b.len() <= MAX_FILE_STEM, "{a} {b}");
        assert_ne!(a, b);
        assert!(a.starts_with("don-vi-don-vi"));
        assert_eq!(file_stem(&long_a), a, "deterministic");
        for name in ["CON", "nul", "Aux", "com1", "LPT9", "prn"] {
            assert_eq!(file_stem(name), format!("{}-vb", name.to_lowercase()));
        }
        assert_eq!(file_stem("console"), "console");
        assert_eq!(file_stem("KH-SNNPTNT"), "kh-snnptnt");
    }
}
