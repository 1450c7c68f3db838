//! The sample workbook written by `vanban init`.
//!
//! A filled-in 2024 plan of a provincial Sở Nông nghiệp và Phát triển nông
//! thôn (after Hưng Yên's plan on the administrative-reform indices), showing
//! every sheet, label and column of the workbook contract (workbook.md):
//! ThongTin, NoiDung, NhiemVu, ChiSo, DonVi and BaoCao.
//!
//! The data are plain tables below, one spreadsheet row per line; the code at
//! the end only writes them with formatting (bold headers, wrapped text,
//! frozen header rows, date cells as `dd/mm/yyyy`).
//!
//! The tasks are filled in so that a report for quý III/2024 (as of
//! 30/09/2024) gives every state: 6 hoàn thành đúng hạn, 3 hoàn thành trễ
//! hạn, 7 đang thực hiện, 3 quá hạn, 3 chưa đến hạn (22 tasks).

use std::path::Path;

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, FormatAlign, Note, Workbook,
    Worksheet, XlsxError,
};

use crate::workbook::model::InfoKey as K;
use crate::workbook::schema::{self, Col, SheetKind};
use crate::xlsx_style;

/// One cell of the sample.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell {
    /// Text; `\n` is a line break inside the cell (Alt+Enter).
    T(&'static str),
    /// A number.
    N(f64),
    /// A date cell (year, month, day), shown `dd/mm/yyyy`.
    D(u16, u8, u8),
    /// Empty.
    E,
}

use Cell::{D, E, N, T};

// ---------------------------------------------------------------------------
// Sheet ThongTin — the document.

/// The columns of ThongTin and BaoCao, with their widths.
const FIELD_COLUMNS: &[(Col, f64)] = &[(Col::Label, 24.0), (Col::Value, 90.0)];

#[rustfmt::skip]
const THONG_TIN: &[(K, Cell)] = &[
(K::LoaiVanBan, T("KẾ HOẠCH")),
(K::CoQuanChuQuan, T("UBND TỈNH HƯNG YÊN")),
(K::CoQuanBanHanh, T("SỞ NÔNG NGHIỆP VÀ\nPHÁT TRIỂN NÔNG THÔN")),
(K::So, N(15.0)),
(K::KyHieu, T("KH-SNNPTNT")),
(K::DiaDanh, T("Hưng Yên")),
(K::NgayBanHanh, D(2024, 1, 5)),
(K::Nam, N(2024.0)),
(K::TrichYeu, T("Khắc phục tồn tại, hạn chế năm 2023; duy trì, nâng cao các chỉ số cải cách hành chính năm 2024 của Sở Nông nghiệp và Phát triển nông thôn")),
(K::CanCu, T("Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;")),
(K::CanCu, T("Căn cứ Kế hoạch số 226/KH-UBND ngày 25/12/2023 của Ủy ban nhân dân tỉnh Hưng Yên về cải cách hành chính nhà nước năm 2024;")),
(K::CanCu, T("Căn cứ Quyết định số 3012/QĐ-UBND ngày 29/12/2023 của Ủy ban nhân dân tỉnh công bố Chỉ số cải cách hành chính năm 2023 của các sở, ban, ngành tỉnh và Ủy ban nhân dân các huyện, thị xã, thành phố;")),
(K::MoDau, T("Năm 2023, Chỉ số cải cách hành chính (PAR INDEX) của Sở đạt **83,78 điểm**, giảm 3,86 điểm so với năm 2022; Chỉ số hài lòng của người dân, tổ chức (SIPAS) đạt 77,21%; Chỉ số PAPI đạt 84,9 điểm. Một số tiêu chí bị trừ điểm do văn bản phối hợp chậm hạn, hồ sơ thủ tục hành chính giải quyết quá hạn, tỷ lệ thanh toán trực tuyến và hồ sơ điện tử còn thấp.")),
(K::MoDau, T("Để khắc phục những tồn tại, hạn chế trên, Sở Nông nghiệp và Phát triển nông thôn ban hành Kế hoạch duy trì, nâng cao các chỉ số cải cách hành chính năm {{ nam }} như sau:")),
(K::KetThuc, T("Trên đây là Kế hoạch khắc phục tồn tại, hạn chế năm 2023; duy trì, nâng cao các chỉ số cải cách hành chính năm 2024 của Sở Nông nghiệp và Phát triển nông thôn.")),
(K::KetThuc, T("Yêu cầu Trưởng các phòng, Thủ trưởng các đơn vị thuộc Sở nghiêm túc triển khai thực hiện. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo về Sở (*qua Văn phòng Sở*) để tổng hợp, báo cáo Giám đốc Sở xem xét, quyết định.")),
(K::QuyenHanKy, T("KT. GIÁM ĐỐC")),
(K::ChucVuNguoiKy, T("PHÓ GIÁM ĐỐC")),
(K::NguoiKy, T("Nguyễn Văn Thành")),
(K::NoiNhan, T("UBND tỉnh (để báo cáo);")),
(K::NoiNhan, T("Sở Nội vụ (để phối hợp);")),
(K::NoiNhan, T("Giám đốc, các Phó Giám đốc Sở;")),
(K::NoiNhan, T("Các phòng, đơn vị thuộc Sở;")),
(K::NoiNhan, T("Cổng thông tin điện tử của Sở;")),
(K::Luu, T("VT, VP")),
(K::TrinhBayNhiemVu, T("bảng")),
(K::DanhSoCap3, T("1.1.")),
];

/// Notes (cell comments) on some ThongTin labels: how to fill them in.
#[rustfmt::skip]
const THONG_TIN_NOTES: &[(K, &str)] = &[
(K::CoQuanBanHanh, "Xuống dòng trong ô (Alt+Enter) được giữ nguyên khi in."),
(K::So, "Để trống nếu chưa lấy số: văn bản in «Số:      /KH-…» để ghi tay."),
(K::NgayBanHanh, "Ô ngày (dd/mm/yyyy). Để trống: in «ngày … tháng … năm …» để ghi tay."),
(K::CanCu, "Mục lặp lại: mỗi dòng một căn cứ. Tương tự: Mở đầu, Kết thúc, Nơi nhận, Quyền hạn ký."),
(K::TrinhBayNhiemVu, "bảng | văn xuôi | phụ lục"),
(K::DanhSoCap3, "1.1. (mặc định) hoặc a)"),
];

