//! vanban: one Excel workbook → the KẾ HOẠCH, the quarterly BÁO CÁO and one
//! plan per sub-department, laid out as Nghị định 30/2020/NĐ-CP prescribes.
//!
//! The pipeline, one module each: `workbook` (Excel → model with cell
//! locations) → `document` (model → document data, numbering, template
//! expressions) → `render` (Typst World over embedded templates → PDF).
//! `pipeline` strings them together for every front-end (CLI, web page):
//! values in, values out; only `cmd` prints and writes files.

pub mod batch;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod document;
pub mod docx;
pub mod forms;
pub mod pipeline;
pub mod render;
pub mod sample;
pub mod serve;
pub mod text;
pub mod vi;
pub mod workbook;
pub mod xlsx_style;

/// Why a command failed, and so which exit status it gives.
#[derive(Debug)]
pub enum Failure {
    /// The workbook or a render failed (exit 1); the messages were printed.
    Reported,
    /// A failure with its message still to print (exit 1).
    Message(String),
    /// Wrong usage (exit 2).
    Usage(String),
}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::Message(s)
    }
}
