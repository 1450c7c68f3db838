//! Number formats that change what a cell means, from the xlsx styles: a
//! percentage (`0%`: 0.5 is 50%) and a date shown as a month
//! (`"Tháng "m/yyyy`: Excel shows `Tháng 9/2021`, a deadline due at the
//! month's end). Other formats are ignored; .xls and .ods give no formats.

/// What a cell's number format says about its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// `0%`, `0.0%`: the value is a fraction (0.5 → 50%).
    Percent,
    /// A date format with a month and a year and no day: the code, to print
    /// the cell as Excel shows it.
    Month(String),
}

/// The meaning of a format code (and built-in format id), when it matters.
pub fn classify(code: &str, id: Option<u32>) -> Option<Shown> {
    if matches!(id, Some(9 | 10)) {
        return Some(Shown::Percent);
    }
    // Built-in 17 is `mmm-yy`.
    if id == Some(17) && code.is_empty() {
        return Some(Shown::Month("mm/yyyy".into()));
    }
    let section = first_section(code);
    let bare = unquoted(section);
    if bare.contains('%') {
        return Some(Shown::Percent);
    }
    let lower = bare.to_lowercase();
    let has = |c: char| lower.contains(c);
    (has('m') && has('y') && !has('d') && !has('h') && !has('s')).then(|| Shown::Month(section.to_string()))
}

/// The first `;` section of a format code (the one for positive numbers).
fn first_section(code: &str) -> &str {
    let mut quoted = false;
    for (i, c) in code.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => return &code[..i],
            _ => {}
        }
    }
    code
}

/// The code without quoted text, `\x` escapes, `[…]` parts and `_x`/`*x` spacers.
fn unquoted(code: &str) -> String {
    let mut out = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for d in chars.by_ref() {
                    if d == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A month as a month format shows it: `"Tháng "m/yyyy` → `Tháng 9/2021`,
/// `mm/yyyy` → `09/2021`, `mmm-yy` → `09-21` (month names are not spelled:
/// Vietnamese offices write numbers).
pub fn show_month(code: &str, year: i32, month: u8) -> String {
    let mut out = String::new();
    let chars: Vec<char> = code.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        match c {
            '"' => {
                k += 1;
                while k < chars.len() && chars[k] != '"' {
                    out.push(chars[k]);
                    k += 1;
                }
                k += 1;
            }
            '\\' => {
                if let Some(d) = chars.get(k + 1) {
                    out.push(*d);
                }
                k += 2;
            }
            '[' => {
                while k < chars.len() && chars[k] != ']' {
                    k += 1;
                }
                k += 1;
            }
            '_' | '*' => k += 2,
            'm' | 'M' | 'y' | 'Y' => {
                let run = chars[k..].iter().take_while(|d| d.eq_ignore_ascii_case(&c)).count();
                let text = if c.eq_ignore_ascii_case(&'m') {
                    if run == 1 {
                        month.to_string()
                    } else {
                        format!("{month:02}")
                    }
                } else if run <= 2 {
                    format!("{:02}", year.rem_euclid(100))
                } else {
                    year.to_string()
                };
                out.push_str(&text);
                k += run;
            }
            _ => {
                out.push(c);
                k += 1;
            }
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_that_matter() {
        assert_eq!(classify("0%", None), Some(Shown::Percent));
        assert_eq!(classify("0.00%", None), Some(Shown::Percent));
        assert_eq!(classify("General", Some(9)), Some(Shown::Percent));
        assert_eq!(classify("\"Tháng \"m/yyyy", None), Some(Shown::Month("\"Tháng \"m/yyyy".into())));
        assert_eq!(classify("mm/yyyy", None), Some(Shown::Month("mm/yyyy".into())));
        assert_eq!(classify("[$-42A]mm/yyyy", None), Some(Shown::Month("[$-42A]mm/yyyy".into())));
        assert_eq!(classify("dd/mm/yyyy", None), None);
        assert_eq!(classify("General", None), None);
        assert_eq!(classify("0.0", None), None);
        assert_eq!(classify("\"Tỷ lệ %\" 0", None), None);
        assert_eq!(classify("h:mm", None), None);
    }

    #[test]
    fn months_as_excel_shows_them() {
        assert_eq!(show_month("\"Tháng \"m/yyyy", 2021, 9), "Tháng 9/2021");
        assert_eq!(show_month("\"Tháng \"mm\" năm \"yyyy", 2021, 9), "Tháng 09 năm 2021");
        assert_eq!(show_month("mm/yyyy", 2021, 9), "09/2021");
        assert_eq!(show_month("[$-42A]m/yy", 2021, 12), "12/21");
        assert_eq!(show_month("\\T\\h\\á\\n\\g m/yyyy", 2021, 9), "Tháng 9/2021");
    }
}
