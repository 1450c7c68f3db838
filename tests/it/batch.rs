//! `vanban batch`: one document per unit, in parallel, names inside the
//! output folder, one unit's failure not stopping the others.

use std::path::{Path, PathBuf};

use crate::common::*;

const UNIT_HEADERS: [&str; 6] = ["Mã", "Tên đơn vị", "Tên viết tắt", "Người ký", "Chức vụ", "Ký hiệu"];

/// A plan whose DonVi has `n` units U01…; unit i leads task i ("… của đơn
/// vị Uii") and supports task i+1.
fn units_book(n: usize) -> Book {
    let code = |i: usize| format!("U{:02}", i % n + 1);
    let units: Vec<Vec<Cell>> = (0..n)
        .map(|i| {
            let signer = if i % 2 == 0 { t(format!("Người Ký {:02}", i + 1)) } else { E };
            let title = if i % 2 == 0 { t("TRƯỞNG PHÒNG") } else { E };
            vec![t(code(i)), t(format!("Phòng số {:02}", i + 1)), E, signer, title, t(format!("KH-{}", code(i)))]
        })
        .collect();
    let tasks: Vec<Vec<Cell>> = (0..n)
        .map(|i| {
            vec![
                E,
                t("Nhiệm vụ các đơn vị"),
                t(format!("Nhiệm vụ riêng của đơn vị {}", code(i))),
                t(code(i)),
                t(code(i + n - 1)),
                t("Quý III/2021"),
                E,
                E,
                E,
                E,
            ]
        })
        .collect();
    Book::plan(0).sheet("NhiemVu", &TASK_HEADERS, tasks).sheet("DonVi", &UNIT_HEADERS, units)
}

/// Every file under `dir`, relative.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn pdf_text(path: &Path) -> (Pdf, String) {
    let pdf = Pdf::load(&std::fs::read(path).expect("pdf")).expect("readable pdf");
    let text = pdf.pages.iter().map(|p| p.text()).collect::<Vec<_>>().join("\n");
    (pdf, text)
}

#[test]
fn sixty_units_each_get_their_own_plan() {
    let dir = tmp();
    units_book(60).write(&dir.path().join("wb.xlsx"));
    let out = run_in(dir.path(), &["batch", "wb.xlsx", "--out-dir", "out", "--ignore-system-fonts"]);
    assert!(out.ok(), "{}", out.stderr);
    let files = files_under(&dir.path().join("out"));
    assert_eq!(files.len(), 60, "{files:?}");
    for i in 1..=60 {
        let name = PathBuf::from(format!("u{i:02}-ke-hoach-2021.pdf"));
        assert!(files.contains(&name), "{name:?} missing");
    }
    assert!(out.stderr.contains("Đã ghi 60 tệp"), "{}", out.stderr);

    // Unit 7 (even index: its own signer): issuing body, parent, signer,
    // ký hiệu, blank number and date, its tasks only (lead, then support).
    let (pdf, text) = pdf_text(&dir.path().join("out/u07-ke-hoach-2021.pdf"));
    let first = &pdf.pages[0];
    assert!(first.line("PHÒNG SỐ 07").is_some_and(|l| l.is_bold()), "{}", first.text());
    // The Sở is the parent agency line (it wraps in the narrow column).
    let parent = first.line("SỞ NÔNG NGHIỆP").expect("parent agency");
    assert!(!parent.is_bold(), "the parent agency is regular");
    assert!(text.contains("/KH-U07"));
    assert!(!text.contains("54/KH"), "the Sở's number must not carry over");
    assert!(text.contains("Người Ký 07") && text.contains("TRƯỞNG PHÒNG"), "{text}");
    assert!(!text.contains("Võ Thị Thanh Vân") && !text.contains("KT. GIÁM ĐỐC"));
    let lead = text.find("Nhiệm vụ riêng của đơn vị U07").expect("lead task");
    let support = text.find("Nhiệm vụ riêng của đơn vị U08").expect("supported task");
    assert!(lead < support, "lead tasks come first");
    let lead_group = text.find("Nhiệm vụ chủ trì thực hiện").expect("lead group");
    let support_group = text.find("Nhiệm vụ phối hợp thực hiện").expect("support group");
    assert!(lead_group < lead && lead < support_group && support_group < support);
    for other in ["U06", "U09", "U30", "U60"] {
        assert!(!text.contains(&format!("đơn vị {other}")), "{other} leaks into U07's plan");
    }

    // Unit 8 has no signer of its own: the Sở's signature.
    let (_, text8) = pdf_text(&dir.path().join("out/u08-ke-hoach-2021.pdf"));
    assert!(text8.contains("Võ Thị Thanh Vân") && text8.contains("KT. GIÁM ĐỐC"), "{text8}");
}

