//! Deadlines as written in the `Thời hạn` column (`Quý III/2023`,
//! `Trước ngày 10/9/2021`, `Thường xuyên`), understood as a due date.
//!
//! The text is folded (lower case, no diacritics, `đ` → `d`), cut into words,
//! numbers and separators, and scanned for date expressions; words around them
//! (`Trước`, `Trong`, `Chậm nhất`, `Hoàn thành`) are skipped. When several
//! expressions occur (`Từ tháng 7/2021 đến tháng 9/2021`) the last one counts.

use crate::vi::date::Date;
use crate::vi::fold::{nfc, strip_accents};
use crate::vi::roman::from_roman;

/// What a deadline cell means for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Due on that date.
    Due(Date),
    /// A recurring duty (`Thường xuyên`, `Hằng quý`, `Theo yêu cầu`): no due date.
    Recurring,
    /// Not understood (or an impossible date): no due date, `check` warns.
    Unknown,
    /// Periods in several years, none of them the plan's: no due date,
    /// `check` warns.
    Unclear,
}

/// Last day of quarter `q` (1–4) of `year`.
pub fn quarter_end(year: i32, q: u8) -> Option<Date> {
    if !(1..=4).contains(&q) {
        return None;
    }
    Date::end_of_month(year, q * 3)
}

/// Folded starts of a recurring deadline.
const RECURRING_STARTS: &[&str] = &[
    "thuong xuyen",
    "hang nam",
    "hang quy",
    "hang thang",
    "hang tuan",
    "hang ngay",
    "dinh ky",
    "theo ",
    "khi co",
    "khi ",
    "lien tuc",
    "moi nam",
    "moi quy",
    "moi thang",
];

/// Folded words that make a deadline recurring wherever they occur, when no date is found.
const RECURRING_ANYWHERE: &[&str] = &["thuong xuyen", "hang nam", "hang quy", "hang thang", "dinh ky", "lien tuc"];

/// Understand a deadline; `year` (the plan's) is used when the text has none.
///
/// Several periods or dates (`Quý I, II/2021`; `+ Năm 2021: quý III đến
/// quý IV. + Từ năm 2022: quý I`): within one year the last one counts; over
/// several years, the end of the last part that belongs to the plan's year
/// (a year named on its own, `Năm 2022:`, gives its year to the periods after
/// it; a range `từ … đến …` across the plan's year ends on 31/12); with no
/// part in the plan's year, [`Deadline::Unclear`].
pub fn parse_deadline(s: &str, year: i32) -> Deadline {
    let key = strip_accents(&nfc(s));
    let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = key.trim_start_matches(|c: char| !c.is_alphanumeric());
    if RECURRING_STARTS.iter().any(|p| trimmed.starts_with(p)) {
        return Deadline::Recurring;
    }
    let toks = tokenize(&key);
    // Each expression found: its date, first token, and tokens used.
    let mut found: Vec<(Date, usize, usize)> = Vec::new();
    let mut context = year;
    let mut k = 0;
    while k < toks.len() {
        match expression_at(&toks, k, context) {
            Some((Some(d), len)) => {
                if year_alone(&toks, k, len) {
                    context = d.year;
                }
                found.push((d, k, len));
                k += len;
            }
            // A date-shaped expression that does not exist (31/02/2021).
            Some((None, _)) => return Deadline::Unknown,
            None => k += 1,
        }
    }
    let Some(&(last, ..)) = found.last() else {
        return if RECURRING_ANYWHERE.iter().any(|w| key.contains(w)) {
            Deadline::Recurring
        } else {
            Deadline::Unknown
        };
    };
    if found.iter().all(|(d, ..)| d.year == last.year) {
        return Deadline::Due(last);
    }
    // Several years: the parts that belong to the plan's year.
    let mut due: Option<Date> = None;
    for (i, (d, start, len)) in found.iter().enumerate() {
        if d.year == year {
            due = Some(*d);
        }
        if let Some((next, next_start, _)) = found.get(i + 1) {
            let between = &toks[start + len..*next_start];
            let range = between.iter().any(|t| matches!(t, Tok::Word(w) if w == "den"));
            if range && d.year < year && next.year > year {
                due = Date::new(year, 12, 31);
            }
            if range && d.year == year && next.year > year {
                due = Date::new(year, 12, 31);
            }
        }
    }
    due.map_or(Deadline::Unclear, Deadline::Due)
}

