//! The cell formats shared by every xlsx vanban writes: the sample workbook
//! (`init`), the progress forms and the consolidated progress file
//! (`forms`, `collect`). One place, so the three files look alike and a
//! change of header colour or border is made once.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

/// The light blue of header cells and labels.
pub const HEADER_FILL: u32 = 0xDDEBF7;

/// A table cell: wrapped text, top-aligned, thin border.
pub fn cell() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin)
}

/// A table header cell: bold, wrapped, centred both ways, thin border, filled.
pub fn header() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(HEADER_FILL)
}

/// A sheet's title line: bold, 14 pt, centred.
pub fn title() -> Format {
    Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center)
}
