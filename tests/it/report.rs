//! The quarterly BÁO CÁO (spec/report.md): task states on the as-of date, the
//! computed JSON, and the PDF's sections, header and appendix.

use crate::common::*;
use serde_json::Value;

const LABELS: [&str; 7] = [
    "Tổng số nhiệm vụ",
    "Hoàn thành đúng hạn",
    "Hoàn thành trễ hạn",
    "Đang thực hiện",
    "Quá hạn chưa hoàn thành",
    "Chưa đến hạn",
    "Tỷ lệ hoàn thành",
];

/// (task, lead, deadline, status, progress, done on, expected state on 30/09/2023)
fn tasks() -> Vec<(&'static str, &'static str, Cell, &'static str, Cell, Cell, &'static str)> {
    vec![
        (
            "Ban hành kế hoạch tuyên truyền cải cách hành chính",
            "VPS",
            t("Trước ngày 31/8/2023"),
            "Hoàn thành",
            N(100.0),
            D(2023, 8, 20),
            "hoan_thanh_dung_han",
        ),
        (
            "Kiện toàn Tổ công tác cải cách hành chính",
            "TCCB",
            t("Tháng 7/2023"),
            "Hoàn thành",
            N(100.0),
            D(2023, 8, 15),
            "hoan_thanh_tre_han",
        ),
        // Completed the day after the as-of date: not done on 30/09, and overdue.
        (
            "Kiểm tra công vụ tại các chi cục",
            "VPS",
            t("Trước ngày 15/9/2023"),
            "Hoàn thành",
            N(100.0),
            D(2023, 10, 1),
            "qua_han",
        ),
        // Due on the as-of date itself: not overdue.
        ("Số hóa hồ sơ thủ tục hành chính", "CCTY", D(2023, 9, 30), "Chưa thực hiện", E, E, "chua_den_han"),
        ("Công khai thủ tục hành chính", "VPS", t("Thường xuyên"), "", E, E, "dang_thuc_hien"),
        // A deadline nobody can read: no due date.
        ("Rà soát quy trình nội bộ", "TCCB", t("Sớm nhất có thể"), "Chưa thực hiện", E, E, "chua_den_han"),
        ("Giải ngân vốn đầu tư công", "CCTY", t("Quý IV/2023"), "Đang thực hiện", N(50.0), E, "dang_thuc_hien"),
        ("Đánh giá, xếp loại công chức", "TCCB", t("Tháng 8/2023"), "Chưa thực hiện", E, E, "qua_han"),
    ]
}

/// The plan of 2023 (Số 54, 30/06/2023) with its tasks, without BaoCao.
fn plan_2023() -> Book {
    let rows = tasks()
        .into_iter()
        .map(|(task, lead, deadline, status, progress, done, _)| {
            vec![E, t("Nhiệm vụ năm 2023"), t(task), t(lead), t("VPS"), deadline, Cell::from(status), progress, done, E]
        })
        .collect();
    Book::plan(0)
        .set("Ngày ban hành", D(2023, 6, 30))
        .set("Năm", 2023)
        .set("Trích yếu", "Khắc phục, nâng cao chỉ số cải cách hành chính năm 2023")
        .sheet("NhiemVu", &TASK_HEADERS, rows)
}

/// With its own BaoCao sheet.
fn full() -> Book {
    plan_2023().bao_cao(&[
        ("Số", N(120.0)),
        ("Ký hiệu", t("BC-SNNPTNT")),
        ("Ngày ban hành", D(2023, 10, 5)),
        ("Kính gửi", t("Ủy ban nhân dân tỉnh An Giang")),
        ("Tồn tại, hạn chế", t("Một số nhiệm vụ hoàn thành chậm so với kế hoạch.")),
        ("Phương hướng", t("Tiếp tục triển khai các nhiệm vụ còn lại trong quý {{ quy + 1 }}.")),
        ("Kiến nghị", t("Đề nghị Ủy ban nhân dân tỉnh quan tâm bố trí kinh phí.")),
        ("Nơi nhận", t("Giám đốc Sở;")),
        ("Lưu", t("VT, VPS")),
    ])
}

fn report(book: &Book, quarter: &str) -> Rendered {
    render(book, "report", &["--quarter", quarter, "--emit", "json"])
}

/// Lines of the document in reading order (page by page, top to bottom),
/// page numbers left out.
fn reading(pdf: &Pdf) -> Vec<(usize, &Run)> {
    pdf.pages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            let mut v: Vec<&Run> = p.lines.iter().filter(|l| l.y > 20.0 * MM).collect();
            v.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
            v.into_iter().map(move |l| (i, l))
        })
        .collect()
}

