//! What the benches share: the large workbooks (written once per process to a
//! temporary folder from `bench/big_workbook.rs`), fonts and templates.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use criterion::Criterion;
use vanban::render::{FontOptions, Fonts, Templates};
use vanban::workbook::model::Workbook;

#[path = "../../bench/big_workbook.rs"]
mod big_workbook;

/// The sample workbook of the repository.
pub fn sample() -> PathBuf {
    PathBuf::from(big_workbook::SAMPLE)
}

/// A workbook grown to `tasks` tasks and `units` units (written on first use).
pub fn big(tasks: usize, units: usize) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::Builder::new().prefix("vanban-bench-").tempdir().expect("tempdir"));
    let path = dir.path().join(format!("plan-{tasks}-{units}.xlsx"));
    if !path.exists() {
        big_workbook::write(Path::new(big_workbook::SAMPLE), &path, tasks, units).expect("write workbook");
    }
    path
}

/// Reads a workbook that must be free of errors.
pub fn read(path: &Path) -> Workbook {
    let (wb, diags) = vanban::workbook::read_workbook(path);
    assert!(!diags.has_errors(), "{}: {:?}", path.display(), diags.items);
    wb.expect("workbook")
}

/// The fonts a real run uses (system fonts included) and the built-in templates.
pub fn engine() -> (Fonts, Templates) {
    let fonts = Fonts::discover(&FontOptions::default());
    let templates = Templates::load(None, None).expect("templates");
    (fonts, templates)
}

/// Few samples: the benches are figures to compare, and should all run in
/// a minute or two.
pub fn quick() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
        .configure_from_args()
}
