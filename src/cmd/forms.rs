//! `vanban forms`: one progress form (.xlsx) per unit, written atomically.

use super::common;
use crate::cli::FormsArgs;
use crate::document::report::Period;
use crate::Failure;

pub fn run(args: &FormsArgs) -> Result<(), Failure> {
    let wb = common::load_or_fail(&args.workbook, args.fix_encoding, args.quiet)?;
    if wb.units.is_empty() {
        return Err(Failure::Message(format!(
            "{}: trang DonVi trống hoặc không có; `forms` cần danh sách đơn vị (Mã, Tên đơn vị)",
            args.workbook.display()
        )));
    }
    let period = Period::quarter_end(&wb, args.period.quarter, args.period.year);
    let send_by = match &args.due {
        Some(s) => crate::vi::parse::parse_date(s).map_err(|_| {
            Failure::Usage(format!("--due «{s}» không phải ngày hợp lệ; ghi dạng dd/mm/yyyy, ví dụ 05/10/2024"))
        })?,
        None => crate::forms::default_send_by(&period),
    };
    let units: Vec<usize> =
        crate::batch::select_units(&wb, &args.units).map_err(Failure::Usage)?.into_iter().map(|(i, _)| i).collect();
    let (forms, diags) = match crate::forms::build_forms(&wb, &period, send_by, &units) {
        Ok(x) => x,
        Err(diags) => {
            common::print_diags(&diags, args.quiet);
            return Err(Failure::Reported);
        }
    };
    common::print_diags(&diags, args.quiet);
    for f in &forms {
        let path = args.out_dir.join(&f.file_name);
        if super::collect::same_file(&path, &args.workbook) {
            return Err(Failure::Message(format!(
                "«{}» là tệp kế hoạch; chọn thư mục khác (--out-dir)",
                path.display()
            )));
        }
        super::common::write_atomic(&path, &f.bytes).map_err(|e| super::common::io_message(&path, &e))?;
        println!("{}", path.display());
    }
    if !args.quiet {
        eprintln!(
            "Đã tạo {} biểu mẫu {} trong {}; hạn gửi lại {}.",
            forms.len(),
            period.label(),
            args.out_dir.display(),
            crate::vi::format::short(&send_by)
        );
    }
    Ok(())
}
