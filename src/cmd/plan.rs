//! `vanban plan`: the KẾ HOẠCH of a workbook.

use std::path::Path;

use super::common;
use crate::cli::PlanArgs;
use crate::document::plan;
use crate::render::RenderJob;
use crate::Failure;

pub fn run(args: &PlanArgs) -> Result<(), Failure> {
    let r = &args.render;
    let wb = common::load_or_fail(&args.workbook, r.fix_encoding, r.quiet)?;
    let env = crate::text::environment();
    let (built, diags) = plan::build(&wb, &env, None);
    common::print_diags(&diags, r.quiet);
    let Some((doc, meta)) = built else {
        return Err(Failure::Reported);
    };
    let out =
        args.output.clone().unwrap_or_else(|| common::default_output(Path::new("output"), &meta.ky_hieu, meta.year));
    let formats = common::formats(r, args.output.as_deref());
    let docx = common::docx_file(&doc, &out, formats)?;
    if !formats.pdf {
        return common::write_docx(docx);
    }
    let out = common::pdf_path(&out);
    let (fonts, templates) = common::engine(r)?;
    let data = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
    let job = RenderJob {
        template: common::template_name(&templates, "ke-hoach.typ"),
        data,
        ident: out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        date: meta.date,
        pdf_a: r.pdf_a,
    };
    let warnings = common::render_and_write(&fonts, &templates, &job, &out, &r.emit, None).map_err(Failure::Message)?;
    if !r.quiet {
        for w in warnings {
            eprintln!("{w}");
        }
    }
    println!("{}", out.display());
    common::write_docx(docx)
}
