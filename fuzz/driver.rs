//! A libFuzzer-free fuzzing loop over the same work as the libFuzzer target
//! (`fuzz_targets/read_workbook.rs`), for machines without a nightly build
//! of the whole dependency tree:
//!
//!     cargo run --release --locked --example fuzz_workbook -- SECONDS [SEED]
//!
//! Seeds are the real workbooks (`data/`, `tests/fixtures/reference/`);
//! each input is a structured mutation (`mutate.rs`: size fields, repeats,
//! duplicated rows, .xls container fields, template bombs) of a seed or of
//! an earlier mutant that was read. A panic is saved to `fuzz/crashes/` and
//! counted; a watchdog stops the run (and saves the input) when the
//! process's resident memory passes 1 GB or one input takes over 20 s.

#[path = "mutate.rs"]
mod mutate;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const RSS_LIMIT: u64 = 1024 * 1024 * 1024;
const HANG_LIMIT: Duration = Duration::from_secs(20);

/// How far an input got: refused, read with errors, or built.
fn exercise(bytes: &[u8], ext: &str) -> usize {
    let name = format!("fuzz.{ext}");
    let (wb, diags) = vanban::workbook::read_workbook_bytes(bytes, &name, Some(ext));
    for d in &diags.items {
        assert_eq!(d.loc.file.as_deref(), Some(name.as_str()), "every problem names the file: {d:?}");
    }
    let Some(mut wb) = wb else {
        assert_eq!(diags.errors().count(), 1, "an unreadable file gives exactly one error: {diags:?}");
        return 0;
    };
    let _ = vanban::check::legacy_encoding(&mut wb, true);
    let _ = vanban::check::domain(&wb);
    if diags.has_errors() {
        return 1;
    }
    let _ = vanban::document::build_all(&wb, &vanban::text::environment(), &[1, 2, 3, 4]);
    2
}

/// A `/proc/self/status` field in bytes (`VmRSS`, `VmHWM`).
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn seeds(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for dir in ["data", "tests/fixtures/reference"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            paths.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
        }
    }
    paths.retain(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("xlsx" | "xls" | "ods")));
    paths.sort();
    paths.iter().filter_map(|p| Some((p.extension()?.to_str()?.to_string(), std::fs::read(p).ok()?))).collect()
}

fn save(dir: &Path, kind: &str, n: u64, ext: &str, bytes: &[u8]) -> PathBuf {
    let _ = std::fs::create_dir_all(dir);
    let path = dir.join(format!("{kind}-{n}.{ext}"));
    let _ = std::fs::write(&path, bytes);
    path
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(11);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let crashes = root.join("fuzz/crashes");
    let seeds = seeds(root);
    assert!(!seeds.is_empty(), "no seed workbooks found under {}", root.display());

    // The input being run, for the watchdog to save.
    let current: Arc<Mutex<(String, Arc<Vec<u8>>)>> = Arc::new(Mutex::new((String::new(), Arc::new(Vec::new()))));
    let started_ms = Arc::new(AtomicU64::new(0));
    let t0 = Instant::now();
    {
        let current = Arc::clone(&current);
        let started_ms = Arc::clone(&started_ms);
        let crashes = crashes.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(20));
            let rss = status_kb("VmRSS:");
            let busy = (t0.elapsed().as_millis() as u64).saturating_sub(started_ms.load(Ordering::Relaxed));
            let why = if rss > RSS_LIMIT {
                Some(format!("resident memory {} MB", rss >> 20))
            } else if busy > HANG_LIMIT.as_millis() as u64 {
                Some(format!("one input running for {busy} ms"))
            } else {
                None
            };
            if let Some(why) = why {
                let (ext, bytes) = current.lock().map(|c| c.clone()).unwrap_or_default();
                let path = save(&crashes, "blowup", busy, &ext, &bytes);
                eprintln!("BLOW-UP: {why}; input saved to {}", path.display());
                std::process::exit(2);
            }
        });
    }
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));

    let mut rng = mutate::Rng::new(seed);
    let mut pool: Vec<(String, Vec<u8>)> = Vec::new();
    let (mut execs, mut panics) = (0u64, 0u64);
    let mut reach = [0u64; 3];
    let mut last_report = Instant::now();
    let deadline = Duration::from_secs(seconds);
    while t0.elapsed() < deadline {
        let (ext, base) =
            if !pool.is_empty() && rng.chance(50) { rng.pick(&pool).clone() } else { rng.pick(&seeds).clone() };
        let input = Arc::new(mutate::mutate(&base, &mut rng));
        if let Ok(mut c) = current.lock() {
            *c = (ext.clone(), Arc::clone(&input));
        }
        started_ms.store(t0.elapsed().as_millis() as u64, Ordering::Relaxed);
        match catch_unwind(AssertUnwindSafe(|| exercise(&input, &ext))) {
            Ok(r) => {
                reach[r] += 1;
                if r > 0 && input.len() < 4 << 20 {
                    if pool.len() < 256 {
                        pool.push((ext.clone(), input.to_vec()));
                    } else {
                        let i = rng.below(pool.len());
                        pool[i] = (ext.clone(), input.to_vec());
                    }
                }
            }
            Err(_) => {
                panics += 1;
                let path = save(&crashes, "panic", execs, &ext, &input);
                eprintln!("input saved to {}", path.display());
            }
        }
        execs += 1;
        if last_report.elapsed() > Duration::from_secs(60) {
            last_report = Instant::now();
            println!(
                "{:>5} s: {execs} inputs (refused {}, read with errors {}, built {}), {panics} panics, peak {} MB",
                t0.elapsed().as_secs(),
                reach[0],
                reach[1],
                reach[2],
                status_kb("VmHWM:") >> 20
            );
        }
    }
    println!(
        "done in {} s, seed {seed}: {execs} inputs (refused {}, read with errors {}, built {}), {panics} panics, \
         no blow-up, peak resident memory {} MB",
        t0.elapsed().as_secs(),
        reach[0],
        reach[1],
        reach[2],
        status_kb("VmHWM:") >> 20
    );
    if panics > 0 {
        std::process::exit(1);
    }
}
