//! Opening a workbook: only a regular file is read, and no more of it than
//! the file limit; the format is decided by magic bytes, each container is
//! pre-checked against the limits (`cfb.rs`, `parts.rs`) before calamine
//! sees it, and every refusal is one Vietnamese message naming the file.

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{open_workbook_from_rs, Ods, OdsError, Sheets, Xls, XlsError, Xlsx, XlsxError};

use super::cfb::CFB_MAGIC;
use super::limits::{self, Exceeded, Limit, MAX_FILE_BYTES};
use super::read::guarded;
use crate::diag::{Code, Diagnostic, Loc};

/// Reads the bytes of a workbook file. Only a regular file is read (a
/// directory, FIFO, device or socket is refused before it is opened, and
/// opened without blocking in case it was swapped in meanwhile), and no
/// more than [`MAX_FILE_BYTES`] of it.
pub fn read_file(path: &Path, name: &str) -> Result<Vec<u8>, Box<Diagnostic>> {
    let error =
        |code, message: String, hint: &str| Box::new(Diagnostic::error(code, Loc::file(name), message).hint(hint));
    let not_regular = |what: &str| {
        error(
            Code::KhongPhaiTepThuong,
            format!("«{name}» là {what}, không phải tệp sổ tính thường; vanban chỉ đọc tệp thường"),
            "ghi đường dẫn tới tệp .xlsx (lưu tệp xuống đĩa trước nếu nó được tạo ra từ một chương trình khác)",
        )
    };
    let io_error = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => error(
            Code::KhongTimThayTep,
            format!("không tìm thấy tệp «{name}»"),
            "kiểm tra đường dẫn và tên tệp (kể cả đuôi .xlsx); `vanban init` tạo một tệp mẫu",
        ),
        _ => error(
            Code::KhongMoDuocTep,
            format!("không mở được tệp «{name}»: {e}"),
            "đóng tệp nếu đang mở trong Excel, kiểm tra quyền đọc tệp",
        ),
    };
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.is_dir() {
        return Err(error(
            Code::KhongMoDuocTep,
            format!("«{name}» là thư mục, không phải tệp"),
            "ghi đường dẫn tới tệp .xlsx",
        ));
    }
    if !meta.is_file() {
        return Err(not_regular(file_type_text(&meta)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Box::new(Exceeded::new(Limit::FileBytes, meta.len()).diagnostic(name, meta.len())));
    }
    let file = open_nonblocking(path).map_err(io_error)?;
    // The path may have been replaced between the two looks.
    let meta = file.metadata().map_err(io_error)?;
    if !meta.is_file() {
        return Err(not_regular(file_type_text(&meta)));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Box::new(Exceeded::new(Limit::FileBytes, bytes.len() as u64).diagnostic(name, bytes.len() as u64)));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn file_type_text(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "một đường ống (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "một thiết bị (như /dev/zero)";
        }
        if t.is_socket() {
            return "một socket";
        }
    }
    let _ = meta;
    "một tệp đặc biệt"
}

fn file_error(code: Code, name: &str, message: String, hint: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(code, Loc::file(name), message).hint(hint))
}

pub(super) const HINT_SAVE_AS: &str =
    "mở bằng Excel, chọn File › Save As › Excel Workbook (*.xlsx), rồi dùng tệp .xlsx đó";
const HINT_PASSWORD: &str = "mở bằng Excel, bỏ mật khẩu (File › Info › Protect Workbook) rồi lưu lại";
const HINT_DAMAGED: &str =
    "lấy lại bản gốc (tải về hoặc sao chép lại cho trọn), hoặc mở bằng Excel (Excel sẽ đề nghị sửa) rồi lưu lại";

