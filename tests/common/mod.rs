//! Shared helpers of the end-to-end tests: the one workbook builder (sheets
//! of rows of cells: text, numbers, dates, booleans, formulas with their
//! cached results; edited by label or by A1 address; written with
//! rust_xlsxwriter), a runner for the real binary, and the PDF reader
//! (`pdf.rs`).
#![allow(dead_code)]

pub mod pdf;

use std::path::{Path, PathBuf};
use std::process::Command;

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

#[allow(unused_imports)]
pub use pdf::{Page, Pdf, Run};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text; `\n` is a line break in the cell (Alt+Enter).
    T(String),
    N(f64),
    /// A real date cell (year, month, day) shown `dd/mm/yyyy`.
    D(u16, u8, u8),
    /// A boolean cell (TRUE / FALSE).
    B(bool),
    /// A formula with the value Excel cached for it (formula, result); an
    /// Excel error as result (`#REF!`, `#N/A`, …) gives a real error cell.
    F(String, String),
    E,
}

pub use Cell::{D, E, N};

/// A text cell.
pub fn t(s: impl Into<String>) -> Cell {
    Cell::T(s.into())
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        if s.is_empty() {
            Cell::E
        } else {
            Cell::T(s.to_string())
        }
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::from(s.as_str())
    }
}
impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::N(n)
    }
}
impl From<bool> for Cell {
    fn from(b: bool) -> Cell {
        Cell::B(b)
    }
}
impl From<i32> for Cell {
    fn from(n: i32) -> Cell {
        Cell::N(f64::from(n))
    }
}

/// A formula cell whose cached value is `result`.
pub fn formula(f: &str, result: &str) -> Cell {
    Cell::F(f.to_string(), result.to_string())
}

/// A row of cells from values of mixed kinds: `row!["VPS", 1, 8.25]`
/// (an empty string is an empty cell).
#[allow(unused_macros)] // not every binary that includes this module builds rows
macro_rules! row {
    ($($x:expr),* $(,)?) => { vec![$($crate::common::Cell::from($x)),*] };
}
#[allow(unused_imports)]
pub(crate) use row;

/// Converts arrays of anything cell-like into rows.
pub fn rows<const W: usize, C: Into<Cell> + Clone>(rows: &[[C; W]]) -> Vec<Vec<Cell>> {
    rows.iter().map(|r| r.iter().cloned().map(Into::into).collect()).collect()
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    /// Row 0 is the header row.
    pub rows: Vec<Vec<Cell>>,
}

/// A workbook being built.
#[derive(Debug, Clone, Default)]
pub struct Book {
    pub sheets: Vec<Sheet>,
}

pub const THONG_TIN: &str = "ThongTin";
pub const BAO_CAO: &str = "BaoCao";

/// Task columns of [`Book::plan`] (the NhiemVu header row).
pub const TASK_HEADERS: [&str; 10] = [
    "STT",
    "Nhóm",
    "Nội dung",
    "Chủ trì",
    "Phối hợp",
    "Thời hạn",
    "Trạng thái",
    "Tiến độ (%)",
    "Ngày hoàn thành",
    "Kết quả thực hiện",
];

impl Book {
    pub fn new() -> Book {
        Book::default()
    }

