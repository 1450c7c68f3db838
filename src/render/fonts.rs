//! Font discovery and the choice of the body face.
//!
//! Nghị định 30 asks for Times New Roman. We take the first family, in the
//! order below, that has all four styles and covers every Vietnamese letter in
//! each; the fonts shipped in the binary (New Computer Modern) are the
//! always-present fallback. Faces are registered from their metadata only and
//! loaded on first use.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo, FontStretch, FontStyle, FontVariant, FontWeight};
use typst::utils::LazyHash;
use unicode_normalization::UnicodeNormalization;

/// Families in order of preference; the first four are metric-compatible
/// with Times New Roman.
pub const PREFERRED: &[&str] = &["Times New Roman", "Liberation Serif", "Tinos", "TeX Gyre Termes", EMBEDDED_FAMILY];

/// The embedded fallback family (typst-assets): covers Vietnamese in all styles.
pub const EMBEDDED_FAMILY: &str = "New Computer Modern";

/// Where a face comes from.
enum Source {
    Embedded(&'static [u8], u32),
    File(PathBuf, u32),
}

struct Slot {
    source: Source,
    font: OnceLock<Option<Font>>,
}

impl Slot {
    fn load(&self) -> Option<Font> {
        self.font
            .get_or_init(|| match &self.source {
                Source::Embedded(data, index) => Font::new(Bytes::new(*data), *index),
                Source::File(path, index) => {
                    let data = std::fs::read(path).ok()?;
                    Font::new(Bytes::new(data), *index)
                }
            })
            .clone()
    }
}

/// The four styles a document uses.
pub const STYLES: [(&str, FontStyle, u16); 4] = [
    ("thường", FontStyle::Normal, 400),
    ("đậm", FontStyle::Normal, 700),
    ("nghiêng", FontStyle::Italic, 400),
    ("đậm nghiêng", FontStyle::Italic, 700),
];

/// The face chosen for the documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Family name as the fonts spell it.
    pub family: String,
    /// Times New Roman or a metric-compatible face.
    pub times_compatible: bool,
    /// Whether the face ships in the binary.
    pub embedded: bool,
    /// Why better candidates were passed over (for `vanban fonts`).
    pub rejected: Vec<String>,
}

/// All known faces, loaded lazily, shareable across threads.
pub struct Fonts {
    book: LazyHash<FontBook>,
    slots: Vec<Slot>,
    pub choice: Choice,
    /// The chosen family's regular face, for [`Fonts::covers`].
    regular: Option<usize>,
}

/// Options for font discovery.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Extra directories to scan (`--font-path`).
    pub paths: Vec<PathBuf>,
    /// Skip the system's fonts (tests use this for reproducible results).
    pub ignore_system: bool,
}

impl Fonts {
    /// Registers the embedded faces, then `--font-path` faces, then system faces.
    pub fn discover(opts: &FontOptions) -> Fonts {
        let mut book = FontBook::new();
        let mut slots = Vec::new();
        for data in typst_assets::fonts() {
            if let Some(info) = FontInfo::new(data, 0) {
                book.push(info);
                slots.push(Slot { source: Source::Embedded(data, 0), font: OnceLock::new() });
            }
        }
        let mut files: Vec<(typst_kit::fonts::FontPath, FontInfo)> = Vec::new();
        for dir in &opts.paths {
            files.extend(typst_kit::fonts::scan(dir));
        }
        if !opts.ignore_system {
            files.extend(typst_kit::fonts::system());
        }
        for (path, info) in vietnamese_first(files) {
            book.push(info);
            slots.push(Slot { source: Source::File(path.path, path.index), font: OnceLock::new() });
        }
        let choice = choose(&book);
        let regular = select_style(&book, &choice.family, FontStyle::Normal, 400);
        Fonts { book: LazyHash::new(book), slots, choice, regular }
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    /// The face at `index`, loaded on first use.
    pub fn font(&self, index: usize) -> Option<Font> {
        self.slots.get(index)?.load()
    }

    /// Where the face at `index` comes from, for `vanban fonts`.
    pub fn origin(&self, index: usize) -> String {
        match self.slots.get(index).map(|s| &s.source) {
            Some(Source::Embedded(..)) => "có sẵn trong vanban".to_string(),
            Some(Source::File(p, _)) => p.display().to_string(),
            None => String::new(),
        }
    }

    /// Families and their faces, sorted by name.
    pub fn families(&self) -> Vec<(String, Vec<usize>)> {
        let mut fams: Vec<(String, Vec<usize>)> =
            self.book.families().map(|(name, ids)| (name.to_string(), ids.collect())).collect();
        fams.sort_by_key(|a| a.0.to_lowercase());
        fams
    }

    /// Whether the chosen face (its regular style) has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.regular.and_then(|i| self.book.info(i)).is_some_and(|info| info.coverage.contains(u32::from(c)))
    }

