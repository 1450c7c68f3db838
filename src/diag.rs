//! Problems found in a workbook or while rendering: each carries where it comes
//! from (file, sheet, cell or label) and a Vietnamese message; they are collected,
//! never fail-fast, so `check` can list every problem in one run.

use serde::Serialize;
use std::fmt;

/// How serious a problem is: an error stops rendering, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Where a problem is: the file, and when known the sheet and an A1 cell
/// (`NhiemVu!F7`) or a ThongTin label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Loc {
    pub file: Option<String>,
    pub sheet: Option<String>,
    /// A1 reference, e.g. `F7`.
    pub cell: Option<String>,
    /// A field label (`Ngày ban hành`) when the problem is about a field.
    pub label: Option<String>,
}

impl Loc {
    pub fn file(path: impl Into<String>) -> Self {
        Loc { file: Some(path.into()), ..Loc::default() }
    }
    pub fn sheet(sheet: impl Into<String>) -> Self {
        Loc { sheet: Some(sheet.into()), ..Loc::default() }
    }
    /// A cell from zero-based row and column indices.
    pub fn cell(sheet: impl Into<String>, row: u32, col: u32) -> Self {
        Loc { sheet: Some(sheet.into()), cell: Some(a1(row, col)), ..Loc::default() }
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => parts.push(format!("{s}!{c}")),
            (Some(s), None) => parts.push(format!("trang {s}")),
            (None, Some(c)) => parts.push(c.clone()),
            (None, None) => {}
        }
        if let Some(l) = &self.label {
            parts.push(format!("mục «{l}»"));
        }
        if parts.is_empty() {
            if let Some(file) = &self.file {
                parts.push(file.clone());
            }
        }
        write!(f, "{}", parts.join(", "))
    }
}

/// A1 name of a zero-based (row, col): (6, 5) → `F7`.
pub fn a1(row: u32, col: u32) -> String {
    let mut col = col + 1;
    let mut letters = Vec::new();
    while col > 0 {
        let rem = ((col - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        col = (col - 1) / 26;
    }
    letters.reverse();
    let mut s: String = letters.into_iter().collect();
    s.push_str(&(row + 1).to_string());
    s
}

/// Column letters of a zero-based column: 5 → `F`.
pub fn col_name(col: u32) -> String {
    let s = a1(0, col);
    s.trim_end_matches('1').to_string()
}

/// One problem: what, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine code, e.g. `thieu-cot` (for tests and JSON consumers).
    pub code: &'static str,
    pub loc: Loc,
    /// What is wrong, in Vietnamese.
    pub message: String,
    /// What to do, in Vietnamese.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, loc, message: message.into(), hint: None }
    }
    pub fn warning(code: &'static str, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, code, loc, message: message.into(), hint: None }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        };
        let loc = self.loc.to_string();
        if loc.is_empty() {
            write!(f, "{kind}: {}", self.message)?;
        } else {
            write!(f, "{kind}: {loc}: {}", self.message)?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  → {h}")?;
        }
        Ok(())
    }
}

/// A growing list of problems.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 5), "F7");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
        assert_eq!(col_name(27), "AB");
    }

    #[test]
    fn display_names_cell_and_hint() {
        let d = Diagnostic::error("x", Loc::cell("NhiemVu", 6, 5), "ngày không có thật").hint("sửa lại");
        assert_eq!(d.to_string(), "lỗi: NhiemVu!F7: ngày không có thật\n  → sửa lại");
    }
}
