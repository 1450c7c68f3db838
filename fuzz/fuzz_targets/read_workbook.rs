//! `cargo +nightly fuzz run read_workbook`: any bytes, read as a workbook;
//! whatever is read without error is checked and built into the plan, a
//! unit's plan and the four quarterly reports (no rendering). Must never
//! panic, abort or hang. Seed the corpus with the real workbooks:
//!
//!     mkdir -p fuzz/corpus/read_workbook
//!     cp data/*.xlsx tests/fixtures/reference/*.{xlsx,xls,ods} fuzz/corpus/read_workbook/
//!
//! and run with the dictionary of size fields (shared-string counts, `si`,
//! dimensions, .ods repeats, the .xls stream name and DIMENSIONS record) and
//! a memory limit, so that a blow-up past 1 GB counts as a crash:
//!
//!     cargo +nightly fuzz run read_workbook -- -dict=fuzz/read_workbook.dict \
//!         -rss_limit_mb=1024 -malloc_limit_mb=1024 -max_total_time=600
//!
//! Half of the mutations are libFuzzer's own (with the dictionary), half
//! the structured ones of `fuzz/mutate.rs` (size fields, repeats,
//! duplicated rows, .xls container fields, template bombs), which the
//! libFuzzer-free driver (`fuzz/driver.rs`) uses too.
#![no_main]

#[path = "../mutate.rs"]
mod mutate;

use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let mut rng = mutate::Rng::new(u64::from(seed) | 1 << 32);
    if rng.chance(50) || size < 2 {
        return libfuzzer_sys::fuzzer_mutate(data, size, max_size);
    }
    // Keep the first byte (the extension hint), mutate the workbook.
    let mutant = mutate::mutate(&data[1..size], &mut rng);
    let n = (mutant.len() + 1).min(max_size);
    data[1..n].copy_from_slice(&mutant[..n - 1]);
    n
});

/// libfuzzer-sys aborts on every panic, even one vanban catches on purpose
/// (a calamine panic inside `workbook::read::guarded`, which the user sees
/// as "nội dung không đúng cấu trúc"). Let those through, as the CLI's own
/// hook does; any other panic still aborts and counts as a crash.
fn let_caught_panics_through() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !vanban::workbook::read::in_guarded() {
                abort(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    let_caught_panics_through();
    // The first byte picks the extension the name hints at (the format is
    // decided by content; the hint only words messages).
    let (ext, bytes) = match data.split_first() {
        Some((b, rest)) => (["xlsx", "xls", "ods", "csv"][usize::from(*b % 4)], rest),
        None => ("xlsx", data),
    };
    let (wb, diags) = vanban::workbook::read_workbook_bytes(bytes, "fuzz", Some(ext));
    let Some(mut wb) = wb else {
        assert_eq!(diags.errors().count(), 1);
        return;
    };
    let _ = vanban::check::legacy_encoding(&mut wb, true);
    let _ = vanban::check::domain(&wb);
    if diags.has_errors() {
        return;
    }
    let _ = vanban::document::build_all(&wb, &vanban::text::environment(), &[1, 2, 3, 4]);
});
