//! The command line (clap types only). Flags are English; every text a user
//! reads is Vietnamese.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const TEMPLATE: &str = "{about}\n\nCách dùng: {usage}\n\n{all-args}{after-help}";

#[derive(Debug, Parser)]
#[command(
    name = "vanban",
    version,
    about = "Lập Kế hoạch, Báo cáo theo Nghị định 30/2020/NĐ-CP từ một tệp Excel",
    help_template = TEMPLATE,
    subcommand_help_heading = "Lệnh",
    subcommand_value_name = "LỆNH",
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// In hướng dẫn
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true, help_heading = "Tùy chọn chung")]
    pub help: Option<bool>,
    /// In phiên bản
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, help_heading = "Tùy chọn chung")]
    pub version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tạo tệp Excel mẫu đã điền sẵn (mặc định data/ke-hoach-mau.xlsx)
    #[command(help_template = TEMPLATE)]
    Init(InitArgs),
    /// Kiểm tra tệp Excel, liệt kê mọi lỗi và cảnh báo
    #[command(help_template = TEMPLATE)]
    Check(CheckArgs),
    /// Lập KẾ HOẠCH (PDF, Word)
    #[command(help_template = TEMPLATE)]
    Plan(PlanArgs),
    /// Lập BÁO CÁO quý về việc thực hiện kế hoạch (PDF, Word)
    #[command(help_template = TEMPLATE)]
    Report(ReportArgs),
    /// Lập văn bản cho từng đơn vị, chạy song song
    #[command(help_template = TEMPLATE)]
    Batch(BatchArgs),
    /// Tạo biểu mẫu tiến độ (.xlsx) gửi từng đơn vị điền
    #[command(help_template = TEMPLATE)]
    Forms(FormsArgs),
    /// Đọc biểu mẫu đơn vị gửi về, lập tệp tổng hợp tiến độ
    #[command(help_template = TEMPLATE)]
    Collect(CollectArgs),
    /// Liệt kê phông chữ tìm thấy và phông được dùng
    #[command(help_template = TEMPLATE)]
    Fonts(FontArgs),
    /// Mở trang web trên máy: xem lỗi, xem trước và tải văn bản
    #[command(help_template = TEMPLATE)]
    Serve(ServeArgs),
    /// (phát triển) Dịch một mẫu Typst với dữ liệu JSON
    #[command(hide = true)]
    DevRender(DevRenderArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Đường dẫn tệp sẽ tạo
    #[arg(default_value = "data/ke-hoach-mau.xlsx", value_name = "TỆP")]
    pub path: PathBuf,
    /// Ghi đè nếu tệp đã có
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Tệp Excel (.xlsx, .xlsm, .xls, .ods)
    #[arg(value_name = "TỆP_EXCEL")]
    pub workbook: PathBuf,
    /// Chuyển chữ gõ bằng phông TCVN3/VNI sang Unicode khi đọc
    #[arg(long)]
    pub fix_encoding: bool,
    /// Không in cảnh báo
    #[arg(short, long)]
    pub quiet: bool,
}

/// The template and fonts a render uses (`plan`, `report`, `batch`, `serve`).
#[derive(Debug, Args, Clone, Default)]
pub struct TypstArgs {
    /// Dùng mẫu Typst của bạn thay cho mẫu có sẵn
    #[arg(long, value_name = "TỆP.typ")]
    pub template: Option<PathBuf>,
    /// Thư mục phông chữ bổ sung (có thể lặp lại)
    #[arg(long = "font-path", value_name = "THƯ_MỤC")]
    pub font_paths: Vec<PathBuf>,
    /// Không dùng phông chữ của hệ thống
    #[arg(long)]
    pub ignore_system_fonts: bool,
}

impl TypstArgs {
    /// The engine options these flags ask for.
    pub fn engine_options(&self) -> crate::pipeline::EngineOptions {
        crate::pipeline::EngineOptions {
            template: self.template.clone(),
            font_paths: self.font_paths.clone(),
            ignore_system_fonts: self.ignore_system_fonts,
        }
    }
}

