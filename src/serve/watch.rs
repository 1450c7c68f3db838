//! The watched workbook: polled every 100 ms (modification time, size and,
//! on Unix, the inode — an editor that saves by writing a temp file and
//! renaming it over the original changes the inode), reloaded when it
//! changed and has stayed the same for one more short look.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::{load_doc, lock, App, WATCHED};
use crate::pipeline::Source;

const EVERY: Duration = Duration::from_millis(100);
const SETTLE: Duration = Duration::from_millis(40);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

fn stamp(path: &std::path::Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp { modified: m.modified().ok(), len: m.len(), inode })
}

/// Starts the watcher thread; it lives as long as the process.
pub(super) fn start(app: Arc<App>, path: PathBuf) {
    let spawned = std::thread::Builder::new().name("vanban-watch".into()).spawn(move || {
        let mut last = stamp(&path);
        let mut version = 1u64;
        loop {
            std::thread::sleep(EVERY);
            let now = stamp(&path);
            if now == last {
                continue;
            }
            // A save in progress: wait until the stamp holds still.
            std::thread::sleep(SETTLE);
            let again = stamp(&path);
            if again != now {
                continue;
            }
            last = now;
            version += 1;
            let doc = load_doc(&app, Source::Path(&path), path.display().to_string(), version);
            lock(&app.docs).map.insert(WATCHED.into(), Arc::new(doc));
            app.changes.send_replace(version);
        }
    });
    // Without a thread the page still works; it just does not follow the file.
    drop(spawned);
}