    /// The warning to give once when the chosen face is not Times-compatible.
    pub fn warning(&self) -> Option<String> {
        if self.choice.times_compatible {
            return None;
        }
        Some(format!(
            "không tìm thấy phông Times New Roman hay phông tương thích (Liberation Serif 2.x, Tinos, TeX Gyre Termes); \
             đang dùng phông «{}» có sẵn trong vanban, khác cỡ chữ so với Nghị định 30. \
             Cài Liberation Serif: `sudo apt-get install fonts-liberation2` (Debian/Ubuntu), \
             hoặc chép tệp times.ttf, timesbd.ttf, timesi.ttf, timesbi.ttf từ máy Windows vào ~/.fonts \
             hay một thư mục rồi chỉ bằng --font-path THƯ_MỤC.",
            self.choice.family
        ))
    }
}

/// Faces chosen file by file: where several files give the same family and
/// style (Debian's `fonts-liberation` 1.07, without Vietnamese, beside
/// `fonts-liberation2`), the files that cover Vietnamese are kept and the
/// others dropped, so neither the choice below nor Typst ever picks the
/// face that lacks the letters. Order is otherwise kept (`--font-path` first).
fn vietnamese_first<P>(files: Vec<(P, FontInfo)>) -> Vec<(P, FontInfo)> {
    let key = |info: &FontInfo| (info.family.to_lowercase(), info.variant);
    let covers = |info: &FontInfo| missing_letters(info).is_empty();
    let covered: std::collections::HashSet<(String, FontVariant)> =
        files.iter().filter(|(_, i)| covers(i)).map(|(_, i)| key(i)).collect();
    files.into_iter().filter(|(_, i)| covers(i) || !covered.contains(&key(i))).collect()
}

/// Every Vietnamese letter, lower and upper case, precomposed (NFC).
pub fn vietnamese_letters() -> Vec<char> {
    const BASES: &str = "aăâeêioôơuưy";
    const TONES: [&str; 6] = ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"];
    let mut out = vec!['đ', 'Đ'];
    for base in BASES.chars() {
        for tone in TONES {
            let lower: String = format!("{base}{tone}").nfc().collect();
            let upper: String = lower.to_uppercase().nfc().collect();
            out.extend(lower.chars().take(1));
            out.extend(upper.chars().take(1));
        }
    }
    out
}

/// The letters a face lacks, from its metadata.
pub fn missing_letters(info: &FontInfo) -> Vec<char> {
    vietnamese_letters().into_iter().filter(|c| !info.coverage.contains(*c as u32)).collect()
}

/// The face of `family` closest to a style, only if it really is that style.
pub fn select_style(book: &FontBook, family: &str, style: FontStyle, weight: u16) -> Option<usize> {
    let variant = FontVariant::new(style, FontWeight::from_number(weight), FontStretch::NORMAL);
    let idx = book.select(&family.to_lowercase(), variant)?;
    let info = book.info(idx)?;
    let bold_ok = (info.variant.weight.to_number() >= 600) == (weight >= 600);
    let italic_ok = (info.variant.style != FontStyle::Normal) == (style != FontStyle::Normal);
    (bold_ok && italic_ok).then_some(idx)
}

