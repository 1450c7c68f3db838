//! `vanban check` and bad input, end to end through the real binary: every
//! problem is named by sheet and cell (or label, or file), in Vietnamese,
//! with what to do; `plan`, `report` and `batch` refuse with the same
//! messages; nothing is ever half-written and the workbook is never touched.
//!
//! Each test builds its workbook with the shared builder (`tests/common`,
//! edited here by A1 address) in a temporary folder (which is also the
//! working directory of the binary, so the default `output/` lands there
//! too), or copies a committed fixture from
//! `tests/fixtures/errors/` for what rust_xlsxwriter cannot make (see the
//! README there). After every refused command the folder must hold exactly
//! what it held before: no PDF, no temporary file, the same workbook bytes
//! and modification time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::common::{formula, row, run_in, tmp, Book, Cell, Out, E};

// ---------------------------------------------------------------------------
// The workbook
// ---------------------------------------------------------------------------

impl Book {
    /// A small valid plan (the same as `base()` in make_errors.py).
    /// NhiemVu: A STT, B Nội dung, C Chủ trì, D Phối hợp, E Thời hạn,
    /// F Ngày hoàn thành, G Tiến độ (%), H Trạng thái; tasks in rows 2–7.
    fn base() -> Book {
        let thong_tin = vec![
            row!["Mục", "Giá trị"],
            row!["Loại văn bản", "KẾ HOẠCH"],
            row!["Cơ quan chủ quản", "UBND TỈNH AN GIANG"],
            row!["Cơ quan ban hành", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"],
            row!["Số", 54],
            row!["Ký hiệu", "KH-SNNPTNT"],
            row!["Địa danh", "An Giang"],
            row!["Ngày ban hành", "30/06/2021"],
            row!["Trích yếu", "Khắc phục, nâng cao chỉ số cải cách hành chính năm 2021"],
            row!["Quyền hạn ký", "KT. GIÁM ĐỐC"],
            row!["Chức vụ người ký", "PHÓ GIÁM ĐỐC"],
            row!["Người ký", "Võ Thị Thanh Vân"],
            row!["Nơi nhận", "Các phòng, đơn vị thuộc Sở;"],
            row!["Lưu", "VT, VPS"],
        ];
        let noi_dung = vec![
            row!["Cấp", "Tiêu đề", "Nội dung"],
            row!["1", "MỤC ĐÍCH, YÊU CẦU", E],
            row![E, E, "Nâng cao chỉ số cải cách hành chính của Sở."],
            row!["1", "NHIỆM VỤ", E],
            row!["NHIEMVU"],
        ];
        let nhiem_vu = vec![
            row!["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn", "Ngày hoàn thành", "Tiến độ (%)", "Trạng thái"],
            row![1, "Rà soát thủ tục hành chính", "VPS", "CCTY", "Quý I/2021", "20/03/2021", 100, "Hoàn thành"],
            row![2, "Công khai thủ tục hành chính", "VPS", E, "Tháng 6/2021", E, 50, "Đang thực hiện"],
            row![3, "Kiểm tra công vụ", "CCTY", "VPS", "Quý III/2021"],
            row![4, "Đào tạo cán bộ", "PKH", "", "Năm 2021"],
            row![5, "Cải cách tài chính công", "PKH", "VPS", "Thường xuyên"],
            row![6, "Tổng kết năm", "VPS", "PKH", "Trước ngày 15/12/2021", "10/12/2021", 100, "Hoàn thành"],
        ];
        let chi_so = vec![
            row!["Mã", "Chỉ số", "Điểm tối đa", "Kết quả năm trước", "Mục tiêu", "Đơn vị phụ trách"],
            row!["CCHC", "Công tác chỉ đạo điều hành", "10,5", 8.25, 9.5, "VPS"],
            row!["TTHC", "Cải cách thủ tục hành chính", 12, 10, 11, "VPS"],
        ];
        let don_vi = vec![
            row!["Mã", "Tên đơn vị", "Tên viết tắt"],
            row!["VPS", "Văn phòng Sở", "VP"],
            row!["CCTY", "Chi cục Chăn nuôi và Thú y", "CCCNTY"],
            row!["PKH", "Phòng Kế hoạch - Tài chính", "KHTC"],
        ];
        Book::new()
            .table("ThongTin", thong_tin)
            .table("NoiDung", noi_dung)
            .table("NhiemVu", nhiem_vu)
            .table("ChiSo", chi_so)
            .table("DonVi", don_vi)
    }
}

// ---------------------------------------------------------------------------
// Running the binary and looking at the folder
// ---------------------------------------------------------------------------

/// Every file under a folder, with its bytes and modification time.
type Snapshot = BTreeMap<PathBuf, (Vec<u8>, SystemTime)>;

fn snapshot(dir: &Path) -> Snapshot {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, (Vec<u8>, SystemTime)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
                // An empty output folder left behind counts as output too.
                out.entry(p.strip_prefix(root).unwrap().to_path_buf()).or_insert((Vec::new(), SystemTime::UNIX_EPOCH));
            } else {
                let m = std::fs::metadata(&p).unwrap().modified().unwrap();
                out.insert(p.strip_prefix(root).unwrap().to_path_buf(), (std::fs::read(&p).unwrap(), m));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts that the folder is exactly as before: no new file (PDF, JSON,
/// temporary file, folder), every file's bytes and mtime unchanged.
fn assert_untouched(dir: &Path, before: &Snapshot, what: &str) {
    let after = snapshot(dir);
    let new: Vec<&PathBuf> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert!(new.is_empty(), "{what}: files appeared: {new:?}");
    for (k, v) in before {
        let a = after.get(k).unwrap_or_else(|| panic!("{what}: {} disappeared", k.display()));
        assert!(a.0 == v.0, "{what}: {} changed", k.display());
        assert_eq!(a.1, v.1, "{what}: mtime of {} changed", k.display());
    }
}

/// Sets a file's mtime in the past, so that any write would show.
fn age(path: &Path) {
    let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000)).unwrap();
}

/// The error blocks of an output: each `lỗi: …` line with its `  → …` hint.
fn error_blocks(stderr: &str) -> Vec<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("lỗi: ") {
            let mut block = l.to_string();
            if let Some(h) = lines.get(i + 1).filter(|h| h.starts_with("  → ")) {
                block.push('\n');
                block.push_str(h);
            }
            out.push(block);
        }
    }
    out
}

