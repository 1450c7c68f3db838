//! Task states on an as-of date, and the statistics of a quarterly report
//! (`report.md`: "A task's state on the as-of date").

use serde::Serialize;

use crate::vi::date::Date;
use crate::vi::deadline::{parse_deadline, Deadline};
use crate::vi::fold::match_key;
use crate::workbook::model::TaskRow;

/// `Trạng thái` as marked in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Marked {
    Done,
    InProgress,
    NotStarted,
}

impl Marked {
    /// From the cell's text; `None` when it is none of the known words. The
    /// one parser of the words people type (`HT`, `Đã hoàn thành`, `Đang
    /// triển khai`…), for sheet NhiemVu and for the returned forms alike.
    pub fn parse(s: &str) -> Option<Marked> {
        let k = match_key(s);
        match k.trim_end_matches(['!', ';', ',']) {
            "" | "chuathuchien" | "chuatrienkhai" | "chuabatdau" | "chualam" | "cth" => Some(Marked::NotStarted),
            "hoanthanh" | "dahoanthanh" | "xong" | "daxong" | "ht" | "dht" | "hoantat" | "dahoantat" => {
                Some(Marked::Done)
            }
            "dangthuchien" | "dangtrienkhai" | "danglam" | "dangtienhanh" | "dangxuly" | "dth" => {
                Some(Marked::InProgress)
            }
            _ => None,
        }
    }

    /// The word the forms write for it.
    pub fn label(self) -> &'static str {
        match self {
            Marked::Done => "Hoàn thành",
            Marked::InProgress => "Đang thực hiện",
            Marked::NotStarted => "Chưa thực hiện",
        }
    }
}

/// A task's state on the as-of date: exactly one of five.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    HoanThanhDungHan,
    HoanThanhTreHan,
    QuaHan,
    DangThucHien,
    ChuaDenHan,
}

impl State {
    /// How the report prints the state.
    pub fn label(self) -> &'static str {
        match self {
            State::HoanThanhDungHan => "Hoàn thành đúng hạn",
            State::HoanThanhTreHan => "Hoàn thành trễ hạn",
            State::QuaHan => "Quá hạn chưa hoàn thành",
            State::DangThucHien => "Đang thực hiện",
            State::ChuaDenHan => "Chưa đến hạn",
        }
    }
    pub fn is_done(self) -> bool {
        matches!(self, State::HoanThanhDungHan | State::HoanThanhTreHan)
    }
}

/// What the state of a task depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub marked: Marked,
    /// Due date; none for recurring tasks and unreadable deadlines.
    pub due: Option<Date>,
    pub recurring: bool,
    pub done_on: Option<Date>,
}

impl Facts {
    /// The facts of a workbook task; `year` reads deadlines without a year.
    pub fn of(task: &TaskRow, year: i32) -> Facts {
        let deadline = task.deadline.as_ref().map_or(Deadline::Unknown, |d| parse_deadline(&d.text, year));
        let marked = task.status.as_ref().and_then(|s| Marked::parse(&s.text)).unwrap_or(Marked::NotStarted);
        Facts {
            marked,
            due: match deadline {
                Deadline::Due(d) => Some(d),
                _ => None,
            },
            recurring: deadline == Deadline::Recurring,
            done_on: task.done_on.as_ref().map(|d| d.date),
        }
    }
}

/// The state on `as_of`, by the table of report.md.
pub fn state(f: &Facts, as_of: Date) -> State {
    // Done by the as-of date: marked done (or given a completion date), and
    // not completed after the as-of date.
    let done = match f.done_on {
        Some(d) => d <= as_of && f.marked != Marked::InProgress,
        None => f.marked == Marked::Done,
    };
    if done {
        return match (f.due, f.done_on) {
            (Some(due), Some(on)) if on > due => State::HoanThanhTreHan,
            _ => State::HoanThanhDungHan,
        };
    }
    if f.due.is_some_and(|due| due < as_of) {
        return State::QuaHan;
    }
    if f.marked == Marked::InProgress || f.recurring {
        return State::DangThucHien;
    }
    State::ChuaDenHan
}

/// The five counts and the completion rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Stats {
    pub tong: usize,
    pub hoan_thanh: usize,
    pub hoan_thanh_dung_han: usize,
    pub hoan_thanh_tre_han: usize,
    pub dang_thuc_hien: usize,
    pub qua_han: usize,
    pub chua_den_han: usize,
    /// Percentage 0–100: (đúng hạn + trễ hạn) / total.
    pub ty_le_hoan_thanh: f64,
}