// ---------------------------------------------------------------------------
// Sheet NoiDung — the narrative body.

const NOI_DUNG_COLUMNS: &[(Col, f64)] = &[(Col::Level, 8.0), (Col::Title, 36.0), (Col::Body, 90.0)];

#[rustfmt::skip]
const NOI_DUNG: &[&[Cell]] = &[
    &[N(1.0), T("MỤC ĐÍCH, YÊU CẦU"), E],
    &[N(2.0), T("Mục đích"), E],
    &[E, E, T("Nâng cao nhận thức, trách nhiệm của người đứng đầu các phòng, đơn vị thuộc Sở trong triển khai nhiệm vụ cải cách hành chính; khắc phục những tồn tại, hạn chế năm 2023, duy trì và nâng cao các chỉ số cải cách hành chính năm 2024.")],
    &[T("-"), E, T("Khắc phục các tiêu chí, tiêu chí thành phần bị trừ điểm năm 2023 của các chỉ số PAR INDEX, SIPAS, PAPI, DDCI và DTI.")],
    &[T("-"), E, T("Phấn đấu Chỉ số cải cách hành chính năm 2024 của Sở đạt từ 88/100 điểm trở lên, thuộc nhóm 10 sở, ban, ngành dẫn đầu của tỉnh.")],
    &[N(2.0), T("Yêu cầu"), E],
    &[E, E, T("Việc triển khai phải bám sát nội dung, tiêu chí chấm điểm của từng chỉ số; xác định rõ nhiệm vụ, thời hạn hoàn thành và trách nhiệm của từng phòng, đơn vị.\nCác phòng, đơn vị phối hợp chặt chẽ, thường xuyên trong quá trình thực hiện; kết quả thực hiện Kế hoạch là một tiêu chí đánh giá, xếp loại người đứng đầu cuối năm.")],
    &[T("-"), E, T("Bảo đảm 100% hồ sơ thủ tục hành chính được giải quyết đúng hạn; trường hợp quá hạn phải có văn bản xin lỗi tổ chức, cá nhân.")],
    &[N(1.0), T("CHỈ TIÊU"), E],
    &[E, E, T("Phấn đấu năm 2024 các chỉ số của Sở đạt và vượt mục tiêu tại bảng dưới đây.\nĐối với chỉ số chưa công bố kết quả năm trước, lấy kết quả tự đánh giá của Sở làm căn cứ so sánh.")],
    &[T("CHISO"), E, E],
    &[N(1.0), T("NHIỆM VỤ, GIẢI PHÁP"), E],
    &[E, E, T("Các phòng, đơn vị thuộc Sở tập trung triển khai các nhiệm vụ, giải pháp sau (đơn vị chủ trì, phối hợp và thời hạn hoàn thành của từng nhiệm vụ tại bảng dưới đây):")],
    &[T("NHIEMVU"), E, E],
    &[N(1.0), T("TỔ CHỨC THỰC HIỆN"), E],
    &[N(2.0), T("Trách nhiệm của các phòng, đơn vị"), E],
    &[N(3.0), T("Văn phòng Sở"), T("Là đầu mối theo dõi, đôn đốc, kiểm tra việc triển khai Kế hoạch; tổng hợp kết quả, báo cáo Giám đốc Sở theo quy định.")],
    &[T("+"), E, T("Hướng dẫn các phòng, đơn vị cập nhật tiến độ thực hiện nhiệm vụ vào tệp theo dõi chung trước ngày 20 của tháng cuối quý.")],
    &[T("+"), E, T("Tham mưu sơ kết 6 tháng, tổng kết năm; đề xuất khen thưởng tập thể, cá nhân có thành tích, phê bình đơn vị để nhiệm vụ quá hạn.")],
    &[N(3.0), T("Thủ trưởng các phòng, đơn vị thuộc Sở"), T("Căn cứ chức năng, nhiệm vụ được giao, quán triệt, triển khai thực hiện nghiêm Kế hoạch này; chủ động xây dựng kế hoạch của đơn vị để thực hiện.\nChịu trách nhiệm trước Giám đốc Sở về kết quả thực hiện các nhiệm vụ do đơn vị chủ trì.")],
    &[N(3.0), T("Phòng Kế hoạch - Tài chính"), T("Tham mưu bố trí kinh phí thực hiện Kế hoạch từ nguồn chi thường xuyên năm 2024 của Sở.")],
    &[N(2.0), T("Chế độ báo cáo"), E],
    &[E, E, T("Các phòng, đơn vị báo cáo kết quả thực hiện về Sở (qua Văn phòng Sở, thư điện tử: vanphong_snn@hungyen.gov.vn), cụ thể:")],
    &[N(3.0), E, T("Báo cáo quý: trước ngày 15 của tháng cuối quý.")],
    &[N(3.0), E, T("Báo cáo năm: trước ngày 15/11/2024 (số liệu từ ngày 15/11/2023 đến ngày 14/11/2024).")],
];

// ---------------------------------------------------------------------------
// Sheet NhiemVu — the tasks.

/// Title rows above the header row (the reader must skip them).
const NHIEM_VU_TITLE: &str = "DANH MỤC NHIỆM VỤ NĂM 2024";

const NHIEM_VU_COLUMNS: &[(Col, f64)] = &[
    (Col::Stt, 5.0),
    (Col::TaskCode, 9.0),
    (Col::Group, 22.0),
    (Col::Content, 42.0),
    (Col::Target, 26.0),
    (Col::Product, 24.0),
    (Col::Lead, 22.0),
    (Col::Support, 24.0),
    (Col::Deadline, 16.0),
    (Col::Note, 16.0),
    (Col::Status, 15.0),
    (Col::Progress, 9.0),
    (Col::DoneOn, 13.0),
    (Col::Result, 32.0),
];

const G1: &str = "Công tác chỉ đạo, điều hành cải cách hành chính";
const G2: &str = "Cải cách thủ tục hành chính";
const G3: &str = "Cải cách tổ chức bộ máy; xây dựng đội ngũ công chức, viên chức";
const G4: &str = "Cải cách tài chính công";
const G5: &str = "Xây dựng chính quyền điện tử, chính quyền số";

