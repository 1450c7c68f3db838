//! A unit's progress form as xlsx bytes (rust_xlsxwriter): the words at the
//! top, the locked task columns and the unlocked ones to fill in, the block
//! for the unit's Tồn tại, hạn chế and Kiến nghị, the hidden stamp.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use super::{Role, Stamp, Values, FORM_SHEET};
use crate::document::report::Period;
use crate::vi::date::Date;
use crate::vi::format;
use crate::workbook::model::UnitRow;
use crate::workbook::schema::{self, FormCol};
use crate::xlsx_style;

/// One task row of a form.
pub struct FormRow {
    pub key: String,
    pub content: String,
    pub role: Role,
    pub deadline: String,
    pub values: Values,
}

/// Everything a form shows.
pub struct FormData<'a> {
    pub unit: &'a UnitRow,
    /// `Kế hoạch số 54/KH-SNNPTNT ngày 30/6/2021 của Sở …`.
    pub plan_ref: &'a str,
    pub period: &'a Period,
    pub send_by: Date,
    pub rows: Vec<FormRow>,
    pub stamp: Stamp,
}

/// The form's columns, A to I, and their widths (headers: the schema's).
pub const COLUMNS: [(FormCol, f64); 9] = [
    (FormCol::Key, 8.0),
    (FormCol::Content, 48.0),
    (FormCol::Role, 10.0),
    (FormCol::Deadline, 14.0),
    (FormCol::Status, 16.0),
    (FormCol::Progress, 10.0),
    (FormCol::DoneOn, 13.0),
    (FormCol::Result, 40.0),
    (FormCol::Difficulty, 30.0),
];
const LAST_COL: u16 = 8;
/// The hidden column holding the stamp (J).
const STAMP_COL: u16 = 9;
/// Zero-based row of the table's header.
pub const HEADER_ROW: u32 = 6;
/// The three words of the `Trạng thái` drop-down.
pub const STATES: [&str; 3] = ["Chưa thực hiện", "Đang thực hiện", "Hoàn thành"];
/// Labels of the unit's own block (column A; `read` finds them by these).
pub const TON_TAI_LABEL: &str = "TỒN TẠI, HẠN CHẾ CỦA ĐƠN VỊ (mỗi ý ghi một dòng)";
pub const KIEN_NGHI_LABEL: &str = "KIẾN NGHỊ, ĐỀ XUẤT CỦA ĐƠN VỊ (mỗi ý ghi một dòng)";
/// Free rows in each block.
const BLOCK_ROWS: u32 = 5;

/// Fixed document properties, so the same form is the same bytes.
pub fn fixed_properties() -> Result<DocProperties, XlsxError> {
    let date = ExcelDateTime::from_ymd(2000, 1, 1)?;
    Ok(DocProperties::new().set_author("vanban").set_creation_datetime(&date))
}

/// A date cell value.
pub fn excel_date(d: Date) -> Result<ExcelDateTime, XlsxError> {
    let y = u16::try_from(d.year).map_err(|_| XlsxError::ParameterError(format!("năm {}", d.year)))?;
    ExcelDateTime::from_ymd(y, d.month, d.day)
}

/// Rows a text needs in a column of this width (wrapped), for row heights:
/// not every program fits rows on opening.
pub fn lines_in(text: &str, width: f64) -> usize {
    let per_line = (width * 1.15).max(1.0) as usize;
    text.split('\n').map(|p| p.chars().count().div_ceil(per_line).max(1)).sum()
}

