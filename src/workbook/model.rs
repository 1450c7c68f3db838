//! What the reader produces: the workbook's content, every value with the
//! cell it came from, before template evaluation and layout decisions.

use crate::diag::Loc;
use crate::vi::date::Date;

/// A text value and where it was read (already trimmed and NFC-normalised;
/// may contain `{{ … }}`, `**bold**`, `*italic*` and line breaks).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text {
    pub text: String,
    pub loc: Loc,
}

/// A date value as read: a date cell, or a text date (`dd/mm/yyyy` …).
#[derive(Debug, Clone, PartialEq)]
pub struct DateCell {
    pub date: Date,
    pub loc: Loc,
}

/// A number as read: numeric cell or text with a decimal comma.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberCell {
    pub value: f64,
    pub loc: Loc,
}

/// The labels of sheets ThongTin and BaoCao.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InfoKey {
    LoaiVanBan,
    CoQuanChuQuan,
    CoQuanBanHanh,
    So,
    KyHieu,
    DiaDanh,
    NgayBanHanh,
    Nam,
    TrichYeu,
    CanCu,
    MoDau,
    KetThuc,
    QuyenHanKy,
    ChucVuNguoiKy,
    NguoiKy,
    NoiNhan,
    Luu,
    TrinhBayNhiemVu,
    DanhSoCap3,
    // Report-only (sheet BaoCao).
    KinhGui,
    TonTaiHanChe,
    PhuongHuong,
    KienNghi,
}

impl InfoKey {
    /// Canonical label as the spec writes it, and the snake_case key used in
    /// templates (`van_ban.trich_yeu`).
    pub const ALL: &'static [(InfoKey, &'static str, &'static str)] = &[
        (InfoKey::LoaiVanBan, "Loại văn bản", "loai_van_ban"),
        (InfoKey::CoQuanChuQuan, "Cơ quan chủ quản", "co_quan_chu_quan"),
        (InfoKey::CoQuanBanHanh, "Cơ quan ban hành", "co_quan_ban_hanh"),
        (InfoKey::So, "Số", "so"),
        (InfoKey::KyHieu, "Ký hiệu", "ky_hieu"),
        (InfoKey::DiaDanh, "Địa danh", "dia_danh"),
        (InfoKey::NgayBanHanh, "Ngày ban hành", "ngay_ban_hanh"),
        (InfoKey::Nam, "Năm", "nam"),
        (InfoKey::TrichYeu, "Trích yếu", "trich_yeu"),
        (InfoKey::CanCu, "Căn cứ", "can_cu"),
        (InfoKey::MoDau, "Mở đầu", "mo_dau"),
        (InfoKey::KetThuc, "Kết thúc", "ket_thuc"),
        (InfoKey::QuyenHanKy, "Quyền hạn ký", "quyen_han_ky"),
        (InfoKey::ChucVuNguoiKy, "Chức vụ người ký", "chuc_vu_nguoi_ky"),
        (InfoKey::NguoiKy, "Người ký", "nguoi_ky"),
        (InfoKey::NoiNhan, "Nơi nhận", "noi_nhan"),
        (InfoKey::Luu, "Lưu", "luu"),
        (InfoKey::TrinhBayNhiemVu, "Trình bày nhiệm vụ", "trinh_bay_nhiem_vu"),
        (InfoKey::DanhSoCap3, "Đánh số cấp 3", "danh_so_cap_3"),
        (InfoKey::KinhGui, "Kính gửi", "kinh_gui"),
        (InfoKey::TonTaiHanChe, "Tồn tại, hạn chế", "ton_tai_han_che"),
        (InfoKey::PhuongHuong, "Phương hướng", "phuong_huong"),
        (InfoKey::KienNghi, "Kiến nghị", "kien_nghi"),
    ];

    pub fn label(self) -> &'static str {
        Self::ALL.iter().find(|(k, _, _)| *k == self).map_or("", |(_, l, _)| l)
    }
    pub fn key(self) -> &'static str {
        Self::ALL.iter().find(|(k, _, _)| *k == self).map_or("", |(_, _, k)| k)
    }
    /// Labels that may repeat (each row adds one entry).
    pub fn repeats(self) -> bool {
        matches!(
            self,
            InfoKey::CanCu
                | InfoKey::MoDau
                | InfoKey::KetThuc
                | InfoKey::QuyenHanKy
                | InfoKey::NoiNhan
                | InfoKey::KinhGui
                | InfoKey::TonTaiHanChe
                | InfoKey::PhuongHuong
                | InfoKey::KienNghi
        )
    }
}

