//! The KẾ HOẠCH as printed: render real workbooks with the binary, read the
//! PDF back and check the layout rules of Nghị định 30 (spec/nd30.md).

use crate::common::*;
use unicode_normalization::UnicodeNormalization;

const HOSTILE: &str = r#"#read("/etc/passwd") $x$ <a> @b [c] _d_ // e"#;

fn span<'a>(pdf: &'a Pdf, s: &str) -> (usize, &'a Run) {
    pdf.find_span(s).unwrap_or_else(|| panic!("no span with «{s}» in:\n{}", pdf.text()))
}

fn line<'a>(pdf: &'a Pdf, s: &str) -> (usize, &'a Run) {
    pdf.find_line(s).unwrap_or_else(|| panic!("no line with «{s}» in:\n{}", pdf.text()))
}

/// Spans on the baseline `y` of a page, left to right.
fn row(page: &Page, y: f64) -> Vec<&Run> {
    let mut v: Vec<&Run> = page.spans.iter().filter(|s| (s.y - y).abs() < 1.0).collect();
    v.sort_by(|a, b| a.x.total_cmp(&b.x));
    v
}

fn size(r: &Run, want: f64, what: &str) {
    near(r.size, want, 0.1, &format!("size of «{what}»"));
}

/// Regular upright face.
fn regular(r: &Run) -> bool {
    !r.is_bold() && !r.is_italic()
}

/// A numbered heading line of the body: 14 pt bold, `I.`, `1.`, `1.1.`, `a)`.
fn is_heading(l: &Run) -> bool {
    let first = l.text.split_whitespace().next().unwrap_or("");
    let numbered = (first.ends_with('.')
        && first.trim_end_matches('.').split('.').all(|p| {
            !p.is_empty() && (p.chars().all(|c| c.is_ascii_digit()) || p.chars().all(|c| "IVXLC".contains(c)))
        }))
        || (first.ends_with(')') && first.len() <= 3);
    numbered && l.size > 13.5 && l.glyphs.first().is_some_and(|g| g.font.contains("Bold"))
}

/// Lines of the body area (below the top margin), top to bottom.
fn body_lines(page: &Page) -> Vec<&Run> {
    let mut v: Vec<&Run> = page.lines.iter().filter(|l| l.y > TOP).collect();
    v.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    v
}

fn nfd(s: &str) -> String {
    s.nfd().collect()
}

/// Without diacritics, `đ` → `d`.
fn ascii_fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

#[test]
fn a4_portrait_with_the_decree_margins() {
    let r = plan(&Book::plan(35));
    let pdf = &r.pdf;
    assert!(pdf.pages.len() >= 3, "35 tasks should span several pages, got {}", pdf.pages.len());
    for (i, p) in pdf.pages.iter().enumerate() {
        near(p.width, A4_W, 1.0, &format!("page {} width", i + 1));
        near(p.height, A4_H, 1.0, &format!("page {} height", i + 1));
    }
    let lines: Vec<&Run> = pdf.pages.iter().flat_map(|p| p.lines.iter()).collect();
    let min_x = lines.iter().map(|l| l.x).fold(f64::MAX, f64::min);
    near(min_x, LEFT, 1.0, "leftmost text (left margin 30 mm)");
    let max_x = lines.iter().map(|l| l.x_end).fold(0.0, f64::max);
    assert!(max_x <= RIGHT + 1.0, "text runs into the right margin: {max_x:.2} > {RIGHT:.2}");
    let justified = lines.iter().filter(|l| l.size > 13.5 && (l.x_end - RIGHT).abs() < 1.0).count();
    assert!(justified >= 5, "justified body lines should end at 210 − 15 mm ({RIGHT:.2}); {justified} do");
    // Top margin: the cap height of the first line sits at 20 mm.
    let first = &pdf.pages[0];
    let top = first.glyphs.iter().map(|g| g.y - 0.68 * g.size).fold(f64::MAX, f64::min);
    near(top, TOP, 3.0, "top of the first line (top margin 20 mm)");
    // Body text is 14 pt, indented 1.27 cm on the first line.
    let (_, p) = span(pdf, "Nâng cao nhận thức");
    size(p, 14.0, "body");
    assert!(regular(p));
    near(p.x, LEFT + 1.27 / 2.54 * 72.0, 1.0, "first-line indent");
}

