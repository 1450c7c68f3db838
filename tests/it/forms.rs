//! The quarterly loop (spec/collect.md): `forms` writes one form per unit,
//! the forms come back filled in by another writer (openpyxl) and re-saved
//! by LibreOffice (.ods, .xlsx, .xls), `collect`, `report --progress` and
//! `batch --kind report --progress` read them.
//! Needs python3 with openpyxl and LibreOffice (`soffice`), as .ci/run installs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use serde_json::Value;

/// The task columns of [`TASK_HEADERS`], keyed by `Mã` instead of `STT`.
const HEADERS: [&str; 10] = {
    let mut h = TASK_HEADERS;
    h[0] = "Mã";
    h
};

/// The 2021 plan (Số 54/KH-SNNPTNT ngày 30/6/2021) with 9 tasks of 5 units.
fn master() -> Book {
    let (g1, g2, g3) = (t("Chỉ đạo, điều hành"), t("Thủ tục hành chính"), t("Chuyên môn"));
    let row = |key: &str, g: &Cell, text: &str, lead: &str, sup: &str, due: &str, rest: [Cell; 4]| {
        let [a, b, c, d] = rest;
        vec![t(key), g.clone(), t(text), t(lead), if sup.is_empty() { E } else { t(sup) }, t(due), a, b, c, d]
    };
    let rows = vec![
        row(
            "A-1",
            &g1,
            "Ban hành kế hoạch tuyên truyền cải cách hành chính",
            "VPS",
            "TCCB",
            "Quý II/2021",
            [E, E, E, E],
        ),
        row(
            "A-2",
            &g1,
            "Kiện toàn Tổ công tác cải cách hành chính",
            "VPS",
            "",
            "Quý III/2021",
            [t("Đang triển khai"), N(50.0), E, t("Đã xây dựng dự thảo quyết định.")],
        ),
        row("A-3", &g1, "Kiểm tra công vụ tại các chi cục", "TCCB", "VPS", "Tháng 8/2021", [E, E, E, E]),
        row(
            "B-1",
            &g2,
            "Rà soát quy trình nội bộ giải quyết thủ tục hành chính",
            "TCCB",
            "",
            "Quý IV/2021",
            [E, N(20.0), E, E],
        ),
        row("B-2", &g2, "Số hóa hồ sơ thủ tục hành chính", "CCTY", "VPS", "Quý II/2021", [E, E, E, E]),
        row(
            "B-3",
            &g2,
            "Công khai thủ tục hành chính",
            "CCTY",
            "",
            "Thường xuyên",
            [t("Đang thực hiện"), N(30.0), E, E],
        ),
        row("C-1", &g3, "Kiểm tra hệ thống thủy lợi nội đồng", "CCTL", "", "Quý I/2021", [E, E, E, E]),
        row("C-2", &g3, "Tập huấn khuyến nông cho nông dân", "TTKN", "", "Quý IV/2021", [E, E, E, E]),
        row("C-3", &g3, "Xây dựng mô hình chăn nuôi an toàn sinh học", "TTKN", "CCTY", "Quý III/2021", [E, E, E, E]),
    ];
    let units = rows_of(&[
        ["VPS", "Văn phòng Sở", "VP"],
        ["TCCB", "Phòng Tổ chức cán bộ", "P. TCCB"],
        ["CCTY", "Chi cục Chăn nuôi và Thú y", "CC CNTY"],
        ["CCTL", "Chi cục Thủy lợi", "CC TL"],
        ["TTKN", "Trung tâm Khuyến nông", "TT KN"],
    ]);
    Book::plan(0).sheet("NhiemVu", &HEADERS, rows).sheet("DonVi", &["Mã", "Tên đơn vị", "Tên viết tắt"], units)
}

fn rows_of(r: &[[&str; 3]]) -> Vec<Vec<Cell>> {
    r.iter().map(|x| x.iter().map(|s| t(*s)).collect()).collect()
}

fn ok(out: &Out, what: &str) {
    assert!(out.ok(), "{what} failed ({}):\n{}\n{}", out.code, out.stdout, out.stderr);
}

