//! Checks beyond reading: what Nghị định 30 and common sense say about the
//! values (ký hiệu, quyền hạn, deadlines, unit names, legacy encodings).
//! Reading problems come from `workbook`; these are mostly warnings.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::document::units::UnitIndex;
use crate::vi::deadline::{parse_deadline, Deadline};
use crate::vi::fold::match_key;
use crate::vi::legacy::{self, Legacy};
use crate::workbook::model::{InfoKey, Text, Workbook};

/// Every text cell of a workbook, for whole-workbook passes.
fn texts_mut(wb: &mut Workbook) -> Vec<&mut Text> {
    let mut out: Vec<&mut Text> = Vec::new();
    out.extend(wb.info.values.iter_mut().map(|v| &mut v.text));
    if let Some(r) = &mut wb.report {
        out.extend(r.values.iter_mut().map(|v| &mut v.text));
    }
    for r in &mut wb.content {
        out.extend(r.title.iter_mut());
        out.extend(r.body.iter_mut());
    }
    for t in &mut wb.tasks {
        out.push(&mut t.content);
        for o in [
            &mut t.stt,
            &mut t.group,
            &mut t.target,
            &mut t.product,
            &mut t.lead,
            &mut t.support,
            &mut t.deadline,
            &mut t.note,
            &mut t.status,
            &mut t.result,
        ] {
            out.extend(o.iter_mut());
        }
    }
    for m in &mut wb.metrics {
        out.push(&mut m.name);
        out.extend(m.code.iter_mut());
        out.extend(m.last_rank.iter_mut());
        out.extend(m.units.iter_mut());
    }
    for u in &mut wb.units {
        out.push(&mut u.code);
        out.push(&mut u.name);
        for o in [&mut u.short_name, &mut u.signer, &mut u.title, &mut u.symbol] {
            out.extend(o.iter_mut());
        }
    }
    out
}

/// Text typed with TCVN3 (ABC) or VNI fonts shows as mojibake: warn with
/// the decoded text, and convert it when `fix` is set.
pub fn legacy_encoding(wb: &mut Workbook, fix: bool) -> Diagnostics {
    let mut d = Diagnostics::default();
    for t in texts_mut(wb) {
        if let Some((enc, decoded)) = legacy::detect(&t.text) {
            let name = match enc {
                Legacy::Tcvn3 => "TCVN3 (ABC, phông .VnTime)",
                Legacy::Vni => "VNI (phông VNI-Times)",
            };
            let short: String = decoded.chars().take(60).collect();
            if fix {
                d.push(Diagnostic::warning(
                    Code::MaCu,
                    t.loc.clone(),
                    format!("chữ gõ bằng bảng mã {name} đã được chuyển sang Unicode: «{short}»"),
                ));
                t.text = decoded;
            } else {
                d.push(
                    Diagnostic::warning(
                        Code::MaCu,
                        t.loc.clone(),
                        format!("chữ có vẻ gõ bằng bảng mã {name}; đọc ra là «{short}»"),
                    )
                    .hint("chạy lại với --fix-encoding để tự chuyển sang Unicode, hoặc chuyển mã bằng Unikey (Ctrl+Shift+F6)"),
                );
            }
        }
    }
    d
}

/// Characters the chosen face lacks (an emoji, a rare symbol), one warning
/// per cell: Typst prints them as blank boxes, or in another face, silently.
pub fn missing_glyphs(wb: &Workbook, covers: &dyn Fn(char) -> bool, family: &str) -> Diagnostics {
    let mut d = Diagnostics::default();
    let mut copy = wb.clone();
    for t in texts_mut(&mut copy) {
        let mut missing: Vec<char> = Vec::new();
        for c in t.text.chars() {
            if !c.is_whitespace() && !c.is_control() && !covers(c) && !missing.contains(&c) {
                missing.push(c);
            }
        }
        if missing.is_empty() {
            continue;
        }
        let list: Vec<String> = missing.iter().take(5).map(|c| format!("«{c}» (U+{:04X})", u32::from(*c))).collect();
        d.push(
            Diagnostic::warning(
                Code::ThieuGlyph,
                t.loc.clone(),
                format!(
                    "phông «{family}» không có ký tự {}; bản in sẽ hiện ô trống hoặc một phông khác ở chỗ đó",
                    list.join(", ")
                ),
            )
            .hint(
                "xoá hoặc thay bằng chữ (văn bản hành chính không dùng biểu tượng, emoji); hoặc cài phông có ký tự này",
            ),
        );
    }
    d
}

