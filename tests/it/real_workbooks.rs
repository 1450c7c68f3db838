//! Workbooks as offices type them (issue 10: merged cells, two-row headers,
//! group rows, a task table under another name, year-suffixed metric
//! headers, unit documents), from committed fixtures written by openpyxl
//! and converted by LibreOffice (`tests/fixtures/real/make_real.py`), read
//! through the library and rendered by the real binary.

use std::path::{Path, PathBuf};

use crate::common::*;
use vanban::diag::Diagnostics;
use vanban::workbook::{read_workbook, InfoKey, Workbook};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real").join(name)
}

fn read(name: &str) -> (Workbook, Diagnostics) {
    let (wb, d) = read_workbook(&fixture(name));
    (wb.unwrap_or_else(|| panic!("{name}: {d:#?}")), d)
}

fn codes(d: &Diagnostics) -> Vec<&'static str> {
    d.items.iter().map(|x| x.code.as_str()).collect()
}

/// Copies a fixture into a scratch folder, as `name`.
fn scratch_copy(name: &str) -> tempfile::TempDir {
    let dir = tmp();
    std::fs::copy(fixture(name), dir.path().join(name)).expect("copy fixture");
    dir
}

fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Pdf::load(&bytes).expect("PDF readable").text()
}

/// The same merged workbook saved three ways reads the same: six tasks in
/// two groups, labels merged down repeated, two-row header understood.
#[test]
fn merged_cells_read_as_a_reader_sees_them_in_xlsx_ods_and_xls() {
    for name in ["gop-o.xlsx", "gop-o.ods", "gop-o.xls"] {
        let (wb, d) = read(name);
        assert!(!d.has_errors(), "{name}: {d:#?}");
        assert!(!codes(&d).contains(&"thieu-cot"), "{name}: {d:#?}");

        // ThongTin: `Căn cứ` merged over two rows, `Nơi nhận` over three.
        let can_cu: Vec<&str> = wb.info.all(InfoKey::CanCu).map(|v| v.text.text.as_str()).collect();
        assert_eq!(can_cu.len(), 2, "{name}: {can_cu:?}");
        assert!(can_cu[1].starts_with("Căn cứ Kế hoạch số 120"), "{name}: {can_cu:?}");
        assert_eq!(wb.info.all(InfoKey::NoiNhan).count(), 3, "{name}");
        assert!(!codes(&d).contains(&"thieu-nhan"), "{name}: {d:#?}");

        // NhiemVu: group rows are not tasks; STT 3 merged over three tasks
        // numbers them 3.1–3.3; task 4 spans two rows and is one task.
        let stt: Vec<&str> = wb.tasks.iter().map(|t| t.stt.as_ref().map_or("", |s| s.text.as_str())).collect();
        assert_eq!(stt, ["1", "2", "3.1", "3.2", "3.3", "4"], "{name}");
        let groups: Vec<&str> = wb.tasks.iter().map(|t| t.group.as_ref().map_or("", |g| g.text.as_str())).collect();
        assert_eq!(groups[..2], ["CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"; 2], "{name}");
        assert_eq!(groups[2..], ["CẢI CÁCH THỦ TỤC HÀNH CHÍNH"; 4], "{name}");
        // Two-row header: `Mục tiêu` and `Nhiệm vụ` under `Nội dung thực hiện`.
        assert_eq!(wb.tasks[0].content.text, "Ban hành kế hoạch cải cách hành chính", "{name}");
        // Merged down over two tasks: applies to both.
        let target = |i: usize| wb.tasks[i].target.as_ref().map(|t| t.text.as_str());
        assert_eq!((target(0), target(1)), (Some("Chỉ số PAR INDEX tăng"), Some("Chỉ số PAR INDEX tăng")), "{name}");
        assert_eq!(wb.tasks[1].lead.as_ref().map(|t| t.text.as_str()), Some("VPS"), "{name}");
        // ... and the message for a merged cell names its top-left cell.
        assert_eq!(wb.tasks[1].lead.as_ref().and_then(|t| t.loc.a1()).as_deref(), Some("E6"), "{name}");
        let last = &wb.tasks[5];
        assert_eq!(last.content.text, "Rà soát, đơn giản hoá TTHC", "{name}");
        assert_eq!(last.product.as_ref().unwrap().text, "Báo cáo rà soát\nPhương án đơn giản hoá", "{name}");
        assert_eq!(last.support.as_ref().unwrap().text, "VPS\nCCTY", "{name}");
        assert_eq!(last.deadline.as_ref().unwrap().text, "Quý II/2021", "{name}");

        // ChiSo: `Kết quả⏎năm 2020` / `Mục tiêu⏎năm 2021` in a 2021 plan.
        assert_eq!(wb.metrics.len(), 2, "{name}");
        assert_eq!(wb.metrics[0].last_year.as_ref().map(|n| n.value), Some(7.25), "{name}");
        assert_eq!(wb.metrics[1].target.as_ref().map(|n| n.value), Some(12.0), "{name}");
        assert!(!codes(&d).contains(&"cot-la"), "{name}: {d:#?}");
    }
}