const HT: Cell = T("Hoàn thành");
const DTH: Cell = T("Đang thực hiện");
const CTH: Cell = T("Chưa thực hiện");

// STT | Mã | Nhóm | Nội dung | Mục tiêu | Sản phẩm | Chủ trì | Phối hợp | Thời hạn | Ghi chú | Trạng thái | Tiến độ (%) | Ngày hoàn thành | Kết quả thực hiện
// The comment at the end of each row is its state in a report as of 30/09/2024.
#[rustfmt::skip]
const NHIEM_VU: &[&[Cell]] = &[
    &[E, T("CD-01"), T(G1), T("Xây dựng, ban hành Kế hoạch cải cách hành chính năm 2024 của Sở"), T("Chỉ số PAR INDEX đạt từ 88 điểm trở lên"), T("Kế hoạch của Sở"), T("VPS"), T("Các đơn vị thuộc Sở"), T("Quý I/2024"), E, HT, N(100.0), D(2024, 1, 10), T("Đã ban hành Kế hoạch số 08/KH-SNNPTNT ngày 10/01/2024.")], // đúng hạn
    &[E, T("CD-02"), T(G1), T("Kiện toàn Tổ công tác giúp việc về cải cách hành chính của Sở"), T("Phân công rõ người, rõ việc"), T("Quyết định kiện toàn"), T("TCCB"), T("Văn phòng Sở"), T("Trước ngày 31/3/2024"), E, HT, N(100.0), D(2024, 4, 15), T("Quyết định số 125/QĐ-SNNPTNT ngày 15/4/2024 (chậm do chờ điều động nhân sự).")], // trễ hạn
    &[E, T("CD-03"), T(G1), T("Kiểm tra công tác cải cách hành chính tại các chi cục, trung tâm thuộc Sở"), T("100% đơn vị trực thuộc được kiểm tra"), T("Báo cáo kết quả kiểm tra"), T("Thanh tra Sở; Văn phòng Sở"), T("TCCB"), T("Quý III/2024"), T("Kiểm tra 6 đơn vị"), DTH, N(60.0), E, T("Đã kiểm tra 4/6 đơn vị.")], // đang thực hiện (due 30/9 = as-of: not overdue)
    &[E, T("CD-04"), T(G1), T("Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử và tại các hội nghị của Sở"), T("Tối thiểu 24 tin, bài mỗi năm"), T("Tin, bài tuyên truyền"), T("VPS"), T("TTKN"), T("Thường xuyên"), E, DTH, N(75.0), E, T("Đã đăng 19 tin, bài.")], // đang thực hiện
    &[E, T("TTHC-01"), T(G2), T("Rà soát, đề xuất phương án đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết của Sở"), T("Đơn giản hóa tối thiểu 10% số thủ tục hành chính"), T("Phương án đơn giản hóa trình UBND tỉnh"), T("VPS"), T("CCCNTY\nCCTTBVTV"), T("6 tháng đầu năm 2024"), E, HT, N(100.0), D(2024, 6, 28), T("Đề xuất đơn giản hóa 12/98 thủ tục (12,2%).")], // đúng hạn
    &[E, T("TTHC-02"), T(G2), T("Cập nhật, công khai thủ tục hành chính trên Cơ sở dữ liệu quốc gia và Cổng dịch vụ công của tỉnh"), T("100% thủ tục hành chính được công khai đúng hạn"), T("Thủ tục hành chính được công khai"), T("Văn phòng Sở"), T("Văn phòng UBND tỉnh"), T("Thường xuyên"), E, E, E, E, E], // đang thực hiện (recurring, blank state)
    &[E, T("TTHC-03"), T(G2), T("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"), T("100% kết quả giải quyết được số hóa"), T("Dữ liệu số hóa trên Hệ thống thông tin giải quyết thủ tục hành chính"), T("Chi cục Chăn nuôi và Thú y; Chi cục Trồng trọt và Bảo vệ thực vật"), T("VPS"), T("Tháng 8/2024"), E, DTH, N(80.0), E, T("Đã số hóa 80% kết quả giải quyết.")], // quá hạn
    &[E, T("TTHC-04"), T(G2), T("Tuyên truyền, hướng dẫn người dân, doanh nghiệp nộp hồ sơ và thanh toán trực tuyến"), T("Tỷ lệ hồ sơ trực tuyến đạt từ 60% trở lên"), T("Hội nghị, tờ rơi hướng dẫn"), T("TTKN"), T("CCPTNT"), T("Năm 2024"), E, DTH, N(65.0), E, T("Tỷ lệ hồ sơ trực tuyến 9 tháng đạt 52%.")], // đang thực hiện
    &[E, T("TCBM-01"), T(G3), T("Rà soát, điều chỉnh Đề án vị trí việc làm của các đơn vị thuộc Sở"), T("Vị trí việc làm phù hợp chức năng, nhiệm vụ"), T("Đề án trình Sở Nội vụ thẩm định"), T("TCCB"), T("Sở Nội vụ"), T("Trước ngày 30/6/2024"), E, HT, N(100.0), D(2024, 6, 25), T("Đã trình tại Tờ trình số 86/TTr-SNNPTNT.")], // đúng hạn
    &[E, T("TCBM-02"), T(G3), T("Bồi dưỡng kiến thức, kỹ năng số cho công chức, viên chức"), T("100% công chức làm việc tại bộ phận một cửa được bồi dưỡng"), T("Lớp bồi dưỡng"), T("P. TCCB"), T("TTKN"), D(2024, 8, 15), E, HT, N(100.0), T("30/08/2024"), T("Tổ chức 02 lớp, 126 học viên.")], // trễ hạn (completion date typed as text)
    &[E, T("TCBM-03"), T(G3), T("Đánh giá, xếp loại chất lượng công chức, viên chức năm 2024"), T("Đánh giá đúng thực chất"), T("Quyết định xếp loại"), T("TCCB"), T("Các đơn vị thuộc Sở"), T("Tháng 12/2024"), E, CTH, N(0.0), E, E], // chưa đến hạn
    &[E, T("TCBM-04"), T(G3), T("Kiểm tra công vụ, việc chấp hành kỷ luật, kỷ cương hành chính"), T("Không có công chức, viên chức vi phạm kỷ luật"), T("Thông báo kết quả kiểm tra"), T("TTS"), T("VPS; TCCB"), T("Định kỳ hằng quý"), E, DTH, N(70.0), E, T("Đã kiểm tra 3 đợt.")], // đang thực hiện
    &[E, T("TC-01"), T(G4), T("Giao dự toán ngân sách nhà nước năm 2024 cho các đơn vị thuộc Sở"), T("Giao dự toán đúng thời hạn"), T("Quyết định giao dự toán"), T("KHTC"), E, T("Quý I/2024"), E, HT, N(100.0), D(2024, 1, 20), T("Quyết định số 25/QĐ-SNNPTNT ngày 20/01/2024.")], // đúng hạn
    &[E, T("TC-02"), T(G4), T("Đẩy nhanh tiến độ giải ngân vốn đầu tư công năm 2024"), T("Giải ngân 100% kế hoạch vốn được giao"), T("Báo cáo tiến độ giải ngân"), T("Phòng Kế hoạch - Tài chính"), T("Chi cục Thủy lợi\nBan Quản lý dự án đầu tư xây dựng tỉnh"), T("Năm 2024"), T("Báo cáo hằng tháng"), DTH, N(58.0), E, T("Giải ngân đạt 58% kế hoạch vốn.")], // đang thực hiện
    &[E, T("TC-03"), T(G4), T("Thực hiện các kiến nghị sau thanh tra, kiểm toán nhà nước về tài chính, ngân sách"), T("Hoàn thành 100% kiến nghị"), T("Báo cáo kết quả khắc phục"), T("KHTC"), T("TTS"), T("Trước ngày 31/7/2024"), E, E, E, E, E], // quá hạn (blank state)
    &[E, T("TC-04"), T(G4), T("Công khai dự toán, quyết toán ngân sách theo quy định"), T("Công khai đầy đủ, đúng hạn"), T("Quyết định công bố công khai"), T("KHTC"), T("VPS"), T("Tháng 9/2024"), E, HT, N(100.0), D(2024, 9, 20), T("Đã công khai trên Cổng thông tin điện tử của Sở.")], // đúng hạn
    &[E, T("CDS-01"), T(G5), T("Ký số văn bản điện tử gửi, nhận trên môi trường mạng"), T("100% văn bản điện tử được ký số"), T("Văn bản điện tử có chữ ký số"), T("VPS"), T("Các đơn vị thuộc Sở"), T("Thường xuyên"), E, DTH, N(90.0), E, T("Tỷ lệ ký số đạt 96%.")], // đang thực hiện
    &[E, T("CDS-02"), T(G5), T("Phê duyệt cấp độ an toàn thông tin cho các hệ thống thông tin của Sở"), T("100% hệ thống được phê duyệt cấp độ"), T("Quyết định phê duyệt cấp độ"), T("VPS"), T("Sở Thông tin và Truyền thông"), T("Quý II/2024"), E, HT, N(100.0), D(2024, 7, 5), T("Đã phê duyệt 3/3 hệ thống.")], // trễ hạn
    &[E, T("CDS-03"), T(G5), T("Xây dựng cơ sở dữ liệu chuyên ngành về cây trồng, vật nuôi"), T("Dữ liệu được cập nhật, chia sẻ"), T("Cơ sở dữ liệu chuyên ngành"), T("CCTTBVTV; CCCNTY"), T("VPS"), T("Quý IV/2024"), E, CTH, N(0.0), E, E], // chưa đến hạn
    &[E, T("CDS-04"), T(G5), T("Tự đánh giá, chấm điểm Chỉ số chuyển đổi số (DTI) năm 2024"), T("DTI đạt từ 800 điểm trở lên"), T("Báo cáo tự đánh giá"), T("VPS"), T("KHTC"), T("Trước ngày 15/11/2024"), E, HT, N(100.0), D(2024, 10, 10), T("Đã gửi báo cáo tự đánh giá.")], // chưa đến hạn (done 10/10, after the as-of date)
    &[E, T("CDS-05"), T(G5), T("Nâng cấp Trang thông tin điện tử của Sở, hiển thị tốt trên thiết bị di động"), T("Trang thông tin đạt chuẩn theo quy định"), T("Trang thông tin điện tử được nâng cấp"), T("VPS"), E, T("Quý II/2024"), E, HT, N(100.0), E, T("Đã vận hành giao diện mới.")], // đúng hạn (no completion date)
    &[E, T("CDS-06"), T(G5), T("Triển khai phần mềm quản lý văn bản và hồ sơ công việc tại các chi cục"), T("80% hồ sơ công việc được lập trên phần mềm"), T("Hồ sơ điện tử"), T("Chi cục Kiểm lâm; CCTL"), T("VPS"), T("Trước ngày 31/8/2024"), T("Chờ nâng cấp đường truyền"), CTH, N(0.0), E, E], // quá hạn
];

