//! clap in Vietnamese: the headings, possible values, defaults and usage
//! errors that clap would print in English, for every sub-command at once
//! (so a flag added later is translated too).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgMatches, Command, CommandFactory, FromArgMatches};

use crate::cli::Cli;

const ARGUMENTS: &str = "Đối số";
const OPTIONS: &str = "Tùy chọn";

/// What `main` does with the command line: run it, or print and exit.
pub enum Parsed {
    Run(Box<Cli>),
    /// `--help` / `--version`: printed to stdout, exit 0.
    Shown(String),
    /// Wrong usage: the Vietnamese message to print, exit 2.
    Usage(String),
}

/// Parses the process arguments with the translated command.
pub fn parse() -> Parsed {
    parse_from(std::env::args_os())
}

/// Parses `args` (the first is the program name) with the translated command.
pub fn parse_from<I, T>(args: I) -> Parsed
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut cmd = command();
    let matches: ArgMatches = match cmd.try_get_matches_from_mut(args) {
        Ok(m) => m,
        Err(e) => return from_error(&e),
    };
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => Parsed::Run(Box::new(cli)),
        Err(e) => from_error(&e),
    }
}

/// The clap command with Vietnamese headings, values and defaults.
pub fn command() -> Command {
    translate(Cli::command())
}

fn translate(cmd: Command) -> Command {
    cmd.mut_args(translate_arg).mut_subcommands(translate)
}

fn translate_arg(arg: Arg) -> Arg {
    let mut arg = arg;
    if arg.get_help_heading().is_none() {
        let heading = if arg.is_positional() { ARGUMENTS } else { OPTIONS };
        arg = arg.help_heading(heading);
    }
    let mut extra = Vec::new();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| match v.get_help() {
            Some(h) => format!("{} ({h})", v.get_name()),
            None => v.get_name().to_string(),
        })
        .collect();
    // Flags (no value) have the possible values `true`/`false`: not shown.
    let takes_value = arg.get_num_args().is_none_or(|n| n.takes_values());
    if !values.is_empty() && takes_value && arg.get_action().takes_values() {
        extra.push(format!("giá trị: {}", values.join("; ")));
        arg = arg.hide_possible_values(true);
    }
    let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    if !defaults.is_empty() && arg.get_action().takes_values() {
        extra.push(format!("mặc định: {}", defaults.join(", ")));
        arg = arg.hide_default_value(true);
    }
    if extra.is_empty() {
        return arg;
    }
    let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let text = if help.is_empty() { extra.join("; ") } else { format!("{help} ({})", extra.join("; ")) };
    arg.help(text)
}

/// clap's own words (usage lines, `[OPTIONS]`) in Vietnamese.
fn localize(text: &str) -> String {
    text.replace("[OPTIONS]", "[TÙY_CHỌN]").replace("Usage:", "Cách dùng:")
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    e.get(kind).map(|v| match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
        ContextValue::Number(n) => n.to_string(),
        other => other.to_string(),
    })
}

fn from_error(e: &clap::Error) -> Parsed {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let valid = context(e, ContextKind::ValidValue);
    let suggested = context(e, ContextKind::SuggestedArg).or_else(|| context(e, ContextKind::SuggestedSubcommand));
    let hint = |msg: String| match &suggested {
        Some(s) => format!("{msg}; có phải ý bạn là «{s}»?"),
        None => msg,
    };
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return Parsed::Shown(localize(&e.render().to_string())),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            return Parsed::Usage(format!("thiếu lệnh.\n\n{}", localize(&command().render_help().to_string())));
        }
        ErrorKind::InvalidSubcommand => hint(format!(
            "không có lệnh «{value}»; xem `vanban --help`",
            value = context_or(e, ContextKind::InvalidSubcommand)
        )),
        ErrorKind::UnknownArgument => hint(format!("không có tùy chọn «{arg}»")),
        ErrorKind::InvalidValue => match valid {
            Some(v) => format!("giá trị «{value}» của {arg} không hợp lệ; các giá trị được: {v}"),
            None => format!("thiếu giá trị cho {arg}"),
        },
        ErrorKind::ValueValidation => format!("giá trị «{value}» của {arg} không hợp lệ"),
        ErrorKind::MissingRequiredArgument => format!("thiếu {arg}"),
        ErrorKind::ArgumentConflict => format!("không dùng được {arg} cùng với tùy chọn đã ghi"),
        ErrorKind::TooManyValues => format!("thừa giá trị «{value}»"),
        ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => format!("số giá trị của {arg} không đúng"),
        ErrorKind::NoEquals => format!("{arg} cần dạng {arg}=GIÁ_TRỊ"),
        ErrorKind::InvalidUtf8 => "đối số không phải chữ UTF-8".to_string(),
        _ => format!("lệnh gọi sai ({})", e.kind()),
    };
    Parsed::Usage(format!("{message}\n  → xem `vanban --help` hoặc `vanban LỆNH --help`"))
}

fn context_or(e: &clap::Error, kind: ContextKind) -> String {
    context(e, kind).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(args: &[&str]) -> String {
        match parse_from(std::iter::once("vanban").chain(args.iter().copied())) {
            Parsed::Shown(s) => s,
            Parsed::Usage(s) => panic!("usage error: {s}"),
            Parsed::Run(_) => panic!("ran"),
        }
    }

    fn usage(args: &[&str]) -> String {
        match parse_from(std::iter::once("vanban").chain(args.iter().copied())) {
            Parsed::Usage(s) => s,
            Parsed::Shown(s) => panic!("shown: {s}"),
            Parsed::Run(_) => panic!("ran"),
        }
    }

    /// Every sub-command's help, short and long, has no English clap word.
    #[test]
    fn help_is_vietnamese() {
        let english = ["Arguments:", "Options:", "Possible values", "[default", "[possible", "Usage:", "[OPTIONS]"];
        let mut names: Vec<String> =
            command().get_subcommands().filter(|c| !c.is_hide_set()).map(|c| c.get_name().to_string()).collect();
        names.push(String::new());
        for name in names {
            for flag in ["-h", "--help"] {
                let args: Vec<&str> = if name.is_empty() { vec![flag] } else { vec![name.as_str(), flag] };
                let text = help(&args);
                for word in english {
                    assert!(!text.contains(word), "`vanban {name} {flag}` prints «{word}»:\n{text}");
                }
            }
        }
        let batch = help(&["batch", "--help"]);
        assert!(batch.contains("Tùy chọn:") && batch.contains("Đối số:"), "{batch}");
        assert!(batch.contains("mặc định: plan") && batch.contains("giá trị: plan"), "{batch}");
    }

    #[test]
    fn usage_errors_are_vietnamese() {
        assert!(usage(&["plan", "--nope", "a.xlsx"]).contains("không có tùy chọn «--nope»"));
        assert!(usage(&["report", "a.xlsx"]).contains("thiếu --quarter"));
        assert!(usage(&["report", "a.xlsx", "--quarter", "5"]).contains("không hợp lệ"));
        assert!(usage(&["batch", "a.xlsx", "--kind", "x"]).contains("các giá trị được"));
        assert!(usage(&["plam"]).contains("không có lệnh «plam»"));
        assert!(usage(&[]).contains("thiếu lệnh"));
        for s in [usage(&["plan", "--nope", "a.xlsx"]), usage(&["report", "a.xlsx"])] {
            assert!(!s.contains("error:") && !s.contains("Usage"), "{s}");
        }
    }
}