/// The Phụ lục III abbreviation for a document type.
pub fn type_code(loai: &str) -> Option<&'static str> {
    match match_key(loai).as_str() {
        "kehoach" => Some("KH"),
        "baocao" => Some("BC"),
        "quyetdinh" => Some("QĐ"),
        "chithi" => Some("CT"),
        "thongbao" => Some("TB"),
        "huongdan" => Some("HD"),
        "chuongtrinh" => Some("CTr"),
        "phuongan" => Some("PA"),
        "dean" => Some("ĐA"),
        "totrinh" => Some("TTr"),
        "bienban" => Some("BB"),
        _ => None,
    }
}

/// Warns when a ký hiệu's type code does not match the document
/// (`BC-…` on a KẾ HOẠCH).
pub fn check_symbol(text: Option<&Text>, loai: &str, d: &mut Diagnostics) {
    let (Some(t), Some(code)) = (text, type_code(loai)) else { return };
    let first = t.text.split(['-', '/']).next().unwrap_or("").trim();
    if !first.is_empty() && match_key(first) != match_key(code) {
        d.push(
            Diagnostic::warning(
                Code::KyHieu,
                t.loc.clone(),
                format!("ký hiệu «{}» bắt đầu bằng «{first}», nhưng văn bản là {loai} (viết tắt {code})", t.text),
            )
            .hint(format!("theo Phụ lục III Nghị định 30, ký hiệu của {loai} bắt đầu bằng «{code}-»")),
        );
    }
}

