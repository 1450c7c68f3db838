//! `vanban dev-render`: compile a template from disk with a JSON file, for
//! template development.

use crate::cli::DevRenderArgs;
use crate::render::{self, FontOptions, Fonts, RenderJob, Templates};
use crate::Failure;

pub fn run(args: &DevRenderArgs) -> Result<(), Failure> {
    let fonts =
        Fonts::discover(&FontOptions { paths: args.font_paths.clone(), ignore_system: args.ignore_system_fonts });
    eprintln!("phông chữ: {}", fonts.choice.family);
    super::guard::protect(&args.data);
    let templates = Templates::load(None, Some(&args.dir))?;
    let data = std::fs::read(&args.data).map_err(|e| format!("{}: {e}", args.data.display()))?;
    let job = RenderJob {
        template: &args.template,
        data,
        ident: "dev".into(),
        date: crate::vi::date::Date { year: 2024, month: 1, day: 1 },
        pdf_a: false,
    };
    let (pdf, warnings) = render::render_pdf(&fonts, &templates, &job).map_err(super::common::reported)?;
    for w in warnings {
        eprintln!("{w}");
    }
    super::common::write_atomic(&args.output, &pdf).map_err(|e| format!("{}: {e}", args.output.display()))?;
    eprintln!("đã ghi {}", args.output.display());
    Ok(())
}