/// Flags shared by every command that renders.
#[derive(Debug, Args, Clone, Default)]
pub struct RenderArgs {
    #[command(flatten)]
    pub typst: TypstArgs,
    /// Ghi thêm: `typ` (mã Typst, dữ liệu và mẫu) hoặc `json` (dữ liệu)
    #[arg(long, value_enum, value_name = "LOẠI")]
    pub emit: Vec<Emit>,
    /// Xuất PDF/A-2b để lưu trữ
    #[arg(long)]
    pub pdf_a: bool,
    /// Chuyển chữ gõ bằng phông TCVN3/VNI sang Unicode khi đọc
    #[arg(long)]
    pub fix_encoding: bool,
    /// Không in cảnh báo và thông tin
    #[arg(short, long)]
    pub quiet: bool,
    /// Định dạng: `pdf` (mặc định), `docx` (Word, sửa được) hoặc `pdf,docx`
    #[arg(long, value_enum, value_delimiter = ',', value_name = "ĐỊNH_DẠNG")]
    pub format: Vec<Format>,
}

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// PDF theo Nghị định 30
    Pdf,
    /// Word (.docx) để sửa trước khi ký
    Docx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// Mã nguồn Typst, dữ liệu JSON và các mẫu, cạnh tệp PDF
    Typ,
    /// Dữ liệu đã tính (JSON), cạnh tệp PDF
    Json,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Tệp Excel (.xlsx, .xlsm, .xls, .ods)
    #[arg(value_name = "TỆP_EXCEL")]
    pub workbook: PathBuf,
    /// Tệp kết quả, .pdf hoặc .docx (mặc định output/<ký hiệu>-<năm>.pdf)
    #[arg(short, long, value_name = "TỆP")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub render: RenderArgs,
}

/// The quarter a report or a form is for (`report`, `forms`).
#[derive(Debug, Args, Clone, Copy)]
pub struct QuarterArgs {
    /// Quý báo cáo (1–4)
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4), value_name = "N")]
    pub quarter: u8,
    /// Năm báo cáo (mặc định năm của kế hoạch)
    #[arg(long, value_name = "NĂM")]
    pub year: Option<i32>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Tệp Excel (.xlsx, .xlsm, .xls, .ods)
    #[arg(value_name = "TỆP_EXCEL")]
    pub workbook: PathBuf,
    #[command(flatten)]
    pub period: QuarterArgs,
    /// Ngày tính trạng thái, dd/mm/yyyy (mặc định ngày cuối quý)
    #[arg(long, value_name = "NGÀY")]
    pub as_of: Option<String>,
    /// Tệp kết quả, .pdf hoặc .docx
    #[arg(short, long, value_name = "TỆP")]
    pub output: Option<PathBuf>,
    /// Biểu mẫu tiến độ đơn vị gửi về, hoặc tệp tổng hợp của `collect`
    #[arg(long, num_args = 1.., value_name = "TỆP")]
    pub progress: Vec<PathBuf>,
    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(Debug, Args)]
