//! A small WordprocessingML writer: paragraphs, runs, table cells as
//! strings, with every piece of data escaped. Text is only ever written
//! through [`text`] or [`attr`], so no cell can add an element or a field.

use std::fmt::Write;

/// Twips (1/20 pt) from points.
pub fn tw(pt: f64) -> i64 {
    (pt * 20.0).round() as i64
}

/// Points from millimetres.
pub fn mm(v: f64) -> f64 {
    v * 72.0 / 25.4
}

/// Points from centimetres.
pub fn cm(v: f64) -> f64 {
    mm(v * 10.0)
}

/// Characters XML 1.0 cannot hold at all (most C0 controls, U+FFFE/FFFF):
/// dropped, so that a stray control character in a cell cannot break the file.
fn allowed(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` escaped for element content.
pub fn text(out: &mut String, s: &str) {
    for c in s.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// `s` escaped for an attribute value in double quotes.
pub fn attr(out: &mut String, s: &str) {
    for c in s.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

/// How a run looks, on top of its paragraph's style.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fmt {
    pub b: bool,
    pub i: bool,
    /// Points; none → the style's size.
    pub size: Option<f64>,
}

impl Fmt {
    pub fn size(size: f64) -> Fmt {
        Fmt { size: Some(size), ..Fmt::default() }
    }
    pub fn bold(mut self) -> Fmt {
        self.b = true;
        self
    }
    pub fn italic(mut self) -> Fmt {
        self.i = true;
        self
    }
}

/// Run properties: emphasis, size and the Vietnamese language on every run.
pub fn rpr(out: &mut String, f: Fmt) {
    out.push_str("<w:rPr>");
    if f.b {
        out.push_str("<w:b/><w:bCs/>");
    }
    if f.i {
        out.push_str("<w:i/><w:iCs/>");
    }
    if let Some(s) = f.size {
        let hp = (s * 2.0).round() as i64;
        let _ = write!(out, "<w:sz w:val=\"{hp}\"/><w:szCs w:val=\"{hp}\"/>");
    }
    out.push_str("<w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\"/></w:rPr>");
}

/// One run of literal text; a tab is a tab, a line feed a line break.
pub fn run(out: &mut String, s: &str, f: Fmt) {
    if s.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    rpr(out, f);
    let mut first = true;
    for line in s.split('\n') {
        if !first {
            out.push_str("<w:br/>");
        }
        first = false;
        let mut first_piece = true;
        for piece in line.split('\t') {
            if !first_piece {
                out.push_str("<w:tab/>");
            }
            first_piece = false;
            if !piece.is_empty() {
                out.push_str("<w:t xml:space=\"preserve\">");
                text(out, piece);
                out.push_str("</w:t>");
            }
        }
    }
    out.push_str("</w:r>");
}

/// A line break inside a paragraph.
pub fn br(out: &mut String) {
    out.push_str("<w:r>");
    rpr(out, Fmt::default());
    out.push_str("<w:br/></w:r>");
}

/// Paragraph properties, in the order the schema wants them.
#[derive(Debug, Clone, Default)]
pub struct P<'a> {
    pub style: Option<&'a str>,
    pub keep_next: bool,
    /// A solid line under the paragraph (points of stroke).
    pub rule: Option<f64>,
    /// Twips.
    pub before: Option<i64>,
    pub after: Option<i64>,
    /// Exact line height in twips.
    pub exact: Option<i64>,
    /// Single line spacing.
    pub single: bool,
    pub left: Option<i64>,
    pub right: Option<i64>,
    /// Twips; negative = hanging.
    pub first_line: Option<i64>,
    /// `left`, `center`, `right`, `both`.
    pub jc: Option<&'a str>,
    /// The paragraph mark's size (for tiny spacer paragraphs).
    pub mark: Option<f64>,
    /// Section properties ending a section at this paragraph.
    pub sect: Option<&'a str>,
}

impl P<'_> {
    /// Opens `<w:p>` with these properties.
    pub fn open(&self, out: &mut String) {
        out.push_str("<w:p><w:pPr>");
        if let Some(s) = self.style {
            out.push_str("<w:pStyle w:val=\"");
            attr(out, s);
            out.push_str("\"/>");
        }
        if self.keep_next {
            out.push_str("<w:keepNext/>");
        }
        if let Some(sz) = self.rule {
            let eighths = (sz * 8.0).round().max(2.0) as i64;
            let _ = write!(
                out,
                "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"{eighths}\" w:space=\"0\" w:color=\"000000\"/></w:pBdr>"
            );
        }
        if self.before.is_some() || self.after.is_some() || self.exact.is_some() || self.single {
            out.push_str("<w:spacing");
            if let Some(v) = self.before {
                let _ = write!(out, " w:before=\"{v}\"");
            }
            if let Some(v) = self.after {
                let _ = write!(out, " w:after=\"{v}\"");
            }
            if let Some(v) = self.exact {
                let _ = write!(out, " w:line=\"{v}\" w:lineRule=\"exact\"");
            } else if self.single {
                out.push_str(" w:line=\"240\" w:lineRule=\"auto\"");
            }
            out.push_str("/>");
        }
        if self.left.is_some() || self.right.is_some() || self.first_line.is_some() {
            out.push_str("<w:ind");
            if let Some(v) = self.left {
                let _ = write!(out, " w:left=\"{v}\"");
            }
            if let Some(v) = self.right {
                let _ = write!(out, " w:right=\"{v}\"");
            }
            match self.first_line {
                Some(v) if v < 0 => {
                    let _ = write!(out, " w:hanging=\"{}\"", -v);
                }
                Some(v) => {
                    let _ = write!(out, " w:firstLine=\"{v}\"");
                }
                None => {}
            }
            out.push_str("/>");
        }
        if let Some(j) = self.jc {
            let _ = write!(out, "<w:jc w:val=\"{j}\"/>");
        }
        if let Some(s) = self.mark {
            let hp = (s * 2.0).round() as i64;
            let _ = write!(out, "<w:rPr><w:sz w:val=\"{hp}\"/><w:szCs w:val=\"{hp}\"/></w:rPr>");
        }
        if let Some(s) = self.sect {
            out.push_str(s);
        }
        out.push_str("</w:pPr>");
    }

    /// A whole paragraph of one run.
    pub fn text(&self, out: &mut String, s: &str, f: Fmt) {
        self.open(out);
        run(out, s, f);
        out.push_str("</w:p>");
    }
}

/// Closes a paragraph.
pub fn close_p(out: &mut String) {
    out.push_str("</w:p>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        let mut s = String::new();
        text(&mut s, "a < b & {{ c }} </w:t><w:fldSimple w:instr=\"PAGE\"/>\u{1}\u{FFFF}đ");
        assert_eq!(s, "a &lt; b &amp; {{ c }} &lt;/w:t&gt;&lt;w:fldSimple w:instr=\"PAGE\"/&gt;đ");
        let mut s = String::new();
        attr(&mut s, "x\"y<");
        assert_eq!(s, "x&quot;y&lt;");
    }

    #[test]
    fn runs_keep_spaces_tabs_and_breaks() {
        let mut s = String::new();
        run(&mut s, " a\tb\nc ", Fmt::default().bold());
        assert_eq!(
            s,
            "<w:r><w:rPr><w:b/><w:bCs/><w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\"/></w:rPr>\
             <w:t xml:space=\"preserve\"> a</w:t><w:tab/><w:t xml:space=\"preserve\">b</w:t><w:br/>\
             <w:t xml:space=\"preserve\">c </w:t></w:r>"
        );
    }
}
