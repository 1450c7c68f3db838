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
pub const SIZE_SO: f64 = 13.0;
pub const SIZE_QUOC_HIEU: f64 = 13.0;
pub const SIZE_TIEU_NGU: f64 = 14.0;
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
pub const HEADER_RIGHT_MAX: f64 = 0.65;
pub const HEADER_ROW_GAP: f64 = 8.0;
pub const RULE_STROKE: f64 = 0.6;
pub const AGENCY_RULE_RATIO: f64 = 1.0 / 3.0;
pub const TRICH_YEU_RULE_RATIO: f64 = 1.0 / 3.0;
pub const ROOM_CM: f64 = 1.2;
pub const ROOM_DATE_CM: f64 = 1.0;
pub const ROOM_SHORT_CM: f64 = 0.8;

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
            ("size-tieu-ngu", SIZE_TIEU_NGU),
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
        assert_eq!(num("room-date", "cm"), ROOM_DATE_CM);
        assert_eq!(num("room-short", "cm"), ROOM_SHORT_CM);
        assert_eq!(num("sign-room", "mm"), SIGN_ROOM_MM);
        assert_eq!(num("header-left", "%") / 100.0, HEADER_LEFT);
        assert_eq!(num("header-right-max", "%") / 100.0, HEADER_RIGHT_MAX);
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
}
