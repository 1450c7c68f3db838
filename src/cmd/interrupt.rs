//! Ctrl+C (SIGINT) and SIGTERM during a run: the temporary files being
//! written are removed, finished files are kept (each was renamed into
//! place whole), and a message says how many; the exit status is 130 or 143.
//!
//! The signal handler only writes the signal number to a pipe; a thread
//! waiting on the pipe does the clean-up. It holds the lock of the list of
//! temporary files while it removes them and exits, so no new temporary
//! file can appear after it looked.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

/// Temporary files being written now.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Finished PDFs written by this run.
static FINISHED: AtomicUsize = AtomicUsize::new(0);
/// The write end of the pipe the handler writes to (-1 before `install`).
static PIPE: AtomicI32 = AtomicI32::new(-1);
/// The output folder, for the message.
static OUT_DIR: Mutex<Option<PathBuf>> = Mutex::new(None);

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Registers a temporary file about to be created.
pub fn track(tmp: &Path) -> std::io::Result<()> {
    live().push(tmp.to_path_buf());
    Ok(())
}

/// Renames the finished temporary file into place, under the lock the
/// clean-up holds: a file is on disk under its name exactly when it is
/// counted, whenever the signal comes.
pub fn rename_into_place(tmp: &Path, path: &Path, is_pdf: bool) -> std::io::Result<()> {
    let mut list = live();
    let r = std::fs::rename(tmp, path);
    list.retain(|p| p != tmp);
    if r.is_ok() && is_pdf {
        FINISHED.fetch_add(1, Ordering::Relaxed);
    }
    r
}

/// The temporary file is gone (renamed or removed); `finished` when a PDF
/// was written.
pub fn done(tmp: &Path, finished: bool) {
    live().retain(|p| p != tmp);
    if finished {
        FINISHED.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    let fd = PIPE.load(Ordering::Relaxed);
    if fd >= 0 {
        let b = sig as u8;
        // SAFETY: write(2) is async-signal-safe; the buffer is one byte on the stack.
        unsafe {
            libc::write(fd, (&b as *const u8).cast(), 1);
        }
    }
}

/// Installs the handlers for SIGINT and SIGTERM (once per process, at the
/// first file written: before it there is nothing to remove); `out_dir` is
/// named in the message.
pub fn install(out_dir: &Path) {
    {
        let mut dir = OUT_DIR.lock().unwrap_or_else(|e| e.into_inner());
        if dir.is_none() {
            *dir = Some(out_dir.to_path_buf());
        }
    }
    #[cfg(unix)]
    {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            let mut fds = [0 as libc::c_int; 2];
            // SAFETY: pipe(2) fills the two descriptors of a valid array.
            if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
                return;
            }
            let (read_fd, write_fd) = (fds[0], fds[1]);
            PIPE.store(write_fd, Ordering::Relaxed);
            let spawned = std::thread::Builder::new().name("vanban-signal".into()).spawn(move || {
                let mut b = 0u8;
                // SAFETY: read(2) into a one-byte buffer on this stack.
                let n = unsafe { libc::read(read_fd, (&mut b as *mut u8).cast(), 1) };
                if n == 1 {
                    finish(i32::from(b));
                }
            });
            if spawned.is_ok() {
                let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                // SAFETY: the handler only calls write(2) on a descriptor that stays open.
                unsafe {
                    libc::signal(libc::SIGINT, handler);
                    libc::signal(libc::SIGTERM, handler);
                }
            }
        });
    }
}

/// The clean-up after a signal: remove, say, exit (with the lock held).
fn finish(sig: i32) -> ! {
    let list = live();
    let removed = list.iter().filter(|p| std::fs::remove_file(p).is_ok()).count();
    let kept = FINISHED.load(Ordering::Relaxed);
    let dir = OUT_DIR.lock().unwrap_or_else(|e| e.into_inner()).clone().unwrap_or_else(|| PathBuf::from("."));
    let what = if sig == 2 { "Ctrl+C" } else { "tín hiệu dừng" };
    eprintln!(
        "\nĐã dừng ({what}): đã xoá {removed} tệp đang ghi dở; giữ lại {kept} tệp PDF đã ghi xong trong «{}».",
        dir.display()
    );
    std::process::exit(128 + sig)
}
