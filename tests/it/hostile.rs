//! Hostile and huge inputs (issue 11): each case runs the real binary and
//! asserts exit 1 with a located Vietnamese message, within seconds, with
//! the child's peak memory (its own `ru_maxrss`, from `wait4`) under 1 GB,
//! and the workbook's bytes unchanged. The big files are generated here at
//! run time (a few MB each, inflating to hundreds of MB); the small .xls
//! mutations start from the committed reference workbook.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use vanban::workbook::limits;

const GB: u64 = 1024 * 1024 * 1024;
/// Every case must end well within this.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// A run of the binary with its own peak memory.
struct Measured {
    code: i32,
    stderr: String,
    /// Peak resident memory of the child, bytes: its `ru_maxrss` from
    /// `wait4`, an upper bound (Linux counts the parent's resident memory
    /// at the fork in it too).
    peak: u64,
    /// The child's own `VmHWM`, polled every few ms while it ran (a lower
    /// bound of its peak; printed, not asserted).
    hwm: u64,
    elapsed: Duration,
}

/// Runs the binary in `dir`; kills it past [`TIME_LIMIT`] (the assertion
/// then fails) and reads its peak memory from `wait4`.
fn measured(dir: &Path, args: &[&str]) -> Measured {
    measured_with(dir, args, |_| {})
}

fn measured_with(dir: &Path, args: &[&str], during: impl FnOnce(u32)) -> Measured {
    let start = Instant::now();
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vanban");
    let pid = child.id();
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    during(pid);
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid out-parameter for wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut hwm = 0u64;
    loop {
        // SAFETY: waiting for our own child, with valid out-pointers.
        let r = unsafe { libc::wait4(pid as i32, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid as i32 {
            break;
        }
        assert!(r == 0, "wait4 failed");
        if let Some(kb) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|st| st.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
            .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse::<u64>().ok()))
        {
            hwm = hwm.max(kb * 1024);
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            // SAFETY: as above.
            unsafe { libc::wait4(pid as i32, &mut status, 0, &mut usage) };
            panic!("vanban {args:?} still running after {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = start.elapsed();
    // Already reaped by wait4: this only lets `Child` know (it returns an error).
    let _ = child.wait();
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { 128 + libc::WTERMSIG(status) };
    let _stdout = out_t.join().unwrap();
    Measured { code, stderr: err_t.join().unwrap(), peak: usage.ru_maxrss as u64 * 1024, hwm, elapsed }
}

/// Runs `args` on the workbook `file` in `dir` and asserts the promise:
/// exit 1, a message naming the file with `expect` in it, quick, < 1 GB,
/// the workbook unchanged, no output written.
#[track_caller]
fn refused(dir: &Path, file: &str, args: &[&str], expect: &[&str]) -> Measured {
    // Only a regular file is read back (never /dev/zero or a FIFO).
    let regular = std::fs::metadata(dir.join(file)).is_ok_and(|m| m.is_file());
    let before = regular.then(|| std::fs::read(dir.join(file)).unwrap());
    let m = measured(dir, args);
    assert_eq!(m.code, 1, "vanban {args:?}: exit {} (want 1)\n{}", m.code, m.stderr);
    assert!(m.stderr.contains(file), "the message names the file {file}: {}", m.stderr);
    for e in expect {
        assert!(m.stderr.contains(e), "vanban {args:?}: «{e}» not in:\n{}", m.stderr);
    }
    assert!(m.peak < GB, "vanban {args:?}: peak memory {} MB", m.peak / (1024 * 1024));
    assert!(m.elapsed < TIME_LIMIT, "vanban {args:?}: {:?}", m.elapsed);
    if let Some(before) = before {
        assert_eq!(std::fs::read(dir.join(file)).unwrap(), before, "the workbook was modified");
    }
    assert!(!m.stderr.contains("panicked"), "{}", m.stderr);
    println!("{args:?}: exit 1 in {:?}, peak ≤ {} MB (VmHWM seen {} MB)", m.elapsed, m.peak >> 20, m.hwm >> 20);
    m
}

// ---------------------------------------------------------------------------
// Zip helpers
// ---------------------------------------------------------------------------

/// The entries of a zip, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (name, data)
        })
        .collect()
}

/// A part's content: bytes, or a generator writing many bytes (so that a
/// bomb is compressed without being held in memory).
enum Part {
    Bytes(Vec<u8>),
    Stream(Gen),
}