    /// A complete plan: Kế hoạch số 54/KH-SNNPTNT ngày 30/6/2021 of the Sở
    /// Nông nghiệp An Giang, with a narrative, `n_tasks` tasks, metrics and units.
    pub fn plan(n_tasks: usize) -> Book {
        let info: Vec<(&str, Cell)> = vec![
            ("Loại văn bản", t("KẾ HOẠCH")),
            ("Cơ quan chủ quản", t("UBND TỈNH AN GIANG")),
            ("Cơ quan ban hành", t("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN")),
            ("Số", N(54.0)),
            ("Ký hiệu", t("KH-SNNPTNT")),
            ("Địa danh", t("An Giang")),
            ("Ngày ban hành", D(2021, 6, 30)),
            ("Năm", N(2021.0)),
            ("Trích yếu", t("Khắc phục, nâng cao chỉ số cải cách hành chính năm 2021")),
            ("Căn cứ", t("Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;")),
            ("Căn cứ", t("Căn cứ Quyết định số 1234/QĐ-UBND ngày 20/5/2021 của Ủy ban nhân dân tỉnh An Giang công bố Chỉ số cải cách hành chính năm 2020")),
            ("Mở đầu", t("Năm 2020, Chỉ số cải cách hành chính của Sở đạt 85,12 điểm. Để khắc phục những tồn tại, hạn chế, Sở Nông nghiệp và Phát triển nông thôn ban hành Kế hoạch năm {{ nam }} như sau:")),
            ("Kết thúc", t("Trên đây là Kế hoạch khắc phục, nâng cao chỉ số cải cách hành chính năm 2021 của Sở Nông nghiệp và Phát triển nông thôn.")),
            ("Quyền hạn ký", t("KT. GIÁM ĐỐC")),
            ("Chức vụ người ký", t("PHÓ GIÁM ĐỐC")),
            ("Người ký", t("Võ Thị Thanh Vân")),
            ("Nơi nhận", t("UBND tỉnh (để báo cáo);")),
            ("Nơi nhận", t("Giám đốc, các Phó Giám đốc Sở;")),
            ("Nơi nhận", t("Các phòng, đơn vị thuộc Sở")),
            ("Lưu", t("VT, VPS")),
            ("Trình bày nhiệm vụ", t("bảng")),
            ("Đánh số cấp 3", t("1.1.")),
        ];
        let noi_dung = rows(&[
            ["1", "MỤC ĐÍCH, YÊU CẦU", ""],
            ["2", "Mục đích", ""],
            ["", "", "Nâng cao nhận thức, trách nhiệm của người đứng đầu các phòng, đơn vị thuộc Sở trong triển khai nhiệm vụ cải cách hành chính; khắc phục những tồn tại, hạn chế năm 2020."],
            ["-", "", "Khắc phục các tiêu chí bị trừ điểm năm 2020 của Chỉ số cải cách hành chính."],
            ["+", "", "Phấn đấu Chỉ số cải cách hành chính năm 2021 đạt từ 88 điểm trở lên."],
            ["2", "Yêu cầu", "Việc triển khai phải bám sát nội dung, tiêu chí chấm điểm của từng chỉ số."],
            ["3", "Đối với các phòng", "Xác định rõ nhiệm vụ, thời hạn hoàn thành và trách nhiệm của từng phòng."],
            ["3", "Đối với các đơn vị", "Phối hợp chặt chẽ, thường xuyên trong quá trình thực hiện."],
            ["1", "NHIỆM VỤ, GIẢI PHÁP", "Các phòng, đơn vị thuộc Sở tập trung triển khai các nhiệm vụ sau:"],
            ["NHIEMVU", "", ""],
            ["1", "CHỈ TIÊU", "Phấn đấu năm 2021 các chỉ số của Sở đạt và vượt mục tiêu tại bảng dưới đây."],
            ["CHISO", "", ""],
            ["1", "TỔ CHỨC THỰC HIỆN", "Văn phòng Sở là đầu mối theo dõi, đôn đốc, kiểm tra việc triển khai Kế hoạch; tổng hợp kết quả, báo cáo Giám đốc Sở."],
        ]);
        let chi_so = rows(&[
            ["PAR", "Chỉ số cải cách hành chính (PAR INDEX)", "100", "85,12", "7/17", "89,87", "VPS"],
            ["SIPAS", "Chỉ số hài lòng của người dân (SIPAS)", "100", "80,5", "5/17", "85", "VPS"],
            ["TONG", "Tổng", "200", "165,62", "", "174,87", ""],
        ]);
        let don_vi = rows(&[
            ["VPS", "Văn phòng Sở", "VP", "Nguyễn Văn An", "CHÁNH VĂN PHÒNG", "KH-VPS"],
            ["TCCB", "Phòng Tổ chức cán bộ", "TCCB", "", "", ""],
            ["CCTY", "Chi cục Chăn nuôi và Thú y", "CCCNTY", "", "", ""],
        ]);
        Book::new()
            .info(&info)
            .sheet("NoiDung", &["Cấp", "Tiêu đề", "Nội dung"], noi_dung)
            .sheet("NhiemVu", &TASK_HEADERS, task_rows(n_tasks))
            .sheet(
                "ChiSo",
                &[
                    "Mã",
                    "Chỉ số",
                    "Điểm tối đa",
                    "Kết quả năm trước",
                    "Xếp hạng năm trước",
                    "Mục tiêu",
                    "Đơn vị phụ trách",
                ],
                chi_so,
            )
            .sheet("DonVi", &["Mã", "Tên đơn vị", "Tên viết tắt", "Người ký", "Chức vụ", "Ký hiệu"], don_vi)
    }

