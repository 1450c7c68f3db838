//! The Nghị định 30 sizes and spacings the Word copy needs, in points. Their
//! source of truth is `templates/nd30.typ`: the test below reads it and
//! fails when a value here differs, so the two writers cannot drift apart.

pub const PAGE_MARGIN_TOP_MM: f64 = 20.0;
pub const PAGE_MARGIN_BOTTOM_MM: f64 = 20.0;
pub const PAGE_MARGIN_LEFT_MM: f64 = 30.0;
pub const PAGE_MARGIN_RIGHT_MM: f64 = 15.0;
/// Where the page number's baseline sits, as a share of the top margin
/// measured up from the body.
pub const PAGE_NUMBER_ASCENT: f64 = 0.40;

pub const SIZE_BODY: f64 = 14.0;
pub const SIZE_PAGE_NUMBER: f64 = 14.0;
pub const SIZE_CO_QUAN: f64 = 13.0;
pub const SIZE_CO_QUAN_MIN: f64 = 12.0;
pub const SIZE_SO: f64 = 13.0;
pub const SIZE_QUOC_HIEU: f64 = 13.0;
pub const SIZE_QUOC_HIEU_MIN: f64 = 12.0;
pub const SIZE_TIEU_NGU: f64 = 14.0;
/// Under a 12 pt quốc hiệu, as Nghị định 30 pairs them.
pub const SIZE_TIEU_NGU_MIN: f64 = 13.0;
pub const SIZE_DIA_DANH: f64 = 14.0;
pub const SIZE_TITLE: f64 = 14.0;
pub const SIZE_KINH_GUI: f64 = 14.0;
pub const SIZE_TABLE: f64 = 12.0;
pub const SIZE_TABLE_WIDE: f64 = 11.0;
pub const TABLE_WIDE_COLUMNS: usize = 7;
pub const SIZE_CAPTION: f64 = 13.0;
pub const SIZE_NOI_NHAN_LABEL: f64 = 12.0;
pub const SIZE_NOI_NHAN: f64 = 11.0;
pub const SIZE_SIGN: f64 = 14.0;
pub const SIZE_APPENDIX: f64 = 14.0;

/// At least 6 pt between paragraphs.
pub const PAR_GAP: f64 = 6.0;
/// Line spacing "1.2 lines" (Typst: `leading-body`, 0.72 em from a baseline
/// to the next cap height, which is Word's 1.2 lines of Times).
pub const LINE_SPACING: f64 = 1.2;
pub const FIRST_INDENT_CM: f64 = 1.27;

pub const HEADER_LEFT: f64 = 0.40;
/// Kept free beside each measured header line.
pub const HEADER_PAD: f64 = 3.0;
pub const HEADER_ROW_GAP: f64 = 8.0;
pub const RULE_STROKE: f64 = 0.6;
pub const AGENCY_RULE_RATIO: f64 = 1.0 / 3.0;
pub const TRICH_YEU_RULE_RATIO: f64 = 1.0 / 3.0;
pub const ROOM_CM: f64 = 1.2;
pub const ROOM_MIN_CM: f64 = 0.6;
pub const ROOM_DATE_CM: f64 = 1.0;
pub const ROOM_SHORT_CM: f64 = 0.8;

/// The widths the header's lines take on one line, in points, each with
/// [`HEADER_PAD`]: the widest cơ quan chủ quản line, the widest line of the
/// issuing agency, the Số line with its full and its least room for a
/// handwritten number, the quốc hiệu, the tiêu ngữ, the place-date line.
#[derive(Debug, Clone, Copy)]
pub struct HeaderLines {
    pub parent: f64,
    pub issuer: f64,
    pub so: f64,
    pub so_min: f64,
    pub quoc_hieu: f64,
    pub tieu_ngu: f64,
    pub date: f64,
}

/// Sizes of (quốc hiệu, agency lines), tried in this order.
pub const HEADER_SIZES: [(f64, f64); 3] =
    [(SIZE_QUOC_HIEU, SIZE_CO_QUAN), (SIZE_QUOC_HIEU_MIN, SIZE_CO_QUAN), (SIZE_QUOC_HIEU_MIN, SIZE_CO_QUAN_MIN)];

