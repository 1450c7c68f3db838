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
    let period = period(&wb, args.period.quarter, args.period.year, args.as_of.as_deref())?;
    let progress = super::collect::progress_for_report(&wb, &args.progress, &period, r.quiet)?;
    let (built, diags) = match &progress {
        Some(p) => pipeline::build_report_with_progress(&wb, period, p),
        None => pipeline::build(&wb, What::Report(period)),
    };
    common::print_diags(&diags, r.quiet);
    let Some(built) = built else {
        return Err(Failure::Reported);
    };
    common::write_document(&wb, &built, args.output.as_deref(), r)
}
