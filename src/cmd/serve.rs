//! `vanban serve`: prints the address to open, optionally opens the
//! browser, and serves until Ctrl+C.

use std::io::Write;

use crate::cli::ServeArgs;
use crate::serve::{self, Options};
use crate::Failure;

pub fn run(args: &ServeArgs) -> Result<(), Failure> {
    if args.max_upload == 0 {
        return Err(Failure::Usage("--max-upload phải lớn hơn 0".into()));
    }
    let host = args.host.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    let opts = Options {
        workbook: args.workbook.clone(),
        host,
        port: args.port,
        token: args.host.is_some(),
        max_upload: args.max_upload,
        engine: args.typst.engine_options(),
        fix_encoding: args.fix_encoding,
        jobs: None,
    };
    let bound = serve::bind(&opts)?;
    let url = bound.url().to_string();
    println!("{url}");
    let _ = std::io::stdout().flush();
    eprintln!("Mở địa chỉ trên trong trình duyệt; bấm Ctrl+C để dừng.");
    if args.open {
        open_browser(&url);
    }
    bound.run()?;
    Ok(())
}

/// Starts the system's browser; nothing happens when there is none.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    let _ = cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