    /// Replaces (or adds) a sheet: a header row, then `body`.
    pub fn sheet(self, name: &str, header: &[&str], body: Vec<Vec<Cell>>) -> Book {
        let mut all = vec![header.iter().map(|h| Cell::from(*h)).collect::<Vec<_>>()];
        all.extend(body);
        self.table(name, all)
    }

    /// Replaces (or adds) a sheet of `rows` as given, from A1 on.
    pub fn table(mut self, name: &str, rows: Vec<Vec<Cell>>) -> Book {
        let s = Sheet { name: name.to_string(), rows };
        match self.sheets.iter_mut().find(|x| x.name == name) {
            Some(x) => *x = s,
            None => self.sheets.push(s),
        }
        self
    }

    /// Sheet ThongTin from label/value pairs.
    pub fn info(self, pairs: &[(&str, Cell)]) -> Book {
        let body = pairs.iter().map(|(l, v)| vec![Cell::from(*l), v.clone()]).collect();
        self.sheet(THONG_TIN, &["Mục", "Giá trị"], body)
    }

    /// Sheet BaoCao from label/value pairs.
    pub fn bao_cao(self, pairs: &[(&str, Cell)]) -> Book {
        let body = pairs.iter().map(|(l, v)| vec![Cell::from(*l), v.clone()]).collect();
        self.sheet(BAO_CAO, &["Mục", "Giá trị"], body)
    }

    pub fn without(mut self, sheet: &str) -> Book {
        self.sheets.retain(|s| s.name != sheet);
        self
    }