/// Fills a form with openpyxl (tests/fixtures/fill_form.py).
fn fill(src: &Path, dst: &Path, edits: Value) {
    let json = dst.with_extension("json");
    std::fs::write(&json, edits.to_string()).expect("write edits");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fill_form.py");
    let out = Command::new("python3").arg(script).arg(src).arg(dst).arg(&json).output().expect("python3");
    assert!(out.status.success(), "fill_form.py: {}", String::from_utf8_lossy(&out.stderr));
}

/// Re-saves a file through LibreOffice headless (`ods` or `xlsx`) into `outdir`.
fn soffice(work: &Path, to: &str, file: &Path, outdir: &Path) -> PathBuf {
    std::fs::create_dir_all(outdir).expect("outdir");
    let profile = format!("-env:UserInstallation=file://{}", work.join("lo-profile").display());
    let out = Command::new("soffice")
        .arg(profile)
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(outdir)
        .arg(file)
        .output()
        .expect("soffice (apt-get install libreoffice-calc-nogui)");
    assert!(out.status.success(), "soffice: {}", String::from_utf8_lossy(&out.stderr));
    let stem = file.file_stem().expect("stem").to_string_lossy().into_owned();
    let path = outdir.join(format!("{stem}.{to}"));
    assert!(path.exists(), "soffice wrote no {}: {}", path.display(), String::from_utf8_lossy(&out.stdout));
    path
}

fn json_of(dir: &Path, pdf: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(pdf).with_extension("json")).expect("--emit json");
    serde_json::from_str(&text).expect("json")
}

