//! Numbers as Vietnamese documents write them: decimal comma, dot thousands
//! (`1.234.567,89`), at most two decimals, trailing zeros dropped.

/// Vietnamese form of a number, rounded half away from zero to 2 decimals
/// (`89,87`, `1.234`, `-3`); NaN and infinities give an empty string.
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let neg = x < 0.0;
    let a = x.abs();
    if a == 0.0 {
        return "0".to_string();
    }
    // Round on the shortest decimal representation that reproduces the float
    // (what the user typed: 1.005 → "1.005"), so 1,005 rounds up like Excel.
    let (mut digits, mut point) = decimal_digits(a);
    // Keep the digits up to the second decimal.
    let keep = point + 2;
    if keep < 0 {
        return "0".to_string();
    }
    let keep = keep as usize;
    if keep < digits.len() {
        let round_up = digits[keep] >= 5;
        digits.truncate(keep);
        if round_up && !increment(&mut digits) {
            digits.insert(0, 1);
            point += 1;
        }
    }
    let digit_at = |k: i64| -> u8 {
        if k < 0 {
            return 0;
        }
        digits.get(k as usize).copied().unwrap_or(0)
    };
    let int_digits: Vec<u8> = if point <= 0 { vec![0] } else { (0..point).map(digit_at).collect() };
    let mut frac: Vec<u8> = vec![digit_at(point), digit_at(point + 1)];
    while frac.last() == Some(&0) {
        frac.pop();
    }
    let all_zero = int_digits.iter().all(|d| *d == 0) && frac.is_empty();
    let mut out = String::new();
    if neg && !all_zero {
        out.push('-');
    }
    out.push_str(&group_thousands(&int_digits));
    if !frac.is_empty() {
        out.push(',');
        out.extend(frac.iter().map(|d| char::from(b'0' + d)));
    }
    out
}

/// A percentage (`x` in 0–100) in Vietnamese form: `85,5%`, `25%`.
pub fn format_percent(x: f64) -> String {
    let n = format_number(x);
    if n.is_empty() {
        return n;
    }
    format!("{n}%")
}

/// Significant decimal digits of a positive finite number and the position of
/// the decimal point (number of digits before it; may be ≤ 0).
fn decimal_digits(a: f64) -> (Vec<u8>, i64) {
    // `{:e}` gives the shortest round-trip form, e.g. `1.234567891e6`.
    let s = format!("{a:e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    (digits, exp + 1)
}

/// Add one to a big-endian digit string; `false` when it overflowed (all 9s).
fn increment(digits: &mut [u8]) -> bool {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return true;
        }
    }
    false
}

/// `1234567` → `1.234.567`.
fn group_thousands(digits: &[u8]) -> String {
    let mut out = String::new();
    for (k, d) in digits.iter().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push('.');
        }
        out.push(char::from(b'0' + d));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_form() {
        assert_eq!(format_number(89.87), "89,87");
        assert_eq!(format_number(1234.0), "1.234");
        assert_eq!(format_number(10.5), "10,5");
        assert_eq!(format_number(12.49), "12,49");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(1234567.891), "1.234.567,89");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(100.0), "100");
        assert_eq!(format_number(999.0), "999");
        assert_eq!(format_number(1000.0), "1.000");
        assert_eq!(format_number(123456.0), "123.456");
    }

    #[test]
    fn rounding() {
        assert_eq!(format_number(1.005), "1,01");
        assert_eq!(format_number(2.675), "2,68");
        assert_eq!(format_number(0.125), "0,13");
        assert_eq!(format_number(9.999), "10");
        assert_eq!(format_number(999.999), "1.000");
        assert_eq!(format_number(0.004), "0");
        assert_eq!(format_number(-0.004), "0");
        assert_eq!(format_number(-0.005), "-0,01");
        assert_eq!(format_number(0.1 + 0.2), "0,3");
        assert_eq!(format_number(1e-300), "0");
        assert_eq!(format_number(0.05), "0,05");
        assert_eq!(format_number(10.10), "10,1");
    }

    #[test]
    fn extremes() {
        assert_eq!(format_number(f64::NAN), "");
        assert_eq!(format_number(f64::INFINITY), "");
        assert_eq!(format_number(f64::NEG_INFINITY), "");
        assert_eq!(format_number(1e21), "1.000.000.000.000.000.000.000");
        let max = format_number(f64::MAX);
        assert!(max.starts_with("179.769.313"), "{max}");
        assert_eq!(format_number(f64::MIN_POSITIVE), "0");
        assert_eq!(format_number(-1234.5), "-1.234,5");
    }

    #[test]
    fn percents() {
        assert_eq!(format_percent(85.5), "85,5%");
        assert_eq!(format_percent(25.0), "25%");
        assert_eq!(format_percent(62.5), "62,5%");
        assert_eq!(format_percent(100.0), "100%");
        assert_eq!(format_percent(33.333), "33,33%");
        assert_eq!(format_percent(f64::NAN), "");
    }
}
