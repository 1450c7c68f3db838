//! `vanban batch`: one plan or report per unit, in parallel, with a progress
//! bar on a terminal and a summary at the end.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use super::common;
use crate::batch::{self, Kind, Outcome, Rendered};
use crate::cli::{BatchArgs, Kind as CliKind};
use crate::Failure;

pub fn run(args: &BatchArgs) -> Result<(), Failure> {
    let r = &args.render;
    let wb = common::load_or_fail(&args.workbook, r.fix_encoding, r.quiet)?;
    if wb.units.is_empty() {
        return Err(Failure::Message(format!(
            "{}: trang DonVi trống hoặc không có; `batch` cần danh sách đơn vị (Mã, Tên đơn vị)",
            args.workbook.display()
        )));
    }
    let kind = match args.kind {
        CliKind::Plan => Kind::Plan,
        CliKind::Report => {
            let q = args.quarter.ok_or_else(|| Failure::Usage("--kind report cần --quarter N (1–4)".into()))?;
            Kind::Report(super::report::period(&wb, q, args.year, args.as_of.as_deref())?)
        }
    };
    let progress = match kind {
        Kind::Report(period) => super::collect::progress_for_report(&wb, &args.progress, &period, r.quiet)?,
        Kind::Plan if !args.progress.is_empty() => {
            return Err(Failure::Usage("--progress chỉ dùng với --kind report (báo cáo quý)".into()))
        }
        Kind::Plan => None,
    };
    let units = batch::select_units(&wb, &args.units).map_err(Failure::Usage)?;
    if let Some(0) = args.jobs {
        return Err(Failure::Usage("--jobs phải từ 1 trở lên".into()));
    }
    // `jobs` documents at once, and as many threads for the parallel work
    // (building the units' documents, and inside Typst and its PDF writer):
    // rayon's global pool, sized before its first use.
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let _ = rayon::ThreadPoolBuilder::new().num_threads(jobs).build_global();
    // Check the name template before any work.
    crate::text::environment()
        .template_from_str(&args.name)
        .map_err(|e| Failure::Usage(format!("--name «{}»: {e}", args.name)))?;

    let (ready, mut failed) = batch::prepare_with(&wb, &units, kind, progress.as_ref(), &args.name, &args.out_dir);
    let clashes = batch::collisions(&wb, &ready);
    if !clashes.is_empty() {
        for c in &clashes {
            eprintln!("lỗi: {c}");
        }
        return Err(Failure::Reported);
    }
    if !r.quiet {
        for p in &ready {
            for w in p.warnings.warnings() {
                eprintln!("{}", batch::unit_line(&wb.units[p.unit].code.text, w));
            }
        }
    }
    // With an error anywhere in the workbook no file is written (README),
    // not only the failing units' files.
    let whole = workbook_errors(&wb, kind);
    if !failed.is_empty() || whole.has_errors() {
        let shown: Vec<&crate::diag::Diagnostic> =
            failed.iter().filter_map(|f| f.result.as_ref().err()).flatten().collect();
        for e in whole.errors().filter(|e| !shown.contains(e)) {
            eprintln!("{e}");
        }
    }
    let blocked = !failed.is_empty() || whole.has_errors();
    let engine = common::engine(r)?;
    common::glyph_warnings(&engine.fonts, &wb, r.quiet);
    let total = ready.len() as u64;
    let bar = (!r.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} {msg}") {
            b.set_style(style);
        }
        b
    });
    let mut done = 0usize;
    let quiet = r.quiet;
    // The calling thread writes each unit's files as the workers hand them
    // over, then tells the progress bar.
    let mut write = |u: Rendered| -> Outcome {
        let result = u.files.and_then(|f| common::write_files_diag(&f)).map(|_| u.out);
        let o = Outcome { code: u.code, result };
        if !quiet {
            for w in &u.warnings {
                let line = batch::unit_line(&o.code, w);
                match &bar {
                    Some(b) => b.println(line),
                    None => eprintln!("{line}"),
                }
            }
        }
        if let Some(b) = &bar {
            b.set_message(o.code.clone());
            b.inc(1);
        } else if !quiet {
            done += 1;
            match &o.result {
                Ok(p) => eprintln!("[{done}/{total}] {} → {}", o.code, p.display()),
                Err(_) => eprintln!("[{done}/{total}] {} → lỗi", o.code),
            }
        }
        o
    };
    let emit = common::extras(&r.emit);
    let run = batch::Run { engine: &engine, emit: &emit, pdf_a: r.pdf_a, formats: common::formats(r, None), jobs };
    let outcomes = if blocked { Vec::new() } else { batch::render_all(&run, ready, &mut write) };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let written = outcomes.iter().filter(|o| o.result.is_ok()).count();
    failed.extend(outcomes.into_iter().filter(|o| o.result.is_err()));
    // The same problem in several units (a broken --template, a shared
    // task) is said once, with the units it stopped.
    let mut by_message: Vec<(String, Vec<&str>)> = Vec::new();
    for f in &failed {
        if let Err(problems) = &f.result {
            for m in problems.iter().map(ToString::to_string) {
                match by_message.iter_mut().find(|(x, _)| *x == m) {
                    Some((_, codes)) => codes.push(&f.code),
                    None => by_message.push((m, vec![&f.code])),
                }
            }
        }
    }
    for (m, codes) in &by_message {
        eprintln!("[{}] {m}", codes.join(", "));
    }
    if !r.quiet || !failed.is_empty() {
        eprintln!("Đã ghi {written} tệp vào {}; {} đơn vị lỗi.", args.out_dir.display(), failed.len());
    }
    if blocked && failed.is_empty() {
        eprintln!("Tệp có lỗi (xem trên): không ghi tệp nào. Sửa lỗi rồi chạy lại (`vanban check` liệt kê mọi lỗi).");
        return Err(Failure::Reported);
    }
    if failed.is_empty() {
        Ok(())
    } else {
        let codes: Vec<&str> = failed.iter().map(|f| f.code.as_str()).collect();
        eprintln!("Đơn vị lỗi: {}", codes.join(", "));
        if blocked {
            eprintln!("Không ghi tệp nào khi còn lỗi. Sửa lỗi rồi chạy lại (`vanban check` liệt kê mọi lỗi).");
        }
        Err(Failure::Reported)
    }
}

/// The errors of the workbook's own document (the Sở's plan or report), which
/// no unit's document may cover (a task led by an outside agency). `don_vi`
/// exists only in a unit's document, so an expression on it is judged there
/// (by that unit's build), not in the Sở's.
fn workbook_errors(wb: &crate::workbook::model::Workbook, kind: Kind) -> crate::diag::Diagnostics {
    let mut out = crate::diag::Diagnostics::default();
    for d in crate::pipeline::build(wb, kind).1.items {
        if !(d.is_error() && d.message.contains("«don_vi")) {
            out.push(d);
        }
    }
    out
}
