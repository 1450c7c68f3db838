//! The `vanban` command: parse arguments, run the command, print the error
//! and set the exit status (0 done, 1 the workbook or a render failed, 2 usage).

use std::process::ExitCode;

use vanban::cli::{Cli, Command};
use vanban::cmd::help::Parsed;
use vanban::{cmd, Failure};

fn dispatch(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Init(a) => cmd::init::run(&a),
        Command::Check(a) => cmd::check::run(&a),
        Command::Plan(a) => cmd::plan::run(&a),
        Command::Report(a) => cmd::report::run(&a),
        Command::Batch(a) => cmd::batch::run(&a),
        Command::Forms(a) => cmd::forms::run(&a),
        Command::Collect(a) => cmd::collect::run(&a),
        Command::Fonts(a) => cmd::fonts::run(&a),
        Command::Serve(a) => cmd::serve::run(&a),
        Command::DevRender(a) => cmd::dev::run(&a),
    }
}

// mimalloc: Typst and its PDF writer allocate and free many small objects,
// often on one thread and freed on another (shared caches); glibc's malloc
// spent ~10% of a batch there and made the workers wait on its arena locks.
// `no_thp`: no transparent huge pages, whose zeroing cost up to a third of a
// batch's time and tripled its peak memory (bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A panic the reader catches inside calamine is reported as a message about
/// the file: the default hook's "thread 'main' panicked at …" is left out for
/// it (panics elsewhere, and on other threads, are still printed).
fn quiet_caught_reader_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !vanban::workbook::read::in_guarded() {
            previous(info);
        }
    }));
}

fn main() -> ExitCode {
    quiet_caught_reader_panics();
    let cli = match cmd::help::parse() {
        Parsed::Run(cli) => *cli,
        Parsed::Shown(text) => {
            println!("{}", text.trim_end());
            return ExitCode::SUCCESS;
        }
        Parsed::Usage(m) => {
            eprintln!("lỗi: {m}");
            return ExitCode::from(2);
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
