//! Document data → Typst → PDF (bytes; writing files is the caller's).

pub mod fonts;
pub mod world;

use typst::diag::{Severity, SourceDiagnostic};

use crate::diag::{Code, Diagnostic, Loc};
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

/// A failed render: what stopped it, as diagnostics (Typst's errors each
/// at its place in the template).
#[derive(Debug, Clone)]
pub struct RenderError {
    pub diagnostics: Vec<Diagnostic>,
}

impl RenderError {
    /// A failure of no template place (a missing template, an export).
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        RenderError { diagnostics: vec![Diagnostic::error(code, Loc::default(), message)] }
    }
    /// Each problem as the line a user reads.
    pub fn lines(&self) -> Vec<String> {
        self.diagnostics.iter().map(ToString::to_string).collect()
    }
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.lines().join("\n"))
    }
}

/// A panic inside a render is that document's error.
impl From<crate::pipeline::Panicked> for RenderError {
    fn from(p: crate::pipeline::Panicked) -> Self {
        RenderError { diagnostics: p.into() }
    }
}

/// Compiles a document to its laid-out pages (also used by tests to check
/// positions and fonts), with Typst's warnings.
pub fn layout(
    fonts: &Fonts,
    templates: &Templates,
    job: &RenderJob,
) -> Result<(PagedDocument, Vec<Diagnostic>), RenderError> {
    let main = templates
        .id(job.template)
        .ok_or_else(|| RenderError::new(Code::NoiBo, format!("không có mẫu «{}»", job.template)))?;
    let today = Datetime::from_ymd(job.date.year, job.date.month, job.date.day);
    let world = DocWorld::new(fonts, templates, main, job.data.clone(), &fonts.choice.family, today)
        .ok_or_else(|| RenderError::new(Code::NoiBo, "không tạo được môi trường Typst"))?;
    let warned = typst::compile::<PagedDocument>(&world);
    let warnings = warned.warnings.iter().map(|d| diagnostic(Some(&world), templates, Code::MauTypst, d)).collect();
    match warned.output {
        Ok(doc) => Ok((doc, warnings)),
        Err(errors) => Err(RenderError {
            diagnostics: errors.iter().map(|d| diagnostic(Some(&world), templates, Code::MauTypst, d)).collect(),
        }),
    }
}

/// Renders a document to PDF bytes (deterministic: no clock, fixed ident),
/// with Typst's warnings.
pub fn render_pdf(
    fonts: &Fonts,
    templates: &Templates,
    job: &RenderJob,
) -> Result<(Vec<u8>, Vec<Diagnostic>), RenderError> {
    let (doc, warnings) = layout(fonts, templates, job)?;
    let pdf = export(&doc, templates, job)?;
    Ok((pdf, warnings))
}

/// PDF export of laid-out pages.
pub fn export(doc: &PagedDocument, templates: &Templates, job: &RenderJob) -> Result<Vec<u8>, RenderError> {
    let standards = if job.pdf_a {
        PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| RenderError::new(Code::XuatPdf, format!("PDF/A: {e:?}")))?
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
        diagnostics: errs.iter().map(|d| diagnostic(None, templates, Code::XuatPdf, d)).collect(),
    })
}

/// A Typst diagnostic as vanban's: its severity, `code`, where in which
/// template (file, and line and column when the sources are at hand), the
/// message and Typst's hints.
fn diagnostic(world: Option<&dyn World>, templates: &Templates, code: Code, d: &SourceDiagnostic) -> Diagnostic {
    let prefix = if code == Code::XuatPdf { "lỗi xuất PDF" } else { "mẫu Typst" };
    let message = format!("{prefix}: {}", d.message);
    let loc = d.span.id().map_or_else(Loc::default, |id| {
        let name = templates.display_name(id.vpath().get_without_slash());
        let pos = world.and_then(|world| {
            let src = world.source(id).ok()?;
            let range = typst::WorldExt::range(world, d.span)?;
            src.lines().byte_to_line_column(range.start)
        });
        match pos {
            Some((line, col)) => Loc::text(name, line as u32 + 1, col as u32 + 1),
            None => Loc::file(name),
        }
    });
    let mut out = match d.severity {
        Severity::Error => Diagnostic::error(code, loc, message),
        Severity::Warning => Diagnostic::warning(code, loc, message),
    };
    if !d.hints.is_empty() {
        out = out.hint(d.hints.iter().map(|h| format!("gợi ý của Typst: {}", h.v)).collect::<Vec<_>>().join("; "));
    }
    out
}
