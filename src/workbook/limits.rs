//! Every size limit of the reader, as a named constant, and the Vietnamese
//! message for each. The limits are far above any real workbook (a plan
//! of 3,000 tasks uses a few percent of each, see `docs/gioi-han.md`) and
//! far below what would take the machine down: each is checked while the
//! file is read, before anything is allocated by a size the file declares.

use crate::diag::{Code, Diagnostic, Loc};

const MIB: u64 = 1024 * 1024;

/// The workbook file itself (bytes read from disk, or an upload).
pub const MAX_FILE_BYTES: u64 = 64 * MIB;
/// One part of an .xlsx/.ods (a zip entry), uncompressed.
pub const MAX_PART_BYTES: u64 = 64 * MIB;
/// All parts of an .xlsx/.ods together, uncompressed.
pub const MAX_TOTAL_BYTES: u64 = 160 * MIB;
/// Entries in the zip of an .xlsx/.ods.
pub const MAX_PARTS: u64 = 10_000;
/// The workbook stream of an .xls, and each stream chain its container walks.
pub const MAX_STREAM_BYTES: u64 = 64 * MIB;
/// Shared strings of an .xlsx (declared `uniqueCount`/`count`, and found).
pub const MAX_STRINGS: u64 = 1_000_000;
/// Index `si` of a shared formula in an .xlsx.
pub const MAX_SHARED_FORMULA: u64 = 100_000;
/// Cells of one sheet (values and formulas; in an .ods, or from a declared
/// dimension, the rectangle the reader would fill).
pub const MAX_CELLS: u64 = 2_000_000;
/// Rows of one sheet.
pub const MAX_ROWS: u64 = 50_000;
/// Columns of one sheet (Excel's own limit).
pub const MAX_COLUMNS: u64 = 16_384;
/// Characters of one cell (Excel's own limit).
pub const MAX_CELL_CHARS: u64 = 32_767;
/// Steps a cell's template expression may take (minijinja fuel).
pub const MAX_TEMPLATE_FUEL: u64 = 100_000;
/// Bytes of text a cell's template expression (or one of its filters) may make.
pub const MAX_TEMPLATE_BYTES: u64 = 1_000_000;
/// Bytes all of a cell's expressions may handle, each counted once per turn
/// of the loops around it (a bound found before the template runs).
pub const MAX_TEMPLATE_WORK: u64 = 32_000_000;
/// Bytes read from a file that is not a regular file (never read: refused
/// at once; the bound is for a file replaced while it is opened).
pub const MAX_NON_REGULAR_BYTES: u64 = MAX_FILE_BYTES;

/// One limit: what it counts, and its maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    FileBytes,
    PartBytes,
    TotalBytes,
    Parts,
    StreamBytes,
    Strings,
    SharedFormula,
    Cells,
    Rows,
    Columns,
    CellChars,
}

impl Limit {
    /// The maximum.
    pub fn max(self) -> u64 {
        match self {
            Limit::FileBytes => MAX_FILE_BYTES,
            Limit::PartBytes => MAX_PART_BYTES,
            Limit::TotalBytes => MAX_TOTAL_BYTES,
            Limit::Parts => MAX_PARTS,
            Limit::StreamBytes => MAX_STREAM_BYTES,
            Limit::Strings => MAX_STRINGS,
            Limit::SharedFormula => MAX_SHARED_FORMULA,
            Limit::Cells => MAX_CELLS,
            Limit::Rows => MAX_ROWS,
            Limit::Columns => MAX_COLUMNS,
            Limit::CellChars => MAX_CELL_CHARS,
        }
    }

