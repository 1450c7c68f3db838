//! `vanban init`: writes the filled-in sample workbook.

use crate::cli::InitArgs;
use crate::Failure;

pub fn run(args: &InitArgs) -> Result<(), Failure> {
    super::guard::check_output(&args.path)?;
    if args.path.exists() && !args.force {
        return Err(Failure::Message(format!(
            "tệp «{}» đã có; thêm --force để ghi đè, hoặc chọn tên khác",
            args.path.display()
        )));
    }
    if let Some(dir) = args.path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("không tạo được thư mục {}: {e}", dir.display()))?;
    }
    // Written beside the target, then renamed: never a half-written workbook.
    let tmp = args.path.with_extension("xlsx.tmp");
    crate::sample::write_sample(&tmp).map_err(|e| format!("không ghi được {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &args.path).map_err(|e| super::common::io_message(&args.path, &e))?;
    println!("{}", args.path.display());
    Ok(())
}