/// Whether `hay` contains `needle`.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// The sheets of a workbook from its bytes, or the one error that says why not.
pub fn sheets<'a>(
    bytes: &'a [u8],
    name: &str,
    ext_hint: Option<&str>,
) -> Result<Sheets<Cursor<&'a [u8]>>, Box<Diagnostic>> {
    limits::check(Limit::FileBytes, bytes.len() as u64)
        .map_err(|e| Box::new(e.diagnostic(name, bytes.len() as u64)))?;
    if bytes.is_empty() {
        return Err(file_error(
            Code::TepRong,
            name,
            format!("tệp «{name}» rỗng (0 byte), không có dữ liệu"),
            HINT_DAMAGED,
        ));
    }
    let cursor = || Cursor::new(bytes);
    let panicked = || {
        file_error(
            Code::KhongDocDuocTep,
            name,
            format!("không đọc được tệp «{name}»: nội dung không đúng cấu trúc sổ tính"),
            HINT_SAVE_AS,
        )
    };
    if bytes.starts_with(CFB_MAGIC) {
        // An OLE container: an encrypted .xlsx (EncryptedPackage) or an .xls.
        if contains(bytes, &utf16le("EncryptedPackage")) {
            return Err(password_error(name));
        }
        match super::cfb::check_xls(bytes) {
            Ok(()) => {}
            // A container vanban's walk cannot follow is not handed to
            // calamine either: calamine follows the same tables with fewer
            // checks, and a fuzzed 628-byte .xls sent its directory chain
            // round a cycle until the machine ran out of memory.
            Err(super::cfb::Refusal::Unreadable) => {
                return Err(file_error(
                    Code::KhongPhaiSoTinh,
                    name,
                    format!("tệp «{name}» là tệp Office cũ nhưng không đọc được như sổ tính Excel 97-2003"),
                    HINT_SAVE_AS,
                ))
            }
            Err(super::cfb::Refusal::Damaged) => return Err(damaged_error(name)),
            Err(super::cfb::Refusal::Limit(e)) => return Err(Box::new(e.diagnostic(name, bytes.len() as u64))),
        }
        return match guarded(|| open_workbook_from_rs::<Xls<_>, _>(cursor())).ok_or_else(panicked)? {
            Ok(x) => Ok(Sheets::Xls(x)),
            Err(XlsError::Password) => Err(password_error(name)),
            Err(e) => Err(file_error(
                Code::KhongPhaiSoTinh,
                name,
                format!("tệp «{name}» là tệp Office cũ nhưng không đọc được như sổ tính Excel 97-2003 ({e})"),
                HINT_SAVE_AS,
            )),
        };
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        super::parts::check_zip(bytes).map_err(|e| Box::new(e.diagnostic(name, bytes.len() as u64)))?;
        let is_ods = contains(&bytes[..bytes.len().min(200)], b"opendocument.spreadsheet");
        if is_ods {
            return match guarded(|| open_workbook_from_rs::<Ods<_>, _>(cursor())).ok_or_else(panicked)? {
                Ok(o) => Ok(Sheets::Ods(o)),
                Err(OdsError::Password) => Err(password_error(name)),
                Err(OdsError::Zip(_)) => Err(damaged_error(name)),
                Err(e) => Err(file_error(
                    Code::KhongDocDuocTep,
                    name,
                    format!("không đọc được tệp ODS «{name}» ({e})"),
                    HINT_SAVE_AS,
                )),
            };
        }
        let xlsx_err = match guarded(|| open_workbook_from_rs::<Xlsx<_>, _>(cursor())).ok_or_else(panicked)? {
            Ok(x) => return Ok(Sheets::Xlsx(x)),
            Err(e) => e,
        };
        if matches!(xlsx_err, XlsxError::Zip(_)) {
            return Err(damaged_error(name));
        }
        if contains(bytes, b"xl/workbook.bin") {
            // calamine reads an .xlsb sheet into a dense range from its first
            // to its last cell: one value at XFD1048576 is 17 billion cells,
            // allocated before anything can bound it. Not a format we claim.
            return Err(file_error(
                Code::KhongHoTroXlsb,
                name,
                format!("tệp «{name}» là sổ tính Excel nhị phân (.xlsb), định dạng này không được hỗ trợ"),
                "mở bằng Excel, chọn File > Save As > Excel Workbook (.xlsx) rồi dùng tệp .xlsx",
            ));
        }
        if let Some(Ok(o)) = guarded(|| open_workbook_from_rs::<Ods<_>, _>(cursor())) {
            return Ok(Sheets::Ods(o));
        }
        if contains(bytes, b"xl/workbook.xml") {
            return Err(file_error(
                Code::KhongDocDuocTep,
                name,
                format!("tệp «{name}» là sổ tính Excel nhưng bị lỗi cấu trúc ({xlsx_err})"),
                HINT_DAMAGED,
            ));
        }
        return Err(file_error(
            Code::KhongPhaiSoTinh,
            name,
            format!("tệp «{name}» là tệp nén (zip) nhưng không phải sổ tính Excel hay ODS (có thể là .docx hoặc một tệp nén thường)"),
            "chọn đúng tệp sổ tính (.xlsx, .xlsm, .xls, .ods)",
        ));
    }
    Err(not_a_workbook(bytes, name, ext_hint))
}

fn password_error(name: &str) -> Box<Diagnostic> {
    file_error(Code::TepCoMatKhau, name, format!("tệp «{name}» có mật khẩu, không đọc được"), HINT_PASSWORD)
}

fn damaged_error(name: &str) -> Box<Diagnostic> {
    file_error(
        Code::TepHong,
        name,
        format!("tệp «{name}» bị hỏng hoặc không trọn vẹn (có thể tải về hoặc sao chép chưa xong)"),
        HINT_DAMAGED,
    )
}

/// The error for bytes that are no workbook: say what they look like.
fn not_a_workbook(bytes: &[u8], name: &str, ext_hint: Option<&str>) -> Box<Diagnostic> {
    let head = &bytes[..bytes.len().min(4096)];
    let head_text = String::from_utf8_lossy(head).to_lowercase();
    let ext = ext_hint.map(|e| format!(" mang đuôi .{}", e.trim_start_matches('.'))).unwrap_or_default();
    if head_text.contains("<html") || head_text.contains("<table") || head_text.contains("<!doctype html") {
        return file_error(
            Code::KhongPhaiSoTinh,
            name,
            format!("tệp «{name}» là trang HTML{ext}, không phải sổ tính Excel thật (thường do phần mềm xuất báo cáo tạo ra)"),
            HINT_SAVE_AS,
        );
    }
    if head_text.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return file_error(
            Code::KhongPhaiSoTinh,
            name,
            format!("tệp «{name}» là XML Spreadsheet 2003{ext}, định dạng này không được hỗ trợ"),
            HINT_SAVE_AS,
        );
    }
    let texty = std::str::from_utf8(head).is_ok()
        || head.iter().filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace()).count() * 10 >= head.len() * 9;
    if texty && !head.contains(&0) {
        return file_error(
            Code::KhongPhaiSoTinh,
            name,
            format!("tệp «{name}» là văn bản thuần (CSV?){ext}, không phải sổ tính Excel"),
            HINT_SAVE_AS,
        );
    }
    file_error(
        Code::KhongPhaiSoTinh,
        name,
        format!("tệp «{name}»{ext} không phải sổ tính Excel (.xlsx, .xlsm, .xls, .ods)"),
        HINT_SAVE_AS,
    )
}