fn assert_has(out: &Out, what: &str, needles: &[&str]) {
    for n in needles {
        assert!(out.stderr.contains(n), "{what}: «{n}» not in the output:\n{out:?}");
    }
}

/// The rendering commands, each writing into `out/` (plus `plan` with its
/// default `output/` name).
const PLAN: &[&str] = &["plan", "{wb}", "-o", "out/kh.pdf", "--ignore-system-fonts"];
const PLAN_DEFAULT: &[&str] = &["plan", "{wb}", "--ignore-system-fonts"];
const REPORT: &[&str] = &["report", "{wb}", "--quarter", "2", "-o", "out/bc.pdf", "--ignore-system-fonts"];
const BATCH: &[&str] = &["batch", "{wb}", "--out-dir", "out/batch", "--ignore-system-fonts"];
const ALL: &[&[&str]] = &[PLAN, PLAN_DEFAULT, REPORT, BATCH];

fn with_wb<'a>(cmd: &[&'a str], wb: &'a str) -> Vec<&'a str> {
    cmd.iter().map(|a| if *a == "{wb}" { wb } else { a }).collect()
}

/// The core assertion of this file: `check` exits 1 and its output holds
/// every needle; each command of `cmds` exits 1, prints every error block
/// `check` printed, and leaves the folder exactly as it was (no output, no
/// temporary file, workbook bytes and mtime unchanged). Returns `check`'s
/// output.
fn refused_by(dir: &Path, wb: &str, needles: &[&str], cmds: &[&[&str]]) -> Out {
    if dir.join(wb).is_file() {
        age(&dir.join(wb));
    }
    let before = snapshot(dir);
    let check = run_in(dir, &["check", wb]);
    if std::env::var_os("VANBAN_SHOW").is_some() {
        println!("{check:?}");
    }
    assert_eq!(check.code, 1, "check {wb}: {check:?}");
    assert_has(&check, &format!("check {wb}"), needles);
    assert!(check.stderr.contains(" lỗi, "), "check prints a summary: {check:?}");
    let blocks = error_blocks(&check.stderr);
    assert!(!blocks.is_empty(), "check {wb}: no error line: {check:?}");
    assert_untouched(dir, &before, "check");
    for cmd in cmds {
        let args = with_wb(cmd, wb);
        let what = args.join(" ");
        let out = run_in(dir, &args);
        assert_eq!(out.code, 1, "{what}: {out:?}");
        for b in &blocks {
            assert!(out.stderr.contains(b.as_str()), "{what}: does not say, as check does:\n{b}\n{out:?}");
        }
        assert!(out.stdout.trim().is_empty(), "{what}: names an output file: {out:?}");
        assert_untouched(dir, &before, &what);
    }
    check
}

fn refused(dir: &Path, wb: &str, needles: &[&str]) -> Out {
    refused_by(dir, wb, needles, ALL)
}

/// The base workbook with `cells` set, saved as kh.xlsx in a folder of its
/// own and refused by every command with `needles` (see [`refused`]), with
/// exactly `errors` errors when given; `check`'s output.
fn base_refused(cells: &[(&str, Cell)], needles: &[&str], errors: Option<usize>) -> Out {
    let dir = tmp();
    let book = cells.iter().fold(Book::base(), |b, (at, v)| b.set_at(at, v.clone()));
    let wb = book.save(dir.path(), "kh.xlsx");
    let check = refused(dir.path(), &wb, needles);
    if let Some(n) = errors {
        assert_eq!(error_blocks(&check.stderr).len(), n, "{check:?}");
    }
    check
}

/// `check` of `wb` in `dir` (the workbook aged first) passes: exit 0, every
/// needle in its output, the folder untouched. Its output, and the folder
/// as it was before.
fn passes_check(dir: &Path, wb: &str, needles: &[&str]) -> (Out, Snapshot) {
    age(&dir.join(wb));
    let before = snapshot(dir);
    let out = run_in(dir, &["check", wb]);
    assert_eq!(out.code, 0, "check {wb}: {out:?}");
    assert_has(&out, "check", needles);
    assert_untouched(dir, &before, "check");
    (out, before)
}

/// A fixture from tests/fixtures/errors/, copied into `dir`.
fn fixture(dir: &Path, name: &str) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors").join(name);
    std::fs::copy(&src, dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    name.to_string()
}

