//! The end-to-end tests in one binary: one link of the library (and Typst)
//! instead of one per file. Each file is a module; shared helpers (workbook
//! builder, runner of the real binary, PDF reader) live in `tests/common/`.
//! Tests that other files keep apart (`batch`, `forms`, `hostile`,
//! `robustness`, `serve`) use the same helpers through `mod common;`.

#[path = "../common/mod.rs"]
mod common;

mod determinism;
mod docx;
mod errors;
mod plan_layout;
mod real_workbooks;
mod report;
mod sample;
mod typed_values;
