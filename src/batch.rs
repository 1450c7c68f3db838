//! One document per unit of sheet DonVi, rendered in parallel with shared
//! fonts and templates; one unit's failure does not stop the others.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::document::units::UnitIndex;
use crate::forms::Progress;
use crate::pipeline::{self, Built, Engine, Extra, Files, Formats, RenderOptions};
use crate::vi::fold::match_key;
use crate::workbook::model::{Info, InfoKey, InfoValue, Text, UnitRow, Workbook};

/// Plan or report.
pub use crate::pipeline::What as Kind;

/// A unit's document, built and named, ready to render.
pub struct Prepared {
    pub unit: usize,
    /// The unit's code (sheet DonVi, column Mã).
    pub code: String,
    pub built: Built,
    pub out: PathBuf,
    pub warnings: Diagnostics,
}

/// What happened to one unit: its main file, or the problems that stopped it.
pub struct Outcome {
    pub code: String,
    pub result: Result<PathBuf, Vec<Diagnostic>>,
}

/// One unit rendered, its files in memory, handed to the caller (who
/// writes them, or packs them into a ZIP).
pub struct Rendered {
    pub code: String,
    pub out: PathBuf,
    /// The files, or the problems saying why the unit failed.
    pub files: Result<Files, Vec<Diagnostic>>,
    /// The renderer's warnings for this unit.
    pub warnings: Vec<Diagnostic>,
}

/// A unit's problem as `batch` says it and the page's ZIP lists it:
/// `[MÃ] cảnh báo: …`.
pub fn unit_line(code: &str, d: &Diagnostic) -> String {
    format!("[{code}] {d}")
}

/// The default file name of a unit's document (`--name`).
pub const DEFAULT_NAME: &str = "{{ don_vi.ma }}-{{ loai }}-{{ nam }}";

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
    let mine = |cell: &Option<Text>| me.is_some_and(|m| names(index, cell).contains(&m));
    let mut out = wb.clone();
    let keep = unit_task_mask(wb, unit, index);
    let mut kept = keep.iter();
    out.tasks.retain(|_| kept.next().copied().unwrap_or(false));
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
    // The unit's plan leaves Số and Ngày ban hành blank (filled in by hand):
    // its report must not cite the Sở's number and date as the unit's.
    if out.info.text(InfoKey::Nam).is_none() {
        let year = crate::document::year_and_date(&wb.info).map(|(y, _)| y.to_string());
        set(&mut out.info, InfoKey::Nam, year);
    }
    set(&mut out.info, InfoKey::So, None);
    set(&mut out.info, InfoKey::NgayBanHanh, None);
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

/// The units (indices in sheet DonVi) a cell names.
fn names(index: &UnitIndex, cell: &Option<Text>) -> Vec<usize> {
    cell.as_ref().map(|c| index.resolve(&c.text)).unwrap_or_default()
}

/// Which tasks of the workbook are the unit's own (it leads or supports
/// them): the tasks of its plan and its report, in sheet order.
pub fn unit_task_mask(wb: &Workbook, unit: &UnitRow, index: &UnitIndex) -> Vec<bool> {
    let me = index.find(&unit.code.text);
    wb.tasks
        .iter()
        .map(|t| me.is_some_and(|m| names(index, &t.lead).contains(&m) || names(index, &t.support).contains(&m)))
        .collect()
}

/// The returned progress as a unit's report uses it: its own tasks only
/// (aligned with [`unit_workbook`]'s), only its own Tồn tại, hạn chế and
/// Kiến nghị, and as the units that reported, those that share its tasks
/// (itself and every unit leading or supporting one of them): their forms
/// are where its figures come from.
pub fn unit_progress(wb: &Workbook, unit: &UnitRow, index: &UnitIndex, progress: &Progress) -> Progress {
    let keep = unit_task_mask(wb, unit, index);
    let me = index.find(&unit.code.text);
    let mut involved: Vec<usize> = me.into_iter().collect();
    for (t, _) in wb.tasks.iter().zip(&keep).filter(|(_, k)| **k) {
        involved.extend(names(index, &t.lead));
        involved.extend(names(index, &t.support));
    }
    let tasks = progress.tasks.iter().zip(&keep).filter(|(_, k)| **k).map(|(t, _)| t.clone()).collect();
    let units = progress
        .units
        .iter()
        .enumerate()
        .filter(|(i, _)| involved.contains(i))
        .map(|(i, u)| {
            let mut u = u.clone();
            if Some(i) != me {
                u.ton_tai.clear();
                u.kien_nghi.clear();
            }
            u
        })
        .collect();
    Progress { period: progress.period, tasks, units, failed: progress.failed.clone() }
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
    let folded = crate::vi::fold::file_stem(&name);
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
    prepare_with(wb, units, kind, None, name_template, out_dir)
}

