//! Roman numerals (`I.`, `II.` headings, `Quý III`, `Phụ lục II`).

const NUMERALS: [(u32, &str); 13] = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
];

/// Roman numeral of `n` in 1..=3999 (`3` → `III`); empty outside that range.
pub fn to_roman(n: u32) -> String {
    if !(1..=3999).contains(&n) {
        return String::new();
    }
    let mut rest = n;
    let mut out = String::new();
    for (value, letters) in NUMERALS {
        while rest >= value {
            out.push_str(letters);
            rest -= value;
        }
    }
    out
}

/// Value of a standard Roman numeral, any case, surrounding spaces ignored;
/// `None` for non-standard forms (`IIII`, `IC`, `VX`) and anything else.
pub fn from_roman(s: &str) -> Option<u32> {
    let s = s.trim().to_ascii_uppercase();
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let value_of = |c: char| match c {
        'I' => Some(1u32),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let values: Vec<u32> = s.chars().map(value_of).collect::<Option<_>>()?;
    let mut total: i64 = 0;
    for (k, v) in values.iter().enumerate() {
        match values.get(k + 1) {
            Some(next) if next > v => total -= i64::from(*v),
            _ => total += i64::from(*v),
        }
    }
    let total = u32::try_from(total).ok()?;
    // Strict: only the canonical spelling of its value is accepted.
    (to_roman(total) == s).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_roman_values() {
        assert_eq!(to_roman(0), "");
        assert_eq!(to_roman(1), "I");
        assert_eq!(to_roman(3), "III");
        assert_eq!(to_roman(4), "IV");
        assert_eq!(to_roman(9), "IX");
        assert_eq!(to_roman(14), "XIV");
        assert_eq!(to_roman(40), "XL");
        assert_eq!(to_roman(1994), "MCMXCIV");
        assert_eq!(to_roman(3999), "MMMCMXCIX");
        assert_eq!(to_roman(4000), "");
        assert_eq!(to_roman(u32::MAX), "");
    }

    #[test]
    fn from_roman_values() {
        assert_eq!(from_roman("III"), Some(3));
        assert_eq!(from_roman("iv"), Some(4));
        assert_eq!(from_roman(" Xii "), Some(12));
        assert_eq!(from_roman("MCMXCIV"), Some(1994));
        assert_eq!(from_roman("MMMCMXCIX"), Some(3999));
    }

    #[test]
    fn from_roman_rejects_non_standard() {
        for s in ["", "  ", "IIII", "IC", "VX", "IIV", "MMMM", "ABC", "3", "I I", "Ⅲ", "🎉", "VV", "XM"] {
            assert_eq!(from_roman(s), None, "{s}");
        }
    }

    #[test]
    fn round_trip() {
        for n in 1..=3999 {
            assert_eq!(from_roman(&to_roman(n)), Some(n));
        }
    }
}
