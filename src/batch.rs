//! One document per unit of sheet DonVi, rendered in parallel with shared
//! fonts and templates; one unit's failure does not stop the others.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::cli::Emit;
use crate::cmd::common::Formats;
use crate::diag::Diagnostics;
use crate::document::report::{self, Period};
use crate::document::units::UnitIndex;
use crate::document::{plan, Meta};
use crate::model::Document;
use crate::render::{Fonts, RenderJob, Templates};
use crate::vi::fold::{match_key, slug};
use crate::workbook::model::{Info, InfoKey, InfoValue, Text, UnitRow, Workbook};

/// Plan or report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plan,
    Report(Period),
}

/// A unit's document, built and named, ready to render.
pub struct Prepared {
    pub unit: usize,
    pub doc: Document,
    pub meta: Meta,
    pub out: PathBuf,
    pub extra: Option<serde_json::Value>,
    pub warnings: Diagnostics,
}

/// What happened to one unit.
pub struct Outcome {
    pub code: String,
    pub result: Result<PathBuf, Vec<String>>,
}

/// The units to render: all, or those named by `--unit` (by code).
pub fn select_units<'w>(wb: &'w Workbook, codes: &[String]) -> Result<Vec<(usize, &'w UnitRow)>, String> {
    if codes.is_empty() {
        return Ok(wb.units.iter().enumerate().collect());
    }
    let mut out = Vec::new();
    for code in codes {
        let key = match_key(code);
        match wb.units.iter().enumerate().find(|(_, u)| match_key(&u.code.text) == key) {
            Some(found) => out.push(found),
            None => {
                let known: Vec<&str> = wb.units.iter().map(|u| u.code.text.as_str()).collect();
                return Err(format!("không có đơn vị mã «{code}» ở trang DonVi (các mã có: {})", known.join(", ")));
            }
        }
    }
    Ok(out)
}