/// [`prepare`], each unit's report computed from the returned progress when
/// given (`batch --kind report --progress`, as `report --progress` does for
/// the whole workbook); a plan ignores it.
pub fn prepare_with(
    wb: &Workbook,
    units: &[(usize, &UnitRow)],
    kind: Kind,
    progress: Option<&Progress>,
    name_template: &str,
    out_dir: &Path,
) -> (Vec<Prepared>, Vec<Outcome>) {
    let env = crate::text::environment();
    let build = |u: &UnitRow| match (kind, progress) {
        (Kind::Report(period), Some(p)) => pipeline::build_unit_with_progress(wb, u, period, p),
        _ => pipeline::build_unit(wb, u, kind),
    };
    let one = |&(i, u): &(usize, &UnitRow)| -> Result<Prepared, Outcome> {
        match build(u) {
            (Some(built), warnings) => match file_name(&env, name_template, &built.meta.vars, out_dir) {
                Ok(out) => Ok(Prepared { unit: i, code: u.code.text.clone(), built, out, warnings }),
                Err(e) => Err(Outcome {
                    code: u.code.text.clone(),
                    result: Err(vec![Diagnostic::error(Code::TenTepSai, Loc::default(), e)]),
                }),
            },
            (None, diags) => {
                let mut errors: Vec<Diagnostic> = diags.errors().cloned().collect();
                if errors.is_empty() {
                    // Never a failure without a word on why.
                    let why = format!("không lập được văn bản cho đơn vị «{}»", u.code.text);
                    errors.push(Diagnostic::error(Code::NoiBo, u.code.loc.clone(), why));
                }
                Err(Outcome { code: u.code.text.clone(), result: Err(errors) })
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
    pub engine: &'a Engine,
    pub emit: &'a [Extra],
    pub pdf_a: bool,
    /// PDF, the Word copy beside it, or both.
    pub formats: Formats,
    /// Documents rendered at once (worker threads), at least 1.
    pub jobs: usize,
}

/// Renders the prepared documents on `run.jobs` worker threads; `sink` is
/// called on the calling thread with each unit's files as it is done (the
/// CLI writes them there, the web page packs them) and says what became of
/// it. The result is in the order of `ready`. What Typst's caches still
/// hold at the end is left to the caller (`typst::comemo::evict(0)`); the
/// command exits instead, which is faster than freeing it.
///
/// Workers are plain threads taking the next document from a shared queue,
/// not rayon tasks: Typst's layout and krilla's PDF writer use rayon inside
/// (the global pool), and a rayon worker that waits for such inner work
/// picks up whatever else is queued, so a whole other document would run
/// nested inside this one's export, holding both in memory. The calling
/// thread takes the files as the workers hand them over, so that no worker
/// waits for the disk. A panic while rendering one unit is that unit's error.
pub fn render_all(run: &Run, ready: Vec<Prepared>, sink: &mut dyn FnMut(Rendered) -> Outcome) -> Vec<Outcome> {
    let Run { engine, emit, pdf_a, formats, jobs } = *run;
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
    // Rendered documents on their way to the caller; a few at most, so
    // that memory stays bounded when the disk is slow.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Rendered)>(2 * jobs);
    let opts = RenderOptions { pdf_a, formats };
    let worker = |tx: std::sync::mpsc::SyncSender<(usize, Rendered)>| loop {
        let Some((i, p)) = lock(&queue).next() else { break };
        let code = p.code.clone();
        let rendered = pipeline::guarded(|| pipeline::files(engine, &p.built, &p.out, emit, opts));
        let (files, warnings) = match rendered.map_err(|e| e.diagnostics) {
            Ok((f, w)) => (Ok(f), w),
            Err(e) => (Err(e), Vec::new()),
        };
        if (done.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(every) {
            typst::comemo::evict(1);
        }
        // The receiver only stops once every worker has; a failed send
        // cannot happen, and would only mean there is no one to tell.
        if tx.send((i, Rendered { code, out: opts.formats.main_path(&p.out), files, warnings })).is_err() {
            break;
        }
    };
    std::thread::scope(|s| {
        for _ in 0..jobs {
            let tx = tx.clone();
            s.spawn(move || worker(tx));
        }
        drop(tx);
        for (i, r) in rx {
            slots[i] = Some(sink(r));
        }
    });
    slots.into_iter().flatten().collect()
}

/// A lock that a panicked holder did not poison for the others: the queue
/// stays consistent whatever a worker did.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