#[rustfmt::skip]
const NHIEM_VU_NOTES: &[(Col, &str)] = &[
    (Col::Stt, "Để trống: đánh số tự động (1.1, 1.2… trong từng nhóm)."),
    (Col::TaskCode, "Mã nhiệm vụ, mỗi nhiệm vụ một mã: in trong biểu mẫu tiến độ gửi đơn vị (vanban forms). Để trống: dùng STT."),
    (Col::Group, "Các dòng liền nhau cùng nhóm tạo thành một nhóm nhiệm vụ."),
    (Col::Lead, "Mã, tên viết tắt hoặc tên đơn vị ở trang DonVi; nhiều đơn vị cách nhau bằng ; hoặc xuống dòng."),
    (Col::Deadline, "Ví dụ: Quý I/2024; Trước ngày 30/6/2024; Tháng 9/2024; 6 tháng đầu năm 2024; Năm 2024; Thường xuyên; hoặc một ô ngày."),
    (Col::Status, "Hoàn thành | Đang thực hiện | Chưa thực hiện (để trống = chưa thực hiện)."),
    (Col::DoneOn, "Ngày hoàn thành thực tế, dùng khi lập báo cáo quý."),
];

// ---------------------------------------------------------------------------
// Sheet ChiSo — the metrics.