    pub fn get(&self, sheet: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == sheet)
    }

    fn get_mut(&mut self, sheet: &str) -> &mut Sheet {
        if self.get(sheet).is_none() {
            self.sheets.push(Sheet { name: sheet.into(), rows: vec![vec![t("Mục"), t("Giá trị")]] });
        }
        self.sheets.iter_mut().find(|s| s.name == sheet).expect("sheet")
    }

    /// Sets a label of ThongTin: the first row with it gets the value (an
    /// empty value blanks the cell), later rows with it are removed; a new row
    /// at the end when absent.
    pub fn set(self, label: &str, value: impl Into<Cell>) -> Book {
        self.set_in(THONG_TIN, label, value)
    }

    pub fn set_in(mut self, sheet: &str, label: &str, value: impl Into<Cell>) -> Book {
        let value = value.into();
        let s = self.get_mut(sheet);
        let mut seen = false;
        s.rows.retain_mut(|r| {
            if r.first() == Some(&Cell::from(label)) {
                if seen {
                    return false;
                }
                seen = true;
                r.truncate(1);
                r.push(value.clone());
            }
            true
        });
        if !seen {
            s.rows.push(vec![Cell::from(label), value]);
        }
        self
    }

    /// Removes every row of a ThongTin label.
    pub fn unset(mut self, label: &str) -> Book {
        self.get_mut(THONG_TIN).rows.retain(|r| r.first() != Some(&Cell::from(label)));
        self
    }

    /// Adds a row (a repeating label) to a label/value sheet.
    pub fn add_in(mut self, sheet: &str, label: &str, value: impl Into<Cell>) -> Book {
        self.get_mut(sheet).rows.push(vec![Cell::from(label), value.into()]);
        self
    }

    pub fn add(self, label: &str, value: impl Into<Cell>) -> Book {
        self.add_in(THONG_TIN, label, value)
    }

    /// Sets the cell at `Sheet!A1` (the sheet must exist); the rows and
    /// columns before it are filled with empty cells.
    pub fn set_at(mut self, at: &str, value: impl Into<Cell>) -> Book {
        let (sheet, (r, c)) = parse_at(at);
        let s = self.sheets.iter_mut().find(|s| s.name == sheet).unwrap_or_else(|| panic!("no sheet {sheet}"));
        if s.rows.len() <= r {
            s.rows.resize(r + 1, Vec::new());
        }
        let row = &mut s.rows[r];
        if row.len() <= c {
            row.resize(c + 1, Cell::E);
        }
        row[c] = value.into();
        self
    }

    /// Empties the cell at `Sheet!A1`.
    pub fn clear_at(self, at: &str) -> Book {
        self.set_at(at, Cell::E)
    }

    /// Renames a sheet.
    pub fn rename(mut self, from: &str, to: &str) -> Book {
        if let Some(s) = self.sheets.iter_mut().find(|s| s.name == from) {
            s.name = to.into();
        }
        self
    }

    /// Replaces the header row of a sheet.
    pub fn headers(mut self, sheet: &str, header: &[&str]) -> Book {
        let s = self.get_mut(sheet);
        s.rows[0] = header.iter().map(|h| Cell::from(*h)).collect();
        self
    }

    /// Applies `f` to every text cell of every sheet (not to sheet names).
    pub fn map_text(mut self, f: impl Fn(&str) -> String) -> Book {
        for s in &mut self.sheets {
            for r in &mut s.rows {
                for c in r.iter_mut() {
                    if let Cell::T(x) = c {
                        *x = f(x);
                    }
                }
            }
        }
        self
    }

    /// The workbook as `.xlsx` bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut wb = Workbook::new();
        let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
        for s in &self.sheets {
            let ws = wb.add_worksheet();
            ws.set_name(&s.name).expect("sheet name");
            for (r, row) in s.rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (r as u32, c as u16);
                    match cell {
                        Cell::T(x) => {
                            ws.write_string(r, c, x).expect("write");
                        }
                        Cell::N(n) => {
                            ws.write_number(r, c, *n).expect("write");
                        }
                        Cell::D(y, m, d) => {
                            let date = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                            ws.write_datetime_with_format(r, c, &date, &date_fmt).expect("write");
                        }
                        Cell::B(b) => {
                            ws.write_boolean(r, c, *b).expect("write");
                        }
                        Cell::F(f, result) => {
                            ws.write_formula(r, c, Formula::new(f.as_str()).set_result(result.as_str()))
                                .expect("write");
                        }
                        Cell::E => {}
                    }
                }
            }
        }
        wb.save_to_buffer().expect("save workbook")
    }

    /// Writes the workbook (`.xlsx`).
    pub fn write(&self, path: &Path) {
        std::fs::write(path, self.bytes()).expect("write workbook");
    }

    /// Writes the workbook as `dir/name`; returns `name` (a path relative to
    /// `dir`, the binary's working directory, so messages show it as given).
    pub fn save(&self, dir: &Path, name: &str) -> String {
        self.write(&dir.join(name));
        name.to_string()
    }
}

/// `"NhiemVu!F7"` → `("NhiemVu", (6, 5))`: the sheet and the zero-based
/// row and column.
fn parse_at(at: &str) -> (&str, (usize, usize)) {
    let (sheet, a1) = at.split_once('!').expect("Sheet!A1");
    let letters = a1.chars().take_while(char::is_ascii_alphabetic).count();
    let col = a1[..letters].bytes().fold(0, |acc, b| acc * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1));
    let row: usize = a1[letters..].parse().expect("row number");
    (sheet, (row - 1, col - 1))
}

/// `n` tasks in 5 groups, every one with lead unit, support and deadline.
pub fn task_rows(n: usize) -> Vec<Vec<Cell>> {
    const GROUPS: [&str; 5] = [
        "Công tác chỉ đạo, điều hành",
        "Cải cách thủ tục hành chính",
        "Cải cách tổ chức bộ máy",
        "Cải cách tài chính công",
        "Xây dựng chính quyền điện tử",
    ];
    const UNITS: [&str; 3] = ["VPS", "TCCB", "CCTY"];
    (0..n)
        .map(|i| {
            let g = GROUPS[(i * GROUPS.len()) / n.max(1)];
            vec![
                E,
                t(g),
                t(format!(
                    "Nhiệm vụ số {} về cải cách hành chính: rà soát, đánh giá và đề xuất giải pháp nâng cao chất lượng phục vụ người dân, doanh nghiệp",
                    i + 1
                )),
                t(UNITS[i % 3]),
                t(UNITS[(i + 1) % 3]),
                t(format!("Quý {}/2021", ["I", "II", "III", "IV"][i % 4])),
                E,
                E,
                E,
                E,
            ]
        })
        .collect()
}

