//! Number formats that change what a cell means: a percentage (`0%`: 0.5
//! is 50%) and a date shown as a month (`"Tháng "m/yyyy`: Excel shows
//! `Tháng 9/2021`, a deadline due at the month's end). Other formats are
//! ignored.
//!
//! calamine gives the format codes of an xlsx (read.rs asks it); for an
//! .ods it gives none and for an .xls only "a date or not", so the styles
//! of those are read here: the `number:*-style` elements and cell styles of
//! an .ods (`styles.xml`, `content.xml`), the FORMAT and XF records and the
//! cells' XF indices of an .xls workbook stream. Both reads are bounded by
//! the limits of the format's own reader (part and stream sizes, cells).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::cfb::{le16, le32};
use super::limits::{MAX_CELLS, MAX_PART_BYTES};

/// What a cell's number format says about its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// `0%`, `0.0%`: the value is a fraction (0.5 → 50%).
    Percent,
    /// A date format with a month and a year and no day: the code, to print
    /// the cell as Excel shows it.
    Month(String),
}

/// The meaning of a format code (and built-in format id), when it matters.
pub fn classify(code: &str, id: Option<u32>) -> Option<Shown> {
    if matches!(id, Some(9 | 10)) {
        return Some(Shown::Percent);
    }
    // Built-in 17 is `mmm-yy`.
    if id == Some(17) && code.is_empty() {
        return Some(Shown::Month("mm/yyyy".into()));
    }
    let section = first_section(code);
    let bare = unquoted(section);
    if bare.contains('%') {
        return Some(Shown::Percent);
    }
    let lower = bare.to_lowercase();
    let has = |c: char| lower.contains(c);
    (has('m') && has('y') && !has('d') && !has('h') && !has('s')).then(|| Shown::Month(section.to_string()))
}

/// The first `;` section of a format code (the one for positive numbers).
fn first_section(code: &str) -> &str {
    let mut quoted = false;
    for (i, c) in code.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => return &code[..i],
            _ => {}
        }
    }
    code
}

