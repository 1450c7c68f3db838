//! `vanban collect`: reads the returned forms, says who did not send and
//! every problem (located in its file), writes the consolidated workbook.
//! Also the `--progress` files of `report`.

use std::path::{Path, PathBuf};

use super::common;
use crate::cli::CollectArgs;
use crate::diag::{Code, Diagnostics};
use crate::document::report::Period;
use crate::forms::{self, Progress};
use crate::workbook::model::Workbook;
use crate::Failure;

/// Whether two paths name the same file (the output must never be an input).
pub fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| {
        std::fs::canonicalize(p).ok().or_else(|| {
            let parent = p.parent().filter(|x| !x.as_os_str().is_empty()).unwrap_or(Path::new("."));
            std::fs::canonicalize(parent).ok().and_then(|d| p.file_name().map(|n| d.join(n)))
        })
    };
    match (canon(a), canon(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Reads the files; one that cannot be read is a message for it alone.
fn read_files(paths: &[PathBuf], diags: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for p in paths {
        match std::fs::read(p) {
            Ok(bytes) => out.push((p.display().to_string(), bytes)),
            Err(e) => diags.push(crate::diag::Diagnostic::error(
                Code::KhongMoDuocTep,
                crate::diag::Loc::file(p.display().to_string()),
                if e.kind() == std::io::ErrorKind::NotFound {
                    "không tìm thấy tệp".to_string()
                } else {
                    format!("không mở được tệp: {e}")
                },
            )),
        }
    }
    out
}

fn print(diags: &Diagnostics, quiet: bool) {
    for d in &diags.items {
        if d.is_error() || !quiet {
            eprintln!("{}", forms::located(d));
        }
    }
}

/// Collects the files and prints the problems; `Err` when nothing usable
/// came out of them, and the count of files that failed.
fn gather(
    wb: &Workbook,
    paths: &[PathBuf],
    quarter: Option<u8>,
    year: Option<i32>,
    quiet: bool,
) -> Result<(Progress, usize), Failure> {
    let mut diags = Diagnostics::default();
    let files = read_files(paths, &mut diags);
    let unreadable = diags.errors().count();
    let (progress, d) = forms::collect(wb, quarter, year, &files);
    diags.extend(d);
    print(&diags, quiet);
    let progress = progress.ok_or(Failure::Reported)?;
    Ok((progress.clone(), progress.failed.len() + unreadable))
}

/// The progress of `report --progress`: every problem printed; an error in
/// any file refuses the report (exit 1).
pub fn progress_for_report(
    wb: &Workbook,
    paths: &[PathBuf],
    period: &Period,
    quiet: bool,
) -> Result<Option<Progress>, Failure> {
    if paths.is_empty() {
        return Ok(None);
    }
    let (progress, failed) = gather(wb, paths, Some(period.quarter), Some(period.year), quiet)?;
    if failed > 0 {
        eprintln!("{failed} tệp tiến độ có lỗi; sửa các lỗi trên (hoặc bỏ tệp đó) rồi chạy lại.");
        return Err(Failure::Reported);
    }
    if !quiet {
        eprintln!("{}", progress.who_reported());
    }
    Ok(Some(progress))
}

pub fn run(args: &CollectArgs) -> Result<(), Failure> {
    let wb = common::load_or_fail(&args.workbook, args.fix_encoding, args.quiet)?;
    let (progress, failed) = gather(&wb, &args.returned, args.quarter, args.year, args.quiet)?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| Path::new("output").join(forms::consolidated_file_name(&progress.period)));
    if same_file(&out, &args.workbook) || args.returned.iter().any(|p| same_file(&out, p)) {
        return Err(Failure::Usage(format!(
            "tệp kết quả «{}» là một tệp đầu vào; chọn tên khác (-o), tệp kế hoạch không bao giờ bị ghi đè",
            out.display()
        )));
    }
    let bytes = forms::collect::consolidated_xlsx(&wb, &progress)
        .map_err(|e| Failure::Message(format!("không tạo được tệp tổng hợp: {e}")))?;
    super::common::write_atomic(&out, &bytes).map_err(|e| super::common::io_message(&out, &e))?;
    println!("{}", out.display());
    eprintln!("{} — {}", progress.period.label(), progress.who_reported());
    let unchanged: Vec<&str> = progress.units.iter().filter(|u| u.unchanged).map(|u| u.name.as_str()).collect();
    if !unchanged.is_empty() {
        eprintln!("Biểu mẫu không thay đổi số liệu: {}.", unchanged.join(", "));
    }
    if failed > 0 {
        eprintln!("{failed} tệp có lỗi nên chưa được tính; sửa các lỗi trên rồi chạy lại.");
        return Err(Failure::Reported);
    }
    Ok(())
}
