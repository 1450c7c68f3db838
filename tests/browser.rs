//! `vanban serve` driven as a person uses it: a real headless Chromium
//! (Debian `chromium` + `chromium-driver`, over WebDriver) opens the page,
//! uploads a workbook with errors and reads the cell references, uploads a
//! good one and sees the pages, switches to a quarterly report, downloads
//! the PDF (the CLI's bytes), and follows a watched workbook saved on disk.
//! Set `VANBAN_SCREENSHOTS=DIR` to keep screenshots of each state.

mod common;
mod serve_util;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use serve_util::*;

struct Driver {
    child: Child,
    addr: String,
    session: String,
}

impl Drop for Driver {
    /// Closes the browser (its session), then stops chromedriver; never
    /// panics, so that a failing test still cleans up.
    fn drop(&mut self) {
        use std::io::{Read, Write};
        if let Ok(mut s) = std::net::TcpStream::connect(&self.addr) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(20)));
            let req = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                self.session, self.addr
            );
            let _ = s.write_all(req.as_bytes());
            let _ = s.read_to_end(&mut Vec::new());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Driver {
    /// Starts chromedriver on a free port and opens a headless Chromium
    /// session with its own profile folder.
    fn start(profile: &Path) -> Driver {
        let mut last = String::new();
        // A port found free can be taken before chromedriver binds it: retry.
        for _ in 0..3 {
            let port = free_port();
            let mut child = Command::new("/usr/bin/chromedriver")
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("/usr/bin/chromedriver (apt-get install chromium-driver)");
            let addr = format!("127.0.0.1:{port}");
            let t0 = Instant::now();
            let up = loop {
                if std::net::TcpStream::connect(&addr).is_ok() {
                    break true;
                }
                if matches!(child.try_wait(), Ok(Some(_))) || t0.elapsed() > Duration::from_secs(30) {
                    break false;
                }
                std::thread::sleep(Duration::from_millis(100));
            };
            if !up {
                let _ = child.kill();
                let _ = child.wait();
                last = format!("chromedriver did not start on port {port}");
                continue;
            }
            let caps = json!({ "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                             "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--disable-extensions",
                             format!("--user-data-dir={}", profile.display()), "--window-size=1400,1000"]
                }
            }}});
            let body = caps.to_string();
            // No chromedriver left behind when the session cannot be had.
            let asked = std::panic::catch_unwind(|| {
                http(&addr, "POST", "/session", &[("Content-Type", "application/json")], body.as_bytes()).json()
            });
            let v = asked.unwrap_or_else(|_| json!("no answer from chromedriver"));
            let Some(session) = v["value"]["sessionId"].as_str().map(str::to_string) else {
                let _ = child.kill();
                let _ = child.wait();
                last = format!("no session: {v}");
                continue;
            };
            let d = Driver { child, addr, session };
            d.cmd("POST", "/timeouts", json!({ "script": 120_000, "pageLoad": 60_000, "implicit": 0 }));
            return d;
        }
        panic!("headless Chromium did not start: {last}");
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let b = if body.is_null() { String::new() } else { body.to_string() };
        let p = format!("/session/{}{path}", self.session);
        let r = http(&self.addr, method, &p, &[("Content-Type", "application/json; charset=utf-8")], b.as_bytes());
        let v = r.json();
        assert!(r.status == 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd("POST", "/element", json!({ "using": "css selector", "value": css }));
        v.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).expect("element id").to_string()
    }

    fn js(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/sync", json!({ "script": script, "args": [] }))
    }

    fn js_async(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/async", json!({ "script": script, "args": [] }))
    }

    fn upload(&self, file: &Path) {
        let input = self.find("#tep");
        self.cmd("POST", &format!("/element/{input}/value"), json!({ "text": file.display().to_string() }));
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), json!({}));
    }

    /// Polls `script` until it returns true.
    fn wait(&self, what: &str, script: &str) {
        let t0 = Instant::now();
        loop {
            if self.js(script) == Value::Bool(true) {
                return;
            }
            assert!(t0.elapsed() < Duration::from_secs(30), "timed out waiting for {what}: {}", self.state());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn state(&self) -> Value {
        self.js("return { msg: document.getElementById('thong-bao').innerText, list: document.getElementById('danh-sach').innerText, imgs: document.querySelectorAll('#trang img').length };")
    }

    /// A screenshot of the window (a PNG), kept in `$VANBAN_SCREENSHOTS`
    /// when that is set.
    fn screenshot(&self, name: &str) {
        let v = self.cmd("GET", "/screenshot", Value::Null);
        let png = base64(v.as_str().unwrap_or(""));
        assert!(png.starts_with(b"\x89PNG"), "{name}: a PNG screenshot");
        if let Ok(dir) = std::env::var("VANBAN_SCREENSHOTS") {
            std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).expect("screenshot");
        }
    }

    fn resize(&self, w: u32, h: u32) {
        self.cmd("POST", "/window/rect", json!({ "width": w, "height": h }));
    }
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = s.bytes().filter_map(val).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0u32;
        for (i, d) in chunk.iter().enumerate() {
            n |= u32::from(*d) << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}

/// A script true when the preview shows pages, every picture loaded, and
/// `cond` (JavaScript over the pictures `i`) holds.
fn pages_loaded(cond: &str) -> String {
    format!(
        "const i = [...document.querySelectorAll('#trang img')]; \
         return i.length > 0 && i.every(x => x.complete && x.naturalWidth > 100) && ({cond});"
    )
}

#[test]
fn a_person_uses_the_page() {
    let dir = tmp();
    let broken = dir.path().join("co-loi.xlsx");
    let mut book = Book::plan(8);
    if let Some(s) = book.sheets.iter_mut().find(|s| s.name == "NhiemVu") {
        s.rows[6][8] = t("31/02/2021");
    }
    book.write(&broken);
    let good_book = Book::plan(10);
    let good = dir.path().join("tot.xlsx");
    good_book.write(&good);

    let server = Server::start(dir.path(), &[]);
    let d = Driver::start(&dir.path().join("profile"));
    d.go(&server.url);
    d.wait("the page", "return document.readyState === 'complete' && !!document.getElementById('tep');");
    d.screenshot("1-trong");

    // A workbook with errors: the located list, no preview, and why.
    d.upload(&broken);
    d.wait("the error list", "return document.getElementById('danh-sach').innerText.includes('NhiemVu!I7');");
    let st = d.state();
    assert!(st["list"].as_str().unwrap_or("").contains("31/02/2021"), "{st}");
    assert!(st["list"].as_str().unwrap_or("").contains("→"), "the fix after →: {st}");
    assert_eq!(st["imgs"], 0, "no preview while there are errors");
    assert!(st["msg"].as_str().unwrap_or("").contains("lỗi"), "{st}");
    d.screenshot("2-co-loi");

    // A good one: the pages as pictures.
    d.upload(&good);
    d.wait("the pages", &pages_loaded("true"));
    d.screenshot("3-xem-truoc");

    // A quarterly report.
    d.click("input[name=loai][value=bao-cao]");
    d.click("#quy option[value='3']");
    d.wait(
        "the report's pages",
        &pages_loaded("i.every(x => x.src.includes('loai=bao-cao') && x.src.includes('quy=3'))"),
    );
    d.wait("the download link", "return (document.getElementById('tai-pdf').href || '').includes('quy=3');");
    // The PDF behind the page's download button, as the browser gets it.
    let b64 = d.js_async(
        "const done = arguments[arguments.length - 1];
         fetch(document.getElementById('tai-pdf').href).then(r => r.arrayBuffer()).then(b => {
           let s = ''; const u = new Uint8Array(b);
           for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode.apply(null, u.subarray(i, i + 8192));
           done(btoa(s));
         }).catch(e => done('ERR ' + e));",
    );
    let pdf = base64(b64.as_str().unwrap_or(""));
    let cli_dir = tmp();
    good_book.write(&cli_dir.path().join("wb.xlsx"));
    let out = run_in(
        cli_dir.path(),
        &["report", "wb.xlsx", "--quarter", "3", "-o", "out.pdf", "--ignore-system-fonts", "-q"],
    );
    assert!(out.ok(), "{}", out.stderr);
    let cli = std::fs::read(cli_dir.path().join("out.pdf")).expect("pdf");
    assert!(pdf.len() > 1000 && pdf == cli, "the page's PDF ({} bytes) is the CLI's ({} bytes)", pdf.len(), cli.len());

    // The quarterly loop: the forms out, two of them back through the drop
    // zone's file input, the report built with them.
    let fdir = tmp();
    good_book.write(&fdir.path().join("wb.xlsx"));
    let out = run_in(fdir.path(), &["forms", "wb.xlsx", "--quarter", "3", "--out-dir", ".", "-q"]);
    assert!(out.ok(), "{}", out.stderr);
    let mut forms: Vec<String> = std::fs::read_dir(fdir.path())
        .expect("forms")
        .flatten()
        .map(|e| e.path().display().to_string())
        .filter(|p| p.contains("-tien-do-quy-3-"))
        .collect();
    forms.sort();
    assert!(forms.len() >= 3, "{forms:?}");
    d.wait("the forms section", "return !document.getElementById('buoc-tien-do').classList.contains('an');");
    d.wait("the forms link", "return (document.getElementById('tai-bieu-mau').href || '').includes('/bieu-mau?');");
    let input = d.find("#tep-tien-do");
    d.cmd("POST", &format!("/element/{input}/value"), json!({ "text": forms[..2].join("\n") }));
    d.wait(
        "who sent theirs",
        "return document.getElementById('tom-tat-tien-do').innerText.includes('2/3 đơn vị đã gửi');",
    );
    d.wait("the report with the returned forms", &pages_loaded("i.every(x => x.src.includes('tien_do=1'))"));
    let st = d.js("return document.getElementById('ds-tien-do').innerText;");
    assert!(st.as_str().unwrap_or("").contains("Chưa gửi (1)"), "{st}");
    d.screenshot("5-tien-do");

    d.resize(420, 900);
    d.screenshot("4-hep");
}

#[test]
fn the_page_follows_the_watched_workbook() {
    let dir = tmp();
    let wb = dir.path().join("ke-hoach.xlsx");
    Book::plan(3).write(&wb);
    let server = Server::start(dir.path(), &["ke-hoach.xlsx"]);
    let d = Driver::start(&dir.path().join("profile"));
    d.go(&server.url);
    d.wait("the pages", &pages_loaded("true"));
    let before = d.js("return document.getElementById('trang').dataset.phienBan;");
    let pages_before = d.js("return document.querySelectorAll('#trang img').length;");
    // Saved the way editors save: a temp file renamed over the original.
    let bigger = tmp();
    let p = bigger.path().join("b.xlsx");
    Book::plan(60).set("Trình bày nhiệm vụ", "phụ lục").write(&p);
    save_by_rename(&wb, &std::fs::read(&p).expect("read"));
    let t0 = Instant::now();
    d.wait(
        "the new pages, without a click",
        &pages_loaded(&format!("document.getElementById('trang').dataset.phienBan !== {before}")),
    );
    let after = d.js("return document.querySelectorAll('#trang img').length;");
    assert!(after.as_u64() > pages_before.as_u64(), "more tasks, more pages: {pages_before} → {after}");
    assert!(t0.elapsed() < Duration::from_secs(10), "{:?}", t0.elapsed());
}