/// Writes a part's bytes.
type Gen = Box<dyn Fn(&mut dyn Write)>;

fn zip_of(parts: Vec<(String, Part)>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, part) in parts {
        let method = if name == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        let level = if method == zip::CompressionMethod::Stored { None } else { Some(1) };
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .compression_level(level)
            .large_file(false);
        w.start_file(name, opts).unwrap();
        match part {
            Part::Bytes(b) => w.write_all(&b).unwrap(),
            Part::Stream(f) => f(&mut w),
        }
    }
    w.finish().unwrap().into_inner()
}

/// A valid plan as .xlsx bytes.
fn plan_xlsx(dir: &Path) -> Vec<u8> {
    let p = dir.join("base.xlsx");
    Book::plan(5).write(&p);
    std::fs::read(p).unwrap()
}

/// The plan with one part's XML changed.
fn xlsx_with(dir: &Path, part: &str, f: impl Fn(String) -> String) -> Vec<u8> {
    let parts = unzip(&plan_xlsx(dir))
        .into_iter()
        .map(|(n, d)| {
            let d = if n == part { f(String::from_utf8(d).unwrap()).into_bytes() } else { d };
            (n, Part::Bytes(d))
        })
        .collect();
    zip_of(parts)
}

/// The plan with one part replaced by a generated stream.
fn xlsx_streaming(dir: &Path, part: &str, gen: impl Fn(&mut dyn Write) + 'static) -> Vec<u8> {
    let mut gen = Some(Box::new(gen) as Gen);
    let parts = unzip(&plan_xlsx(dir))
        .into_iter()
        .map(|(n, d)| {
            let p = if n == part { Part::Stream(gen.take().unwrap()) } else { Part::Bytes(d) };
            (n, p)
        })
        .collect();
    zip_of(parts)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn check_refused(bytes: &[u8], name: &str, expect: &[&str]) -> Measured {
    let dir = tmp();
    write(dir.path(), name, bytes);
    println!("{name}: {} KB", bytes.len() / 1024);
    refused(dir.path(), name, &["check", name], expect)
}

// ---------------------------------------------------------------------------
// 1. The output is never the input
// ---------------------------------------------------------------------------

#[test]
fn output_naming_the_workbook_is_refused() {
    let dir = tmp();
    let d = dir.path();
    Book::plan(3).write(&d.join("w.xlsx"));
    let fonts = "--ignore-system-fonts";
    for args in [
        vec!["plan", "w.xlsx", "-o", "w.xlsx", fonts],
        vec!["report", "w.xlsx", "--quarter", "2", "-o", "w.xlsx", fonts],
        vec!["plan", "w.xlsx", "-o", "./sub/../w.xlsx", fonts],
        vec!["plan", "w.xlsx", "-o", "W.XLSX", fonts],
    ] {
        std::fs::create_dir_all(d.join("sub")).unwrap();
        let m = refused(d, "w.xlsx", &args, &["đầu vào"]);
        assert!(m.stderr.contains("ghi đè"), "{}", m.stderr);
    }
    assert!(!d.join("W.XLSX").exists());
    // Through a link to the workbook.
    std::os::unix::fs::symlink(d.join("w.xlsx"), d.join("link.pdf")).unwrap();
    refused(d, "w.xlsx", &["plan", "w.xlsx", "-o", "link.pdf", fonts], &["đầu vào"]);
    assert!(std::fs::symlink_metadata(d.join("link.pdf")).unwrap().file_type().is_symlink());
    // A workbook whose name is one of the --emit files.
    std::fs::copy(d.join("w.xlsx"), d.join("k.json")).unwrap();
    refused(d, "k.json", &["plan", "k.json", "-o", "k.pdf", "--emit", "json", fonts], &["đầu vào"]);
    assert!(!d.join("k.pdf").exists(), "nothing written when an emitted file is refused");
    // A batch whose file name is the workbook's.
    std::fs::copy(d.join("w.xlsx"), d.join("vps.pdf")).unwrap();
    let before = std::fs::read(d.join("vps.pdf")).unwrap();
    let m = measured(d, &["batch", "vps.pdf", "--out-dir", ".", "--name", "{{ don_vi.ma }}", fonts]);
    assert_eq!(m.code, 1, "{}", m.stderr);
    assert!(m.stderr.contains("đầu vào"), "{}", m.stderr);
    assert_eq!(std::fs::read(d.join("vps.pdf")).unwrap(), before);
    assert!(d.join("tccb.pdf").exists(), "the other units are written: {}", m.stderr);
    // A different name is fine.
    let ok = measured(d, &["plan", "w.xlsx", "-o", "w.pdf", fonts]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

// ---------------------------------------------------------------------------
// 2. Declared sizes that used to abort
// ---------------------------------------------------------------------------

#[test]
fn declared_string_count_is_bounded() {
    let dir = tmp();
    let bytes = xlsx_with(dir.path(), "xl/sharedStrings.xml", |x| {
        let at = x.find("<sst").unwrap();
        let end = at + x[at..].find('>').unwrap();
        format!("{}<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"10000000000000\" uniqueCount=\"10000000000000\">{}", &x[..at], &x[end + 1..])
    });
    assert!(bytes.len() < 60_000);
    check_refused(&bytes, "sst.xlsx", &["vượt giới hạn", "số chuỗi", "10.000.000.000.000"]);
}

#[test]
fn shared_formula_index_is_bounded() {
    for si in ["10000000000000000", "100000000000"] {
        let dir = tmp();
        let bytes = xlsx_with(dir.path(), "xl/worksheets/sheet1.xml", |x| {
            let at = x.find("</sheetData>").unwrap();
            format!(
                "{}<row r=\"4000\"><c r=\"Z4000\"><f t=\"shared\" ref=\"Z4000:Z4001\" si=\"{si}\">1+1</f><v>2</v></c></row>{}",
                &x[..at],
                &x[at..]
            )
        });
        check_refused(&bytes, "si.xlsx", &["vượt giới hạn", "công thức dùng chung"]);
    }
}

/// A BIFF12 record (.xlsb): type and size as 7-bit varints, then the data.
fn biff12(typ: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let varint = |mut v: u32, out: &mut Vec<u8>| loop {
        let b = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    };
    // Types above 0x7F (`0x83` is BrtBeginBook, raw bytes `83 01`) take two bytes.
    varint(typ, &mut out);
    varint(data.len() as u32, &mut out);
    out.extend_from_slice(data);
    out
}

/// A small .xlsb whose one sheet has a value at A1 and one at XFD1048576:
/// calamine would fill the 17-billion-cell rectangle between them.
fn far_cells_xlsb() -> Vec<u8> {
    let wide = |s: &str| {
        let mut b = (s.encode_utf16().count() as u32).to_le_bytes().to_vec();
        b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        b
    };
    let mut sheet_entry = vec![0u8; 8]; // hsState, iTabID
    sheet_entry.extend(wide("rId1"));
    sheet_entry.extend(wide("NhiemVu"));
    let workbook =
        [biff12(0x83, &[]), biff12(0x8F, &[]), biff12(0x9C, &sheet_entry), biff12(0x90, &[]), biff12(0x84, &[])]
            .concat();
    let dims: Vec<u8> = [0u32, 1_048_575, 0, 16_383].iter().flat_map(|v| v.to_le_bytes()).collect();
    let rk = |col: u32| [col.to_le_bytes(), 0u32.to_le_bytes(), (1u32 << 2).to_le_bytes()].concat();
    let row = |r: u32| [r.to_le_bytes().to_vec(), vec![0u8; 13]].concat();
    let sheet = [
        biff12(0x81, &[]),
        biff12(0x94, &dims),
        biff12(0x91, &[]),
        biff12(0x00, &row(0)),
        biff12(0x02, &rk(0)),
        biff12(0x00, &row(1_048_575)),
        biff12(0x02, &rk(16_383)),
        biff12(0x92, &[]),
        biff12(0x82, &[]),
    ]
    .concat();
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#;
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>"#;
    zip_of(vec![
        ("[Content_Types].xml".into(), Part::Bytes(ct.into())),
        ("_rels/.rels".into(), Part::Bytes(rels.into())),
        ("xl/workbook.bin".into(), Part::Bytes(workbook)),
        ("xl/_rels/workbook.bin.rels".into(), Part::Bytes(wb_rels.into())),
        ("xl/worksheets/sheet1.bin".into(), Part::Bytes(sheet)),
    ])
}

#[test]
fn xlsb_is_refused_before_calamine_sizes_it() {
    let bytes = far_cells_xlsb();
    assert!(bytes.len() < 4096, "{} bytes", bytes.len());
    for name in ["far.xlsb", "far.xlsx"] {
        let m = check_refused(&bytes, name, &[".xlsb", "không được hỗ trợ"]);
        assert!(m.stderr.contains("Excel Workbook (.xlsx)"), "{}", m.stderr);
    }
}

/// The reference .xls, its workbook stream's first DIMENSIONS record made
/// huge (2^31 rows), then `tweak`ed.
fn xls_with(tweak: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut b = std::fs::read(root.join("tests/fixtures/reference/quang-ngai-2023.xls")).unwrap();
    let at = b.windows(4).position(|w| w == [0x00, 0x02, 0x0E, 0x00]).expect("a DIMENSIONS record");
    b[at + 8..at + 12].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    tweak(&mut b);
    b
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn xls_dimensions_whatever_the_stream_is_called() {
    for name in ["Workbook", "WORKBOOK", "workbook"] {
        let b = xls_with(|b| {
            let at = b.windows(16).position(|w| w == utf16("Workbook")).expect("the Workbook entry");
            b[at..at + 16].copy_from_slice(&utf16(name));
        });
        check_refused(&b, "dim.xls", &["vượt giới hạn", "số ô"]);
    }
    // A mini-stream cutoff other than 4096 (calamine ignores the field).
    let b = xls_with(|b| b[0x38..0x3C].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes()));
    check_refused(&b, "cutoff.xls", &["vượt giới hạn"]);
}

#[test]
fn xls_fat_cycle_is_refused() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut b = std::fs::read(root.join("tests/fixtures/reference/quang-ngai-2023.xls")).unwrap();
    let le32 = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    let ss = 1usize << u16::from_le_bytes([b[0x1E], b[0x1F]]);
    let dir_start = le32(&b, 0x30);
    let per = ss / 4;
    let fat_sector = le32(&b, 0x4C + 4 * (dir_start / per));
    let at = (fat_sector + 1) * ss + 4 * (dir_start % per);
    // The directory's sector points at itself.
    b[at..at + 4].copy_from_slice(&(dir_start as u32).to_le_bytes());
    check_refused(&b, "cycle.xls", &["hỏng"]);
}

/// Two .xls found by `cargo fuzz run read_workbook` (libFuzzer, 2026-12-01):
/// one whose directory chain calamine followed round a cycle until the
/// machine ran out of memory (24 GB in 48 s, from 628 bytes), one that made
/// calamine panic on a short sector. vanban's own walk of the container
/// could not follow either and used to hand them on to calamine.
#[test]
fn fuzzed_xls_containers_are_refused() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["fuzz-dir-cycle.xls", "fuzz-short-sector.xls"] {
        let b = std::fs::read(root.join("tests/fixtures/hostile").join(name)).unwrap();
        check_refused(&b, name, &[]);
    }
}

// ---------------------------------------------------------------------------
// 3. Small files, unbounded memory
// ---------------------------------------------------------------------------

const BOMB: usize = 200 * 1024 * 1024;

fn repeat_into(w: &mut dyn Write, head: &str, byte: u8, n: usize, tail: &str) {
    w.write_all(head.as_bytes()).unwrap();
    let chunk = vec![byte; 1 << 20];
    for _ in 0..n / chunk.len() {
        w.write_all(&chunk).unwrap();
    }
    w.write_all(tail.as_bytes()).unwrap();
}

#[test]
fn xlsx_bombs_are_bounded() {
    let dir = tmp();
    let sst = "xl/sharedStrings.xml";
    // One huge string.
    let one = xlsx_streaming(dir.path(), sst, |w| {
        repeat_into(
            w,
            "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>",
            b'x',
            BOMB,
            "</t></si></sst>",
        )
    });
    assert!(one.len() < 4 * 1024 * 1024, "{}", one.len());
    check_refused(&one, "one.xlsx", &["vượt giới hạn"]);
    // Whitespace between the elements.
    let ws = xlsx_streaming(dir.path(), sst, |w| {
        repeat_into(
            w,
            "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>a</t></si>",
            b' ',
            BOMB,
            "</sst>",
        )
    });
    check_refused(&ws, "ws.xlsx", &["vượt giới hạn", "dung lượng giải nén"]);
    // Many strings.
    let many = xlsx_streaming(dir.path(), sst, |w| {
        w.write_all(b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">").unwrap();
        let block = "<si><t>ab</t></si>".repeat(10_000);
        for _ in 0..150 {
            w.write_all(block.as_bytes()).unwrap();
        }
        w.write_all(b"</sst>").unwrap();
    });
    check_refused(&many, "many.xlsx", &["vượt giới hạn", "số chuỗi"]);
    // One inline-string cell in a sheet.
    let cell = xlsx_streaming(dir.path(), "xl/worksheets/sheet1.xml", |w| {
        repeat_into(
            w,
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>",
            b'y',
            BOMB,
            "</t></is></c></row></sheetData></worksheet>",
        )
    });
    check_refused(&cell, "cell.xlsx", &["vượt giới hạn"]);
}

/// A minimal .ods with `content` as the body of its one table.
fn ods(rows: impl Fn(&mut dyn Write) + 'static) -> Vec<u8> {
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let content = Part::Stream(Box::new(move |w: &mut dyn Write| {
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="ThongTin">"#).unwrap();
        rows(w);
        w.write_all(b"</table:table></office:spreadsheet></office:body></office:document-content>").unwrap();
    }));
    zip_of(vec![
        ("mimetype".into(), Part::Bytes(b"application/vnd.oasis.opendocument.spreadsheet".to_vec())),
        ("META-INF/manifest.xml".into(), Part::Bytes(manifest.as_bytes().to_vec())),
        ("content.xml".into(), content),
    ])
}

const ODS_CELL: &str = r#"<table:table-cell office:value-type="string"><text:p>Mục</text:p></table:table-cell>"#;

#[test]
fn ods_far_cells_repeats_and_rows_are_bounded() {
    // A1 and CV1000000.
    let far = ods(|w| {
        write!(w, "<table:table-row>{ODS_CELL}</table:table-row>").unwrap();
        write!(w, r#"<table:table-row table:number-rows-repeated="999998"><table:table-cell table:number-columns-repeated="100"/></table:table-row>"#).unwrap();
        write!(
            w,
            r#"<table:table-row><table:table-cell table:number-columns-repeated="99"/>{ODS_CELL}</table:table-row>"#
        )
        .unwrap();
    });
    assert!(far.len() < 8 * 1024);
    check_refused(&far, "far.ods", &["vượt giới hạn"]);
    // A value repeated over a huge number of columns and rows.
    let wide = ods(|w| {
        write!(w, r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000000000"/></table:table-row>"#).unwrap();
    });
    check_refused(&wide, "wide.ods", &["vượt giới hạn"]);
    // 200,000 rows, each with a value.
    let rows = ods(|w| {
        for _ in 0..200_000 {
            write!(w, "<table:table-row>{ODS_CELL}</table:table-row>").unwrap();
        }
    });
    check_refused(&rows, "rows.ods", &["vượt giới hạn", "hàng"]);
}

#[test]
fn a_plan_of_too_many_rows_is_refused_while_reading() {
    let dir = tmp();
    let d = dir.path();
    Book::plan(0).sheet("NhiemVu", &TASK_HEADERS, task_rows(100_000)).write(&d.join("big.xlsx"));
    let m =
        refused(d, "big.xlsx", &["plan", "big.xlsx", "-o", "big.pdf", "--ignore-system-fonts"], &["NhiemVu", "hàng"]);
    assert!(m.stderr.contains("vượt giới hạn"), "{}", m.stderr);
    assert!(!d.join("big.pdf").exists());
}

#[test]
fn devices_and_fifos_are_refused_at_once() {
    for dev in ["/dev/zero", "/dev/urandom"] {
        let m = refused(Path::new("."), dev, &["check", dev], &["không phải tệp sổ tính thường"]);
        assert!(m.elapsed < Duration::from_secs(5));
    }
    let dir = tmp();
    let fifo = dir.path().join("pipe.xlsx");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // No writer: must not block.
    let m = refused(dir.path(), "pipe.xlsx", &["check", "pipe.xlsx"], &["FIFO"]);
    assert!(m.elapsed < Duration::from_secs(5), "{:?}", m.elapsed);
    // An endless writer.
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&path) {
            let chunk = vec![0u8; 1 << 16];
            while f.write_all(&chunk).is_ok() {}
        }
    });
    let m = refused(dir.path(), "pipe.xlsx", &["plan", "pipe.xlsx", "-o", "x.pdf"], &["FIFO"]);
    assert!(m.elapsed < Duration::from_secs(5));
    // Unblock the writer if it still waits for a reader.
    let _ = std::fs::File::open(&fifo).map(|mut f| {
        let mut buf = [0u8; 16];
        let _ = f.read(&mut buf);
    });
    drop(writer);
}

