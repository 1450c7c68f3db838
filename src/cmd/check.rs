//! `vanban check`: every problem of a workbook in one run.

use super::common;
use crate::cli::CheckArgs;
use crate::diag::Diagnostics;
use crate::pipeline::{self, Source};
use crate::Failure;

/// All problems of a workbook: reading, values, domain rules, and the
/// template expressions of every document it can produce.
pub fn diagnose(path: &std::path::Path, fix_encoding: bool) -> Diagnostics {
    pipeline::check(Source::Path(path), fix_encoding).1
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
