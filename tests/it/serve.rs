//! `vanban serve` over HTTP: every endpoint, the token and Host checks, the
//! upload limit, broken workbooks, twenty renders at once, the watched file,
//! and downloads that are the CLI's bytes.

use crate::common::*;
use crate::serve_util::*;

/// A workbook with an impossible date in NhiemVu!I7.
fn broken_book() -> Book {
    let mut book = Book::plan(8);
    if let Some(s) = book.sheets.iter_mut().find(|s| s.name == "NhiemVu") {
        s.rows[6][8] = t("31/02/2021");
    }
    book
}

fn bytes_of(book: &Book) -> Vec<u8> {
    let dir = tmp();
    let p = dir.path().join("wb.xlsx");
    book.write(&p);
    std::fs::read(p).expect("workbook")
}

/// The CLI's output for `args` (with `-o out.pdf`).
fn cli_pdf(book: &Book, args: &[&str]) -> Vec<u8> {
    let dir = tmp();
    book.write(&dir.path().join("wb.xlsx"));
    let mut all = args.to_vec();
    all.extend(["-o", "out.pdf", "--ignore-system-fonts", "-q"]);
    let out = run_in(dir.path(), &all);
    assert!(out.ok(), "{all:?}: {}", out.stderr);
    std::fs::read(dir.path().join("out.pdf")).expect("pdf")
}

#[test]
fn page_assets_and_no_cors() {
    let dir = tmp();
    let s = Server::start(dir.path(), &[]);
    assert!(s.url.starts_with("http://127.0.0.1:"), "loopback by default: {}", s.url);
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap_or("").starts_with("text/html"));
    let html = page.text();
    assert!(html.contains("Chọn tệp Excel") && html.contains("lang=\"vi\""), "{html}");
    assert!(!html.contains("http://") && !html.contains("https://"), "no CDN: everything is embedded");
    for (path, mime) in [("/app.js", "text/javascript"), ("/app.css", "text/css")] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").unwrap_or("").starts_with(mime), "{path}: {:?}", r.headers);
        assert!(r.body.len() > 500, "{path}");
    }
    let info = s.get("/api/info").json();
    assert_eq!(info["max_upload"], 50 * 1024 * 1024);
    assert_eq!(info["theo_doi"], false);
    let missing = s.get("/khong-co");
    assert_eq!(missing.status, 404);
    assert!(missing.json()["loi"].as_str().unwrap_or("").contains("không có"));
    let nodoc = s.get("/api/doc/t999");
    assert_eq!(nodoc.status, 404);
    assert!(nodoc.json()["loi"].as_str().unwrap_or("").contains("chọn lại tệp"));
    // No CORS: a page of another origin cannot read the answers.
    let cross = http(&s.addr, "GET", "/api/info", &[("Origin", "http://evil.example")], &[]);
    assert_eq!(cross.status, 200);
    assert!(
        cross.headers.iter().all(|(k, _)| !k.to_ascii_lowercase().starts_with("access-control-")),
        "{:?}",
        cross.headers
    );
}

#[test]
fn host_header_is_checked_against_dns_rebinding() {
    let dir = tmp();
    let s = Server::start(dir.path(), &[]);
    let port = s.addr.rsplit(':').next().unwrap_or("");
    for bad in [format!("evil.example:{port}"), "evil.example".to_string(), format!("127.0.0.1:{}", 1)] {
        let r = http(&s.addr, "GET", "/api/info", &[("Host", &bad)], &[]);
        assert_eq!(r.status, 403, "Host {bad}");
        assert!(r.json()["loi"].as_str().unwrap_or("").contains("địa chỉ"), "{}", r.text());
    }
    let local = format!("localhost:{port}");
    assert_eq!(http(&s.addr, "GET", "/", &[("Host", &local)], &[]).status, 200);
}

