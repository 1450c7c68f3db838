//! Sheet DonVi: the sub-departments, each with a code used in file names.

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::vi::fold::{match_key, slug};
use crate::workbook::model::{Text, UnitRow};
use crate::workbook::read::{find_table, is_empty_sheet, no_header_error, Grid};
use crate::workbook::schema::{Col, SheetKind};

/// Reads the rows of sheet DonVi.
pub fn read_units(grid: &Grid, diags: &mut Diagnostics) -> Vec<UnitRow> {
    let Some(table) = find_table(grid, SheetKind::Units, diags) else {
        if !is_empty_sheet(grid) {
            diags.push(no_header_error(grid, SheetKind::Units));
        }
        return Vec::new();
    };
    let (Some(code_col), Some(name_col)) = (table.col(Col::UnitCode), table.col(Col::UnitName)) else {
        return Vec::new();
    };

    let mut units = Vec::new();
    // Match key and file-name slug of each code seen → its cell, and whether
    // that first cell was already told about a duplicate.
    let mut seen: HashMap<String, (Loc, String, bool)> = HashMap::new();
    for r in table.data_rows(grid) {
        let text = |c: Col, diags: &mut Diagnostics| table.col(c).and_then(|col| grid.text(r, col, diags));
        let code = grid.text(r, code_col, diags);
        let name = grid.text(r, name_col, diags);
        let short_name = text(Col::ShortName, diags);
        let signer = text(Col::Signer, diags);
        let title = text(Col::SignerTitle, diags);
        let symbol = text(Col::Symbol, diags);
        if name.is_none() && grid.is_blank(r, name_col) {
            diags.push(
                Diagnostic::error(Code::ThieuTenDonVi, grid.loc(r, name_col), "đơn vị thiếu «Tên đơn vị»")
                    .hint("ghi tên đầy đủ của đơn vị, ví dụ «Chi cục Chăn nuôi và Thú y»"),
            );
        }
        let Some(code) = code else {
            if grid.is_blank(r, code_col) {
                diags.push(
                    Diagnostic::error(Code::ThieuMa, grid.loc(r, code_col), "đơn vị thiếu «Mã»")
                        .hint("ghi mã ngắn, không trùng, dùng trong tên tệp, ví dụ VPS, CCTY"),
                );
            }
            continue;
        };
        if !usable_in_file_name(&code.text) {
            diags.push(
                Diagnostic::error(
                    Code::MaSai,
                    code.loc.clone(),
                    format!("mã đơn vị «{}» không dùng được trong tên tệp", code.text),
                )
                .hint("dùng chữ cái và chữ số (có thể có dấu gạch ngang), không có / \\ .. ; ví dụ VPS, CCTY"),
            );
            continue;
        }
        if code.text.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']) || code.text.contains("..") {
            diags.push(
                Diagnostic::warning(
                    Code::MaTenTep,
                    code.loc.clone(),
                    format!(
                        "mã đơn vị «{}» có ký tự không dùng được trong tên tệp; tên tệp sẽ dùng «{}»",
                        code.text,
                        slug(&code.text)
                    ),
                )
                .hint("dùng chữ cái và chữ số (có thể có dấu gạch ngang), ví dụ VPS, CCTY"),
            );
        }
        let keys = [format!("k:{}", match_key(&code.text)), format!("s:{}", slug(&code.text))];
        if let Some(k) = keys.iter().find(|k| seen.contains_key(*k)) {
            if let Some((first_loc, first_code, told)) = seen.get_mut(k) {
                let first_cell = first_loc.a1().unwrap_or_default();
                diags.push(
                    Diagnostic::error(
                        Code::MaTrung,
                        code.loc.clone(),
                        format!("mã đơn vị «{}» trùng với mã «{first_code}» ở {}!{first_cell}", code.text, grid.sheet),
                    )
                    .hint("mỗi đơn vị một mã riêng (mã dùng để đặt tên tệp)"),
                );
                if !*told {
                    *told = true;
                    let this_cell = code.loc.a1().unwrap_or_default();
                    diags.push(
                        Diagnostic::error(
                            Code::MaTrung,
                            first_loc.clone(),
                            format!("mã đơn vị «{first_code}» bị trùng ở {}!{this_cell}", grid.sheet),
                        )
                        .hint("mỗi đơn vị một mã riêng (mã dùng để đặt tên tệp)"),
                    );
                }
            }
            continue;
        }
        for k in keys {
            seen.insert(k, (code.loc.clone(), code.text.clone(), false));
        }
        // A name cell that is broken (an Excel error, reported above) keeps
        // the unit, under its code, so that tasks naming it still match.
        let name = match name {
            Some(n) => n,
            None if !grid.is_blank(r, name_col) => Text { text: code.text.clone(), loc: grid.loc(r, name_col) },
            None => continue,
        };
        units.push(UnitRow { code, name, short_name, signer, title, symbol, row: r + 1 });
    }
    units
}

/// Whether a unit code can name a file once folded: no
/// control characters, and something left after folding to ASCII.
fn usable_in_file_name(code: &str) -> bool {
    !code.chars().any(char::is_control) && !slug(code).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::grid::tests::grid_at;
    use calamine::Data;

    fn s(x: &str) -> Data {
        Data::String(x.to_string())
    }

    #[test]
    fn file_name_codes() {
        assert!(usable_in_file_name("VPS"));
        assert!(usable_in_file_name("CC-TY"));
        // Folded to `x`, `a-b`: usable (with a warning), never a path.
        assert!(usable_in_file_name("../x"));
        assert!(usable_in_file_name("a/b"));
        assert!(!usable_in_file_name("///"));
        assert!(!usable_in_file_name("***"));
        assert!(!usable_in_file_name("a\u{7}"));
    }

    #[test]
    fn duplicates_and_missing() {
        let g = grid_at(
            "DonVi",
            0,
            0,
            &[
                &[s("Mã"), s("Tên đơn vị")],
                &[s("VPS"), s("Văn phòng Sở")],
                &[s("CCTY"), s("Chi cục Thú y")],
                &[s("vps"), s("Văn phòng khác")],
                &[Data::Empty, s("Không mã")],
                &[s("../x"), s("Xấu")],
                &[s("TT"), Data::Empty],
            ],
        );
        let mut d = Diagnostics::default();
        let u = read_units(&g, &mut d);
        assert_eq!(u.iter().map(|u| u.code.text.as_str()).collect::<Vec<_>>(), vec!["VPS", "CCTY", "../x"]);
        let a1s: Vec<String> = d.items.iter().map(|x| x.loc.a1().unwrap_or_default()).collect();
        let got: Vec<(&str, &str)> = d.items.iter().zip(&a1s).map(|(x, c)| (x.code.as_str(), c.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("ma-trung", "A4"),
                ("ma-trung", "A2"),
                ("thieu-ma", "A5"),
                ("ma-ten-tep", "A6"),
                ("thieu-ten-don-vi", "B7"),
            ]
        );
        assert!(d.items[0].message.contains("DonVi!A2"));
    }
}
