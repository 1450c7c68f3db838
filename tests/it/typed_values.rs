//! Workbooks typed the way offices type them (issue 10, classes 2–5, 7, 8),
//! from committed fixtures written by openpyxl and LibreOffice
//! (`tests/fixtures/make_typed.py`): typed numbering, Số typed in full,
//! deadlines with several periods, `(*)`, tabs, `«…»`, an emoji, status words,
//! a percent-formatted progress and a month-formatted date; and the choice of
//! face with both Liberation packages installed.

use crate::common::*;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/typed").join(name)
}

/// A scratch directory holding the fixture as `wb.<ext>`.
fn with_fixture(name: &str) -> (tempfile::TempDir, String) {
    let dir = tmp();
    let ext = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or("xlsx");
    let file = format!("wb.{ext}");
    std::fs::copy(fixture(name), dir.path().join(&file)).expect("copy fixture");
    (dir, file)
}

fn pdf_text(dir: &Path, name: &str) -> String {
    let bytes = std::fs::read(dir.join(name)).expect("PDF written");
    Pdf::load(&bytes).expect("PDF readable").text()
}

/// The warnings of one cell, joined.
fn at<'a>(stderr: &'a str, cell: &str) -> Vec<&'a str> {
    stderr.lines().filter(|l| l.contains(&format!("{cell}:"))).collect()
}

#[test]
fn check_accepts_values_typed_in_full_and_names_the_cells() {
    let (dir, wb) = with_fixture("go-tay.xlsx");
    let out = run_in(dir.path(), &["check", &wb]);
    assert!(out.ok(), "{}", out.stderr);
    let e = &out.stderr;
    // Typed numbering: duplicates removed, disagreements said.
    assert!(at(e, "NoiDung!B2").iter().any(|l| l.contains("«I.»") && l.contains("đã bỏ")), "{e}");
    assert!(at(e, "NoiDung!B3").iter().any(|l| l.contains("«1.»") && l.contains("đã bỏ")), "{e}");
    assert!(
        at(e, "NoiDung!C4").iter().any(|l| l.contains("«a)»") && l.contains("khác") && l.contains("«1.1.»")),
        "{e}"
    );
    assert!(at(e, "NoiDung!C5").iter().any(|l| l.contains("«-»")), "{e}");
    assert!(at(e, "NoiDung!B7").iter().any(|l| l.contains("«3.»") && l.contains("khác") && l.contains("«2.»")), "{e}");
    assert!(at(e, "NhiemVu!B2").iter().any(|l| l.contains("«1.»")), "{e}");
    // Số in full with the same ký hiệu, Năm with its label, KT. without its space: accepted silently.
    for cell in ["ThongTin!B4", "ThongTin!B7", "ThongTin!B8", "ThongTin!B11"] {
        assert!(at(e, cell).is_empty(), "{cell}: {e}");
    }
    // «…» is Unicode, not TCVN3.
    assert!(!e.contains("TCVN3") && !e.contains("VNI"), "{e}");
    // Deadlines with several periods are understood; none is «không hiểu».
    for cell in ["NhiemVu!D2", "NhiemVu!D3", "NhiemVu!D4", "NhiemVu!D5"] {
        assert!(at(e, cell).is_empty(), "{cell}: {e}");
    }
    // Status words: an unknown one named, the ones that count as something else said.
    assert!(at(e, "NhiemVu!E7").iter().any(|l| l.contains("«Sắp xong»") && l.contains("không thuộc")), "{e}");
    assert!(at(e, "NhiemVu!E5").iter().any(|l| l.contains("«Tạm dừng»") && l.contains("chưa hoàn thành")), "{e}");
    assert!(at(e, "NhiemVu!E6").iter().any(|l| l.contains("«Không thực hiện»")), "{e}");
    assert!(at(e, "NhiemVu!E2").is_empty() && at(e, "NhiemVu!E3").is_empty(), "{e}");
}

