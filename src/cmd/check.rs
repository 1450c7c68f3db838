//! `vanban check`: every problem of a workbook in one run.

use super::common;
use crate::cli::CheckArgs;
use crate::diag::Diagnostics;
use crate::document::{plan, units::UnitIndex};
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
    let env = crate::text::environment();
    let (_, d) = plan::build(&wb, &env, None);
    diags.extend(d);
    if wb.report.is_some() {
        let (_, d) =
            crate::document::report::build(&wb, &env, &crate::document::report::Period::quarter_end(&wb, 4, None));
        diags.extend(d);
    }
    // Cells that name `don_vi` are evaluated per unit in batch: check them
    // against the first unit (the others differ only in values).
    if let Some(u) = wb.units.first() {
        let index = UnitIndex::new(&wb.units);
        let (_, d) = plan::build(&wb, &env, Some(plan::ForUnit { unit: u, index: &index }));
        diags.extend(d);
    }
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
