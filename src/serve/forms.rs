//! The quarterly loop on the page (collect.md): the units' progress forms
//! as one ZIP (`vanban forms`), the returned forms dropped on the page and
//! read back (`vanban collect`), the report built with them
//! (`report --progress`) and the consolidated workbook.
//!
//! | route                                  | what                                  |
//! |----------------------------------------|---------------------------------------|
//! | `GET /api/doc/{id}/bieu-mau`           | ZIP of every unit's form (`quy`, `nam`) |
//! | `POST /api/doc/{id}/tien-do?name=F`    | a returned form → collect's state     |
//! | `GET /api/doc/{id}/tien-do`            | collect's state over the forms held   |
//! | `DELETE /api/doc/{id}/tien-do`         | forgets the returned forms            |
//! | `GET /api/doc/{id}/tien-do/tong-hop`   | the consolidated workbook (.xlsx)     |
//!
//! Returned forms are held in memory, per workbook, like uploads.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{blocking, download, error, errors, get_doc, lock, no_doc, read_body, ready, App, Doc, UploadQuery, Want};
use crate::diag::{Diagnostics, Severity};
use crate::document::report::Period;
use crate::forms::{self, Progress};
use crate::pipeline::What;
use crate::workbook::model::Workbook;

/// Returned forms kept for one workbook at most.
const KEEP_FILES: usize = 500;

/// The returned forms of one workbook: name → bytes, and a version that
/// changes with them (previews built with them are cached by it).
#[derive(Default, Clone)]
pub(super) struct Returned {
    pub version: u64,
    pub files: BTreeMap<String, Arc<Vec<u8>>>,
}

impl Returned {
    fn inputs(&self) -> Vec<(String, Vec<u8>)> {
        self.files.iter().map(|(n, b)| (n.clone(), b.as_ref().clone())).collect()
    }
}

pub(super) fn returned_of(app: &App, id: &str) -> Returned {
    lock(&app.returned).get(id).cloned().unwrap_or_default()
}

/// The quarter the forms are for: the report's when a report is chosen,
/// else the one most forms give (`collect` without `--quarter`).
fn quarter_of(wb: &Workbook, want: &Want) -> Result<(Option<u8>, Option<i32>), Vec<String>> {
    match want.what(wb)? {
        What::Report(p) => Ok((Some(p.quarter), Some(p.year))),
        What::Plan => Ok((None, None)),
    }
}

/// `collect` over the forms held: the progress (`None` when nothing usable
/// came out) and every problem.
pub(super) fn collect(
    wb: &Workbook,
    want: &Want,
    returned: &Returned,
) -> Result<(Option<Progress>, Diagnostics), Vec<String>> {
    let (quarter, year) = quarter_of(wb, want)?;
    Ok(forms::collect(wb, quarter, year, &returned.inputs()))
}

/// The progress a report is built with (`report --progress`): refused, as
/// by the CLI, while a returned form has an error.
pub(super) fn progress_for_report(wb: &Workbook, want: &Want, returned: &Returned) -> Result<Progress, Vec<String>> {
    if returned.files.is_empty() {
        return Err(vec!["chưa có biểu mẫu nào của đơn vị gửi về; thả các biểu mẫu vào mục 5".into()]);
    }
    let (progress, diags) = collect(wb, want, returned)?;
    let Some(progress) = progress else {
        return Err(diags.errors().map(forms::located).collect());
    };
    if !progress.failed.is_empty() {
        return Err(vec![format!(
            "{} biểu mẫu gửi về có lỗi (xem mục 5); sửa các lỗi hoặc bỏ tệp đó rồi thả lại",
            progress.failed.len()
        )]);
    }
    Ok(progress)
}

/// What the page shows of the returned forms.
fn state_json(returned: &Returned, progress: Option<&Progress>, diags: &Diagnostics) -> serde_json::Value {
    let mut items: Vec<&crate::diag::Diagnostic> = diags.items.iter().collect();
    items.sort_by_key(|d| std::cmp::Reverse(d.severity));
    let items: Vec<serde_json::Value> = items
        .into_iter()
        .map(|d| {
            let mut place = d.loc.clone();
            let file = place.file.take();
            json!({
                "muc": if d.severity == Severity::Error { "loi" } else { "canh-bao" },
                "tep": file,
                "o": place.to_string(),
                "thong_bao": d.message,
                "cach_sua": d.hint,
            })
        })
        .collect();
    let unit = |u: &forms::UnitReport| json!({ "ma": u.code, "ten": u.name, "tep": u.file, "khong_doi": u.unchanged });
    json!({
        "phien_ban": returned.version,
        "tep": returned.files.keys().collect::<Vec<_>>(),
        "ky": progress.map(|p| p.period.label()),
        "tom_tat": progress.map(Progress::who_reported),
        "da_gui": progress.map(|p| p.sent().map(unit).collect::<Vec<_>>()).unwrap_or_default(),
        "chua_gui": progress.map(|p| p.missing().map(unit).collect::<Vec<_>>()).unwrap_or_default(),
        "tep_loi": progress.map(|p| p.failed.clone()).unwrap_or_default(),
        "so_loi": diags.errors().count(),
        "so_canh_bao": diags.warnings().count(),
        "muc": items,
        "dung_duoc": progress.is_some_and(|p| p.failed.is_empty()) && !returned.files.is_empty(),
    })
}

