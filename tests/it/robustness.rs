//! No input may panic the reader: bounded, reproducible property tests that
//! feed arbitrary bytes, byte-mutated real workbooks, XML-mutated workbooks
//! and workbooks of random cell values to `read_workbook_bytes`, and every
//! workbook it accepts on through the checks and the document builders
//! (plan, unit plan, report; no rendering).
//!
//! Fixed case counts and a fixed seed keep CI fast (a few seconds in
//! release mode) and failures reproducible; `fuzz/` has a `cargo fuzz`
//! target for longer, coverage-guided runs.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRunner};

use vanban::workbook::read_workbook_bytes;

use crate::common::{formula, t, Book, Cell, Sheet, E};

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(0x7661_6e62_616e),
        // Shrinking a failure on a 40 kB input can take long; the seed
        // already reproduces it.
        max_shrink_iters: 200,
        ..Config::default()
    }
}

/// How far an input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    /// Refused as a file (one error naming it).
    Refused,
    /// Read, with errors: checked, not built.
    Read,
    /// Read without error and built (plan, unit plan, four reports).
    Built,
}

/// Reads the bytes and, when they give a workbook, runs everything `check`
/// runs on it; asserts the invariants of the reader's answer.
fn exercise(bytes: &[u8], ext: &str) -> Reach {
    let name = format!("fuzz.{ext}");
    let (wb, diags) = read_workbook_bytes(bytes, &name, Some(ext));
    for d in &diags.items {
        assert_eq!(d.loc.file.as_deref(), Some(name.as_str()), "every problem names the file: {d:?}");
        assert!(!d.message.is_empty());
    }
    let Some(mut wb) = wb else {
        assert_eq!(diags.errors().count(), 1, "an unreadable file gives exactly one error: {diags:?}");
        return Reach::Refused;
    };
    let _ = vanban::check::legacy_encoding(&mut wb, true);
    let _ = vanban::check::domain(&wb);
    if diags.has_errors() {
        return Reach::Read;
    }
    let _ = vanban::document::build_all(&wb, &vanban::text::environment(), &[1, 2, 3, 4]);
    Reach::Built
}

/// Runs `cases` inputs of a strategy through `test`; returns how many got
/// how far, to assert that the inputs reach past the file checks.
fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Reach) -> [u32; 3]
where
    S::Value: std::fmt::Debug,
{
    let counts = std::cell::RefCell::new([0u32; 3]);
    // `VANBAN_ROBUSTNESS_SCALE=N` runs N times the cases (long local runs in
    // place of the libFuzzer target; CI uses the default of 1).
    let scale = std::env::var("VANBAN_ROBUSTNESS_SCALE").ok().and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1);
    let mut runner = TestRunner::new(config(cases.saturating_mul(scale)));
    let result = runner.run(&strategy, |v| {
        let reach = test(v);
        counts.borrow_mut()[reach as usize] += 1;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let c = counts.into_inner();
    println!("refused {}, read with errors {}, built {}", c[0], c[1], c[2]);
    c
}

/// The real workbooks: the sample and the reference plans (xlsx, xls, ods).
fn seeds() -> &'static [(String, Vec<u8>)] {
    static SEEDS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = vec![root.join("data/ke-hoach-mau.xlsx")];
        let mut refs: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/reference"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("xlsx" | "xls" | "ods")))
            .collect();
        refs.sort();
        paths.extend(refs);
        paths
            .into_iter()
            .map(|p| (p.extension().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
            .collect()
    })
}

#[test]
fn seeds_are_read_without_error() {
    assert!(seeds().len() >= 9);
    for (ext, bytes) in seeds() {
        let (wb, d) = read_workbook_bytes(bytes, "seed", Some(ext));
        assert!(wb.is_some() && !d.has_errors(), "{ext}: {d:?}");
        assert_eq!(exercise(bytes, ext), Reach::Built);
    }
}

// ---------------------------------------------------------------------------
// Arbitrary bytes
// ---------------------------------------------------------------------------

const PREFIXES: &[&[u8]] = &[
    b"",
    b"PK\x03\x04",
    b"PK\x05\x06",
    &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
    b"<html><table>",
    b"\xEF\xBB\xBFSTT;N\xC3\xB4i dung\n",
];

