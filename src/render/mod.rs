//! Document data → Typst → PDF (bytes; writing files is the caller's).

pub mod fonts;
pub mod world;

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::World;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use fonts::{FontOptions, Fonts};
pub use world::{DocWorld, Templates};

/// What to render and how.
pub struct RenderJob<'a> {
    /// Template file name: [`world::ENTRY`] (built-in), or `main.typ` (user).
    pub template: &'a str,
    /// The document data as JSON.
    pub data: Vec<u8>,
    /// A stable identifier (PDF document id) — the output name.
    pub ident: String,
    /// The document's date (issue date, or 1 January of its year): the PDF
    /// date for PDF/A and Typst's `today`.
    pub date: crate::vi::date::Date,
    pub pdf_a: bool,
}

/// A failed render: Typst's messages, made readable.
#[derive(Debug, Clone)]
pub struct RenderError {
    pub messages: Vec<String>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.messages.join("\n"))
    }
}

/// Compiles a document to its laid-out pages (also used by tests to check
/// positions and fonts).
pub fn layout(
    fonts: &Fonts,
    templates: &Templates,
    job: &RenderJob,
) -> Result<(PagedDocument, Vec<String>), RenderError> {
    let main = templates
        .id(job.template)
        .ok_or_else(|| RenderError { messages: vec![format!("không có mẫu «{}»", job.template)] })?;
    let today = Datetime::from_ymd(job.date.year, job.date.month, job.date.day);
    let world = DocWorld::new(fonts, templates, main, job.data.clone(), &fonts.choice.family, today)
        .ok_or_else(|| RenderError { messages: vec!["không tạo được môi trường Typst".into()] })?;
    let warned = typst::compile::<PagedDocument>(&world);
    let warnings: Vec<String> = warned.warnings.iter().map(|d| describe(&world, templates, d)).collect();
    match warned.output {
        Ok(doc) => Ok((doc, warnings)),
        Err(errors) => Err(RenderError { messages: errors.iter().map(|d| describe(&world, templates, d)).collect() }),
    }
}

/// Renders a document to PDF bytes (deterministic: no clock, fixed ident).
pub fn render_pdf(
    fonts: &Fonts,
    templates: &Templates,
    job: &RenderJob,
) -> Result<(Vec<u8>, Vec<String>), RenderError> {
    let (doc, warnings) = layout(fonts, templates, job)?;
    let pdf = export(&doc, job)?;
    Ok((pdf, warnings))
}

/// PDF export of laid-out pages.
pub fn export(doc: &PagedDocument, job: &RenderJob) -> Result<Vec<u8>, RenderError> {
    let standards = if job.pdf_a {
        PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| RenderError { messages: vec![format!("PDF/A: {e:?}")] })?
    } else {
        PdfStandards::default()
    };
    let timestamp = Datetime::from_ymd(job.date.year, job.date.month, job.date.day).map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(job.ident.clone()),
        creator: Smart::Custom(Some(format!("vanban {}", env!("CARGO_PKG_VERSION")))),
        timestamp: if job.pdf_a { timestamp } else { None },
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|errs| RenderError {
        messages: errs.iter().map(|d| format!("lỗi xuất PDF: {}", d.message)).collect(),
    })
}

/// A Typst diagnostic as one readable line: message, where in which
/// template, and hints.
fn describe(world: &dyn World, templates: &Templates, d: &SourceDiagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "mẫu Typst",
        Severity::Warning => "cảnh báo: mẫu Typst",
    };
    let mut out = format!("{kind}: {}", d.message);
    if let Some(id) = d.span.id() {
        let name = templates.display_name(id.vpath().get_without_slash());
        let pos = world.source(id).ok().and_then(|src| {
            let range = typst::WorldExt::range(world, d.span)?;
            src.lines().byte_to_line_column(range.start)
        });
        match pos {
            Some((line, col)) => out.push_str(&format!(" ({name}:{}:{})", line + 1, col + 1)),
            None => out.push_str(&format!(" ({name})")),
        }
    }
    for hint in &d.hints {
        out.push_str(&format!("\n  gợi ý: {}", hint.v));
    }
    out
}
