//! The one pipeline every front-end calls (the CLI, `serve`, tests):
//! workbook (a path or bytes in memory) → diagnostics → document data →
//! rendered outputs as bytes. Nothing here prints, reads clap types or
//! writes files: the caller decides what to do with the values.
//!
//! ```text
//! Source ─load→ Workbook ─check→ Diagnostics
//!                  │
//!                  └─build(What)→ Built ─render(Format)→ bytes
//!                                       ─pages_svg→ page pictures
//!                                       ─files(Extra)→ [(path, bytes)]
//! ```

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::document::model::Document;
use crate::document::report::{self, Period};
use crate::document::{plan, Meta};
use crate::render::{self, FontOptions, Fonts, RenderError, RenderJob, Templates};
use crate::workbook::model::{UnitRow, Workbook};

/// Where a workbook comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A file on disk.
    Path(&'a Path),
    /// Bytes in memory (an upload); `name` is shown in messages.
    Bytes { bytes: &'a [u8], name: &'a str },
}

/// Reads a workbook (through the one reader) and converts legacy encodings
/// when asked; the workbook with every problem found while reading.
pub fn load(source: Source<'_>, fix_encoding: bool) -> (Option<Workbook>, Diagnostics) {
    let (wb, mut diags) = match source {
        Source::Path(p) => crate::workbook::read_workbook(p),
        Source::Bytes { bytes, name } => {
            let ext = Path::new(name).extension().and_then(|e| e.to_str());
            crate::workbook::read_workbook_bytes(bytes, name, ext)
        }
    };
    match wb {
        Some(mut wb) => {
            diags.extend(crate::check::legacy_encoding(&mut wb, fix_encoding));
            (Some(wb), diags)
        }
        None => (None, diags),
    }
}

/// All problems of a workbook (`check`): reading, values, domain rules and
/// the template expressions of every document it can produce.
///
/// The problems are listed by place ([`in_sheet_order`]).
pub fn check(source: Source<'_>, fix_encoding: bool) -> (Option<Workbook>, Diagnostics) {
    let (wb, mut diags) = load(source, fix_encoding);
    let Some(wb) = wb else { return (None, in_sheet_order(diags)) };
    diags.extend(crate::check::domain(&wb));
    if !diags.has_errors() {
        // The report's own cells (sheet BaoCao) are evaluated only in a report.
        let quarters: &[u8] = if wb.report.is_some() { &[4] } else { &[] };
        diags.extend(crate::document::build_all(&wb, &crate::text::environment(), quarters));
    }
    (Some(wb), in_sheet_order(dedup(diags)))
}

/// Problems by place: the file's own first, then sheet by sheet in the
/// schema's order (ThongTin, NoiDung, NhiemVu, …; a sheet vanban does not
/// know last), row by row and cell by cell within a sheet.
pub fn in_sheet_order(mut diags: Diagnostics) -> Diagnostics {
    use crate::workbook::schema::{sheet_kind, SHEETS};
    diags.sort_by_place(&|name| sheet_kind(name).and_then(|k| SHEETS.iter().position(|s| s.kind == k)));
    diags
}

/// The same problem found by two builds is said once.
pub fn dedup(diags: Diagnostics) -> Diagnostics {
    let mut out = Diagnostics::default();
    for d in diags.items {
        if !out.items.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// What renders: fonts and templates, loaded once and shared by threads.
pub struct Engine {
    pub fonts: Fonts,
    pub templates: Templates,
}

/// How to set up an [`Engine`].
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// The user's Typst template instead of the built-in ones.
    pub template: Option<PathBuf>,
    /// Extra font folders.
    pub font_paths: Vec<PathBuf>,
    pub ignore_system_fonts: bool,
}

impl Engine {
    /// Finds the fonts and loads the templates; an error says which folder
    /// or template is wrong.
    pub fn new(opts: &EngineOptions) -> Result<Engine, String> {
        for p in &opts.font_paths {
            crate::render::fonts::check_path(p)?;
        }
        let fonts =
            Fonts::discover(&FontOptions { paths: opts.font_paths.clone(), ignore_system: opts.ignore_system_fonts });
        let templates = Templates::load(opts.template.as_deref(), None)?;
        Ok(Engine { fonts, templates })
    }
}

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Plan,
    Report(Period),
}