/// Random bytes, some behind the magic bytes of a zip, an OLE file or an
/// HTML page, so that each format's opener is reached.
#[test]
fn arbitrary_bytes_never_panic() {
    let strategy = (
        0..PREFIXES.len(),
        prop::collection::vec(any::<u8>(), 0..3000),
        prop::sample::select(vec!["xlsx", "xls", "ods", "csv"]),
    );
    run(500, strategy, |(prefix, body, ext)| {
        let mut bytes = PREFIXES[prefix].to_vec();
        bytes.extend(body);
        exercise(&bytes, ext)
    });
}

// ---------------------------------------------------------------------------
// Byte mutations of real workbooks
// ---------------------------------------------------------------------------

/// One edit of a byte string; positions are fractions of its length so that
/// the same edit applies to any seed.
#[derive(Debug, Clone)]
enum Edit {
    Flip {
        at: u32,
        mask: u8,
    },
    Set {
        at: u32,
        byte: u8,
    },
    Truncate {
        at: u32,
    },
    Insert {
        at: u32,
        bytes: Vec<u8>,
    },
    Remove {
        at: u32,
        len: u16,
    },
    /// Copies a slice of the input over another place (repeats structure).
    Copy {
        from: u32,
        to: u32,
        len: u16,
    },
    /// A 16- or 32-bit field set to an extreme value (sizes, counts, offsets).
    Extreme {
        at: u32,
        wide: bool,
        value: u8,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<u32>(), 1u8..=255).prop_map(|(at, mask)| Edit::Flip { at, mask }),
        2 => (any::<u32>(), any::<u8>()).prop_map(|(at, byte)| Edit::Set { at, byte }),
        1 => any::<u32>().prop_map(|at| Edit::Truncate { at }),
        1 => (any::<u32>(), prop::collection::vec(any::<u8>(), 1..64)).prop_map(|(at, bytes)| Edit::Insert { at, bytes }),
        1 => (any::<u32>(), 1u16..512).prop_map(|(at, len)| Edit::Remove { at, len }),
        1 => (any::<u32>(), any::<u32>(), 1u16..2048).prop_map(|(from, to, len)| Edit::Copy { from, to, len }),
        2 => (any::<u32>(), any::<bool>(), 0u8..4).prop_map(|(at, wide, value)| Edit::Extreme { at, wide, value }),
    ]
}

fn pos(at: u32, len: usize) -> usize {
    if len == 0 {
        0
    } else {
        ((u64::from(at) * len as u64) >> 32) as usize
    }
}

fn apply(bytes: &mut Vec<u8>, e: &Edit) {
    let n = bytes.len();
    match e {
        Edit::Flip { at, mask } if n > 0 => bytes[pos(*at, n)] ^= mask,
        Edit::Set { at, byte } if n > 0 => bytes[pos(*at, n)] = *byte,
        Edit::Truncate { at } => bytes.truncate(pos(*at, n)),
        Edit::Insert { at, bytes: b } => {
            let p = pos(*at, n + 1).min(n);
            bytes.splice(p..p, b.iter().copied());
        }
        Edit::Remove { at, len } => {
            let p = pos(*at, n);
            let end = (p + usize::from(*len)).min(n);
            bytes.drain(p..end);
        }
        Edit::Copy { from, to, len } if n > 0 => {
            let f = pos(*from, n);
            let t = pos(*to, n);
            let l = usize::from(*len).min(n - f).min(n - t);
            let chunk = bytes[f..f + l].to_vec();
            bytes[t..t + l].copy_from_slice(&chunk);
        }
        Edit::Extreme { at, wide, value } if n > 0 => {
            let v: [u8; 4] = match value {
                0 => [0xFF; 4],
                1 => [0; 4],
                2 => [0xFF, 0xFF, 0xFF, 0x7F],
                _ => [0x01, 0x00, 0x00, 0x80],
            };
            let w = if *wide { 4 } else { 2 };
            let p = pos(*at, n).min(n.saturating_sub(w));
            let end = (p + w).min(n);
            bytes[p..end].copy_from_slice(&v[..end - p]);
        }
        _ => {}
    }
}

