//! A small PDF text reader for the layout tests: every glyph Typst drew, with
//! its position (points from the page's top-left), size and font, decoded
//! through the font's ToUnicode CMap; glyphs grouped into spans (one font) and
//! lines (one baseline). Never panics on odd input: what it cannot read it
//! skips.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object};

/// One drawn glyph.
#[derive(Debug, Clone)]
pub struct Glyph {
    /// The text its ToUnicode maps to (`\u{FFFD}` when unmapped).
    pub text: String,
    /// Glyph id (the CID for Identity-H fonts).
    pub gid: u32,
    pub x: f64,
    /// Baseline, from the top of the page.
    pub y: f64,
    /// Advance width in points.
    pub w: f64,
    pub size: f64,
    /// Base font name without the subset tag: `NewCM10-Bold`.
    pub font: String,
}

/// Glyphs side by side on one baseline; a span has one font and size, a
/// line may mix them.
#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub x: f64,
    pub x_end: f64,
    pub y: f64,
    /// The largest size in the run.
    pub size: f64,
    /// The first glyph's font.
    pub font: String,
    pub glyphs: Vec<Glyph>,
}

impl Run {
    pub fn centre(&self) -> f64 {
        (self.x + self.x_end) / 2.0
    }
    pub fn is_bold(&self) -> bool {
        self.font.contains("Bold")
    }
    pub fn is_italic(&self) -> bool {
        self.font.contains("Italic") || self.font.contains("Oblique")
    }
    /// Where `needle` is drawn in this run (glyph texts joined without the
    /// spaces added for gaps): x of its first glyph and end of its last.
    pub fn find(&self, needle: &str) -> Option<(f64, f64)> {
        self.find_glyphs(needle).map(|g| (g[0].x, g[g.len() - 1].x + g[g.len() - 1].w))
    }
    /// The glyphs that draw `needle`.
    pub fn find_glyphs(&self, needle: &str) -> Option<&[Glyph]> {
        if needle.is_empty() {
            return None;
        }
        let mut raw = String::new();
        let mut owner = Vec::new();
        for (i, g) in self.glyphs.iter().enumerate() {
            raw.push_str(&g.text);
            owner.extend(std::iter::repeat_n(i, g.text.len()));
        }
        let at = raw.find(needle)?;
        let (a, b) = (owner[at], owner[at + needle.len() - 1]);
        Some(&self.glyphs[a..=b])
    }
    /// Every glyph of the run has this font (spans always do).
    pub fn all_fonts(&self, f: impl Fn(&str) -> bool) -> bool {
        self.glyphs.iter().filter(|g| !g.text.trim().is_empty()).all(|g| f(&g.font))
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub glyphs: Vec<Glyph>,
    pub spans: Vec<Run>,
    pub lines: Vec<Run>,
}

impl Page {
    pub fn landscape(&self) -> bool {
        self.width > self.height
    }
    /// The page's lines, top to bottom, joined by `\n`.
    pub fn text(&self) -> String {
        self.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
    }
    /// The first line containing `s`.
    pub fn line(&self, s: &str) -> Option<&Run> {
        self.lines.iter().find(|l| l.text.contains(s))
    }
    /// The first span (one font) containing `s`.
    pub fn span(&self, s: &str) -> Option<&Run> {
        self.spans.iter().find(|l| l.text.contains(s))
    }
}

#[derive(Debug, Clone)]
pub struct Pdf {
    pub pages: Vec<Page>,
}

impl Pdf {
    pub fn load(bytes: &[u8]) -> Result<Pdf, String> {
        let doc = Document::load_mem(bytes).map_err(|e| format!("lopdf: {e}"))?;
        let mut pages = Vec::new();
        for (_, id) in doc.get_pages() {
            let page = doc.get_dictionary(id).ok();
            let (width, height, x0, y0) = page.and_then(|p| media_box(&doc, p)).unwrap_or((595.0, 842.0, 0.0, 0.0));
            let mut glyphs = Vec::new();
            let fonts = doc.get_page_fonts(id).unwrap_or_default();
            let fonts: HashMap<Vec<u8>, Font> = fonts.into_iter().map(|(k, d)| (k, Font::read(&doc, d))).collect();
            let content = doc.get_page_content(id);
            let ctx = Ctx { doc: &doc, page_top: y0 + height, x0 };
            let xobjects = page.and_then(|p| resources(&doc, p)).and_then(|r| dict(&doc, r.get(b"XObject").ok()));
            run_content(&ctx, &content, &fonts, xobjects, IDENTITY, &mut glyphs, 0);
            let (spans, lines) = group(&glyphs);
            pages.push(Page { width, height, glyphs, spans, lines });
        }
        Ok(Pdf { pages })
    }