/// The period of a report from a quarter, an optional year and an optional
/// as-of date (`dd/mm/yyyy`); the error is a usage message.
pub fn period(wb: &Workbook, quarter: u8, year: Option<i32>, as_of: Option<&str>) -> Result<Period, String> {
    if !(1..=4).contains(&quarter) {
        return Err(format!("quý «{quarter}» không hợp lệ; chọn từ 1 đến 4"));
    }
    let mut p = Period::quarter_end(wb, quarter, year);
    if let Some(s) = as_of.map(str::trim).filter(|s| !s.is_empty()) {
        p.as_of = crate::vi::parse::parse_date(s)
            .map_err(|_| format!("--as-of «{s}» không phải ngày hợp lệ; ghi dạng dd/mm/yyyy, ví dụ 30/09/2024"))?;
    }
    Ok(p)
}

/// A document built from a workbook, ready to render.
#[derive(Debug, Clone)]
pub struct Built {
    pub what: What,
    pub doc: Document,
    pub meta: Meta,
    /// The report's computed data (`--emit json` of a report).
    pub extra: Option<serde_json::Value>,
}

/// Builds the plan or the report of the whole workbook; `None` when an
/// error was found (all of them are in the diagnostics).
pub fn build(wb: &Workbook, what: What) -> (Option<Built>, Diagnostics) {
    let env = crate::text::environment();
    match what {
        What::Plan => {
            let (b, d) = plan::build(wb, &env, None);
            (b.map(|(doc, meta)| Built { what, doc, meta, extra: None }), d)
        }
        What::Report(period) => {
            let (b, d) = report::build(wb, &env, &period);
            (b.map(|(doc, meta, data)| Built { what, doc, meta, extra: serde_json::to_value(data).ok() }), d)
        }
    }
}

/// The report of the whole workbook with the units' returned progress
/// (`report --progress`, collect.md) over the master's own columns.
pub fn build_report_with_progress(
    wb: &Workbook,
    period: Period,
    progress: &crate::forms::Progress,
) -> (Option<Built>, Diagnostics) {
    let env = crate::text::environment();
    let (b, d) = report::build_with_progress(wb, &env, &period, Some(progress));
    let what = What::Report(period);
    (b.map(|(doc, meta, data)| Built { what, doc, meta, extra: serde_json::to_value(data).ok() }), d)
}

/// One unit's document (sheet DonVi): its plan, or its report over its own
/// tasks, with `don_vi` defined in both.
pub fn build_unit(wb: &Workbook, unit: &UnitRow, what: What) -> (Option<Built>, Diagnostics) {
    unit_document(wb, unit, what, None)
}

/// One unit's report with the units' returned progress (`batch --kind
/// report --progress`): its tasks' states from the returned values, its own
/// Tồn tại, hạn chế and Kiến nghị, and who of the units sharing its tasks
/// reported.
pub fn build_unit_with_progress(
    wb: &Workbook,
    unit: &UnitRow,
    period: Period,
    progress: &crate::forms::Progress,
) -> (Option<Built>, Diagnostics) {
    unit_document(wb, unit, What::Report(period), Some(progress))
}

fn unit_document(
    wb: &Workbook,
    unit: &UnitRow,
    what: What,
    progress: Option<&crate::forms::Progress>,
) -> (Option<Built>, Diagnostics) {
    let env = crate::text::environment();
    let index = crate::document::units::UnitIndex::new(&wb.units);
    let (built, diags) = match what {
        What::Plan => {
            let (b, d) = plan::build(wb, &env, Some(plan::ForUnit { unit, index: &index }));
            (b.map(|(doc, meta)| Built { what, doc, meta, extra: None }), d)
        }
        What::Report(period) => {
            let uwb = crate::batch::unit_workbook(wb, unit, &index);
            let mine = progress.map(|p| crate::batch::unit_progress(wb, unit, &index, p));
            let (b, d) = report::build_for_unit_with_progress(&uwb, &env, &period, unit, mine.as_ref());
            (b.map(|(doc, meta, data)| Built { what, doc, meta, extra: serde_json::to_value(data).ok() }), d)
        }
    };
    let built = built.map(|mut b| {
        if let serde_json::Value::Object(map) = &mut b.meta.vars {
            map.insert("don_vi".into(), crate::document::vars::don_vi(unit));
        }
        b
    });
    (built, diags)
}

