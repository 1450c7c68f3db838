//! `vanban report`: the quarterly BÁO CÁO computed from the plan's workbook.

use std::path::Path;

use super::common;
use crate::cli::ReportArgs;
use crate::document::report::{self, Period};
use crate::render::RenderJob;
use crate::Failure;

/// The period from `--quarter`, `--year`, `--as-of`.
pub fn period(
    wb: &crate::workbook::model::Workbook,
    quarter: u8,
    year: Option<i32>,
    as_of: Option<&str>,
) -> Result<Period, Failure> {
    let mut p = Period::quarter_end(wb, quarter, year);
    if let Some(s) = as_of {
        p.as_of = crate::vi::parse::parse_date(s).map_err(|_| {
            Failure::Usage(format!("--as-of «{s}» không phải ngày hợp lệ; ghi dạng dd/mm/yyyy, ví dụ 30/09/2024"))
        })?;
    }
    Ok(p)
}

pub fn run(args: &ReportArgs) -> Result<(), Failure> {
    let r = &args.render;
    let wb = common::load_or_fail(&args.workbook, r.fix_encoding, r.quiet)?;
    let period = period(&wb, args.quarter, args.year, args.as_of.as_deref())?;
    let env = crate::text::environment();
    let (built, diags) = report::build(&wb, &env, &period);
    common::print_diags(&diags, r.quiet);
    let Some((doc, meta, data)) = built else {
        return Err(Failure::Reported);
    };
    let out = args.output.clone().unwrap_or_else(|| {
        common::default_output(Path::new("output"), &format!("{}-q{}", meta.ky_hieu, period.quarter), period.year)
    });
    let formats = common::formats(r, args.output.as_deref());
    let docx = common::docx_file(&doc, &out, formats)?;
    if !formats.pdf {
        return common::write_docx(docx);
    }
    let out = common::pdf_path(&out);
    let (fonts, templates) = common::engine(r)?;
    let json = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
    let job = RenderJob {
        template: common::template_name(&templates, "bao-cao.typ"),
        data: json,
        ident: out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        date: meta.date,
        pdf_a: r.pdf_a,
    };
    let extra = serde_json::to_value(&data).map_err(|e| e.to_string())?;
    let warnings =
        common::render_and_write(&fonts, &templates, &job, &out, &r.emit, Some(&extra)).map_err(Failure::Message)?;
    if !r.quiet {
        for w in warnings {
            eprintln!("{w}");
        }
    }
    println!("{}", out.display());
    common::write_docx(docx)
}