const CHI_SO_COLUMNS: &[(Col, f64)] = &[
    (Col::Code, 9.0),
    (Col::MetricName, 55.0),
    (Col::MaxPoints, 11.0),
    (Col::LastYear, 12.0),
    (Col::LastRank, 12.0),
    (Col::MetricTarget, 11.0),
    (Col::MetricResult, 11.0),
    (Col::Units, 18.0),
];

#[rustfmt::skip]
const CHI_SO: &[&[Cell]] = &[
    &[T("PAR"), T("Chỉ số cải cách hành chính (PAR INDEX)"), N(100.0), N(83.78), T("12/20"), N(88.0), N(86.45), T("VPS")],
    &[T("SIPAS"), T("Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS)"), N(100.0), N(77.21), T("16/20"), N(85.0), N(83.6), T("VPS")],
    &[T("PAPI"), T("Chỉ số hiệu quả quản trị và hành chính công (PAPI)"), N(100.0), N(84.9), T("11/20"), N(88.0), N(87.35), T("KHTC; VPS")],
    &[T("DDCI"), T("Chỉ số năng lực cạnh tranh cấp sở, ngành (DDCI)"), N(100.0), N(80.97), T("8/20"), N(85.0), E, T("KHTC")],
    &[T("DTI"), T("Chỉ số chuyển đổi số (DTI)"), N(1000.0), N(729.94), T("6/20"), N(800.0), N(815.5), T("VPS")],
    &[T("DVCQ"), T("Chỉ số dân vận chính quyền"), N(100.0), N(96.5), T("3/20"), N(97.0), N(97.25), T("TCCB")],
    &[T("CDDH"), T("Tiêu chí Công tác chỉ đạo, điều hành cải cách hành chính (thuộc PAR INDEX)"), T("10,5"), N(9.5), T("7/20"), T("10,5"), N(10.0), T("VPS")],
    &[T("TONG"), T("Tổng"), N(1510.5), N(1162.8), E, N(1253.5), E, E],
];

// ---------------------------------------------------------------------------
// Sheet DonVi — the units of the Sở.

const DON_VI_COLUMNS: &[(Col, f64)] = &[
    (Col::UnitCode, 11.0),
    (Col::UnitName, 40.0),
    (Col::ShortName, 20.0),
    (Col::Signer, 24.0),
    (Col::SignerTitle, 20.0),
    (Col::Symbol, 16.0),
];

#[rustfmt::skip]
const DON_VI: &[&[Cell]] = &[
    &[T("VPS"), T("Văn phòng Sở"), T("VP Sở"), T("Đỗ Thị Thu Hà"), T("CHÁNH VĂN PHÒNG"), T("KH-VPS")],
    &[T("TTS"), T("Thanh tra Sở"), T("TT Sở"), T("Lê Văn Hùng"), T("CHÁNH THANH TRA"), T("KH-TTS")],
    &[T("KHTC"), T("Phòng Kế hoạch - Tài chính"), T("P. KH-TC"), T("Phạm Minh Tuấn"), T("TRƯỞNG PHÒNG"), T("KH-KHTC")],
    &[T("TCCB"), T("Phòng Tổ chức cán bộ"), T("P. TCCB"), T("Vũ Thị Lan"), T("TRƯỞNG PHÒNG"), T("KH-TCCB")],
    &[T("CCCNTY"), T("Chi cục Chăn nuôi và Thú y"), T("Chi cục CN và TY"), T("Nguyễn Đức Long"), T("CHI CỤC TRƯỞNG"), T("KH-CCCNTY")],
    &[T("CCTTBVTV"), T("Chi cục Trồng trọt và Bảo vệ thực vật"), T("Chi cục TT và BVTV"), T("Trần Thị Mai"), T("CHI CỤC TRƯỞNG"), T("KH-CCTTBVTV")],
    &[T("CCTL"), T("Chi cục Thủy lợi"), T("CC Thủy lợi"), T("Hoàng Văn Nam"), T("CHI CỤC TRƯỞNG"), T("KH-CCTL")],
    &[T("CCKL"), T("Chi cục Kiểm lâm"), T("CC Kiểm lâm"), T("Bùi Quang Huy"), T("CHI CỤC TRƯỞNG"), T("KH-CCKL")],
    &[T("CCPTNT"), T("Chi cục Phát triển nông thôn"), T("CC PTNT"), T("Đặng Văn Khoa"), T("CHI CỤC TRƯỞNG"), T("KH-CCPTNT")],
    &[T("TTKN"), T("Trung tâm Khuyến nông"), T("TT Khuyến nông"), T("Ngô Thị Hương"), T("GIÁM ĐỐC"), T("KH-TTKN")],
];

// ---------------------------------------------------------------------------
// Sheet BaoCao — what the quarterly report changes.

#[rustfmt::skip]
const BAO_CAO: &[(K, Cell)] = &[
(K::So, E),
(K::KyHieu, T("BC-SNNPTNT")),
(K::NgayBanHanh, E),
(K::KinhGui, T("Ủy ban nhân dân tỉnh Hưng Yên")),
(K::NoiNhan, T("Như trên;")),
(K::NoiNhan, T("Sở Nội vụ;")),
(K::NoiNhan, T("Giám đốc, các Phó Giám đốc Sở;")),
(K::NoiNhan, T("Các phòng, đơn vị thuộc Sở;")),
(K::TonTaiHanChe, T("Còn {{ thong_ke.qua_han }} nhiệm vụ quá hạn chưa hoàn thành; một số nhiệm vụ hoàn thành chậm so với thời hạn do phải chờ ý kiến của cơ quan có thẩm quyền.")),
(K::TonTaiHanChe, T("Tỷ lệ hồ sơ thủ tục hành chính nộp và thanh toán trực tuyến còn thấp; việc số hóa kết quả giải quyết thủ tục hành chính ở một số chi cục chưa đạt yêu cầu.")),
(K::PhuongHuong, T("Tập trung hoàn thành các nhiệm vụ còn lại trong quý {{ quy + 1 }}.")),
(K::PhuongHuong, T("Đôn đốc các đơn vị khắc phục ngay các nhiệm vụ quá hạn; chuẩn bị tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2024.")),
(K::KienNghi, T("Đề nghị Ủy ban nhân dân tỉnh chỉ đạo Sở Thông tin và Truyền thông sớm nâng cấp hạ tầng, đường truyền của Hệ thống thông tin giải quyết thủ tục hành chính tỉnh.")),
];

