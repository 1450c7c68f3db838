//! Writes a large workbook for the benchmarks (see `bench/big_workbook.rs`):
//!
//! ```text
//! cargo run --release --example make_big_workbook -- OUT.xlsx --tasks 3000 --units 200
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "../bench/big_workbook.rs"]
mod big_workbook;

const USAGE: &str = "usage: make_big_workbook OUT.xlsx [--tasks N] [--units M] [--from SAMPLE.xlsx]";

fn run() -> Result<(), String> {
    let mut out = None;
    let mut tasks = 3000;
    let mut units = 200;
    let mut from = PathBuf::from(big_workbook::SAMPLE);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--tasks" => tasks = value("--tasks")?.parse().map_err(|e| format!("--tasks: {e}"))?,
            "--units" => units = value("--units")?.parse().map_err(|e| format!("--units: {e}"))?,
            "--from" => from = PathBuf::from(value("--from")?),
            "-h" | "--help" => return Err(USAGE.into()),
            _ if out.is_none() && !a.starts_with('-') => out = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument «{a}»\n{USAGE}")),
        }
    }
    let out: PathBuf = out.ok_or(USAGE)?;
    big_workbook::write(&from, &out, tasks, units)?;
    eprintln!("{}: {tasks} tasks, {units} units", out.display());
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make_big_workbook: {e}");
            ExitCode::FAILURE
        }
    }
}