#[test]
fn plan_prints_what_was_meant() {
    let (dir, wb) = with_fixture("go-tay.xlsx");
    let out = run_in(dir.path(), &["plan", &wb, "-o", "out.pdf", "--ignore-system-fonts"]);
    assert!(out.ok(), "{}", out.stderr);
    let text = pdf_text(dir.path(), "out.pdf");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("I. MỤC ĐÍCH"), "{text}");
    for doubled in ["I. I.", "1. 1.", "1.1. a)", "- -", "+ +", "1 1. Rà soát"] {
        assert!(!flat.contains(doubled), "«{doubled}» in {text}");
    }
    assert!(flat.contains("Số: 54/KH-SNNPTNT") && !flat.contains("KH-SNNPTNT/KH"), "{text}");
    assert!(flat.contains("ngày 30 tháng 6 năm 2021"), "{text}");
    assert!(flat.contains("KT. GIÁM ĐỐC"), "{text}");
    // The tab is a space; footnote stars and guillemets are printed as typed.
    assert!(flat.contains("chỉ số cải cách"), "{text}");
    assert!(flat.contains("tiêu chí (*) là") && flat.contains("mất điểm (*) năm"), "{text}");
    assert!(flat.contains("«Chung tay cải cách hành chính»"), "{text}");
    // The month-formatted date cell as Excel shows it.
    assert!(flat.contains("Tháng 9/2021") && !flat.contains("01/09/2021"), "{text}");
    // The emoji the face lacks: a warning naming the cell.
    assert!(at(&out.stderr, "ThongTin!B10").iter().any(|l| l.contains("«✅»")), "{}", out.stderr);
}

/// The same report from the xlsx and from LibreOffice's .ods and .xls of
/// it: the percent and month formats are read in every format (calamine
/// gives them for xlsx only; formats.rs reads the .ods styles and the .xls
/// FORMAT/XF records).
#[test]
fn report_counts_statuses_deadlines_and_percent_cells() {
    for name in ["go-tay.xlsx", "go-tay.ods", "go-tay.xls"] {
        let (dir, wb) = with_fixture(name);
        let out = run_in(dir.path(), &["report", &wb, "--quarter", "4", "-o", "bc.pdf", "--ignore-system-fonts"]);
        assert!(out.ok(), "{name}: {}", out.stderr);
        let text = pdf_text(dir.path(), "bc.pdf");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // 0.5 in a 0% cell is 50 (the column is in %), never 0,5.
        assert!(flat.contains("Cập nhật cơ sở dữ liệu VP 50") && !flat.contains("0,5"), "{name}: {text}");
        // Two done on time (the multi-period deadline ends 31/12/2021, «Đã
        // hoàn thành 100%» and «HT» are done); two overdue (due 30/9: «Đang
        // triển khai», and «Tạm dừng» on the month cell, due at the month's
        // end); one not yet due, and one not yet due with progress 50%,
        // being worked on (report.md).
        assert!(flat.contains("tổng số 6 nhiệm vụ, đã hoàn thành 2 nhiệm vụ"), "{name}: {text}");
        for line in ["Hoàn thành đúng hạn 2", "Quá hạn chưa hoàn thành 2", "Chưa đến hạn 1", "Đang thực hiện 1"]
        {
            assert!(flat.contains(line), "{name}: «{line}» in {text}");
        }
        assert!(!flat.contains("1. Rà soát"), "{name}: {text}");
    }
}

/// A date cell formatted `"Tháng "m/yyyy` prints as the month in every
/// format, not as the 1st of it.
#[test]
fn month_formatted_dates_in_ods_and_xls() {
    for name in ["go-tay.ods", "go-tay.xls"] {
        let (dir, wb) = with_fixture(name);
        let out = run_in(dir.path(), &["plan", &wb, "-o", "out.pdf", "--ignore-system-fonts"]);
        assert!(out.ok(), "{name}: {}", out.stderr);
        let flat = pdf_text(dir.path(), "out.pdf").split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("phần mềm một cửa VP Tháng 9/2021"), "{name}: {flat}");
        assert!(!flat.contains("01/09/2021"), "{name}: {flat}");
    }
}

