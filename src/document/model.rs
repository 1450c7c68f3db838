//! The document data handed to the Typst templates as JSON (`/data.json`).
//! Everything here is data: strings are printed literally by the templates,
//! never evaluated as markup. Numbering, dates and number formats are decided
//! in Rust; sizes, spacing and layout live in `templates/nd30.typ`.

use serde::Serialize;

/// A run of text with its inline emphasis (`**đậm**`, `*nghiêng*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Run {
    pub t: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub b: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub i: bool,
}

/// One paragraph: runs side by side.
pub type Para = Vec<Run>;

/// The content of one cell: one paragraph per line (Alt+Enter).
pub type Rich = Vec<Para>;

/// A whole document, plan or report.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Document {
    /// `KẾ HOẠCH` or `BÁO CÁO` (printed as the title).
    pub loai: String,
    pub header: Header,
    /// Trích yếu, under the title (may hold several lines).
    pub trich_yeu: Rich,
    /// `Kính gửi:` recipients under the title (reports), without a leading
    /// `- ` (the template adds it when there are several); empty → no line.
    pub kinh_gui: Vec<Rich>,
    /// Căn cứ paragraphs, italic; punctuation already `;` … `.`.
    pub can_cu: Vec<Rich>,
    /// Introduction paragraphs after the bases.
    pub mo_dau: Vec<Rich>,
    /// The body, in order; the last text paragraph already ends `./.`.
    pub body: Vec<Block>,
    pub ky: Signature,
    /// Recipient lines without the leading `- ` (the template prints it as
    /// text); the last one is `Lưu: VT, VPS.`.
    pub noi_nhan: Vec<String>,
    /// Appendices, each on its own (landscape) pages after the signature.
    pub phu_luc: Vec<Appendix>,
}

/// The two-column national header.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Header {
    /// Parent agency lines (capitals), none when absent.
    pub co_quan_chu_quan: Vec<String>,
    /// Issuing agency lines (capitals, a line break in the cell is kept).
    pub co_quan_ban_hanh: Vec<String>,
    /// Number with leading zero below 10 (`05`); none → room to write it.
    pub so: Option<String>,
    /// `KH-SNNPTNT`.
    pub ky_hieu: String,
    pub dia_danh: String,
    /// Day and month with the decree's leading zeros (`05`, `01`, `6`); none
    /// → room to write them by hand.
    pub ngay: Option<String>,
    pub thang: Option<String>,
    pub nam: String,
}

/// The signature block.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Signature {
    /// `KT. GIÁM ĐỐC`, or `TM. ỦY BAN NHÂN DÂN` then `KT. CHỦ TỊCH`.
    pub quyen_han: Vec<String>,
    pub chuc_vu: String,
    pub nguoi_ky: String,
}

/// A piece of the body.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A numbered heading: level 1 `I.` (capitals), 2 `1.`, 3 `1.1.`/`a)`,
    /// 4 `1.1.1.`/`a1)`; `text` paragraphs follow it, when the row had both.
    Heading { level: u8, number: String, title: Rich, text: Rich },
    /// A paragraph, numbered (`a)` … not bold) or plain (`number` none).
    Para { number: Option<String>, text: Rich },
    /// A bullet item, marker `-` or `+`.
    Bullet { marker: String, text: Rich },
    /// A table (tasks, metrics, report statistics).
    Table(Table),
    /// A horizontal bar chart (report: completion rate per unit).
    Chart(BarChart),
    /// A pointer to an appendix (tasks presented `phụ lục`): prints nothing
    /// by itself; kept so that tools reading the JSON see the placement.
    AppendixRef { index: usize },
}

/// Plain text (no emphasis) as rich text; empty text gives no paragraph.
pub fn plain_rich(s: impl Into<String>) -> Rich {
    let t = s.into();
    if t.is_empty() {
        Vec::new()
    } else {
        vec![vec![Run { t, ..Run::default() }]]
    }
}

/// A table drawn with the decree's table style.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// A caption above the table (bold, centred), if any.
    pub caption: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// Title of the column, in the repeated header row.
    pub title: String,
    /// Relative width (fractions of the line); `0` = as narrow as content.
    pub width: f64,
    /// `left`, `center` or `right`.
    pub align: &'static str,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Row {
    pub cells: Vec<Rich>,
    /// A group row: first cell is the group number, the second spans the rest.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub group: bool,
    /// A total row (bold).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
}

impl Column {
    pub fn new(title: &str, width: f64, align: &'static str) -> Column {
        Column { title: title.into(), width, align }
    }
}

impl Table {
    /// A table whose first column, `STT`, numbers the rows 1, 2, … .
    pub fn numbered(columns: &[(&str, f64, &'static str)], rows: impl IntoIterator<Item = Vec<Rich>>) -> Table {
        let mut cols = vec![Column::new("STT", 0.5, "center")];
        cols.extend(columns.iter().map(|(t, w, a)| Column::new(t, *w, a)));
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, cells)| {
                let mut all = vec![plain_rich((i + 1).to_string())];
                all.extend(cells);
                Row { cells: all, ..Row::default() }
            })
            .collect();
        Table { columns: cols, rows, caption: None }
    }
}

/// Bars with a label and a value in `0..=max`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct BarChart {
    pub caption: String,
    pub max: f64,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as printed (`62,5%`).
    pub text: String,
}

/// An appendix: landscape pages after the signature.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Appendix {
    /// `PHỤ LỤC` or `Phụ lục I` … when several.
    pub label: String,
    /// Title in capitals.
    pub title: String,
    /// The reference line, in pieces so the template can leave room for a
    /// blank number or date.
    pub kem_theo: KemTheo,
    pub body: Vec<Block>,
}

/// `(Kèm theo Kế hoạch số 54/KH-SNNPTNT ngày 30/6/2021 của Sở …)`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct KemTheo {
    /// `Kế hoạch`, `Báo cáo`.
    pub loai: String,
    pub so: Option<String>,
    pub ky_hieu: String,
    /// `30/6/2021`; none → room for day and month, `nam` printed.
    pub ngay: Option<String>,
    pub nam: String,
    /// `Sở Nông nghiệp và Phát triển nông thôn`.
    pub co_quan: String,
}
