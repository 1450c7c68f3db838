//! The one table of sheet names, column headers, their aliases and extra
//! ThongTin labels, and how a written name is matched against it (the
//! workbook.md matching rules) or, failing that, the closest known name.

use crate::vi::fold;
use crate::workbook::model::InfoKey;

/// The kinds of sheet the reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetKind {
    Info,
    Content,
    Tasks,
    Metrics,
    Units,
    Report,
}

/// A column the reader knows, across all sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    // ThongTin, BaoCao
    Label,
    Value,
    // NoiDung
    Level,
    Title,
    Body,
    // NhiemVu
    Stt,
    Group,
    Content,
    Target,
    Product,
    Lead,
    Support,
    Deadline,
    Note,
    Status,
    Progress,
    DoneOn,
    Result,
    /// `Mã` of a task: the key of the progress forms (collect.md).
    TaskCode,
    // ChiSo
    Code,
    MetricName,
    MaxPoints,
    LastYear,
    LastRank,
    MetricTarget,
    MetricResult,
    Units,
    // DonVi
    UnitCode,
    UnitName,
    ShortName,
    Signer,
    SignerTitle,
    Symbol,
}

/// A column: canonical header, aliases, whether the sheet needs it.
#[derive(Debug)]
pub struct ColumnSpec {
    pub col: Col,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// A sheet: canonical name (as in workbook.md), aliases, its columns.
#[derive(Debug)]
pub struct SheetSpec {
    pub kind: SheetKind,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub columns: &'static [ColumnSpec],
}

const fn col(col: Col, name: &'static str, aliases: &'static [&'static str], required: bool) -> ColumnSpec {
    ColumnSpec { col, name, aliases, required }
}

const INFO_COLUMNS: &[ColumnSpec] =
    &[col(Col::Label, "Mục", &["Nhãn", "Tên mục", "Trường"], false), col(Col::Value, "Giá trị", &["Nội dung"], false)];

/// Every sheet and column of the contract (workbook.md).
pub const SHEETS: &[SheetSpec] = &[
    SheetSpec {
        kind: SheetKind::Info,
        name: "ThongTin",
        aliases: &["Thông tin", "Thông tin văn bản"],
        columns: INFO_COLUMNS,
    },
    SheetSpec {
        kind: SheetKind::Content,
        name: "NoiDung",
        aliases: &["Nội dung"],
        columns: &[
            col(Col::Level, "Cấp", &["Cấp độ", "Mức"], false),
            col(Col::Title, "Tiêu đề", &["Đề mục"], false),
            col(Col::Body, "Nội dung", &["Văn bản"], false),
        ],
    },
    SheetSpec {
        kind: SheetKind::Tasks,
        name: "NhiemVu",
        aliases: &["Nhiệm vụ"],
        columns: &[
            col(Col::Stt, "STT", &["TT", "Số TT", "Số thứ tự"], false),
            col(Col::Group, "Nhóm", &["Lĩnh vực", "Nhóm nhiệm vụ"], false),
            col(Col::Content, "Nội dung", &["Nội dung nhiệm vụ", "Nhiệm vụ", "Tên nhiệm vụ"], true),
            col(Col::Target, "Mục tiêu", &[], false),
            col(
                Col::Product,
                "Sản phẩm",
                &["Kết quả/Sản phẩm", "Kết quả dự kiến", "Sản phẩm đầu ra", "Sản phẩm dự kiến"],
                false,
            ),
            col(
                Col::Lead,
                "Chủ trì",
                &["Đơn vị chủ trì", "Cơ quan chủ trì", "Phân công thực hiện", "Chủ trì thực hiện"],
                true,
            ),
            col(Col::Support, "Phối hợp", &["Đơn vị phối hợp", "Cơ quan phối hợp"], false),
            col(
                Col::Deadline,
                "Thời hạn",
                &["Thời gian hoàn thành", "Thời gian thực hiện", "Thời hạn hoàn thành"],
                false,
            ),
            col(Col::Note, "Ghi chú", &[], false),
            col(Col::Status, "Trạng thái", &["Tình trạng"], false),
            col(Col::Progress, "Tiến độ (%)", &["Tiến độ", "Tỷ lệ hoàn thành", "Tỉ lệ hoàn thành"], false),
            col(Col::DoneOn, "Ngày hoàn thành", &[], false),
            col(Col::Result, "Kết quả thực hiện", &[], false),
            col(Col::TaskCode, "Mã", &["Mã nhiệm vụ"], false),
        ],
    },
    SheetSpec {
        kind: SheetKind::Metrics,
        name: "ChiSo",
        aliases: &["Chỉ số"],
        columns: &[
            col(Col::Code, "Mã", &["Mã chỉ số"], false),
            col(Col::MetricName, "Chỉ số", &["Lĩnh vực", "Tiêu chí", "Tên chỉ số"], true),
            col(Col::MaxPoints, "Điểm tối đa", &[], false),
            col(Col::LastYear, "Kết quả năm trước", &["Điểm năm trước"], false),
            col(Col::LastRank, "Xếp hạng năm trước", &["Xếp hạng"], false),
            col(Col::MetricTarget, "Mục tiêu", &["Điểm mục tiêu"], false),
            col(Col::MetricResult, "Kết quả", &["Điểm đạt", "Kết quả đạt được"], false),
            col(Col::Units, "Đơn vị phụ trách", &["Phụ trách", "Đơn vị chủ trì"], false),
        ],
    },
    SheetSpec {
        kind: SheetKind::Units,
        name: "DonVi",
        aliases: &["Đơn vị"],
        columns: &[
            col(Col::UnitCode, "Mã", &["Mã đơn vị"], true),
            col(Col::UnitName, "Tên đơn vị", &["Đơn vị", "Tên"], true),
            col(Col::ShortName, "Tên viết tắt", &["Viết tắt"], false),
            col(Col::Signer, "Người ký", &["Thủ trưởng"], false),
            col(Col::SignerTitle, "Chức vụ", &["Chức vụ người ký"], false),
            col(Col::Symbol, "Ký hiệu", &["Ký hiệu văn bản"], false),
        ],
    },
    SheetSpec { kind: SheetKind::Report, name: "BaoCao", aliases: &["Báo cáo"], columns: INFO_COLUMNS },
];

/// The columns of a progress form (`vanban forms`) and of the consolidated
/// workbook (`vanban collect`), as written and as read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormCol {
    Key,
    Content,
    Lead,
    Role,
    Deadline,
    Status,
    Progress,
    DoneOn,
    Result,
    Difficulty,
    Source,
    Supporters,
}

/// Each form column: the header the writer writes, then other spellings the
/// reader accepts (a form retyped by hand, the plan's own headers).
pub const FORM_COLUMNS: &[(FormCol, &str, &[&str])] = &[
    (FormCol::Key, "Mã", &["Mã nhiệm vụ"]),
    (FormCol::Content, "Nhiệm vụ", &["Nội dung", "Nội dung nhiệm vụ"]),
    (FormCol::Lead, "Chủ trì", &["Đơn vị chủ trì"]),
    (FormCol::Role, "Vai trò", &[]),
    (FormCol::Deadline, "Thời hạn", &[]),
    (FormCol::Status, "Trạng thái", &["Tình trạng"]),
    (FormCol::Progress, "Tiến độ (%)", &["Tiến độ"]),
    (FormCol::DoneOn, "Ngày hoàn thành", &[]),
    (FormCol::Result, "Kết quả thực hiện", &["Kết quả"]),
    (FormCol::Difficulty, "Khó khăn, vướng mắc", &["Khó khăn"]),
    (FormCol::Source, "Đơn vị báo cáo", &[]),
    (FormCol::Supporters, "Kết quả của đơn vị phối hợp", &[]),
];

/// The header a form column is written with.
pub fn form_header(c: FormCol) -> &'static str {
    FORM_COLUMNS.iter().find(|(x, _, _)| *x == c).map_or("", |(_, name, _)| name)
}