#[test]
fn one_thread_and_all_threads_give_the_same_bytes() {
    let dir = tmp();
    units_book(6).write(&dir.path().join("wb.xlsx"));
    let a = run_in(dir.path(), &["batch", "wb.xlsx", "--out-dir", "a", "--jobs", "1", "--ignore-system-fonts", "-q"]);
    let b = run_in(dir.path(), &["batch", "wb.xlsx", "--out-dir", "b", "--ignore-system-fonts", "-q"]);
    assert!(a.ok() && b.ok(), "{}{}", a.stderr, b.stderr);
    let files = files_under(&dir.path().join("a"));
    assert_eq!(files.len(), 6);
    for f in files {
        let x = std::fs::read(dir.path().join("a").join(&f)).expect("a");
        let y = std::fs::read(dir.path().join("b").join(&f)).expect("b");
        assert!(x == y, "{f:?} differs between --jobs 1 and the default");
    }
}

#[test]
fn hostile_unit_codes_stay_inside_the_output_folder() {
    let dir = tmp();
    let units = rows(&[
        ["../../etc/x", "Đơn vị một", "", "", "", ""],
        ["/tmp/tuyet-doi", "Đơn vị hai", "", "", "", ""],
        ["..\\..\\win", "Đơn vị ba", "", "", "", ""],
        ["VPS", "Văn phòng Sở", "", "", "", ""],
    ]);
    let tasks = vec![vec![E, E, t("Nhiệm vụ của Văn phòng Sở"), t("VPS"), E, t("Quý III/2021"), E, E, E, E]];
    let book = Book::plan(0).sheet("NhiemVu", &TASK_HEADERS, tasks).sheet("DonVi", &UNIT_HEADERS, units);
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).expect("mkdir");
    book.write(&work.join("wb.xlsx"));
    let out = run_in(&work, &["batch", "wb.xlsx", "--out-dir", "out", "--ignore-system-fonts"]);
    assert!(out.ok(), "{}", out.stderr);
    // Everything written is in work/out; nothing else appeared anywhere.
    let all = files_under(dir.path());
    let outside: Vec<&PathBuf> =
        all.iter().filter(|p| !p.starts_with("work/out") && **p != Path::new("work/wb.xlsx")).collect();
    assert!(outside.is_empty(), "written outside the output folder: {outside:?}");
    assert!(!Path::new("/tmp/tuyet-doi-ke-hoach-2021.pdf").exists());
    let written = files_under(&work.join("out"));
    assert_eq!(
        written,
        vec![
            PathBuf::from("etc-x-ke-hoach-2021.pdf"),
            PathBuf::from("tmp-tuyet-doi-ke-hoach-2021.pdf"),
            PathBuf::from("vps-ke-hoach-2021.pdf"),
            PathBuf::from("win-ke-hoach-2021.pdf"),
        ]
    );
    // The codes are reported, with the folded name.
    assert!(out.stderr.contains("DonVi!A2") && out.stderr.contains("etc-x"), "{}", out.stderr);
}