/// A unit's view of the workbook for its report: it is the issuing body,
/// the Sở its parent; its own tasks (lead or support) and metrics.
pub fn unit_workbook(wb: &Workbook, unit: &UnitRow, index: &UnitIndex) -> Workbook {
    let me = index.find(&unit.code.text);
    let mine =
        |cell: &Option<Text>| me.is_some_and(|m| cell.as_ref().is_some_and(|c| index.resolve(&c.text).contains(&m)));
    let mut out = wb.clone();
    out.tasks.retain(|t| mine(&t.lead) || mine(&t.support));
    out.metrics.retain(|m| mine(&m.units));
    let set = |info: &mut Info, key: InfoKey, value: Option<String>| {
        info.values.retain(|v| v.key != key);
        if let Some(text) = value {
            let loc = crate::diag::Loc::sheet("DonVi");
            info.values.push(InfoValue { key, text: Text { text, loc }, date: None });
        }
    };
    let parent = wb.info.text(InfoKey::CoQuanBanHanh).map(|t| t.text.clone());
    set(&mut out.info, InfoKey::CoQuanChuQuan, parent);
    set(&mut out.info, InfoKey::CoQuanBanHanh, Some(unit.name.text.clone()));
    let own = |t: &Option<Text>| t.as_ref().map(|t| t.text.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(r) = &mut out.report {
        r.values.retain(|v| {
            !matches!(v.key, InfoKey::CoQuanBanHanh | InfoKey::CoQuanChuQuan | InfoKey::So | InfoKey::NgayBanHanh)
        });
        if own(&unit.symbol).is_some() {
            r.values.retain(|v| v.key != InfoKey::KyHieu);
        }
        if own(&unit.signer).is_some() {
            r.values.retain(|v| !matches!(v.key, InfoKey::NguoiKy | InfoKey::ChucVuNguoiKy | InfoKey::QuyenHanKy));
        }
    }
    if let Some(sym) = own(&unit.symbol) {
        set(&mut out.info, InfoKey::KyHieu, Some(sym));
    }
    if let Some(signer) = own(&unit.signer) {
        set(&mut out.info, InfoKey::NguoiKy, Some(signer));
        set(&mut out.info, InfoKey::ChucVuNguoiKy, own(&unit.title));
        set(&mut out.info, InfoKey::QuyenHanKy, None);
    }
    out
}

/// The output file of a unit: `--name` rendered over the document
/// variables, folded to `[a-z0-9-]`, always inside `out_dir`.
pub fn file_name(
    env: &minijinja::Environment<'static>,
    template: &str,
    vars: &serde_json::Value,
    out_dir: &Path,
) -> Result<PathBuf, String> {
    let ctx = minijinja::Value::from_serialize(vars);
    let name =
        crate::text::render(env, template, &ctx).map_err(|e| format!("mẫu tên tệp «{template}»: {}", e.message))?;
    let folded = slug(&name);
    if folded.is_empty() {
        return Err(format!("mẫu tên tệp «{template}» cho ra tên rỗng"));
    }
    Ok(out_dir.join(format!("{folded}.pdf")))
}

/// Builds and names every unit's document (in parallel, on rayon's global
/// pool), in the order of `units`; names must be unique.
pub fn prepare(
    wb: &Workbook,
    units: &[(usize, &UnitRow)],
    kind: Kind,
    name_template: &str,
    out_dir: &Path,
) -> (Vec<Prepared>, Vec<Outcome>) {
    let env = crate::text::environment();
    let index = UnitIndex::new(&wb.units);
    let one = |&(i, u): &(usize, &UnitRow)| -> Result<Prepared, Outcome> {
        let built = match kind {
            Kind::Plan => {
                let (b, d) = plan::build(wb, &env, Some(plan::ForUnit { unit: u, index: &index }));
                (b.map(|(doc, meta)| (doc, meta, None)), d)
            }
            Kind::Report(period) => {
                let uwb = unit_workbook(wb, u, &index);
                let (b, d) = report::build(&uwb, &env, &period);
                let mut d = d;
                // Report variables lack `don_vi`; cells naming it were already
                // evaluated with the unit in `vars` below.
                d.items.retain(|x| !x.message.contains("don_vi"));
                (b.map(|(doc, meta, data)| (doc, meta, serde_json::to_value(data).ok())), d)
            }
        };
        match built {
            (Some((doc, mut meta, extra)), warnings) => {
                if let serde_json::Value::Object(map) = &mut meta.vars {
                    map.insert("don_vi".into(), crate::document::vars::don_vi(u));
                }
                match file_name(&env, name_template, &meta.vars, out_dir) {
                    Ok(out) => Ok(Prepared { unit: i, doc, meta, out, extra, warnings }),
                    Err(e) => Err(Outcome { code: u.code.text.clone(), result: Err(vec![e]) }),
                }
            }
            (None, diags) => {
                Err(Outcome { code: u.code.text.clone(), result: Err(diags.errors().map(|d| d.to_string()).collect()) })
            }
        }
    };
    let built: Vec<Result<Prepared, Outcome>> = units.par_iter().map(one).collect();
    let mut ready = Vec::new();
    let mut failed = Vec::new();
    for b in built {
        match b {
            Ok(p) => ready.push(p),
            Err(o) => failed.push(o),
        }
    }
    (ready, failed)
}

/// Two units whose file names collide (checked before anything is written).
pub fn collisions(wb: &Workbook, ready: &[Prepared]) -> Vec<String> {
    let mut seen: HashMap<&Path, usize> = HashMap::new();
    let mut out = Vec::new();
    for p in ready {
        if let Some(first) = seen.insert(&p.out, p.unit) {
            out.push(format!(
                "đơn vị «{}» và «{}» cùng ra tên tệp {}; đổi mã đơn vị hoặc --name",
                wb.units[first].code.text,
                wb.units[p.unit].code.text,
                p.out.display()
            ));
        }
    }
    out
}

/// What a batch renders with: shared by every unit.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    pub wb: &'a Workbook,
    pub fonts: &'a Fonts,
    pub templates: &'a Templates,
    pub kind: Kind,
    pub emit: &'a [Emit],
    pub pdf_a: bool,
    /// Documents rendered at once (worker threads), at least 1.
    pub jobs: usize,
}