async fn answer(app: Arc<App>, id: String, doc: Arc<Doc>, want: Want) -> Response {
    let returned = returned_of(&app, &id);
    let r = blocking(&app, move |_| {
        let wb = ready(&doc)?;
        if returned.files.is_empty() {
            return Ok(state_json(&returned, None, &Diagnostics::default()));
        }
        let (progress, diags) = collect(wb, &want, &returned)?;
        Ok(state_json(&returned, progress.as_ref(), &diags))
    })
    .await;
    match r {
        Ok(v) => axum::Json(v).into_response(),
        Err(m) => errors(StatusCode::UNPROCESSABLE_ENTITY, m),
    }
}

/// `GET /api/doc/{id}/tien-do`
pub(super) async fn state(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
    Query(want): Query<Want>,
) -> Response {
    let Some(doc) = get_doc(&app, &id) else { return no_doc() };
    answer(app, id, doc, want).await
}

/// `POST /api/doc/{id}/tien-do?name=F`: one returned form (a file of the
/// same name replaces it).
pub(super) async fn add(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
    Query(q): Query<UploadQuery>,
    Query(want): Query<Want>,
    body: Body,
) -> Response {
    let Some(doc) = get_doc(&app, &id) else { return no_doc() };
    let name = q.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "biểu mẫu.xlsx".into());
    let bytes = match read_body(&app, &name, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    {
        let mut all = lock(&app.returned);
        let r = all.entry(id.clone()).or_default();
        // Memory stays bounded: so many files, twice the upload limit in all.
        let held: usize = r.files.iter().filter(|(n, _)| **n != name).map(|(_, b)| b.len()).sum();
        let count = r.files.len() + usize::from(!r.files.contains_key(&name));
        if count > KEEP_FILES || held + bytes.len() > app.max_upload.saturating_mul(2) {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "đã nhận quá nhiều biểu mẫu (tối đa {KEEP_FILES} tệp); bấm «Bỏ các biểu mẫu đã nhận» rồi thả lại"
                ),
            );
        }
        r.files.insert(name, Arc::new(bytes));
        r.version += 1;
    }
    answer(app, id, doc, want).await
}

/// `DELETE /api/doc/{id}/tien-do`
pub(super) async fn clear(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    if get_doc(&app, &id).is_none() {
        return no_doc();
    }
    let version = {
        let mut all = lock(&app.returned);
        let r = all.entry(id).or_default();
        r.files.clear();
        r.version += 1;
        r.version
    };
    axum::Json(state_json(&Returned { version, files: BTreeMap::new() }, None, &Diagnostics::default())).into_response()
}

/// `GET /api/doc/{id}/tien-do/tong-hop`: the consolidated workbook, the
/// bytes `vanban collect` writes.
pub(super) async fn consolidated(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
    Query(want): Query<Want>,
) -> Response {
    let Some(doc) = get_doc(&app, &id) else { return no_doc() };
    let returned = returned_of(&app, &id);
    let r = blocking(&app, move |_| {
        let wb = ready(&doc)?;
        let progress = progress_for_report(wb, &want, &returned)?;
        let bytes = forms::collect::consolidated_xlsx(wb, &progress)
            .map_err(|e| vec![format!("không tạo được tệp tổng hợp: {e}")])?;
        Ok((bytes, forms::consolidated_file_name(&progress.period)))
    })
    .await;
    match r {
        Ok((bytes, name)) => {
            download(bytes, &name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
        Err(m) => errors(StatusCode::UNPROCESSABLE_ENTITY, m),
    }
}

/// `GET /api/doc/{id}/bieu-mau?quy=N&nam=Y`: every unit's form in one ZIP,
/// the names and bytes `vanban forms --quarter N [--year Y]` writes.
pub(super) async fn forms_zip(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
    Query(want): Query<Want>,
) -> Response {
    let Some(doc) = get_doc(&app, &id) else { return no_doc() };
    let r = blocking(&app, move |_| {
        let wb = ready(&doc)?;
        if wb.units.is_empty() {
            return Err(vec!["trang DonVi trống hoặc không có; biểu mẫu cần danh sách đơn vị (Mã, Tên đơn vị)".into()]);
        }
        let quarter = want.quy.unwrap_or(1);
        if !(1..=4).contains(&quarter) {
            return Err(vec![format!("quý «{quarter}» không hợp lệ; chọn từ 1 đến 4")]);
        }
        let period = Period::quarter_end(wb, quarter, want.year()?);
        let units: Vec<usize> =
            crate::batch::select_units(wb, &[]).map_err(|e| vec![e])?.into_iter().map(|(i, _)| i).collect();
        let (forms, _) = forms::build_forms(wb, &period, forms::default_send_by(&period), &units)
            .map_err(|d| d.errors().map(|e| e.to_string()).collect::<Vec<_>>())?;
        let entries: Vec<(String, Vec<u8>)> = forms.into_iter().map(|f| (f.file_name, f.bytes)).collect();
        let bytes = super::zip_of(entries)?;
        Ok((bytes, format!("bieu-mau-tien-do-quy-{}-{}.zip", period.quarter, period.year)))
    })
    .await;
    match r {
        Ok((bytes, name)) => download(bytes, &name, "application/zip"),
        Err(m) => errors(StatusCode::UNPROCESSABLE_ENTITY, m),
    }
}