/// Lines of an output that are warnings.
fn warnings(out: &Out) -> Vec<&str> {
    out.stderr.lines().filter(|l| l.starts_with("cảnh báo: ")).collect()
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

#[test]
fn missing_file() {
    let dir = tmp();
    let check = refused(
        dir.path(),
        "khong-co.xlsx",
        &["lỗi: khong-co.xlsx: không tìm thấy tệp «khong-co.xlsx»", "vanban init"],
    );
    assert_eq!(error_blocks(&check.stderr).len(), 1, "{check:?}");
}

#[test]
fn a_folder_is_no_workbook() {
    let dir = tmp();
    std::fs::create_dir(dir.path().join("kh.xlsx")).unwrap();
    refused(dir.path(), "kh.xlsx", &["«kh.xlsx» là thư mục, không phải tệp"]);
}

#[test]
fn csv_named_xlsx() {
    let dir = tmp();
    std::fs::write(dir.path().join("danh-sach.xlsx"), "STT,Nội dung,Chủ trì\n1,Rà soát thủ tục,VPS\n").unwrap();
    refused(
        dir.path(),
        "danh-sach.xlsx",
        &["lỗi: danh-sach.xlsx: tệp «danh-sach.xlsx» là văn bản thuần (CSV?) mang đuôi .xlsx", "Save As"],
    );
}

#[test]
fn random_bytes_named_xlsx() {
    let dir = tmp();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    std::fs::write(dir.path().join("ngau-nhien.xlsx"), bytes).unwrap();
    refused(dir.path(), "ngau-nhien.xlsx", &["tệp «ngau-nhien.xlsx» mang đuôi .xlsx không phải sổ tính Excel"]);
}

#[test]
fn empty_file() {
    let dir = tmp();
    std::fs::write(dir.path().join("rong.xlsx"), b"").unwrap();
    refused(dir.path(), "rong.xlsx", &["lỗi: rong.xlsx: tệp «rong.xlsx» rỗng (0 byte)"]);
}

#[test]
fn truncated_zip() {
    let dir = tmp();
    let bytes = Book::base().bytes();
    std::fs::write(dir.path().join("tai-do.xlsx"), &bytes[..bytes.len() * 2 / 3]).unwrap();
    refused(dir.path(), "tai-do.xlsx", &["tệp «tai-do.xlsx» bị hỏng hoặc không trọn vẹn", "lấy lại bản gốc"]);
}

#[test]
fn zip_that_is_not_a_workbook() {
    let dir = tmp();
    let wb = fixture(dir.path(), "van-ban-word.xlsx");
    refused(
        dir.path(),
        &wb,
        &["tệp «van-ban-word.xlsx» là tệp nén (zip) nhưng không phải sổ tính", ".docx", "chọn đúng tệp sổ tính"],
    );
}

#[test]
fn password_protected_workbook() {
    let dir = tmp();
    let wb = fixture(dir.path(), "mat-khau.xlsx");
    refused(dir.path(), &wb, &["tệp «mat-khau.xlsx» có mật khẩu, không đọc được", "bỏ mật khẩu"]);
}

#[test]
fn xls_ods_and_xlsm_are_read_like_xlsx() {
    let dir = tmp();
    // .xlsm: the same zip with another name.
    std::fs::write(dir.path().join("hop-le.xlsm"), Book::base().bytes()).unwrap();
    for name in ["hop-le.xls", "hop-le.ods", "hop-le.xlsm"] {
        if !name.ends_with(".xlsm") {
            fixture(dir.path(), name);
        }
        let check = run_in(dir.path(), &["check", name]);
        assert_eq!(check.code, 0, "{name}: {check:?}");
        assert!(check.stderr.contains("không có lỗi, 0 cảnh báo"), "{name}: {check:?}");
        let pdf = format!("out/{name}.pdf");
        let plan = run_in(dir.path(), &["plan", name, "-o", &pdf, "--ignore-system-fonts", "--quiet"]);
        assert_eq!(plan.code, 0, "{name}: {plan:?}");
        assert!(std::fs::read(dir.path().join(&pdf)).unwrap().starts_with(b"%PDF-"));
    }
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "only the PDFs, no temporary file: {names:?}");

    // The same problem is found at the same cell in every format.
    for name in ["ngay-sai.xls", "ngay-sai.ods"] {
        let sub = dir.path().join(name.replace('.', "-"));
        std::fs::create_dir(&sub).unwrap();
        let wb = fixture(&sub, name);
        refused(&sub, &wb, &["lỗi: NhiemVu!F7: ngày «31/02/2021» ở cột «Ngày hoàn thành» không có thật"]);
    }
    let sub = dir.path().join("xlsx");
    std::fs::create_dir(&sub).unwrap();
    let wb = Book::base().set_at("NhiemVu!F7", "31/02/2021").save(&sub, "ngay-sai.xlsx");
    refused(&sub, &wb, &["lỗi: NhiemVu!F7: ngày «31/02/2021» ở cột «Ngày hoàn thành» không có thật"]);
}

// ---------------------------------------------------------------------------
// Structure
// ---------------------------------------------------------------------------

#[test]
fn required_sheet_missing_lists_the_sheets_found() {
    let dir = tmp();
    let wb = Book::base().without("ThongTin").save(dir.path(), "kh.xlsx");
    refused(
        dir.path(),
        &wb,
        &["lỗi: kh.xlsx: không có trang ThongTin (Thông tin) bắt buộc; các trang trong tệp: NoiDung, NhiemVu, ChiSo, DonVi"],
    );

    // A near miss is named in the hint (and warned about as unknown).
    let wb = Book::base().rename("ThongTin", "Thong tn").save(dir.path(), "kh2.xlsx");
    let check = refused(
        dir.path(),
        &wb,
        &["các trang trong tệp: Thong tn, NoiDung", "đổi tên trang «Thong tn» thành ThongTin"],
    );
    assert_has(&check, "check", &["cảnh báo: trang Thong tn: trang «Thong tn» không thuộc mẫu"]);
}

#[test]
fn required_column_missing_suggests_the_closest() {
    let dir = tmp();
    let wb = Book::base().set_at("NhiemVu!B1", "Noi dug nhiem vu").save(dir.path(), "kh.xlsx");
    let check = refused(
        dir.path(),
        &wb,
        &[
            "lỗi: trang NhiemVu: thiếu cột «Nội dung»",
            "hàng tiêu đề tìm thấy ở hàng 1: STT, Noi dug nhiem vu, Chủ trì, Phối hợp, Thời hạn",
            "«Noi dug nhiem vu» → «Nội dung»?",
            "Nội dung (bắt buộc)",
            "Chủ trì (bắt buộc)",
        ],
    );
    assert_eq!(error_blocks(&check.stderr).len(), 1, "{check:?}");

    // The alias written without diacritics is no error at all.
    let wb = Book::base().set_at("NhiemVu!B1", "Noi dung nhiem vu").save(dir.path(), "alias.xlsx");
    passes_check(dir.path(), &wb, &[]);
}

