//! Structured mutations of a workbook, shared by the libFuzzer target's
//! custom mutator and the libFuzzer-free driver (`fuzz/driver.rs`): besides
//! blind byte edits, they go for the size fields the reader allocates by —
//! shared-string counts, `si`, dimensions and cell references, `.ods`
//! repeats, duplicated rows and strings, and in an `.xls` the container
//! (sector shift, mini-stream cutoff, FAT entries, the stream's name) and
//! the DIMENSIONS record — and put template bombs in cell text.

use std::io::{Cursor, Read, Write};

/// A small deterministic generator (xorshift64*), so a run is reproducible
/// from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Numbers a size field is set to.
const SIZES: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "16384",
    "16385",
    "50001",
    "100001",
    "1000001",
    "1048576",
    "2000001",
    "4294967295",
    "4294967296",
    "10000000000000",
    "10000000000000000",
    "18446744073709551615",
    "99999999999999999999999",
    "1e9",
    "abc",
    "",
];

/// Cell references and ranges set into `r=` and `ref=`.
const REFS: &[&str] =
    &["A1", "XFD1", "A1048576", "XFD1048576", "A1:XFD1048576", "CV1000000", "A0", "ZZZZ1", "A1:A1", "B2:A1"];

/// Attributes whose value is a size or a place.
const SIZE_ATTRS: &[&str] = &[
    "uniqueCount=\"",
    "count=\"",
    "si=\"",
    "ref=\"",
    " r=\"",
    "table:number-columns-repeated=\"",
    "table:number-rows-repeated=\"",
    "table:number-columns-spanned=\"",
    "table:number-rows-spanned=\"",
    "ht=\"",
    "spans=\"",
];

/// Elements duplicated many times (rows, strings, cells).
const ELEMENTS: &[(&str, &str)] = &[
    ("<row", "</row>"),
    ("<si>", "</si>"),
    ("<c ", "</c>"),
    ("<table:table-row", "</table:table-row>"),
    ("<table:table-cell", "</table:table-cell>"),
    ("<mergeCell ", "/>"),
];

/// Cell texts that try to make a template grow or run forever.
const TEMPLATES: &[&str] = &[
    "{{ 'x' * 100000000 }}",
    "{{ ('x'*100000000)|replace('x','xxxxxxxxxx') }}",
    "{% set a = 'xxxxxxxxxx' %}{% set a = a ~ a %}{% set a = a ~ a %}{% set a = a ~ a %}{% set a = a ~ a %}{{ a }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(100) %}{{ 'x' * 100000 }}{% endfor %}",
    "{% set ns = namespace(s='x') %}{% for i in range(28) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "{{ range(100000)|list|batch(100000000, 'x') }}",
    "{{ nam ~ nam ~ nam }} {{ van_ban | string | upper }}",
    "{{ x }}",
    "{%",
];

/// One mutant of `seed`: one to four edits, structured when the seed is a
/// zip or an OLE container, blind bytes otherwise or sometimes.
pub fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        out = if out.starts_with(b"PK\x03\x04") && rng.chance(75) {
            mutate_zip(&out, rng).unwrap_or_else(|| bytes(&out, rng))
        } else if out.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) && rng.chance(75) {
            mutate_cfb(&out, rng)
        } else {
            bytes(&out, rng)
        };
    }
    out
}

/// Blind edits: flips, interesting bytes, inserted, deleted or repeated
/// ranges, truncation.
pub fn bytes(data: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = data.to_vec();
    if b.is_empty() {
        b.push(0);
    }
    let at = rng.below(b.len());
    match rng.below(7) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
        }
        1 => {
            let v = *rng.pick(&[0u32, 0xFFFF_FFFF, 0x7FFF_FFFF, 0xFFFF_FFFE, 0x10000, 1]);
            let end = (at + 4).min(b.len());
            b[at..end].copy_from_slice(&v.to_le_bytes()[..end - at]);
        }
        2 => {
            let len = 1 + rng.below(64);
            let chunk: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            b.splice(at..at, chunk);
        }
        3 => {
            let end = (at + 1 + rng.below(256)).min(b.len());
            b.drain(at..end);
        }
        4 => {
            let end = (at + 1 + rng.below(256)).min(b.len());
            let chunk = b[at..end].to_vec();
            for _ in 0..1 + rng.below(16) {
                b.splice(at..at, chunk.iter().copied());
            }
        }
        5 => b.truncate(at),
        _ => {
            // A dictionary word from the size fields.
            let word = rng.pick(SIZE_ATTRS).as_bytes().to_vec();
            b.splice(at..at, word);
        }
    }
    b
}

