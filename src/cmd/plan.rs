//! `vanban plan`: the KẾ HOẠCH of a workbook.

use super::common;
use crate::cli::PlanArgs;
use crate::pipeline::{self, What};
use crate::Failure;

pub fn run(args: &PlanArgs) -> Result<(), Failure> {
    let r = &args.render;
    let wb = common::load_or_fail(&args.workbook, r.fix_encoding, r.quiet)?;
    let (built, diags) = pipeline::build(&wb, What::Plan);
    common::print_diags(&diags, r.quiet);
    let Some(built) = built else {
        return Err(Failure::Reported);
    };
    common::write_document(&wb, &built, args.output.as_deref(), r)
}