/// `I.` → 1, `1.` → 2, `1.1.` → 3 for a bold 14 pt numbered line.
fn heading_level(l: &Run) -> Option<usize> {
    if l.size < 13.5 || !l.glyphs.first().is_some_and(|g| g.font.contains("Bold")) {
        return None;
    }
    let first = l.text.split_whitespace().next()?;
    let parts: Vec<&str> = first.strip_suffix('.')?.split('.').collect();
    if parts.len() == 1 && parts[0].chars().all(|c| "IVX".contains(c)) {
        return Some(1);
    }
    parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())).then_some(parts.len() + 1)
}

/// No heading is followed by one of the same or a higher level, or by the
/// signature, with nothing in between.
fn assert_no_empty_heading(pdf: &Pdf) {
    let lines = reading(pdf);
    let end = lines.iter().position(|(_, l)| l.text.contains("Nơi nhận:")).expect("Nơi nhận:");
    let body = &lines[..end];
    for (k, (_, l)) in body.iter().enumerate() {
        let Some(level) = heading_level(l) else { continue };
        let next = body.get(k + 1).map(|(_, n)| *n);
        let empty = match next {
            None => true,
            Some(n) => heading_level(n).is_some_and(|m| m <= level),
        };
        assert!(!empty, "empty heading «{}» (next: {:?})", l.text, next.map(|n| &n.text));
    }
}

fn position(lines: &[(usize, &Run)], from: usize, pred: impl Fn(&str) -> bool, what: &str) -> usize {
    lines[from..].iter().position(|(_, l)| pred(l.text.trim())).map(|p| p + from).unwrap_or_else(|| {
        panic!(
            "«{what}» after line {from}:\n{}",
            lines.iter().map(|(_, l)| l.text.as_str()).collect::<Vec<_>>().join("\n")
        )
    })
}

/// The text printed to the right of a line, on its baseline.
fn right_of(page: &Page, l: &Run) -> String {
    let mut v: Vec<&Run> = page.lines.iter().filter(|o| (o.y - l.y).abs() < 1.0 && o.x > l.x_end).collect();
    v.sort_by(|a, b| a.x.total_cmp(&b.x));
    v.iter().map(|o| o.text.trim()).collect::<Vec<_>>().join(" ")
}

fn flat(pdf: &Pdf) -> String {
    pdf.text().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn json(r: &Rendered) -> Value {
    let p = r.dir.path().join("out.json");
    serde_json::from_slice(&std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).expect("JSON")
}

#[test]
fn task_states_and_counts() {
    let r = report(&full(), "3");
    let j = json(&r);
    let s = &j["thong_ke"];
    let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("thong_ke.{k} in {s}"));
    assert_eq!(n("tong"), 8);
    assert_eq!(n("hoan_thanh_dung_han"), 1);
    assert_eq!(n("hoan_thanh_tre_han"), 1);
    assert_eq!(n("qua_han"), 2);
    assert_eq!(n("dang_thuc_hien"), 2);
    assert_eq!(n("chua_den_han"), 2);
    assert_eq!(n("hoan_thanh"), 2);
    assert_eq!(
        n("hoan_thanh_dung_han") + n("hoan_thanh_tre_han") + n("qua_han") + n("dang_thuc_hien") + n("chua_den_han"),
        n("tong"),
        "the five counts add up to the total"
    );
    assert!((s["ty_le_hoan_thanh"].as_f64().unwrap() - 25.0).abs() < 1e-9);
    let states: Vec<&str> =
        j["nhiem_vu"].as_array().expect("nhiem_vu").iter().map(|t| t["trang_thai"].as_str().unwrap_or("?")).collect();
    let want: Vec<&str> = tasks().iter().map(|t| t.6).collect();
    assert_eq!(states, want, "state of each task on 30/09/2023");
    assert_eq!(j["ky_bao_cao"], "quý III năm 2023");
}