/// A scratch directory (removed on drop).
pub fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("vanban-test-").tempdir().expect("tempdir")
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_vanban")
}

/// The outcome of a run.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Shown in full in a failed assertion: exit code, stdout, stderr.
impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

impl Out {
    pub fn ok(&self) -> bool {
        self.code == 0
    }
}

/// Runs the binary in `dir` with `args` (as given: add
/// `--ignore-system-fonts` yourself, or use [`render`]).
pub fn run_in(dir: &Path, args: &[&str]) -> Out {
    let out = Command::new(bin()).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run vanban");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs the binary in the current directory.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let o = run_in(Path::new("."), args);
    (o.code, o.stdout, o.stderr)
}

/// A rendered document.
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pdf: Pdf,
    pub out: Out,
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

/// Writes `book`, runs `vanban <cmd> book.xlsx -o out.pdf --ignore-system-fonts
/// <extra>`, asserts success and reads the PDF back.
pub fn render(book: &Book, cmd: &str, extra: &[&str]) -> Rendered {
    let dir = tmp();
    book.write(&dir.path().join("wb.xlsx"));
    let mut args = vec![cmd, "wb.xlsx", "-o", "out.pdf", "--ignore-system-fonts"];
    args.extend_from_slice(extra);
    let out = run_in(dir.path(), &args);
    assert!(out.ok(), "vanban {args:?} failed ({}):\n{}\n{}", out.code, out.stdout, out.stderr);
    let path = dir.path().join("out.pdf");
    let bytes = std::fs::read(&path).expect("PDF written");
    let pdf = Pdf::load(&bytes).expect("PDF readable");
    Rendered { bytes, pdf, out, dir, path }
}

pub fn plan(book: &Book) -> Rendered {
    render(book, "plan", &[])
}

/// A4 in points.
pub const A4_W: f64 = 595.28;
pub const A4_H: f64 = 841.89;
pub const MM: f64 = 72.0 / 25.4;
/// Text area of an A4 portrait page (margins 30 / 15 / 20 mm).
pub const LEFT: f64 = 30.0 * MM;
pub const RIGHT: f64 = A4_W - 15.0 * MM;
pub const TOP: f64 = 20.0 * MM;
pub const CENTRE: f64 = (LEFT + RIGHT) / 2.0;

/// Asserts `a ≈ b` within `tol`.
#[track_caller]
pub fn near(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: {a:.2} is not within {tol} of {b:.2}");
}

/// Checks a plan's appendix (the pages after the signature): landscape A4
/// without the national header, the first page headed by a bold 14 pt
/// `PHỤ LỤC` centred over the landscape text area. Returns the first page
/// and that label. `size_tol`: how far the label's size may be off (PDF of
/// another engine rounds more).
#[track_caller]
pub fn check_appendix(appendix: &[pdf::Page], size_tol: f64) -> (&pdf::Page, &pdf::Run) {
    for p in appendix {
        near(p.width, A4_H, 1.0, "landscape width");
        near(p.height, A4_W, 1.0, "landscape height");
        assert!(!p.text().contains("CỘNG HÒA"), "no national header in the appendix");
    }
    let first = appendix.first().expect("an appendix after the signature");
    let centre = (LEFT + A4_H - 15.0 * MM) / 2.0;
    let label = first.spans.iter().find(|s| s.text.trim() == "PHỤ LỤC").expect("PHỤ LỤC");
    assert!(label.is_bold());
    near(label.size, 14.0, size_tol, "size of «PHỤ LỤC»");
    near(label.centre(), centre, 5.0, "PHỤ LỤC centred");
    (first, label)
}