#[test]
fn national_header() {
    let r = plan(&Book::plan(5));
    let pdf = &r.pdf;
    let (pg, qh) = span(pdf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_eq!(pg, 0);
    assert!(qh.is_bold() && !qh.is_italic(), "quốc hiệu bold: {}", qh.font);
    assert!(qh.centre() > CENTRE, "quốc hiệu in the right column: centre {:.1}", qh.centre());
    assert!(qh.x_end <= RIGHT + 1.0);

    let (_, tn) = span(pdf, "Độc lập - Tự do - Hạnh phúc");
    assert!(tn.is_bold() && !tn.is_italic());
    // 14 pt under a 13 pt quốc hiệu, 13 pt under a 12 pt one (Nghị định 30's pairs).
    size(tn, qh.size + 1.0, "tiêu ngữ");
    near(tn.centre(), qh.centre(), 2.0, "tiêu ngữ centred under the quốc hiệu");
    assert!(tn.y > qh.y && tn.y - qh.y < 30.0, "tiêu ngữ right under the quốc hiệu");

    let (_, parent) = span(pdf, "UBND TỈNH");
    assert!(regular(parent), "cơ quan chủ quản regular: {}", parent.font);
    let (_, issuer) = span(pdf, "SỞ NÔNG NGHIỆP");
    assert!(issuer.is_bold(), "cơ quan ban hành bold: {}", issuer.font);
    header_sizes_rule(qh, &[parent, issuer]);
    for a in [parent, issuer] {
        assert!(a.centre() < CENTRE && a.x >= LEFT - 1.0, "agency «{}» in the left column", a.text);
    }
    near(parent.centre(), issuer.centre(), 2.0, "agency lines centred on one axis");
    assert!(issuer.y > parent.y);
    assert!(!pdf.text().contains("Nông nghiệp và Phát triển nông thôn\nSỞ"), "agency order");

    let (_, so) = span(pdf, "Số: 54/KH-SNNPTNT");
    assert!(regular(so), "Số upright: {}", so.font);
    size(so, 13.0, "Số");
    near(so.centre(), issuer.centre(), 3.0, "Số centred under the agency");
    let (_, date) = span(pdf, "An Giang, ngày 30 tháng 6 năm 2021");
    assert!(date.is_italic() && !date.is_bold(), "date line italic: {}", date.font);
    size(date, 14.0, "địa danh, ngày");
    assert!((so.y - date.y).abs() < 2.0, "Số ({:.2}) and date ({:.2}) on one baseline", so.y, date.y);
    near(date.centre(), tn.centre(), 3.0, "date centred under the tiêu ngữ");
    assert!(date.y > tn.y);
}

/// Nghị định 30 allows 12–13 pt for the quốc hiệu and the agency lines:
/// 13 pt both, unless the lines cannot stand side by side on one line each
/// at that size; then the quốc hiệu in 12 pt, then the agency lines too.
/// `agency`: the agency lines' spans (the cơ quan chủ quản first).
fn header_sizes_rule(qh: &Run, agency: &[&Run]) {
    let at = |r: &Run, s: f64| (r.x_end - r.x) * s / r.size;
    let room = RIGHT - LEFT - 6.0; // less the padding beside each line
    let size = agency[0].size;
    let widest = agency.iter().map(|r| at(r, 13.0)).fold(0.0, f64::max);
    assert!([12.0, 13.0].iter().any(|s| (qh.size - s).abs() < 0.1), "quốc hiệu 12 or 13 pt: {}", qh.size);
    assert!([12.0, 13.0].iter().any(|s| (size - s).abs() < 0.1), "agency 12 or 13 pt: {size}");
    for r in agency {
        near(r.size, size, 0.1, &format!("«{}» as the other agency lines", r.text));
    }
    // Nghị định 30 pairs a 13 pt quốc hiệu with a 14 pt tiêu ngữ, 12 with 13.
    if qh.size < 12.5 {
        assert!(at(qh, 13.0) + widest > room, "quốc hiệu in 12 pt although 13 pt fits beside the agency");
    }
    if size < 12.5 {
        assert!(qh.size < 12.5, "the quốc hiệu gives way before the agency lines");
        assert!(at(qh, 12.0) + widest > room, "agency in 12 pt although 13 pt fits");
    }
}

/// The header's columns sized from the text, with the embedded fallback face
/// (wider than Times) and with Liberation Serif: the quốc hiệu always on one
/// line, the agency lines as typed wherever they can fit beside it, the
/// columns never overlapping, Số level with the place-date.
#[test]
fn header_columns_sized_from_the_text() {
    let liberation = "/usr/share/fonts/truetype/liberation2";
    assert!(
        std::path::Path::new(liberation).join("LiberationSerif-Regular.ttf").is_file(),
        "this test needs fonts-liberation2 (apt-get install fonts-liberation2)"
    );
    let issuer = ["SỞ NÔNG NGHIỆP VÀ", "PHÁT TRIỂN NÔNG THÔN"];
    // (face, cơ quan chủ quản, whether it fits on one line beside the
    // quốc hiệu, whether the issuing agency's lines do too). The embedded
    // face is wider than Times: «PHÁT TRIỂN NÔNG THÔN» cannot stand beside
    // its quốc hiệu even in 12 pt.
    let cases = [
        ("embedded", "UBND TỈNH AN GIANG", true, false),
        ("embedded", "ỦY BAN NHÂN DÂN TỈNH AN GIANG", false, false),
        ("Liberation Serif", "UBND TỈNH AN GIANG", true, true),
        ("Liberation Serif", "ỦY BAN NHÂN DÂN TỈNH AN GIANG", true, true),
    ];
    for (face, parent_text, fits, issuer_fits) in cases {
        let book = Book::plan(3).set("Cơ quan chủ quản", parent_text).set("Cơ quan ban hành", issuer.join("\n"));
        let extra: &[&str] = if face == "embedded" { &[] } else { &["--font-path", liberation] };
        let r = render(&book, "plan", extra);
        let case = format!("{face}, «{parent_text}»");
        let fonts = r.pdf.fonts();
        let expect = if face == "embedded" { "NewCM10" } else { "LiberationSerif" };
        assert!(fonts.iter().all(|f| f.starts_with(expect)), "{case}: {fonts:?}");
        let page = &r.pdf.pages[0];
        let qh = page
            .span("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
            .unwrap_or_else(|| panic!("{case}: quốc hiệu on one line:\n{}", page.text()));
        assert!(qh.x_end <= RIGHT + 1.0, "{case}: quốc hiệu inside the margin");
        let first_word = parent_text.split(' ').next().unwrap_or_default();
        let parent = page.span(first_word).unwrap_or_else(|| panic!("{case}: «{first_word}»"));
        if fits {
            assert_eq!(parent.text.trim(), parent_text, "{case}: the cơ quan chủ quản line as typed");
            let agency: Vec<&Run> = issuer.iter().filter_map(|l| page.span(l)).collect();
            header_sizes_rule(qh, &[&[parent], agency.as_slice()].concat());
        }
        if issuer_fits {
            for l in issuer {
                let s = page.span(l).unwrap_or_else(|| panic!("{case}: «{l}» on one line:\n{}", page.text()));
                assert_eq!(s.text.trim(), l, "{case}: the issuing agency's lines as typed");
            }
        }
        let left_end =
            page.spans.iter().filter(|s| s.y < qh.y + 60.0 && s.x < qh.x).map(|s| s.x_end).fold(0.0, f64::max);
        assert!(left_end < qh.x, "{case}: the columns do not overlap ({left_end:.1} ≥ {:.1})", qh.x);
        let so = page.span("Số:").unwrap_or_else(|| panic!("{case}: Số"));
        assert!(so.text.contains("/KH-SNNPTNT"), "{case}: the Số line whole: «{}»", so.text);
        let date = page.span("An Giang, ngày").unwrap_or_else(|| panic!("{case}: date"));
        assert!(date.text.contains("năm 2021"), "{case}: the date line whole: «{}»", date.text);
        near(so.y, date.y, 1.0, &format!("{case}: Số and the date on one baseline"));
        assert!(so.x_end < date.x, "{case}: Số left of the date");
    }
}

fn header_date(book: Book) -> String {
    let r = plan(&book);
    let (_, l) = line(&r.pdf, "An Giang, ngày");
    l.text.clone()
}

#[test]
fn date_rule_leading_zeros() {
    let base = Book::plan(3);
    let d = header_date(base.clone().set("Ngày ban hành", D(2023, 1, 5)).set("Năm", 2023));
    assert!(d.contains("ngày 05 tháng 01 năm 2023"), "{d}");
    let d = header_date(base.clone().set("Ngày ban hành", D(2024, 2, 8)).set("Năm", 2024));
    assert!(d.contains("ngày 08 tháng 02 năm 2024"), "{d}");
    let d = header_date(base.clone().set("Ngày ban hành", D(2021, 6, 30)));
    assert!(d.contains("ngày 30 tháng 6 năm 2021"), "{d}");
    let d = header_date(base.set("Ngày ban hành", "12/11/2021"));
    assert!(d.contains("ngày 12 tháng 11 năm 2021"), "date typed as text: {d}");
}

#[test]
fn blank_number_and_date_leave_room() {
    let r = plan(&Book::plan(3).unset("Số").unset("Ngày ban hành"));
    let page = &r.pdf.pages[0];
    let so =
        page.spans.iter().find(|s| s.text.trim() == "Số:").unwrap_or_else(|| panic!("«Số:» alone:\n{}", page.text()));
    let parts = row(page, so.y);
    let kh = parts.iter().find(|s| s.text.starts_with("/KH-SNNPTNT")).unwrap_or_else(|| {
        panic!(
            "«Số:      /KH-SNNPTNT» must stay on one line; the line of «Số:» holds {:?}",
            parts.iter().map(|s| &s.text).collect::<Vec<_>>()
        )
    });
    assert!(kh.x - so.x_end >= 20.0, "room for the number: {:.1} pt", kh.x - so.x_end);

    let ngay = page.spans.iter().find(|s| s.text.trim_end().ends_with("ngày")).expect("«… ngày» then room");
    assert!(ngay.text.starts_with("An Giang, ngày"));
    let parts = row(page, ngay.y);
    let i = parts.iter().position(|s| std::ptr::eq(*s, ngay)).expect("in its row");
    let rest: Vec<&str> = parts[i..].iter().map(|s| s.text.trim()).collect();
    assert_eq!(rest, ["An Giang, ngày", "tháng", "năm 2021"], "blank day and month: {rest:?}");
    for w in parts[i..].windows(2) {
        assert!(w[1].x - w[0].x_end >= 20.0, "room between «{}» and «{}»", w[0].text, w[1].text);
        assert!(w[1].is_italic());
    }
    // The Số line and the date line still share the baseline.
    assert!((so.y - ngay.y).abs() < 2.0);
}

#[test]
fn number_below_ten_gets_a_leading_zero() {
    let r = plan(&Book::plan(3).set("Số", 5));
    span(&r.pdf, "Số: 05/KH-SNNPTNT");
}

#[test]
fn title_and_trich_yeu_centred_bold() {
    let long = "Khắc phục tồn tại, hạn chế năm 2020; duy trì, nâng cao các chỉ số cải cách hành chính năm 2021 của Sở Nông nghiệp và Phát triển nông thôn";
    for ty in ["Khắc phục, nâng cao chỉ số cải cách hành chính năm 2021", long] {
        let r = plan(&Book::plan(3).set("Trích yếu", ty));
        let pdf = &r.pdf;
        let (_, title) = pdf.pages[0]
            .spans
            .iter()
            .find(|s| s.text.trim() == "KẾ HOẠCH")
            .map(|s| (0, s))
            .unwrap_or_else(|| panic!("KẾ HOẠCH:\n{}", pdf.text()));
        assert!(title.is_bold());
        size(title, 14.0, "KẾ HOẠCH");
        near(title.centre(), CENTRE, 5.0, "KẾ HOẠCH centred");
        // Every line of the trích yếu: bold 14, centred, right under the title.
        let words: Vec<&str> = ty.split_whitespace().collect();
        let lines: Vec<&Run> =
            pdf.pages[0].spans.iter().filter(|s| s.y > title.y && s.y < title.y + 60.0 && s.is_bold()).collect();
        assert!(!lines.is_empty());
        let joined = lines.iter().map(|l| l.text.trim()).collect::<Vec<_>>().join(" ");
        assert_eq!(joined.split_whitespace().collect::<Vec<_>>(), words, "trích yếu lines");
        for l in &lines {
            size(l, 14.0, "trích yếu");
            near(l.centre(), CENTRE, 5.0, &format!("trích yếu line «{}» centred", l.text));
        }
    }
}

#[test]
fn numbering_bullets_and_styles() {
    let r = plan(&Book::plan(3));
    let pdf = &r.pdf;
    for h in [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "III. CHỈ TIÊU",
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Mục đích",
        "2. Yêu cầu",
        "2.1. Đối với các phòng",
        "2.2. Đối với các đơn vị",
    ] {
        let (_, s) = span(pdf, h);
        assert!(s.is_bold(), "heading «{h}» bold: {}", s.font);
        size(s, 14.0, h);
        assert!(s.text.starts_with(h), "«{h}» starts its line: «{}»", s.text);
    }
    for (marker, text) in [("-", "Khắc phục các tiêu chí"), ("+", "Phấn đấu Chỉ số")] {
        let (_, l) = line(pdf, text);
        assert!(l.text.starts_with(&format!("{marker} {text}")), "bullet «{marker}»: «{}»", l.text);
        assert_eq!(l.glyphs[0].text, marker, "the marker is the literal character");
        assert!(regular(l));
        size(l, 14.0, "bullet");
    }
    // Căn cứ: italic, `;` then `.` at the end of the last.
    let (_, c) = span(pdf, "Căn cứ Nghị quyết");
    assert!(c.is_italic() && !c.is_bold(), "căn cứ italic: {}", c.font);
    let text = pdf.text();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("giai đoạn 2021 - 2030; Căn cứ Quyết định"), "first căn cứ ends «;»:\n{text}");
    assert!(flat.contains("cải cách hành chính năm 2020. Năm 2020,"), "last căn cứ ends «.»:\n{text}");

    // Level 3 as letters.
    let r = plan(&Book::plan(3).set("Đánh số cấp 3", "a)"));
    for h in ["a) Đối với các phòng", "b) Đối với các đơn vị"] {
        let (_, s) = span(&r.pdf, h);
        assert!(s.is_bold(), "«{h}» bold");
    }
    assert!(!r.pdf.text().contains("2.1."), "no decimal level 3 with «a)»");
}

#[test]
fn noi_nhan_and_signature() {
    let r = plan(&Book::plan(3));
    let pdf = &r.pdf;
    let (pg, nn) = span(pdf, "Nơi nhận:");
    assert!(nn.is_bold() && nn.is_italic(), "Nơi nhận: bold italic, got {}", nn.font);
    size(nn, 12.0, "Nơi nhận:");
    near(nn.x, LEFT, 1.0, "Nơi nhận: on the left");
    let page = &pdf.pages[pg];
    let entries: Vec<&Run> = body_lines(page).into_iter().filter(|l| l.y > nn.y && l.x < CENTRE - 40.0).collect();
    let texts: Vec<&str> = entries.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "- UBND tỉnh (để báo cáo);",
            "- Giám đốc, các Phó Giám đốc Sở;",
            "- Các phòng, đơn vị thuộc Sở;",
            "- Lưu: VT, VPS."
        ],
        "recipient lines"
    );
    for e in &entries {
        size(e, 11.0, &e.text);
        assert!(regular(e), "recipients upright");
        assert_eq!(e.glyphs[0].text, "-", "a literal hyphen, not a bullet");
        near(e.x, LEFT, 1.0, "recipient at the left margin");
    }

    let sign = |s: &str| {
        let (p, l) = span(pdf, s);
        assert_eq!(p, pg, "«{s}» on the page of Nơi nhận:");
        assert!(l.is_bold(), "«{s}» bold");
        size(l, 14.0, s);
        assert!(l.x > CENTRE - 10.0, "«{s}» in the right half: x {:.1}", l.x);
        l.clone()
    };
    let kt = sign("KT. GIÁM ĐỐC");
    let cv = sign("PHÓ GIÁM ĐỐC");
    let name = sign("Võ Thị Thanh Vân");
    assert!(cv.y > kt.y && name.y - cv.y >= 50.0, "room to sign: {:.1} pt", name.y - cv.y);
    near(kt.centre(), name.centre(), 2.0, "name centred under the title");
    assert!((kt.y - nn.y).abs() < 5.0, "Nơi nhận: level with the signer's title");

    // A People's Committee: TM. / KT. / PHÓ CHỦ TỊCH.
    let book = Book::plan(3)
        .unset("Quyền hạn ký")
        .add("Quyền hạn ký", "TM. ỦY BAN NHÂN DÂN")
        .add("Quyền hạn ký", "KT. CHỦ TỊCH")
        .set("Chức vụ người ký", "PHÓ CHỦ TỊCH");
    let r = plan(&book);
    let pdf = &r.pdf;
    let (pg, _) = span(pdf, "Nơi nhận:");
    let mut ys = Vec::new();
    for s in ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Võ Thị Thanh Vân"] {
        let (p, l) = pdf.pages[pg]
            .spans
            .iter()
            .find(|l| l.text.trim() == s)
            .map(|l| (pg, l))
            .unwrap_or_else(|| panic!("«{s}» on the page of Nơi nhận:\n{}", pdf.pages[pg].text()));
        assert_eq!(p, pg);
        assert!(l.is_bold() && l.x > CENTRE - 10.0, "«{s}» bold on the right");
        ys.push(l.y);
    }
    assert!(ys.windows(2).all(|w| w[1] > w[0]), "signature lines in order: {ys:?}");
    assert!(ys[3] - ys[2] >= 50.0, "room to sign");
}