/// The tiêu ngữ's size under a quốc hiệu of `size_qh`.
pub fn tieu_ngu_size(size_qh: f64) -> f64 {
    if size_qh < SIZE_QUOC_HIEU {
        SIZE_TIEU_NGU_MIN
    } else {
        SIZE_TIEU_NGU
    }
}

/// The sizes of the quốc hiệu and of the agency lines, as nd30.typ's
/// `header` picks them: 13 pt both, unless the lines cannot stand side by
/// side on one line each; then the quốc hiệu in 12 pt, then the agency
/// lines too (the least Nghị định 30 allows for each) — the first sizes at
/// which every line is whole, else the first at which the quốc hiệu and the
/// cơ quan chủ quản lines are. `lines_at` measures the lines at given sizes.
pub fn header_sizes(width: f64, lines_at: impl Fn(f64, f64) -> HeaderLines) -> (f64, f64) {
    let right = |l: &HeaderLines| l.quoc_hieu.max(l.tieu_ngu).max(l.date);
    let all_whole = |l: &HeaderLines| l.parent.max(l.issuer).max(l.so) + right(l) <= width;
    let side_by_side = |l: &HeaderLines| l.parent.max(l.so_min) + right(l) <= width;
    let find = |ok: &dyn Fn(&HeaderLines) -> bool| HEADER_SIZES.into_iter().find(|&(q, c)| ok(&lines_at(q, c)));
    find(&all_whole).or_else(|| find(&side_by_side)).unwrap_or(HEADER_SIZES[2])
}

/// The width of the header's left column, as nd30.typ's `header` sizes it
/// (the rule is written there): these stay on one line, in this order — the
/// quốc hiệu and the Số line, the tiêu ngữ and the place-date, the cơ quan
/// chủ quản lines, the issuing agency's lines. Where the first set that
/// fits leaves room, the left column is 40 % or as near to it as the lines
/// allow; where none fits, the columns share the width in proportion.
pub fn header_left(width: f64, l: &HeaderLines) -> f64 {
    let right = l.quoc_hieu.max(l.tieu_ngu).max(l.date);
    let wants =
        [(l.parent.max(l.issuer).max(l.so), right), (l.parent.max(l.so), right), (l.parent.max(l.so_min), right)];
    match wants.iter().find(|(a, b)| a + b <= width) {
        Some((a, b)) => (width * HEADER_LEFT).max(*a).min(width - b),
        None => {
            let (a, b) = wants[2];
            (width * (a / (a + b))).max(l.so_min).min(width - l.quoc_hieu)
        }
    }
}

pub const TITLE_ABOVE: f64 = 26.0;
pub const TITLE_BELOW: f64 = 14.0;

pub const SIGN_LEFT: f64 = 0.45;
pub const SIGN_ABOVE: f64 = 12.0;
pub const SIGN_ROOM_MM: f64 = 28.0;

pub const TABLE_STROKE: f64 = 0.5;
pub const TABLE_INSET_X: f64 = 3.0;
pub const TABLE_INSET_Y: f64 = 4.0;
pub const ROW_UNBREAKABLE_MAX: usize = 1500;

pub const BAR_HEIGHT: f64 = 10.0;
/// `luma(120)`.
pub const BAR_FILL: &str = "787878";
pub const BAR_ROW_GAP: f64 = 6.0;
pub const BAR_LABEL_MAX: f64 = 0.35;
pub const CHART_GAP: f64 = 12.0;

pub const QUOC_HIEU: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const TIEU_NGU: &str = "Độc lập - Tự do - Hạnh phúc";

#[cfg(test)]
mod tests {
    use super::*;

    const TYP: &str = include_str!("../../templates/nd30.typ");