#[test]
fn sections_and_summary_in_order() {
    let r = report(&full(), "3");
    let pdf = &r.pdf;
    let lines = reading(pdf);
    let title = position(&lines, 0, |t| t == "BÁO CÁO", "BÁO CÁO");
    let s1 = position(&lines, title, |t| t == "I. KẾT QUẢ THỰC HIỆN", "I. KẾT QUẢ THỰC HIỆN");
    let want = ["8", "1", "1", "2", "2", "2", "25%"];
    let mut at = s1;
    for (label, value) in LABELS.iter().zip(want) {
        at = position(&lines, at + 1, |t| t == *label, label);
        let (pg, l) = lines[at];
        assert_eq!(right_of(&pdf.pages[pg], l), value, "the count beside «{label}»");
    }
    let s2 = position(&lines, at, |t| t == "II. TỒN TẠI, HẠN CHẾ", "II. TỒN TẠI, HẠN CHẾ");
    let s3 = position(&lines, s2, |t| t == "III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ TỚI", "III. PHƯƠNG HƯỚNG");
    let s4 = position(&lines, s3, |t| t == "IV. KIẾN NGHỊ", "IV. KIẾN NGHỊ");
    let sig = position(&lines, s4, |t| t.contains("Nơi nhận:"), "Nơi nhận:");
    let ap = position(&lines, sig, |t| t == "CHI TIẾT TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ", "appendix title");
    for k in [s1, s2, s3, s4] {
        assert!(heading_level(lines[k].1) == Some(1), "«{}» is a bold heading", lines[k].1.text);
    }
    let (pg, l) = lines[ap];
    assert!(pdf.pages[pg].landscape(), "the appendix is landscape");
    assert!(l.is_bold());
    assert!(pg > lines[sig].0 || lines[sig].0 < pdf.pages.len() - 1);
    // Every task is in the appendix with its state.
    let appendix: String = pdf.pages[pg..].iter().map(|p| p.text()).collect::<Vec<_>>().join("\n");
    for (task, ..) in tasks() {
        // Cells wrap: the first words of each task, and a row per task.
        let head: String = task.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
        assert!(appendix.contains(&head), "«{head}» in the appendix:\n{appendix}");
    }
    assert!(appendix.contains("Quá hạn") && appendix.contains("Chưa đến hạn"), "states in the appendix");
    // The overdue tasks are listed in section I.
    let section1: String = lines[s1..s2].iter().map(|(_, l)| l.text.as_str()).collect::<Vec<_>>().join(" ");
    assert!(section1.contains("Kiểm tra công vụ tại các chi cục") && section1.contains("Đánh giá, xếp loại công chức"));
    assert_no_empty_heading(pdf);
    // Template expression in Phương hướng.
    let text = flat(pdf);
    assert!(text.contains("các nhiệm vụ còn lại trong quý 4."), "{{{{ quy + 1 }}}} → 4:\n{text}");
    assert!(text.contains("./."));
}

#[test]
fn number_and_date_come_from_bao_cao() {
    let r = report(&full(), "3");
    let pdf = &r.pdf;
    let p1 = &pdf.pages[0];
    let so = p1.span("Số: 120/BC-SNNPTNT").unwrap_or_else(|| panic!("report number:\n{}", p1.text()));
    let date = p1.span("An Giang, ngày 05 tháng 10 năm 2023").expect("report date");
    assert!((so.y - date.y).abs() < 2.0);
    let header = header_text(p1);
    assert!(!header.contains("54/"), "the plan's number is not the report's: {header}");
    assert!(!header.contains("tháng 6"), "the plan's date is not the report's: {header}");
    let (pg, kt) = pdf
        .find_line("(Kèm theo Báo cáo số 120/BC-SNNPTNT")
        .unwrap_or_else(|| panic!("appendix reference:\n{}", pdf.text()));
    assert!(pdf.pages[pg].landscape() && kt.is_italic());
}

/// The lines above the title.
fn header_text(p: &Page) -> String {
    let title = p.spans.iter().find(|s| s.text.trim() == "BÁO CÁO").expect("BÁO CÁO").y;
    p.lines.iter().filter(|l| l.y < title - 1.0).map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
}

#[test]
fn without_bao_cao_number_and_date_are_left_blank() {
    let r = report(&plan_2023(), "3");
    let p1 = &r.pdf.pages[0];
    let header = header_text(p1);
    assert!(!header.contains("54"), "plan number reused: {header}");
    assert!(!header.contains("30"), "plan date reused: {header}");
    let so = p1.spans.iter().find(|s| s.text.trim() == "Số:").unwrap_or_else(|| panic!("«Số:» then room:\n{header}"));
    let next = p1
        .spans
        .iter()
        .filter(|s| (s.y - so.y).abs() < 1.0 && s.x > so.x_end)
        .min_by(|a, b| a.x.total_cmp(&b.x))
        .expect("the ký hiệu after the room");
    assert!(next.text.starts_with("/BC-"), "«/BC-…» after the room: «{}»", next.text);
    assert!(next.x - so.x_end >= 20.0, "room for the number: {:.1}", next.x - so.x_end);
    let ngay =
        p1.spans.iter().find(|s| s.text.trim() == "An Giang, ngày").unwrap_or_else(|| panic!("blank date:\n{header}"));
    let mut rest: Vec<&Run> = p1.spans.iter().filter(|s| (s.y - ngay.y).abs() < 1.0 && s.x > ngay.x).collect();
    rest.sort_by(|a, b| a.x.total_cmp(&b.x));
    let words: Vec<&str> = rest.iter().map(|s| s.text.trim()).collect();
    assert_eq!(words, ["tháng", "năm 2023"], "blank day and month, the as-of year");
    assert!(rest[0].x - ngay.x_end >= 20.0 && rest[1].x - rest[0].x_end >= 20.0, "room for day and month");
}

