//! Problems found in a workbook or while rendering: each carries where it comes
//! from (file, sheet, cell or label) and a Vietnamese message; they are collected,
//! never fail-fast, so `check` can list every problem in one run.

use serde::Serialize;
use std::fmt;

/// How serious a problem is: an error stops rendering, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A cell of a sheet by zero-based row and column: ordered row first, then
/// column (reading order); written `F7` only by `Display` and in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&a1(self.row, self.col))
    }
}

impl Serialize for CellRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A place in a text file (a Typst template): one-based line and column,
/// written `mau.typ:2:5` with its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TextPos {
    pub line: u32,
    pub column: u32,
}

/// Where a problem is: the file, and when known the sheet and a cell
/// (`NhiemVu!F7` when written) or a ThongTin label; for a problem in a
/// template, the template file and the line and column in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Loc {
    pub file: Option<String>,
    pub sheet: Option<String>,
    /// The cell; serialized as its A1 name, e.g. `F7`.
    pub cell: Option<CellRef>,
    /// A field label (`Ngày ban hành`) when the problem is about a field.
    pub label: Option<String>,
    /// Line and column in `file` when it is a text file (a template).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pos: Option<TextPos>,
}

impl Loc {
    pub fn file(path: impl Into<String>) -> Self {
        Loc { file: Some(path.into()), ..Loc::default() }
    }
    pub fn sheet(sheet: impl Into<String>) -> Self {
        Loc { sheet: Some(sheet.into()), ..Loc::default() }
    }
    /// A cell from zero-based row and column indices.
    pub fn cell(sheet: impl Into<String>, row: u32, col: u32) -> Self {
        Loc { sheet: Some(sheet.into()), cell: Some(CellRef { row, col }), ..Loc::default() }
    }
    /// A place in a text file: `file`, one-based `line` and `column`.
    pub fn text(file: impl Into<String>, line: u32, column: u32) -> Self {
        Loc { file: Some(file.into()), pos: Some(TextPos { line, column }), ..Loc::default() }
    }
    /// The cell's A1 name (`F7`), when the problem is at a cell.
    pub fn a1(&self) -> Option<String> {
        self.cell.map(|c| c.to_string())
    }
    /// The order problems are listed in: a problem of no sheet (the file
    /// itself, a template) first; then by sheet, ranked by `rank` (a sheet
    /// it does not rank after those it does, by name); then by row and
    /// column, a problem with no cell before its sheet's cells.
    pub fn order_key<'a>(
        &'a self,
        rank: &dyn Fn(&str) -> Option<usize>,
    ) -> (usize, Option<&'a str>, Option<CellRef>, Option<TextPos>) {
        let sheet = self.sheet.as_deref();
        let rank = sheet.map_or(0, |s| rank(s).map_or(usize::MAX, |r| r.saturating_add(1)));
        (rank, sheet, self.cell, self.pos)
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => parts.push(format!("{s}!{c}")),
            (Some(s), None) => parts.push(format!("trang {s}")),
            (None, Some(c)) => parts.push(c.to_string()),
            (None, None) => {}
        }
        if let Some(l) = &self.label {
            parts.push(format!("mục «{l}»"));
        }
        if parts.is_empty() {
            match (&self.file, self.pos) {
                (Some(file), Some(p)) => parts.push(format!("{file}:{}:{}", p.line, p.column)),
                (Some(file), None) => parts.push(file.clone()),
                _ => {}
            }
        }
        write!(f, "{}", parts.join(", "))
    }
}

