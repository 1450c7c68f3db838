//! What every rendering command shares: reading the workbook, printing
//! problems, loading fonts and templates once, naming and writing outputs.

use std::path::{Path, PathBuf};

use crate::cli::{Emit, RenderArgs};
use crate::diag::Diagnostics;
use crate::render::{self, FontOptions, Fonts, RenderJob, Templates};
use crate::workbook::model::Workbook;
use crate::Failure;

/// Reads a workbook and returns it with its problems (the caller prints them).
pub fn load(path: &Path, fix_encoding: bool) -> (Option<Workbook>, Diagnostics) {
    let (wb, mut diags) = crate::workbook::read_workbook(path);
    match wb {
        Some(mut wb) => {
            diags.extend(crate::check::legacy_encoding(&mut wb, fix_encoding));
            (Some(wb), diags)
        }
        None => (None, diags),
    }
}

/// Prints problems to stderr: errors always, warnings unless `quiet`.
pub fn print_diags(diags: &Diagnostics, quiet: bool) {
    for d in &diags.items {
        if d.is_error() || !quiet {
            eprintln!("{d}");
        }
    }
}

/// Reads and prints; fails (exit 1) when there is an error.
pub fn load_or_fail(path: &Path, fix_encoding: bool, quiet: bool) -> Result<Workbook, Failure> {
    let (wb, diags) = load(path, fix_encoding);
    print_diags(&diags, quiet);
    match wb {
        Some(wb) if !diags.has_errors() => Ok(wb),
        _ => {
            eprintln!("{}: {} lỗi. Sửa các lỗi trên rồi chạy lại.", path.display(), diags.errors().count());
            Err(Failure::Reported)
        }
    }
}

/// Fonts and templates for a run, loaded once.
pub fn engine(args: &RenderArgs) -> Result<(Fonts, Templates), Failure> {
    for p in &args.font_paths {
        crate::render::fonts::check_path(p)?;
    }
    let fonts =
        Fonts::discover(&FontOptions { paths: args.font_paths.clone(), ignore_system: args.ignore_system_fonts });
    if !args.quiet {
        eprintln!("phông chữ: {}", fonts.choice.family);
    }
    if let Some(w) = fonts.warning() {
        if !args.quiet {
            eprintln!("cảnh báo: {w}");
        }
    }
    let templates = Templates::load(args.template.as_deref(), None)?;
    Ok((fonts, templates))
}

/// `output/<ký hiệu folded to [a-z0-9-]>-<year>.pdf`.
pub fn default_output(dir: &Path, ky_hieu: &str, year: i32) -> PathBuf {
    let slug = crate::vi::fold::slug(ky_hieu);
    let name = if slug.is_empty() { format!("van-ban-{year}") } else { format!("{slug}-{year}") };
    dir.join(format!("{name}.pdf"))
}

/// The template to compile: the user's, or the built-in one.
pub fn template_name<'a>(templates: &Templates, builtin: &'a str) -> &'a str {
    if templates.has_user() {
        "main.typ"
    } else {
        builtin
    }
}

/// Renders and writes one PDF (and what `--emit` asks for) atomically.
pub fn render_and_write(
    fonts: &Fonts,
    templates: &Templates,
    job: &RenderJob,
    out: &Path,
    emit: &[Emit],
    extra_json: Option<&serde_json::Value>,
) -> Result<Vec<String>, String> {
    let (files, warnings) = render_files(fonts, templates, job, out, emit, extra_json)?;
    write_files(&files)?;
    Ok(warnings)
}