impl Stats {
    pub fn of(states: impl IntoIterator<Item = State>) -> Stats {
        let mut s = Stats::default();
        for st in states {
            s.tong += 1;
            match st {
                State::HoanThanhDungHan => s.hoan_thanh_dung_han += 1,
                State::HoanThanhTreHan => s.hoan_thanh_tre_han += 1,
                State::QuaHan => s.qua_han += 1,
                State::DangThucHien => s.dang_thuc_hien += 1,
                State::ChuaDenHan => s.chua_den_han += 1,
            }
        }
        s.hoan_thanh = s.hoan_thanh_dung_han + s.hoan_thanh_tre_han;
        s.ty_le_hoan_thanh = if s.tong == 0 { 0.0 } else { s.hoan_thanh as f64 * 100.0 / s.tong as f64 };
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).expect("valid date")
    }

    fn facts(marked: Marked, due: Option<Date>, done_on: Option<Date>) -> Facts {
        Facts { marked, due, recurring: false, done_on }
    }

    const AS_OF: (i32, u8, u8) = (2023, 9, 30);

    fn as_of() -> Date {
        d(AS_OF.0, AS_OF.1, AS_OF.2)
    }

    #[test]
    fn done_on_time_late_and_without_dates() {
        let due = Some(d(2023, 9, 10));
        assert_eq!(state(&facts(Marked::Done, due, Some(d(2023, 9, 10))), as_of()), State::HoanThanhDungHan);
        assert_eq!(state(&facts(Marked::Done, due, Some(d(2023, 9, 11))), as_of()), State::HoanThanhTreHan);
        // No completion date: counted on time.
        assert_eq!(state(&facts(Marked::Done, due, None), as_of()), State::HoanThanhDungHan);
        // No due date: on time.
        assert_eq!(state(&facts(Marked::Done, None, Some(d(2023, 9, 29))), as_of()), State::HoanThanhDungHan);
    }

    #[test]
    fn completion_after_as_of_is_not_yet_done() {
        let due = Some(d(2023, 9, 10));
        // Completed the day after the as-of date: overdue on the as-of date.
        assert_eq!(state(&facts(Marked::Done, due, Some(d(2023, 10, 1))), as_of()), State::QuaHan);
        // … or not yet due when the due date is later.
        let later = Some(d(2023, 12, 31));
        assert_eq!(state(&facts(Marked::Done, later, Some(d(2023, 10, 1))), as_of()), State::ChuaDenHan);
        // Completed on the as-of date itself: done.
        assert_eq!(state(&facts(Marked::Done, later, Some(as_of())), as_of()), State::HoanThanhDungHan);
    }

    #[test]
    fn due_on_as_of_is_not_overdue() {
        assert_eq!(state(&facts(Marked::NotStarted, Some(as_of()), None), as_of()), State::ChuaDenHan);
        assert_eq!(state(&facts(Marked::InProgress, Some(as_of()), None), as_of()), State::DangThucHien);
        assert_eq!(state(&facts(Marked::NotStarted, Some(d(2023, 9, 29)), None), as_of()), State::QuaHan);
        assert_eq!(state(&facts(Marked::InProgress, Some(d(2023, 9, 29)), None), as_of()), State::QuaHan);
    }

    #[test]
    fn recurring_and_unreadable_deadlines() {
        let recurring = Facts { marked: Marked::NotStarted, due: None, recurring: true, done_on: None };
        assert_eq!(state(&recurring, as_of()), State::DangThucHien);
        // Unreadable deadline = no due date: never overdue.
        assert_eq!(state(&facts(Marked::NotStarted, None, None), as_of()), State::ChuaDenHan);
        assert_eq!(state(&facts(Marked::InProgress, None, None), as_of()), State::DangThucHien);
    }

    #[test]
    fn completion_date_without_mark_counts_as_done() {
        assert_eq!(state(&facts(Marked::NotStarted, None, Some(d(2023, 8, 1))), as_of()), State::HoanThanhDungHan);
        // "Đang thực hiện" with a date stays in progress (the mark wins).
        assert_eq!(state(&facts(Marked::InProgress, None, Some(d(2023, 8, 1))), as_of()), State::DangThucHien);
    }

    #[test]
    fn counts_add_up() {
        let states = [
            State::HoanThanhDungHan,
            State::HoanThanhDungHan,
            State::HoanThanhTreHan,
            State::QuaHan,
            State::DangThucHien,
            State::ChuaDenHan,
            State::ChuaDenHan,
            State::ChuaDenHan,
        ];
        let s = Stats::of(states);
        assert_eq!(s.tong, 8);
        assert_eq!(
            s.hoan_thanh_dung_han + s.hoan_thanh_tre_han + s.qua_han + s.dang_thuc_hien + s.chua_den_han,
            s.tong
        );
        assert_eq!(s.hoan_thanh, 3);
        assert!((s.ty_le_hoan_thanh - 37.5).abs() < 1e-9);
        assert_eq!(Stats::of([]).ty_le_hoan_thanh, 0.0);
    }

    #[test]
    fn marks() {
        assert_eq!(Marked::parse("Hoàn thành"), Some(Marked::Done));
        assert_eq!(Marked::parse("ĐANG THỰC HIỆN"), Some(Marked::InProgress));
        assert_eq!(Marked::parse(""), Some(Marked::NotStarted));
        assert_eq!(Marked::parse("Chưa thực hiện"), Some(Marked::NotStarted));
        assert_eq!(Marked::parse("xyz"), None);
        assert_eq!(Marked::parse("HT"), Some(Marked::Done));
        assert_eq!(Marked::parse("Đã hoàn thành"), Some(Marked::Done));
        assert_eq!(Marked::parse("hoàn thành"), Some(Marked::Done));
        assert_eq!(Marked::parse("Đang triển khai"), Some(Marked::InProgress));
        assert_eq!(Marked::parse("Chưa hoàn thành"), None);
        for m in [Marked::Done, Marked::InProgress, Marked::NotStarted] {
            assert_eq!(Marked::parse(m.label()), Some(m));
        }
    }
}