#[test]
fn page_numbers_from_page_two() {
    let r = plan(&Book::plan(35));
    let pdf = &r.pdf;
    assert!(pdf.pages.len() >= 3);
    let in_margin = |p: &Page| p.lines.iter().filter(|l| l.y < TOP).cloned().collect::<Vec<_>>();
    assert!(in_margin(&pdf.pages[0]).is_empty(), "no page number on page 1: {:?}", in_margin(&pdf.pages[0]));
    for (i, p) in pdf.pages.iter().enumerate().skip(1) {
        let m = in_margin(p);
        assert_eq!(m.len(), 1, "one page number on page {}: {m:?}", i + 1);
        assert_eq!(m[0].text, (i + 1).to_string());
        near(m[0].centre(), CENTRE, 2.0, "page number centred");
        size(&m[0], 14.0, "page number");
        assert!(regular(&m[0]));
    }
}

#[test]
fn headings_never_end_a_page() {
    let mut checked = 0;
    for (n, extra) in [(14, 0), (17, 1), (20, 2), (23, 0), (26, 1), (29, 2), (32, 3)] {
        let mut book = Book::plan(n).set("Trình bày nhiệm vụ", "văn xuôi");
        for k in 0..extra {
            book = book.add("Mở đầu", format!("Đoạn mở đầu bổ sung số {k} để dời các tiêu đề xuống dưới trang."));
        }
        let r = plan(&book);
        let pages = &r.pdf.pages;
        assert!(pages.len() >= 2);
        for (i, p) in pages.iter().enumerate().take(pages.len() - 1) {
            let lines = body_lines(p);
            let Some(last) = lines.last() else { continue };
            assert!(!is_heading(last), "{n} tasks: page {} ends with the heading «{}»", i + 1, last.text);
            checked += 1;
        }
        // The headings are recognised at all.
        assert!(pages.iter().flat_map(body_lines).filter(|l| is_heading(l)).count() >= 8);
    }
    assert!(checked >= 7);
}

