//! Reading numbers and dates the way Vietnamese office staff type them:
//! `10,5`, `1.234,5`, `05/01/2023`, `5-1-2023`, `2023-01-05`,
//! `ngày 05 tháng 01 năm 2023`.

use crate::vi::date::Date;
use crate::vi::fold::strip_accents;

/// Why a text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// The text does not look like a date at all.
    NotADate,
    /// It looks like a date, but the day does not exist (`31/02/2021`).
    Impossible,
}

/// A number typed as text: Vietnamese decimal comma and dot (or space)
/// thousands (`10,5`, `1.234,5`, `1 234`), also `10.5` and `1,234.5`.
/// `None` when the text is not a number.
pub fn parse_number(s: &str) -> Option<f64> {
    let s: String = s.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')).collect();
    let (negative, body) = match s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return None;
    }
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    let (int_part, frac_part) = match (commas, dots) {
        (0, 0) => (body.to_string(), String::new()),
        // Both: the last one is the decimal separator, the other groups.
        (_, _) if commas > 0 && dots > 0 => {
            let last_comma = body.rfind(',')?;
            let last_dot = body.rfind('.')?;
            let (dec, group) = if last_comma > last_dot { (',', '.') } else { ('.', ',') };
            if body.matches(dec).count() != 1 {
                return None;
            }
            let (int, frac) = body.split_once(dec)?;
            (ungroup(int, group)?, frac.to_string())
        }
        // Only commas: one is the decimal comma; several group thousands.
        (1, 0) => {
            let (int, frac) = body.split_once(',')?;
            (int.to_string(), frac.to_string())
        }
        (_, 0) => (ungroup(body, ',')?, String::new()),
        // One dot: `1.234` groups thousands (Vietnamese), `10.5` is a decimal.
        (0, 1) => {
            let (int, frac) = body.split_once('.')?;
            let grouping = frac.len() == 3 && (1..=3).contains(&int.len()) && !int.starts_with('0');
            if grouping {
                (format!("{int}{frac}"), String::new())
            } else {
                (int.to_string(), frac.to_string())
            }
        }
        (0, _) => (ungroup(body, '.')?, String::new()),
        _ => return None,
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let text = format!(
        "{}.{}",
        if int_part.is_empty() { "0" } else { &int_part },
        if frac_part.is_empty() { "0" } else { &frac_part }
    );
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    Some(if negative { -value } else { value })
}

/// A percentage typed as text: a number as [`parse_number`] reads it, with
/// or without `%` after it (`85`, `85,5%`, `85 %`); the number of percent.
pub fn parse_percent(s: &str) -> Option<f64> {
    parse_number(s.trim().trim_end_matches('%'))
}

/// `1.234.567` → `1234567` when the groups are valid thousands groups.
fn ungroup(s: &str, sep: char) -> Option<String> {
    let mut parts = s.split(sep);
    let first = parts.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut out = first.to_string();
    for p in parts {
        if p.len() != 3 {
            return None;
        }
        out.push_str(p);
    }
    Some(out)
}

/// A date typed as text: `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`,
/// `yyyy-mm-dd` (a time after it is ignored), `ngày 5 tháng 1 năm 2023`.
pub fn parse_date(s: &str) -> Result<Date, DateError> {
    let folded = strip_accents(s.trim());
    let t = folded.trim();
    if let Some(fields) = long_form(t) {
        return make(fields);
    }
    let t = t.strip_prefix("ngay").map_or(t, str::trim_start);
    // Drop a time part: `2023-01-05T00:00:00`, `05/01/2023 08:30`.
    let date_part = t.split(['T', 't', ' ']).next().unwrap_or("");
    let rest = t[date_part.len()..].trim();
    if !rest.is_empty() && !looks_like_time(rest.trim_start_matches(['T', 't'])) {
        return Err(DateError::NotADate);
    }
    let sep = date_part.chars().find(|c| matches!(c, '/' | '-' | '.')).ok_or(DateError::NotADate)?;
    let parts: Vec<&str> = date_part.split(sep).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(DateError::NotADate);
    }
    let num = |p: &str| p.parse::<u32>().map_err(|_| DateError::NotADate);
    let (y, m, d) = if parts[0].len() == 4 && parts[1].len() <= 2 && parts[2].len() <= 2 {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else if parts[0].len() <= 2 && parts[1].len() <= 2 && parts[2].len() == 4 {
        (num(parts[2])?, num(parts[1])?, num(parts[0])?)
    } else {
        return Err(DateError::NotADate);
    };
    make((d, m, y))
}