/// Unzips (entries up to 16 MB each), edits one or more parts, zips again.
fn mutate_zip(data: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(data)).ok()?;
    let mut parts = Vec::new();
    for i in 0..z.len().min(200) {
        let mut f = z.by_index(i).ok()?;
        let name = f.name().ok()?.to_string();
        let mut content = Vec::new();
        (&mut f).take(16 << 20).read_to_end(&mut content).ok()?;
        parts.push((name, content));
    }
    let xml: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].0.ends_with(".xml")).collect();
    if xml.is_empty() {
        return None;
    }
    for _ in 0..1 + rng.below(3) {
        // Favour the parts the reader sizes by.
        let hot: Vec<usize> = xml
            .iter()
            .copied()
            .filter(|&i| {
                let n = &parts[i].0;
                n.contains("sheet") || n.contains("sharedStrings") || n == "content.xml"
            })
            .collect();
        let i = if !hot.is_empty() && rng.chance(80) { *rng.pick(&hot) } else { *rng.pick(&xml) };
        let text = String::from_utf8_lossy(&parts[i].1).into_owned();
        parts[i].1 = mutate_xml(&text, rng).into_bytes();
    }
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = rng.chance(30);
    for (name, content) in parts {
        let method = if stored || name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let opts = zip::write::SimpleFileOptions::default().compression_method(method).large_file(false);
        w.start_file(name, opts).ok()?;
        w.write_all(&content).ok()?;
    }
    Some(w.finish().ok()?.into_inner())
}

/// Byte offsets of every occurrence of `pat` in `s`.
fn find_all(s: &str, pat: &str) -> Vec<usize> {
    s.match_indices(pat).map(|(i, _)| i).take(10_000).collect()
}

/// One edit of an XML part, aimed at its size fields.
pub fn mutate_xml(s: &str, rng: &mut Rng) -> String {
    match rng.below(6) {
        // A size attribute set to an extreme value.
        0 | 1 => {
            let attr = *rng.pick(SIZE_ATTRS);
            let hits = find_all(s, attr);
            if hits.is_empty() {
                return insert_attr(s, rng);
            }
            let start = *rng.pick(&hits) + attr.len();
            let end = s[start..].find('"').map_or(s.len(), |n| start + n);
            let value = if attr.contains("ref") || attr == " r=\"" { *rng.pick(REFS) } else { *rng.pick(SIZES) };
            format!("{}{}{}", &s[..start], value, &s[end..])
        }
        // A repeat or span attribute added to an element that may not have it.
        2 => insert_attr(s, rng),
        // An element duplicated many times.
        3 => {
            let (open, close) = *rng.pick(ELEMENTS);
            let hits = find_all(s, open);
            if hits.is_empty() {
                return s.to_string();
            }
            let start = *rng.pick(&hits);
            let Some(end) = s[start..].find(close).map(|n| start + n + close.len()) else {
                return s.to_string();
            };
            let times = *rng.pick(&[2usize, 10, 100, 1000, 20_000]);
            let chunk = &s[start..end];
            if chunk.len() * times > 32 << 20 {
                return s.to_string();
            }
            format!("{}{}{}", &s[..start], chunk.repeat(times), &s[end..])
        }
        // A template bomb as a cell's text.
        4 => {
            let hits: Vec<usize> = ["<t>", "<t xml:space=\"preserve\">", "<text:p>"]
                .iter()
                .flat_map(|p| find_all(s, p).into_iter().map(move |i| i + p.len()))
                .collect();
            if hits.is_empty() {
                return s.to_string();
            }
            let at = *rng.pick(&hits);
            let bomb = rng.pick(TEMPLATES).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            format!("{}{}{}", &s[..at], bomb, &s[at..])
        }
        // Blind bytes inside the XML (kept as text).
        _ => String::from_utf8_lossy(&bytes(s.as_bytes(), rng)).into_owned(),
    }
}

