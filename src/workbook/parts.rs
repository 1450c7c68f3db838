//! The pre-check of a zip workbook (.xlsx, .xlsm, .xlsb, .ods) before
//! calamine reads it: every part is decompressed once, streaming, with a
//! byte cap (the sizes in the zip headers are not trusted), and the parts
//! whose declared counts calamine allocates by are read as XML on the way:
//! the shared strings' `uniqueCount`/`count` and their number, a shared
//! formula's `si`, text of one cell, and in an .ods the rectangle that
//! `number-rows-repeated`/`number-columns-repeated` and far-away cells
//! make calamine fill. Nothing here holds more than one XML event at once.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::limits::{
    Exceeded, Limit, MAX_CELLS, MAX_CELL_CHARS, MAX_COLUMNS, MAX_PARTS, MAX_PART_BYTES, MAX_ROWS, MAX_SHARED_FORMULA,
    MAX_STRINGS, MAX_TOTAL_BYTES,
};

/// Text bytes one cell may hold (UTF-8 takes up to 4 bytes a character).
const MAX_CELL_BYTES: u64 = MAX_CELL_CHARS * 4;
/// The most rows calamine reads from an .ods (it caps repeats there).
const ODS_MAX_ROWS: u64 = 1_048_576;

/// Checks every part of a zip workbook. `Ok` also when the bytes are no
/// readable zip: calamine then says so itself, without allocating by them.
pub fn check_zip(bytes: &[u8]) -> Result<(), Exceeded> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if zip.len() as u64 > MAX_PARTS {
        return Err(Exceeded::new(Limit::Parts, zip.len() as u64));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            // Encrypted or an unknown compression: calamine cannot read it either.
            continue;
        };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if entry.size() > MAX_PART_BYTES {
            return Err(Exceeded::new(Limit::PartBytes, entry.size()).declared().at(name));
        }
        let cap = MAX_PART_BYTES.min(MAX_TOTAL_BYTES - total);
        let mut reader = Capped { inner: entry, read: 0, cap, hit: false };
        let kind = part_kind(&name);
        let scanned = match kind {
            Some(kind) => scan(&mut reader, kind),
            None => Ok(()),
        };
        // What the scan left (or all of a part not scanned) is still
        // decompressed, to count its real size.
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
        if reader.hit {
            let limit = if cap < MAX_PART_BYTES { Limit::TotalBytes } else { Limit::PartBytes };
            let found = if limit == Limit::TotalBytes { total + reader.read } else { reader.read };
            return Err(Exceeded::new(limit, found).at(name));
        }
        scanned.map_err(|e| e.at(name))?;
        total += reader.read;
    }
    Ok(())
}

/// A reader that fails once more than `cap` bytes came out of it.
struct Capped<R> {
    inner: R,
    read: u64,
    cap: u64,
    hit: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.hit {
            return Err(std::io::Error::other("giới hạn"));
        }
        // At most one byte past the cap, to tell "exactly cap" from "more".
        let room = (self.cap + 1 - self.read).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..room])?;
        self.read += n as u64;
        if self.read > self.cap {
            self.hit = true;
            return Err(std::io::Error::other("giới hạn"));
        }
        Ok(n)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    SharedStrings,
    Sheet,
    OdsContent,
}

fn part_kind(name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("sharedstrings.xml") {
        Some(Kind::SharedStrings)
    } else if lower.contains("worksheets/") && lower.ends_with(".xml") {
        Some(Kind::Sheet)
    } else if lower == "content.xml" {
        Some(Kind::OdsContent)
    } else {
        None
    }
}

/// A number attribute, saturating (`10000000000000000000000` is `u64::MAX`);
/// `None` when absent or not a number (calamine then refuses or ignores it).
fn number_attr(e: &BytesStart, local: &str) -> Option<u64> {
    let attr = e.attributes().with_checks(false).flatten().find(|a| a.key.local_name().as_ref() == local)?;
    let digits = attr.value.trim().as_bytes();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(d - b'0'))))
}

fn has_attr(e: &BytesStart, local: &str) -> bool {
    e.attributes().with_checks(false).flatten().any(|a| a.key.local_name().as_ref() == local)
}