// ---------------------------------------------------------------------------
// 4. Template expressions that hang or eat memory
// ---------------------------------------------------------------------------

/// Templates that grow a value past any memory (each measured gigabytes
/// before the bound), and what each must be refused with.
fn template_bombs() -> Vec<(String, &'static str)> {
    let doubling_sets = format!("{{% set a = 'xxxxxxxxxx' %}}{}{{{{ a }}}}", "{% set a = a ~ a %}".repeat(30));
    let repeats = ["('x'*100000000)"; 10].join(" ~ ");
    let nested_with = format!(
        "{}{{{{ a }}}}{}",
        "{% with a = 'xxxxxxxxxx' %}".to_string() + &"{% with a = a ~ a %}".repeat(30),
        "{% endwith %}".repeat(31)
    );
    let nested_for = format!(
        "{}{{{{ a }}}}{}",
        "{% for a in ['xxxxxxxxxx'] %}".to_string() + &"{% for a in [a ~ a] %}".repeat(30),
        "{% endfor %}".repeat(31)
    );
    vec![
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}".to_string(), "bước"),
        ("{{ ('x'*100000000)|replace('x','xxxxxxxxxx') }}".to_string(), "vượt giới hạn"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(28) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"
                .to_string(),
            "{% set %} chỉ dùng được ở ngoài cùng",
        ),
        (doubling_sets, "vượt giới hạn 1.000.000 byte"),
        (format!("{{{{ {repeats} }}}}"), "vượt giới hạn 1.000.000 byte"),
        (nested_with, "vượt giới hạn 1.000.000 byte"),
        (nested_for, "vượt giới hạn 1.000.000 byte"),
        (
            "{% macro m(s, n) %}{% if n %}{{ m(s ~ s, n - 1) }}{% else %}{{ s }}{% endif %}{% endmacro %}{{ m('x', 40) }}"
                .to_string(),
            "lỗi cú pháp",
        ),
        (
            "{% for s in ['x'] recursive %}{% if s|length < 1000000000 %}{{ loop([s ~ s]) }}{% endif %}{% endfor %}"
                .to_string(),
            "recursive",
        ),
        ("{% for i in range(100000) %}{{ 'x' * 900000 }}{% endfor %}".to_string(), "kể cả các vòng lặp"),
        // Within the work bound, but its output passes the limit: the
        // writer stops there.
        ("{% for i in range(100) %}{{ 'x' * 100000 }}{% endfor %}".to_string(), "hơn 1.000.000 byte"),
        ("{{ 'x' * 1000 * 1000 * 1000 * 1000 }}".to_string(), "vượt giới hạn"),
        ("{{ range(100000)|list|batch(100000000, 'x') }}".to_string(), "vượt giới hạn"),
        ("{{ ['x'*100000]|map('replace', 'x', 'xxxxxxxxxx')|join }}".to_string(), "bộ lọc map"),
    ]
}