/// A1 name of a zero-based (row, col): (6, 5) → `F7`.
pub fn a1(row: u32, col: u32) -> String {
    let mut col = col + 1;
    let mut letters = Vec::new();
    while col > 0 {
        let rem = ((col - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        col = (col - 1) / 26;
    }
    letters.reverse();
    let mut s: String = letters.into_iter().collect();
    s.push_str(&(row + 1).to_string());
    s
}

/// Column letters of a zero-based column: 5 → `F`.
pub fn col_name(col: u32) -> String {
    let s = a1(0, col);
    s.trim_end_matches('1').to_string()
}

/// The stable machine code of a problem (for tests and JSON consumers):
/// one variant per kind, written in JSON and in `check --format json` as
/// its kebab-case Vietnamese name ([`Code::as_str`]).
macro_rules! codes {
    ($($variant:ident = $text:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order written here.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in JSON and messages, e.g. `thieu-cot`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    BatDong = "bat-dong",
    BieuMauKeHoachKhac = "bieu-mau-ke-hoach-khac",
    BieuMauKyKhac = "bieu-mau-ky-khac",
    BieuThuc = "bieu-thuc",
    CapSai = "cap-sai",
    CongThucChuaTinh = "cong-thuc-chua-tinh",
    CotLa = "cot-la",
    CotTrung = "cot-trung",
    DonVi = "don-vi",
    DonViKhongCo = "don-vi-khong-co",
    GhiTep = "ghi-tep",
    HaiBieuMau = "hai-bieu-mau",
    HangTrong = "hang-trong",
    KhongDocDuocTep = "khong-doc-duoc-tep",
    KhongHoTroXlsb = "khong-ho-tro-xlsb",
    KhongMoDuocTep = "khong-mo-duoc-tep",
    KhongPhaiBieuMau = "khong-phai-bieu-mau",
    KhongPhaiNgay = "khong-phai-ngay",
    KhongPhaiSo = "khong-phai-so",
    KhongPhaiTepThuong = "khong-phai-tep-thuong",
    KhongPhaiSoTinh = "khong-phai-so-tinh",
    KhongThayTieuDe = "khong-thay-tieu-de",
    KhongTimThayTep = "khong-tim-thay-tep",
    KyHieu = "ky-hieu",
    LoiDocTrang = "loi-doc-trang",
    LoiExcel = "loi-excel",
    LoiGhiBieuMau = "loi-ghi-bieu-mau",
    MaCu = "ma-cu",
    MauTypst = "mau-typst",
    MaKhongCo = "ma-khong-co",
    MaLap = "ma-lap",
    MaNhiemVuTrung = "ma-nhiem-vu-trung",
    MaSai = "ma-sai",
    MaTenTep = "ma-ten-tep",
    MaTrung = "ma-trung",
    MucLa = "muc-la",
    MucTrung = "muc-trung",
    NamSai = "nam-sai",
    NgaySai = "ngay-sai",
    NhomLongNhau = "nhom-long-nhau",
    NoiBo = "noi-bo",
    NoiDungDaDoi = "noi-dung-da-doi",
    QuyenHan = "quyen-han",
    SoGoKhac = "so-go-khac",
    SoGoSan = "so-go-san",
    SoKyHieu = "so-ky-hieu",
    TepCoMatKhau = "tep-co-mat-khau",
    TepHong = "tep-hong",
    TenTepSai = "ten-tep-sai",
    TepRong = "tep-rong",
    ThieuChuTri = "thieu-chu-tri",
    ThieuCot = "thieu-cot",
    ThieuGlyph = "thieu-glyph",
    ThieuMa = "thieu-ma",
    ThieuMuc = "thieu-muc",
    ThieuNam = "thieu-nam",
    ThieuNhan = "thieu-nhan",
    ThieuNhiemVu = "thieu-nhiem-vu",
    ThieuNoiDung = "thieu-noi-dung",
    ThieuTenChiSo = "thieu-ten-chi-so",
    ThieuTenDonVi = "thieu-ten-don-vi",
    ThieuTrang = "thieu-trang",
    ThieuTruong = "thieu-truong",
    ThoiHan = "thoi-han",
    ThoiHanNhieuNam = "thoi-han-nhieu-nam",
    TienDoSai = "tien-do-sai",
    TrangLa = "trang-la",
    TrangThai = "trang-thai",
    TrangThaiSai = "trang-thai-sai",
    TrangTrung = "trang-trung",
    TrinhBay = "trinh-bay",
    TronTongHop = "tron-tong-hop",
    TrungTenTep = "trung-ten-tep",
    VuotGioiHan = "vuot-gioi-han",
    XepHangThanhNgay = "xep-hang-thanh-ngay",
    XuatDocx = "xuat-docx",
    XuatPdf = "xuat-pdf",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A code compares with its written form (`d.code == "thieu-cot"`).
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One problem: what, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine code, e.g. `thieu-cot` (for tests and JSON consumers).
    pub code: Code,
    pub loc: Loc,
    /// What is wrong, in Vietnamese.
    pub message: String,
    /// What to do, in Vietnamese.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, loc, message: message.into(), hint: None }
    }
    pub fn warning(code: Code, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, code, loc, message: message.into(), hint: None }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        };
        let loc = self.loc.to_string();
        if loc.is_empty() {
            write!(f, "{kind}: {}", self.message)?;
        } else {
            write!(f, "{kind}: {loc}: {}", self.message)?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  → {h}")?;
        }
        Ok(())
    }
}

/// A growing list of problems.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Sorts the problems by place ([`Loc::order_key`]): sheets ranked by
    /// `rank`, then row, then column; stable, so problems at one place keep
    /// the order they were found in. The one place diagnostics are ordered
    /// by where they are.
    pub fn sort_by_place(&mut self, rank: &dyn Fn(&str) -> Option<usize>) {
        self.items.sort_by(|a, b| a.loc.order_key(rank).cmp(&b.loc.order_key(rank)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 5), "F7");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
        assert_eq!(col_name(27), "AB");
    }

    #[test]
    fn places_sort_by_sheet_order_then_row_then_column_and_print_as_a1() {
        let at = |sheet: &str, row, col| Diagnostic::error(Code::NgaySai, Loc::cell(sheet, row, col), "x");
        let mut d = Diagnostics::default();
        for x in [at("NhiemVu", 9, 1), at("ChiSo", 0, 0), at("NhiemVu", 6, 5), at("NhiemVu", 6, 2), at("Khac", 0, 0)] {
            d.push(x);
        }
        d.push(Diagnostic::warning(Code::TrangLa, Loc::sheet("NhiemVu"), "y"));
        d.push(Diagnostic::error(Code::MauTypst, Loc::text("mau.typ", 2, 5), "z"));
        let order = ["ThongTin", "NhiemVu", "ChiSo"];
        d.sort_by_place(&|s| order.iter().position(|x| *x == s));
        let got: Vec<String> = d.items.iter().map(|x| x.loc.to_string()).collect();
        assert_eq!(
            got,
            ["mau.typ:2:5", "trang NhiemVu", "NhiemVu!C7", "NhiemVu!F7", "NhiemVu!B10", "ChiSo!A1", "Khac!A1"]
        );
        // Row 10 sorts after row 7 though «B10» < «C7» as text.
        assert_eq!(Loc::cell("S", 9, 1).a1().as_deref(), Some("B10"));
        let json = serde_json::to_value(Loc::cell("NhiemVu", 6, 5)).unwrap();
        assert_eq!(json["cell"], "F7");
        assert_eq!(serde_json::to_value(Loc::sheet("NhiemVu")).unwrap()["cell"], serde_json::Value::Null);
        // A template place is written file:line:column, and in JSON as its
        // line and column; a cell's JSON has no `pos` at all (shape unchanged).
        assert_eq!(
            serde_json::to_value(Loc::text("mau.typ", 2, 5)).unwrap()["pos"],
            serde_json::json!({"line": 2, "column": 5})
        );
        assert!(serde_json::to_value(Loc::cell("NhiemVu", 6, 5)).unwrap().get("pos").is_none());
    }

    #[test]
    fn codes_are_written_as_before_and_unique() {
        assert_eq!(Code::ThieuCot.as_str(), "thieu-cot");
        assert_eq!(serde_json::to_string(&Code::XepHangThanhNgay).unwrap(), "\"xep-hang-thanh-ngay\"");
        let mut seen: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), Code::ALL.len());
        assert!(seen.iter().all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
    }

    #[test]
    fn display_names_cell_and_hint() {
        let d = Diagnostic::error(Code::NgaySai, Loc::cell("NhiemVu", 6, 5), "ngày không có thật").hint("sửa lại");
        assert_eq!(d.to_string(), "lỗi: NhiemVu!F7: ngày không có thật\n  → sửa lại");
    }
}
