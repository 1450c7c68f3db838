//! A large workbook for the benchmarks, shared by `examples/make_big_workbook.rs`
//! and the criterion benches (`#[path]`-included, so it is not part of the
//! library): the sample workbook's sheets (ThongTin, NoiDung, ChiSo, BaoCao)
//! as they are, with sheet NhiemVu grown to `tasks` rows and sheet DonVi to
//! `units` units.
//!
//! Tasks repeat the sample's tasks in order (so the groups stay together and
//! the text stays realistic), each with a numbered suffix; every task is led
//! by one unit and supported by two others, spread evenly over the units, so
//! each unit's own plan holds about `3 × tasks / units` tasks.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

/// The sample workbook the large ones are grown from.
pub const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/ke-hoach-mau.xlsx");

/// A sheet read from the sample: its rows of cells, trailing empty rows dropped.
type Rows = Vec<Vec<Data>>;

fn read_sample(path: &Path) -> Result<Vec<(String, Rows)>, String> {
    let mut wb = open_workbook_auto(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| format!("{name}: {e}"))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        // Keep absolute positions: pad the rows and columns before the range.
        let mut rows: Rows = vec![Vec::new(); r0 as usize];
        for row in range.rows() {
            let mut cells = vec![Data::Empty; c0 as usize];
            cells.extend(row.iter().cloned());
            rows.push(cells);
        }
        while rows.last().is_some_and(|r| r.iter().all(|c| matches!(c, Data::Empty))) {
            rows.pop();
        }
        out.push((name, rows));
    }
    Ok(out)
}

fn write_cell(ws: &mut Worksheet, r: u32, c: u16, cell: &Data, date: &Format) -> Result<(), String> {
    let res = match cell {
        Data::Empty | Data::Error(_) => return Ok(()),
        Data::String(s) => ws.write_string(r, c, s),
        Data::Float(f) => ws.write_number(r, c, *f),
        Data::Int(i) => ws.write_number(r, c, *i as f64),
        Data::Bool(b) => ws.write_boolean(r, c, *b),
        Data::DateTime(d) => ws.write_number_with_format(r, c, d.as_f64(), date),
        Data::DateTimeIso(s) | Data::DurationIso(s) => ws.write_string(r, c, s),
    };
    res.map(|_| ()).map_err(|e| e.to_string())
}

fn text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Sheet DonVi: the sample's units first, then numbered ones up to `n`.
fn units(sample: &Rows, n: usize) -> (Rows, Vec<String>) {
    let header = sample.first().cloned().unwrap_or_default();
    let mut rows = vec![header];
    let mut codes = Vec::new();
    for row in sample.iter().skip(1).take(n) {
        codes.push(text(&row[0]));
        rows.push(row.clone());
    }
    for i in codes.len()..n {
        let k = i + 1;
        let code = format!("DV{k:03}");
        let s = |x: String| Data::String(x);
        rows.push(vec![
            s(code.clone()),
            s(format!("Trạm Khuyến nông và Dịch vụ nông nghiệp số {k}")),
            s(format!("Trạm KN số {k}")),
            s(format!("Nguyễn Văn Đơn Vị {k}")),
            s("TRƯỞNG TRẠM".into()),
            s(format!("KH-{code}")),
        ]);
        codes.push(code);
    }
    (rows, codes)
}

/// Sheet NhiemVu: the rows above the header kept, then `n` tasks repeating
/// the sample's in order, each led by one unit and supported by two others.
fn tasks(sample: &Rows, n: usize, codes: &[String]) -> Result<Rows, String> {
    let header_at = sample
        .iter()
        .position(|r| r.iter().any(|c| text(c).trim() == "Nội dung"))
        .ok_or("sheet NhiemVu has no header row with «Nội dung»")?;
    let header = &sample[header_at];
    let col = |name: &str| header.iter().position(|c| text(c).trim() == name);
    let (content, lead, support) = (col("Nội dung"), col("Chủ trì"), col("Phối hợp"));
    let (Some(content), Some(lead), Some(support)) = (content, lead, support) else {
        return Err("sheet NhiemVu lacks «Nội dung», «Chủ trì» or «Phối hợp»".into());
    };
    let body: Vec<&Vec<Data>> =
        sample[header_at + 1..].iter().filter(|r| !matches!(r.get(content), None | Some(Data::Empty))).collect();
    if body.is_empty() {
        return Err("sheet NhiemVu has no tasks to repeat".into());
    }
    let mut rows: Rows = sample[..=header_at].to_vec();
    let m = codes.len();
    for i in 0..n {
        // Contiguous runs of each sample task keep the groups together.
        let mut row = body[i * body.len() / n].clone();
        row.resize(header.len().max(row.len()), Data::Empty);
        row[content] = Data::String(format!("{} (việc {})", text(&row[content]), i + 1));
        row[lead] = Data::String(codes[i % m].clone());
        let a = &codes[(i + 1 + i / m) % m];
        let b = &codes[(i + 2 + 3 * (i / m)) % m];
        row[support] = Data::String(if a == b { a.clone() } else { format!("{a}; {b}") });
        rows.push(row);
    }
    Ok(rows)
}

/// Writes the sample grown to `tasks` tasks and `units` units to `out`.
pub fn write(sample: &Path, out: &Path, tasks_n: usize, units_n: usize) -> Result<(), String> {
    if tasks_n == 0 || units_n < 3 {
        return Err("tasks must be ≥ 1 and units ≥ 3".into());
    }
    let sample = read_sample(sample)?;
    let get = |name: &str| sample.iter().find(|(n, _)| n == name).map(|(_, r)| r);
    let (unit_rows, codes) = units(get("DonVi").ok_or("the sample has no sheet DonVi")?, units_n);
    let task_rows = tasks(get("NhiemVu").ok_or("the sample has no sheet NhiemVu")?, tasks_n, &codes)?;

    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (name, rows) in &sample {
        let rows = match name.as_str() {
            "NhiemVu" => &task_rows,
            "DonVi" => &unit_rows,
            _ => rows,
        };
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(|e| e.to_string())?;
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                write_cell(ws, r as u32, c as u16, cell, &date)?;
            }
        }
    }
    wb.save(out).map_err(|e| format!("{}: {e}", out.display()))
}