#[test]
fn guillemets_survive_fix_encoding() {
    let (dir, wb) = with_fixture("go-tay.xlsx");
    let out = run_in(dir.path(), &["plan", &wb, "-o", "out.pdf", "--ignore-system-fonts", "--fix-encoding"]);
    assert!(out.ok(), "{}", out.stderr);
    assert!(!out.stderr.contains("ma-cu") && !out.stderr.contains("bảng mã"), "{}", out.stderr);
    let flat = pdf_text(dir.path(), "out.pdf").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("«Chung tay cải cách hành chính»"), "{flat}");
}

#[test]
fn ods_saved_by_libreoffice_reads_the_same() {
    let (dir, wb) = with_fixture("go-tay.ods");
    let out = run_in(dir.path(), &["check", &wb]);
    assert!(out.ok(), "{}", out.stderr);
    assert!(at(&out.stderr, "NoiDung!B2").iter().any(|l| l.contains("«I.»")), "{}", out.stderr);
    assert!(!out.stderr.contains("TCVN3"), "{}", out.stderr);
    let out = run_in(dir.path(), &["plan", &wb, "-o", "out.pdf", "--ignore-system-fonts"]);
    assert!(out.ok(), "{}", out.stderr);
    let flat = pdf_text(dir.path(), "out.pdf").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Số: 54/KH-SNNPTNT") && !flat.contains("I. I."), "{flat}");
}

/// Debian's fonts-liberation (1.07, no Vietnamese) beside fonts-liberation2:
/// the faces that cover Vietnamese are used, with no font warning.
#[test]
fn both_liberation_packages_installed() {
    let old = Path::new("/usr/share/fonts/truetype/liberation");
    let new = Path::new("/usr/share/fonts/truetype/liberation2");
    assert!(
        old.join("LiberationSerif-Regular.ttf").is_file() && new.join("LiberationSerif-Regular.ttf").is_file(),
        "this test needs fonts-liberation and fonts-liberation2 (apt-get install fonts-liberation fonts-liberation2)"
    );
    let (dir, wb) = with_fixture("go-tay.xlsx");
    // Old first, as a system scan may list it.
    let out = run_in(
        dir.path(),
        &[
            "plan",
            &wb,
            "-o",
            "out.pdf",
            "--ignore-system-fonts",
            "--font-path",
            old.to_str().unwrap_or_default(),
            "--font-path",
            new.to_str().unwrap_or_default(),
        ],
    );
    assert!(out.ok(), "{}", out.stderr);
    assert!(out.stderr.contains("phông chữ: Liberation Serif"), "{}", out.stderr);
    assert!(!out.stderr.contains("fonts-liberation2"), "{}", out.stderr);
    let pdf = Pdf::load(&std::fs::read(dir.path().join("out.pdf")).expect("pdf")).expect("readable");
    let fonts = pdf.fonts();
    assert!(fonts.iter().any(|f| f.contains("LiberationSerif")), "{fonts:?}");
    assert!(pdf.text().contains("Độc lập - Tự do - Hạnh phúc"), "{}", pdf.text());
}

/// With no Times-compatible face at all (the embedded fallback), the header
/// still holds: quốc hiệu on one line, Số level with the place-date — in the plan (Số given) and in the report
/// (Số and date left blank, the widest Số line).
#[test]
fn header_holds_with_the_embedded_face() {
    let (dir, wb) = with_fixture("go-tay.xlsx");
    for (cmd, extra, symbol) in [("plan", vec![], "/KH-SNNPTNT"), ("report", vec!["--quarter", "4"], "/BC-SNNPTNT")] {
        let mut args = vec![cmd, wb.as_str(), "-o", "out.pdf", "--ignore-system-fonts"];
        args.extend(extra);
        let out = run_in(dir.path(), &args);
        assert!(out.ok(), "{}", out.stderr);
        let pdf = Pdf::load(&std::fs::read(dir.path().join("out.pdf")).expect("pdf")).expect("readable");
        let page = &pdf.pages[0];
        assert!(page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").is_some(), "{cmd}: {}", page.text());
        let so = page.line("Số:").expect("Số line");
        let date = page.line("An Giang, ngày").expect("date line");
        let symbol = page.line(symbol).expect("ký hiệu");
        near(so.y, date.y, 1.0, &format!("{cmd}: Số and the date on one baseline"));
        near(symbol.y, so.y, 1.0, &format!("{cmd}: Số on one line"));
    }
}