/// `ngay 5 thang 1 nam 2023` (already accent-stripped) → (5, 1, 2023).
fn long_form(t: &str) -> Option<(u32, u32, u32)> {
    let words: Vec<&str> = t.split_whitespace().collect();
    match words.as_slice() {
        ["ngay", d, "thang", m, "nam", y] => {
            if y.len() != 4 {
                return None;
            }
            Some((d.parse().ok()?, m.parse().ok()?, y.parse().ok()?))
        }
        _ => None,
    }
}

fn looks_like_time(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | 'z' | 'Z' | '+' | '-'))
}

fn make((d, m, y): (u32, u32, u32)) -> Result<Date, DateError> {
    let (Ok(y), Ok(m), Ok(d)) = (i32::try_from(y), u8::try_from(m), u8::try_from(d)) else {
        return Err(DateError::Impossible);
    };
    Date::new(y, m, d).ok_or(DateError::Impossible)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents() {
        for (s, want) in [("85", Some(85.0)), ("85%", Some(85.0)), (" 85,5 % ", Some(85.5)), ("1.234,5%", Some(1234.5))]
        {
            assert_eq!(parse_percent(s), want, "{s}");
        }
        for s in ["", "%", "abc%", "8%5", "85%x"] {
            assert_eq!(parse_percent(s), None, "{s}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("10,5"), Some(10.5));
        assert_eq!(parse_number(" 1.234,5 "), Some(1234.5));
        assert_eq!(parse_number("1.234"), Some(1234.0));
        assert_eq!(parse_number("1.234.567"), Some(1_234_567.0));
        assert_eq!(parse_number("10.5"), Some(10.5));
        assert_eq!(parse_number("0.125"), Some(0.125));
        assert_eq!(parse_number("1,234.5"), Some(1234.5));
        assert_eq!(parse_number("1 234,5"), Some(1234.5));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("12,49"), Some(12.49));
        assert_eq!(parse_number(",5"), Some(0.5));
        assert_eq!(parse_number("85"), Some(85.0));
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("1,2,3"), None);
        assert_eq!(parse_number("1.2.3"), None);
        assert_eq!(parse_number("1e5"), None);
        assert_eq!(parse_number("7/17"), None);
        assert_eq!(parse_number(","), None);
        assert_eq!(parse_number("-"), None);
        assert_eq!(parse_number("1.234,5.6"), None);
    }

    #[test]
    fn dates() {
        let d = Date::new(2023, 1, 5);
        for s in [
            "05/01/2023",
            "5/1/2023",
            "05-01-2023",
            "05.01.2023",
            "2023-01-05",
            "2023-01-05T00:00:00",
            "05/01/2023 08:30",
            "ngày 05 tháng 01 năm 2023",
            "Ngày 5 tháng 1 năm 2023",
            "ngày 05/01/2023",
        ] {
            assert_eq!(parse_date(s).ok(), d, "{s}");
        }
        assert_eq!(parse_date("31/02/2021"), Err(DateError::Impossible));
        assert_eq!(parse_date("2021-13-01"), Err(DateError::Impossible));
        assert_eq!(parse_date("00/01/2021"), Err(DateError::Impossible));
        for s in ["", "Quý III/2023", "Tháng 9/2021", "05/01/23", "abc", "1/2/3/2023", "2023", "05/01/2023 xyz"] {
            assert_eq!(parse_date(s), Err(DateError::NotADate), "{s}");
        }
    }
}