#[test]
fn a_cell_template_has_bounded_work_and_output() {
    for (text, expect) in template_bombs() {
        let dir = tmp();
        let d = dir.path();
        Book::plan(2).add("Mở đầu", text.as_str()).write(&d.join("t.xlsx"));
        for cmd in ["check", "plan"] {
            let mut args = vec![cmd, "t.xlsx"];
            if cmd == "plan" {
                args.extend(["-o", "t.pdf", "--ignore-system-fonts"]);
            }
            let before = std::fs::read(d.join("t.xlsx")).unwrap();
            let m = measured(d, &args);
            // `plan` names the cell (the file is the one it was given).
            let short: String = text.chars().take(60).collect();
            assert_eq!(m.code, 1, "{args:?} {short}: {}", m.stderr);
            assert!(m.stderr.contains("ThongTin!B") && m.stderr.contains(expect), "{args:?} {short}: {}", m.stderr);
            assert!(
                m.peak < GB && m.elapsed < Duration::from_secs(20),
                "{args:?} {short}: {} MB {:?}",
                m.peak >> 20,
                m.elapsed
            );
            assert_eq!(std::fs::read(d.join("t.xlsx")).unwrap(), before);
            println!("{args:?} {short} ({expect}): exit 1 in {:?}, peak {} MB", m.elapsed, m.peak >> 20);
        }
        assert!(!d.join("t.pdf").exists());
    }
}