#[rustfmt::skip]
const BAO_CAO_NOTES: &[(K, &str)] = &[
(K::So, "Giá trị ở trang này thay giá trị cùng mục ở trang ThongTin khi lập báo cáo."),
(K::PhuongHuong, "Có thể dùng biến: {{ quy }}, {{ nam }}, {{ thong_ke.hoan_thanh }}…"),
];

// ---------------------------------------------------------------------------
// Writing.

/// The sheets, in workbook order (the schema's order).
pub const SHEETS: [SheetKind; 6] =
    [SheetKind::Info, SheetKind::Content, SheetKind::Tasks, SheetKind::Metrics, SheetKind::Units, SheetKind::Report];

struct Styles {
    header: Format,
    text: Format,
    number: Format,
    date: Format,
    title: Format,
}

impl Styles {
    fn new() -> Self {
        let cell = xlsx_style::cell();
        Styles {
            header: xlsx_style::header(),
            text: cell.clone(),
            number: cell.clone().set_align(FormatAlign::Right),
            date: cell.set_num_format("dd/mm/yyyy").set_align(FormatAlign::Center),
            title: xlsx_style::title().set_align(FormatAlign::VerticalCenter),
        }
    }
}

/// Write a sample workbook: a filled-in 2024 plan of a Sở Nông nghiệp và
/// Phát triển nông thôn, with every sheet of the workbook contract.
pub fn write_sample(path: &Path) -> Result<(), XlsxError> {
    let st = Styles::new();
    let [thong_tin, noi_dung, nhiem_vu, chi_so, don_vi, bao_cao] = SHEETS.map(SheetKind::name);
    let mut wb = Workbook::new();

    // ThongTin
    let ws = wb.add_worksheet().set_name(thong_tin)?;
    write_fields(ws, SheetKind::Info, THONG_TIN, THONG_TIN_NOTES, &st)?;
    if let Some(row) = field_row(THONG_TIN, K::TrinhBayNhiemVu) {
        let v = list_validation(&["bảng", "văn xuôi", "phụ lục"])?;
        ws.add_data_validation(row, 1, row, 1, &v)?;
    }
    if let Some(row) = field_row(THONG_TIN, K::DanhSoCap3) {
        let v = list_validation(&["1.1.", "a)"])?;
        ws.add_data_validation(row, 1, row, 1, &v)?;
    }

    // NoiDung
    let ws = wb.add_worksheet().set_name(noi_dung)?;
    write_table(ws, SheetKind::Content, 0, NOI_DUNG_COLUMNS, NOI_DUNG, &st)?;
    ws.insert_note(0, 0, &note("1–4: đề mục đánh số tự động (I., 1., 1.1., 1.1.1.); - hoặc +: gạch đầu dòng; NHIEMVU / CHISO: chèn bảng nhiệm vụ / bảng chỉ số tại dòng này; để trống: đoạn văn."))?;
    ws.set_freeze_panes(1, 0)?;

    // NhiemVu: a title and a blank row above the header row.
    let ws = wb.add_worksheet().set_name(nhiem_vu)?;
    let last_col = (NHIEM_VU_COLUMNS.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last_col, NHIEM_VU_TITLE, &st.title)?;
    ws.set_row_height(0, 24)?;
    let header_row = 2;
    let end = write_table(ws, SheetKind::Tasks, header_row, NHIEM_VU_COLUMNS, NHIEM_VU, &st)?;
    add_notes(ws, header_row, NHIEM_VU_COLUMNS, NHIEM_VU_NOTES)?;
    ws.set_freeze_panes(header_row + 1, 0)?;
    // Room for more tasks: validations reach 200 rows below the last one.
    let last = end + 200;
    if let Some(col) = column(NHIEM_VU_COLUMNS, Col::Status) {
        let v = list_validation(&["Hoàn thành", "Đang thực hiện", "Chưa thực hiện"])?;
        ws.add_data_validation(header_row + 1, col, last, col, &v)?;
    }
    if let Some(col) = column(NHIEM_VU_COLUMNS, Col::Progress) {
        let v = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message("Tiến độ là một số từ 0 đến 100.")?;
        ws.add_data_validation(header_row + 1, col, last, col, &v)?;
    }

    // ChiSo
    let ws = wb.add_worksheet().set_name(chi_so)?;
    let end = write_table(ws, SheetKind::Metrics, 0, CHI_SO_COLUMNS, CHI_SO, &st)?;
    ws.insert_note(0, 0, &note("Mã dùng trong mẫu câu: {{ chi_so.PAR.muc_tieu }}. Dòng có Mã hoặc tên «Tổng» / TONG là dòng tổng, in đậm, ở cuối bảng."))?;
    // The total row in bold, as it will be printed.
    let bold = st.text.clone().set_bold();
    let bold_number = st.number.clone().set_bold();
    for (i, row) in CHI_SO.iter().enumerate() {
        if row.first() == Some(&T("TONG")) {
            let r = 1 + i as u32;
            for (c, cell) in row.iter().enumerate() {
                let fmt = if matches!(cell, N(_)) { &bold_number } else { &bold };
                write_cell(ws, r, c as u16, *cell, fmt, &st.date)?;
            }
        }
    }
    debug_assert_eq!(end as usize, CHI_SO.len());
    ws.set_freeze_panes(1, 0)?;

    // DonVi
    let ws = wb.add_worksheet().set_name(don_vi)?;
    write_table(ws, SheetKind::Units, 0, DON_VI_COLUMNS, DON_VI, &st)?;
    ws.insert_note(
        0,
        0,
        &note("Mã ngắn, không trùng; dùng trong tên tệp khi lập văn bản cho từng đơn vị (vanban batch)."),
    )?;
    ws.set_freeze_panes(1, 0)?;

    // BaoCao
    let ws = wb.add_worksheet().set_name(bao_cao)?;
    write_fields(ws, SheetKind::Report, BAO_CAO, BAO_CAO_NOTES, &st)?;

    wb.save(path)
}