/// `check` finds nothing wrong in the merged workbook, and the plan prints
/// each number once, the merged labels' every row, and the metric table
/// right after the tasks (no CHISO row).
#[test]
fn merged_workbook_checks_clean_and_renders() {
    let dir = scratch_copy("gop-o.xlsx");
    let check = run_in(dir.path(), &["check", "gop-o.xlsx"]);
    assert!(check.ok(), "{}", check.stderr);
    assert!(check.stderr.contains("không có lỗi"), "{}", check.stderr);

    let out = run_in(dir.path(), &["plan", "gop-o.xlsx", "-o", "kh.pdf", "--ignore-system-fonts"]);
    assert!(out.ok(), "{}", out.stderr);
    let text = pdf_text(&dir.path().join("kh.pdf"));
    let flat = text.replace('\n', " ");
    for n in ["3.1", "3.2", "3.3"] {
        assert_eq!(text.lines().filter(|l| l.trim_start().starts_with(n)).count(), 1, "{n}:\n{text}");
    }
    assert_eq!(flat.matches("CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH").count(), 1, "{text}");
    assert!(flat.contains("Căn cứ Kế hoạch số 120/KH-UBND"), "{text}");
    assert!(flat.contains("Các phòng, đơn vị thuộc Sở"), "{text}");
    // The metric table (its last-year column) comes before the next section.
    let metric = flat.find("Cải cách thủ tục hành chính").expect("metric row");
    let next = flat.find("TỔ CHỨC THỰC HIỆN").expect("next section");
    let tasks = flat.find("Rà soát, đơn giản").expect("the last task");
    assert!(tasks < metric && metric < next, "{text}");
    assert!(flat.contains("7,25"), "{text}");
}

/// Other group-row layouts: a merge starting in the STT column, `1.` + a
/// title merged across, a number and a title alone. No false error.
#[test]
fn group_rows_in_other_layouts() {
    let (wb, d) = read("nhom-gop.xlsx");
    assert!(!d.has_errors(), "{d:#?}");
    assert!(!codes(&d).contains(&"thieu-chu-tri"), "{d:#?}");
    let stt: Vec<&str> = wb.tasks.iter().map(|t| t.stt.as_ref().map_or("", |s| s.text.as_str())).collect();
    assert_eq!(stt, ["1.1", "1.2", "2.1", "3"]);
    let groups: Vec<&str> = wb.tasks.iter().map(|t| t.group.as_ref().map_or("", |g| g.text.as_str())).collect();
    assert_eq!(
        groups,
        [
            "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH\nXây dựng kế hoạch",
            "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH\nXây dựng kế hoạch",
            "Kiểm tra, giám sát",
            "CẢI CÁCH THỂ CHẾ"
        ]
    );
    // The nesting vanban cannot number is said, at the inner group's cell.
    let w = d.items.iter().find(|x| x.code == "nhom-long-nhau").expect("nesting warning");
    assert_eq!(w.loc.a1().as_deref(), Some("B3"));
    assert_eq!(w.loc.sheet.as_deref(), Some("NhiemVu"));
    assert!(w.hint.as_deref().unwrap_or("").contains("NoiDung"), "{w:?}");
}