// ---------------------------------------------------------------------------
// 5. Interrupted batches
// ---------------------------------------------------------------------------

fn units_book(n: usize) -> Book {
    const UNIT_HEADERS: [&str; 6] = ["Mã", "Tên đơn vị", "Tên viết tắt", "Người ký", "Chức vụ", "Ký hiệu"];
    let units: Vec<Vec<Cell>> =
        (0..n).map(|i| vec![t(format!("U{i:03}")), t(format!("Phòng số {i}")), E, E, E, E]).collect();
    Book::plan(20).sheet("DonVi", &UNIT_HEADERS, units)
}

#[test]
fn an_interrupted_batch_leaves_no_temporary_file() {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        let dir = tmp();
        let d = dir.path();
        units_book(200).write(&d.join("b.xlsx"));
        let out = d.join("out");
        let watch = out.clone();
        let m =
            measured_with(d, &["batch", "b.xlsx", "--out-dir", "out", "--jobs", "2", "--ignore-system-fonts"], |pid| {
                // Once a few files are written, interrupt.
                let start = Instant::now();
                while start.elapsed() < Duration::from_secs(25) {
                    let n = std::fs::read_dir(&watch).map(|r| r.count()).unwrap_or(0);
                    if n >= 3 {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
                // SAFETY: signalling our own child.
                unsafe { libc::kill(pid as i32, sig) };
            });
        assert_eq!(m.code, 128 + sig, "{}", m.stderr);
        assert!(m.stderr.contains("Đã dừng"), "{}", m.stderr);
        let names: Vec<PathBuf> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).collect();
        assert!(names.iter().all(|p| !p.to_string_lossy().ends_with(".tmp")), "{names:?}");
        for p in &names {
            let b = std::fs::read(p).unwrap();
            assert!(b.starts_with(b"%PDF") && b.windows(5).any(|w| w == b"%%EOF"), "{} is whole", p.display());
        }
        let kept = format!("giữ lại {} tệp", names.len());
        assert!(m.stderr.contains(&kept), "«{kept}» not in {}", m.stderr);
    }
}