struct Styles {
    title: Format,
    info: Format,
    info_bold: Format,
    hint: Format,
    header: Format,
    locked: Format,
    locked_center: Format,
    section: Format,
    open: Format,
    open_center: Format,
    open_date: Format,
    open_number: Format,
    label: Format,
    stamp: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = xlsx_style::cell();
        let locked = cell.clone().set_background_color(0xF2F2F2);
        let open = cell.set_unlocked();
        Styles {
            title: xlsx_style::title(),
            info: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            info_bold: Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top),
            hint: Format::new().set_italic().set_text_wrap().set_align(FormatAlign::Top).set_font_color(0x1F4E79),
            header: xlsx_style::header(),
            locked_center: locked.clone().set_align(FormatAlign::Center),
            section: locked.clone().set_bold(),
            locked,
            open_center: open.clone().set_align(FormatAlign::Center),
            open_date: open.clone().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Center),
            open_number: open.clone().set_align(FormatAlign::Center),
            open,
            label: Format::new()
                .set_bold()
                .set_background_color(xlsx_style::HEADER_FILL)
                .set_border(FormatBorder::Thin),
            stamp: Format::new().set_hidden().set_font_color(0xFFFFFF),
        }
    }
}

/// The form of one unit as xlsx bytes.
pub fn form_xlsx(f: &FormData) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut book = Workbook::new();
    book.set_properties(&fixed_properties()?);
    let ws = book.add_worksheet().set_name(FORM_SHEET)?;
    for (c, (_, w)) in COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_column_hidden(STAMP_COL)?;

    let p = f.period;
    let ky = p.label();
    let title = format!("BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ {}", crate::vi::upper::hoa(&ky));
    ws.merge_range(0, 0, 0, LAST_COL, &title, &st.title)?;
    ws.set_row_height(0, 24)?;
    let lines = [
        (format!("Đơn vị: {}", f.unit.name.text), &st.info_bold),
        (format!("Thực hiện {}.", f.plan_ref), &st.info),
        (
            format!(
                "Kỳ báo cáo: {ky} (tính đến ngày {}). Đề nghị gửi lại chính tệp này trước {}.",
                format::short(&p.as_of),
                format::long(&f.send_by)
            ),
            &st.info_bold,
        ),
        (
            "Cách điền: ở mỗi nhiệm vụ, chọn «Trạng thái» trong danh sách (Chưa thực hiện / Đang thực hiện / Hoàn thành), \
             ghi «Tiến độ (%)» từ 0 đến 100, «Ngày hoàn thành» dạng dd/mm/yyyy khi đã xong, «Kết quả thực hiện» và \
             «Khó khăn, vướng mắc» (nếu có); rồi ghi các tồn tại, hạn chế và kiến nghị của đơn vị ở cuối biểu. \
             Với nhiệm vụ phối hợp, ghi phần việc đơn vị đã làm vào «Kết quả thực hiện». \
             Các cột Mã, Nhiệm vụ, Vai trò, Thời hạn đã khoá, không cần sửa. Giá trị đã có là số liệu kỳ trước: \
             chỉ cần cập nhật. Điền ngay trên tệp này, không chép sang tệp khác, không xoá hay thêm cột."
                .to_string(),
            &st.hint,
        ),
    ];
    let wide: f64 = COLUMNS.iter().map(|(_, w)| w).sum();
    for (i, (text, fmt)) in lines.iter().enumerate() {
        let r = 1 + i as u32;
        ws.merge_range(r, 0, r, LAST_COL, text, fmt)?;
        let n = lines_in(text, wide);
        if n > 1 {
            ws.set_row_height(r, 15.0 * n as f64 + 3.0)?;
        }
    }
    ws.write_string_with_format(0, STAMP_COL, f.stamp.to_json(), &st.stamp)?;

    for (c, (col, _)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, schema::form_header(*col), &st.header)?;
    }
    ws.set_row_height(HEADER_ROW, 32)?;

    let mut r = HEADER_ROW;
    let mut task_rows: Vec<u32> = Vec::new();
    for (role, heading) in [(Role::Lead, "Nhiệm vụ đơn vị chủ trì"), (Role::Support, "Nhiệm vụ đơn vị phối hợp")]
    {
        let rows: Vec<&FormRow> = f.rows.iter().filter(|x| x.role == role).collect();
        if rows.is_empty() {
            continue;
        }
        r += 1;
        ws.write_blank(r, 0, &st.section)?;
        ws.write_string_with_format(r, 1, format!("{heading} ({})", rows.len()), &st.section)?;
        for c in 2..=LAST_COL {
            ws.write_blank(r, c, &st.section)?;
        }
        for row in rows {
            r += 1;
            write_task(ws, r, row, &st)?;
            task_rows.push(r);
        }
    }
    if f.rows.is_empty() {
        r += 1;
        ws.merge_range(r, 0, r, LAST_COL, "Đơn vị không có nhiệm vụ trong kế hoạch; chỉ ghi phần dưới.", &st.locked)?;
    }
    if let (Some(&first), Some(&last)) = (task_rows.first(), task_rows.last()) {
        let list = DataValidation::new()
            .allow_list_strings(&STATES)?
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message("Chọn một trong: Chưa thực hiện, Đang thực hiện, Hoàn thành.")?;
        ws.add_data_validation(first, 4, last, 4, &list)?;
        let pct = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_error_title("Tiến độ (%)")?
            .set_error_message("Ghi một số từ 0 đến 100, ví dụ 85 hoặc 85,5.")?;
        ws.add_data_validation(first, 5, last, 5, &pct)?;
        let date = DataValidation::new()
            .allow_date(DataValidationRule::Between(
                ExcelDateTime::from_ymd(2000, 1, 1)?,
                ExcelDateTime::from_ymd(2100, 12, 31)?,
            ))
            .set_error_title("Ngày hoàn thành")?
            .set_error_message("Ghi ngày dạng dd/mm/yyyy, ví dụ 05/10/2023.")?;
        ws.add_data_validation(first, 6, last, 6, &date)?;
    }

    // The unit's own block starts a printed page: a label left alone at the
    // foot of a page, or its free rows under the table's header, misleads.
    let mut block_start = None;
    for label in [TON_TAI_LABEL, KIEN_NGHI_LABEL] {
        r += 2;
        block_start.get_or_insert(r);
        ws.merge_range(r, 0, r, LAST_COL, label, &st.label)?;
        for _ in 0..BLOCK_ROWS {
            r += 1;
            ws.merge_range(r, 0, r, LAST_COL, "", &st.open)?;
            ws.set_row_height(r, 30)?;
        }
    }

    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    if let Some(row) = block_start {
        ws.set_page_breaks(&[row])?;
    }
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    book.save_to_buffer()
}