    /// The value of `#let NAME = VALUE` in nd30.typ, up to a comment.
    fn typ(name: &str) -> String {
        let prefix = format!("#let {name} = ");
        let line = TYP.lines().find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("{name} not in nd30.typ"));
        let v = &line[prefix.len()..];
        v.split(" //").next().unwrap_or(v).trim().to_string()
    }

    fn num(name: &str, unit: &str) -> f64 {
        let v = typ(name);
        let v = v.strip_suffix(unit).unwrap_or_else(|| panic!("{name} = {v}: not in {unit}"));
        match v.split_once('/') {
            Some((a, b)) => a.trim().parse::<f64>().unwrap() / b.trim().parse::<f64>().unwrap(),
            None => v.trim().parse().unwrap(),
        }
    }

    #[test]
    fn sizes_and_spacings_are_those_of_nd30_typ() {
        assert_eq!(
            typ("page-margin"),
            format!(
                "(top: {PAGE_MARGIN_TOP_MM}mm, bottom: {PAGE_MARGIN_BOTTOM_MM}mm, left: {PAGE_MARGIN_LEFT_MM}mm, right: {PAGE_MARGIN_RIGHT_MM}mm)"
            )
        );
        assert_eq!(num("page-number-ascent", "%") / 100.0, PAGE_NUMBER_ASCENT);
        for (name, v) in [
            ("size-body", SIZE_BODY),
            ("size-page-number", SIZE_PAGE_NUMBER),
            ("size-co-quan", SIZE_CO_QUAN),
            ("size-so", SIZE_SO),
            ("size-quoc-hieu", SIZE_QUOC_HIEU),
            ("size-quoc-hieu-min", SIZE_QUOC_HIEU_MIN),
            ("size-co-quan-min", SIZE_CO_QUAN_MIN),
            ("header-pad", HEADER_PAD),
            ("size-tieu-ngu", SIZE_TIEU_NGU),
            ("size-tieu-ngu-min", SIZE_TIEU_NGU_MIN),
            ("size-dia-danh", SIZE_DIA_DANH),
            ("size-title", SIZE_TITLE),
            ("size-kinh-gui", SIZE_KINH_GUI),
            ("size-table", SIZE_TABLE),
            ("size-table-wide", SIZE_TABLE_WIDE),
            ("size-caption", SIZE_CAPTION),
            ("size-noi-nhan-label", SIZE_NOI_NHAN_LABEL),
            ("size-noi-nhan", SIZE_NOI_NHAN),
            ("size-sign", SIZE_SIGN),
            ("size-appendix", SIZE_APPENDIX),
            ("par-gap", PAR_GAP),
            ("header-row-gap", HEADER_ROW_GAP),
            ("title-above", TITLE_ABOVE),
            ("title-below", TITLE_BELOW),
            ("sign-above", SIGN_ABOVE),
            ("bar-height", BAR_HEIGHT),
            ("bar-row-gap", BAR_ROW_GAP),
            ("chart-gap", CHART_GAP),
        ] {
            assert_eq!(num(name, "pt"), v, "{name}");
        }
        assert_eq!(typ("table-wide-columns"), TABLE_WIDE_COLUMNS.to_string());
        assert_eq!(typ("row-unbreakable-max"), ROW_UNBREAKABLE_MAX.to_string());
        assert_eq!(num("first-indent", "cm"), FIRST_INDENT_CM);
        assert_eq!(num("room", "cm"), ROOM_CM);
        assert_eq!(num("room-min", "cm"), ROOM_MIN_CM);
        assert_eq!(
            typ("header-sizes"),
            "((size-quoc-hieu, size-co-quan), (size-quoc-hieu-min, size-co-quan), (size-quoc-hieu-min, size-co-quan-min))"
        );
        assert_eq!(num("room-date", "cm"), ROOM_DATE_CM);
        assert_eq!(num("room-short", "cm"), ROOM_SHORT_CM);
        assert_eq!(num("sign-room", "mm"), SIGN_ROOM_MM);
        assert_eq!(num("header-left", "%") / 100.0, HEADER_LEFT);
        assert_eq!(num("sign-left", "%") / 100.0, SIGN_LEFT);
        assert_eq!(num("bar-label-max", "%") / 100.0, BAR_LABEL_MAX);
        assert_eq!(num("agency-rule-ratio", ""), AGENCY_RULE_RATIO);
        assert_eq!(num("trich-yeu-rule-ratio", ""), TRICH_YEU_RULE_RATIO);
        assert_eq!(typ("rule-stroke"), format!("{RULE_STROKE}pt + black"));
        assert_eq!(typ("table-stroke"), format!("{TABLE_STROKE}pt + black"));
        assert_eq!(typ("table-inset"), format!("(x: {TABLE_INSET_X}pt, y: {TABLE_INSET_Y}pt)"));
        assert_eq!(typ("bar-fill"), "luma(120)");
        assert_eq!(BAR_FILL, format!("{0:02X}{0:02X}{0:02X}", 120));
        assert_eq!(typ("quoc-hieu"), format!("{QUOC_HIEU:?}"));
        assert_eq!(typ("tieu-ngu"), format!("{TIEU_NGU:?}"));
        // Word's 1.2 lines of Times: 0.72 em of Typst leading over a cap height.
        assert_eq!(typ("leading-body"), "0.72em");
        assert_eq!(LINE_SPACING, 1.2);
    }

    /// Times-like widths at the sizes of the header (points, padded).
    fn lines() -> HeaderLines {
        HeaderLines {
            parent: 150.0,
            issuer: 180.0,
            so: 140.0,
            so_min: 125.0,
            quoc_hieu: 285.0,
            tieu_ngu: 200.0,
            date: 240.0,
        }
    }

    #[test]
    fn header_columns_are_sized_from_the_text() {
        let w = 467.7;
        // Everything fits: the left column is as near to 40 % as the
        // quốc hiệu allows.
        let l = header_left(w, &lines());
        assert_eq!(l, w - 285.0, "40 % would leave the quốc hiệu too little");
        let short = HeaderLines { quoc_hieu: 250.0, date: 220.0, ..lines() };
        assert_eq!(header_left(w, &short), w * HEADER_LEFT, "40 % when both fit so");
        // A long parent line is kept whole; the right column still holds
        // the quốc hiệu and the date.
        let parent = HeaderLines { parent: 175.0, ..lines() };
        let l = header_left(w, &parent);
        assert!(l >= 175.0 && w - l >= 285.0, "{l}");
        // A one-line issuer too long for both: it alone gives way.
        let issuer = HeaderLines { issuer: 300.0, ..lines() };
        let l = header_left(w, &issuer);
        assert!(l >= 150.0 && w - l >= 285.0, "{l}");
        // Nothing fits (a wide face): shared in proportion, the quốc hiệu whole.
        let wide = HeaderLines { parent: 230.0, quoc_hieu: 260.0, date: 310.0, ..lines() };
        let l = header_left(w, &wide);
        assert!((l - w * 230.0 / 540.0).abs() < 1e-9, "{l}");
        let huge = HeaderLines { parent: 400.0, ..lines() };
        let l = header_left(w, &huge);
        assert!(w - l >= 285.0 - 1e-9 && l >= 125.0, "{l}");
    }

    #[test]
    fn header_sizes_stay_13_pt_unless_the_lines_cannot_stand_side_by_side() {
        let w = 467.7;
        // Widths scale with the size; `parent` is the cơ quan chủ quản line at 13 pt.
        let at = |parent: f64, qh: f64| {
            move |q: f64, c: f64| HeaderLines { parent: parent * c / 13.0, quoc_hieu: qh * q / 13.0, ..lines() }
        };
        assert_eq!(header_sizes(w, at(150.0, 285.0)), (13.0, 13.0));
        // A wide face: the quốc hiệu gives way first.
        assert_eq!(header_sizes(w, at(160.0, 320.0)), (12.0, 13.0));
        // A long parent line: then the agency lines.
        assert_eq!(header_sizes(w, at(215.0, 285.0)), (12.0, 12.0));
        // Nothing fits: the least sizes.
        assert_eq!(header_sizes(w, at(300.0, 285.0)), (12.0, 12.0));
    }
}