/// Whether the expression at `k` is a year on its own (`năm 2022`, `2022`).
fn year_alone(toks: &[Tok], k: usize, len: usize) -> bool {
    match len {
        1 => matches!(toks.get(k), Some(Tok::Num(n)) if n.len() == 4),
        2 => is_word(toks.get(k), "nam") && matches!(toks.get(k + 1), Some(Tok::Num(n)) if n.len() == 4),
        _ => false,
    }
}

/// A piece of folded text.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    /// Digits as written (kept as text: `09`, or too long for a number).
    Num(String),
    Sep(char),
}

/// Cut folded text into words, numbers and single-character separators.
fn tokenize(s: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c.is_ascii_digit() {
            let mut n = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n.push(d);
                chars.next();
            }
            toks.push(Tok::Num(n));
        } else if c.is_alphabetic() {
            let mut w = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_alphabetic()) {
                w.push(d);
                chars.next();
            }
            toks.push(Tok::Word(w));
        } else {
            toks.push(Tok::Sep(c));
            chars.next();
        }
    }
    toks
}

/// Number value of a token of at most 9 digits.
fn num(t: Option<&Tok>) -> Option<u32> {
    match t {
        Some(Tok::Num(n)) if n.len() <= 9 => n.parse().ok(),
        _ => None,
    }
}

/// Whether a token is this word.
fn is_word(t: Option<&Tok>, w: &str) -> bool {
    matches!(t, Some(Tok::Word(x)) if x == w)
}

/// Whether a token is a date separator (`/`, `-`, `.`).
fn is_sep(t: Option<&Tok>) -> bool {
    matches!(t, Some(Tok::Sep('/' | '-' | '.' | '–')))
}

/// Whether a token joins the items of a list (`I, II`, `I và II`, `I - II`).
fn is_list_sep(t: Option<&Tok>) -> bool {
    matches!(t, Some(Tok::Sep(',' | '-' | '–' | '&' | ';'))) || is_word(t, "va") || is_word(t, "den")
}