    /// What is counted, in Vietnamese, and the unit of the count.
    fn what(self) -> (&'static str, &'static str) {
        match self {
            Limit::FileBytes => ("dung lượng tệp", "byte"),
            Limit::PartBytes => ("dung lượng giải nén của một phần", "byte"),
            Limit::TotalBytes => ("tổng dung lượng giải nén", "byte"),
            Limit::Parts => ("số phần trong tệp nén", "phần"),
            Limit::StreamBytes => ("dung lượng luồng dữ liệu Excel 97-2003", "byte"),
            Limit::Strings => ("số chuỗi chữ dùng chung", "chuỗi"),
            Limit::SharedFormula => ("chỉ số công thức dùng chung (si)", ""),
            Limit::Cells => ("số ô của một trang", "ô"),
            Limit::Rows => ("số hàng của một trang", "hàng"),
            Limit::Columns => ("số cột của một trang", "cột"),
            Limit::CellChars => ("số ký tự của một ô", "ký tự"),
        }
    }
}

/// A count with thousands separators (`1.000.000`), as Vietnamese writes it.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A size in bytes, readable: `30 KB`, `4,0 MB`.
pub fn size_text(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} byte")
    } else if bytes < MIB {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / MIB as f64).replace('.', ",")
    }
}

/// A limit the file went past: which, by how much, and where in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    pub limit: Limit,
    /// The count found or declared (at least this much: reading stops there).
    pub found: u64,
    /// Whether `found` is what the file declares rather than what it holds.
    pub declared: bool,
    /// The part, stream or sheet concerned (`xl/sharedStrings.xml`).
    pub place: Option<String>,
}

impl Exceeded {
    pub fn new(limit: Limit, found: u64) -> Exceeded {
        Exceeded { limit, found, declared: false, place: None }
    }

    pub fn declared(mut self) -> Exceeded {
        self.declared = true;
        self
    }

    pub fn at(mut self, place: impl Into<String>) -> Exceeded {
        self.place = Some(place.into());
        self
    }

    /// The message for the file `name` of `file_bytes` bytes.
    pub fn diagnostic(&self, name: &str, file_bytes: u64) -> Diagnostic {
        let (what, unit) = self.limit.what();
        let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
        let place = self.place.as_deref().map(|p| format!(", ở «{p}»")).unwrap_or_default();
        let verb = if self.declared { "khai báo" } else { "có" };
        let more = if self.declared || self.limit == Limit::FileBytes { "" } else { "ít nhất " };
        Diagnostic::error(
            Code::VuotGioiHan,
            Loc::file(name),
            format!(
                "tệp «{name}» ({}) vượt giới hạn {what}: tệp {verb} {more}{}{unit}{place}, giới hạn là {}{unit}",
                size_text(file_bytes),
                grouped(self.found),
                grouped(self.limit.max()),
            ),
        )
        .hint(
            "tệp không giống một sổ tính thật (có thể bị hỏng hoặc cố ý làm sai); mở bằng Excel, xoá phần thừa \
             rồi lưu lại, hoặc lấy lại bản gốc. Các giới hạn: docs/gioi-han.md",
        )
    }
}

/// Checks `found` against a limit.
pub fn check(limit: Limit, found: u64) -> Result<(), Exceeded> {
    if found > limit.max() {
        Err(Exceeded::new(limit, found))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_vietnamese_way() {
        assert_eq!(grouped(1_000_000), "1.000.000");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(10_000_000_000_000), "10.000.000.000.000");
        assert_eq!(size_text(30 * 1024), "30 KB");
        assert_eq!(size_text(4 * MIB), "4,0 MB");
    }

    #[test]
    fn message_says_which_limit_and_how_big() {
        let e = Exceeded::new(Limit::Strings, 10_000_000_000_000).declared().at("xl/sharedStrings.xml");
        let d = e.diagnostic("w.xlsx", 30 * 1024);
        assert!(d.message.contains("«w.xlsx» (30 KB)"), "{}", d.message);
        assert!(d.message.contains("số chuỗi chữ dùng chung"), "{}", d.message);
        assert!(d.message.contains("khai báo 10.000.000.000.000 chuỗi"), "{}", d.message);
        assert!(d.message.contains("giới hạn là 1.000.000 chuỗi"), "{}", d.message);
        assert!(check(Limit::Rows, MAX_ROWS).is_ok());
        assert!(check(Limit::Rows, MAX_ROWS + 1).is_err());
    }
}
