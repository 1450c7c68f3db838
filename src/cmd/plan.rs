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