    pub fn text(&self) -> String {
        self.pages.iter().map(Page::text).collect::<Vec<_>>().join("\n\u{c}\n")
    }
    /// Base names of every font a glyph was drawn with.
    pub fn fonts(&self) -> Vec<String> {
        let mut v: Vec<String> = self.pages.iter().flat_map(|p| p.glyphs.iter().map(|g| g.font.clone())).collect();
        v.sort();
        v.dedup();
        v
    }
    /// (page index, line) of every line containing `s`.
    pub fn find_lines(&self, s: &str) -> Vec<(usize, &Run)> {
        self.pages
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.lines.iter().filter(|l| l.text.contains(s)).map(move |l| (i, l)))
            .collect()
    }
    pub fn find_line(&self, s: &str) -> Option<(usize, &Run)> {
        self.find_lines(s).into_iter().next()
    }
    pub fn find_span(&self, s: &str) -> Option<(usize, &Run)> {
        self.pages.iter().enumerate().find_map(|(i, p)| p.span(s).map(|l| (i, l)))
    }
}

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b` (row vectors: p' = p·a·b).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn num(o: &Object) -> Option<f64> {
    o.as_float().ok().map(f64::from)
}

fn nums(ops: &[Object]) -> Vec<f64> {
    ops.iter().filter_map(num).collect()
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn dict<'a>(doc: &'a Document, o: Option<&'a Object>) -> Option<&'a Dictionary> {
    match deref(doc, o?) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn resources<'a>(doc: &'a Document, d: &'a Dictionary) -> Option<&'a Dictionary> {
    dict(doc, d.get(b"Resources").ok())
}

fn media_box(doc: &Document, page: &Dictionary) -> Option<(f64, f64, f64, f64)> {
    let mb = match page.get(b"MediaBox").map(|o| deref(doc, o)) {
        Ok(Object::Array(a)) => nums(a),
        _ => return None,
    };
    if mb.len() != 4 {
        return None;
    }
    Some(((mb[2] - mb[0]).abs(), (mb[3] - mb[1]).abs(), mb[0].min(mb[2]), mb[1].min(mb[3])))
}

/// What a font needs to turn codes into text and advances.
#[derive(Default)]
struct Font {
    name: String,
    two_byte: bool,
    to_unicode: HashMap<u32, String>,
    widths: HashMap<u32, f64>,
    default_width: f64,
}

impl Font {
    fn read(doc: &Document, d: &Dictionary) -> Font {
        let name_of = |d: &Dictionary| {
            d.get(b"BaseFont")
                .ok()
                .and_then(|o| deref(doc, o).as_name().ok())
                .map(|n| String::from_utf8_lossy(n).into_owned())
        };
        let mut f = Font { default_width: 1000.0, ..Font::default() };
        let subtype = d.get(b"Subtype").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"");
        let mut name = name_of(d).unwrap_or_default();
        if subtype == b"Type0" {
            f.two_byte = true;
            let desc = match d.get(b"DescendantFonts").map(|o| deref(doc, o)) {
                Ok(Object::Array(a)) => a.first().and_then(|o| dict(doc, Some(o))),
                _ => None,
            };
            if let Some(desc) = desc {
                name = name_of(desc).unwrap_or(name);
                f.default_width = desc.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
                if let Ok(Object::Array(w)) = desc.get(b"W").map(|o| deref(doc, o)) {
                    read_cid_widths(doc, w, &mut f.widths);
                }
            }
        } else {
            let first = d.get(b"FirstChar").ok().and_then(num).unwrap_or(0.0) as u32;
            if let Ok(Object::Array(w)) = d.get(b"Widths").map(|o| deref(doc, o)) {
                for (i, o) in w.iter().enumerate() {
                    if let Some(v) = num(deref(doc, o)) {
                        f.widths.insert(first + i as u32, v);
                    }
                }
            }
            f.default_width = 0.0;
        }
        // `ABCDEF+NewCM10-Bold` → `NewCM10-Bold`.
        if name.len() > 7 && name.as_bytes()[6] == b'+' {
            name = name[7..].to_string();
        }
        f.name = name.trim_end_matches("-Identity-H").to_string();
        if let Ok(Object::Stream(s)) = d.get(b"ToUnicode").map(|o| deref(doc, o)) {
            let data = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
            f.to_unicode = parse_cmap(&data);
        }
        f
    }

    fn codes(&self, bytes: &[u8]) -> Vec<u32> {
        if self.two_byte {
            bytes.chunks(2).map(|c| c.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b))).collect()
        } else {
            bytes.iter().map(|&b| u32::from(b)).collect()
        }
    }

    fn text(&self, code: u32) -> String {
        match self.to_unicode.get(&code) {
            Some(s) => s.clone(),
            None if !self.two_byte => char::from_u32(code).map(String::from).unwrap_or_default(),
            None => "\u{FFFD}".into(),
        }
    }
}

fn read_cid_widths(doc: &Document, w: &[Object], out: &mut HashMap<u32, f64>) {
    let mut i = 0;
    while i < w.len() {
        let Some(first) = num(deref(doc, &w[i])) else { break };
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate() {
                    if let Some(v) = num(deref(doc, o)) {
                        out.insert(first as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) = (num(o), w.get(i + 2).and_then(|o| num(deref(doc, o)))) else { break };
                for c in first as u32..=(last as u32).min(first as u32 + 65536) {
                    out.insert(c, v);
                }
                i += 3;
            }
            None => break,
        }
    }
}

fn hex(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()).collect()
}

fn be(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |a, &x| (a << 8) | u32::from(x))
}

fn utf16(b: &[u8]) -> String {
    let units: Vec<u16> = b.chunks(2).map(|c| c.iter().fold(0u16, |a, &x| (a << 8) | u16::from(x))).collect();
    String::from_utf16_lossy(&units)
}

/// `bfchar` and `bfrange` sections of a ToUnicode CMap.
pub fn parse_cmap(data: &[u8]) -> HashMap<u32, String> {
    let text = String::from_utf8_lossy(data);
    // Tokens: `<hex>`, `[`, `]`, words.
    let mut tokens: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                let mut t = String::from("<");
                for d in chars.by_ref() {
                    if d == '>' {
                        break;
                    }
                    t.push(d);
                }
                tokens.push(t);
            }
            '[' | ']' => tokens.push(c.to_string()),
            c if c.is_whitespace() => {}
            c => {
                let mut t = c.to_string();
                while let Some(&d) = chars.peek() {
                    if d.is_whitespace() || d == '<' || d == '[' || d == ']' {
                        break;
                    }
                    t.push(d);
                    chars.next();
                }
                tokens.push(t);
            }
        }
    }
    let h = |t: &str| t.strip_prefix('<').and_then(hex);
    let mut map = HashMap::new();
    let mut i = 0;
    let mut mode = "";
    while i < tokens.len() {
        let t = tokens[i].as_str();
        match t {
            "beginbfchar" | "beginbfrange" => mode = if t == "beginbfchar" { "char" } else { "range" },
            "endbfchar" | "endbfrange" => mode = "",
            _ if mode == "char" => {
                if let (Some(src), Some(dst)) = (h(t), tokens.get(i + 1).and_then(|d| h(d))) {
                    map.insert(be(&src), utf16(&dst));
                }
                i += 1;
            }
            _ if mode == "range" => {
                let (Some(lo), Some(hi)) = (h(t), tokens.get(i + 1).and_then(|d| h(d))) else {
                    i += 1;
                    continue;
                };
                let (lo, hi) = (be(&lo), be(&hi).min(be(&lo) + 65536));
                if tokens.get(i + 2).map(String::as_str) == Some("[") {
                    let mut k = i + 3;
                    let mut c = lo;
                    while k < tokens.len() && tokens[k] != "]" {
                        if let Some(d) = h(&tokens[k]) {
                            map.insert(c, utf16(&d));
                        }
                        c += 1;
                        k += 1;
                    }
                    i = k;
                } else if let Some(mut dst) = tokens.get(i + 2).and_then(|d| h(d)) {
                    for c in lo..=hi {
                        map.insert(c, utf16(&dst));
                        // Increment the last byte of the destination.
                        if let Some(last) = dst.last_mut() {
                            *last = last.wrapping_add(1);
                        }
                    }
                    i += 2;
                }
            }
            _ => {}
        }
        i += 1;
    }
    map
}

struct Ctx<'a> {
    doc: &'a Document,
    page_top: f64,
    x0: f64,
}

#[derive(Clone, Copy)]
struct TextState {
    tc: f64,
    tw: f64,
    th: f64,
    tl: f64,
    rise: f64,
    size: f64,
}

fn run_content(
    ctx: &Ctx,
    content: &[u8],
    fonts: &HashMap<Vec<u8>, Font>,
    xobjects: Option<&Dictionary>,
    base: Matrix,
    out: &mut Vec<Glyph>,
    depth: usize,
) {
    let Ok(content) = Content::decode(content) else { return };
    let mut ctm = base;
    let mut stack: Vec<(Matrix, TextState, Option<Vec<u8>>)> = Vec::new();
    let mut ts = TextState { tc: 0.0, tw: 0.0, th: 1.0, tl: 0.0, rise: 0.0, size: 0.0 };
    let mut font: Option<Vec<u8>> = None;
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    for op in &content.operations {
        let o = &op.operands;
        let n = nums(o);
        match op.operator.as_str() {
            "q" => stack.push((ctm, ts, font.clone())),
            "Q" => {
                if let Some((m, t, f)) = stack.pop() {
                    ctm = m;
                    ts = t;
                    font = f;
                }
            }
            "cm" if n.len() == 6 => ctm = mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &ctm),
            "BT" => {
                tm = IDENTITY;
                tlm = IDENTITY;
            }
            "Tf" => {
                font = o.first().and_then(|x| x.as_name().ok()).map(<[u8]>::to_vec);
                ts.size = o.get(1).and_then(num).unwrap_or(0.0);
            }
            "Tc" if !n.is_empty() => ts.tc = n[0],
            "Tw" if !n.is_empty() => ts.tw = n[0],
            "Tz" if !n.is_empty() => ts.th = n[0] / 100.0,
            "TL" if !n.is_empty() => ts.tl = n[0],
            "Ts" if !n.is_empty() => ts.rise = n[0],
            "Tm" if n.len() == 6 => {
                tm = [n[0], n[1], n[2], n[3], n[4], n[5]];
                tlm = tm;
            }
            "Td" | "TD" if n.len() == 2 => {
                if op.operator == "TD" {
                    ts.tl = -n[1];
                }
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, n[0], n[1]], &tlm);
                tm = tlm;
            }
            "T*" => {
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -ts.tl], &tlm);
                tm = tlm;
            }
            "Tj" | "'" | "\"" | "TJ" => {
                if op.operator == "'" || op.operator == "\"" {
                    if op.operator == "\"" && n.len() >= 2 {
                        ts.tw = n[0];
                        ts.tc = n[1];
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -ts.tl], &tlm);
                    tm = tlm;
                }
                let Some(f) = font.as_ref().and_then(|f| fonts.get(f)) else { continue };
                let items: Vec<&Object> = match (op.operator.as_str(), o.last()) {
                    ("TJ", Some(Object::Array(a))) => a.iter().collect(),
                    (_, Some(s)) => vec![s],
                    _ => continue,
                };
                for item in items {
                    if let Ok(bytes) = item.as_str() {
                        for code in f.codes(bytes) {
                            let w0 = f.widths.get(&code).copied().unwrap_or(f.default_width) / 1000.0;
                            let trm = mul(&[ts.size * ts.th, 0.0, 0.0, ts.size, 0.0, ts.rise], &mul(&tm, &ctm));
                            let scale = (trm[0] * trm[3] - trm[1] * trm[2]).abs().sqrt() / ts.th.abs().max(1e-9).sqrt();
                            let space = if !f.two_byte && code == 32 { ts.tw } else { 0.0 };
                            let tx = (w0 * ts.size + ts.tc + space) * ts.th;
                            let m = mul(&tm, &ctm);
                            out.push(Glyph {
                                text: f.text(code),
                                gid: code,
                                x: trm[4] - ctx.x0,
                                y: ctx.page_top - trm[5],
                                w: tx * (m[0] * m[0] + m[1] * m[1]).sqrt(),
                                size: (scale * 100.0).round() / 100.0,
                                font: f.name.clone(),
                            });
                            tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                        }
                    } else if let Some(k) = num(item) {
                        let tx = -k / 1000.0 * ts.size * ts.th;
                        tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                    }
                }
            }
            "Do" if depth < 8 => {
                let Some(form) = o
                    .first()
                    .and_then(|x| x.as_name().ok())
                    .and_then(|name| xobjects?.get(name).ok())
                    .map(|x| deref(ctx.doc, x))
                    .and_then(|x| x.as_stream().ok())
                else {
                    continue;
                };
                if form.dict.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) != Some(b"Form") {
                    continue;
                }
                let m = match form.dict.get(b"Matrix").map(|x| deref(ctx.doc, x)) {
                    Ok(Object::Array(a)) if nums(a).len() == 6 => {
                        let a = nums(a);
                        [a[0], a[1], a[2], a[3], a[4], a[5]]
                    }
                    _ => IDENTITY,
                };
                let res = resources(ctx.doc, &form.dict);
                let mut inner: HashMap<Vec<u8>, Font> = HashMap::new();
                if let Some(fd) = res.and_then(|r| dict(ctx.doc, r.get(b"Font").ok())) {
                    for (k, v) in fd.iter() {
                        if let Some(d) = dict(ctx.doc, Some(v)) {
                            inner.insert(k.clone(), Font::read(ctx.doc, d));
                        }
                    }
                }
                let inner_x = res.and_then(|r| dict(ctx.doc, r.get(b"XObject").ok()));
                let data = form.decompressed_content().unwrap_or_else(|_| form.content.clone());
                let fonts_used = if inner.is_empty() { fonts } else { &inner };
                run_content(ctx, &data, fonts_used, inner_x.or(xobjects), mul(&m, &ctm), out, depth + 1);
            }
            _ => {}
        }
    }
}

/// Spans (one font and size, close together) and lines (one baseline).
fn group(glyphs: &[Glyph]) -> (Vec<Run>, Vec<Run>) {
    let mut order: Vec<usize> = (0..glyphs.len()).collect();
    order.sort_by(|&a, &b| glyphs[a].y.total_cmp(&glyphs[b].y).then(glyphs[a].x.total_cmp(&glyphs[b].x)));
    // Baselines: glyphs within 1 pt of the first of the cluster.
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for i in order {
        match rows.last_mut() {
            Some(r) if (glyphs[r[0]].y - glyphs[i].y).abs() < 1.0 => r.push(i),
            _ => rows.push(vec![i]),
        }
    }
    let mut spans = Vec::new();
    let mut lines = Vec::new();
    for mut row in rows {
        row.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x));
        let row: Vec<&Glyph> = row.iter().map(|&i| &glyphs[i]).collect();
        lines.extend(split(&row, false));
        spans.extend(split(&row, true));
    }
    (spans, lines)
}

fn split(row: &[&Glyph], by_font: bool) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut cur: Vec<&Glyph> = Vec::new();
    for &g in row {
        if let Some(&prev) = cur.last() {
            let gap = g.x - (prev.x + prev.w);
            let limit = prev.size.max(g.size);
            if gap > limit || (by_font && (prev.font != g.font || (prev.size - g.size).abs() > 0.1)) {
                out.push(make_run(&cur));
                cur.clear();
            }
        }
        cur.push(g);
    }
    if !cur.is_empty() {
        out.push(make_run(&cur));
    }
    out
}

fn make_run(glyphs: &[&Glyph]) -> Run {
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    for &g in glyphs {
        if let Some(p) = prev {
            // A gap with no space glyph (a table cell, room left blank).
            let gap = g.x - (p.x + p.w);
            if gap > 0.2 * g.size.max(p.size) && !p.text.ends_with(' ') && !g.text.starts_with(' ') {
                text.push(' ');
            }
        }
        text.push_str(&g.text);
        prev = Some(g);
    }
    // Extent of the ink: leading and trailing spaces left out.
    let inked: Vec<&&Glyph> = glyphs.iter().filter(|g| !g.text.trim().is_empty()).collect();
    let first = inked.first().copied().unwrap_or(&glyphs[0]);
    let last = inked.last().copied().unwrap_or(&glyphs[glyphs.len() - 1]);
    Run {
        text,
        x: first.x,
        x_end: last.x + last.w,
        y: glyphs[0].y,
        size: glyphs.iter().map(|g| g.size).fold(0.0, f64::max),
        font: glyphs[0].font.clone(),
        glyphs: glyphs.iter().map(|&g| g.clone()).collect(),
    }
}