/// The form column a header means, if any (same key rule as the workbook's).
pub fn form_column(header: &str) -> Option<FormCol> {
    let k = key(header);
    FORM_COLUMNS
        .iter()
        .find(|(_, name, aliases)| key(name) == k || aliases.iter().any(|a| key(a) == k))
        .map(|(c, _, _)| *c)
}

/// More ways to write a ThongTin/BaoCao label, besides `InfoKey::ALL`'s
/// label and snake_case key.
const LABEL_ALIASES: &[(InfoKey, &[&str])] = &[
    (InfoKey::LoaiVanBan, &["Loại"]),
    (InfoKey::So, &["Số văn bản"]),
    (InfoKey::KyHieu, &["Ký hiệu văn bản"]),
    (InfoKey::NgayBanHanh, &["Ngày ký", "Ngày"]),
    (InfoKey::QuyenHanKy, &["Thẩm quyền ký"]),
    (InfoKey::NguoiKy, &["Họ tên người ký"]),
    (InfoKey::Luu, &["Lưu trữ"]),
];

impl SheetKind {
    /// The table entry of this kind.
    pub fn spec(self) -> &'static SheetSpec {
        // SHEETS has one entry per kind; the fallback is never taken.
        SHEETS.iter().find(|s| s.kind == self).unwrap_or(&SHEETS[0])
    }
    /// Canonical sheet name (`NhiemVu`).
    pub fn name(self) -> &'static str {
        self.spec().name
    }
}