/// The default file name of a whole-workbook document, as the CLI writes
/// it into `output/`: `<ký hiệu folded>-<year>.pdf`, `-q<N>` for a report.
pub fn default_file_name(built: &Built, format: Format) -> String {
    let (ky_hieu, year) = match built.what {
        What::Plan => (built.meta.ky_hieu.clone(), built.meta.year),
        What::Report(p) => (format!("{}-q{}", built.meta.ky_hieu, p.quarter), p.year),
    };
    let slug = crate::vi::fold::file_stem(&ky_hieu);
    let name = if slug.is_empty() { format!("van-ban-{year}") } else { format!("{slug}-{year}") };
    format!("{name}.{}", format.extension())
}

/// An output format: the PDF (Typst), or the editable Word copy
/// (`src/docx/`), both from the same document data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }
}

/// Which outputs a render makes (`--format pdf|docx|pdf,docx`); at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub pdf: bool,
    pub docx: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats::PDF
    }
}

impl Formats {
    pub const PDF: Formats = Formats { pdf: true, docx: false };

    /// The format that names the output: the PDF when there is one.
    pub fn main(self) -> Format {
        if self.pdf || !self.docx {
            Format::Pdf
        } else {
            Format::Docx
        }
    }

    /// The path of one format's file for an output named `out` (the Word
    /// copy is `out` with `.docx`; the PDF is `out`, or `.pdf` for a
    /// `-o NAME.docx`).
    pub fn path(out: &Path, format: Format) -> PathBuf {
        let is_docx = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
        match format {
            Format::Docx => out.with_extension("docx"),
            Format::Pdf if is_docx => out.with_extension("pdf"),
            Format::Pdf => out.to_path_buf(),
        }
    }

    /// The files a render writes for `out`, in writing order: the Word copy,
    /// then the PDF.
    pub fn paths(self, out: &Path) -> Vec<PathBuf> {
        let mut v = Vec::new();
        if self.docx {
            v.push(Formats::path(out, Format::Docx));
        }
        if self.pdf || !self.docx {
            v.push(Formats::path(out, Format::Pdf));
        }
        v
    }

    /// The file that stands for the output (the last one written).
    pub fn main_path(self, out: &Path) -> PathBuf {
        Formats::path(out, self.main())
    }
}

/// Files written beside the main output on request (`--emit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// The Typst source, its data and the templates it imports.
    Typ,
    /// The computed data as JSON.
    Json,
}

/// Options of a render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub pdf_a: bool,
    /// Used by [`files`]; [`render`] takes its one format as an argument.
    pub formats: Formats,
}

/// The template a document compiles: the user's, or the built-in one
/// (plans and reports share it: what differs between them is data).
pub fn template_name(templates: &Templates) -> &'static str {
    if templates.has_user() {
        "main.typ"
    } else {
        crate::render::world::ENTRY
    }
}

/// The render job of a built document. Its identity (PDF `/ID`, XMP
/// DocumentID) is a hash of what decides the bytes — the data, the template
/// and the options — never of where the file goes, so that the same
/// document gives the same bytes whatever its file name.
pub fn job<'t>(engine: &'t Engine, built: &Built, opts: RenderOptions) -> Result<RenderJob<'t>, RenderError> {
    let template = template_name(&engine.templates);
    let data = serde_json::to_vec(&built.doc).map_err(|e| RenderError::new(Code::NoiBo, e.to_string()))?;
    let mut h = Hash128::default();
    h.write(template.as_bytes());
    h.write(engine.templates.text(template).unwrap_or("").as_bytes());
    h.write(&data);
    h.write(&[u8::from(opts.pdf_a)]);
    h.write(engine.fonts.choice.family.as_bytes());
    Ok(RenderJob { template, data, ident: h.hex(), date: built.meta.date, pdf_a: opts.pdf_a })
}

/// A rendered document: its bytes and the renderer's warnings.
#[derive(Debug, Clone)]
pub struct Output {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Diagnostic>,
}

/// Renders a built document in a format.
pub fn render(engine: &Engine, built: &Built, format: Format, opts: RenderOptions) -> Result<Output, RenderError> {
    let job = job(engine, built, opts)?;
    match format {
        Format::Pdf => {
            let (bytes, warnings) = render::render_pdf(&engine.fonts, &engine.templates, &job)?;
            Ok(Output { bytes, warnings })
        }
        Format::Docx => Ok(Output { bytes: docx(built)?, warnings: Vec::new() }),
    }
}

/// The Word copy of a built document.
fn docx(built: &Built) -> Result<Vec<u8>, RenderError> {
    crate::docx::render(&built.doc).map_err(|e| RenderError::new(Code::XuatDocx, e.to_string()))
}