/// The task table on a sheet called `Phụ lục` while NoiDung places the
/// tasks: an error at the NHIEMVU row naming that sheet; nothing written.
#[test]
fn tasks_on_a_sheet_under_another_name_are_an_error_with_the_sheet_named() {
    let (wb, d) = read("phu-luc.xlsx");
    assert!(wb.tasks.is_empty());
    assert_eq!(wb.tasks_lookalike.as_deref(), Some("Phụ lục"));
    assert!(d.warnings().any(|w| w.code == "trang-la"), "{d:#?}");

    let dir = scratch_copy("phu-luc.xlsx");
    let check = run_in(dir.path(), &["check", "phu-luc.xlsx"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    // The message at the NHIEMVU row, and its hint on the next line.
    let at = check.stderr.find("NoiDung!A5").unwrap_or_else(|| panic!("{}", check.stderr));
    let said: Vec<&str> = check.stderr[at..].lines().take(2).collect();
    assert!(said[0].contains("NHIEMVU"), "{}", check.stderr);
    assert!(said[1].contains("«Phụ lục»") && said[1].contains("NhiemVu"), "{}", check.stderr);
    let plan = run_in(dir.path(), &["plan", "phu-luc.xlsx", "-o", "kh.pdf", "--ignore-system-fonts"]);
    assert_eq!(plan.code, 1, "{}", plan.stderr);
    assert!(!dir.path().join("kh.pdf").exists());
}

/// A unit's plan numbers its own tasks afresh (no gaps from the Sở's
/// numbers), and its report cites no plan number or date it never carried.
#[test]
fn unit_documents_number_afresh_and_cite_no_foreign_number() {
    let dir = scratch_copy("gop-o.xlsx");
    let args = ["batch", "gop-o.xlsx", "--unit", "PKH", "--out-dir", "kh", "--ignore-system-fonts"];
    let out = run_in(dir.path(), &args);
    assert!(out.ok(), "{}", out.stderr);
    let plan = std::fs::read_dir(dir.path().join("kh")).unwrap().flatten().next().expect("the unit's plan").path();
    let text = pdf_text(&plan);
    // PKH leads 3.2 and 4 and supports 2: 1.1, 1.2 then 2.1; no 3.2, no 4.
    let numbers: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| ["1.1", "1.2", "2.1", "3.2"].contains(w))
        .collect();
    assert_eq!(numbers, ["1.1", "1.2", "2.1"], "{text}");

    let args = [
        "batch",
        "gop-o.xlsx",
        "--kind",
        "report",
        "--quarter",
        "2",
        "--unit",
        "PKH",
        "--out-dir",
        "bc",
        "--ignore-system-fonts",
    ];
    let out = run_in(dir.path(), &args);
    assert!(out.ok(), "{}", out.stderr);
    let report = std::fs::read_dir(dir.path().join("bc")).unwrap().flatten().next().expect("the report").path();
    let text = pdf_text(&report).replace('\n', " ");
    assert!(text.contains("Kết quả thực hiện Kế hoạch"), "{text}");
    assert!(!text.contains("54/KH") && !text.contains("30/6/2021"), "{text}");
}

/// With an error in the workbook, `batch` writes no unit's file, even for a
/// task no unit's document shows (led by an outside agency).
#[test]
fn batch_writes_nothing_while_the_workbook_has_an_error() {
    let dir = tmp();
    let mut book = Book::plan(3);
    if let Some(s) = book.sheets.iter_mut().find(|s| s.name == "NhiemVu") {
        // TASK_HEADERS: Nội dung is column 2, Chủ trì column 3.
        let mut row = s.rows[1].clone();
        row[2] = t("Việc của Sở Tài chính {{ khong_co }}");
        row[3] = t("Sở Tài chính");
        row[4] = E;
        s.rows.push(row);
    }
    book.write(&dir.path().join("wb.xlsx"));
    let out = run_in(dir.path(), &["batch", "wb.xlsx", "--out-dir", "out", "--ignore-system-fonts"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("khong_co"), "{}", out.stderr);
    assert!(out.stderr.contains("không ghi tệp nào"), "{}", out.stderr);
    let written = std::fs::read_dir(dir.path().join("out")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(written, 0);
}