/// A year: four digits, or two digits read as 20xx.
fn year_of(t: Option<&Tok>) -> Option<i32> {
    match t {
        Some(Tok::Num(n)) if n.len() == 4 => n.parse().ok(),
        Some(Tok::Num(n)) if n.len() == 2 => n.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

/// An optional year after a month or quarter: `/2023`, `-2023`, `năm 2023`,
/// ` 2023`; returns the year and the tokens used.
fn year_after(toks: &[Tok], k: usize) -> Option<(i32, usize)> {
    if (is_sep(toks.get(k)) || is_word(toks.get(k), "nam")) && year_of(toks.get(k + 1)).is_some() {
        return year_of(toks.get(k + 1)).map(|y| (y, 2));
    }
    match toks.get(k) {
        Some(Tok::Num(n)) if n.len() == 4 => year_of(toks.get(k)).map(|y| (y, 1)),
        _ => None,
    }
}

/// Date from numbers, `None` when it does not exist.
fn date(year: i32, month: u32, day: u32) -> Option<Date> {
    Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
}

/// Last day of a month, `None` when the month does not exist.
fn month_end(year: i32, month: u32) -> Option<Date> {
    Date::end_of_month(year, u8::try_from(month).ok()?)
}

/// A quarter number, Arabic or Roman.
fn quarter_of(t: Option<&Tok>) -> Option<u32> {
    match t {
        Some(Tok::Num(_)) => num(t),
        Some(Tok::Word(w)) => from_roman(w),
        _ => None,
    }
}

/// The date expression starting at token `k`, if any: its date (`None` when
/// it names a date that does not exist) and how many tokens it spans.
fn expression_at(toks: &[Tok], k: usize, year: i32) -> Option<(Option<Date>, usize)> {
    let t = |i: usize| toks.get(k + i);
    // `ngày 15 tháng 10 năm 2023`, `ngày 15 tháng 10`
    if is_word(t(0), "ngay") && is_word(t(2), "thang") {
        if let (Some(Tok::Num(_)), Some(Tok::Num(_))) = (t(1), t(3)) {
            let (y, len) = year_after(toks, k + 4).map_or((year, 4), |(y, l)| (y, 4 + l));
            let d = num(t(1)).zip(num(t(3))).and_then(|(d, m)| date(y, m, d));
            return Some((d, len));
        }
    }
    // `tháng 9/2021`, `tháng 9 năm 2021`, `tháng 7-9/2021` (the end), `tháng 9`
    // `tháng 7, 8/2021`, `tháng 7 và 8 năm 2021`: the last month.
    if is_word(t(0), "thang") && matches!(t(1), Some(Tok::Num(_))) {
        let mut j = 1;
        while (matches!(t(j + 1), Some(Tok::Sep(',' | ';'))) || is_word(t(j + 1), "va"))
            && num(t(j + 2)).is_some_and(|m| (1..=12).contains(&m))
            && matches!(t(j + 2), Some(Tok::Num(n)) if n.len() <= 2)
        {
            j += 2;
        }
        if j > 1 {
            return Some(match year_after(toks, k + j + 1) {
                Some((y, len)) => (num(t(j)).and_then(|m| month_end(y, m)), j + 1 + len),
                None => (num(t(j)).and_then(|m| month_end(year, m)), j + 1),
            });
        }
    }
    if is_word(t(0), "thang") {
        if let Some(Tok::Num(_)) = t(1) {
            let m = num(t(1)).unwrap_or(0);
            let m2 = num(t(3)).filter(|m2| is_sep(t(2)) && (1..=12).contains(m2));
            if let Some(m2) = m2 {
                // A range of months: its end.
                if is_sep(t(4)) {
                    if let Some(y) = year_of(t(5)) {
                        return Some((month_end(y, m2), 6));
                    }
                }
                return Some((month_end(year, m2), 4));
            }
            return Some(match year_after(toks, k + 2) {
                Some((y, len)) => (month_end(y, m), 2 + len),
                None => (month_end(year, m), 2),
            });
        }
    }
    // `quý III/2023`, `quý 3 năm 2023`, `quý I`
    // `quý I, II/2021`, `quý I và II năm 2021`, `quý III - IV`: the last one.
    if is_word(t(0), "quy") {
        if let Some(mut q) = quarter_of(t(1)) {
            let mut j = 2;
            while is_list_sep(t(j))
                && quarter_of(t(j + 1)).is_some()
                && !matches!(t(j + 1), Some(Tok::Num(n)) if n.len() >= 2)
            {
                q = quarter_of(t(j + 1)).unwrap_or(q);
                j += 2;
            }
            let q = u8::try_from(q).unwrap_or(0);
            return Some(match year_after(toks, k + j) {
                Some((y, len)) => (quarter_end(y, q), j + len),
                None => (quarter_end(year, q), j),
            });
        }
    }
    // `6 tháng đầu năm 2024` → 30/6, `6 tháng cuối năm 2024` → 31/12
    if is_word(t(1), "thang") && is_word(t(3), "nam") {
        if let Some(n) = num(t(0)) {
            let first = is_word(t(2), "dau");
            if first || is_word(t(2), "cuoi") {
                let (y, len) = match year_of(t(4)) {
                    Some(y) => (y, 5),
                    None => (year, 4),
                };
                let month = if first { n } else { 12 };
                let valid = (1..=12).contains(&n);
                return Some((month_end(y, month).filter(|_| valid), len));
            }
        }
    }
    // `cuối năm 2024`, `cuối năm`
    if is_word(t(0), "cuoi") && is_word(t(1), "nam") {
        return Some(match year_of(t(2)) {
            Some(y) => (Date::new(y, 12, 31), 3),
            None => (Date::new(year, 12, 31), 2),
        });
    }
    // `năm 2024`
    if is_word(t(0), "nam") {
        if let Some(Tok::Num(n)) = t(1) {
            if n.len() == 4 {
                return Some((year_of(t(1)).and_then(|y| Date::new(y, 12, 31)), 2));
            }
        }
    }
    // Numeric dates: `10/9/2021`, `05-01-2023`, `2023-01-05`, `9/2021`, `5/3`.
    if let Some(Tok::Num(first)) = t(0) {
        if is_sep(t(1)) {
            if let Some(Tok::Num(second)) = t(2) {
                if t(3) == t(1) {
                    if let Some(Tok::Num(third)) = t(4) {
                        // Three numbers: a full date, valid or not.
                        let d = if first.len() == 4 {
                            year_of(t(0)).zip(num(t(2)).zip(num(t(4))))
                        } else {
                            (third.len() == 4 || third.len() == 2)
                                .then(|| year_of(t(4)).zip(num(t(2)).zip(num(t(0)))))
                                .flatten()
                        };
                        return Some((d.and_then(|(y, (m, d))| date(y, m, d)), 5));
                    }
                }
                if second.len() == 4 {
                    // `9/2021`: a month.
                    let d = num(t(0)).zip(year_of(t(2)));
                    return Some((d.and_then(|(m, y)| month_end(y, m)), 3));
                }
                if first.len() <= 2 && second.len() <= 2 {
                    let d = num(t(0)).zip(num(t(2)));
                    return Some((d.and_then(|(d, m)| date(year, m, d)), 3));
                }
                // Other shapes (`123/456`) are not dates: only the year rule below may apply.
            }
        }
        // A year on its own.
        if first.len() == 4 {
            return Some((year_of(t(0)).and_then(|y| Date::new(y, 12, 31)), 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(y: i32, m: u8, d: u8) -> Deadline {
        Deadline::Due(Date::new(y, m, d).unwrap())
    }

    #[test]
    fn quarter_ends() {
        assert_eq!(quarter_end(2023, 1), Date::new(2023, 3, 31));
        assert_eq!(quarter_end(2023, 2), Date::new(2023, 6, 30));
        assert_eq!(quarter_end(2023, 3), Date::new(2023, 9, 30));
        assert_eq!(quarter_end(2023, 4), Date::new(2023, 12, 31));
        assert_eq!(quarter_end(2023, 0), None);
        assert_eq!(quarter_end(2023, 5), None);
    }

    #[test]
    fn table_of_the_spec() {
        let cases = [
            ("10/9/2021", due(2021, 9, 10)),
            ("Trước ngày 10/9/2021", due(2021, 9, 10)),
            ("Trước 30/9/2021", due(2021, 9, 30)),
            ("Tháng 9/2021", due(2021, 9, 30)),
            ("Tháng 9 năm 2021", due(2021, 9, 30)),
            ("Quý III/2023", due(2023, 9, 30)),
            ("Quý 3/2023", due(2023, 9, 30)),
            ("Quý III năm 2023", due(2023, 9, 30)),
            ("6 tháng đầu năm 2024", due(2024, 6, 30)),
            ("Năm 2024", due(2024, 12, 31)),
        ];
        for (s, want) in cases {
            assert_eq!(parse_deadline(s, 2000), want, "{s}");
        }
    }

    #[test]
    fn variants() {
        let cases = [
            ("Quy III/2023", due(2023, 9, 30)),
            ("QUÝ III/2023", due(2023, 9, 30)),
            ("quý iii - 2023", due(2023, 9, 30)),
            ("Quý IV/2023", due(2023, 12, 31)),
            ("Quý 4-2023", due(2023, 12, 31)),
            ("thang 9/2021", due(2021, 9, 30)),
            ("Tháng 02/2024", due(2024, 2, 29)),
            ("Tháng 9-2021", due(2021, 9, 30)),
            ("Trong quý III/2023", due(2023, 9, 30)),
            ("Hoàn thành trong tháng 9/2021", due(2021, 9, 30)),
            ("Chậm nhất ngày 15/10/2023", due(2023, 10, 15)),
            ("Đến ngày 15/10/2023", due(2023, 10, 15)),
            ("05-01-2023", due(2023, 1, 5)),
            ("5.1.2023", due(2023, 1, 5)),
            ("2023-01-05", due(2023, 1, 5)),
            ("ngày 15 tháng 10 năm 2023", due(2023, 10, 15)),
            ("6 tháng cuối năm 2024", due(2024, 12, 31)),
            ("9 tháng đầu năm 2024", due(2024, 9, 30)),
            ("Trong năm 2024", due(2024, 12, 31)),
            ("Cuối năm 2024", due(2024, 12, 31)),
            ("2024", due(2024, 12, 31)),
            ("9/2021", due(2021, 9, 30)),
            ("Từ tháng 7/2021 đến tháng 9/2021", due(2021, 9, 30)),
            ("Từ 01/7/2021 đến 30/9/2021", due(2021, 9, 30)),
            ("Tháng 7-9/2021", due(2021, 9, 30)),
            ("Tháng 7-10/2021", due(2021, 10, 31)),
            ("Tháng 9/21", due(2021, 9, 30)),
            ("Trước ngày 15/12/23", due(2023, 12, 15)),
        ];
        for (s, want) in cases {
            assert_eq!(parse_deadline(s, 2000), want, "{s}");
        }
    }

    #[test]
    fn several_periods() {
        let cases = [
            // The cases, plan year 2021.
            ("+ Năm 2021: Từ quý III đến quý IV.\n+ Từ năm 2022: hằng năm hoàn thành trước quý I", due(2021, 12, 31)),
            ("Quý I, II/2021", due(2021, 6, 30)),
            ("Quý I và II năm 2021", due(2021, 6, 30)),
            ("Quý III - IV/2021", due(2021, 12, 31)),
            ("Quý I, II", due(2021, 6, 30)),
            ("Tháng 9/2021 (các năm sau hoàn thành trong Quý I/2022)", due(2021, 9, 30)),
            ("Tháng 7, 8/2021", due(2021, 8, 31)),
            ("Tháng 7 và 8 năm 2021", due(2021, 8, 31)),
            ("Từ 01/7/2021 đến 30/6/2022", due(2021, 12, 31)),
            ("Từ năm 2020 đến năm 2025", due(2021, 12, 31)),
            ("Quý IV/2020; Quý IV/2021; Quý IV/2022", due(2021, 12, 31)),
        ];
        for (s, want) in cases {
            assert_eq!(parse_deadline(s, 2021), want, "{s}");
        }
        // The plan's year is none of those named: vanban cannot tell.
        assert_eq!(parse_deadline("Tháng 9/2021 (… Quý I/2022)", 2023), Deadline::Unclear);
        // The part of the plan's year, whichever it is.
        assert_eq!(parse_deadline("Tháng 9/2021 (các năm sau: Quý I/2022)", 2022), due(2022, 3, 31));
    }

    #[test]
    fn plan_year_fills_in() {
        assert_eq!(parse_deadline("Trước ngày 5/3", 2022), due(2022, 3, 5));
        assert_eq!(parse_deadline("Quý I", 2022), due(2022, 3, 31));
        assert_eq!(parse_deadline("Tháng 9", 2022), due(2022, 9, 30));
        assert_eq!(parse_deadline("Tháng 7 - 9", 2022), due(2022, 9, 30));
        assert_eq!(parse_deadline("6 tháng đầu năm", 2022), due(2022, 6, 30));
        assert_eq!(parse_deadline("Cuối năm", 2022), due(2022, 12, 31));
        assert_eq!(parse_deadline("ngày 15 tháng 10", 2022), due(2022, 10, 15));
    }

    #[test]
    fn recurring() {
        for s in [
            "Thường xuyên",
            "thuong xuyen",
            "Hằng năm",
            "Hàng năm",
            "Hàng quý",
            "Hằng quý",
            "Hàng tháng",
            "Hằng tháng",
            "Định kỳ 6 tháng",
            "Theo yêu cầu",
            "Khi có yêu cầu",
            "Liên tục",
            "- Thường xuyên",
            "Thực hiện thường xuyên",
        ] {
            assert_eq!(parse_deadline(s, 2021), Deadline::Recurring, "{s}");
        }
    }

    #[test]
    fn unknown() {
        for s in [
            "",
            "   ",
            "31/02/2021",
            "Trước ngày 31/02/2021",
            "Tháng 13/2021",
            "Quý V/2023",
            "Quý 0/2023",
            "Sớm",
            "🎉",
            "ngày 99999999999999999999 tháng 1",
            "ngày 30 tháng 2 năm 2021",
            "Tháng 99999999999/2021",
            "99999999999999999999",
            "Sau khi xong",
            "NaN",
            "13 tháng đầu năm 2024",
            "99999999999999999999999/12/2021",
            "1/2/345",
            "5/13",
        ] {
            assert_eq!(parse_deadline(s, 2021), Deadline::Unknown, "{s}");
        }
    }
}