#[test]
fn host_flag_needs_the_printed_token() {
    let dir = tmp();
    let s = Server::start(dir.path(), &["--host", "127.0.0.1"]);
    let token = s.url.split("?t=").nth(1).expect("the address carries a token").to_string();
    assert!(token.len() >= 32 && token.chars().all(|c| c.is_ascii_hexdigit()), "{token}");
    for path in ["/", "/app.js", "/api/info", "/api/events", "/api/doc/tep"] {
        let r = s.get(path);
        assert_eq!(r.status, 401, "{path} without the token");
        assert!(r.json()["loi"].as_str().unwrap_or("").contains("mã truy cập"));
    }
    assert_eq!(s.get("/api/info?t=0000").status, 401, "a wrong token");
    assert_eq!(s.get(&format!("/?t={token}")).status, 200);
    assert_eq!(s.get(&format!("/api/info?t={token}")).status, 200);
    let h = http(&s.addr, "GET", "/api/info", &[("X-Vanban-Token", &token)], &[]);
    assert_eq!(h.status, 200, "the token as a header");
    // Another server, another token.
    let s2 = Server::start(dir.path(), &["--host", "127.0.0.1"]);
    assert_ne!(s2.url.split("?t=").nth(1), Some(token.as_str()));
}

#[test]
fn uploads_over_the_limit_get_a_message_not_a_cut_connection() {
    let dir = tmp();
    let mut s = Server::start(dir.path(), &["--max-upload", "20000"]);
    let big = vec![b'x'; 300_000];
    let r = s.post("/api/upload?name=lon.xlsx", &big);
    assert_eq!(r.status, 413, "{}", r.text());
    let msg = r.json()["loi"].as_str().unwrap_or("").to_string();
    assert!(msg.contains("lon.xlsx") && msg.contains("giới hạn"), "{msg}");
    assert!(s.alive());
    // Under the limit is read (and found not to be a workbook).
    let r = s.post("/api/upload?name=nho.xlsx", &vec![b'x'; 1000]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["so_loi"].as_u64().unwrap_or(0) >= 1);
}