fn choose(book: &FontBook) -> Choice {
    let mut rejected = Vec::new();
    for (rank, family) in PREFERRED.iter().enumerate() {
        if !book.contains_family(&family.to_lowercase()) {
            continue;
        }
        let mut problems = Vec::new();
        for (name, style, weight) in STYLES {
            match select_style(book, family, style, weight).and_then(|i| book.info(i)) {
                None => problems.push(format!("thiếu kiểu {name}")),
                Some(info) => {
                    let missing = missing_letters(info);
                    if !missing.is_empty() {
                        let sample: String = missing.iter().take(8).collect();
                        problems.push(format!("kiểu {name} thiếu {} chữ tiếng Việt ({sample}…)", missing.len()));
                    }
                }
            }
        }
        if problems.is_empty() {
            return Choice {
                family: family.to_string(),
                times_compatible: rank < 4,
                embedded: *family == EMBEDDED_FAMILY,
                rejected,
            };
        }
        rejected.push(format!("{family}: {}", problems.join("; ")));
    }
    Choice { family: EMBEDDED_FAMILY.to_string(), times_compatible: false, embedded: true, rejected }
}

/// Whether a directory given with `--font-path` exists (for a clear message).
pub fn check_path(dir: &Path) -> Result<(), String> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(format!("không tìm thấy thư mục phông chữ «{}» (--font-path)", dir.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_set_is_complete() {
        let letters = vietnamese_letters();
        // 12 vowels × 6 tones × 2 cases + đ Đ.
        assert_eq!(letters.len(), 12 * 6 * 2 + 2);
        for c in ['ơ', 'Ư', 'ệ', 'Ỵ', 'ặ', 'Ẫ', 'đ'] {
            assert!(letters.contains(&c), "{c}");
        }
    }

    #[test]
    fn embedded_fallback_covers_vietnamese_in_every_style() {
        let fonts = Fonts::discover(&FontOptions { paths: vec![], ignore_system: true });
        assert_eq!(fonts.choice.family, EMBEDDED_FAMILY);
        assert!(!fonts.choice.times_compatible);
        assert!(fonts.warning().is_some());
        for (name, style, weight) in STYLES {
            let idx = select_style(fonts.book(), EMBEDDED_FAMILY, style, weight).expect(name);
            let info = fonts.book().info(idx).expect("info");
            assert!(missing_letters(info).is_empty(), "{name}: {:?}", missing_letters(info));
            assert!(fonts.font(idx).is_some());
        }
    }

    #[test]
    fn faces_that_cover_vietnamese_win_over_same_named_ones() {
        // Two files for every style of one family: the first lacks ơ ư (as
        // Liberation Serif 1.07 does), the second covers Vietnamese.
        let fonts = Fonts::discover(&FontOptions { paths: vec![], ignore_system: true });
        let info = |family: &str, style, weight| {
            let i = select_style(fonts.book(), family, style, weight).expect("face");
            fonts.book().info(i).expect("info").clone()
        };
        let mut files = Vec::new();
        for (name, style, weight) in STYLES {
            let mut old = info("Libertinus Serif", style, weight);
            let mut new = info(EMBEDDED_FAMILY, style, weight);
            old.family = "Liberation Serif".into();
            new.family = "Liberation Serif".into();
            // The old face lacks Vietnamese in every style.
            old.coverage = typst::text::Coverage::from_vec((u32::from(b'A')..=u32::from(b'z')).collect());
            files.push((format!("1.07 {name}"), old));
            files.push((format!("2.x {name}"), new));
        }
        let kept = vietnamese_first(files);
        assert_eq!(kept.len(), 4);
        assert!(kept.iter().all(|(p, _)| p.starts_with("2.x")), "{:?}", kept.iter().map(|k| &k.0).collect::<Vec<_>>());
        let mut book = FontBook::new();
        for (_, i) in kept {
            book.push(i);
        }
        assert_eq!(choose(&book).family, "Liberation Serif");
        assert!(choose(&book).times_compatible);
    }

    #[test]
    fn libertinus_bold_italic_is_rejected_for_lacking_o_horn() {
        // The reason Libertinus is not our fallback: its bold italic lacks ơ ư.
        let fonts = Fonts::discover(&FontOptions { paths: vec![], ignore_system: true });
        let idx = select_style(fonts.book(), "Libertinus Serif", FontStyle::Italic, 700).expect("face");
        let missing = missing_letters(fonts.book().info(idx).expect("info"));
        assert!(missing.contains(&'ơ') && missing.contains(&'ư'), "{missing:?}");
    }
}