/// A two-column sheet (`Mục`, `Giá trị`) with notes on some labels.
fn write_fields(
    ws: &mut Worksheet,
    kind: SheetKind,
    fields: &[(K, Cell)],
    notes: &[(K, &str)],
    st: &Styles,
) -> Result<(), XlsxError> {
    let rows: Vec<[Cell; 2]> = fields.iter().map(|&(key, value)| [T(key.label()), value]).collect();
    let rows: Vec<&[Cell]> = rows.iter().map(|r| r.as_slice()).collect();
    write_table(ws, kind, 0, FIELD_COLUMNS, &rows, st)?;
    // Values read left to right: numbers and dates to the left, like text.
    let left = st.text.clone().set_align(FormatAlign::Left);
    let left_date = st.date.clone().set_align(FormatAlign::Left);
    for (i, &(_, value)) in fields.iter().enumerate() {
        if matches!(value, N(_) | D(..)) {
            write_cell(ws, 1 + i as u32, 1, value, &left, &left_date)?;
        }
    }
    for &(key, text) in notes {
        if let Some(row) = field_row(fields, key) {
            ws.insert_note(row, 0, &note(text))?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A bold header row at `first_row` (the schema's header of each column),
/// then the rows under it, in columns of these widths. Returns the index of
/// the last row written.
fn write_table(
    ws: &mut Worksheet,
    kind: SheetKind,
    first_row: u32,
    columns: &[(Col, f64)],
    rows: &[&[Cell]],
    st: &Styles,
) -> Result<u32, XlsxError> {
    let widths: Vec<f64> = columns.iter().map(|(_, w)| *w).collect();
    let widths = widths.as_slice();
    let headers: Vec<&'static str> = columns.iter().map(|(c, _)| schema::header(kind, *c)).collect();
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(first_row, c as u16, *h, &st.header)?;
    }
    let header_cells: Vec<Cell> = headers.iter().map(|h| T(h)).collect();
    fit_row_height(ws, first_row, &header_cells, widths)?;
    let mut r = first_row;
    for row in rows {
        r += 1;
        debug_assert_eq!(row.len(), headers.len(), "row {r} has the wrong width");
        for (c, cell) in row.iter().enumerate() {
            let fmt = if matches!(cell, N(_)) { &st.number } else { &st.text };
            write_cell(ws, r, c as u16, *cell, fmt, &st.date)?;
        }
        fit_row_height(ws, r, row, widths)?;
    }
    Ok(r)
}

/// Give a row of wrapped text the height it needs. Not every spreadsheet
/// program fits rows itself on opening (LibreOffice keeps the default
/// height), so estimate the lines each cell wraps to from its column width.
fn fit_row_height(ws: &mut Worksheet, row: u32, cells: &[Cell], widths: &[f64]) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .zip(widths)
        .map(|(cell, width)| match cell {
            T(s) => {
                let per_line = (width * 1.1).max(1.0) as usize;
                s.split('\n').map(|p| p.chars().count().div_ceil(per_line).max(1)).sum()
            }
            _ => 1,
        })
        .max()
        .unwrap_or(1);
    if lines > 1 {
        ws.set_row_height(row, 15.0 * lines as f64 + 2.0)?;
    }
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: Cell,
    fmt: &Format,
    date_fmt: &Format,
) -> Result<(), XlsxError> {
    match cell {
        T(s) => ws.write_string_with_format(row, col, s, fmt)?,
        N(n) => ws.write_number_with_format(row, col, n, fmt)?,
        D(y, m, d) => {
            let date = ExcelDateTime::from_ymd(y, m, d)?;
            ws.write_datetime_with_format(row, col, &date, date_fmt)?
        }
        E => ws.write_blank(row, col, fmt)?,
    };
    Ok(())
}

fn add_notes(
    ws: &mut Worksheet,
    header_row: u32,
    columns: &[(Col, f64)],
    notes: &[(Col, &str)],
) -> Result<(), XlsxError> {
    for &(c, text) in notes {
        if let Some(col) = column(columns, c) {
            ws.insert_note(header_row, col, &note(text))?;
        }
    }
    Ok(())
}

fn note(text: &str) -> Note {
    Note::new(text).set_author("vanban").set_width(300).set_height(110)
}

/// A drop-down list that warns (does not refuse) on other values.
fn list_validation(items: &[&str]) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(items)?
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_message("Giá trị không có trong danh sách.")
}

/// Row (0-based, under the header row) of the first field with this label.
fn field_row(fields: &[(K, Cell)], key: K) -> Option<u32> {
    fields.iter().position(|(k, _)| *k == key).map(|i| 1 + i as u32)
}

/// Zero-based column of a known column among the sheet's columns.
fn column(columns: &[(Col, f64)], col: Col) -> Option<u16> {
    columns.iter().position(|(c, _)| *c == col).map(|i| i as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{open_workbook_auto, Data, Range, Reader};

    fn sample() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ke-hoach-mau.xlsx");
        write_sample(&path).unwrap();
        (dir, path)
    }

    fn text(d: &Data) -> String {
        match d {
            Data::String(s) => s.clone(),
            Data::Empty => String::new(),
            other => other.to_string(),
        }
    }

    fn row_texts(range: &Range<Data>, row: usize) -> Vec<String> {
        let width = range.width();
        (0..width).map(|c| range.get((row, c)).map(text).unwrap_or_default()).collect()
    }

    fn header_is(range: &Range<Data>, row: usize, headers: &[&str]) {
        let got = row_texts(range, row);
        assert_eq!(got, headers, "header row {row}");
    }

    /// The header row a sheet should have: the schema's name of every column
    /// of that sheet, in the sample's order, and no column of the schema left out.
    fn schema_headers(kind: SheetKind, columns: &[(Col, f64)]) -> Vec<&'static str> {
        let spec = kind.spec();
        let mut missing: Vec<&str> =
            spec.columns.iter().filter(|c| column(columns, c.col).is_none()).map(|c| c.name).collect();
        missing.sort_unstable();
        assert!(missing.is_empty(), "{}: the sample leaves out {missing:?}", spec.name);
        columns.iter().map(|(c, _)| spec.column(*c).map(|s| s.name).expect("a column of this sheet")).collect()
    }

    #[test]
    fn writes_every_sheet_with_its_headers() {
        let (_dir, path) = sample();
        assert!(std::fs::metadata(&path).unwrap().len() > 0);
        let mut wb = open_workbook_auto(&path).unwrap();
        let names: Vec<&str> = schema::SHEETS.iter().map(|s| s.name).collect();
        assert_eq!(wb.sheet_names(), names, "every sheet of the schema, in its order");

        for (kind, columns) in [
            (SheetKind::Info, FIELD_COLUMNS),
            (SheetKind::Content, NOI_DUNG_COLUMNS),
            (SheetKind::Metrics, CHI_SO_COLUMNS),
            (SheetKind::Units, DON_VI_COLUMNS),
            (SheetKind::Report, FIELD_COLUMNS),
        ] {
            let range = wb.worksheet_range(kind.name()).unwrap();
            assert_eq!(range.start(), Some((0, 0)), "{}", kind.name());
            header_is(&range, 0, &schema_headers(kind, columns));
        }

        // NhiemVu: title, blank row, header row, tasks.
        let range = wb.worksheet_range("NhiemVu").unwrap();
        assert_eq!(text(range.get((0, 0)).unwrap()), NHIEM_VU_TITLE);
        assert!(row_texts(&range, 1).iter().all(String::is_empty));
        header_is(&range, 2, &schema_headers(SheetKind::Tasks, NHIEM_VU_COLUMNS));
        let content = column(NHIEM_VU_COLUMNS, Col::Content).unwrap() as usize;
        let tasks = (3..range.height()).filter(|&r| !row_texts(&range, r)[content].is_empty()).count();
        assert!(tasks >= 18, "{tasks} tasks");
        assert_eq!(tasks, NHIEM_VU.len());
        // STT is left blank: numbered automatically.
        assert!((3..range.height()).all(|r| row_texts(&range, r)[0].is_empty()));
    }

    #[test]
    fn every_row_is_as_wide_as_its_header() {
        for (name, columns, rows) in [
            ("NoiDung", NOI_DUNG_COLUMNS, NOI_DUNG),
            ("NhiemVu", NHIEM_VU_COLUMNS, NHIEM_VU),
            ("ChiSo", CHI_SO_COLUMNS, CHI_SO),
            ("DonVi", DON_VI_COLUMNS, DON_VI),
        ] {
            for (i, row) in rows.iter().enumerate() {
                assert_eq!(row.len(), columns.len(), "{name} row {i}");
            }
        }
    }

    #[test]
    fn thong_tin_has_the_contract_fields() {
        let (_dir, path) = sample();
        let mut wb = open_workbook_auto(&path).unwrap();
        let range = wb.worksheet_range("ThongTin").unwrap();
        let rows: Vec<(String, Data)> = (1..range.height())
            .map(|r| (text(range.get((r, 0)).unwrap()), range.get((r, 1)).unwrap().clone()))
            .collect();
        let value = |label: &str| rows.iter().find(|(l, _)| l == label).map(|(_, v)| v.clone());
        let count = |label: &str| rows.iter().filter(|(l, _)| l == label).count();

        // Every label of the contract but the report-only ones (sheet BaoCao).
        for (key, label, _) in crate::workbook::model::InfoKey::ALL {
            use crate::workbook::model::InfoKey as K;
            if !matches!(key, K::KinhGui | K::TonTaiHanChe | K::PhuongHuong | K::KienNghi) {
                assert!(value(label).is_some(), "missing {label}");
            }
        }
        assert_eq!(count("Căn cứ"), 3);
        assert!((4..=6).contains(&count("Nơi nhận")));
        assert_eq!(value("Cơ quan ban hành"), Some(Data::String("SỞ NÔNG NGHIỆP VÀ\nPHÁT TRIỂN NÔNG THÔN".into())));
        assert_eq!(value("Ký hiệu"), Some(Data::String("KH-SNNPTNT".into())));
        // A real date cell: 05/01/2024 is Excel serial 45296.
        match value("Ngày ban hành") {
            Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 45296.0),
            other => panic!("Ngày ban hành is not a date cell: {other:?}"),
        }
        assert!(rows.iter().any(|(l, v)| l == "Mở đầu" && text(v).contains("{{ nam }}")));
    }

    #[test]
    fn task_units_match_don_vi_or_are_outside_agencies() {
        fn fold(s: &str) -> String {
            s.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '_' | '/')).flat_map(char::to_lowercase).collect()
        }
        const OUTSIDE: &[&str] = &[
            "Các đơn vị thuộc Sở",
            "Sở Nội vụ",
            "Văn phòng UBND tỉnh",
            "Sở Thông tin và Truyền thông",
            "Ban Quản lý dự án đầu tư xây dựng tỉnh",
        ];
        // (unit index, folded Mã / Tên đơn vị / Tên viết tắt)
        let known: Vec<(usize, String)> = DON_VI
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r[..3].iter().map(move |c| (i, c)))
            .filter_map(|(i, c)| match c {
                T(s) => Some((i, fold(s))),
                _ => None,
            })
            .collect();
        let lead = column(NHIEM_VU_COLUMNS, Col::Lead).unwrap() as usize;
        let support = column(NHIEM_VU_COLUMNS, Col::Support).unwrap() as usize;
        let mut used = std::collections::BTreeSet::new();
        for row in NHIEM_VU {
            for col in [lead, support] {
                let T(cell) = row[col] else { continue };
                for name in cell.split([';', ',', '\n']).map(str::trim) {
                    if OUTSIDE.contains(&name) {
                        continue;
                    }
                    let key = fold(name);
                    let unit = known.iter().find(|(_, k)| *k == key).map(|(i, _)| *i);
                    let Some(unit) = unit else { panic!("unknown unit {name:?}") };
                    used.insert(unit);
                }
            }
            assert!(matches!(row[lead], T(_)), "a task without Chủ trì");
        }
        // Every unit of DonVi takes part in some task.
        assert_eq!(used.len(), DON_VI.len(), "{used:?}");
    }

    #[test]
    fn all_text_is_nfc() {
        use unicode_normalization::is_nfc;
        let (_dir, path) = sample();
        let mut wb = open_workbook_auto(&path).unwrap();
        for sheet in SHEETS.map(SheetKind::name) {
            let range = wb.worksheet_range(sheet).unwrap();
            for cell in range.used_cells() {
                if let (r, c, Data::String(s)) = cell {
                    assert!(is_nfc(s), "{sheet} ({r}, {c}) not NFC: {s:?}");
                    assert_eq!(s.trim(), s, "{sheet} ({r}, {c}) has spaces around it");
                }
            }
        }
    }
}