fn write_task(ws: &mut Worksheet, r: u32, row: &FormRow, st: &Styles) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, 0, &row.key, &st.locked_center)?;
    ws.write_string_with_format(r, 1, &row.content, &st.locked)?;
    ws.write_string_with_format(r, 2, row.role.label(), &st.locked_center)?;
    ws.write_string_with_format(r, 3, &row.deadline, &st.locked_center)?;
    let v = &row.values;
    match v.status {
        Some(m) => ws.write_string_with_format(r, 4, m.label(), &st.open_center)?,
        None => ws.write_blank(r, 4, &st.open_center)?,
    };
    match v.progress {
        Some(x) => ws.write_number_with_format(r, 5, x, &st.open_number)?,
        None => ws.write_blank(r, 5, &st.open_number)?,
    };
    match v.done_on {
        Some(d) => ws.write_datetime_with_format(r, 6, &excel_date(d)?, &st.open_date)?,
        None => ws.write_blank(r, 6, &st.open_date)?,
    };
    match &v.result {
        Some(s) => ws.write_string_with_format(r, 7, s, &st.open)?,
        None => ws.write_blank(r, 7, &st.open)?,
    };
    ws.write_blank(r, 8, &st.open)?;
    let n = lines_in(&row.content, COLUMNS[1].1).max(v.result.as_deref().map_or(1, |s| lines_in(s, COLUMNS[7].1)));
    ws.set_row_height(r, (15.0 * n.max(2) as f64 + 3.0).min(400.0))?;
    Ok(())
}