#[test]
fn body_ends_with_slash_dot() {
    let r = plan(&Book::plan(3));
    let pdf = &r.pdf;
    let text = pdf.text();
    assert_eq!(text.matches("./.").count(), 1, "one «./.»");
    let (pg, nn) = span(pdf, "Nơi nhận:");
    let before: Vec<&Run> = body_lines(&pdf.pages[pg]).into_iter().filter(|l| l.y < nn.y - 1.0).collect();
    let last = before.last().expect("body text before the signature");
    assert!(last.text.trim_end().ends_with("nông thôn./."), "last body line: «{}»", last.text);
}

#[test]
fn tasks_as_a_table_repeat_the_header() {
    let r = plan(&Book::plan(35));
    let pdf = &r.pdf;
    let mut pages_with_tasks = 0;
    for (i, p) in pdf.pages.iter().enumerate() {
        let Some(first_task) = p.lines.iter().filter(|l| l.text.contains("Nhiệm vụ số")).map(|l| l.y).reduce(f64::min)
        else {
            continue;
        };
        pages_with_tasks += 1;
        let stt =
            p.spans.iter().find(|s| s.text.trim() == "STT").unwrap_or_else(|| panic!("header row on page {}", i + 1));
        assert!(stt.is_bold() && stt.y < first_task, "STT header above the rows on page {}", i + 1);
        assert!(p.spans.iter().any(|s| s.text.contains("Nhiệm vụ") && s.is_bold() && (s.y - stt.y).abs() < 1.0));
    }
    assert!(pages_with_tasks >= 2, "the table spans pages ({pages_with_tasks})");
    // Group rows bold, numbered; tasks numbered inside their group.
    let (_, g) = span(pdf, "Công tác chỉ đạo, điều hành");
    assert!(g.is_bold());
    let (pg, t1) = line(pdf, "Nhiệm vụ số 1 về");
    assert!(pdf.pages[pg].spans.iter().any(|s| s.text.trim() == "1.1" && s.y > t1.y - 1.0 && s.y < t1.y + 30.0));
}