/// The code without quoted text, `\x` escapes, `[…]` parts and `_x`/`*x` spacers.
fn unquoted(code: &str) -> String {
    let mut out = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for d in chars.by_ref() {
                    if d == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A month as a month format shows it: `"Tháng "m/yyyy` → `Tháng 9/2021`,
/// `mm/yyyy` → `09/2021`, `mmm-yy` → `09-21` (month names are not spelled:
/// Vietnamese offices write numbers).
pub fn show_month(code: &str, year: i32, month: u8) -> String {
    let mut out = String::new();
    let chars: Vec<char> = code.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        match c {
            '"' => {
                k += 1;
                while k < chars.len() && chars[k] != '"' {
                    out.push(chars[k]);
                    k += 1;
                }
                k += 1;
            }
            '\\' => {
                if let Some(d) = chars.get(k + 1) {
                    out.push(*d);
                }
                k += 2;
            }
            '[' => {
                while k < chars.len() && chars[k] != ']' {
                    k += 1;
                }
                k += 1;
            }
            '_' | '*' => k += 2,
            'm' | 'M' | 'y' | 'Y' => {
                let run = chars[k..].iter().take_while(|d| d.eq_ignore_ascii_case(&c)).count();
                let text = if c.eq_ignore_ascii_case(&'m') {
                    if run == 1 {
                        month.to_string()
                    } else {
                        format!("{month:02}")
                    }
                } else if run <= 2 {
                    format!("{:02}", year.rem_euclid(100))
                } else {
                    year.to_string()
                };
                out.push_str(&text);
                k += run;
            }
            _ => {
                out.push(c);
                k += 1;
            }
        }
    }
    out.trim().to_string()
}

/// A cell position (zero-based row, column) with what its format shows.
pub type ShownCell = ((u32, u32), Shown);

// ---------------------------------------------------------------------------
// .ods: number styles and cell styles
// ---------------------------------------------------------------------------

/// The value of an attribute by local name (`style:name` → `name`).
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn attr_count(e: &BytesStart<'_>, name: &str) -> u64 {
    attr(e, name).and_then(|v| v.trim().parse().ok()).unwrap_or(1).max(1)
}

/// The styles of an .ods that matter here.
#[derive(Default)]
struct OdsStyles {
    /// Number style name → what it shows (only styles that matter).
    numbers: HashMap<String, Shown>,
    /// Cell style name → (number style, parent cell style).
    cells: HashMap<String, (Option<String>, Option<String>)>,
}

impl OdsStyles {
    /// Reads the number and cell styles of one part (styles.xml or content.xml).
    fn collect(&mut self, xml: &[u8]) {
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut buf = Vec::new();
        // The number style being read: (name, is a date style, code so far).
        let mut current: Option<(String, bool, String)> = None;
        let mut in_text = false;
        loop {
            buf.clear();
            let event = match reader.read_event_into(&mut buf) {
                Ok(Event::Eof) | Err(_) => return,
                Ok(e) => e,
            };
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let empty = matches!(event, Event::Empty(_));
                    match e.local_name().as_ref() {
                        "date-style" | "percentage-style" => {
                            let date = e.local_name().as_ref() == "date-style";
                            let name = attr(e, "name").unwrap_or_default();
                            if empty {
                                if !date {
                                    self.numbers.insert(name, Shown::Percent);
                                }
                            } else {
                                current = Some((name, date, String::new()));
                            }
                        }
                        "style" => {
                            if attr(e, "family").as_deref() == Some("table-cell") {
                                if let Some(name) = attr(e, "name") {
                                    self.cells.insert(name, (attr(e, "data-style-name"), attr(e, "parent-style-name")));
                                }
                            }
                        }
                        part => {
                            if let Some((_, true, code)) = current.as_mut() {
                                let long = attr(e, "style").as_deref() == Some("long");
                                match part {
                                    "text" if !empty => in_text = true,
                                    "month" => code.push_str(if long { "mm" } else { "m" }),
                                    "year" => code.push_str(if long { "yyyy" } else { "yy" }),
                                    "day" | "day-of-week" => code.push('d'),
                                    "hours" => code.push('h'),
                                    "seconds" => code.push('s'),
                                    _ => {}
                                }
                            }
                        }
                    }
                }
                Event::Text(t) if in_text => {
                    if let Some((_, true, code)) = current.as_mut() {
                        let text = t.xml10_content();
                        code.push('"');
                        code.push_str(&text.replace('"', ""));
                        code.push('"');
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "text" => in_text = false,
                    "date-style" | "percentage-style" => {
                        if let Some((name, date, code)) = current.take() {
                            let shown = if date { classify(&code, None) } else { Some(Shown::Percent) };
                            if let Some(shown) = shown {
                                self.numbers.insert(name, shown);
                            }
                        }
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }

    /// What a cell style shows, through its parents (a few levels at most).
    fn shown(&self, style: &str) -> Option<&Shown> {
        let mut name = style;
        for _ in 0..8 {
            let (number, parent) = self.cells.get(name)?;
            if let Some(n) = number {
                return self.numbers.get(n);
            }
            name = parent.as_deref()?;
        }
        None
    }
}

/// One part of a zip, at most [`MAX_PART_BYTES`] of it.
fn zip_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let file = zip.by_name(name).ok()?;
    let mut out = Vec::new();
    file.take(MAX_PART_BYTES).read_to_end(&mut out).ok()?;
    Some(out)
}

/// The cells of one .ods sheet whose number style shows a percentage or a
/// month; none when the file cannot be read that way (calamine has read
/// the values already, so this only loses what the formats say).
pub fn ods_cells(bytes: &[u8], sheet: &str) -> Vec<ShownCell> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut styles = OdsStyles::default();
    if let Some(xml) = zip_part(&mut zip, "styles.xml") {
        styles.collect(&xml);
    }
    let Some(content) = zip_part(&mut zip, "content.xml") else {
        return Vec::new();
    };
    styles.collect(&content);
    if styles.numbers.is_empty() {
        return Vec::new();
    }
    ods_sheet_cells(&content, sheet, &styles)
}

/// Walks the named table: column and row default styles, then each valued
/// cell's own style, counting repeats as LibreOffice writes them.
fn ods_sheet_cells(xml: &[u8], sheet: &str, styles: &OdsStyles) -> Vec<ShownCell> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut in_table = false;
    // Inside a cell's content (a nested table's rows are not the sheet's).
    let mut nested = 0u32;
    // Column default styles: (first column, columns, style).
    let mut columns: Vec<(u64, u64, String)> = Vec::new();
    let mut next_col = 0u64;
    let (mut row, mut col) = (0u64, 0u64);
    let mut row_repeat = 1u64;
    let mut row_style: Option<String> = None;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => return out,
            Ok(e) => e,
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    "table" if !in_table => {
                        in_table = !empty && attr(e, "name").as_deref() == Some(sheet);
                    }
                    _ if !in_table => {}
                    "table" => nested += u32::from(!empty),
                    "table-cell" | "covered-table-cell" if nested > 0 => nested += u32::from(!empty),
                    _ if nested > 0 => {}
                    "table-column" => {
                        let n = attr_count(e, "number-columns-repeated");
                        if let Some(style) = attr(e, "default-cell-style-name") {
                            columns.push((next_col, n, style));
                        }
                        next_col = next_col.saturating_add(n);
                    }
                    "table-row" => {
                        col = 0;
                        row_repeat = attr_count(e, "number-rows-repeated");
                        row_style = attr(e, "default-cell-style-name");
                        if empty {
                            row = row.saturating_add(row_repeat);
                        }
                    }
                    name @ ("table-cell" | "covered-table-cell") => {
                        let repeat = attr_count(e, "number-columns-repeated");
                        let valued = name == "table-cell"
                            && matches!(
                                attr(e, "value-type").as_deref(),
                                Some("float" | "percentage" | "date" | "currency")
                            );
                        if valued {
                            let style = attr(e, "style-name").or_else(|| row_style.clone()).or_else(|| {
                                columns
                                    .iter()
                                    .find(|(c0, n, _)| (*c0..c0.saturating_add(*n)).contains(&col))
                                    .map(|c| c.2.clone())
                            });
                            if let Some(shown) = style.as_deref().and_then(|s| styles.shown(s)) {
                                for r in row..row.saturating_add(row_repeat.min(MAX_CELLS)) {
                                    for c in col..col.saturating_add(repeat.min(MAX_CELLS)) {
                                        if out.len() as u64 >= MAX_CELLS {
                                            return out;
                                        }
                                        if let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) {
                                            out.push(((r, c), shown.clone()));
                                        }
                                    }
                                }
                            }
                        }
                        col = col.saturating_add(repeat);
                        if !empty {
                            nested += 1;
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) if in_table => match e.local_name().as_ref() {
                "table" if nested == 0 => return out,
                "table" | "table-cell" | "covered-table-cell" => nested = nested.saturating_sub(1),
                "table-row" if nested == 0 => row = row.saturating_add(row_repeat),
                _ => {}
            },
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------
// .xls: FORMAT and XF records, and each number cell's XF
// ---------------------------------------------------------------------------

/// A BIFF8 `XLUnicodeString` (`cch` of `len_bytes` bytes, a flags byte,
/// then 8- or 16-bit characters).
fn biff_string(data: &[u8], at: usize, len_bytes: usize) -> Option<String> {
    let cch = if len_bytes == 1 { usize::from(*data.get(at)?) } else { usize::from(le16(data, at)?) };
    let flags = *data.get(at + len_bytes)?;
    let chars = at + len_bytes + 1;
    if flags & 1 == 0 {
        let bytes = data.get(chars..chars.checked_add(cch)?)?;
        Some(bytes.iter().map(|&b| char::from(b)).collect())
    } else {
        let units: Vec<u16> = (0..cch).map(|k| le16(data, chars + 2 * k)).collect::<Option<_>>()?;
        Some(String::from_utf16_lossy(&units))
    }
}

/// The BIFF records of a stream from `at`: (type, data).
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = le16(stream, at)?;
        let len = usize::from(le16(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// The cells of one .xls sheet (from its workbook stream, BIFF8) whose
/// format shows a percentage or a month; none when the stream is not BIFF8
/// or the sheet is not found.
pub fn xls_cells(stream: &[u8], sheet: &str) -> Vec<ShownCell> {
    let mut codes: HashMap<u16, String> = HashMap::new();
    let mut xf_formats: Vec<u16> = Vec::new();
    let mut sheet_at = None;
    for (i, (typ, data)) in records(stream, 0).enumerate() {
        match typ {
            // BOF: only BIFF8 (Excel 97 and later, what LibreOffice writes).
            0x0809 if i == 0 && le16(data, 0) != Some(0x0600) => return Vec::new(),
            0x041E => {
                if let (Some(id), Some(code)) = (le16(data, 0), biff_string(data, 2, 2)) {
                    codes.insert(id, code);
                }
            }
            0x00E0 => xf_formats.push(le16(data, 2).unwrap_or(0)),
            // BOUNDSHEET8: the sheet's BOF offset, then type and name.
            0x0085 if data.get(5) == Some(&0) && biff_string(data, 6, 1).as_deref() == Some(sheet) => {
                sheet_at = le32(data, 0).map(|o| o as usize);
            }
            0x000A => break,
            _ => {}
        }
    }
    let Some(start) = sheet_at else {
        return Vec::new();
    };
    let by_xf: Vec<Option<Shown>> =
        xf_formats.iter().map(|&id| classify(codes.get(&id).map_or("", String::as_str), Some(u32::from(id)))).collect();
    if by_xf.iter().all(Option::is_none) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut push = |row: Option<u16>, col: Option<u16>, xf: Option<u16>| {
        if let (Some(r), Some(c), Some(Some(shown))) =
            (row, col, xf.map(|x| by_xf.get(usize::from(x)).cloned().flatten()))
        {
            if (out.len() as u64) < MAX_CELLS {
                out.push(((u32::from(r), u32::from(c)), shown));
            }
        }
    };
    let mut depth = 0usize;
    for (typ, data) in records(stream, start) {
        match typ {
            0x0809 => depth += 1,
            0x000A => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            // NUMBER, RK, FORMULA: row, column, XF.
            0x0203 | 0x027E | 0x0006 if depth == 1 => push(le16(data, 0), le16(data, 2), le16(data, 4)),
            // MULRK: row, first column, then (XF, RK) pairs, then the last column.
            0x00BD if depth == 1 => {
                let row = le16(data, 0);
                let first = le16(data, 2).unwrap_or(0);
                let pairs = data.len().saturating_sub(6) / 6;
                for k in 0..pairs {
                    push(row, first.checked_add(k as u16), le16(data, 4 + 6 * k));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_that_matter() {
        assert_eq!(classify("0%", None), Some(Shown::Percent));
        assert_eq!(classify("0.00%", None), Some(Shown::Percent));
        assert_eq!(classify("General", Some(9)), Some(Shown::Percent));
        assert_eq!(classify("\"Tháng \"m/yyyy", None), Some(Shown::Month("\"Tháng \"m/yyyy".into())));
        assert_eq!(classify("mm/yyyy", None), Some(Shown::Month("mm/yyyy".into())));
        assert_eq!(classify("[$-42A]mm/yyyy", None), Some(Shown::Month("[$-42A]mm/yyyy".into())));
        assert_eq!(classify("dd/mm/yyyy", None), None);
        assert_eq!(classify("General", None), None);
        assert_eq!(classify("0.0", None), None);
        assert_eq!(classify("\"Tỷ lệ %\" 0", None), None);
        assert_eq!(classify("h:mm", None), None);
    }

    #[test]
    fn months_as_excel_shows_them() {
        assert_eq!(show_month("\"Tháng \"m/yyyy", 2021, 9), "Tháng 9/2021");
        assert_eq!(show_month("\"Tháng \"mm\" năm \"yyyy", 2021, 9), "Tháng 09 năm 2021");
        assert_eq!(show_month("mm/yyyy", 2021, 9), "09/2021");
        assert_eq!(show_month("[$-42A]m/yy", 2021, 12), "12/21");
        assert_eq!(show_month("\\T\\h\\á\\n\\g m/yyyy", 2021, 9), "Tháng 9/2021");
    }

    /// As LibreOffice writes them: the number style in styles.xml, a cell
    /// style inheriting it, and styles given by a cell, a row or a column.
    #[test]
    fn ods_styles_of_cells_rows_and_columns() {
        let styles = r#"<office:document-styles><office:styles>
            <number:date-style style:name="N145"><number:text>Tháng </number:text><number:month/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
            <number:date-style style:name="N36"><number:day/><number:text>/</number:text><number:month/><number:text>/</number:text><number:year/></number:date-style>
            <style:style style:name="Thang" style:family="table-cell" style:data-style-name="N145"/>
            </office:styles></office:document-styles>"#;
        let content = r#"<office:document-content><office:automatic-styles>
            <number:percentage-style style:name="N10"><number:number/><number:text>%</number:text></number:percentage-style>
            <style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Thang"/>
            <style:style style:name="ce2" style:family="table-cell" style:data-style-name="N10"/>
            <style:style style:name="ce3" style:family="table-cell" style:data-style-name="N36"/>
            </office:automatic-styles><office:body><office:spreadsheet>
            <table:table table:name="Khac"><table:table-row><table:table-cell table:style-name="ce2" office:value-type="float" office:value="1"/></table:table-row></table:table>
            <table:table table:name="NhiemVu">
              <table:table-column table:number-columns-repeated="2" table:default-cell-style-name="Default"/>
              <table:table-column table:default-cell-style-name="ce1"/>
              <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/></table:table-row>
              <table:table-row>
                <table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell>
                <table:table-cell table:style-name="ce2" office:value-type="percentage" office:value="0.5"/>
                <table:table-cell office:value-type="date" office:date-value="2021-09-01"/>
                <table:table-cell table:style-name="ce3" office:value-type="date" office:date-value="2021-09-01"/>
              </table:table-row>
              <table:table-row table:default-cell-style-name="ce2"><table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="0.25"/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let mut st = OdsStyles::default();
        st.collect(styles.as_bytes());
        st.collect(content.as_bytes());
        // Each number:text becomes quoted text of an Excel-like code.
        let code = "\"Tháng \"m\"/\"yyyy";
        let month = Shown::Month(code.into());
        assert_eq!(st.shown("ce1"), Some(&month));
        assert_eq!(st.shown("ce3"), None, "a date with a day is a plain date");
        let cells = ods_sheet_cells(content.as_bytes(), "NhiemVu", &st);
        assert_eq!(
            cells,
            vec![((2, 1), Shown::Percent), ((2, 2), month), ((3, 0), Shown::Percent), ((3, 1), Shown::Percent)]
        );
        assert_eq!(show_month(code, 2021, 9), "Tháng 9/2021");
    }

    /// A BIFF8 workbook stream: FORMAT, XF and BOUNDSHEET records, then a
    /// sheet with NUMBER, RK and MULRK cells.
    #[test]
    fn xls_formats_and_cell_xfs() {
        fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
            out.extend(typ.to_le_bytes());
            out.extend((data.len() as u16).to_le_bytes());
            out.extend(data);
        }
        let code: Vec<u16> = "\"Tháng \"m/yyyy".encode_utf16().collect();
        let mut format = vec![164, 0];
        format.extend((code.len() as u16).to_le_bytes());
        format.push(1);
        for u in &code {
            format.extend(u.to_le_bytes());
        }
        let xf = |ifmt: u16| {
            let mut d = vec![0u8; 20];
            d[2..4].copy_from_slice(&ifmt.to_le_bytes());
            d
        };
        let sheet_record = |offset: u32, name: &str| {
            let mut d = offset.to_le_bytes().to_vec();
            d.extend([0, 0, name.len() as u8, 0]);
            d.extend(name.as_bytes());
            d
        };
        let cell = |row: u16, col: u16, xf: u16| {
            let mut d = Vec::new();
            for v in [row, col, xf] {
                d.extend(v.to_le_bytes());
            }
            d.extend([0u8; 8]);
            d
        };
        let build = |offset: u32| {
            let mut s = Vec::new();
            rec(&mut s, 0x0809, &[0x00, 0x06, 0x05, 0x00]);
            rec(&mut s, 0x041E, &format);
            rec(&mut s, 0x00E0, &xf(0));
            rec(&mut s, 0x00E0, &xf(164));
            rec(&mut s, 0x00E0, &xf(9));
            rec(&mut s, 0x0085, &sheet_record(offset, "NhiemVu"));
            rec(&mut s, 0x000A, &[]);
            let start = s.len() as u32;
            rec(&mut s, 0x0809, &[0x00, 0x06, 0x10, 0x00]);
            rec(&mut s, 0x0203, &cell(1, 3, 1));
            rec(&mut s, 0x027E, &cell(2, 3, 0)[..10]);
            // MULRK row 4, columns 0..2: XF 2, 0, 1.
            let mut mulrk = vec![4, 0, 0, 0];
            for x in [2u16, 0, 1] {
                mulrk.extend(x.to_le_bytes());
                mulrk.extend([0u8; 4]);
            }
            mulrk.extend(2u16.to_le_bytes());
            rec(&mut s, 0x00BD, &mulrk);
            rec(&mut s, 0x000A, &[]);
            (s, start)
        };
        let (_, start) = build(0);
        let (stream, _) = build(start);
        let month = Shown::Month("\"Tháng \"m/yyyy".into());
        assert_eq!(
            xls_cells(&stream, "NhiemVu"),
            vec![((1, 3), month.clone()), ((4, 0), Shown::Percent), ((4, 2), month)]
        );
        assert!(xls_cells(&stream, "Khac").is_empty());
        assert!(xls_cells(&stream[..7], "NhiemVu").is_empty(), "a cut stream gives nothing, no panic");
    }
}
