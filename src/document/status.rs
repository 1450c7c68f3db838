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
    /// one parser of the words people type, for sheet NhiemVu and for the
    /// returned forms alike.
    ///
    /// What each word counts as (docs/tep-excel.md, "Trạng thái"):
    /// - done: `Hoàn thành`, `Đã hoàn thành`, `HT`, `Xong`, `Đã thực hiện`,
    ///   `Hoàn thành 100%`, `Hoàn thành đúng hạn/trễ hạn`;
    /// - in progress: `Đang thực hiện`, `Đang triển khai`, `Đang làm`,
    ///   `Đang tiến hành`, `Chưa hoàn thành`, `Hoàn thành 80%` (a share below
    ///   100%), `Tạm dừng` / `Tạm ngưng` (begun, not finished; `check` says so);
    /// - not started: blank, `Chưa thực hiện`, `Chưa triển khai`, `Chưa bắt
    ///   đầu`, `Không thực hiện` / `Hủy` (not done; `check` says so).
    pub fn parse(s: &str) -> Option<Marked> {
        let (words, share) = split_share(s);
        let key = match_key(&words);
        let marked = match key.trim_end_matches(['!', ';', ',']) {
            "" | "chuathuchien" | "chuatrienkhai" | "chuabatdau" | "chualam" | "cth" => Marked::NotStarted,
            "khongthuchien" | "khongtrienkhai" | "huy" | "dahuy" | "huybo" => Marked::NotStarted,
            "hoanthanh" | "dahoanthanh" | "xong" | "daxong" | "ht" | "daht" | "dathuchien" | "hoanthanhxong"
            | "hoanthanhdunghan" | "hoanthanhtrehan" | "dahoanthanhdunghan" | "dahoanthanhtrehan" | "dht"
            | "hoantat" | "dahoantat" => Marked::Done,
            "dangthuchien" | "dangtrienkhai" | "danglam" | "dangtienhanh" | "dth" | "chuahoanthanh" | "tamdung"
            | "tamngung" | "tamhoan" | "dangxuly" => Marked::InProgress,
            _ => return None,
        };
        // `Hoàn thành 80%`: 80% done is not done.
        Some(match (marked, share) {
            (Marked::Done, Some(p)) if p < 100.0 => Marked::InProgress,
            _ => marked,
        })
    }

    /// What `check` says about a word that counts as something else than it
    /// reads (`Tạm dừng`, `Không thực hiện`), or `None`.
    pub fn note(s: &str) -> Option<&'static str> {
        match match_key(&split_share(s).0).as_str() {
            "tamdung" | "tamngung" | "tamhoan" => Some(
                "được tính là chưa hoàn thành: «Đang thực hiện» khi chưa đến hạn, «Quá hạn chưa hoàn thành» khi đã qua hạn",
            ),
            "khongthuchien" | "khongtrienkhai" | "huy" | "dahuy" | "huybo" => {
                Some("được tính là chưa thực hiện (vẫn có trong tổng số nhiệm vụ, quá hạn khi đã qua hạn)")
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

/// `Đã hoàn thành 100%` → (`Đã hoàn thành`, 100); a share in brackets too.
fn split_share(s: &str) -> (String, Option<f64>) {
    let t = s.trim();
    let Some(at) = t.find(|c: char| c.is_ascii_digit()) else {
        return (t.to_string(), None);
    };
    let tail = t[at..].trim_end_matches([')', ' ', '.']);
    let Some(num) = tail.strip_suffix('%').map(str::trim) else {
        return (t.to_string(), None);
    };
    match crate::vi::parse::parse_number(num) {
        Some(p) => (t[..at].trim().trim_end_matches(['(', '-', ':', ',']).trim().to_string(), Some(p)),
        None => (t.to_string(), None),
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
    /// `Tiến độ (%)` above 0: the task was started.
    pub started: bool,
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
            started: task.progress.as_ref().is_some_and(|p| p.value > 0.0),
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
    // Started by the as-of date: marked so, recurring, with progress, or
    // completed only after the as-of date (it was being worked on then).
    let completed_later = f.done_on.is_some_and(|d| d > as_of);
    if f.marked == Marked::InProgress || f.recurring || f.started || completed_later {
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

    #[test]
    fn status_words_as_typed() {
        let cases = [
            ("Đã hoàn thành 100%", Some(Marked::Done)),
            ("Hoàn thành (100%)", Some(Marked::Done)),
            ("HT", Some(Marked::Done)),
            ("hoàn thành", Some(Marked::Done)),
            ("Đã thực hiện", Some(Marked::Done)),
            ("Hoàn thành 80%", Some(Marked::InProgress)),
            ("Đang triển khai", Some(Marked::InProgress)),
            ("Đang thực hiện 50%", Some(Marked::InProgress)),
            ("Chưa hoàn thành", Some(Marked::InProgress)),
            ("Tạm dừng", Some(Marked::InProgress)),
            ("Không thực hiện", Some(Marked::NotStarted)),
            ("Chưa thực hiện", Some(Marked::NotStarted)),
            ("", Some(Marked::NotStarted)),
            ("Đã xong một nửa", None),
            ("Tốt", None),
        ];
        for (s, want) in cases {
            assert_eq!(Marked::parse(s), want, "{s}");
        }
        assert!(Marked::note("Tạm dừng").is_some());
        assert!(Marked::note("Không thực hiện").is_some());
        assert!(Marked::note("Hoàn thành").is_none());
    }

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).expect("valid date")
    }

    fn facts(marked: Marked, due: Option<Date>, done_on: Option<Date>) -> Facts {
        Facts { marked, due, recurring: false, done_on, started: false }
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
        // … or being worked on when the due date is later (report.md).
        let later = Some(d(2023, 12, 31));
        assert_eq!(state(&facts(Marked::Done, later, Some(d(2023, 10, 1))), as_of()), State::DangThucHien);
        assert_eq!(state(&facts(Marked::NotStarted, later, Some(d(2023, 10, 1))), as_of()), State::DangThucHien);
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
        let recurring = Facts { marked: Marked::NotStarted, due: None, recurring: true, done_on: None, started: false };
        assert_eq!(state(&recurring, as_of()), State::DangThucHien);
        // Unreadable deadline = no due date: never overdue.
        assert_eq!(state(&facts(Marked::NotStarted, None, None), as_of()), State::ChuaDenHan);
        assert_eq!(state(&facts(Marked::InProgress, None, None), as_of()), State::DangThucHien);
    }

    #[test]
    fn progress_above_zero_is_started() {
        let started = Facts { started: true, ..facts(Marked::NotStarted, Some(d(2023, 12, 31)), None) };
        assert_eq!(state(&started, as_of()), State::DangThucHien);
        // Overdue wins over started.
        let overdue = Facts { started: true, ..facts(Marked::NotStarted, Some(d(2023, 9, 1)), None) };
        assert_eq!(state(&overdue, as_of()), State::QuaHan);
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
        // Not yet finished: counted as being worked on (docs/tep-excel.md).
        assert_eq!(Marked::parse("Chưa hoàn thành"), Some(Marked::InProgress));
        for m in [Marked::Done, Marked::InProgress, Marked::NotStarted] {
            assert_eq!(Marked::parse(m.label()), Some(m));
        }
    }
}
