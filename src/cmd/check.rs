//! `vanban check`: every problem of a workbook in one run.

use super::common;
use crate::cli::CheckArgs;
use crate::diag::Diagnostics;
use crate::Failure;

/// All problems of a workbook: reading, values, domain rules, and the
/// template expressions of every document it can produce.
pub fn diagnose(path: &std::path::Path, fix_encoding: bool) -> Diagnostics {
    let (wb, mut diags) = common::load(path, fix_encoding);
    let Some(wb) = wb else { return diags };
    diags.extend(crate::check::domain(&wb));
    if diags.has_errors() {
        return diags;
    }
    // The report's own cells (sheet BaoCao) are evaluated only in a report.
    let quarters: &[u8] = if wb.report.is_some() { &[4] } else { &[] };
    diags.extend(crate::document::build_all(&wb, &crate::text::environment(), quarters));
    dedup(diags)
}

/// The same problem found by two builds is said once.
fn dedup(diags: Diagnostics) -> Diagnostics {
    let mut out = Diagnostics::default();
    for d in diags.items {
        if !out.items.contains(&d) {
            out.push(d);
        }
    }
    out
}

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let diags = diagnose(&args.workbook, args.fix_encoding);
    common::print_diags(&diags, args.quiet);
    let errors = diags.errors().count();
    let warnings = diags.warnings().count();
    if errors > 0 {
        eprintln!("{}: {errors} lỗi, {warnings} cảnh báo. Sửa các lỗi trên rồi chạy lại.", args.workbook.display());
        Err(Failure::Reported)
    } else {
        if !args.quiet {
            eprintln!("{}: không có lỗi, {warnings} cảnh báo.", args.workbook.display());
        }
        Ok(())
    }
}
