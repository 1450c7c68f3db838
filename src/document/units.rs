//! Matching the units named in `Chủ trì` / `Phối hợp` / `Đơn vị phụ trách`
//! to sheet DonVi: by code, short name or full name, accent-insensitive.

use std::collections::HashMap;
use std::sync::RwLock;

use crate::vi::fold::{closest, match_key};
use crate::workbook::model::UnitRow;

/// Splits a cell into unit names: `;` and line breaks separate them, and so
/// does `,` before a capital letter (`VPS, Thanh tra Sở`); a `,` before a
/// lower-case word continues the name (`Các phòng chuyên môn, đơn vị thuộc Sở`).
pub fn split(cell: &str) -> Vec<String> {
    let clean = |s: &str| {
        s.trim_matches(|c: char| c.is_whitespace() || c == ',')
            .trim_start_matches(['-', '+', '•'])
            .trim()
            .trim_end_matches('.')
            .trim()
            .to_string()
    };
    let mut out: Vec<String> = Vec::new();
    for part in cell.split([';', '\n', '\r']) {
        let mut current = String::new();
        for piece in part.split(',') {
            let starts_upper =
                piece.trim_start().chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            // A lower-case continuation belongs to a collective or generic
            // name before it (`Các phòng …, đơn vị …`), not to a unit's name.
            let head = current.trim_start();
            let collective = head.chars().next().is_some_and(char::is_lowercase)
                || crate::vi::fold::match_key(head).starts_with("cac");
            if !head.is_empty() && (starts_upper || !collective) {
                out.push(clean(&current));
                current.clear();
            }
            if !current.is_empty() {
                current.push(',');
            }
            current.push_str(piece);
        }
        out.push(clean(&current));
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The key a written name is matched by: a trailing parenthesis
/// (`Văn phòng Sở (tham mưu)`) is left out.
fn key(name: &str) -> String {
    let base = match name.find('(') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    };
    match_key(base)
}

/// Index of the units of sheet DonVi.
#[derive(Debug, Default)]
pub struct UnitIndex {
    by_key: HashMap<String, usize>,
    names: Vec<String>,
    /// `resolve` by cell text: a batch asks every task's cells once per unit,
    /// and folding names is what costs.
    resolved: RwLock<HashMap<String, Vec<usize>>>,
}

impl Clone for UnitIndex {
    fn clone(&self) -> Self {
        UnitIndex { by_key: self.by_key.clone(), names: self.names.clone(), resolved: RwLock::default() }
    }
}

impl UnitIndex {
    pub fn new(units: &[UnitRow]) -> Self {
        let mut by_key = HashMap::new();
        let mut names = Vec::new();
        for (i, u) in units.iter().enumerate() {
            names.push(u.name.text.clone());
            // Full names first, so a code that happens to equal another
            // unit's name does not steal it.
            by_key.entry(key(&u.name.text)).or_insert(i);
            if let Some(s) = &u.short_name {
                by_key.entry(key(&s.text)).or_insert(i);
            }
            by_key.entry(key(&u.code.text)).or_insert(i);
        }
        by_key.remove("");
        UnitIndex { by_key, names, resolved: RwLock::default() }
    }

    /// The unit a written name means, if any.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.by_key.get(&key(name)).copied()
    }

    /// The units a cell names (matched ones only, each once, in order).
    pub fn resolve(&self, cell: &str) -> Vec<usize> {
        if let Some(found) = self.resolved.read().ok().and_then(|m| m.get(cell).cloned()) {
            return found;
        }
        let out = self.resolve_uncached(cell);
        if let Ok(mut m) = self.resolved.write() {
            m.insert(cell.to_string(), out.clone());
        }
        out
    }

    fn resolve_uncached(&self, cell: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for name in split(cell) {
            if let Some(i) = self.find(&name) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }

    /// The names in a cell that match no unit, each with the closest unit name.
    pub fn unmatched(&self, cell: &str) -> Vec<(String, Option<String>)> {
        split(cell)
            .into_iter()
            .filter(|n| self.find(n).is_none())
            .map(|n| {
                let near = closest(&n, self.names.iter().map(String::as_str)).map(str::to_string);
                (n, near)
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;
    use crate::workbook::model::Text;

    fn t(s: &str) -> Text {
        Text { text: s.into(), loc: Loc::default() }
    }

    fn units() -> Vec<UnitRow> {
        vec![
            UnitRow { code: t("VPS"), name: t("Văn phòng Sở"), row: 2, ..UnitRow::default() },
            UnitRow {
                code: t("CCCNTY"),
                name: t("Chi cục Chăn nuôi và Thú y"),
                short_name: Some(t("CC CN&TY")),
                row: 3,
                ..UnitRow::default()
            },
        ]
    }

    #[test]
    fn split_on_separators() {
        assert_eq!(split("VPS; Thanh tra Sở,\nChi cục Thủy sản."), vec!["VPS", "Thanh tra Sở", "Chi cục Thủy sản"]);
        assert_eq!(split("VPS, Thanh tra Sở"), vec!["VPS", "Thanh tra Sở"]);
        assert_eq!(
            split("Các phòng chuyên môn, đơn vị thuộc Sở; VPS"),
            vec!["Các phòng chuyên môn, đơn vị thuộc Sở", "VPS"]
        );
        assert_eq!(split("Văn phòng Sở, các đơn vị trực thuộc"), vec!["Văn phòng Sở", "các đơn vị trực thuộc"]);
        assert!(split(" ; ,\n").is_empty());
    }

    #[test]
    fn match_by_code_short_and_full_name() {
        let idx = UnitIndex::new(&units());
        assert_eq!(idx.find("vps"), Some(0));
        assert_eq!(idx.find("VAN PHONG SO"), Some(0));
        assert_eq!(idx.find("Văn phòng Sở (tham mưu Công văn)"), Some(0));
        assert_eq!(idx.find("chi cuc chan nuoi va thu y"), Some(1));
        assert_eq!(idx.find("CC CN&TY"), Some(1));
        assert_eq!(idx.resolve("VPS; Sở Nội vụ\nCCCNTY, VPS"), vec![0, 1]);
    }

    #[test]
    fn unmatched_names_get_a_suggestion() {
        let idx = UnitIndex::new(&units());
        let un = idx.unmatched("Van phong So; Chi cuc Chan nuoi Thu y; Sở Nội vụ");
        assert_eq!(un.len(), 2);
        assert_eq!(un[0].1.as_deref(), Some("Chi cục Chăn nuôi và Thú y"));
        assert_eq!(un[1].0, "Sở Nội vụ");
    }
}