fn insert_attr(s: &str, rng: &mut Rng) -> String {
    let (tag, attr) = *rng.pick(&[
        ("<table:table-cell", " table:number-columns-repeated=\""),
        ("<table:table-row", " table:number-rows-repeated=\""),
        ("<table:table-cell", " table:number-rows-spanned=\""),
        ("<sst", " uniqueCount=\""),
        ("<f", " t=\"shared\" si=\""),
    ]);
    let hits = find_all(s, tag);
    if hits.is_empty() {
        return s.to_string();
    }
    let at = *rng.pick(&hits) + tag.len();
    format!("{}{}{}\"{}", &s[..at], attr, rng.pick(SIZES), &s[at..])
}

/// One edit of an OLE container (.xls): header fields, FAT entries, the
/// DIMENSIONS record, the workbook stream's name.
pub fn mutate_cfb(data: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = data.to_vec();
    let v = match rng.below(5) {
        0 => u32::MAX,
        1 => 0,
        2 => 0x7FFF_FFFF,
        3 => rng.next() as u32,
        _ => rng.below(64) as u32 + 1,
    };
    let put = |b: &mut Vec<u8>, off: usize, v: u32| {
        if off + 4 <= b.len() {
            b[off..off + 4].copy_from_slice(&v.to_le_bytes());
        }
    };
    let dims: Vec<usize> =
        b.windows(4).enumerate().filter(|(_, w)| *w == [0x00, 0x02, 0x0E, 0x00]).map(|(i, _)| i).collect();
    let fat0 = b.get(0x4C..0x50).map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]) as usize);
    match rng.below(8) {
        0 => put(&mut b, 0x38, v),       // mini-stream cutoff
        1 => put(&mut b, 0x30, v % 256), // directory start
        2 => put(&mut b, 0x2C, v),       // number of FAT sectors
        3 => {
            // The sector shift (9 or 12 in a real file).
            if b.len() > 0x20 {
                b[0x1E] = *rng.pick(&[0u8, 7, 9, 12, 16, 31, 255]);
            }
        }
        4 => {
            // A FAT entry: to itself, to the end, or anywhere (cycles).
            let entry = rng.below(128);
            let off = (fat0 + 1) * 512 + 4 * entry;
            let target = match rng.below(3) {
                0 => entry as u32,
                1 => 0xFFFF_FFFE,
                _ => v % 256,
            };
            put(&mut b, off, target);
        }
        5 | 6 if !dims.is_empty() => {
            // DIMENSIONS: first row, last row (+1), first column, last column.
            let d = *rng.pick(&dims);
            let field = *rng.pick(&[4usize, 8]);
            put(&mut b, d + field, v);
            if rng.chance(50) && d + 16 <= b.len() {
                b[d + 14..d + 16].copy_from_slice(&(v as u16).to_le_bytes());
            }
        }
        _ => {
            // The workbook stream's name in another case.
            let name: Vec<u8> = "Workbook".encode_utf16().flat_map(u16::to_le_bytes).collect();
            let other = *rng.pick(&["WORKBOOK", "workbook", "Book\0\0\0\0", "WorkBook"]);
            let other: Vec<u8> = other.encode_utf16().flat_map(u16::to_le_bytes).collect();
            if let Some(p) = b.windows(16).position(|w| w == name.as_slice()) {
                b[p..p + 16].copy_from_slice(&other);
            }
        }
    }
    b
}