// ---------------------------------------------------------------------------
// 6. A template's links stay in its folder
// ---------------------------------------------------------------------------

#[test]
fn template_links_out_of_its_folder_are_refused() {
    let dir = tmp();
    let d = dir.path();
    Book::plan(2).write(&d.join("w.xlsx"));
    std::fs::create_dir(d.join("tpl")).unwrap();
    std::os::unix::fs::symlink("/", d.join("tpl/link-root")).unwrap();
    std::fs::write(d.join("tpl/main.typ"), "#read(\"link-root/etc/passwd\")\n").unwrap();
    std::fs::write(d.join("tpl/own.txt"), "riêng\n").unwrap();
    let m = refused(
        d,
        "tpl/main.typ",
        &["plan", "w.xlsx", "-o", "x.pdf", "--template", "tpl/main.typ", "--ignore-system-fonts"],
        &["mẫu Typst", "ngoài thư mục của mẫu"],
    );
    assert!(!d.join("x.pdf").exists());
    assert!(!m.stderr.contains("root:"), "{}", m.stderr);
    // Its own files are still readable.
    std::fs::write(d.join("tpl/main.typ"), "#read(\"own.txt\")\n").unwrap();
    let ok = measured(d, &["plan", "w.xlsx", "-o", "x.pdf", "--template", "tpl/main.typ", "--ignore-system-fonts"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

// ---------------------------------------------------------------------------
// 7. File names: long and Windows-reserved
// ---------------------------------------------------------------------------

#[test]
fn long_and_reserved_unit_names_are_written() {
    const UNIT_HEADERS: [&str; 6] = ["Mã", "Tên đơn vị", "Tên viết tắt", "Người ký", "Chức vụ", "Ký hiệu"];
    let long = |c: char| format!("Phòng {}", c.to_string().repeat(300));
    let units = vec![
        vec![t("CON"), t(long('a')), E, E, E, E],
        vec![t("NUL"), t(long('b')), E, E, E, E],
        vec![t("COM1"), t("Phòng COM"), E, E, E, E],
    ];
    let dir = tmp();
    let d = dir.path();
    Book::plan(3).sheet("DonVi", &UNIT_HEADERS, units).write(&d.join("u.xlsx"));
    for (name, want) in [("{{ don_vi.ten }}", 2), ("{{ don_vi.ma }}", 3)] {
        let out = format!("out-{want}");
        let m = measured(d, &["batch", "u.xlsx", "--out-dir", &out, "--name", name, "--ignore-system-fonts"]);
        let files: Vec<String> = std::fs::read_dir(d.join(&out))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        if want == 3 {
            assert_eq!(m.code, 0, "{}", m.stderr);
            for f in ["con-vb.pdf", "nul-vb.pdf", "com1-vb.pdf"] {
                assert!(files.contains(&f.to_string()), "{f} in {files:?}");
            }
        } else {
            // "Phòng COM" is short; the two long names are distinct and short.
            assert_eq!(m.code, 0, "{}", m.stderr);
            let longs: Vec<&String> = files.iter().filter(|f| f.len() > 30).collect();
            assert_eq!(longs.len(), 2, "{files:?}");
            assert!(longs.iter().all(|f| f.len() <= vanban::vi::fold::MAX_FILE_STEM + 4), "{files:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// Limits and a real workbook
// ---------------------------------------------------------------------------

#[test]
fn a_3000_task_workbook_is_far_inside_every_limit() {
    let dir = tmp();
    let d = dir.path();
    let path = d.join("lon.xlsx");
    Book::plan(3000).write(&path);
    let bytes = std::fs::read(&path).unwrap();
    let parts = unzip(&bytes);
    let biggest = parts.iter().map(|(_, b)| b.len() as u64).max().unwrap();
    let total: u64 = parts.iter().map(|(_, b)| b.len() as u64).sum();
    let sst = &parts.iter().find(|(n, _)| n == "xl/sharedStrings.xml").unwrap().1;
    let strings = String::from_utf8_lossy(sst).matches("<si>").count() as u64;
    let rows = 3001u64;
    let cells = rows * TASK_HEADERS.len() as u64;
    println!(
        "3,000 tasks: file {} KB, biggest part {} KB, all parts {} KB, {strings} strings, {cells} cells",
        bytes.len() / 1024,
        biggest / 1024,
        total / 1024
    );
    // "Far inside": at least ten times under each limit.
    assert!(bytes.len() as u64 * 10 < limits::MAX_FILE_BYTES);
    assert!(biggest * 10 < limits::MAX_PART_BYTES);
    assert!(total * 10 < limits::MAX_TOTAL_BYTES);
    assert!(strings * 10 < limits::MAX_STRINGS);
    assert!(cells * 10 < limits::MAX_CELLS);
    assert!(rows * 10 < limits::MAX_ROWS, "rows {rows}");
    let m = measured(d, &["check", "lon.xlsx"]);
    assert_eq!(m.code, 0, "{}", m.stderr);
    assert!(m.peak < GB);
    println!("check of 3,000 tasks: {:?}, peak {} MB", m.elapsed, m.peak / (1024 * 1024));
}

#[test]
fn the_limits_are_documented_with_their_numbers() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/gioi-han.md")).unwrap();
    for n in [
        limits::MAX_FILE_BYTES / (1024 * 1024),
        limits::MAX_PART_BYTES / (1024 * 1024),
        limits::MAX_TOTAL_BYTES / (1024 * 1024),
        limits::MAX_PARTS,
        limits::MAX_STRINGS,
        limits::MAX_SHARED_FORMULA,
        limits::MAX_CELLS,
        limits::MAX_ROWS,
        limits::MAX_COLUMNS,
        limits::MAX_CELL_CHARS,
        limits::MAX_TEMPLATE_FUEL,
        limits::MAX_TEMPLATE_BYTES,
        limits::MAX_TEMPLATE_WORK,
    ] {
        assert!(doc.contains(&limits::grouped(n)), "docs/gioi-han.md lacks {}", limits::grouped(n));
    }
    assert!(doc.contains("3.000"), "the doc says where a real workbook stands");
}