/// The rectangle of non-empty cells in one .ods table, as calamine fills it.
#[derive(Default)]
struct OdsTable {
    row: u64,
    row_repeat: u64,
    col: u64,
    /// Rows and columns spanned by cells with a value: (first, last).
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl OdsTable {
    fn cell(&mut self, repeat: u64, filled: bool) -> Result<(), Exceeded> {
        let repeat = repeat.max(1).min(MAX_COLUMNS.saturating_sub(self.col));
        if filled && repeat > 0 {
            let (r0, r1) = (self.row, self.row + self.row_repeat.max(1) - 1);
            let (c0, c1) = (self.col, self.col + repeat - 1);
            self.rows = Some(self.rows.map_or((r0, r1), |(a, b)| (a.min(r0), b.max(r1))));
            self.cols = Some(self.cols.map_or((c0, c1), |(a, b)| (a.min(c0), b.max(c1))));
            self.check()?;
        }
        self.col += repeat;
        Ok(())
    }

    fn check(&self) -> Result<(), Exceeded> {
        if let (Some((r0, r1)), Some((c0, c1))) = (self.rows, self.cols) {
            let rows = r1 - r0 + 1;
            if rows > MAX_ROWS {
                return Err(Exceeded::new(Limit::Rows, rows));
            }
            let cells = rows.saturating_mul(c1 - c0 + 1);
            if cells > MAX_CELLS {
                return Err(Exceeded::new(Limit::Cells, cells));
            }
        }
        Ok(())
    }
}

/// Reads one XML part, checking what calamine would allocate by.
fn scan(reader: &mut impl Read, kind: Kind) -> Result<(), Exceeded> {
    let mut xml = Reader::from_reader(BufReader::new(reader));
    xml.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut strings = 0u64;
    let mut text = 0u64;
    let mut in_text = false;
    let mut table = OdsTable::default();
    loop {
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(e) => e,
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name();
                let local = local.as_ref();
                match (kind, local) {
                    (Kind::SharedStrings, "sst") => {
                        for attr in ["uniqueCount", "count"] {
                            if let Some(n) = number_attr(e, attr).filter(|&n| n > MAX_STRINGS) {
                                return Err(Exceeded::new(Limit::Strings, n).declared());
                            }
                        }
                    }
                    (Kind::SharedStrings, "si") => {
                        strings += 1;
                        if strings > MAX_STRINGS {
                            return Err(Exceeded::new(Limit::Strings, strings));
                        }
                    }
                    (Kind::Sheet, "f") => {
                        if let Some(si) = number_attr(e, "si").filter(|&n| n > MAX_SHARED_FORMULA) {
                            return Err(Exceeded::new(Limit::SharedFormula, si).declared());
                        }
                    }
                    (Kind::OdsContent, "table") => table = OdsTable::default(),
                    (Kind::OdsContent, "table-row") => {
                        table.row_repeat = number_attr(e, "number-rows-repeated")
                            .unwrap_or(1)
                            .max(1)
                            .min(ODS_MAX_ROWS.saturating_sub(table.row));
                        table.col = 0;
                        if empty {
                            table.row = table.row.saturating_add(table.row_repeat);
                        }
                    }
                    (Kind::OdsContent, "table-cell" | "covered-table-cell") => {
                        let repeat = number_attr(e, "number-columns-repeated").unwrap_or(1);
                        // A cell with a value type, or with content, fills its place.
                        table.cell(repeat, has_attr(e, "value-type") || !empty)?;
                    }
                    _ => {}
                }
                in_text = !empty && matches!(local, "t" | "v" | "f" | "p" | "span");
                if !in_text {
                    text = 0;
                }
            }
            Event::End(e) => {
                if kind == Kind::OdsContent && e.local_name().as_ref() == "table-row" {
                    table.row = table.row.saturating_add(table.row_repeat.max(1));
                }
                if matches!(e.local_name().as_ref(), "table-cell" | "si" | "c" | "is") {
                    text = 0;
                }
                in_text = false;
            }
            Event::Text(t) if in_text => text += t.len() as u64,
            Event::CData(t) if in_text => text += t.len() as u64,
            Event::GeneralRef(_) if in_text => text += 1,
            _ => {}
        }
        if text > MAX_CELL_BYTES {
            return Err(Exceeded::new(Limit::CellChars, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_str(s: &str, kind: Kind) -> Result<(), Exceeded> {
        scan(&mut s.as_bytes(), kind)
    }

    #[test]
    fn declared_counts_are_checked() {
        let sst = r#"<sst xmlns="x" count="3" uniqueCount="10000000000000"><si><t>a</t></si></sst>"#;
        let e = scan_str(sst, Kind::SharedStrings).unwrap_err();
        assert_eq!((e.limit, e.found, e.declared), (Limit::Strings, 10_000_000_000_000, true));
        assert!(scan_str(r#"<sst count="3" uniqueCount="2"><si><t>a</t></si></sst>"#, Kind::SharedStrings).is_ok());
        let f = r#"<worksheet><sheetData><row r="1"><c r="A1"><f t="shared" si="10000000000000000" ref="A1:A2">1</f></c></row></sheetData></worksheet>"#;
        assert_eq!(scan_str(f, Kind::Sheet).unwrap_err().limit, Limit::SharedFormula);
    }

    #[test]
    fn ods_far_cells_and_repeats() {
        let far = r#"<office:document-content><table:table><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="999998"><table:table-cell table:number-columns-repeated="100"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="99"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table></office:document-content>"#;
        let e = scan_str(far, Kind::OdsContent).unwrap_err();
        assert_eq!(e.limit, Limit::Rows);
        let wide = r#"<table:table><table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
        assert_eq!(scan_str(wide, Kind::OdsContent).unwrap_err().limit, Limit::Cells);
        let fine = r#"<table:table><table:table-row><table:table-cell office:value-type="float" table:number-columns-repeated="20"/></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#;
        assert!(scan_str(fine, Kind::OdsContent).is_ok());
    }

    #[test]
    fn one_cell_text_is_bounded() {
        let big = format!("<sst><si><t>{}</t></si></sst>", "x".repeat(200_000));
        assert_eq!(scan_str(&big, Kind::SharedStrings).unwrap_err().limit, Limit::CellChars);
        let ws = format!("<sst><si><t>a</t></si>{}</sst>", " ".repeat(200_000));
        assert!(scan_str(&ws, Kind::SharedStrings).is_ok());
    }
}
