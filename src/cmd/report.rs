//! `vanban report`: the quarterly BÁO CÁO computed from the plan's workbook.

use super::common;
use crate::cli::ReportArgs;
use crate::document::report::Period;
use crate::pipeline::{self, What};
use crate::Failure;

/// The period from `--quarter`, `--year`, `--as-of`.
pub fn period(
    wb: &crate::workbook::model::Workbook,
    quarter: u8,
    year: Option<i32>,
    as_of: Option<&str>,
) -> Result<Period, Failure> {
    pipeline::period(wb, quarter, year, as_of).map_err(Failure::Usage)
}

pub fn run(args: &ReportArgs) -> Result<(), Failure> {
    let r = &args.render;
    let wb = common::load_or_fail(&args.workbook, r.fix_encoding, r.quiet)?;
    let period = period(&wb, args.quarter, args.year, args.as_of.as_deref())?;
    let progress = super::collect::progress_for_report(&wb, &args.progress, &period, r.quiet)?;
    let (built, diags) = match &progress {
        Some(p) => pipeline::build_report_with_progress(&wb, period, p),
        None => pipeline::build(&wb, What::Report(period)),
    };
    common::print_diags(&diags, r.quiet);
    let Some(built) = built else {
        return Err(Failure::Reported);
    };
    let formats = common::formats(r, args.output.as_deref());
    let out = common::output_path(args.output.as_deref(), &built, formats);
    common::check_outputs(&out, formats)?;
    let engine = common::engine(r)?;
    common::glyph_warnings(&engine.fonts, &wb, r.quiet);
    let warnings = common::render_and_write(&engine, &built, &out, r, formats).map_err(Failure::Message)?;
    if !r.quiet {
        for w in warnings {
            eprintln!("{w}");
        }
    }
    for path in formats.paths(&out) {
        println!("{}", path.display());
    }
    Ok(())
}