/// Domain warnings on the fields of a sheet ThongTin/BaoCao and the tasks.
pub fn domain(wb: &Workbook) -> Diagnostics {
    let mut d = Diagnostics::default();
    check_symbol(wb.info.text(InfoKey::KyHieu), "KẾ HOẠCH", &mut d);
    if let Some(r) = &wb.report {
        check_symbol(r.text(InfoKey::KyHieu), "BÁO CÁO", &mut d);
    }
    let infos = std::iter::once(&wb.info).chain(wb.report.iter());
    for info in infos {
        for v in info.all(InfoKey::QuyenHanKy) {
            for line in v.text.text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let up = line.to_uppercase();
                if !["TM.", "KT.", "TL.", "TUQ.", "Q."].iter().any(|p| up.starts_with(p)) {
                    d.push(
                        Diagnostic::warning(
                            Code::QuyenHan,
                            v.text.loc.clone(),
                            format!("dòng quyền hạn ký «{line}» không bắt đầu bằng TM., KT., TL., TUQ. hay Q."),
                        )
                        .hint("ví dụ «KT. GIÁM ĐỐC», «TM. ỦY BAN NHÂN DÂN»; để trống nếu người đứng đầu ký trực tiếp"),
                    );
                }
            }
        }
    }
    let year = crate::document::year_and_date(&wb.info).map_or(0, |(y, _)| y);
    let index = UnitIndex::new(&wb.units);
    for t in &wb.tasks {
        if let Some(st) = &t.status {
            match crate::document::status::Marked::parse(&st.text) {
                None => d.push(
                    Diagnostic::warning(
                        Code::TrangThai,
                        st.loc.clone(),
                        format!("trạng thái «{}» không thuộc các từ vanban biết; báo cáo tính là «Chưa thực hiện»", st.text),
                    )
                    .hint("ghi «Hoàn thành», «Đang thực hiện», «Chưa thực hiện», «Tạm dừng» hoặc «Không thực hiện»; tỷ lệ ghi ở cột Tiến độ (%)"),
                ),
                Some(_) => {
                    if let Some(note) = crate::document::status::Marked::note(&st.text) {
                        d.push(
                            Diagnostic::warning(Code::TrangThai, st.loc.clone(), format!("trạng thái «{}» {note}", st.text))
                                .hint("nếu nhiệm vụ đã được bỏ theo quyết định, xoá hàng khỏi trang NhiemVu hoặc ghi lý do ở cột Ghi chú"),
                        );
                    }
                }
            }
        }
        if let Some(dl) = &t.deadline {
            if parse_deadline(&dl.text, year) == Deadline::Unclear {
                d.push(
                    Diagnostic::warning(
                        Code::ThoiHanNhieuNam,
                        dl.loc.clone(),
                        format!("thời hạn «{}» nêu nhiều năm, không rõ phần nào thuộc năm {year} của kế hoạch; báo cáo in thời hạn như đã ghi và coi nhiệm vụ này không có hạn", dl.text.replace('\n', " ")),
                    )
                    .hint(format!("ghi rõ thời hạn trong năm {year}, ví dụ «Quý IV/{year}»; các năm sau ghi ở cột Ghi chú")),
                );
            }
            if parse_deadline(&dl.text, year) == Deadline::Unknown {
                d.push(
                    Diagnostic::warning(Code::ThoiHan, dl.loc.clone(), format!("không hiểu thời hạn «{}»; báo cáo sẽ coi nhiệm vụ này không có hạn", dl.text))
                        .hint("ghi ví dụ «Trước ngày 10/9/2024», «Tháng 9/2024», «Quý III/2024», «6 tháng đầu năm 2024», «Năm 2024» hoặc «Thường xuyên»"),
                );
            }
        }
    }
    unit_names(wb, &index, &mut d);
    d
}

/// Names in Chủ trì / Phối hợp that match no unit: one warning per name,
/// at its first cell, with the closest unit. Collective names (`Các phòng
/// thuộc Sở`) are not units and are not reported.
fn unit_names(wb: &Workbook, index: &UnitIndex, d: &mut Diagnostics) {
    if index.is_empty() {
        return;
    }
    let mut seen: Vec<(String, Diagnostic, Vec<String>)> = Vec::new();
    for t in &wb.tasks {
        for cell in [&t.lead, &t.support].into_iter().flatten() {
            for (name, near) in index.unmatched(&cell.text) {
                let key = match_key(&name);
                // Collective or generic names (`Các phòng …`, `đơn vị liên quan`) name no unit.
                let generic = name.chars().next().is_some_and(char::is_lowercase);
                if generic || key.starts_with("cac") || key.starts_with("moi") || key.starts_with("toanthe") {
                    continue;
                }
                if let Some((_, _, more)) = seen.iter_mut().find(|(k, _, _)| *k == key) {
                    more.extend(cell.loc.a1());
                    continue;
                }
                let w = Diagnostic::warning(
                    Code::DonVi,
                    cell.loc.clone(),
                    format!("«{name}» không khớp đơn vị nào ở trang DonVi"),
                );
                let w = match near {
                    Some(n) => w.hint(format!("có phải «{n}»? (cơ quan ngoài Sở thì bỏ qua cảnh báo này)")),
                    None => w.hint("nếu là cơ quan ngoài Sở thì bỏ qua; nếu là đơn vị của Sở, thêm vào trang DonVi"),
                };
                seen.push((key, w, Vec::new()));
            }
        }
    }
    for (_, mut w, more) in seen {
        if !more.is_empty() {
            let list: Vec<&str> = more.iter().take(5).map(String::as_str).collect();
            let tail = if more.len() > 5 { ", …" } else { "" };
            w.message.push_str(&format!(" (cũng ở {} ô khác: {}{tail})", more.len(), list.join(", ")));
        }
        d.push(w);
    }
}