/// The canonical header of a column of a sheet (`Tiến độ (%)`); empty when
/// the sheet has no such column.
pub fn header(kind: SheetKind, c: Col) -> &'static str {
    kind.spec().column(c).map_or("", |s| s.name)
}

impl SheetSpec {
    /// Column entry for a column id of this sheet.
    pub fn column(&self, c: Col) -> Option<&'static ColumnSpec> {
        self.columns.iter().find(|s| s.col == c)
    }
}

/// The key names are compared by ([`fold::name_key`]): only letters and digits
/// (`Tiến độ (%)` → `tiendo`, `Kết quả/Sản phẩm` → `ketquasanpham`).
pub fn key(s: &str) -> String {
    fold::name_key(s)
}

/// Keys to try for a written name: the whole name, then without anything in
/// parentheses (`Ghi chú (nếu có)` → `ghichu`).
fn keys(s: &str) -> Vec<String> {
    let mut out = vec![key(s)];
    let mut bare = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    let bare = key(&bare);
    if !bare.is_empty() && !out.contains(&bare) {
        out.push(bare);
    }
    out
}

/// Whether a written name matches one of the given names.
fn matches_any(written: &str, names: &[&str]) -> bool {
    let ks = keys(written);
    names.iter().any(|n| ks.contains(&key(n)))
}

/// The sheet kind a sheet name means, if any.
pub fn sheet_kind(name: &str) -> Option<SheetKind> {
    SHEETS.iter().find(|s| matches_any(name, &[s.name]) || matches_any(name, s.aliases)).map(|s| s.kind)
}

/// The column a header means in a sheet, if any.
pub fn column(kind: SheetKind, header: &str) -> Option<&'static ColumnSpec> {
    let cols = kind.spec().columns;
    // Canonical names first, so an alias of one column never shadows another
    // column's own name (DonVi: `Tên` vs `Tên đơn vị`).
    cols.iter()
        .find(|c| matches_any(header, &[c.name]))
        .or_else(|| cols.iter().find(|c| matches_any(header, c.aliases)))
}

/// The ThongTin/BaoCao label a written label means, if any.
pub fn info_key(label: &str) -> Option<InfoKey> {
    InfoKey::ALL
        .iter()
        .find(|(_, l, k)| matches_any(label, &[l, k]))
        .map(|(k, _, _)| *k)
        .or_else(|| LABEL_ALIASES.iter().find(|(_, a)| matches_any(label, a)).map(|(k, _)| *k))
}

/// The closest known sheet name to an unknown one, when close enough.
pub fn closest_sheet(name: &str) -> Option<&'static str> {
    fold::closest_by(
        name,
        SHEETS
            .iter()
            .flat_map(|s| std::iter::once((s.name, s.name)).chain(s.aliases.iter().map(move |a| (s.name, *a)))),
    )
}

/// The closest known header of a sheet to an unknown one, when close enough.
pub fn closest_column(kind: SheetKind, header: &str) -> Option<&'static str> {
    fold::closest_by(header, kind.spec().columns.iter().flat_map(spellings))
}

/// How close `header` is to a column (its name or an alias) by the one
/// [`fold::near`] rule; lower is closer, `None` when not close.
pub fn column_distance(spec: &'static ColumnSpec, header: &str) -> Option<usize> {
    let k = key(header);
    spellings(spec).filter_map(|(_, v)| fold::near_keys(&k, &key(v))).min()
}

/// The closest known label to an unknown one, when close enough.
pub fn closest_label(label: &str) -> Option<&'static str> {
    let known = InfoKey::ALL.iter().flat_map(|(_, l, k)| [(*l, *l), (*l, *k)]);
    let aliases = LABEL_ALIASES.iter().flat_map(|(k, a)| a.iter().map(move |a| (k.label(), *a)));
    fold::closest_by(label, known.chain(aliases))
}

