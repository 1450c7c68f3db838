//! A `vanban serve` process for tests, and a small HTTP/1.1 client over a
//! raw TCP stream (so that tests can send any `Host` header).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
    /// The address printed on stdout, with the token when there is one.
    pub url: String,
}

impl Server {
    /// `vanban serve --port 0 --ignore-system-fonts <args>` in `dir`.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        Server::start_env(dir, args, &[])
    }

    /// [`Server::start`] with variables in the server's environment.
    pub fn start_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut all = vec!["serve", "--port", "0", "--ignore-system-fonts"];
        all.extend(args);
        let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
            .args(&all)
            .envs(env.iter().copied())
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start vanban serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read the address");
        let url = line.trim().to_string();
        assert!(url.starts_with("http://"), "the first line is the address: {url:?}");
        let addr = url.trim_start_matches("http://").split('/').next().unwrap_or("").to_string();
        Server { child, addr, url }
    }

    pub fn get(&self, path: &str) -> Resp {
        http(&self.addr, "GET", path, &[], &[])
    }

    pub fn post(&self, path: &str, body: &[u8]) -> Resp {
        http(&self.addr, "POST", path, &[], body)
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// One request on its own connection; `Host` is `addr` unless given.
pub fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(120))).expect("timeout");
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).expect("send");
    // A server that answers early may close before the whole body is sent.
    let _ = s.write_all(body);
    // To the end of the connection, or of the body when its length is given
    // (chromedriver keeps the connection open despite `Connection: close`).
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        let n = s.read(&mut buf).expect("read the response");
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            if content_length(&raw[..end]).is_some_and(|len| raw.len() >= end + 4 + len) {
                break;
            }
        }
    }
    parse(&raw)
}

fn content_length(head: &[u8]) -> Option<usize> {
    String::from_utf8_lossy(head).split("\r\n").find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case("content-length").then(|| v.trim().parse().ok())?
    })
}

fn parse(raw: &[u8]) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of headers in {:?}", String::from_utf8_lossy(&raw[..raw.len().min(300)])));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status");
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))).collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Resp { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(nl) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..nl]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = nl + 2;
        out.extend_from_slice(&b[start..(start + size).min(b.len())]);
        b = &b[(start + size + 2).min(b.len())..];
    }
    out
}

/// Opens the event stream and returns the connection, past the headers.
pub fn events(addr: &str, path: &str) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").expect("send");
    let mut r = BufReader::new(s);
    loop {
        let mut line = String::new();
        r.read_line(&mut line).expect("headers");
        if line == "\r\n" || line.is_empty() {
            break;
        }
    }
    r
}

/// Reads the event stream until an event named `name`; its data.
pub fn next_event(r: &mut BufReader<TcpStream>, name: &str) -> String {
    let mut current = String::new();
    loop {
        let mut line = String::new();
        let n = r.read_line(&mut line).expect("an event in time");
        assert!(n > 0, "the event stream ended");
        let l = line.trim();
        if let Some(e) = l.strip_prefix("event:") {
            current = e.trim().to_string();
        } else if let Some(d) = l.strip_prefix("data:") {
            if current == name {
                return d.trim().to_string();
            }
        }
    }
}

/// Writes `bytes` the way many editors save: a temp file, then a rename.
pub fn save_by_rename(path: &Path, bytes: &[u8]) {
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, bytes).expect("write temp");
    std::fs::rename(&tmp, path).expect("rename");
}