#[test]
fn tasks_as_prose() {
    let r = plan(&Book::plan(6).set("Trình bày nhiệm vụ", "văn xuôi"));
    let pdf = &r.pdf;
    let text = pdf.text();
    let (_, g) = span(pdf, "1. Công tác chỉ đạo, điều hành");
    assert!(g.is_bold());
    let (_, t) = line(pdf, "Nhiệm vụ số 1 về");
    assert!(t.text.starts_with("1.1. Nhiệm vụ số 1"), "«{}»", t.text);
    let (_, t) = line(pdf, "Nhiệm vụ số 3 về");
    assert!(t.text.starts_with("2.1. Nhiệm vụ số 3"), "«{}»", t.text);
    for l in ["- Đơn vị chủ trì: VPS", "- Đơn vị phối hợp: TCCB", "- Thời hạn: Quý I/2021"] {
        assert!(text.lines().any(|x| x.trim() == l), "line «{l}» in:\n{text}");
    }
    assert!(!text.contains("Thời hạn\n"), "no task table");

    let r = plan(&Book::plan(6).set("Trình bày nhiệm vụ", "văn xuôi").set("Đánh số cấp 3", "a)"));
    let (_, t) = line(&r.pdf, "Nhiệm vụ số 2 về");
    assert!(t.text.starts_with("b) Nhiệm vụ số 2"), "«{}»", t.text);
}