#[test]
fn default_trich_yeu_names_the_plan_and_quarter() {
    let r = report(&plan_2023(), "3");
    let text = flat(&r.pdf);
    let want = "Kết quả thực hiện Kế hoạch số 54/KH-SNNPTNT ngày 30/6/2023 của Sở Nông nghiệp và Phát triển nông thôn quý III năm 2023";
    assert!(text.contains(want), "default trích yếu «{want}» in:\n{text}");
    // Bold, under the title.
    let (_, l) = r.pdf.find_span("Kết quả thực hiện Kế hoạch số 54").expect("trích yếu");
    assert!(l.is_bold());
    // BaoCao's own Trích yếu wins.
    let r = report(&full().set_in(BAO_CAO, "Trích yếu", "Tình hình cải cách hành chính {{ ky_bao_cao }}"), "3");
    let text = flat(&r.pdf);
    assert!(text.contains("Tình hình cải cách hành chính quý III năm 2023"), "{text}");
    assert!(!text.contains("Kết quả thực hiện Kế hoạch số 54"));
}

#[test]
fn kinh_gui_and_nhu_tren() {
    let r = report(&full(), "3");
    let pdf = &r.pdf;
    let (_, kg) = pdf.find_line("Kính gửi:").expect("Kính gửi:");
    assert!(kg.text.contains("Ủy ban nhân dân tỉnh An Giang"), "«{}»", kg.text);
    let (pg, nn) = pdf.find_span("Nơi nhận:").expect("Nơi nhận:");
    let mut entries: Vec<&Run> = pdf.pages[pg].lines.iter().filter(|l| l.y > nn.y && l.x < 200.0).collect();
    entries.sort_by(|a, b| a.y.total_cmp(&b.y));
    let texts: Vec<&str> = entries.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["- Như trên;", "- Giám đốc Sở;", "- Lưu: VT, VPS."]);

    let r = report(&plan_2023(), "3");
    let text = r.pdf.text();
    assert!(!text.contains("Kính gửi"), "no Kính gửi without BaoCao");
    assert!(!text.contains("Như trên"), "no «Như trên» without Kính gửi");
}

#[test]
fn empty_quarter_and_missing_sheets() {
    // Nothing due in the first quarter.
    let r = report(&full(), "1");
    let j = json(&r);
    assert_eq!(j["thong_ke"]["tong"], 8);
    assert_eq!(j["thong_ke"]["hoan_thanh"], 0, "nothing done by 31/03/2023");
    assert_eq!(j["thong_ke"]["qua_han"], 0, "nothing overdue by 31/03/2023");
    assert_no_empty_heading(&r.pdf);

    // No ChiSo, no BaoCao: sections II and IV left out, no empty heading.
    let r = report(&plan_2023().without("ChiSo"), "3");
    let text = r.pdf.text();
    assert!(!text.contains("TỒN TẠI, HẠN CHẾ"), "no section II without rows:\n{text}");
    assert!(!text.contains("KIẾN NGHỊ"), "no section IV without rows");
    assert!(!text.contains("Kết quả các chỉ số"));
    assert!(text.contains("PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ TỚI"), "overdue tasks give section III");
    assert_no_empty_heading(&r.pdf);

    // No tasks at all.
    let r = report(&plan_2023().without("ChiSo").without("NhiemVu"), "3");
    let text = r.pdf.text();
    assert!(text.contains("I. KẾT QUẢ THỰC HIỆN"));
    assert!(!text.contains("CHI TIẾT TIẾN ĐỘ"), "no appendix without tasks");
    assert!(r.pdf.pages.iter().all(|p| !p.landscape()));
    assert_no_empty_heading(&r.pdf);
}

#[test]
fn as_of_flag_moves_the_states() {
    // On 01/10/2023 the task completed that day is done (late).
    let r = render(&full(), "report", &["--quarter", "3", "--as-of", "01/10/2023", "--emit", "json"]);
    let j = json(&r);
    assert_eq!(j["nhiem_vu"][2]["trang_thai"], "hoan_thanh_tre_han");
    // Due 30/09 is now overdue.
    assert_eq!(j["nhiem_vu"][3]["trang_thai"], "qua_han");
}