/// The pages of a built document as SVG pictures (the web page's preview),
/// with the renderer's warnings.
pub fn pages_svg(engine: &Engine, built: &Built) -> Result<(Vec<String>, Vec<Diagnostic>), RenderError> {
    let job = job(engine, built, RenderOptions::default())?;
    let (doc, warnings) = render::layout(&engine.fonts, &engine.templates, &job)?;
    let opts = typst_svg::SvgOptions::default();
    Ok((doc.pages().iter().map(|p| typst_svg::svg(p, &opts)).collect(), warnings))
}

/// The files of one document, path and bytes, not yet written: what
/// `extras` asks for, then the main output at `out` (last, so that the
/// output on disk means everything beside it was written too).
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// Renders one document into the files to write (see [`Files`]).
pub fn files(
    engine: &Engine,
    built: &Built,
    out: &Path,
    extras: &[Extra],
    opts: RenderOptions,
) -> Result<(Files, Vec<Diagnostic>), RenderError> {
    let job = job(engine, built, opts)?;
    let mut files = Vec::new();
    if extras.contains(&Extra::Typ) {
        emit_typ(&engine.templates, &job, out, &engine.fonts.choice.family, &mut files)?;
    }
    if extras.contains(&Extra::Json) {
        let bytes = match &built.extra {
            Some(v) => serde_json::to_vec_pretty(v).map_err(|e| RenderError::new(Code::NoiBo, e.to_string()))?,
            None => job.data.clone(),
        };
        files.push((out.with_extension("json"), bytes));
    }
    let mut warnings = Vec::new();
    if opts.formats.docx {
        files.push((Formats::path(out, Format::Docx), docx(built)?));
    }
    if opts.formats.pdf || !opts.formats.docx {
        let (pdf, w) = render::render_pdf(&engine.fonts, &engine.templates, &job)?;
        warnings = w;
        files.push((Formats::path(out, Format::Pdf), pdf));
    }
    Ok((files, warnings))
}

/// `X.typ`, `X.data.json` and the imported templates, to write beside the
/// PDF so that `typst compile --root DIR X.typ` reproduces it.
fn emit_typ(
    templates: &Templates,
    job: &RenderJob,
    out: &Path,
    font: &str,
    files: &mut Files,
) -> Result<(), RenderError> {
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "van-ban".into());
    let data_name = format!("{stem}.data.json");
    // The face vanban chose becomes the templates' default, so the typst CLI
    // (which has no `--input font=…` here) uses the same one.
    let with_font = |text: &str| text.replace("default: \"Times New Roman\"", &format!("default: {font:?}"));
    let main = templates.text(job.template).ok_or_else(|| RenderError::new(Code::NoiBo, "không có mẫu"))?;
    // The source is written as X.typ beside the templates it imports: an
    // output named after one of them (nd30.pdf) would write over it.
    let source = format!("{stem}.typ");
    let source_path = dir.join(&source);
    if crate::render::world::BUILTIN.iter().any(|(name, _)| *name == source && *name != job.template) {
        return Err(RenderError::new(
            Code::TrungTenTep,
            format!(
                "«{}»: --emit typ ghi mã nguồn thành {source}, trùng tên mẫu {source} ghi kèm bên cạnh; đặt tên tệp ra khác (-o)",
                out.display()
            ),
        ));
    }
    let main = with_font(main).replace("\"/data.json\"", &format!("\"/{data_name}\""));
    let header = format!(
        "// Tạo bởi vanban {}: dịch lại bằng `typst compile --root {} {}`\n",
        env!("CARGO_PKG_VERSION"),
        dir.display(),
        source_path.display()
    );
    files.push((source_path, format!("{header}{main}").into_bytes()));
    files.push((dir.join(&data_name), job.data.clone()));
    for (name, _) in crate::render::world::BUILTIN {
        if *name != job.template {
            if let Some(text) = templates.text(name) {
                files.push((dir.join(name), with_font(text).into_bytes()));
            }
        }
    }
    Ok(())
}

/// A panic caught by [`guarded`]: what it said, as the user's message.
#[derive(Debug, Clone)]
pub struct Panicked(pub String);

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "lỗi nội bộ khi lập văn bản (xin báo lỗi này kèm tệp Excel): {}", self.0)
    }
}