#[test]
fn required_field_empty() {
    let dir = tmp();
    let wb = Book::base().clear_at("ThongTin!B12").save(dir.path(), "kh.xlsx");
    refused(
        dir.path(),
        &wb,
        &[
            "lỗi: trang ThongTin, mục «Người ký»: thiếu mục bắt buộc «Người ký» trong trang ThongTin",
            "cột A «Người ký»",
        ],
    );
    // A label with no row at all is the same error.
    let wb = Book::base().clear_at("ThongTin!A7").clear_at("ThongTin!B7").save(dir.path(), "kh2.xlsx");
    refused(dir.path(), &wb, &["lỗi: trang ThongTin, mục «Địa danh»: thiếu mục bắt buộc «Địa danh»"]);
}

#[test]
fn unknown_label_sheet_and_column_are_warnings() {
    let dir = tmp();
    let wb = Book::base()
        .set_at("ThongTin!A15", "Trich yeuu")
        .set_at("ThongTin!B15", "x")
        .set_at("NhiemVu!I1", "Ghi chuu")
        .set_at("NhiemVu!I2", "y")
        .table("ChiSoo", vec![row!["Mã", "Chỉ số"], row!["X", "Một chỉ số"]])
        .save(dir.path(), "kh.xlsx");
    let (check, _) = passes_check(
        dir.path(),
        &wb,
        &[
            "cảnh báo: ThongTin!A15: mục «Trich yeuu» không thuộc mẫu, bỏ qua\n  → có phải «Trích yếu»?",
            "cảnh báo: trang ChiSoo: trang «ChiSoo» không thuộc mẫu, bỏ qua\n  → có phải trang «ChiSo»?",
            "cảnh báo: NhiemVu!I1: cột «Ghi chuu» không thuộc mẫu của trang NhiemVu, bỏ qua\n  → có phải «Ghi chú»?",
            "kh.xlsx: không có lỗi, 3 cảnh báo.",
        ],
    );
    // (passes_check also found the folder untouched.)
    assert!(error_blocks(&check.stderr).is_empty());
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

#[test]
fn impossible_dates() {
    base_refused(
        &[("NhiemVu!F7", "31/02/2021".into()), ("ThongTin!B8", "30/02/2021".into())],
        &[
            "lỗi: NhiemVu!F7: ngày «31/02/2021» ở cột «Ngày hoàn thành» không có thật\n  → sửa lại ngày, tháng",
            "lỗi: ThongTin!B8: ngày «30/02/2021» ở cột «Ngày ban hành» không có thật",
        ],
        Some(2),
    );
    // Text that is no date at all.
    base_refused(
        &[("NhiemVu!F4", "hôm qua".into())],
        &["lỗi: NhiemVu!F4: cột «Ngày hoàn thành» cần một ngày, ô ghi «hôm qua»", "dd/mm/yyyy"],
        None,
    );
}

#[test]
fn numbers_that_are_not_numbers() {
    base_refused(
        &[("ChiSo!C3", "mười hai".into()), ("ChiSo!E2", "9.5.1".into())],
        &[
            "lỗi: ChiSo!C3: cột «Điểm tối đa» cần một số, ô ghi «mười hai»\n  → ghi số, dùng dấu phẩy thập phân: 10,5",
            "lỗi: ChiSo!E2: cột «Mục tiêu» cần một số, ô ghi «9.5.1»",
        ],
        None,
    );
}

#[test]
fn invalid_cap_values() {
    base_refused(
        &[("NoiDung!A2", "5".into()), ("NoiDung!A5", "NHIEM VU CHINH".into())],
        &[
            "lỗi: NoiDung!A2: Cấp «5» không hợp lệ\n  → Cấp là 1, 2, 3, 4, -, +, NHIEMVU, CHISO hoặc để trống",
            "lỗi: NoiDung!A5: Cấp «NHIEM VU CHINH» không hợp lệ",
        ],
        Some(2),
    );
    // Every accepted spelling is no error.
    let dir = tmp();
    let wb = Book::base()
        .set_at("NoiDung!A3", "-")
        .set_at("NoiDung!A6", "+")
        .set_at("NoiDung!C6", "Một ý")
        .set_at("NoiDung!A7", "Chỉ số")
        .set_at("NoiDung!A8", "2")
        .set_at("NoiDung!B8", "Mục con")
        .save(dir.path(), "ok.xlsx");
    passes_check(dir.path(), &wb, &[]);
}

#[test]
fn progress_outside_0_to_100() {
    base_refused(
        &[("NhiemVu!G3", 150.into()), ("NhiemVu!G4", (-5).into()), ("NhiemVu!G5", "gần xong".into())],
        &[
            "lỗi: NhiemVu!G3: Tiến độ 150 nằm ngoài 0–100",
            "lỗi: NhiemVu!G4: Tiến độ -5 nằm ngoài 0–100",
            "lỗi: NhiemVu!G5: Tiến độ «gần xong» không phải số phần trăm",
            "ghi số từ 0 đến 100",
        ],
        Some(3),
    );
}

#[test]
fn excel_error_cells_in_every_column_read() {
    let check = base_refused(
        &[
            ("ThongTin!B9", formula("=#REF!", "#REF!")),               // Trích yếu (text)
            ("ThongTin!B8", formula("=NA()", "#N/A")),                 // Ngày ban hành (date)
            ("NoiDung!C3", formula("=1/0", "#DIV/0!")),                // Nội dung (text)
            ("NhiemVu!D3", formula("=NA()", "#N/A")),                  // Phối hợp
            ("NhiemVu!F2", formula("=DATE(2021,1,1)-#REF!", "#REF!")), // Ngày hoàn thành (date)
            ("NhiemVu!G2", formula("=1/0", "#DIV/0!")),                // Tiến độ (number)
            ("ChiSo!C2", formula("=1/0", "#DIV/0!")),                  // Điểm tối đa (number)
            ("DonVi!B3", formula("=XYZ()", "#NAME?")),                 // Tên đơn vị
        ],
        &[
            "lỗi: ThongTin!B9: ô có lỗi Excel #REF!\n  → sửa công thức (hoặc nhập thẳng giá trị) để ô không còn lỗi",
            "lỗi: ThongTin!B8: ô có lỗi Excel #N/A",
            "lỗi: NoiDung!C3: ô có lỗi Excel #DIV/0!",
            "lỗi: NhiemVu!D3: ô có lỗi Excel #N/A",
            "lỗi: NhiemVu!F2: ô có lỗi Excel #REF!",
            "lỗi: NhiemVu!G2: ô có lỗi Excel #DIV/0!",
            "lỗi: ChiSo!C2: ô có lỗi Excel #DIV/0!",
            "lỗi: DonVi!B3: ô có lỗi Excel #NAME?",
        ],
        // One error per broken cell: the field is not also called missing,
        // the unit is not also called unknown.
        Some(8),
    );
    assert!(!check.stderr.contains("thiếu mục"), "{check:?}");
    assert!(warnings(&check).is_empty(), "{check:?}");
}

#[test]
fn excel_error_cells_cached_by_libreoffice() {
    let dir = tmp();
    let wb = fixture(dir.path(), "loi-excel.xlsx");
    let check = refused(
        dir.path(),
        &wb,
        &[
            "lỗi: ThongTin!B9: ô có lỗi Excel #REF!",
            "lỗi: NhiemVu!D3: ô có lỗi Excel #N/A",
            "lỗi: ChiSo!C2: ô có lỗi Excel #DIV/0!",
            "lỗi: DonVi!B3: ô có lỗi Excel #VALUE!",
        ],
    );
    assert_eq!(error_blocks(&check.stderr).len(), 4, "{check:?}");
}

#[test]
fn formula_without_cached_value() {
    let dir = tmp();
    let wb = fixture(dir.path(), "cong-thuc-chua-tinh.xlsx");
    refused(
        dir.path(),
        &wb,
        &[
            "lỗi: NhiemVu!G4: công thức «=50+25» chưa có giá trị đã tính",
            "lỗi: ChiSo!E3: công thức «=D3+1» chưa có giá trị đã tính",
            "mở tệp bằng Excel/LibreOffice, lưu lại",
        ],
    );
}

#[test]
fn duplicate_unit_codes() {
    base_refused(
        &[("DonVi!A4", "vps".into())],
        &[
            "lỗi: DonVi!A4: mã đơn vị «vps» trùng với mã «VPS» ở DonVi!A2\n  → mỗi đơn vị một mã riêng",
            "lỗi: DonVi!A2: mã đơn vị «VPS» bị trùng ở DonVi!A4",
        ],
        None,
    );
}

#[test]
fn unit_code_that_cannot_be_a_file_name() {
    base_refused(
        &[("DonVi!A3", "***".into())],
        &["lỗi: DonVi!A3: mã đơn vị «***» không dùng được trong tên tệp", "ví dụ VPS, CCTY"],
        None,
    );

    // A code with path characters is folded (a warning) and the file stays
    // inside the output folder.
    let dir = tmp();
    let wb = Book::base().set_at("DonVi!A4", "../../PKH").set_at("NhiemVu!C5", "../../PKH").save(dir.path(), "kh.xlsx");
    passes_check(
        dir.path(),
        &wb,
        &["cảnh báo: DonVi!A4: mã đơn vị «../../PKH» có ký tự không dùng được trong tên tệp; tên tệp sẽ dùng «pkh»"],
    );
    let batch = run_in(dir.path(), &["batch", &wb, "--out-dir", "out", "--ignore-system-fonts", "--quiet"]);
    assert_eq!(batch.code, 0, "{batch:?}");
    let mut files: Vec<String> = snapshot(dir.path()).keys().map(|p| p.display().to_string()).collect();
    files.sort();
    assert_eq!(
        files,
        vec!["kh.xlsx", "out", "out/ccty-ke-hoach-2021.pdf", "out/pkh-ke-hoach-2021.pdf", "out/vps-ke-hoach-2021.pdf"]
    );
}

// ---------------------------------------------------------------------------
// Templates in cells
// ---------------------------------------------------------------------------

#[test]
fn template_syntax_error_and_undefined_variable() {
    let dir = tmp();
    let wb = Book::base()
        .set_at("NoiDung!C3", "Kế hoạch năm {{ nam + }} của Sở")
        .set_at("NhiemVu!B4", "Kiểm tra {{ khong_co_bien }}")
        .save(dir.path(), "kh.xlsx");
    // Cells of the plan: `plan` and `batch` evaluate them (the report does
    // not print NoiDung and NhiemVu's text through the same cells).
    let check = refused_by(
        dir.path(),
        &wb,
        &[
            "lỗi: NoiDung!C3: biểu thức «{{ nam + }}»",
            "lỗi: NhiemVu!B4: biểu thức «{{ khong_co_bien }}»",
            "khong_co_bien",
        ],
        &[PLAN, PLAN_DEFAULT, BATCH],
    );
    assert_eq!(error_blocks(&check.stderr).len(), 2, "{check:?}");
    assert!(check.stderr.contains("bỏ cặp {{ }}"), "{check:?}");
}

#[test]
fn template_error_in_report_settings() {
    let dir = tmp();
    let wb = Book::base()
        .table(
            "BaoCao",
            vec![
                row!["Mục", "Giá trị"],
                row!["Ký hiệu", "BC-SNNPTNT"],
                row!["Kính gửi", "Ủy ban nhân dân tỉnh"],
                row!["Phương hướng", "Tiếp tục thực hiện {{ ke_hoach_nam_sau }}"],
            ],
        )
        .save(dir.path(), "kh.xlsx");
    let batch_report: &[&str] =
        &["batch", "{wb}", "--kind", "report", "--quarter", "2", "--out-dir", "out/batch", "--ignore-system-fonts"];
    let check = refused_by(
        dir.path(),
        &wb,
        &["lỗi: BaoCao!B4: biểu thức «{{ ke_hoach_nam_sau }}»: biến «ke_hoach_nam_sau» chưa được định nghĩa"],
        &[REPORT, batch_report],
    );
    assert_eq!(error_blocks(&check.stderr).len(), 1, "{check:?}");
}

/// The report lists the tasks (Nội dung, Chủ trì, Thời hạn, Kết quả thực
/// hiện) but takes their text as written, so `{{ … }}` in a task cell is
/// printed raw and an error in it is not caught.
#[test]
fn report_refuses_template_errors_in_task_cells() {
    let dir = tmp();
    let wb = Book::base().set_at("NhiemVu!B4", "Kiểm tra {{ khong_co_bien }}").save(dir.path(), "kh.xlsx");
    refused_by(dir.path(), &wb, &["lỗi: NhiemVu!B4: biểu thức «{{ khong_co_bien }}»"], &[REPORT]);
}

#[test]
fn template_using_unit_variables_is_checked_per_unit() {
    let dir = tmp();
    // `don_vi` exists only in batch; a typo in its field is still caught.
    let wb = Book::base().set_at("NoiDung!C3", "Đơn vị {{ don_vi.tenn }} thực hiện").save(dir.path(), "kh.xlsx");
    let check = run_in(dir.path(), &["check", &wb]);
    assert_eq!(check.code, 1, "{check:?}");
    assert_has(&check, "check", &["lỗi: NoiDung!C3: biểu thức «{{ don_vi.tenn }}»"]);
}

// ---------------------------------------------------------------------------
// Domain warnings
// ---------------------------------------------------------------------------

#[test]
fn domain_warnings_do_not_stop_rendering() {
    let dir = tmp();
    let wb = Book::base()
        .set_at("ThongTin!B6", "BC-SNNPTNT")
        .set_at("ThongTin!B10", "GIÁM ĐỐC")
        .set_at("NhiemVu!E5", "Sau khi có kinh phí")
        .set_at("NhiemVu!C6", "Phòng Kế hoạch Tài chánh")
        .save(dir.path(), "kh.xlsx");
    let (check, _) = passes_check(
        dir.path(),
        &wb,
        &[
            "cảnh báo: ThongTin!B6: ký hiệu «BC-SNNPTNT» bắt đầu bằng «BC», nhưng văn bản là KẾ HOẠCH (viết tắt KH)",
            "bắt đầu bằng «KH-»",
            "cảnh báo: ThongTin!B10: dòng quyền hạn ký «GIÁM ĐỐC» không bắt đầu bằng TM., KT., TL., TUQ. hay Q.",
            "cảnh báo: NhiemVu!E5: không hiểu thời hạn «Sau khi có kinh phí»",
            "«Quý III/2024»",
            "cảnh báo: NhiemVu!C6: «Phòng Kế hoạch Tài chánh» không khớp đơn vị nào ở trang DonVi\n  → có phải «Phòng Kế hoạch - Tài chính»?",
            "không có lỗi, 4 cảnh báo",
        ],
    );
    assert!(error_blocks(&check.stderr).is_empty(), "{check:?}");

    // --quiet: no warning and no summary, still exit 0.
    let quiet = run_in(dir.path(), &["check", "--quiet", &wb]);
    assert_eq!(quiet.code, 0, "{quiet:?}");
    assert!(quiet.stderr.trim().is_empty(), "{quiet:?}");

    // Warnings alone: the plan is written.
    let before = snapshot(dir.path());
    let plan = run_in(dir.path(), &["plan", &wb, "-o", "out/kh.pdf", "--ignore-system-fonts", "--quiet"]);
    assert_eq!(plan.code, 0, "{plan:?}");
    assert!(!plan.stderr.contains("cảnh báo"), "{plan:?}");
    assert_eq!(plan.stdout.trim(), "out/kh.pdf");
    let after = snapshot(dir.path());
    let new: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(new, vec![Path::new("out"), Path::new("out/kh.pdf")], "only the PDF, no temporary file");
    assert_eq!(after[Path::new(&wb)], before[Path::new(&wb)], "workbook unchanged");
}

#[test]
fn quiet_hides_warnings_but_not_errors() {
    let dir = tmp();
    let wb =
        Book::base().set_at("ThongTin!B6", "BC-SNNPTNT").set_at("NhiemVu!F7", "31/02/2021").save(dir.path(), "kh.xlsx");
    let loud = run_in(dir.path(), &["check", &wb]);
    assert_eq!(loud.code, 1, "{loud:?}");
    assert_eq!(warnings(&loud).len(), 1, "{loud:?}");
    let quiet = run_in(dir.path(), &["check", "-q", &wb]);
    assert_eq!(quiet.code, 1, "{quiet:?}");
    assert!(warnings(&quiet).is_empty(), "{quiet:?}");
    assert_eq!(error_blocks(&quiet.stderr), error_blocks(&loud.stderr));
    let plan = run_in(dir.path(), &["plan", &wb, "--quiet", "--ignore-system-fonts", "-o", "out/kh.pdf"]);
    assert_eq!(plan.code, 1, "{plan:?}");
    assert!(!plan.stderr.contains("cảnh báo"), "{plan:?}");
    assert!(plan.stderr.contains("lỗi: NhiemVu!F7"), "{plan:?}");
    assert!(!dir.path().join("out").exists());
}

// ---------------------------------------------------------------------------
// Legacy Vietnamese encodings
// ---------------------------------------------------------------------------

#[test]
fn legacy_encodings_are_detected_and_fixed() {
    let dir = tmp();
    // `Kế hoạch cải cách hành chính` typed with .VnTime (TCVN3), and
    // `Kế hoạch kiểm tra` with VNI-Times, as Excel shows them.
    let wb = Book::base()
        .set_at("ThongTin!B9", "KÕ ho¹ch c¶i c¸ch hµnh chÝnh")
        .set_at("NhiemVu!B4", "Keá hoaïch kieåm tra")
        .save(dir.path(), "kh.xlsx");
    let (_, before) = passes_check(
        dir.path(),
        &wb,
        &[
            "cảnh báo: ThongTin!B9: chữ có vẻ gõ bằng bảng mã TCVN3 (ABC, phông .VnTime); đọc ra là «Kế hoạch cải cách hành chính»",
            "cảnh báo: NhiemVu!B4: chữ có vẻ gõ bằng bảng mã VNI (phông VNI-Times); đọc ra là «Kế hoạch kiểm tra»",
            "--fix-encoding",
        ],
    );
    let fixed = run_in(dir.path(), &["check", "--fix-encoding", &wb]);
    assert_eq!(fixed.code, 0, "{fixed:?}");
    assert_has(
        &fixed,
        "check --fix-encoding",
        &[
            "ThongTin!B9: chữ gõ bằng bảng mã TCVN3 (ABC, phông .VnTime) đã được chuyển sang Unicode: «Kế hoạch cải cách hành chính»",
            "NhiemVu!B4: chữ gõ bằng bảng mã VNI (phông VNI-Times) đã được chuyển sang Unicode: «Kế hoạch kiểm tra»",
        ],
    );
    assert_untouched(dir.path(), &before, "check --fix-encoding");

    // The plan's data carries the decoded text; the workbook is not rewritten.
    let plan = run_in(
        dir.path(),
        &["plan", &wb, "--fix-encoding", "--emit", "json", "-o", "out/kh.pdf", "--ignore-system-fonts", "--quiet"],
    );
    assert_eq!(plan.code, 0, "{plan:?}");
    let json = std::fs::read_to_string(dir.path().join("out/kh.json")).unwrap();
    assert!(json.contains("Kế hoạch cải cách hành chính"), "{json}");
    assert!(json.contains("Kế hoạch kiểm tra"), "{json}");
    assert!(!json.contains("KÕ") && !json.contains("Keá"), "{json}");
    let after = snapshot(dir.path());
    assert_eq!(after[Path::new(&wb)], before[Path::new(&wb)], "workbook unchanged by --fix-encoding");
    // Without the flag the mojibake is printed as typed (and warned about).
    let plan = run_in(dir.path(), &["plan", &wb, "--emit", "json", "-o", "out/raw.pdf", "--ignore-system-fonts"]);
    assert_eq!(plan.code, 0, "{plan:?}");
    assert_eq!(warnings(&plan).iter().filter(|w| w.contains("bảng mã")).count(), 2, "{plan:?}");
}

// ---------------------------------------------------------------------------
// Everything at once
// ---------------------------------------------------------------------------

#[test]
fn check_lists_every_problem_in_one_run() {
    let dir = tmp();
    let wb = Book::base()
        .clear_at("ThongTin!B12") // ThongTin: Người ký empty
        .set_at("NoiDung!A2", "9") // NoiDung: bad Cấp
        .set_at("NhiemVu!F7", "31/02/2021") // NhiemVu: impossible date
        .set_at("NhiemVu!G3", 150) // NhiemVu: progress
        .set_at("ChiSo!C3", "mười hai") // ChiSo: not a number
        .set_at("DonVi!A4", "CCTY") // DonVi: duplicate code
        .set_at("ThongTin!B6", "BC-SNNPTNT") // a warning too
        .save(dir.path(), "kh.xlsx");
    let check = refused(
        dir.path(),
        &wb,
        &[
            "lỗi: trang ThongTin, mục «Người ký»: thiếu mục bắt buộc «Người ký»",
            "lỗi: NoiDung!A2: Cấp «9» không hợp lệ",
            "lỗi: NhiemVu!F7: ngày «31/02/2021» ở cột «Ngày hoàn thành» không có thật",
            "lỗi: NhiemVu!G3: Tiến độ 150 nằm ngoài 0–100",
            "lỗi: ChiSo!C3: cột «Điểm tối đa» cần một số, ô ghi «mười hai»",
            "lỗi: DonVi!A4: mã đơn vị «CCTY» trùng với mã «CCTY» ở DonVi!A3",
            "lỗi: DonVi!A3: mã đơn vị «CCTY» bị trùng ở DonVi!A4",
            "cảnh báo: ThongTin!B6: ký hiệu «BC-SNNPTNT»",
            // PKH's row now says CCTY: the tasks led by PKH name no unit.
            "cảnh báo: NhiemVu!C5: «PKH» không khớp đơn vị nào ở trang DonVi (cũng ở 2 ô khác: C6, D7)",
            "kh.xlsx: 7 lỗi, 2 cảnh báo. Sửa các lỗi trên rồi chạy lại.",
        ],
    );
    assert_eq!(error_blocks(&check.stderr).len(), 7, "{check:?}");
}

#[test]
fn sample_and_reference_workbooks_have_no_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut books = vec![root.join("data/ke-hoach-mau.xlsx")];
    for e in std::fs::read_dir(root.join("tests/fixtures/reference")).unwrap() {
        let p = e.unwrap().path();
        if matches!(p.extension().and_then(|x| x.to_str()), Some("xlsx" | "xls" | "ods")) {
            books.push(p);
        }
    }
    assert!(books.len() >= 9, "{books:?}");
    let dir = tmp();
    for b in books {
        let out = run_in(dir.path(), &["check", b.to_str().unwrap()]);
        assert_eq!(out.code, 0, "{}: {out:?}", b.display());
        assert!(error_blocks(&out.stderr).is_empty(), "{}: {out:?}", b.display());
        assert!(out.stderr.contains("không có lỗi"), "{}: {out:?}", b.display());
    }
}

