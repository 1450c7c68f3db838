//! The committed sample workbook and the reference plans: the sample is what
//! `vanban init` writes, and `check` finds no error in any of them.

use std::path::{Path, PathBuf};
use std::process::Command;

use vanban::workbook::read_workbook;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_vanban")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A workbook's content without where it was read from (file names differ).
fn content(path: &Path) -> String {
    let (wb, diags) = read_workbook(path);
    assert!(!diags.has_errors(), "{}: {:?}", path.display(), diags.items);
    let mut wb = wb.expect("workbook");
    wb.file.clear();
    format!("{wb:?}")
}

#[test]
fn committed_sample_is_what_init_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = dir.path().join("mau.xlsx");
    let out = Command::new(bin()).arg("init").arg(&fresh).output().expect("run init");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let committed = root().join("data/ke-hoach-mau.xlsx");
    assert_eq!(content(&fresh), content(&committed), "data/ke-hoach-mau.xlsx is stale: run `vanban init --force`");
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mau.xlsx");
    std::fs::write(&path, b"keep me").expect("write");
    let out = Command::new(bin()).arg("init").arg(&path).output().expect("run init");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read(&path).expect("read"), b"keep me");
    let out = Command::new(bin()).args(["init", "--force"]).arg(&path).output().expect("run init");
    assert!(out.status.success());
    assert_ne!(std::fs::read(&path).expect("read"), b"keep me");
}

#[test]
fn check_finds_no_error_in_the_sample_and_the_reference_plans() {
    let mut files = vec![root().join("data/ke-hoach-mau.xlsx")];
    let refs = root().join("tests/fixtures/reference");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&refs)
        .expect("reference fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx" || e == "xls" || e == "ods"))
        .collect();
    found.sort();
    // Five plans, and the .ods/.xls/LibreOffice copies.
    assert!(found.len() >= 8, "{found:?}");
    files.extend(found);
    for f in files {
        let out = Command::new(bin()).arg("check").arg(&f).output().expect("run check");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{}: {err}", f.display());
        assert!(!err.lines().any(|l| l.starts_with("lỗi")), "{}: {err}", f.display());
        assert!(err.contains("không có lỗi"), "{}: {err}", f.display());
    }
}

#[test]
fn every_reference_plan_renders() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in [
        "an-giang-2021.xlsx",
        "binh-thuan-2021.ods",
        "dong-nai-2023-lo.xlsx",
        "hung-yen-2024.xlsx",
        "quang-ngai-2023.xls",
    ] {
        let out_pdf = dir.path().join(format!("{name}.pdf"));
        let out = Command::new(bin())
            .args(["plan", "--ignore-system-fonts", "-q"])
            .arg(root().join("tests/fixtures/reference").join(name))
            .arg("-o")
            .arg(&out_pdf)
            .output()
            .expect("run plan");
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let bytes = std::fs::read(&out_pdf).expect("pdf written");
        assert!(bytes.starts_with(b"%PDF-"), "{name}");
        assert!(bytes.len() > 10_000, "{name}: {} bytes", bytes.len());
    }
}