#[test]
fn a_failing_unit_is_named_and_nothing_is_written() {
    let dir = tmp();
    let mut book = units_book(5);
    // U03's own task carries an undefined variable: only documents that
    // include that task fail (U03 leads it, U02 supports it).
    if let Some(s) = book.sheets.iter_mut().find(|s| s.name == "NhiemVu") {
        s.rows[3][2] = t("Nhiệm vụ riêng của đơn vị U03 {{ khong_co }}");
    }
    book.write(&dir.path().join("wb.xlsx"));
    let out = run_in(dir.path(), &["batch", "wb.xlsx", "--out-dir", "out", "--ignore-system-fonts"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    // One message for the shared cause, naming both units it stopped.
    let line = out.stderr.lines().find(|l| l.contains("NhiemVu!C4")).expect("the error line");
    assert!(line.starts_with('[') && line.contains("U02") && line.contains("U03"), "{}", out.stderr);
    assert!(out.stderr.contains("khong_co"), "{}", out.stderr);
    assert!(out.stderr.contains("2 đơn vị lỗi"), "{}", out.stderr);
    // The workbook has an error, so no unit's file is written (README; issue
    // 10: U01, U04 and U05 used to be written).
    let out_dir = dir.path().join("out");
    assert!(!out_dir.exists() || files_under(&out_dir).is_empty(), "{:?}", files_under(&out_dir));
    assert!(out.stderr.contains("Không ghi tệp nào"), "{}", out.stderr);
}

#[test]
fn colliding_names_are_an_error_before_anything_is_written() {
    let dir = tmp();
    units_book(3).write(&dir.path().join("wb.xlsx"));
    let out = run_in(
        dir.path(),
        &["batch", "wb.xlsx", "--out-dir", "out", "--name", "ke-hoach-{{ nam }}", "--ignore-system-fonts"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("cùng ra tên tệp"), "{}", out.stderr);
    assert!(!dir.path().join("out").exists() || files_under(&dir.path().join("out")).is_empty());
}

#[test]
fn selected_units_names_and_emits() {
    let dir = tmp();
    units_book(5).write(&dir.path().join("wb.xlsx"));
    let out = run_in(
        dir.path(),
        &[
            "batch",
            "wb.xlsx",
            "--out-dir",
            "out",
            "--unit",
            "U02",
            "--unit",
            "u04",
            "--name",
            "{{ don_vi.ma }} {{ don_vi.ten }}",
            "--emit",
            "json",
            "--emit",
            "typ",
            "--ignore-system-fonts",
            "-q",
        ],
    );
    assert!(out.ok(), "{}", out.stderr);
    assert!(out.stderr.is_empty(), "--quiet prints nothing: {}", out.stderr);
    let files = files_under(&dir.path().join("out"));
    for stem in ["u02-phong-so-02", "u04-phong-so-04"] {
        for ext in ["pdf", "json", "typ", "data.json"] {
            assert!(files.contains(&PathBuf::from(format!("{stem}.{ext}"))), "{stem}.{ext} missing: {files:?}");
        }
    }
    assert!(files.contains(&PathBuf::from("nd30.typ")));
    let json = std::fs::read_to_string(dir.path().join("out/u02-phong-so-02.json")).expect("json");
    assert!(json.contains("PHÒNG SỐ 02"), "{json}");

    let bad = run_in(dir.path(), &["batch", "wb.xlsx", "--unit", "KHONGCO", "--ignore-system-fonts"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("KHONGCO") && bad.stderr.contains("U01"), "{}", bad.stderr);
}

#[test]
fn reports_per_unit() {
    let dir = tmp();
    units_book(4).write(&dir.path().join("wb.xlsx"));
    let out = run_in(
        dir.path(),
        &[
            "batch",
            "wb.xlsx",
            "--kind",
            "report",
            "--quarter",
            "3",
            "--out-dir",
            "out",
            "--emit",
            "json",
            "--ignore-system-fonts",
            "-q",
        ],
    );
    assert!(out.ok(), "{}", out.stderr);
    let (_, text) = pdf_text(&dir.path().join("out/u01-bao-cao-2021.pdf"));
    assert!(text.contains("BÁO CÁO") && text.contains("PHÒNG SỐ 01"), "{text}");
    assert!(text.contains("/BC-") || text.contains("/KH-U01"), "{text}");
    let json = std::fs::read_to_string(dir.path().join("out/u01-bao-cao-2021.json")).expect("json");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid json");
    // U01 leads one task and supports one: two tasks, all in its report.
    assert_eq!(v["thong_ke"]["tong"], 2, "{json}");

    let missing = run_in(dir.path(), &["batch", "wb.xlsx", "--kind", "report", "--ignore-system-fonts"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("--quarter"));
}

#[test]
fn a_unit_report_defines_don_vi_in_its_cells() {
    // Issue 12: a BaoCao cell naming `don_vi` failed every unit, silently.
    let dir = tmp();
    units_book(3)
        .bao_cao(&[("Trích yếu", t("Kết quả riêng của đơn vị {{ don_vi.ma }} trong quý"))])
        .write(&dir.path().join("wb.xlsx"));
    let out = run_in(
        dir.path(),
        &["batch", "wb.xlsx", "--kind", "report", "--quarter", "3", "--out-dir", "out", "--ignore-system-fonts", "-q"],
    );
    assert!(out.ok(), "{}", out.stderr);
    for code in ["U01", "U02", "U03"] {
        let (_, text) = pdf_text(&dir.path().join(format!("out/{}-bao-cao-2021.pdf", code.to_lowercase())));
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&format!("đơn vị {code} trong quý")), "{code}: {flat}");
    }
}

#[test]
fn each_units_render_warnings_are_printed_as_plan_prints_them() {
    let dir = tmp();
    let mut book = units_book(3);
    // U02's own task has a character the built-in face lacks.
    if let Some(s) = book.sheets.iter_mut().find(|s| s.name == "NhiemVu") {
        s.rows[2][2] = t("Nhiệm vụ riêng của đơn vị U02 漢");
    }
    book.write(&dir.path().join("wb.xlsx"));
    let plan = run_in(dir.path(), &["plan", "wb.xlsx", "-o", "p.pdf", "--ignore-system-fonts"]);
    assert!(plan.ok(), "{}", plan.stderr);
    let glyph = plan.stderr.lines().find(|l| l.contains("«漢»")).expect("plan warns about the glyph");
    assert!(glyph.starts_with("cảnh báo: NhiemVu!C3:"), "{}", plan.stderr);
    let out = run_in(dir.path(), &["batch", "wb.xlsx", "--out-dir", "out", "--ignore-system-fonts"]);
    assert!(out.ok(), "{}", out.stderr);
    assert!(out.stderr.lines().any(|l| l == glyph), "batch warns as plan does: {}", out.stderr);

    // A template that Typst warns about: each unit's render says so, with
    // the unit's code and the template's line, and the files are written.
    std::fs::write(dir.path().join("w.typ"), "#text(font: \"KhongCo\")[Xin chào]\n").expect("template");
    let out =
        run_in(dir.path(), &["batch", "wb.xlsx", "--out-dir", "out2", "--template", "w.typ", "--ignore-system-fonts"]);
    assert!(out.ok(), "{}", out.stderr);
    for code in ["U01", "U02", "U03"] {
        let line = format!("[{code}] cảnh báo: w.typ:1:13: mẫu Typst: unknown font family: khongco");
        assert!(out.stderr.lines().any(|l| l == line), "{line} in {}", out.stderr);
    }
    assert_eq!(files_under(&dir.path().join("out2")).len(), 3);
    // --quiet silences warnings, not the files.
    let quiet = run_in(
        dir.path(),
        &["batch", "wb.xlsx", "--out-dir", "out3", "--template", "w.typ", "--ignore-system-fonts", "-q"],
    );
    assert!(quiet.ok() && quiet.stderr.is_empty(), "{}", quiet.stderr);
    assert_eq!(files_under(&dir.path().join("out3")).len(), 3);
}