/// One value of a label. `date` is set when the cell held a date (or a text
/// date) — used for `Ngày ban hành`.
#[derive(Debug, Clone, PartialEq)]
pub struct InfoValue {
    pub key: InfoKey,
    pub text: Text,
    pub date: Option<Date>,
}

/// Sheet ThongTin or BaoCao: label → values, in sheet order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Info {
    pub values: Vec<InfoValue>,
    /// The sheet's name as written in the file.
    pub sheet: String,
}

impl Info {
    /// First value of a label.
    pub fn get(&self, key: InfoKey) -> Option<&InfoValue> {
        self.values.iter().find(|v| v.key == key)
    }
    /// All values of a repeating label, in order.
    pub fn all(&self, key: InfoKey) -> impl Iterator<Item = &InfoValue> {
        self.values.iter().filter(move |v| v.key == key)
    }
    pub fn text(&self, key: InfoKey) -> Option<&Text> {
        self.get(key).map(|v| &v.text)
    }
    /// `self` overridden by `over`: a label present in `over` replaces all of
    /// `self`'s rows of that label (how BaoCao overrides ThongTin).
    pub fn overridden_by(&self, over: &Info) -> Info {
        let mut values: Vec<InfoValue> = self.values.iter().filter(|v| over.get(v.key).is_none()).cloned().collect();
        values.extend(over.values.iter().cloned());
        Info { values, sheet: over.sheet.clone() }
    }
}

/// `Cấp` of a NoiDung row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// 1 to 4: a numbered heading or numbered paragraph.
    Numbered(u8),
    /// `-` or `+`: a bullet item.
    Bullet(char),
    /// `NHIEMVU`: the task block goes here.
    Tasks,
    /// `CHISO`: the metric table goes here.
    Metrics,
    /// Blank: a plain paragraph.
    None,
}

/// A row of sheet NoiDung.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentRow {
    pub level: Level,
    pub title: Option<Text>,
    pub body: Option<Text>,
    /// Location of the row (its `Cấp` cell or first cell).
    pub loc: Loc,
}

/// A row of sheet NhiemVu.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskRow {
    pub stt: Option<Text>,
    pub group: Option<Text>,
    pub content: Text,
    pub target: Option<Text>,
    pub product: Option<Text>,
    /// `Chủ trì` as written (units separated by `;`, `,` or line breaks).
    pub lead: Option<Text>,
    pub support: Option<Text>,
    /// `Thời hạn` as written; a date cell is given as `dd/mm/yyyy` text.
    pub deadline: Option<Text>,
    pub note: Option<Text>,
    pub status: Option<Text>,
    pub progress: Option<NumberCell>,
    pub done_on: Option<DateCell>,
    pub result: Option<Text>,
    /// `Mã` (Mã nhiệm vụ): the task's key in the progress forms.
    pub code: Option<Text>,
    /// One-based sheet row, for messages.
    pub row: u32,
}

/// A row of sheet ChiSo.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricRow {
    pub code: Option<Text>,
    pub name: Text,
    pub max_points: Option<NumberCell>,
    pub last_year: Option<NumberCell>,
    /// `Xếp hạng năm trước`, as written (`7/17`).
    pub last_rank: Option<Text>,
    pub target: Option<NumberCell>,
    pub result: Option<NumberCell>,
    pub units: Option<Text>,
    pub row: u32,
}

/// A row of sheet DonVi.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitRow {
    pub code: Text,
    pub name: Text,
    pub short_name: Option<Text>,
    pub signer: Option<Text>,
    pub title: Option<Text>,
    pub symbol: Option<Text>,
    pub row: u32,
}

/// Everything read from one workbook.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workbook {
    /// The file as the user named it (for messages).
    pub file: String,
    pub info: Info,
    pub report: Option<Info>,
    pub content: Vec<ContentRow>,
    pub tasks: Vec<TaskRow>,
    pub metrics: Vec<MetricRow>,
    pub units: Vec<UnitRow>,
    /// Whether the optional sheets were present at all.
    pub has_tasks_sheet: bool,
    pub has_metrics_sheet: bool,
    pub has_units_sheet: bool,
    /// A sheet not named NhiemVu that reads as a task table (`Phụ lục`),
    /// named when NoiDung places the tasks and none were read.
    pub tasks_lookalike: Option<String>,
}