#[test]
fn broken_and_hostile_workbooks_are_page_states() {
    let dir = tmp();
    let mut s = Server::start(dir.path(), &[]);
    // Not a workbook at all; an empty body; a zip bomb-ish truncated file.
    let junk = s.post("/api/upload?name=rac.xlsx", b"PK\x03\x04 this is not a workbook");
    assert_eq!(junk.status, 200, "{}", junk.text());
    let j = junk.json();
    assert!(j["so_loi"].as_u64().unwrap_or(0) >= 1, "{j}");
    assert_eq!(j["doc_duoc"], false);
    let said = format!("{} {}", j["nhom"][0]["muc"][0]["o"], j["nhom"][0]["muc"][0]["thong_bao"]);
    assert!(said.contains("rac.xlsx"), "the message names the file: {j}");
    assert_eq!(s.post("/api/upload?name=rong.xlsx", b"").status, 400);
    let mut truncated = bytes_of(&Book::plan(3));
    truncated.truncate(truncated.len() / 2);
    assert_eq!(s.post("/api/upload?name=cut.xlsx", &truncated).status, 200);

    // Located messages, errors first, grouped by sheet.
    let r = s.post("/api/upload?name=loi.xlsx", &bytes_of(&broken_book()));
    assert_eq!(r.status, 200);
    let st = r.json();
    assert!(st["so_loi"].as_u64().unwrap_or(0) >= 1, "{st}");
    let first = &st["nhom"][0];
    assert_eq!(first["trang"], "NhiemVu", "{st}");
    assert_eq!(first["muc"][0]["muc"], "loi");
    assert_eq!(first["muc"][0]["o"], "NhiemVu!I7", "{st}");
    assert!(first["muc"][0]["thong_bao"].as_str().unwrap_or("").contains("31/02/2021"));
    let id = st["id"].as_str().expect("id").to_string();
    assert_eq!(s.get(&format!("/api/doc/{id}")).json()["so_loi"], st["so_loi"]);
    // No preview, no download while there is an error; the reason is said.
    for what in ["preview", "pdf", "zip"] {
        let r = s.get(&format!("/api/doc/{id}/{what}"));
        assert_eq!(r.status, 422, "{what}");
        assert!(r.json()["loi"].as_str().unwrap_or("").contains("lỗi"), "{what}: {}", r.text());
    }
    assert!(s.alive(), "the server keeps serving");
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn preview_pdf_report_unit_and_zip_are_the_clis() {
    let dir = tmp();
    let s = Server::start(dir.path(), &[]);
    let book = Book::plan(12);
    let st = s.post("/api/upload?name=ke-hoach.xlsx", &bytes_of(&book)).json();
    assert_eq!(st["so_loi"], 0, "{st}");
    assert!(st["don_vi"].as_array().is_some_and(|u| !u.is_empty()), "{st}");
    let id = st["id"].as_str().expect("id").to_string();

    let p = s.get(&format!("/api/doc/{id}/preview?loai=ke-hoach"));
    assert_eq!(p.status, 200, "{}", p.text());
    let n = p.json()["so_trang"].as_u64().unwrap_or(0);
    assert!(n >= 1);
    let svg = s.get(&format!("/api/doc/{id}/page/1?loai=ke-hoach"));
    assert_eq!(svg.status, 200);
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    assert!(svg.text().contains("<svg"));
    assert_eq!(s.get(&format!("/api/doc/{id}/page/{}?loai=ke-hoach", n + 1)).status, 404);

    let pdf = s.get(&format!("/api/doc/{id}/pdf?loai=ke-hoach"));
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.header("content-disposition").unwrap_or("").contains(".pdf"));
    assert!(pdf.body == cli_pdf(&book, &["plan", "wb.xlsx"]), "the page's PDF is the CLI's bytes");

    // The Word copy: the bytes `--format docx` writes.
    let docx = s.get(&format!("/api/doc/{id}/docx?loai=ke-hoach"));
    assert_eq!(docx.status, 200, "{}", docx.text());
    assert!(docx.header("content-type").unwrap_or("").contains("wordprocessingml"));
    assert!(docx.header("content-disposition").unwrap_or("").contains(".docx"));
    let cli_docx = {
        let dir = tmp();
        book.write(&dir.path().join("wb.xlsx"));
        let out = run_in(dir.path(), &["plan", "wb.xlsx", "-o", "out.docx", "-q"]);
        assert!(out.ok(), "{}", out.stderr);
        std::fs::read(dir.path().join("out.docx")).expect("docx")
    };
    assert!(docx.body == cli_docx, "the page's Word copy is the CLI's bytes");

    let q3 = s.get(&format!("/api/doc/{id}/pdf?loai=bao-cao&quy=3&ngay=15/08/2021"));
    assert_eq!(q3.status, 200, "{}", q3.text());
    assert!(q3.body == cli_pdf(&book, &["report", "wb.xlsx", "--quarter", "3", "--as-of", "15/08/2021"]));
    assert!(q3.header("content-disposition").unwrap_or("").contains("-q3-"), "{:?}", q3.headers);
    let bad = s.get(&format!("/api/doc/{id}/preview?loai=bao-cao&quy=2&ngay=31/02/2021"));
    assert_eq!(bad.status, 422);
    assert!(bad.json()["loi"].as_str().unwrap_or("").contains("31/02/2021"));

    // One unit, and the whole batch as a ZIP with the CLI's names and bytes.
    let code = st["don_vi"][0]["ma"].as_str().expect("unit").to_string();
    let unit = s.get(&format!("/api/doc/{id}/preview?loai=ke-hoach&don_vi={code}"));
    assert_eq!(unit.status, 200, "{}", unit.text());
    assert_eq!(s.get(&format!("/api/doc/{id}/preview?don_vi=KHONGCO")).status, 422);
    let zip = s.get(&format!("/api/doc/{id}/zip?loai=ke-hoach"));
    assert_eq!(zip.status, 200, "{}", zip.text());
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    let bdir = tmp();
    book.write(&bdir.path().join("wb.xlsx"));
    let out = run_in(bdir.path(), &["batch", "wb.xlsx", "--out-dir", "out", "--ignore-system-fonts", "-q"]);
    assert!(out.ok(), "{}", out.stderr);
    let mut cli: Vec<(String, Vec<u8>)> = std::fs::read_dir(bdir.path().join("out"))
        .expect("out")
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read")))
        .collect();
    cli.sort();
    let entries = unzip(&zip.body);
    assert_eq!(entries.iter().map(|e| &e.0).collect::<Vec<_>>(), cli.iter().map(|e| &e.0).collect::<Vec<_>>());
    for (a, b) in entries.iter().zip(&cli) {
        assert!(a.1 == b.1, "{}: the ZIP holds the CLI's bytes", a.0);
    }
    let again = s.get(&format!("/api/doc/{id}/zip?loai=ke-hoach"));
    assert!(again.body == zip.body, "the same workbook gives the same ZIP");
}