#[test]
fn tasks_as_appendix_on_landscape_pages() {
    let r = plan(&Book::plan(35).set("Trình bày nhiệm vụ", "phụ lục"));
    let pdf = &r.pdf;
    let (sig, _) = span(pdf, "Võ Thị Thanh Vân");
    let (nn, _) = span(pdf, "Nơi nhận:");
    assert_eq!(sig, nn);
    for p in &pdf.pages[..=sig] {
        assert!(!p.landscape(), "the document itself is portrait");
    }
    let appendix = &pdf.pages[sig + 1..];
    assert!(!appendix.is_empty(), "an appendix after the signature");
    let (first, label) = check_appendix(appendix, 0.1);
    let title = first.span("DANH MỤC NHIỆM VỤ NĂM 2021").expect("appendix title");
    assert!(title.is_bold());
    let kt =
        first.span("(Kèm theo Kế hoạch số 54/KH-SNNPTNT ngày 30/6/2021").unwrap_or_else(|| panic!("{}", first.text()));
    assert!(kt.is_italic(), "reference line italic");
    assert!(label.y < title.y && title.y < kt.y);
    assert!(first.lines.iter().all(|l| l.y > TOP), "no page number on the appendix's first page");
    // The tasks are in the appendix only, with the repeated header.
    for (i, p) in pdf.pages.iter().enumerate() {
        let has = p.text().contains("Nhiệm vụ số");
        assert_eq!(has, i > sig, "tasks on page {} only in the appendix", i + 1);
        if has {
            assert!(p.spans.iter().any(|s| s.text.trim() == "STT" && s.is_bold()));
        }
    }
    assert!(pdf.text().contains("Nhiệm vụ cụ thể tại Phụ lục"));
    if appendix.len() > 1 {
        let num: Vec<&Run> = appendix[1].lines.iter().filter(|l| l.y < TOP).collect();
        assert_eq!(
            num.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            ["2"],
            "the appendix numbers its own pages"
        );
    }
}

#[test]
fn metrics_table_with_total_row() {
    let r = plan(&Book::plan(3));
    let pdf = &r.pdf;
    let (pg, v) = span(pdf, "89,87");
    assert!(regular(v));
    let (_, last_year) = span(pdf, "85,12");
    assert!(last_year.y > 0.0);
    let (tp, total) = pdf
        .pages
        .iter()
        .enumerate()
        .find_map(|(i, p)| p.spans.iter().find(|s| s.text.trim() == "Tổng").map(|s| (i, s)))
        .expect("Tổng row");
    assert_eq!(tp, pg);
    assert!(total.is_bold(), "total row bold");
    let (_, sum) = span(pdf, "174,87");
    assert!(sum.is_bold());
    let (_, sipas) = span(pdf, "(SIPAS)");
    assert!(total.y > sipas.y && total.y > v.y, "total row last");
    for h in ["Điểm", "Mục"] {
        assert!(pdf.pages[pg].spans.iter().any(|s| s.text.contains(h) && s.is_bold()));
    }
    assert!(!pdf.text().contains("89.87"), "decimal comma");
}