// ---------------------------------------------------------------------------
// Output safety
// ---------------------------------------------------------------------------

#[test]
fn a_failed_render_leaves_no_file() {
    let dir = tmp();
    let wb = Book::base().save(dir.path(), "kh.xlsx");
    std::fs::write(dir.path().join("mau-loi.typ"), "#let x = (\n= Tiêu đề #undefined_function()\n").unwrap();
    age(&dir.path().join(&wb));
    let before = snapshot(dir.path());
    for cmd in [PLAN, REPORT, BATCH] {
        let mut args = with_wb(cmd, &wb);
        args.extend(["--template", "mau-loi.typ"]);
        let out = run_in(dir.path(), &args);
        assert_eq!(out.code, 1, "{args:?}: {out:?}");
        assert!(out.stderr.contains("lỗi"), "{out:?}");
        assert_untouched(dir.path(), &before, &args.join(" "));
    }
}

#[test]
fn an_old_output_is_kept_when_the_workbook_has_an_error() {
    let dir = tmp();
    let wb = Book::base().set_at("NhiemVu!F7", "31/02/2021").save(dir.path(), "kh.xlsx");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/kh.pdf"), b"%PDF-1.7 ban cu").unwrap();
    age(&dir.path().join("out/kh.pdf"));
    refused(dir.path(), &wb, &["lỗi: NhiemVu!F7"]);
    assert_eq!(std::fs::read(dir.path().join("out/kh.pdf")).unwrap(), b"%PDF-1.7 ban cu");
}