/// The units' warnings the CLI's `batch` prints (`[MÃ] cảnh báo: …`),
/// sorted (it prints each render's as it finishes).
fn batch_warnings(dir: &std::path::Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["batch", "wb.xlsx", "--out-dir", "out", "--ignore-system-fonts", "--jobs", "2"];
    all.extend(args);
    let out = run_in(dir, &all);
    assert!(out.ok(), "{}", out.stderr);
    let mut lines: Vec<String> =
        out.stderr.lines().filter(|l| l.starts_with('[') && l.contains("] cảnh báo: ")).map(str::to_string).collect();
    lines.sort();
    lines
}

#[test]
fn the_zip_keeps_the_units_warnings() {
    // A template that Typst warns about: the CLI prints the warning for
    // each unit; the ZIP keeps them in `canh-bao.txt`, beside the CLI's files.
    let dir = tmp();
    std::fs::write(dir.path().join("w.typ"), "#text(font: \"KhongCo\")[Xin chào]\n").expect("template");
    let book = Book::plan(12);
    book.write(&dir.path().join("wb.xlsx"));
    let cli = batch_warnings(dir.path(), &["--template", "w.typ"]);
    let units = cli.iter().filter(|l| l.contains("w.typ:1:13: mẫu Typst: unknown font family")).count();
    assert_eq!(units, 3, "one warning for each of the three units: {cli:?}");
    let s = Server::start(dir.path(), &["--template", "w.typ"]);
    let st = s.post("/api/upload?name=wb.xlsx", &bytes_of(&book)).json();
    let id = st["id"].as_str().expect("id").to_string();
    let zip = s.get(&format!("/api/doc/{id}/zip?loai=ke-hoach"));
    assert_eq!(zip.status, 200, "{}", zip.text());
    let entries = unzip(&zip.body);
    let (_, text) = entries.iter().find(|(n, _)| n == "canh-bao.txt").expect("canh-bao.txt in the ZIP");
    let text = String::from_utf8(text.clone()).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(sorted, cli, "the ZIP's warnings are the CLI's");
    let codes: Vec<&str> = lines.iter().map(|l| &l[1..l.find(']').unwrap_or(1)]).collect();
    assert_eq!(codes, ["VPS", "TCCB", "CCTY"], "in the units' order (sheet DonVi), whichever render ends first");
    let pdfs = entries.iter().filter(|(n, _)| n.ends_with(".pdf")).count();
    assert_eq!(pdfs + 1, entries.len(), "the PDFs and the warnings, nothing else");
    assert!(s.get(&format!("/api/doc/{id}/zip?loai=ke-hoach")).body == zip.body, "the same ZIP again");

    // Without warnings there is no such file: the same workbook with the
    // built-in template warns of nothing (and the ZIP test above finds the
    // CLI's files only).
    let plain = tmp();
    book.write(&plain.path().join("wb.xlsx"));
    assert!(batch_warnings(plain.path(), &[]).is_empty());
}

