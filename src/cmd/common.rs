//! What every command shares on the CLI side: printing problems, loading
//! the engine once (and saying which font it uses), naming and writing
//! outputs. The work itself is `crate::pipeline`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{Emit, RenderArgs};
use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::pipeline::{self, Engine, EngineOptions, Extra, Files, Formats, Source};
use crate::workbook::model::Workbook;
use crate::Failure;

/// Reads a workbook and returns it with its problems (the caller prints them).
pub fn load(path: &Path, fix_encoding: bool) -> (Option<Workbook>, Diagnostics) {
    super::guard::protect(path);
    pipeline::load(Source::Path(path), fix_encoding)
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

/// The engine options of the render flags.
pub fn engine_options(args: &RenderArgs) -> EngineOptions {
    args.typst.engine_options()
}

/// Fonts and templates for a run, loaded once; says the font chosen.
pub fn engine(args: &RenderArgs) -> Result<Engine, Failure> {
    if let Some(t) = &args.typst.template {
        super::guard::protect(t);
    }
    let engine = Engine::new(&engine_options(args))?;
    if !args.quiet {
        eprintln!("phông chữ: {}", engine.fonts.choice.family);
        if let Some(w) = engine.fonts.warning() {
            eprintln!("cảnh báo: {w}");
        }
    }
    Ok(engine)
}

/// The library's extras of `--emit`.
pub fn extras(emit: &[Emit]) -> Vec<Extra> {
    emit.iter()
        .map(|e| match e {
            Emit::Typ => Extra::Typ,
            Emit::Json => Extra::Json,
        })
        .collect()
}

/// Warns, naming the cell, about characters the chosen face lacks.
pub fn glyph_warnings(fonts: &crate::render::Fonts, wb: &Workbook, quiet: bool) {
    let diags = crate::check::missing_glyphs(wb, &|c| fonts.covers(c), &fonts.choice.family);
    print_diags(&diags, quiet);
}

/// The output of a whole-workbook document: `-o`, or `output/<default name>`.
pub fn output_path(output: Option<&Path>, built: &pipeline::Built, formats: Formats) -> PathBuf {
    output
        .map(Path::to_path_buf)
        .unwrap_or_else(|| Path::new("output").join(pipeline::default_file_name(built, formats.main())))
}

/// Writes a whole-workbook document (`plan`, `report`) in the asked formats
/// to `-o` or its default name, says the font's warnings, and prints each
/// path written.
pub fn write_document(
    wb: &Workbook,
    built: &pipeline::Built,
    output: Option<&Path>,
    r: &RenderArgs,
) -> Result<(), Failure> {
    let formats = formats(r, output);
    let out = output_path(output, built, formats);
    check_outputs(&out, formats)?;
    let engine = engine(r)?;
    glyph_warnings(&engine.fonts, wb, r.quiet);
    let warnings = render_and_write(&engine, built, &out, r, formats)?;
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

/// Refuses outputs that would overwrite an input (every format's file).
pub fn check_outputs(out: &Path, formats: Formats) -> Result<(), Failure> {
    formats.paths(out).iter().try_for_each(|p| super::guard::check_output(p))
}

/// Renders and writes one document in each format (and what `--emit` asks
/// for) atomically; the renderer's warnings. A failed render prints its
/// problems.
pub fn render_and_write(
    engine: &Engine,
    built: &pipeline::Built,
    out: &Path,
    args: &RenderArgs,
    formats: Formats,
) -> Result<Vec<Diagnostic>, Failure> {
    let opts = pipeline::RenderOptions { pdf_a: args.pdf_a, formats };
    let (files, warnings) =
        pipeline::guarded(|| pipeline::files(engine, built, out, &extras(&args.emit), opts)).map_err(reported)?;
    write_files(&files)?;
    Ok(warnings)
}

/// Prints a failed render's problems: the command fails (exit 1).
pub fn reported(e: crate::render::RenderError) -> Failure {
    e.diagnostics.iter().for_each(|d| eprintln!("{d}"));
    Failure::Reported
}

/// [`write_files`], its failure as a problem (a unit's, in `batch`).
pub fn write_files_diag(files: &Files) -> Result<(), Vec<Diagnostic>> {
    write_files(files).map_err(|e| vec![Diagnostic::error(Code::GhiTep, Loc::default(), e)])
}

/// Writes each file atomically, in order; stops at the first failure.
pub fn write_files(files: &Files) -> Result<(), String> {
    for (path, bytes) in files {
        write_atomic(path, bytes).map_err(|e| io_message(path, &e))?;
    }
    Ok(())
}

/// A file-system error said in Vietnamese, for `path`.
pub fn io_message(path: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if let Some(clash) = e.get_ref().and_then(|x| x.downcast_ref::<super::guard::InputClash>()) {
        return clash.to_string();
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let why = match e.kind() {
        K::NotFound => format!("thư mục «{}» không có", folder.display()),
        K::PermissionDenied | K::ReadOnlyFilesystem => format!("không có quyền ghi vào «{}»", folder.display()),
        K::AlreadyExists | K::NotADirectory => {
            format!("«{}» (hoặc một thư mục cha của nó) là tệp, không phải thư mục", folder.display())
        }
        K::IsADirectory => format!("«{}» là thư mục", path.display()),
        K::StorageFull => "ổ đĩa đã đầy".to_string(),
        _ => format!("lỗi hệ thống: {e}"),
    };
    format!("không ghi được «{}»: {why}", path.display())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed, then renamed. Nothing half-written is ever left at `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // Never over an input of the run (the workbook, a template).
    super::guard::io_check(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    // Unique per call: parallel units may write the same file (a shared
    // template emitted beside each PDF) at the same time.
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{seq}.tmp", std::process::id()));
    // Registered before it exists, so that an interruption removes it.
    super::interrupt::install(&dir);
    super::interrupt::track(&tmp)?;
    let is_pdf = path.extension().is_some_and(|e| e == "pdf");
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        super::interrupt::rename_into_place(&tmp, path, is_pdf)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        super::interrupt::done(&tmp, false);
    }
    result
}

/// `--format` when given, else the Word copy alone when `-o` names a
/// `.docx`, else the PDF.
pub fn formats(args: &RenderArgs, output: Option<&Path>) -> Formats {
    use crate::cli::Format;
    if args.format.is_empty() {
        let docx = output.and_then(|o| o.extension()).is_some_and(|e| e.eq_ignore_ascii_case("docx"));
        return Formats { pdf: !docx, docx };
    }
    Formats { pdf: args.format.contains(&Format::Pdf), docx: args.format.contains(&Format::Docx) }
}