#[test]
fn an_unwritable_output_leaves_no_temporary_file() {
    let dir = tmp();
    let wb = Book::base().save(dir.path(), "kh.xlsx");
    // The output folder is a file: nothing can be written there.
    std::fs::write(dir.path().join("out"), b"not a folder").unwrap();
    age(&dir.path().join(&wb));
    let before = snapshot(dir.path());
    let out = run_in(dir.path(), &["plan", &wb, "-o", "out/kh.pdf", "--ignore-system-fonts", "--quiet"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("out/kh.pdf"), "names the file: {out:?}");
    assert_untouched(dir.path(), &before, "plan into a file");
}

#[test]
fn no_command_modifies_the_workbook() {
    let dir = tmp();
    let wb = Book::base().set_at("ThongTin!B9", "KÕ ho¹ch c¶i c¸ch hµnh chÝnh").save(dir.path(), "kh.xlsx");
    age(&dir.path().join(&wb));
    let path = dir.path().join(&wb);
    let bytes = std::fs::read(&path).unwrap();
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let runs: &[&[&str]] = &[
        &["check", "{wb}"],
        &["check", "{wb}", "--fix-encoding"],
        &["plan", "{wb}", "-o", "o/kh.pdf", "--ignore-system-fonts", "--fix-encoding", "--emit", "typ"],
        &["report", "{wb}", "--quarter", "3", "-o", "o/bc.pdf", "--ignore-system-fonts", "--fix-encoding"],
        &[
            "batch",
            "{wb}",
            "--out-dir",
            "o/b",
            "--ignore-system-fonts",
            "--fix-encoding",
            "--kind",
            "report",
            "--quarter",
            "4",
        ],
    ];
    for cmd in runs {
        let args = with_wb(cmd, &wb);
        let out = run_in(dir.path(), &args);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{args:?} changed the workbook");
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime, "{args:?} touched the workbook");
    }
    // And nothing but finished outputs was written: no temporary file.
    let tmp: Vec<PathBuf> = snapshot(dir.path()).into_keys().filter(|p| p.to_string_lossy().contains(".tmp")).collect();
    assert!(tmp.is_empty(), "{tmp:?}");
}

