//! `vanban batch`: one plan or report per unit, in parallel, with a progress
//! bar on a terminal and a summary at the end.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use super::common;
use crate::batch::{self, Kind, Outcome};
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

    let (ready, mut failed) = batch::prepare(&wb, &units, kind, &args.name, &args.out_dir);
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
                eprintln!("[{}] {w}", wb.units[p.unit].code.text);
            }
        }
    }
    let (fonts, templates) = common::engine(r)?;
    let total = ready.len() as u64;
    let bar = (!r.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} {msg}") {
            b.set_style(style);
        }
        b
    });
    let done = Mutex::new(0usize);
    let quiet = r.quiet;
    let progress = |o: &Outcome| {
        if let Some(b) = &bar {
            b.set_message(o.code.clone());
            b.inc(1);
        } else if !quiet {
            let mut n = done.lock().unwrap_or_else(|e| e.into_inner());
            *n += 1;
            match &o.result {
                Ok(p) => eprintln!("[{}/{total}] {} → {}", *n, o.code, p.display()),
                Err(_) => eprintln!("[{}/{total}] {} → lỗi", *n, o.code),
            }
        }
    };
    let run = batch::Run { wb: &wb, fonts: &fonts, templates: &templates, kind, emit: &r.emit, pdf_a: r.pdf_a, jobs };
    let outcomes = batch::render_all_formats(&run, common::formats(r, None), ready, &progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let written = outcomes.iter().filter(|o| o.result.is_ok()).count();
    failed.extend(outcomes.into_iter().filter(|o| o.result.is_err()));
    // The same problem in several units (a broken --template, a shared
    // task) is said once, with the units it stopped.
    let mut by_message: Vec<(&str, Vec<&str>)> = Vec::new();
    for f in &failed {
        if let Err(msgs) = &f.result {
            for m in msgs {
                match by_message.iter_mut().find(|(x, _)| x == m) {
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
    if failed.is_empty() {
        Ok(())
    } else {
        let codes: Vec<&str> = failed.iter().map(|f| f.code.as_str()).collect();
        eprintln!("Đơn vị lỗi: {}", codes.join(", "));
        Err(Failure::Reported)
    }
}