/// The entries of a ZIP (stored or deflated), with `unzip -p` from the
/// system's Info-ZIP when present, else from the central directory via
/// Python's zipfile — both are on Debian; neither is this crate's code.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let dir = tmp();
    let z = dir.path().join("a.zip");
    std::fs::write(&z, bytes).expect("zip");
    let st = std::process::Command::new("python3")
        .args(["-c", "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])"])
        .arg(&z)
        .arg(dir.path().join("x"))
        .status()
        .expect("python3");
    assert!(st.success(), "a valid ZIP");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path().join("x"))
        .expect("x")
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read")))
        .collect();
    out.sort();
    out
}

#[test]
fn twenty_renders_at_once_are_all_answered() {
    let dir = tmp();
    let s = Server::start(dir.path(), &[]);
    let st = s.post("/api/upload?name=a.xlsx", &bytes_of(&Book::plan(20))).json();
    let id = st["id"].as_str().expect("id").to_string();
    let addr = s.addr.clone();
    let handles: Vec<_> = (0..20)
        .map(|i| {
            let (addr, id) = (addr.clone(), id.clone());
            std::thread::spawn(move || {
                // Different documents, so that no answer comes from a cache.
                let path = if i % 2 == 0 {
                    format!("/api/doc/{id}/pdf?loai=bao-cao&quy={}&ngay={:02}/09/2021", i % 4 + 1, i + 1)
                } else {
                    format!("/api/doc/{id}/preview?loai=bao-cao&quy=3&ngay={:02}/08/2021", i + 1)
                };
                http(&addr, "GET", &path, &[], &[]).status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().expect("thread")).collect();
    assert!(statuses.iter().all(|&c| c == 200), "{statuses:?}");
}

#[test]
fn the_watched_workbook_is_reloaded_and_announced() {
    let dir = tmp();
    let wb = dir.path().join("ke-hoach.xlsx");
    Book::plan(4).write(&wb);
    let s = Server::start(dir.path(), &["ke-hoach.xlsx"]);
    assert_eq!(s.get("/api/info").json()["theo_doi"], true);
    let st = s.get("/api/doc/tep").json();
    assert_eq!(st["so_loi"], 0, "{st}");
    let v1 = st["phien_ban"].as_u64().expect("version");
    let mut ev = events(&s.addr, "/api/events");
    // Saved as editors do: a temp file renamed over the original.
    save_by_rename(&wb, &bytes_of(&broken_book()));
    let data = next_event(&mut ev, "doi");
    assert!(data.contains("\"tep\""), "{data}");
    let st = s.get("/api/doc/tep").json();
    assert!(st["phien_ban"].as_u64().unwrap_or(0) > v1);
    assert_eq!(st["nhom"][0]["muc"][0]["o"], "NhiemVu!I7", "{st}");
    // And fixed again, written in place this time.
    std::fs::write(&wb, bytes_of(&Book::plan(5))).expect("write");
    next_event(&mut ev, "doi");
    assert_eq!(s.get("/api/doc/tep").json()["so_loi"], 0);
    // A watched file that disappears is a page state too.
    std::fs::remove_file(&wb).expect("remove");
    next_event(&mut ev, "doi");
    let gone = s.get("/api/doc/tep").json();
    assert!(gone["so_loi"].as_u64().unwrap_or(0) >= 1, "{gone}");
}

#[test]
fn a_panic_inside_one_render_is_that_requests_error() {
    let dir = tmp();
    let book = Book::plan(6);
    let mut s = Server::start_env(dir.path(), &[], &[("VANBAN_TEST_PANIC_UNIT", "TCCB")]);
    let st = s.post("/api/upload?name=a.xlsx", &bytes_of(&book)).json();
    let id = st["id"].as_str().expect("id").to_string();
    assert!(st["don_vi"].as_array().is_some_and(|u| u.iter().any(|u| u["ma"] == "TCCB")), "{st}");
    for what in ["preview", "pdf", "docx"] {
        let r = s.get(&format!("/api/doc/{id}/{what}?loai=ke-hoach&don_vi=TCCB"));
        assert_eq!(r.status, 422, "{what}: {}", r.text());
        let msg = r.json()["loi"].as_str().unwrap_or("").to_string();
        assert!(msg.contains("lỗi nội bộ") && msg.contains("báo lỗi"), "{what}: {msg}");
        assert!(s.alive(), "the server survives the panic");
    }
    // Every other render still works, on the same pool.
    let other = st["don_vi"].as_array().and_then(|u| u.iter().find(|u| u["ma"] != "TCCB")).expect("another unit");
    let code = other["ma"].as_str().expect("code");
    assert_eq!(s.get(&format!("/api/doc/{id}/preview?loai=ke-hoach&don_vi={code}")).status, 200);
    let pdf = s.get(&format!("/api/doc/{id}/pdf?loai=ke-hoach"));
    assert_eq!(pdf.status, 200);
    assert!(pdf.body == cli_pdf(&book, &["plan", "wb.xlsx"]));
}

/// `vanban forms wb.xlsx --quarter 3` in `dir`: the forms' names and bytes.
fn cli_forms(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let out = run_in(dir, &["forms", "wb.xlsx", "--quarter", "3", "--out-dir", "bieu-mau", "-q"]);
    assert!(out.ok(), "{}", out.stderr);
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("bieu-mau"))
        .expect("forms")
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read")))
        .collect();
    v.sort();
    v
}

#[test]
fn progress_forms_out_and_back_are_the_clis() {
    let dir = tmp();
    let d = dir.path();
    let book = Book::plan(12);
    book.write(&d.join("wb.xlsx"));
    let s = Server::start(d, &[]);
    let st = s.post("/api/upload?name=wb.xlsx", &bytes_of(&book)).json();
    let id = st["id"].as_str().expect("id").to_string();
    let q3 = "loai=bao-cao&quy=3";

    // Out: one ZIP holding what `vanban forms` writes.
    let z = s.get(&format!("/api/doc/{id}/bieu-mau?quy=3"));
    assert_eq!(z.status, 200, "{}", z.text());
    assert_eq!(z.header("content-type"), Some("application/zip"));
    assert!(z.header("content-disposition").unwrap_or("").contains("bieu-mau-tien-do-quy-3-2021.zip"));
    let forms = cli_forms(d);
    assert!(forms.len() >= 2, "{forms:?}");
    let entries = unzip(&z.body);
    assert_eq!(entries.iter().map(|e| &e.0).collect::<Vec<_>>(), forms.iter().map(|e| &e.0).collect::<Vec<_>>());
    for (a, b) in entries.iter().zip(&forms) {
        assert!(a.1 == b.1, "{}: the ZIP holds the CLI's bytes", a.0);
    }
    assert_eq!(s.get(&format!("/api/doc/{id}/bieu-mau?quy=5")).status, 422);

    // Nothing back yet: no report with progress, and the page says why.
    let none = s.get(&format!("/api/doc/{id}/preview?{q3}&tien_do=1"));
    assert_eq!(none.status, 422);
    assert!(none.json()["loi"].as_str().unwrap_or("").contains("chưa có biểu mẫu"), "{}", none.text());

    // Back: the first form filled in by another writer (openpyxl), the last
    // one not sent, and a file that is not a form.
    let (first, _) = &forms[0];
    let filled = d.join("bieu-mau").join(format!("da-dien-{first}"));
    let edits = d.join("edits.json");
    std::fs::write(&edits, r#"{"ton_tai": ["Thiếu cán bộ chuyên trách cải cách hành chính."]}"#).expect("edits");
    let fill = std::process::Command::new("python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fill_form.py"))
        .arg(d.join("bieu-mau").join(first))
        .arg(&filled)
        .arg(&edits)
        .output()
        .expect("python3");
    assert!(fill.status.success(), "{}", String::from_utf8_lossy(&fill.stderr));
    std::fs::copy(&filled, d.join(first)).expect("copy");
    let mut sent: Vec<String> = vec![first.clone()];
    let r = s.post(&format!("/api/doc/{id}/tien-do?name={first}&{q3}"), &std::fs::read(&filled).expect("filled"));
    assert_eq!(r.status, 200, "{}", r.text());
    for (name, bytes) in &forms[1..forms.len() - 1] {
        std::fs::write(d.join(name), bytes).expect("write");
        sent.push(name.clone());
        assert_eq!(s.post(&format!("/api/doc/{id}/tien-do?name={name}&{q3}"), bytes).status, 200);
    }
    let st = s.get(&format!("/api/doc/{id}/tien-do?{q3}")).json();
    assert_eq!(st["da_gui"].as_array().map(Vec::len), Some(forms.len() - 1), "{st}");
    assert_eq!(st["chua_gui"].as_array().map(Vec::len), Some(1), "{st}");
    assert_eq!(st["so_loi"], 0, "{st}");
    assert_eq!(st["dung_duoc"], true, "{st}");
    let summary = st["tom_tat"].as_str().unwrap_or("");
    let missing = st["chua_gui"][0]["ten"].as_str().expect("name");
    assert!(summary.contains(&format!("{}/{}", forms.len() - 1, forms.len())) && summary.contains(missing), "{st}");

    // The report with that progress: the bytes of `report --progress`.
    let pdf = s.get(&format!("/api/doc/{id}/pdf?{q3}&tien_do=1"));
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    let mut args =
        vec!["report", "wb.xlsx", "--quarter", "3", "-o", "out.pdf", "--ignore-system-fonts", "-q", "--progress"];
    args.extend(sent.iter().map(String::as_str));
    let out = run_in(d, &args);
    assert!(out.ok(), "{}", out.stderr);
    assert!(pdf.body == std::fs::read(d.join("out.pdf")).expect("pdf"), "the page's report is the CLI's bytes");
    let plain = s.get(&format!("/api/doc/{id}/pdf?{q3}"));
    assert!(plain.body != pdf.body, "the returned forms change the report");
    assert_eq!(s.get(&format!("/api/doc/{id}/preview?{q3}&tien_do=1")).status, 200);

    // The consolidated workbook: the bytes of `vanban collect`.
    let x = s.get(&format!("/api/doc/{id}/tien-do/tong-hop?{q3}"));
    assert_eq!(x.status, 200, "{}", x.text());
    assert!(x.header("content-disposition").unwrap_or("").contains("tien-do-quy-3-2021.xlsx"));
    let mut args = vec!["collect", "wb.xlsx", "--quarter", "3", "--year", "2021", "-o", "tong-hop.xlsx", "-q"];
    args.extend(sent.iter().map(String::as_str));
    let out = run_in(d, &args);
    assert!(out.ok(), "{}", out.stderr);
    assert!(x.body == std::fs::read(d.join("tong-hop.xlsx")).expect("xlsx"), "the consolidated file is the CLI's");

    // A file that is not a form: located, and the report is refused until
    // it is taken away.
    let bad = s.post(&format!("/api/doc/{id}/tien-do?name=rac.xlsx&{q3}"), b"PK\x03\x04 not a form");
    assert_eq!(bad.status, 200, "{}", bad.text());
    let b = bad.json();
    assert!(b["so_loi"].as_u64().unwrap_or(0) >= 1, "{b}");
    assert_eq!(b["dung_duoc"], false);
    assert!(b["muc"].as_array().is_some_and(|m| m.iter().any(|m| m["tep"] == "rac.xlsx" && m["muc"] == "loi")), "{b}");
    let refused = s.get(&format!("/api/doc/{id}/pdf?{q3}&tien_do=1"));
    assert_eq!(refused.status, 422);
    assert!(refused.json()["loi"].as_str().unwrap_or("").contains("có lỗi"), "{}", refused.text());
    let cleared = http(&s.addr, "DELETE", &format!("/api/doc/{id}/tien-do"), &[], &[]);
    assert_eq!(cleared.status, 200);
    assert_eq!(cleared.json()["tep"].as_array().map(Vec::len), Some(0));
    assert_eq!(s.get(&format!("/api/doc/{id}/preview?{q3}&tien_do=1")).status, 422);
    // A unit's document never takes the whole agency's progress.
    assert_eq!(s.get(&format!("/api/doc/{id}/preview?{q3}&tien_do=1&don_vi=VPS")).status, 422);
}