/// A real workbook with one to six random edits of its bytes.
#[test]
fn mutated_workbooks_never_panic() {
    let strategy = (any::<prop::sample::Index>(), prop::collection::vec(edit(), 1..6));
    let c = run(600, strategy, |(seed, edits)| {
        let (ext, original) = &seeds()[seed.index(seeds().len())];
        let mut bytes = original.clone();
        for e in &edits {
            apply(&mut bytes, e);
        }
        exercise(&bytes, ext)
    });
    assert!(c[1] + c[2] >= 20, "too few mutated workbooks were read at all: {c:?}");
}

// ---------------------------------------------------------------------------
// XML mutations inside a well-formed zip
// ---------------------------------------------------------------------------
//
// A byte edit of a deflated zip part mostly gives a damaged zip, which is
// refused early. To reach the XML readers, the parts of a small workbook are
// kept as text, edited, and stored (uncompressed) in a zip with correct
// CRCs.

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A zip of stored (uncompressed) entries.
fn stored_zip(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes()); // version needed
            v.extend(0u16.to_le_bytes()); // flags
            v.extend(0u16.to_le_bytes()); // stored
            v.extend(0u16.to_le_bytes()); // time
            v.extend(0x21u16.to_le_bytes()); // date 1980-01-01
            v.extend(crc.to_le_bytes());
            v.extend(size.to_le_bytes());
            v.extend(size.to_le_bytes());
            v.extend((name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes()); // extra
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(name.as_bytes());
        out.extend(data);

        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // made by
        common(&mut central);
        central.extend([0u8; 8]); // comment len, disk, internal attr, (2 of) external attr
        central.extend([0u8; 2]); // rest of external attr
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn sheet_xml(rows: &[&[&str]]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:H8"/><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        s.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            if v.is_empty() {
                continue;
            }
            if let Some(n) = v.strip_prefix('=') {
                s.push_str(&format!(r#"<c r="{at}"><v>{n}</v></c>"#));
            } else if let Some(i) = v.strip_prefix('#') {
                s.push_str(&format!(r#"<c r="{at}" t="s"><v>{i}</v></c>"#));
            } else {
                s.push_str(&format!(r#"<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>"#));
            }
        }
        s.push_str("</row>");
    }
    s.push_str(r#"</sheetData><mergeCells count="1"><mergeCell ref="B2:C2"/></mergeCells></worksheet>"#);
    s
}

/// The parts of a small valid workbook: ThongTin, NhiemVu (with shared
/// strings, a number, a date serial), DonVi.
fn xml_parts() -> Vec<(&'static str, String)> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet3.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="false"/><sheets><sheet name="ThongTin" sheetId="1" r:id="rId1"/><sheet name="NhiemVu" sheetId="2" r:id="rId2"/><sheet name="DonVi" sheetId="3" r:id="rId3"/></sheets><definedNames><definedName name="_xlnm.Print_Area" localSheetId="1">NhiemVu!$A$1:$H$8</definedName></definedNames></workbook>"#;
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    let shared = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>Rà soát thủ tục {{ nam }}</t></si><si><r><rPr><b/></rPr><t>Công khai</t></r><r><t xml:space="preserve"> thủ tục</t></r></si><si><t>Quý III/2021</t></si></sst>"#;
    let styles = r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="9" applyNumberFormat="1"/></cellXfs></styleSheet>"#;
    let thong_tin = sheet_xml(&[
        &["Mục", "Giá trị"],
        &["Cơ quan ban hành", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"],
        &["Ký hiệu", "KH-SNNPTNT"],
        &["Địa danh", "An Giang"],
        &["Năm", "=2021"],
        &["Trích yếu", "Khắc phục, nâng cao chỉ số"],
        &["Chức vụ người ký", "PHÓ GIÁM ĐỐC"],
        &["Người ký", "Võ Thị Thanh Vân"],
    ]);
    let mut nhiem_vu = sheet_xml(&[
        &["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn", "Ngày hoàn thành", "Tiến độ (%)"],
        &["=1", "#0", "VPS", "CCTY", "#2", "", "=0.5"],
        &["=2", "#1", "CCTY", "", "Năm 2021", "=44300", "=100"],
    ]);
    // A date-styled cell and a percent-styled cell.
    nhiem_vu = nhiem_vu.replace(r#"<c r="F3">"#, r#"<c r="F3" s="1">"#).replace(r#"<c r="G2">"#, r#"<c r="G2" s="2">"#);
    let don_vi = sheet_xml(&[&["Mã", "Tên đơn vị"], &["VPS", "Văn phòng Sở"], &["CCTY", "Chi cục Thú y"]]);
    vec![
        ("[Content_Types].xml", ct.to_string()),
        ("_rels/.rels", rels.to_string()),
        ("xl/workbook.xml", workbook.to_string()),
        ("xl/_rels/workbook.xml.rels", wb_rels.to_string()),
        ("xl/sharedStrings.xml", shared.to_string()),
        ("xl/styles.xml", styles.to_string()),
        ("xl/worksheets/sheet1.xml", thong_tin),
        ("xl/worksheets/sheet2.xml", nhiem_vu),
        ("xl/worksheets/sheet3.xml", don_vi),
    ]
}

#[test]
fn hand_made_xlsx_is_valid() {
    let parts = xml_parts();
    let entries: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, s)| (*n, s.as_bytes().to_vec())).collect();
    let bytes = stored_zip(&entries);
    let (wb, d) = read_workbook_bytes(&bytes, "x.xlsx", Some("xlsx"));
    let wb = wb.expect("read");
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(wb.tasks.len(), 2);
    assert_eq!(wb.units.len(), 2);
    assert_eq!(wb.tasks[0].progress.as_ref().unwrap().value, 50.0);
    assert_eq!(exercise(&bytes, "xlsx"), Reach::Built);
}

/// Text likely to upset an XML or cell reader.
const XML_SNIPPETS: &[&str] = &[
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "&#xFFFF;",
    "&bogus;",
    "\"",
    "'",
    "]]>",
    "<![CDATA[x]]>",
    "<!--",
    "-->",
    "<c r=\"XFD1048576\"><v>1</v></c>",
    "<c r=\"A0\"><v>1</v></c>",
    "<c r=\"\"/>",
    "<c t=\"e\"><v>#REF!</v></c>",
    "<c r=\"B2\" t=\"s\"><v>99999</v></c>",
    "<c r=\"B2\" t=\"s\"><v>-1</v></c>",
    "<c r=\"C3\" s=\"9999\"><v>1</v></c>",
    "<c r=\"C3\" t=\"b\"><v>2</v></c>",
    "<c r=\"C3\" t=\"d\"><v>2021-02-31</v></c>",
    "<c r=\"D4\"><f>1/0</f></c>",
    "<row r=\"0\">",
    "<row r=\"4294967295\">",
    "</row>",
    "<mergeCell ref=\"A1:XFD1048576\"/>",
    "<mergeCell ref=\"Z9:A1\"/>",
    "<dimension ref=\"A1:XFD1048576\"/>",
    "sheet",
    "rId9",
    "xl/worksheets/sheet9.xml",
    "../../etc/passwd",
    "\u{0}",
    "\u{FEFF}",
    "\u{202E}",
    "ế",
    "KÕ ho¹ch",
    "{{",
    "}}",
    "{% for x in y %}",
    "{{ nam | so }}",
    "1e308",
    "NaN",
    "-0",
    "\r\n",
    "_x000D_",
    "_xFFFF_",
];

/// Values for the size fields calamine allocates by.
const SIZES: &[&str] = &[
    "0",
    "1",
    "65535",
    "1048576",
    "4294967295",
    "100000000000",
    "10000000000000",
    "10000000000000000",
    "18446744073709551615",
    "99999999999999999999999",
    "-1",
];

/// The size fields of an .xlsx: the shared strings' counts, a sheet's
/// dimension, a shared formula's `si`, a row number.
const SIZE_FIELDS: usize = 6;

/// Sets size field `field` of the parts to `SIZES[value]`.
fn set_size(parts: &mut [(&str, Option<Vec<u8>>)], field: usize, value: usize) {
    let v = SIZES[value % SIZES.len()];
    let edit = |parts: &mut [(&str, Option<Vec<u8>>)], name: &str, f: &dyn Fn(String) -> String| {
        if let Some((_, Some(b))) = parts.iter_mut().find(|(n, _)| *n == name) {
            *b = f(String::from_utf8_lossy(b).into_owned()).into_bytes();
        }
    };
    match field % SIZE_FIELDS {
        0 => {
            edit(parts, "xl/sharedStrings.xml", &|x| x.replace(r#"uniqueCount="3""#, &format!(r#"uniqueCount="{v}""#)))
        }
        1 => edit(parts, "xl/sharedStrings.xml", &|x| x.replace(r#"count="3" "#, &format!(r#"count="{v}" "#))),
        2 => edit(parts, "xl/worksheets/sheet2.xml", &|x| {
            x.replace(r#"<dimension ref="A1:H8"/>"#, &format!(r#"<dimension ref="A1:XFD{v}"/>"#))
        }),
        3 => edit(parts, "xl/worksheets/sheet2.xml", &|x| {
            x.replace(
                r#"<c r="A3"><v>2</v></c>"#,
                &format!(r#"<c r="A3"><f t="shared" ref="A3:A9" si="{v}">A2+1</f><v>2</v></c>"#),
            )
        }),
        4 => edit(parts, "xl/worksheets/sheet2.xml", &|x| x.replace(r#"<row r="3">"#, &format!(r#"<row r="{v}">"#))),
        _ => edit(parts, "xl/worksheets/sheet2.xml", &|x| {
            x.replace(r#"<c r="A3"><v>2</v></c>"#, &format!(r#"<c r="A3"><f t="shared" si="{v}"/><v>2</v></c>"#))
        }),
    }
}

#[derive(Debug, Clone)]
enum XmlEdit {
    /// A size field set to an extreme value (see [`SIZES`]).
    Size {
        field: usize,
        value: usize,
    },
    Insert {
        part: usize,
        at: u32,
        text: usize,
    },
    Delete {
        part: usize,
        at: u32,
        len: u16,
    },
    Byte {
        part: usize,
        at: u32,
        byte: u8,
    },
    Drop {
        part: usize,
    },
}

fn xml_edit() -> impl Strategy<Value = XmlEdit> {
    prop_oneof![
        4 => (0usize..9, any::<u32>(), 0..XML_SNIPPETS.len()).prop_map(|(part, at, text)| XmlEdit::Insert { part, at, text }),
        2 => (0usize..9, any::<u32>(), 1u16..200).prop_map(|(part, at, len)| XmlEdit::Delete { part, at, len }),
        2 => (0usize..9, any::<u32>(), any::<u8>()).prop_map(|(part, at, byte)| XmlEdit::Byte { part, at, byte }),
        1 => (0usize..9).prop_map(|part| XmlEdit::Drop { part }),
        2 => (0..SIZE_FIELDS, 0..SIZES.len()).prop_map(|(field, value)| XmlEdit::Size { field, value }),
    ]
}

/// The parts of a valid .xlsx with random edits to their XML, zipped again
/// with correct checksums.
#[test]
fn mutated_xml_never_panics() {
    let c = run(600, prop::collection::vec(xml_edit(), 1..5), |edits| {
        let mut parts: Vec<(&str, Option<Vec<u8>>)> =
            xml_parts().into_iter().map(|(n, s)| (n, Some(s.into_bytes()))).collect();
        for e in &edits {
            match e {
                XmlEdit::Size { field, value } => set_size(&mut parts, *field, *value),
                XmlEdit::Insert { part, at, text } => {
                    if let Some(b) = &mut parts[*part].1 {
                        let p = pos(*at, b.len());
                        b.splice(p..p, XML_SNIPPETS[*text].bytes());
                    }
                }
                XmlEdit::Delete { part, at, len } => {
                    if let Some(b) = &mut parts[*part].1 {
                        let p = pos(*at, b.len());
                        let end = (p + usize::from(*len)).min(b.len());
                        b.drain(p..end);
                    }
                }
                XmlEdit::Byte { part, at, byte } => {
                    if let Some(b) = &mut parts[*part].1 {
                        if !b.is_empty() {
                            let p = pos(*at, b.len());
                            b[p] = *byte;
                        }
                    }
                }
                XmlEdit::Drop { part } => parts[*part].1 = None,
            }
        }
        let entries: Vec<(&str, Vec<u8>)> = parts.into_iter().filter_map(|(n, b)| b.map(|b| (n, b))).collect();
        exercise(&stored_zip(&entries), "xlsx")
    });
    assert!(c[2] >= 40, "too few edited workbooks reached the builders: {c:?}");
}

// ---------------------------------------------------------------------------
// Random cell values in a valid workbook
// ---------------------------------------------------------------------------

/// Texts the value readers must survive: dates (possible and not), numbers
/// in every form, Cấp values, deadlines, templates (valid, invalid,
/// undefined), legacy encodings, unit lists, markup, odd Unicode.
const TEXTS: &[&str] = &[
    "",
    " ",
    "31/02/2021",
    "29/02/2024",
    "29/02/2023",
    "00/00/0000",
    "1/1/1",
    "2021-13-01",
    "32-01-2021",
    "10,5",
    "1.234,5",
    "-0",
    "1e400",
    "NaN",
    "inf",
    "85%",
    "150",
    "-5",
    "1",
    "2",
    "3",
    "4",
    "5",
    "-",
    "+",
    "–",
    "NHIEMVU",
    "CHISO",
    "nhiệm vụ",
    "Quý V/2021",
    "Quý III/2021",
    "Tháng 13/2021",
    "Tháng 2/2021",
    "Trước ngày 31/02/2021",
    "6 tháng đầu năm",
    "Năm 99999",
    "Thường xuyên",
    "{{ nam }}",
    "{{ nam | so }}",
    "{{ nam + }}",
    "{{ x.y.z }}",
    "{% if nam %}có{% endif %}",
    "{% for x in nam %}{{ x }}{% endfor %}",
    "{{ 1/0 }}",
    "{{ chi_so.CCHC.muc_tieu }}",
    "{{ don_vi.ten }}",
    "{{ thong_ke.tong }}",
    "{{ nam | ngay }}",
    "{{ 'x' | la_ma }}",
    "{{ range(1000000) | length }}",
    "KÕ ho¹ch",
    "Keá hoaïch",
    "VPS; CCTY, PKH\nSở Nội vụ",
    ";;;,,,",
    "**đậm",
    "*nghiêng* **đậm**",
    "# $ @ < [ \\ _",
    "#let x = 1",
    "\u{0}\u{1}\u{7}",
    "\u{FEFF}\u{200B}",
    "\u{202E}abc",
    "ế\u{301}",
    "🙂",
    "a\r\nb\rc",
    "_x000D_",
    "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
    "GIÁM ĐỐC",
    "BC-SNN",
    "KH-SNNPTNT",
    "../../x",
    "***",
    "Tổng",
    "TONG",
    "7/17",
    "x/20",
    "Hoàn thành",
    "Đang thực hiện",
    "bảng",
    "văn xuôi",
    "phụ lục",
    "a)",
    "1.1.",
];

/// One cell value: text, number, Excel error (a formula's cached result)
/// or boolean.
fn val() -> impl Strategy<Value = Cell> {
    prop_oneof![
        6 => prop::sample::select(TEXTS).prop_map(Cell::from),
        2 => "\\PC{0,40}".prop_map(Cell::from),
        2 => prop_oneof![
            any::<f64>(),
            Just(0.0),
            Just(0.5),
            Just(44377.0),
            Just(-1.0),
            Just(2_958_466.0),
            Just(1e300),
            (0.0f64..200.0),
        ]
        .prop_map(Cell::N),
        1 => prop::sample::select(vec!["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]).prop_map(|e| formula("=1/0", e)),
        1 => any::<bool>().prop_map(Cell::B),
    ]
}

/// Sheet names of the contract, and some that are not.
const SHEETS: &[&str] =
    &["ThongTin", "NoiDung", "NhiemVu", "ChiSo", "DonVi", "BaoCao", "Sheet1", "Nhiệm vụ", "THONG TIN"];
/// Every header the reader knows (names and aliases, from its own table),
/// and a near miss.
fn headers() -> &'static [&'static str] {
    static HEADERS: OnceLock<Vec<&'static str>> = OnceLock::new();
    HEADERS.get_or_init(|| {
        let known = vanban::workbook::schema::SHEETS.iter().flat_map(|s| s.columns);
        let mut h: Vec<&str> = known.flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied())).collect();
        h.push("Nôi dug");
        h
    })
}
/// Every ThongTin/BaoCao label, from the reader's own table.
fn labels() -> Vec<&'static str> {
    vanban::workbook::model::InfoKey::ALL.iter().map(|(_, label, _)| *label).collect()
}

/// A sheet: a name, a header row (or none), and rows of random cells.
#[derive(Debug, Clone)]
struct RandSheet {
    name: usize,
    header_row: u32,
    headers: Vec<usize>,
    rows: Vec<Vec<Option<Cell>>>,
}

fn rand_sheet() -> impl Strategy<Value = RandSheet> {
    (
        0..SHEETS.len(),
        0u32..3,
        prop::collection::vec(0..headers().len(), 0..9),
        prop::collection::vec(prop::collection::vec(prop::option::weighted(0.8, val()), 0..9), 0..12),
    )
        .prop_map(|(name, header_row, headers, rows)| RandSheet { name, header_row, headers, rows })
}

/// A ThongTin of random label/value pairs that usually has the required
/// labels, so that the builders are reached.
fn rand_info() -> impl Strategy<Value = Vec<(usize, Cell)>> {
    prop::collection::vec((0..labels().len(), val()), 0..12)
}

/// The workbook of a random ThongTin (after the required labels when
/// `valid_info`) and random sheets; a sheet whose name is taken already
/// (as Excel compares names) is left out.
fn rand_book(info: &[(usize, Cell)], sheets: &[RandSheet], valid_info: bool) -> Vec<u8> {
    let required: &[(&str, &str)] = if valid_info {
        &[
            ("Cơ quan ban hành", "SỞ NÔNG NGHIỆP"),
            ("Ký hiệu", "KH-SNN"),
            ("Địa danh", "An Giang"),
            ("Năm", "2021"),
            ("Trích yếu", "Kế hoạch"),
            ("Chức vụ người ký", "GIÁM ĐỐC"),
            ("Người ký", "Nguyễn Văn A"),
        ]
    } else {
        &[]
    };
    let pairs: Vec<(&str, Cell)> =
        required.iter().map(|(l, v)| (*l, t(*v))).chain(info.iter().map(|(l, v)| (labels()[*l], v.clone()))).collect();
    let mut book = Book::new().info(&pairs);
    let mut used: Vec<String> = vec!["thongtin".into()];
    for s in sheets {
        let name = SHEETS[s.name];
        let key = name.to_lowercase().replace(' ', "");
        if used.contains(&key) || used.contains(&vanban::vi::fold::match_key(name)) {
            continue;
        }
        used.push(key);
        used.push(vanban::vi::fold::match_key(name));
        // Empty rows above the header row, then the header, then the body.
        let mut rows = vec![Vec::new(); s.header_row as usize];
        rows.push(s.headers.iter().map(|h| Cell::from(headers()[*h])).collect());
        rows.extend(s.rows.iter().map(|r| r.iter().map(|v| v.clone().unwrap_or(E)).collect()));
        book.sheets.push(Sheet { name: name.to_string(), rows });
    }
    book.bytes()
}

/// Workbooks that open fine but hold random values, headers and labels.
#[test]
fn random_cell_values_never_panic() {
    let strategy = (rand_info(), prop::collection::vec(rand_sheet(), 0..5), prop::bool::weighted(0.8));
    let c = run(300, strategy, |(info, sheets, valid_info)| exercise(&rand_book(&info, &sheets, valid_info), "xlsx"));
    assert_eq!(c[0], 0, "rust_xlsxwriter's workbooks always open: {c:?}");
    assert!(c[2] >= 10, "too few random workbooks reached the builders: {c:?}");
}

// ---------------------------------------------------------------------------
// Size fields: .ods repeats and far cells, .xls container and DIMENSIONS
// ---------------------------------------------------------------------------

/// One row of a generated .ods table: how often it repeats, and its cells
/// (columns repeated, with a value or not).
fn ods_bytes(rows: &[(u64, Vec<(u64, bool)>)]) -> Vec<u8> {
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="ThongTin"><table:table-row><table:table-cell office:value-type="string"><text:p>Mục</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Giá trị</text:p></table:table-cell></table:table-row>"#,
    );
    for (repeat, cells) in rows {
        content.push_str(&format!(r#"<table:table-row table:number-rows-repeated="{repeat}">"#));
        for (cols, filled) in cells {
            if *filled {
                content.push_str(&format!(r#"<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="{cols}"><text:p>1</text:p></table:table-cell>"#));
            } else {
                content.push_str(&format!(r#"<table:table-cell table:number-columns-repeated="{cols}"/>"#));
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;
    stored_zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
        ("META-INF/manifest.xml", manifest.as_bytes().to_vec()),
        ("content.xml", content.into_bytes()),
    ])
}

/// Repeat counts near and past every limit (and calamine's own caps).
fn repeat_count() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => 1u64..4,
        1 => Just(16_384u64),
        1 => Just(16_385u64),
        1 => Just(50_001u64),
        1 => Just(999_998u64),
        1 => Just(1_048_576u64),
        1 => Just(1_000_000_000u64),
        1 => Just(u64::from(u32::MAX)),
    ]
}

/// .ods tables of random row and column repeats, with values far apart:
/// refused or read, never a runaway allocation.
#[test]
fn ods_repeats_never_blow_up() {
    let row = (repeat_count(), prop::collection::vec((repeat_count(), any::<bool>()), 0..4));
    run(300, prop::collection::vec(row, 0..5), |rows| exercise(&ods_bytes(&rows), "ods"));
}

/// The reference .xls with its container fields (sector shift, directory
/// start, mini-stream cutoff, FAT entries) and DIMENSIONS records set to
/// extreme values.
#[test]
fn xls_size_fields_never_blow_up() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = std::fs::read(root.join("tests/fixtures/reference/quang-ngai-2023.xls")).unwrap();
    let dims: Vec<usize> =
        base.windows(4).enumerate().filter(|(_, w)| *w == [0x00, 0x02, 0x0E, 0x00]).map(|(i, _)| i).collect();
    assert!(!dims.is_empty());
    let fat0 = u32::from_le_bytes(base[0x4C..0x50].try_into().unwrap()) as usize;
    let strategy = prop::collection::vec((0usize..6, any::<u32>(), 0u8..5), 1..4);
    run(300, strategy, |edits| {
        let mut b = base.clone();
        for (field, at, value) in &edits {
            let v: u32 = match value {
                0 => u32::MAX,
                1 => 0,
                2 => 0x7FFF_FFFF,
                3 => *at,
                _ => (*at % 64) + 1,
            };
            let put = |b: &mut Vec<u8>, off: usize, v: u32| {
                if off + 4 <= b.len() {
                    b[off..off + 4].copy_from_slice(&v.to_le_bytes());
                }
            };
            match field {
                0 => put(&mut b, 0x38, v),                                              // mini-stream cutoff
                1 => put(&mut b, 0x30, v % 256),                                        // directory start
                2 => put(&mut b, (fat0 + 1) * 512 + 4 * (*at as usize % 128), v % 256), // a FAT entry (cycles)
                3 => put(&mut b, dims[*at as usize % dims.len()] + 8, v),               // DIMENSIONS last row
                4 => put(&mut b, dims[*at as usize % dims.len()] + 4, v),               // DIMENSIONS first row
                _ => {
                    // The workbook stream's name in another case.
                    let name: Vec<u8> = "Workbook".encode_utf16().flat_map(u16::to_le_bytes).collect();
                    let upper: Vec<u8> = "WORKBOOK".encode_utf16().flat_map(u16::to_le_bytes).collect();
                    if let Some(p) = b.windows(16).position(|w| w == name.as_slice()) {
                        b[p..p + 16].copy_from_slice(&upper);
                    }
                }
            }
        }
        exercise(&b, "xls")
    });
}