#[test]
fn hostile_text_is_printed_literally() {
    let with = |text: &str| {
        let mut b = Book::plan(3);
        let nd = b.sheets.iter_mut().find(|s| s.name == "NoiDung").expect("NoiDung");
        nd.rows.insert(4, vec![E, E, t(text)]);
        b.set("Kết thúc", format!("Kết thúc: {text}"))
    };
    let hostile = plan(&with(HOSTILE));
    let twin = plan(&with("Một đoạn văn bình thường thay cho đoạn lạ"));
    let text = hostile.pdf.text();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().any(|l| l.trim() == HOSTILE), "printed exactly:\n{text}");
    assert!(lines.iter().any(|l| l.trim() == format!("Kết thúc: {HOSTILE}./.")), "in Kết thúc too:\n{text}");
    assert!(!text.contains("root:"), "nothing read from the disk");
    let keep = |t: &str, skip: &str| t.lines().filter(|l| !l.contains(skip)).map(str::to_string).collect::<Vec<_>>();
    let a = keep(&text, HOSTILE);
    let b = keep(&twin.pdf.text(), "Một đoạn văn bình thường");
    assert_eq!(a, b, "the rest of the document is unchanged");
    assert_eq!(hostile.pdf.pages.len(), twin.pdf.pages.len());
}

#[test]
fn nfd_workbook_gives_the_same_pdf() {
    let nfc = plan(&Book::plan(8));
    let book = Book::plan(8).map_text(nfd);
    // The twin really is decomposed.
    let sheet = book.get("ThongTin").expect("ThongTin");
    assert!(sheet.rows.iter().flatten().any(|c| matches!(c, Cell::T(s) if s.contains('\u{301}'))));
    let decomposed = plan(&book);
    assert_eq!(nfc.pdf.text(), decomposed.pdf.text());
    assert!(nfc.bytes == decomposed.bytes, "NFD and NFC workbooks give the same PDF bytes");
}

#[test]
fn header_aliases_give_the_same_pdf() {
    let canonical = plan(&Book::plan(8));
    let book = Book::plan(8)
        .rename("NhiemVu", "Nhiệm vụ")
        .headers(
            "Nhiệm vụ",
            &[
                "stt",
                "NHOM",
                "NOI DUNG",
                "chu_tri",
                "Phoi-hop",
                "thoi han",
                "TRANG THAI",
                "tien do (%)",
                "ngay hoan thanh",
                "ket qua thuc hien",
            ],
        )
        .rename("NoiDung", "NỘI DUNG")
        .headers("NỘI DUNG", &["CAP", "tieu_de", "NOI DUNG"])
        .headers(
            "ChiSo",
            &["ma", "CHI SO", "diem toi da", "Ket qua nam truoc", "xep hang nam truoc", "MUC TIEU", "don vi phu trach"],
        )
        .headers("ThongTin", &["MUC", "gia tri"]);
    // ThongTin labels without diacritics, in capitals.
    let mut book = book;
    if let Some(s) = book.sheets.iter_mut().find(|s| s.name == "ThongTin") {
        for r in s.rows.iter_mut().skip(1) {
            if let Some(Cell::T(l)) = r.first_mut() {
                *l = ascii_fold(l).to_uppercase();
            }
        }
    }
    let aliased = plan(&book);
    assert_eq!(canonical.pdf.text(), aliased.pdf.text());
    assert!(canonical.bytes == aliased.bytes, "aliases give the same PDF bytes");
}

#[test]
fn inline_emphasis_uses_bold_and_italic_faces() {
    let r = plan(&Book::plan(3).add("Mở đầu", "Đây là **chữ đậm** và *chữ nghiêng* trong câu."));
    let (_, l) = line(&r.pdf, "Đây là chữ đậm và chữ nghiêng trong câu.");
    let font = |s: &str| {
        let g = l.find_glyphs(s).unwrap_or_else(|| panic!("«{s}» in «{}»", l.text));
        assert!(g.iter().filter(|x| x.text != " ").all(|x| x.font == g[0].font), "«{s}» in one face");
        g[0].font.clone()
    };
    assert!(font("chữ đậm").ends_with("-Bold"), "bold face: {}", font("chữ đậm"));
    assert!(font("chữ nghiêng").ends_with("-Italic"), "italic face: {}", font("chữ nghiêng"));
    assert!(font("Đây là").ends_with("-Regular"));
    assert!(!l.text.contains('*'));
}

#[test]
fn template_expressions() {
    let r =
        plan(&Book::plan(3).set("Trích yếu", "Kế hoạch cải cách hành chính năm {{ nam }} ({{ van_ban.dia_danh }})"));
    span(&r.pdf, "Kế hoạch cải cách hành chính năm 2021 (An Giang)");
    span(&r.pdf, "hành Kế hoạch năm 2021 như sau:");

    let book = Book::plan(3).set("Trích yếu", "Kế hoạch {{ khong_co }}");
    let row = book.get("ThongTin").unwrap().rows.iter().position(|r| r[0] == Cell::from("Trích yếu")).unwrap() + 1;
    let dir = tmp();
    book.write(&dir.path().join("wb.xlsx"));
    let out = run_in(dir.path(), &["plan", "wb.xlsx", "-o", "out.pdf", "--ignore-system-fonts"]);
    assert_eq!(out.code, 1, "undefined variable fails with exit 1: {out:?}");
    let cell = format!("ThongTin!B{row}");
    assert!(out.stderr.contains(&cell), "stderr names the cell {cell}: {}", out.stderr);
    assert!(out.stderr.contains("khong_co"), "stderr names the variable: {}", out.stderr);
    assert!(!dir.path().join("out.pdf").exists(), "no PDF written");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 1, "nothing but the workbook: {leftovers:?}");
}

