//! The end-to-end tests in one binary: one link of the library (and Typst)
//! instead of one per file. Each file is a module; shared helpers (workbook
//! builder, runner of the real binary, PDF reader) live in `tests/common/`,
//! the HTTP client of the web page's tests in `tests/serve_util/`. The
//! browser test (`tests/browser.rs`, real Chromium) is the one binary
//! apart: `cargo test --release --test it` runs everything else.

#[path = "../common/mod.rs"]
mod common;
#[path = "../serve_util/mod.rs"]
mod serve_util;

mod batch;
mod determinism;
mod docx;
mod errors;
mod forms;
mod hostile;
mod plan_layout;
mod real_workbooks;
mod report;
mod robustness;
mod sample;
mod serve;
mod typed_values;