fn spellings(c: &'static ColumnSpec) -> impl Iterator<Item = (&'static str, &'static str)> {
    std::iter::once((c.name, c.name)).chain(c.aliases.iter().map(move |a| (c.name, *a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fold() {
        for s in ["NhiemVu", "Nhiệm vụ", "nhiem_vu", "NHIỆM VỤ", " Nhiem-vu "] {
            assert_eq!(sheet_kind(s), Some(SheetKind::Tasks), "{s}");
        }
        assert_eq!(sheet_kind("Thông tin"), Some(SheetKind::Info));
        assert_eq!(sheet_kind("BAO CAO"), Some(SheetKind::Report));
        assert_eq!(sheet_kind("Sheet1"), None);
        assert_eq!(closest_sheet("NhiemVu2"), Some("NhiemVu"));
        assert_eq!(closest_sheet("Thong tn"), Some("ThongTin"));
        assert_eq!(closest_sheet("Sheet1"), None);
    }

    #[test]
    fn headers_and_aliases() {
        let c = |h| column(SheetKind::Tasks, h).map(|c| c.col);
        assert_eq!(c("Nội dung nhiệm vụ"), Some(Col::Content));
        assert_eq!(c("NOI DUNG"), Some(Col::Content));
        assert_eq!(c("noi_dung"), Some(Col::Content));
        assert_eq!(c("Tiến độ (%)"), Some(Col::Progress));
        assert_eq!(c("Tiến độ"), Some(Col::Progress));
        assert_eq!(c("Kết quả/Sản phẩm"), Some(Col::Product));
        assert_eq!(c("Ghi chú (nếu có)"), Some(Col::Note));
        assert_eq!(c("Số TT"), Some(Col::Stt));
        assert_eq!(c("Kết quả thực hiện"), Some(Col::Result));
        assert_eq!(c("Xyz"), None);
        assert_eq!(column(SheetKind::Units, "Tên đơn vị").map(|c| c.col), Some(Col::UnitName));
        assert_eq!(column(SheetKind::Metrics, "Kết quả").map(|c| c.col), Some(Col::MetricResult));
        assert_eq!(column(SheetKind::Metrics, "Điểm năm trước").map(|c| c.col), Some(Col::LastYear));
        assert_eq!(closest_column(SheetKind::Tasks, "Noi dug"), Some("Nội dung"));
        assert_eq!(closest_column(SheetKind::Tasks, "Chu tri"), Some("Chủ trì"));
    }

    #[test]
    fn labels() {
        assert_eq!(info_key("Trích yếu"), Some(InfoKey::TrichYeu));
        assert_eq!(info_key("trich_yeu"), Some(InfoKey::TrichYeu));
        assert_eq!(info_key("TRICH YEU"), Some(InfoKey::TrichYeu));
        assert_eq!(info_key("Tồn tại, hạn chế"), Some(InfoKey::TonTaiHanChe));
        assert_eq!(info_key("Số"), Some(InfoKey::So));
        assert_eq!(info_key("Trich yeu van ban"), None);
        assert_eq!(closest_label("Trich yeuu"), Some("Trích yếu"));
        assert_eq!(closest_label("Nguoi ki"), Some("Người ký"));
    }

    /// The user docs (docs/tep-excel.md) name every sheet, column and label of
    /// this table: a column added here and not documented fails.
    #[test]
    fn the_user_docs_name_every_sheet_column_and_label() {
        let docs = include_str!("../../docs/tep-excel.md");
        let docs = docs.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut missing: Vec<&str> = Vec::new();
        for s in SHEETS {
            missing.extend(std::iter::once(s.name).chain(s.columns.iter().map(|c| c.name)));
        }
        missing.extend(InfoKey::ALL.iter().map(|(_, label, _)| *label));
        missing.retain(|name| !docs.contains(name));
        assert!(missing.is_empty(), "docs/tep-excel.md does not name {missing:?}");
    }

    #[test]
    fn form_headers_read_back() {
        for (c, name, aliases) in FORM_COLUMNS {
            assert_eq!(form_header(*c), *name);
            assert_eq!(form_column(name), Some(*c), "{name}");
            for a in *aliases {
                assert_eq!(form_column(a), Some(*c), "{a}");
            }
        }
        assert_eq!(form_column("TIEN DO (%)"), Some(FormCol::Progress));
        assert_eq!(form_column("Ghi chú"), None);
    }

    #[test]
    fn distances() {
        assert_eq!(fold::distance("kitten", "sitting"), 3);
        assert_eq!(fold::distance("", "abc"), 3);
        assert_eq!(fold::distance("noidug", "noidung"), 1);
        let content = SheetKind::Tasks.spec().column(Col::Content).map(|c| column_distance(c, "Noi dug"));
        assert_eq!(content, Some(Some(1)));
        let lead = SheetKind::Tasks.spec().column(Col::Lead).map(|c| column_distance(c, "Noi dug"));
        assert_eq!(lead, Some(None));
    }
}
