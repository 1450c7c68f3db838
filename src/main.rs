//! vanban: one Excel workbook → the KẾ HOẠCH, the quarterly BÁO CÁO and one
//! plan per sub-department, laid out as Nghị định 30/2020/NĐ-CP prescribes.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod cmd;
mod diag;
mod model;
mod render;
mod vi;
// mod workbook;

use cli::{Cli, Command};

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

fn dispatch(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Init(a) => cmd::init::run(&a),
        Command::Check(a) => cmd::check::run(&a),
        Command::Plan(a) => cmd::plan::run(&a),
        Command::Report(a) => cmd::report::run(&a),
        Command::Batch(a) => cmd::batch::run(&a),
        Command::Fonts(a) => cmd::fonts::run(&a),
        Command::DevRender(a) => cmd::dev::run(&a),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and succeed; anything else is usage.
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Reported) => ExitCode::from(1),
        Err(Failure::Message(m)) => {
            eprintln!("lỗi: {m}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(m)) => {
            eprintln!("lỗi: {m}");
            ExitCode::from(2)
        }
    }
}