/// Renders the prepared documents on `run.jobs` worker threads, in the
/// order given; `progress` is called after each is written. The result is
/// in the order of `ready`. What Typst's caches still hold at the end is
/// left to the caller (`typst::comemo::evict(0)`); the command exits
/// instead, which is faster than freeing it.
///
/// Workers are plain threads taking the next document from a shared queue,
/// not rayon tasks: Typst's layout and krilla's PDF writer use rayon inside
/// (the global pool), and a rayon worker that waits for such inner work
/// picks up whatever else is queued, so a whole other document would run
/// nested inside this one's export, holding both in memory. The calling
/// thread writes the files (atomically, flushed to disk) as the workers
/// hand them over, so that no worker waits for the disk.
pub fn render_all(run: &Run, ready: Vec<Prepared>, progress: &(dyn Fn(&Outcome) + Sync)) -> Vec<Outcome> {
    render_all_formats(run, Formats::PDF, ready, progress)
}

/// [`render_all`], writing the PDF, the Word copy (`.docx` beside it), or both.
pub fn render_all_formats(
    run: &Run,
    formats: Formats,
    ready: Vec<Prepared>,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Outcome> {
    let Run { wb, fonts, templates, kind, emit, pdf_a, jobs } = *run;
    let template = match (kind, templates.has_user()) {
        (_, true) => "main.typ",
        (Kind::Plan, false) => "ke-hoach.typ",
        (Kind::Report(_), false) => "bao-cao.typ",
    };
    let jobs = jobs.clamp(1, ready.len().max(1));
    // Typst's caches are global. Evicting walks all of them (a cost that
    // grows with what they hold), so it is done once per two rounds of
    // workers, dropping what those rounds did not use: a document's own
    // layouts go, the template's results and the shared text's shaping
    // (used by every document) stay. Measured on 200 unit plans: fastest of
    // every 1–32 documents × age 0–8, and peak memory stays ~65 MB where
    // never evicting grows it past 400 MB.
    let every = 2 * jobs;
    let done = AtomicUsize::new(0);
    let mut slots: Vec<Option<Outcome>> = ready.iter().map(|_| None).collect();
    let queue = Mutex::new(ready.into_iter().enumerate());
    // Rendered documents on their way to the writer; a few at most, so
    // that memory stays bounded when the disk is slow.
    type Rendered = (usize, String, PathBuf, Result<crate::cmd::common::Files, Vec<String>>);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Rendered>(2 * jobs);
    let worker = |tx: std::sync::mpsc::SyncSender<Rendered>| loop {
        let Some((i, p)) = lock(&queue).next() else { break };
        let code = wb.units[p.unit].code.text.clone();
        let files = if !formats.pdf {
            Ok(Vec::new())
        } else {
            serde_json::to_vec(&p.doc).map_err(|e| vec![e.to_string()]).and_then(|data| {
                let job = RenderJob {
                    template,
                    data,
                    ident: p.out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
                    date: p.meta.date,
                    pdf_a,
                };
                crate::cmd::common::render_files(fonts, templates, &job, &p.out, emit, p.extra.as_ref())
                    .map(|(files, _warnings)| files)
                    .map_err(|e| vec![e])
            })
        };
        let files = files.and_then(|mut f| {
            if formats.docx {
                let bytes = crate::docx::render(&p.doc).map_err(|e| vec![e.to_string()])?;
                f.push((p.out.with_extension("docx"), bytes));
            }
            Ok(f)
        });
        let out = if formats.pdf { p.out } else { p.out.with_extension("docx") };
        if (done.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(every) {
            typst::comemo::evict(1);
        }
        // The writer only stops once every worker has; a failed send
        // cannot happen, and would only mean there is no one to tell.
        if tx.send((i, code, out, files)).is_err() {
            break;
        }
    };
    std::thread::scope(|s| {
        for _ in 0..jobs {
            let tx = tx.clone();
            s.spawn(move || worker(tx));
        }
        drop(tx);
        for (i, code, out, files) in rx {
            let result = files.and_then(|f| crate::cmd::common::write_files(&f).map_err(|e| vec![e])).map(|_| out);
            let o = Outcome { code, result };
            progress(&o);
            slots[i] = Some(o);
        }
    });
    slots.into_iter().flatten().collect()
}

/// A lock that a panicked holder did not poison for the others: the queue
/// stays consistent whatever a worker did.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