impl From<Panicked> for Vec<String> {
    fn from(p: Panicked) -> Self {
        vec![p.to_string()]
    }
}

impl From<Panicked> for Vec<Diagnostic> {
    fn from(p: Panicked) -> Self {
        vec![Diagnostic::error(Code::NoiBo, Loc::default(), p.to_string())]
    }
}

/// Runs `f`, turning a panic into its error: a render that panics is that
/// document's error, not the caller's crash.
pub fn guarded<T, E: From<Panicked>>(f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let why = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(E::from(Panicked(why)))
        }
    }
}

/// FNV-1a over two lanes: a stable 128-bit hash (the same on every
/// machine and Rust version, unlike `std`'s hashers).
#[derive(Clone, Copy)]
struct Hash128(u64, u64);

impl Default for Hash128 {
    fn default() -> Self {
        Hash128(0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142)
    }
}

impl Hash128 {
    fn write(&mut self, bytes: &[u8]) {
        const P: u64 = 0x0000_0100_0000_01b3;
        for &b in bytes.iter().chain((bytes.len() as u64).to_le_bytes().iter()) {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(P);
            self.1 = (self.1 ^ u64::from(b.rotate_left(3))).wrapping_mul(P).rotate_left(5);
        }
    }
    fn hex(self) -> String {
        format!("{:016x}{:016x}", self.0, self.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_listed_by_sheet_in_the_schemas_order_whatever_the_sheets_are_called() {
        let mut d = Diagnostics::default();
        let at = |sheet: &str, row, col| Diagnostic::error(Code::NgaySai, Loc::cell(sheet, row, col), "x");
        // As found: a template, the tasks (named as typed), the info sheet,
        // an unknown sheet, the file itself.
        d.push(at("Phụ lục", 0, 0));
        d.push(at("Nhiệm vụ", 9, 2));
        d.push(at("Nhiệm vụ", 6, 8));
        d.push(at("Thông tin", 3, 1));
        d.push(Diagnostic::error(Code::TepHong, Loc::file("kh.xlsx"), "y"));
        let got: Vec<String> = in_sheet_order(d).items.iter().map(|x| x.loc.to_string()).collect();
        assert_eq!(got, ["kh.xlsx", "Thông tin!B4", "Nhiệm vụ!I7", "Nhiệm vụ!C10", "Phụ lục!A1"]);
    }

    #[test]
    fn emitted_source_never_takes_the_name_of_a_template_beside_it() {
        let dir = std::env::temp_dir().join(format!("vanban-emit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("kh.xlsx");
        crate::sample::write_sample(&path).expect("sample");
        let (wb, _) = load(Source::Path(&path), false);
        let _ = std::fs::remove_dir_all(&dir);
        let built = build(&wb.expect("sample workbook"), What::Plan).0.expect("built");
        let engine =
            Engine::new(&EngineOptions { ignore_system_fonts: true, ..EngineOptions::default() }).expect("engine");
        let opts = RenderOptions::default();
        let err = files(&engine, &built, Path::new("out/nd30.pdf"), &[Extra::Typ], opts).expect_err("nd30.typ clashes");
        assert_eq!(err.diagnostics[0].code, Code::TrungTenTep);
        assert!(err.diagnostics[0].message.contains("nd30.typ"), "{err}");
        // Any other name writes the source, its data and the templates, then the PDF.
        let (written, _) = files(&engine, &built, Path::new("out/kh.pdf"), &[Extra::Typ], opts).expect("files");
        let names: Vec<String> = written.iter().map(|(p, _)| p.display().to_string()).collect();
        assert_eq!(names, ["out/kh.typ", "out/kh.data.json", "out/nd30.typ", "out/kh.pdf"]);
    }

    #[test]
    fn a_panic_is_the_error_of_its_callers_kind() {
        let r: Result<(), Vec<Diagnostic>> = guarded(|| panic!("hỏng"));
        let d = r.expect_err("caught");
        assert_eq!((d.len(), d[0].code), (1, Code::NoiBo));
        assert!(d[0].message.ends_with("hỏng"), "{:?}", d[0]);
        let r: Result<(), Vec<String>> = guarded(|| panic!("hỏng"));
        assert!(r.expect_err("caught")[0].contains("lỗi nội bộ"));
        let r: Result<(), RenderError> = guarded(|| Err(RenderError::new(Code::XuatPdf, "z")));
        assert_eq!(r.expect_err("as returned").diagnostics[0].code, Code::XuatPdf);
    }
}