/// The files of one document, path and bytes, not yet written: what
/// `--emit` asks for, then the PDF at `out` (last, so that a PDF on disk
/// means everything beside it was written too).
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// Renders one document into the files to write (see [`Files`]).
pub fn render_files(
    fonts: &Fonts,
    templates: &Templates,
    job: &RenderJob,
    out: &Path,
    emit: &[Emit],
    extra_json: Option<&serde_json::Value>,
) -> Result<(Files, Vec<String>), String> {
    let (pdf, warnings) = render::render_pdf(fonts, templates, job).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    if emit.contains(&Emit::Typ) {
        emit_typ(templates, job, out, &fonts.choice.family, &mut files)?;
    }
    if emit.contains(&Emit::Json) {
        let bytes = match extra_json {
            Some(v) => serde_json::to_vec_pretty(v).map_err(|e| e.to_string())?,
            None => job.data.clone(),
        };
        files.push((out.with_extension("json"), bytes));
    }
    files.push((out.to_path_buf(), pdf));
    Ok((files, warnings))
}

/// Writes each file atomically, in order; stops at the first failure.
pub fn write_files(files: &Files) -> Result<(), String> {
    for (path, bytes) in files {
        render::write_atomic(path, bytes).map_err(|e| render::io_message(path, &e))?;
    }
    Ok(())
}

/// `X.typ`, `X.data.json` and the imported templates, to write beside the
/// PDF so that `typst compile --root DIR X.typ` reproduces it.
fn emit_typ(templates: &Templates, job: &RenderJob, out: &Path, font: &str, files: &mut Files) -> Result<(), String> {
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "van-ban".into());
    let data_name = format!("{stem}.data.json");
    // The face vanban chose becomes the templates' default, so the typst CLI
    // (which has no `--input font=…` here) uses the same one.
    let with_font = |text: &str| text.replace("default: \"Times New Roman\"", &format!("default: {font:?}"));
    let main = templates.text(job.template).ok_or("không có mẫu")?;
    let main = with_font(main).replace("\"/data.json\"", &format!("\"/{data_name}\""));
    let header = format!(
        "// Tạo bởi vanban {}: dịch lại bằng `typst compile --root {} {}`\n",
        env!("CARGO_PKG_VERSION"),
        dir.display(),
        dir.join(format!("{stem}.typ")).display()
    );
    files.push((dir.join(format!("{stem}.typ")), format!("{header}{main}").into_bytes()));
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

/// Which files a render writes (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub pdf: bool,
    pub docx: bool,
}

impl Formats {
    pub const PDF: Formats = Formats { pdf: true, docx: false };
}

/// `--format` when given, else `.docx` when `-o` names one, else PDF.
pub fn formats(args: &RenderArgs, output: Option<&Path>) -> Formats {
    use crate::cli::Format;
    if args.format.is_empty() {
        let docx = output.and_then(|o| o.extension()).is_some_and(|e| e.eq_ignore_ascii_case("docx"));
        return Formats { pdf: !docx, docx };
    }
    Formats { pdf: args.format.contains(&Format::Pdf), docx: args.format.contains(&Format::Docx) }
}

/// The PDF beside a `-o NAME.docx`; any other output name as given.
pub fn pdf_path(out: &Path) -> PathBuf {
    match out.extension() {
        Some(e) if e.eq_ignore_ascii_case("docx") => out.with_extension("pdf"),
        _ => out.to_path_buf(),
    }
}

/// The Word copy of `doc` beside `out` (`.docx`), rendered before anything
/// is written; none when `--format` does not ask for it.
pub fn docx_file(
    doc: &crate::model::Document,
    out: &Path,
    formats: Formats,
) -> Result<Option<(PathBuf, Vec<u8>)>, Failure> {
    if !formats.docx {
        return Ok(None);
    }
    let bytes = crate::docx::render(doc).map_err(|e| Failure::Message(e.to_string()))?;
    Ok(Some((out.with_extension("docx"), bytes)))
}

/// Writes the Word copy (atomically) and prints its path.
pub fn write_docx(file: Option<(PathBuf, Vec<u8>)>) -> Result<(), Failure> {
    if let Some((path, bytes)) = file {
        render::write_atomic(&path, &bytes).map_err(|e| Failure::Message(render::io_message(&path, &e)))?;
        println!("{}", path.display());
    }
    Ok(())
}