#[test]
fn default_output_name() {
    let dir = tmp();
    Book::plan(3).set("Ngày ban hành", D(2024, 1, 5)).set("Năm", 2024).write(&dir.path().join("wb.xlsx"));
    let out = run_in(dir.path(), &["plan", "wb.xlsx", "--ignore-system-fonts"]);
    assert!(out.ok(), "{out:?}");
    let pdf = dir.path().join("output/kh-snnptnt-2024.pdf");
    assert!(pdf.is_file(), "default output {}: {out:?}", pdf.display());
    assert!(out.stdout.contains("kh-snnptnt-2024.pdf"));
    Pdf::load(&std::fs::read(pdf).unwrap()).expect("a PDF");
}

/// Every Vietnamese letter, lower and upper case (NFC).
fn letters() -> String {
    let mut out = String::from("đĐ");
    for base in "aăâeêioôơuưy".chars() {
        for tone in ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"] {
            let l: String = format!("{base}{tone}").nfc().collect();
            out.push_str(&l);
            out.push_str(&l.to_uppercase().nfc().collect::<String>());
        }
    }
    out
}

/// A plan that prints every letter in the four styles.
fn coverage_book() -> Book {
    let l = letters();
    let words: String =
        l.chars().collect::<Vec<_>>().chunks(12).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ");
    Book::plan(2)
        .add("Mở đầu", format!("Thường: {words}"))
        .add("Mở đầu", format!("**Đậm: {words}**"))
        .add("Mở đầu", format!("*Nghiêng: {words}*"))
        .add("Mở đầu", format!("***Đậm nghiêng: {words}***"))
}

/// Checks that each style's glyphs print every letter, with no missing glyph.
fn assert_coverage(pdf: &Pdf, family: &str) {
    let want = letters();
    for style in ["Regular", "Bold", "Italic", "BoldItalic"] {
        let name = format!("{family}-{style}");
        // The regular face may be named without a style (`LiberationSerif`).
        let is = |f: &str| f == name || (style == "Regular" && f == family);
        let text: String =
            pdf.pages.iter().flat_map(|p| p.glyphs.iter()).filter(|g| is(&g.font)).map(|g| g.text.as_str()).collect();
        let text: String = text.nfc().collect();
        let missing: String = want.chars().filter(|c| !text.contains(*c)).collect();
        assert!(missing.is_empty(), "{name} does not print «{missing}» (fonts: {:?})", pdf.fonts());
    }
    for p in &pdf.pages {
        for g in &p.glyphs {
            assert!(g.gid != 0 && g.text != "\u{FFFD}" && !g.text.is_empty(), "missing glyph {g:?}");
        }
    }
    // The ToUnicode maps round-trip: the words read back as written.
    let flat: String = pdf.text().chars().filter(|c| !c.is_whitespace()).collect::<String>().nfc().collect();
    assert_eq!(flat.matches(&want[..]).count(), 4, "the letters read back in all four paragraphs");
}

#[test]
fn embedded_face_covers_vietnamese_in_four_styles() {
    let r = plan(&coverage_book());
    let fonts = r.pdf.fonts();
    for style in ["Regular", "Bold", "Italic", "BoldItalic"] {
        assert!(fonts.contains(&format!("NewCM10-{style}")), "NewCM10-{style} used: {fonts:?}");
    }
    assert!(fonts.iter().all(|f| f.starts_with("NewCM10-")), "only New Computer Modern: {fonts:?}");
    assert_coverage(&r.pdf, "NewCM10");
    let warnings = r.out.stderr.lines().filter(|l| l.contains("Times New Roman")).count();
    assert_eq!(warnings, 1, "one warning about Times New Roman:\n{}", r.out.stderr);
    assert!(r.out.stderr.contains("Liberation Serif"), "the warning says how to get Liberation Serif");
}

#[test]
fn system_liberation_serif_when_installed() {
    let dir = tmp();
    coverage_book().write(&dir.path().join("wb.xlsx"));
    let out = run_in(dir.path(), &["plan", "wb.xlsx", "-o", "out.pdf"]);
    assert!(out.ok(), "{out:?}");
    let pdf = Pdf::load(&std::fs::read(dir.path().join("out.pdf")).unwrap()).unwrap();
    let fonts = pdf.fonts();
    if std::path::Path::new("/usr/share/fonts/truetype/liberation2").is_dir() {
        let family =
            if fonts.iter().any(|f| f.starts_with("TimesNewRoman")) { "TimesNewRomanPS" } else { "LiberationSerif" };
        assert!(fonts.iter().all(|f| f.starts_with(family)), "a Times-compatible face: {fonts:?}");
        if family == "LiberationSerif" {
            assert_coverage(&pdf, family);
        }
        assert!(!out.stderr.contains("Times New Roman"), "no font warning: {}", out.stderr);
    } else {
        assert!(fonts.iter().any(|f| f.starts_with("NewCM10-") || f.starts_with("TimesNewRoman")), "{fonts:?}");
        if fonts.iter().all(|f| f.starts_with("NewCM10-")) {
            assert_eq!(out.stderr.lines().filter(|l| l.contains("Times New Roman")).count(), 1, "{}", out.stderr);
        }
    }
}
