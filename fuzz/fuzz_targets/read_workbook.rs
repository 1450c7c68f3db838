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
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