#[test]
fn forms_are_deterministic_and_untouched_forms_change_nothing() {
    let dir = tmp();
    let d = dir.path();
    master().write(&d.join("kh.xlsx"));
    let before = std::fs::read(d.join("kh.xlsx")).unwrap();
    ok(&run_in(d, &["forms", "kh.xlsx", "--quarter", "3", "--out-dir", "a"]), "forms");
    ok(&run_in(d, &["forms", "kh.xlsx", "--quarter", "3", "--out-dir", "b"]), "forms again");
    let names = ["vps", "tccb", "ccty", "cctl", "ttkn"].map(|u| format!("{u}-tien-do-quy-3-2021.xlsx"));
    for n in &names {
        let a = std::fs::read(d.join("a").join(n)).expect("form written");
        assert_eq!(a, std::fs::read(d.join("b").join(n)).unwrap(), "{n}: same workbook, same bytes");
    }

    // Untouched forms back: every task keeps the master's values.
    let mut args = vec!["collect".to_string(), "kh.xlsx".into(), "-o".into(), "rt.xlsx".into()];
    args.extend(names.iter().map(|n| format!("a/{n}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run_in(d, &args);
    ok(&out, "collect");
    assert!(out.stderr.contains("5/5 đơn vị đã gửi báo cáo."), "{}", out.stderr);
    assert!(
        out.stderr.contains("Biểu mẫu không thay đổi số liệu: Văn phòng Sở, Phòng Tổ chức cán bộ"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(d.join("kh.xlsx")).unwrap(), before, "the master is never touched");

    let (wb, diags) = vanban::workbook::read_workbook(&d.join("kh.xlsx"));
    assert!(!diags.has_errors());
    let wb = wb.expect("master");
    let files = vec![("rt.xlsx".to_string(), std::fs::read(d.join("rt.xlsx")).unwrap())];
    let (p, diags) = vanban::forms::collect(&wb, Some(3), None, &files);
    assert!(!diags.has_errors(), "{:?}", diags.items);
    let p = p.expect("progress");
    assert_eq!(p.tasks.len(), 9);
    for (task, tp) in wb.tasks.iter().zip(&p.tasks) {
        assert_eq!(tp.values, vanban::forms::Values::of(task), "task {}", tp.key);
    }
    // A-2 typed `Đang triển khai` comes back as the same state and values.
    let a2 = p.task("A-2").expect("A-2");
    assert_eq!(a2.values.progress, Some(50.0));
    assert_eq!(a2.values.result.as_deref(), Some("Đã xây dựng dự thảo quyết định."));
    assert_eq!(p.sent().count(), 5);
}

#[test]
fn round_trip_through_other_writers() {
    let dir = tmp();
    let d = dir.path();
    master().write(&d.join("kh.xlsx"));
    ok(&run_in(d, &["forms", "kh.xlsx", "--quarter", "3", "--out-dir", "bm"]), "forms");
    ok(&run_in(d, &["forms", "kh.xlsx", "--quarter", "2", "--unit", "TTKN", "--out-dir", "q2"]), "forms q2");
    let bm = d.join("bm");
    let filled = d.join("filled");
    std::fs::create_dir_all(&filled).unwrap();

    // VPS: filled in, rows reversed, a note row, its own lines; back as .ods.
    fill(
        &bm.join("vps-tien-do-quy-3-2021.xlsx"),
        &filled.join("vps-tien-do-quy-3-2021.xlsx"),
        serde_json::json!({
            "rows": {
                "A-1": {"Trạng thái": "HT", "Tiến độ (%)": 100, "Ngày hoàn thành": "2021-06-20", "Kết quả thực hiện": "Đã ban hành Kế hoạch số 12/KH-SNNPTNT."},
                "A-2": {"Trạng thái": "Đã hoàn thành", "Tiến độ (%)": 100, "Ngày hoàn thành": "2021-09-15"},
                "A-3": {"Kết quả thực hiện": "Đã cử 02 công chức tham gia đoàn kiểm tra {{ nam }} #1."},
                "B-2": {"Trạng thái": "Hoàn thành", "Tiến độ (%)": 100}
            },
            "reverse": true,
            "note": "Ghi chú: số liệu tính đến ngày 28/9/2021",
            "ton_tai": ["Thiếu công chức chuyên trách cải cách hành chính"],
            "kien_nghi": ["Đề nghị bổ sung kinh phí tuyên truyền"]
        }),
    );
    let ret = d.join("ret");
    let vps = soffice(d, "ods", &filled.join("vps-tien-do-quy-3-2021.xlsx"), &ret);

    // TCCB: filled in, re-saved as .xlsx by LibreOffice.
    fill(
        &bm.join("tccb-tien-do-quy-3-2021.xlsx"),
        &filled.join("tccb-tien-do-quy-3-2021.xlsx"),
        serde_json::json!({"rows": {
            "A-3": {"Trạng thái": "hoàn thành", "Tiến độ (%)": 100, "Ngày hoàn thành": "2021-09-10"},
            "B-1": {"Trạng thái": "Đang triển khai", "Tiến độ (%)": "40%"}
        }}),
    );
    let tccb = soffice(d, "xlsx", &filled.join("tccb-tien-do-quy-3-2021.xlsx"), &ret);

    // CCTY: an impossible date typed as text.
    let ccty = ret.join("ccty-tien-do-quy-3-2021.xlsx");
    fill(
        &bm.join("ccty-tien-do-quy-3-2021.xlsx"),
        &ccty,
        serde_json::json!({"rows": {"B-2": {"Trạng thái": "Hoàn thành", "Ngày hoàn thành": "=31/02/2021"}}}),
    );
    // TTKN: last quarter's form. CCTL: nothing.
    let ttkn = ret.join("ttkn-quy-truoc.xlsx");
    fill(
        &d.join("q2/ttkn-tien-do-quy-2-2021.xlsx"),
        &ttkn,
        serde_json::json!({"rows": {"C-2": {"Trạng thái": "Hoàn thành"}}}),
    );

    let rel = |p: &Path| p.strip_prefix(d).unwrap().display().to_string();
    let (vps, tccb, ccty, ttkn) = (rel(&vps), rel(&tccb), rel(&ccty), rel(&ttkn));
    let out = run_in(d, &["collect", "kh.xlsx", &vps, &tccb, &ccty, &ttkn, "-o", "tong-hop.xlsx"]);
    let err = &out.stderr;
    assert_eq!(out.code, 1, "a file with an error: exit 1\n{err}");
    assert!(
        err.contains(
            "lỗi: ret/ccty-tien-do-quy-3-2021.xlsx: TienDo!G9: ngày «31/02/2021» ở cột «Ngày hoàn thành» không có thật"
        ),
        "{err}"
    );
    assert!(
        err.contains("cảnh báo: ret/ttkn-quy-truoc.xlsx: biểu mẫu quý II năm 2021 của đơn vị «TTKN», không phải quý III năm 2021"),
        "{err}"
    );
    assert!(err.contains("vanban forms --quarter 3 --year 2021 --unit TTKN"), "{err}");
    assert!(
        err.contains(
            "2/5 đơn vị đã gửi báo cáo; chưa gửi: Chi cục Chăn nuôi và Thú y, Chi cục Thủy lợi, Trung tâm Khuyến nông."
        ),
        "{err}"
    );
    // VPS says B-2 is done; its lead (CCTY) did not report: the master stands.
    assert!(err.contains("đơn vị «Văn phòng Sở» báo nhiệm vụ «B-2» là «Hoàn thành, 100%»"), "{err}");
    assert!(err.contains("1 tệp có lỗi"), "{err}");
    assert!(d.join("tong-hop.xlsx").exists(), "the others still count");

    // Same forms in another order: same consolidated bytes.
    let out2 = run_in(d, &["collect", "kh.xlsx", &ttkn, &ccty, &tccb, &vps, "-o", "tong-hop-2.xlsx"]);
    assert_eq!(out2.code, 1);
    assert_eq!(
        std::fs::read(d.join("tong-hop.xlsx")).unwrap(),
        std::fs::read(d.join("tong-hop-2.xlsx")).unwrap(),
        "same forms in any order, same consolidated file"
    );

    // The report from the consolidated file, counted by hand (as of 30/09/2021):
    // A-1 done 20/06 (due 30/06) and A-2 done 15/09 (due 30/09): on time;
    // A-3 done 10/09, due 31/08: late; B-1 40% and B-3 recurring: in progress;
    // B-2 (CCTY's form refused) due 30/06 and C-1 (CCTL sent nothing) due
    // 31/03: overdue; C-2 due 31/12, C-3 due 30/09 (TTKN's form was last
    // quarter's): not yet due.
    let rep = |files: &[&str], pdf: &str| {
        let mut args =
            vec!["report", "kh.xlsx", "--quarter", "3", "--ignore-system-fonts", "--emit", "json", "-o", pdf];
        args.push("--progress");
        args.extend_from_slice(files);
        let out = run_in(d, &args);
        ok(&out, "report --progress");
        out
    };
    let out = rep(&["tong-hop.xlsx"], "bc.pdf");
    assert!(out.stderr.contains("2/5 đơn vị đã gửi báo cáo"), "{}", out.stderr);
    let data = json_of(d, "bc.pdf");
    let s = &data["thong_ke"];
    let count = |k: &str| s[k].as_u64().unwrap_or(99);
    assert_eq!(count("tong"), 9);
    assert_eq!(count("hoan_thanh_dung_han"), 2);
    assert_eq!(count("hoan_thanh_tre_han"), 1);
    assert_eq!(count("dang_thuc_hien"), 2);
    assert_eq!(count("qua_han"), 2);
    assert_eq!(count("chua_den_han"), 2);
    assert!((s["ty_le_hoan_thanh"].as_f64().unwrap() - 100.0 / 3.0).abs() < 1e-9);
    let states: Vec<&str> =
        data["nhiem_vu"].as_array().unwrap().iter().map(|x| x["trang_thai"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        [
            "hoan_thanh_dung_han",
            "hoan_thanh_dung_han",
            "hoan_thanh_tre_han",
            "dang_thuc_hien",
            "qua_han",
            "dang_thuc_hien",
            "qua_han",
            "chua_den_han",
            "chua_den_han"
        ]
    );
    let result = |i: usize| data["nhiem_vu"][i]["ket_qua"].as_str().unwrap_or_default().to_string();
    assert_eq!(result(0), "Đã ban hành Kế hoạch số 12/KH-SNNPTNT.", "the lead's result");
    // TCCB leads and left its result blank; VPS supports, named.
    assert_eq!(result(2), "VP: Đã cử 02 công chức tham gia đoàn kiểm tra {{ nam }} #1.");
    // the master's own result, unchanged by VPS.
    assert_eq!(result(1), "Đã xây dựng dự thảo quyết định.");
    let pdf = Pdf::load(&std::fs::read(d.join("bc.pdf")).unwrap()).unwrap();
    let text = pdf.text().split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "2/5 đơn vị đã gửi báo cáo; chưa gửi: Chi cục Chăn nuôi và Thú y, Chi cục Thủy lợi, Trung tâm Khuyến nông.",
        "VP: Thiếu công chức chuyên trách cải cách hành chính.",
        "VP: Đề nghị bổ sung kinh phí tuyên truyền.",
        // A supporting unit's result, literal (no template, no markup).
        "{{ nam }} #1.",
        "12/KH-SNNPTNT.",
    ] {
        assert!(text.contains(needle), "«{needle}» not in the report:\n{text}");
    }
    for (label, value) in [
        ("Tổng số nhiệm vụ", "9"),
        ("Hoàn thành đúng hạn", "2"),
        ("Hoàn thành trễ hạn", "1"),
        ("Đang thực hiện", "2"),
        ("Quá hạn chưa hoàn thành", "2"),
        ("Chưa đến hạn", "2"),
        ("Tỷ lệ hoàn thành", "33,33%"),
    ] {
        assert!(text.contains(&format!("{label} {value}")), "summary row «{label} {value}»:\n{text}");
    }

    // The forms themselves (without the broken one), in either order: the
    // same report bytes, and the same as from the consolidated file.
    // (Same file name in other folders: the PDF's identifier is its name.)
    rep(&[&vps, &tccb, &ttkn], "r1/bc.pdf");
    rep(&[&ttkn, &tccb, &vps], "r2/bc.pdf");
    let bytes = |n: &str| std::fs::read(d.join(n)).unwrap();
    assert_eq!(bytes("r1/bc.pdf"), bytes("r2/bc.pdf"), "same forms in any order, same report");
    assert_eq!(bytes("r1/bc.pdf"), bytes("bc.pdf"), "forms or their consolidated file, same report");

    // VPS's filled form re-saved as .xls (Excel 97–2003) by LibreOffice reads
    // back to the very same values: the same report bytes.
    let vps_xls = rel(&soffice(d, "xls", &filled.join("vps-tien-do-quy-3-2021.xlsx"), &d.join("xls")));
    rep(&[&ttkn, &vps_xls, &tccb], "r3/bc.pdf");
    assert_eq!(bytes("r3/bc.pdf"), bytes("r1/bc.pdf"), "a form re-saved as .xls gives the same report");

    batch_with_progress(d, &[&vps_xls, &tccb, &ttkn]);

    // With the broken form among them the report is refused, the cell named.
    let mut args = vec!["report", "kh.xlsx", "--quarter", "3", "--ignore-system-fonts", "-o", "x.pdf", "--progress"];
    args.extend_from_slice(&[&vps, &ccty]);
    let out = run_in(d, &args);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("ccty-tien-do-quy-3-2021.xlsx: TienDo!G9"), "{}", out.stderr);
    assert!(!d.join("x.pdf").exists());
}

/// `batch --kind report --progress`: each unit's report from the returned
/// forms (VPS's, TCCB's and last quarter's TTKN's), counted by hand.
fn batch_with_progress(d: &Path, forms: &[&str]) {
    let batch = |out_dir: &str, jobs: &str, forms: &[&str]| {
        let mut args = vec![
            "batch",
            "kh.xlsx",
            "--kind",
            "report",
            "--quarter",
            "3",
            "--ignore-system-fonts",
            "--emit",
            "json",
            "--jobs",
            jobs,
            "--out-dir",
            out_dir,
            "--progress",
        ];
        args.extend_from_slice(forms);
        let out = run_in(d, &args);
        ok(&out, "batch --kind report --progress");
        out
    };
    batch("b1", "1", forms);
    batch("b2", "2", forms);
    // The consolidated file of the same forms (CCTY's broken one left out).
    batch("b3", "2", &["tong-hop.xlsx"]);
    let codes = ["vps", "tccb", "ccty", "cctl", "ttkn"];
    for c in codes {
        for ext in ["pdf", "json"] {
            let n = format!("{c}-bao-cao-2021.{ext}");
            let a = std::fs::read(d.join("b1").join(&n)).expect("unit's report written");
            assert!(a == std::fs::read(d.join("b2").join(&n)).unwrap(), "{n} differs between --jobs 1 and 2");
            assert!(a == std::fs::read(d.join("b3").join(&n)).unwrap(), "{n}: forms or their consolidated file");
        }
    }
    let text = |c: &str| {
        let pdf = Pdf::load(&std::fs::read(d.join(format!("b1/{c}-bao-cao-2021.pdf"))).unwrap()).unwrap();
        pdf.text().split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let counts = |c: &str| {
        let data = json_of(&d.join("b1"), &format!("{c}-bao-cao-2021.pdf"));
        let s = &data["thong_ke"];
        let keys = ["tong", "hoan_thanh_dung_han", "hoan_thanh_tre_han", "dang_thuc_hien", "qua_han", "chua_den_han"];
        keys.map(|k| s[k].as_u64().unwrap_or(99))
    };
    // VPS leads A-1 (done 20/06, due 30/06) and A-2 (done 15/09, due 30/09):
    // on time; supports A-3 (its lead TCCB: done 10/09, due 31/08): late; and
    // B-2 (its lead CCTY sent nothing usable; due 30/06): overdue.
    assert_eq!(counts("vps"), [4, 2, 1, 0, 1, 0]);
    let vps = text("vps");
    for (label, value) in [
        ("Tổng số nhiệm vụ", "4"),
        ("Hoàn thành đúng hạn", "2"),
        ("Hoàn thành trễ hạn", "1"),
        ("Đang thực hiện", "0"),
        ("Quá hạn chưa hoàn thành", "1"),
        ("Chưa đến hạn", "0"),
        ("Tỷ lệ hoàn thành", "75%"),
    ] {
        assert!(vps.contains(&format!("{label} {value}")), "VPS summary row «{label} {value}»:\n{vps}");
    }
    // Who reported: the units sharing its tasks (itself, TCCB, CCTY).
    let line = "2/3 đơn vị thực hiện các nhiệm vụ này đã gửi báo cáo; chưa gửi: Chi cục Chăn nuôi và Thú y.";
    assert!(vps.contains(line), "{vps}");
    // Its own lines, without its name before them; no other unit's.
    assert!(vps.contains("TỒN TẠI, HẠN CHẾ Thiếu công chức chuyên trách cải cách hành chính."), "{vps}");
    assert!(vps.contains("KIẾN NGHỊ Đề nghị bổ sung kinh phí tuyên truyền."), "{vps}");
    assert!(!vps.contains("VP: Thiếu"), "{vps}");
    assert!(vps.contains("12/KH-SNNPTNT."), "the lead's result, from its form:\n{vps}");
    // TCCB leads A-3 (late) and B-1 (40%: in progress), supports A-1 (on time).
    assert_eq!(counts("tccb"), [3, 1, 1, 1, 0, 0]);
    let tccb = text("tccb");
    assert!(tccb.contains("2/2 đơn vị thực hiện các nhiệm vụ này đã gửi báo cáo."), "{tccb}");
    assert!(!tccb.contains("TỒN TẠI, HẠN CHẾ"), "VPS's lines are not TCCB's:\n{tccb}");
    // CCTL leads C-1 only (due 31/03, master blank): overdue; it sent nothing.
    assert_eq!(counts("cctl"), [1, 0, 0, 0, 1, 0]);
    assert!(text("cctl").contains("0/1 đơn vị thực hiện các nhiệm vụ này đã gửi báo cáo; chưa gửi: Chi cục Thủy lợi."));
    // TTKN (its form was last quarter's) leads C-2 and C-3: not yet due; its
    // supporter CCTY did not report either.
    assert_eq!(counts("ttkn"), [2, 0, 0, 0, 0, 2]);
    let ttkn = text("ttkn");
    assert!(
        ttkn.contains(
            "0/2 đơn vị thực hiện các nhiệm vụ này đã gửi báo cáo; chưa gửi: Chi cục Chăn nuôi và Thú y, Trung tâm Khuyến nông."
        ),
        "{ttkn}"
    );
    // CCTY leads B-2 (overdue), B-3 (recurring: in progress); supports C-3.
    assert_eq!(counts("ccty"), [3, 0, 0, 1, 1, 1]);

    // --progress on a plan is a usage error.
    let out = run_in(d, &["batch", "kh.xlsx", "--out-dir", "b4", "--progress", forms[0]]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--progress chỉ dùng với --kind report"), "{}", out.stderr);
}

/// The master workbook in `d`, and VPS's form of quarter III in `d/bm`.
fn vps_form(d: &Path) {
    master().write(&d.join("kh.xlsx"));
    ok(&run_in(d, &["forms", "kh.xlsx", "--quarter", "3", "--unit", "VPS", "--out-dir", "bm"]), "forms");
}

/// A form as LibreOffice prints it: everything a unit needs to fill it in
/// without asking, the stamp out of sight, and its own block on a page of
/// its own (never a label left at a page's foot, nor under the table header).
#[test]
fn a_form_prints_as_a_form_to_fill_in() {
    let dir = tmp();
    let d = dir.path();
    vps_form(d);
    let pdf = soffice(d, "pdf", &d.join("bm/vps-tien-do-quy-3-2021.xlsx"), &d.join("pdf"));
    let pdf = Pdf::load(&std::fs::read(pdf).unwrap()).unwrap();
    let words = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(pdf.pages.len(), 2, "the tasks, then the unit's own block:\n{}", pdf.text());
    assert!(pdf.pages.iter().all(|p| p.landscape()));
    let first = words(pdf.pages[0].text());
    for needle in [
        "BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ QUÝ III NĂM 2021",
        "Đơn vị: Văn phòng Sở",
        "Thực hiện Kế hoạch số 54/KH-SNNPTNT ngày 30/6/2021",
        "(tính đến ngày 30/09/2021). Đề nghị gửi lại chính tệp này trước ngày 05 tháng 10 năm 2021.",
        "Chưa thực hiện / Đang thực hiện / Hoàn thành",
        "Với nhiệm vụ phối hợp, ghi phần việc đơn vị đã làm",
        "Mã Nhiệm vụ Vai trò Thời hạn Trạng thái Tiến độ (%)",
        "Kết quả thực hiện Khó khăn, vướng mắc",
        "Nhiệm vụ đơn vị chủ trì (2)",
        "A-1 Ban hành kế hoạch tuyên truyền cải cách hành chính Chủ trì Quý II/2021",
        // The master's values, prefilled.
        "A-2 Kiện toàn Tổ công tác cải cách hành chính Chủ trì Quý III/2021 Đang thực hiện 50",
        "Nhiệm vụ đơn vị phối hợp (2)",
        "A-3 Kiểm tra công vụ tại các chi cục Phối hợp Tháng 8/2021",
        "B-2 Số hóa hồ sơ thủ tục hành chính Phối hợp Quý II/2021",
    ] {
        assert!(first.contains(needle), "«{needle}» not on the form's first page:\n{first}");
    }
    assert!(!first.contains("TỒN TẠI"), "{first}");
    let all = words(pdf.text());
    assert!(!all.contains("vanban") && !all.contains("bieu-mau"), "the stamp is never printed:\n{all}");
    let second = words(pdf.pages[1].text());
    assert!(second.starts_with("TỒN TẠI, HẠN CHẾ CỦA ĐƠN VỊ (mỗi ý ghi một dòng)"), "{second}");
    assert!(second.contains("KIẾN NGHỊ, ĐỀ XUẤT CỦA ĐƠN VỊ (mỗi ý ghi một dòng)"), "{second}");
    assert!(!second.contains("Trạng thái"), "no table header over the unit's block:\n{second}");
}

#[test]
fn collect_refuses_foreign_files_and_the_master_as_output() {
    let dir = tmp();
    let d = dir.path();
    vps_form(d);
    // The master workbook is no form.
    let out = run_in(d, &["collect", "kh.xlsx", "kh.xlsx", "bm/vps-tien-do-quy-3-2021.xlsx", "-o", "th.xlsx"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("lỗi: kh.xlsx: tệp không phải biểu mẫu tiến độ do vanban tạo"), "{}", out.stderr);
    assert!(out.stderr.contains("1/5 đơn vị đã gửi báo cáo"), "{}", out.stderr);
    // Writing over the master is refused.
    let out = run_in(d, &["collect", "kh.xlsx", "bm/vps-tien-do-quy-3-2021.xlsx", "-o", "kh.xlsx"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("tệp kế hoạch không bao giờ bị ghi đè"));
    // Two forms for one unit: a warning naming both.
    std::fs::copy(d.join("bm/vps-tien-do-quy-3-2021.xlsx"), d.join("vps-ban-sao.xlsx")).unwrap();
    let out = run_in(d, &["collect", "kh.xlsx", "bm/vps-tien-do-quy-3-2021.xlsx", "vps-ban-sao.xlsx", "-o", "th.xlsx"]);
    ok(&out, "collect");
    assert!(out.stderr.contains("đơn vị «Văn phòng Sở» có 2 biểu mẫu"), "{}", out.stderr);
}