pub struct FormsArgs {
    #[arg(value_name = "TỆP_EXCEL")]
    pub workbook: PathBuf,
    #[command(flatten)]
    pub period: QuarterArgs,
    /// Chỉ lập cho đơn vị này (mã; có thể lặp lại)
    #[arg(long = "unit", value_name = "MÃ")]
    pub units: Vec<String>,
    /// Hạn gửi lại, dd/mm/yyyy (mặc định ngày 05 tháng đầu quý sau)
    #[arg(long, value_name = "NGÀY")]
    pub due: Option<String>,
    /// Thư mục kết quả
    #[arg(long, default_value = "output/bieu-mau", value_name = "THƯ_MỤC")]
    pub out_dir: PathBuf,
    /// Chuyển chữ gõ bằng phông TCVN3/VNI sang Unicode khi đọc
    #[arg(long)]
    pub fix_encoding: bool,
    /// Không in cảnh báo
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    #[arg(value_name = "TỆP_EXCEL")]
    pub workbook: PathBuf,
    /// Các biểu mẫu đơn vị gửi về (.xlsx, .xls, .ods)
    #[arg(value_name = "BIỂU_MẪU", required = true)]
    pub returned: Vec<PathBuf>,
    /// Quý báo cáo (mặc định quý của phần lớn biểu mẫu)
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4), value_name = "N")]
    pub quarter: Option<u8>,
    /// Năm báo cáo
    #[arg(long, value_name = "NĂM")]
    pub year: Option<i32>,
    /// Tệp tổng hợp (mặc định output/tien-do-quy-<q>-<năm>.xlsx)
    #[arg(short, long, value_name = "TỆP.xlsx")]
    pub output: Option<PathBuf>,
    /// Chuyển chữ gõ bằng phông TCVN3/VNI sang Unicode khi đọc
    #[arg(long)]
    pub fix_encoding: bool,
    /// Không in cảnh báo
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Kind {
    /// Kế hoạch
    #[default]
    Plan,
    /// Báo cáo quý
    Report,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Tệp Excel (.xlsx, .xlsm, .xls, .ods)
    #[arg(value_name = "TỆP_EXCEL")]
    pub workbook: PathBuf,
    /// Loại văn bản
    #[arg(long, value_enum, default_value_t = Kind::Plan, value_name = "LOẠI")]
    pub kind: Kind,
    /// Quý báo cáo (với --kind report)
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4), value_name = "N")]
    pub quarter: Option<u8>,
    /// Năm báo cáo
    #[arg(long, value_name = "NĂM")]
    pub year: Option<i32>,
    /// Ngày tính trạng thái, dd/mm/yyyy
    #[arg(long, value_name = "NGÀY")]
    pub as_of: Option<String>,
    /// Chỉ lập cho đơn vị này (mã; có thể lặp lại)
    #[arg(long = "unit", value_name = "MÃ")]
    pub units: Vec<String>,
    /// Thư mục kết quả
    #[arg(long, default_value = "output", value_name = "THƯ_MỤC")]
    pub out_dir: PathBuf,
    /// Số luồng song song (mặc định: mọi nhân)
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Mẫu tên tệp (minijinja)
    #[arg(long, default_value = crate::batch::DEFAULT_NAME, value_name = "MẪU")]
    pub name: String,
    /// Biểu mẫu tiến độ đơn vị gửi về, hoặc tệp tổng hợp của `collect` (với --kind report)
    #[arg(long, num_args = 1.., value_name = "TỆP")]
    pub progress: Vec<PathBuf>,
    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(Debug, Args)]
pub struct FontArgs {
    /// Thư mục phông chữ bổ sung
    #[arg(long = "font-path", value_name = "THƯ_MỤC")]
    pub font_paths: Vec<PathBuf>,
    /// Không dùng phông chữ của hệ thống
    #[arg(long)]
    pub ignore_system_fonts: bool,
    /// Liệt kê cả từng kiểu chữ của mỗi họ phông
    #[arg(long)]
    pub variants: bool,
}

#[derive(Debug, Args)]
pub struct DevRenderArgs {
    /// Tên mẫu: van-ban.typ (mẫu có sẵn), hoặc một tệp .typ trong --dir
    pub template: String,
    /// Dữ liệu JSON
    pub data: PathBuf,
    /// Tệp PDF
    pub output: PathBuf,
    /// Thư mục mẫu đọc từ đĩa
    #[arg(long, default_value = "templates")]
    pub dir: PathBuf,
    #[arg(long = "font-path")]
    pub font_paths: Vec<PathBuf>,
    #[arg(long)]
    pub ignore_system_fonts: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Tệp Excel nạp sẵn và theo dõi (trang tự cập nhật khi lưu tệp)
    #[arg(value_name = "TỆP_EXCEL")]
    pub workbook: Option<PathBuf>,
    /// Cổng (0: một cổng trống bất kỳ)
    #[arg(long, default_value_t = 8686, value_name = "CỔNG")]
    pub port: u16,
    /// Địa chỉ nghe; khác 127.0.0.1 thì cần mã truy cập in kèm địa chỉ
    #[arg(long, value_name = "ĐỊA_CHỈ")]
    pub host: Option<std::net::IpAddr>,
    /// Mở trình duyệt
    #[arg(long)]
    pub open: bool,
    /// Cỡ tệp tải lên lớn nhất, tính bằng byte (mặc định 50 MB)
    #[arg(long, default_value_t = 50 * 1024 * 1024, value_name = "BYTE")]
    pub max_upload: usize,
    #[command(flatten)]
    pub typst: TypstArgs,
    /// Chuyển chữ gõ bằng phông TCVN3/VNI sang Unicode khi đọc
    #[arg(long)]
    pub fix_encoding: bool,
}
