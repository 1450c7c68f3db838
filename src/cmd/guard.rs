//! The inputs of a run are never written over: every file a command reads
//! (the workbook, a `--template`) is registered here, and every output
//! (the PDF, `--emit` files, a batch's files, `init`'s workbook) is checked
//! against them before it is written, in `cmd::common::write_atomic`. The same
//! file is found through links and letter case: existing files are compared
//! by (device, inode), a file not yet written by its resolved folder and
//! case-folded name.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An input as it is compared: its (device, inode) when it exists, and its
/// resolved folder with the case-folded file name.
#[derive(Debug, Clone)]
struct Input {
    shown: PathBuf,
    id: Option<(u64, u64)>,
    place: Option<(PathBuf, String)>,
}

static INPUTS: Mutex<Vec<Input>> = Mutex::new(Vec::new());

fn inputs() -> std::sync::MutexGuard<'static, Vec<Input>> {
    INPUTS.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// The resolved folder and the case-folded name of a path (the file
/// itself resolved first when it exists, so a link names its target).
fn place(path: &Path) -> Option<(PathBuf, String)> {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let parent = std::fs::canonicalize(&parent).unwrap_or(parent);
    Some((parent, name))
}

/// Registers a file the run reads, so that no output may be it.
pub fn protect(path: &Path) {
    let input = Input { shown: path.to_path_buf(), id: file_id(path), place: place(path) };
    inputs().push(input);
}

/// The input an output path would overwrite, if any.
pub fn clash(out: &Path) -> Option<PathBuf> {
    let list = inputs();
    if list.is_empty() {
        return None;
    }
    let id = file_id(out);
    let at = place(out);
    list.iter().find(|i| (id.is_some() && i.id == id) || (at.is_some() && i.place == at)).map(|i| i.shown.clone())
}

/// The message for an output that is an input.
pub fn message(out: &Path, input: &Path) -> String {
    format!(
        "tệp ra «{}» chính là tệp đầu vào «{}»; vanban không bao giờ ghi đè lên tệp đầu vào — chọn tên khác (-o …)",
        out.display(),
        input.display()
    )
}

/// Refuses an output path that is an input (for a command to check before
/// it starts work; `write_atomic` checks every file again).
pub fn check_output(out: &Path) -> Result<(), crate::Failure> {
    match clash(out) {
        Some(input) => Err(crate::Failure::Message(message(out, &input))),
        None => Ok(()),
    }
}

/// The error `write_atomic` returns for an output that is an input.
#[derive(Debug)]
pub struct InputClash(pub String);

impl std::fmt::Display for InputClash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputClash {}

/// An I/O error when `out` is an input (see [`InputClash`]).
pub fn io_check(out: &Path) -> std::io::Result<()> {
    match clash(out) {
        Some(input) => Err(std::io::Error::other(InputClash(message(out, &input)))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_through_link_and_case() {
        let dir = std::env::temp_dir().join(format!("vanban-guard-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let wb = dir.join("w.xlsx");
        std::fs::write(&wb, b"x").unwrap();
        protect(&wb);
        assert!(clash(&wb).is_some());
        assert!(clash(&dir.join("W.XLSX")).is_some());
        assert!(clash(&dir.join(".").join("w.xlsx")).is_some());
        #[cfg(unix)]
        {
            let link = dir.join("link.pdf");
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&wb, &link).unwrap();
            assert!(clash(&link).is_some());
        }
        assert!(clash(&dir.join("w.pdf")).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