#[test]
fn a_broken_template_names_its_file_and_line() {
    let dir = tmp();
    let wb = Book::base().save(dir.path(), "kh.xlsx");
    std::fs::write(dir.path().join("mau.typ"), "#let x = 1\n#khong_co_ham()\n").unwrap();
    for cmd in [PLAN, BATCH] {
        let mut args = with_wb(cmd, &wb);
        args.extend(["--template", "mau.typ"]);
        let out = run_in(dir.path(), &args);
        assert_eq!(out.code, 1, "{args:?}: {out:?}");
        assert!(
            out.stderr.contains("lỗi: mau.typ:2:2: mẫu Typst: unknown variable: khong_co_ham"),
            "{args:?}: {out:?}"
        );
    }
    // The library's render error is a diagnostic at the template's place,
    // not a line of text: code, file, line and column are fields.
    let template = dir.path().join("mau.typ");
    let opts = vanban::pipeline::EngineOptions {
        template: Some(template.clone()),
        ignore_system_fonts: true,
        ..Default::default()
    };
    let engine = vanban::pipeline::Engine::new(&opts).expect("engine");
    let (book, _) = vanban::pipeline::load(vanban::pipeline::Source::Path(&dir.path().join(&wb)), false);
    let built = vanban::pipeline::build(&book.expect("workbook"), vanban::pipeline::What::Plan).0.expect("built");
    let err = vanban::pipeline::render(&engine, &built, vanban::pipeline::Format::Pdf, Default::default())
        .expect_err("the template does not compile");
    let d = &err.diagnostics[0];
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    assert!(d.is_error() && d.code == "mau-typst", "{d:?}");
    assert_eq!(d.loc.file.as_deref(), Some(template.display().to_string().as_str()));
    assert_eq!(d.loc.pos, Some(vanban::diag::TextPos { line: 2, column: 2 }));
    assert_eq!(d.message, "mẫu Typst: unknown variable: khong_co_ham");
}
