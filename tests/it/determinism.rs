//! Rendering is deterministic (cli.md): the same workbook and flags give the
//! same PDF bytes, in one process or in several; `--emit typ` writes a Typst
//! project that reproduces the PDF.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Renders `book` with the binary in a fresh directory, `out.pdf`.
fn once(book: &Book, args: &[&str]) -> Vec<u8> {
    let dir = tmp();
    book.write(&dir.path().join("wb.xlsx"));
    let mut all = args.to_vec();
    all.extend(["-o", "out.pdf", "--ignore-system-fonts"]);
    let out = run_in(dir.path(), &all);
    assert!(out.ok(), "{all:?}: {out:?}");
    read(&dir.path().join("out.pdf"))
}

#[test]
fn two_processes_give_identical_plans_and_reports() {
    let book = Book::plan(30).set("Trình bày nhiệm vụ", "phụ lục");
    let a = once(&book, &["plan", "wb.xlsx"]);
    let b = once(&book, &["plan", "wb.xlsx"]);
    assert!(a.len() > 1000);
    assert!(a == b, "plan: the same workbook gives the same PDF bytes");
    let a = once(&book, &["report", "wb.xlsx", "--quarter", "3"]);
    let b = once(&book, &["report", "wb.xlsx", "--quarter", "3"]);
    assert!(a == b, "report: the same workbook gives the same PDF bytes");
    // No current time in the PDF.
    let text = String::from_utf8_lossy(&a);
    let year =
        1970 + std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() / 31_556_952;
    assert!(!text.contains(&format!("D:{year}")), "a creation date of today in the PDF");
}

#[test]
fn library_renders_twice_in_one_process_like_the_binary() {
    use vanban::cli::{PlanArgs, RenderArgs, TypstArgs};
    let book = Book::plan(12);
    let dir = tmp();
    let wb = dir.path().join("wb.xlsx");
    book.write(&wb);
    let render = |sub: &str| -> PathBuf {
        let d = dir.path().join(sub);
        std::fs::create_dir_all(&d).unwrap();
        let out = d.join("out.pdf");
        let args = PlanArgs {
            workbook: wb.clone(),
            output: Some(out.clone()),
            render: RenderArgs {
                typst: TypstArgs { ignore_system_fonts: true, ..TypstArgs::default() },
                quiet: true,
                ..RenderArgs::default()
            },
        };
        assert!(vanban::cmd::plan::run(&args).is_ok(), "library render");
        out
    };
    let a = read(&render("a"));
    let b = read(&render("b"));
    assert!(a == b, "two renders in one process give the same bytes");
    let c = once(&book, &["plan", "wb.xlsx"]);
    assert!(a == c, "the library and the binary give the same bytes");
}

#[test]
fn batch_is_deterministic_whatever_the_parallelism() {
    let book = Book::plan(12);
    let dir = tmp();
    book.write(&dir.path().join("wb.xlsx"));
    let mut results = Vec::new();
    for jobs in ["1", "3"] {
        let out_dir = format!("out-{jobs}");
        let out = run_in(
            dir.path(),
            &["batch", "wb.xlsx", "--out-dir", &out_dir, "--jobs", jobs, "--ignore-system-fonts", "--quiet"],
        );
        assert!(out.ok(), "batch --jobs {jobs}: {out:?}");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path().join(&out_dir))
            .unwrap()
            .flatten()
            .map(|e| (e.file_name().to_string_lossy().into_owned(), read(&e.path())))
            .collect();
        files.sort();
        results.push(files);
    }
    assert_eq!(results[0].len(), 3, "one PDF per unit: {:?}", results[0].iter().map(|f| &f.0).collect::<Vec<_>>());
    assert_eq!(
        results[0].iter().map(|f| &f.0).collect::<Vec<_>>(),
        results[1].iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (a, b) in results[0].iter().zip(&results[1]) {
        assert!(a.1 == b.1, "{}: same bytes with --jobs 1 and --jobs 3", a.0);
    }
}

#[test]
fn emit_typ_writes_a_typst_project_beside_the_pdf() {
    let book = Book::plan(5);
    let dir = tmp();
    book.write(&dir.path().join("wb.xlsx"));
    std::fs::create_dir(dir.path().join("ra")).unwrap();
    let out =
        run_in(dir.path(), &["plan", "wb.xlsx", "-o", "ra/ke-hoach.pdf", "--emit", "typ", "--ignore-system-fonts"]);
    assert!(out.ok(), "{out:?}");
    let ra = dir.path().join("ra");
    for f in ["ke-hoach.pdf", "ke-hoach.typ", "ke-hoach.data.json", "nd30.typ"] {
        assert!(ra.join(f).is_file(), "{f} written beside the PDF");
    }
    let main = String::from_utf8(read(&ra.join("ke-hoach.typ"))).unwrap();
    assert!(main.contains("\"/ke-hoach.data.json\""), "the source reads its data file:\n{main}");
    assert!(main.contains("nd30.typ"), "the source imports the layout");
    let data: serde_json::Value = serde_json::from_slice(&read(&ra.join("ke-hoach.data.json"))).expect("data is JSON");
    assert_eq!(data["loai"], "KẾ HOẠCH");
    assert_eq!(data["header"]["ky_hieu"], "KH-SNNPTNT");
    // The emitted files do not change the PDF.
    let plain = once(&book, &["plan", "wb.xlsx"]);
    let ours = Pdf::load(&read(&ra.join("ke-hoach.pdf"))).unwrap();
    assert_eq!(ours.text(), Pdf::load(&plain).unwrap().text());

    let typst = Command::new("typst").arg("--version").output().is_ok_and(|o| o.status.success());
    if typst {
        let compiled = ra.join("typst.pdf");
        let st = Command::new("typst")
            .args(["compile", "--root"])
            .arg(&ra)
            .arg(ra.join("ke-hoach.typ"))
            .arg(&compiled)
            .status()
            .expect("typst");
        assert!(st.success(), "typst compiles the emitted project");
        let theirs = Pdf::load(&read(&compiled)).unwrap();
        assert_eq!(theirs.text(), ours.text(), "typst reproduces the text");
    } else {
        eprintln!("typst CLI not on PATH: checked the emitted files only");
    }
}

#[test]
fn the_file_name_does_not_change_the_bytes() {
    // Issue 12: the PDF's /ID came from the output path; a download from the
    // web page and the CLI's file must be the same bytes.
    let book = Book::plan(6);
    let dir = tmp();
    book.write(&dir.path().join("wb.xlsx"));
    for sub in [&["plan", "wb.xlsx"][..], &["report", "wb.xlsx", "--quarter", "2"]] {
        let mut pdfs = Vec::new();
        for name in ["mot.pdf", "hai-khac.pdf"] {
            let mut args = sub.to_vec();
            args.extend(["-o", name, "--ignore-system-fonts", "-q"]);
            let out = run_in(dir.path(), &args);
            assert!(out.ok(), "{args:?}: {out:?}");
            pdfs.push(read(&dir.path().join(name)));
        }
        assert!(pdfs[0].len() > 1000);
        assert!(pdfs[0] == pdfs[1], "{sub:?}: two file names give the same bytes");
    }
}
