//! Dates and document numbers as Vietnamese administrative documents write
//! them (Nghị định 30/2020/NĐ-CP): a day below 10 and the months 1 and 2 get a
//! leading zero, the months 3–12 do not (`ngày 05 tháng 01`, `ngày 30 tháng 6`).

use crate::vi::date::Date;

/// Day with the decree's leading zero below 10: `05`, `30`.
pub fn day_str(d: &Date) -> String {
    format!("{:02}", d.day)
}

/// Month with a leading zero only for January and February: `01`, `02`, `6`.
pub fn month_str(d: &Date) -> String {
    if d.month <= 2 {
        format!("{:02}", d.month)
    } else {
        d.month.to_string()
    }
}

/// The date in words: `ngày 05 tháng 01 năm 2023`, `ngày 30 tháng 6 năm 2021`.
pub fn long(d: &Date) -> String {
    format!("ngày {} tháng {} năm {}", day_str(d), month_str(d), d.year)
}

/// `dd/mm/yyyy`, always two digits for day and month: `05/01/2023`, `30/06/2021`.
pub fn short(d: &Date) -> String {
    format!("{:02}/{:02}/{}", d.day, d.month, d.year)
}

/// The date in a reference line, with the decree's zeros: `30/6/2021`, `05/01/2023`.
pub fn reference(d: &Date) -> String {
    format!("{}/{}/{}", day_str(d), month_str(d), d.year)
}

/// Document number with a leading zero below 10 (`5` → `05`); other text is kept, trimmed.
pub fn so(n: &str) -> String {
    let t = n.trim();
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        if t.len() == 1 {
            return format!("0{t}");
        }
        return t.to_string();
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn leading_zeros_follow_the_decree() {
        assert_eq!(day_str(&d(2023, 1, 5)), "05");
        assert_eq!(day_str(&d(2023, 1, 15)), "15");
        assert_eq!(month_str(&d(2023, 1, 5)), "01");
        assert_eq!(month_str(&d(2023, 2, 5)), "02");
        assert_eq!(month_str(&d(2023, 3, 5)), "3");
        assert_eq!(month_str(&d(2023, 6, 5)), "6");
        assert_eq!(month_str(&d(2023, 12, 5)), "12");
    }

    #[test]
    fn long_dates() {
        assert_eq!(long(&d(2023, 1, 5)), "ngày 05 tháng 01 năm 2023");
        assert_eq!(long(&d(2021, 6, 30)), "ngày 30 tháng 6 năm 2021");
        assert_eq!(long(&d(2024, 2, 8)), "ngày 08 tháng 02 năm 2024");
        assert_eq!(long(&d(2024, 12, 31)), "ngày 31 tháng 12 năm 2024");
    }

    #[test]
    fn short_dates_always_two_digits() {
        assert_eq!(short(&d(2023, 1, 5)), "05/01/2023");
        assert_eq!(short(&d(2021, 6, 30)), "30/06/2021");
        assert_eq!(short(&d(2021, 11, 9)), "09/11/2021");
    }

    #[test]
    fn reference_dates() {
        assert_eq!(reference(&d(2021, 6, 30)), "30/6/2021");
        assert_eq!(reference(&d(2021, 6, 8)), "08/6/2021");
        assert_eq!(reference(&d(2023, 1, 5)), "05/01/2023");
        assert_eq!(reference(&d(2023, 10, 15)), "15/10/2023");
    }

    #[test]
    fn document_numbers() {
        assert_eq!(so("5"), "05");
        assert_eq!(so(" 5 "), "05");
        assert_eq!(so("54"), "54");
        assert_eq!(so("05"), "05");
        assert_eq!(so("0"), "00");
        assert_eq!(so("123"), "123");
        assert_eq!(so(" 12a "), "12a");
        assert_eq!(so(""), "");
        assert_eq!(so("   "), "");
        assert_eq!(so("٥"), "٥");
        assert_eq!(so("🎉"), "🎉");
    }
}
