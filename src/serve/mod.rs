//! `vanban serve`: a local web page over the same pipeline as the CLI.
//!
//! One page (HTML/CSS/JS embedded here, offline) and a small JSON API:
//!
//! | route                        | what                                         |
//! |------------------------------|----------------------------------------------|
//! | `GET /`                      | the page                                     |
//! | `GET /api/info`              | upload limit, whether a file is watched      |
//! | `POST /api/upload?name=F`    | a workbook's bytes → its state (check list)  |
//! | `GET /api/doc/{id}`          | a workbook's state (`tep`: the watched file) |
//! | `GET /api/doc/{id}/preview`  | render the chosen document: page count       |
//! | `GET /api/doc/{id}/page/{n}` | one page as SVG                              |
//! | `GET /api/doc/{id}/pdf`      | the PDF, as the CLI writes it                |
//! | `GET /api/doc/{id}/docx`     | the Word copy, as `--format docx` writes it  |
//! | `GET /api/doc/{id}/zip`      | one PDF per unit, the CLI's file names        |
//! | `GET /api/events`            | server-sent events: the watched file changed |
//!
//! and the quarterly loop's routes (progress forms out and back), in
//! [`forms`].
//!
//! The document is chosen by the query: `loai=ke-hoach|bao-cao`, `quy`,
//! `nam`, `ngay` (as-of date, dd/mm/yyyy), `don_vi` (a unit's code),
//! `tien_do=1` (a report with the returned progress forms).
//! Every render runs on a blocking thread behind a semaphore of one permit
//! per core, inside `catch_unwind`: a panic is that request's error.

mod forms;
mod watch;

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::pipeline::{self, Built, Engine, EngineOptions, Format, RenderOptions, Source, What};
use crate::workbook::model::Workbook;

const PAGE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("page.js");
const STYLE: &str = include_str!("page.css");

/// The id of the workbook given on the command line.
pub const WATCHED: &str = "tep";
/// Uploaded workbooks kept in memory; the oldest goes first.
const KEEP_UPLOADS: usize = 16;
/// Previews kept rendered.
const KEEP_PREVIEWS: usize = 8;

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// A workbook to load and watch.
    pub workbook: Option<PathBuf>,
    pub host: IpAddr,
    pub port: u16,
    /// Require a random access token (when serving beyond loopback).
    pub token: bool,
    /// Largest upload accepted, in bytes.
    pub max_upload: usize,
    pub engine: EngineOptions,
    pub fix_encoding: bool,
    /// Renders at once (default: the number of cores).
    pub jobs: Option<usize>,
}

/// A server bound to its address, not yet serving.
pub struct Bound {
    listener: std::net::TcpListener,
    app: Arc<App>,
    url: String,
}

/// A workbook loaded into the server.
struct Doc {
    name: String,
    version: u64,
    wb: Option<Arc<Workbook>>,
    diags: Diagnostics,
}

struct App {
    engine: Engine,
    token: Option<String>,
    /// `Host` header values accepted (DNS rebinding).
    hosts: Vec<String>,
    max_upload: usize,
    fix_encoding: bool,
    jobs: usize,
    pool: tokio::sync::Semaphore,
    docs: Mutex<Docs>,
    previews: Mutex<VecDeque<Preview>>,
    /// The watched workbook's version, for server-sent events.
    changes: tokio::sync::watch::Sender<u64>,
    seq: std::sync::atomic::AtomicU64,
    /// The units' returned progress forms, per workbook id.
    returned: Mutex<HashMap<String, forms::Returned>>,
    /// Tests only: a render for this unit code panics (see [`PANIC_ENV`]).
    panic_unit: Option<String>,
}

/// A test hook: when the server's own environment names a unit code in
/// this variable, rendering that unit's document panics, so that tests see
/// a panic inside one render stay that request's error. No workbook or
/// request can set a process's environment.
pub const PANIC_ENV: &str = "VANBAN_TEST_PANIC_UNIT";

/// A rendered preview: its key, the pages as SVG, the renderer's warnings.
type Preview = (String, Arc<Vec<String>>, Vec<String>);

#[derive(Default)]
struct Docs {
    map: HashMap<String, Arc<Doc>>,
    uploads: VecDeque<String>,
}

/// Binds the address and loads the engine (fonts, templates).
pub fn bind(opts: &Options) -> Result<Bound, String> {
    let engine = Engine::new(&opts.engine)?;
    let listener = std::net::TcpListener::bind(SocketAddr::new(opts.host, opts.port))
        .map_err(|e| format!("không mở được cổng {} trên {}: {e}", opts.port, opts.host))?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let token = opts.token.then(random_token);
    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let port = addr.port();
    let mut hosts = vec![format!("{host}:{port}")];
    if addr.ip().is_loopback() {
        hosts.extend([format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")]);
    }
    let url = match &token {
        Some(t) => format!("http://{host}:{port}/?t={t}"),
        None => format!("http://{host}:{port}/"),
    };
    let jobs = opts.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let (changes, _) = tokio::sync::watch::channel(0u64);
    let app = Arc::new(App {
        engine,
        token,
        hosts,
        max_upload: opts.max_upload,
        fix_encoding: opts.fix_encoding,
        jobs,
        pool: tokio::sync::Semaphore::new(jobs),
        docs: Mutex::new(Docs::default()),
        previews: Mutex::new(VecDeque::new()),
        changes,
        seq: std::sync::atomic::AtomicU64::new(1),
        returned: Mutex::new(HashMap::new()),
        panic_unit: std::env::var(PANIC_ENV).ok().filter(|s| !s.is_empty()),
    });
    if let Some(path) = &opts.workbook {
        let doc = load_doc(&app, Source::Path(path), path.display().to_string(), 1);
        lock(&app.docs).map.insert(WATCHED.into(), Arc::new(doc));
        watch::start(Arc::clone(&app), path.clone());
    }
    Ok(Bound { listener, app, url })
}

impl Bound {
    /// The address to open, with the token when there is one.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves until Ctrl+C.
    pub fn run(self) -> Result<(), String> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| format!("không khởi động được máy chủ: {e}"))?;
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener).map_err(|e| e.to_string())?;
            let router = router(self.app);
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
                .map_err(|e| format!("máy chủ dừng vì lỗi: {e}"))
        })
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/app.js", get(|| async { asset(SCRIPT, "text/javascript; charset=utf-8") }))
        .route("/app.css", get(|| async { asset(STYLE, "text/css; charset=utf-8") }))
        .route("/api/info", get(info))
        .route("/api/upload", post(upload))
        .route("/api/events", get(events))
        .route("/api/doc/{id}", get(state))
        .route("/api/doc/{id}/preview", get(preview))
        .route("/api/doc/{id}/page/{n}", get(page_svg))
        .route("/api/doc/{id}/pdf", get(pdf))
        .route("/api/doc/{id}/docx", get(docx))
        .route("/api/doc/{id}/zip", get(zip))
        .route("/api/doc/{id}/bieu-mau", get(forms::forms_zip))
        .route("/api/doc/{id}/tien-do", get(forms::state).post(forms::add).delete(forms::clear))
        .route("/api/doc/{id}/tien-do/tong-hop", get(forms::consolidated))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "không có trang này") })
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&app), guard))
        .with_state(app)
}

/// The `Host` check (DNS rebinding) and the access token, before anything.
async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !app.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return error(StatusCode::FORBIDDEN, "địa chỉ truy cập không đúng; mở đúng địa chỉ vanban serve đã in ra");
    }
    if let Some(token) = &app.token {
        let given = req
            .headers()
            .get("x-vanban-token")
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
            .or_else(|| query_param(req.uri().query().unwrap_or(""), "t"))
            .or_else(|| cookie(&req, COOKIE));
        if given.as_deref() != Some(token.as_str()) {
            return error(
                StatusCode::UNAUTHORIZED,
                "cần mã truy cập; mở đúng địa chỉ (có «?t=…») mà vanban serve đã in ra",
            );
        }
    }
    let mut res = next.run(req).await;
    if let Some(token) = &app.token {
        // The page's own requests (script, style, pictures, events) carry
        // the token as a cookie for this address only.
        let c = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    res
}

const COOKIE: &str = "vanban_t";

fn cookie(req: &Request, name: &str) -> Option<String> {
    let all = req.headers().get_all(header::COOKIE);
    all.iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

fn query_param(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == key).then(|| v.to_string())
    })
}

async fn page() -> Response {
    let mut res = asset(PAGE, "text/html; charset=utf-8");
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        ),
    );
    res
}

fn asset(text: &'static str, mime: &'static str) -> Response {
    ([(header::CONTENT_TYPE, mime)], text).into_response()
}

/// A JSON error the page shows as it is.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "loi": message.into() }))).into_response()
}

fn errors(status: StatusCode, messages: Vec<String>) -> Response {
    let first = messages.first().cloned().unwrap_or_default();
    (status, axum::Json(json!({ "loi": first, "chi_tiet": messages }))).into_response()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reads and checks a workbook (the CLI's `check`).
fn load_doc(app: &App, source: Source<'_>, name: String, version: u64) -> Doc {
    let r = pipeline::guarded::<_, Vec<Diagnostic>>(|| Ok(pipeline::check(source, app.fix_encoding)));
    match r {
        Ok((wb, diags)) => Doc { name, version, wb: wb.map(Arc::new), diags },
        Err(panicked) => {
            let mut diags = Diagnostics::default();
            for d in panicked {
                diags.push(Diagnostic { loc: crate::diag::Loc::file(name.clone()), ..d });
            }
            Doc { name, version, wb: None, diags }
        }
    }
}

/// Runs blocking work on the bounded pool.
async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    f: impl FnOnce(&App) -> Result<T, Vec<String>> + Send + 'static,
) -> Result<T, Vec<String>> {
    let _permit = app.pool.acquire().await.map_err(|e| vec![e.to_string()])?;
    let app2 = Arc::clone(app);
    match tokio::task::spawn_blocking(move || pipeline::guarded(|| f(&app2))).await {
        Ok(r) => r,
        Err(e) => Err(vec![format!("lỗi nội bộ: {e}")]),
    }
}

/// The page's view of a workbook: the check list grouped by sheet, and
/// what can be chosen (units, years).
fn state_json(id: &str, doc: &Doc) -> serde_json::Value {
    let mut items: Vec<&crate::diag::Diagnostic> = doc.diags.items.iter().collect();
    // Errors first, then warnings; the reader's order within each.
    items.sort_by_key(|d| std::cmp::Reverse(d.severity));
    let mut groups: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for d in items {
        let sheet = d.loc.sheet.clone().unwrap_or_default();
        let item = json!({
            "muc": if d.severity == Severity::Error { "loi" } else { "canh-bao" },
            "o": d.loc.to_string(),
            "thong_bao": d.message,
            "cach_sua": d.hint,
        });
        match groups.iter_mut().find(|(s, _)| *s == sheet) {
            Some((_, v)) => v.push(item),
            None => groups.push((sheet, vec![item])),
        }
    }
    let groups: Vec<serde_json::Value> =
        groups.into_iter().map(|(sheet, items)| json!({ "trang": sheet, "muc": items })).collect();
    let (units, year, has_report) = match &doc.wb {
        Some(wb) => (
            wb.units.iter().map(|u| json!({ "ma": u.code.text, "ten": u.name.text })).collect::<Vec<_>>(),
            crate::document::year_and_date(&wb.info).map(|(y, _)| y),
            wb.report.is_some(),
        ),
        None => (Vec::new(), None, false),
    };
    json!({
        "id": id,
        "ten": doc.name,
        "phien_ban": doc.version,
        "so_loi": doc.diags.errors().count(),
        "so_canh_bao": doc.diags.warnings().count(),
        "nhom": groups,
        "don_vi": units,
        "nam": year,
        "co_bao_cao": has_report,
        "doc_duoc": doc.wb.is_some(),
    })
}

fn get_doc(app: &App, id: &str) -> Option<Arc<Doc>> {
    lock(&app.docs).map.get(id).cloned()
}

async fn info(State(app): State<Arc<App>>) -> Response {
    let watched = lock(&app.docs).map.contains_key(WATCHED);
    axum::Json(json!({ "max_upload": app.max_upload, "theo_doi": watched, "phien_ban": env!("CARGO_PKG_VERSION") }))
        .into_response()
}

async fn state(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    match get_doc(&app, &id) {
        Some(doc) => axum::Json(state_json(&id, &doc)).into_response(),
        None => no_doc(),
    }
}

fn no_doc() -> Response {
    error(StatusCode::NOT_FOUND, "không còn tệp này trên máy chủ (máy chủ đã khởi động lại?); hãy chọn lại tệp Excel")
}

#[derive(Debug, Deserialize, Default)]
struct UploadQuery {
    pub name: Option<String>,
}

async fn upload(State(app): State<Arc<App>>, Query(q): Query<UploadQuery>, body: Body) -> Response {
    let name = q.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "tệp tải lên.xlsx".into());
    let bytes = match read_body(&app, &name, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let id = format!("t{}", app.seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let id2 = id.clone();
    let loaded =
        blocking(&app, move |app| Ok(load_doc(app, Source::Bytes { bytes: &bytes, name: &name }, name.clone(), 1)))
            .await;
    let doc = match loaded {
        Ok(d) => Arc::new(d),
        Err(m) => return errors(StatusCode::INTERNAL_SERVER_ERROR, m),
    };
    {
        let mut docs = lock(&app.docs);
        docs.map.insert(id2.clone(), Arc::clone(&doc));
        docs.uploads.push_back(id2.clone());
        while docs.uploads.len() > KEEP_UPLOADS {
            if let Some(old) = docs.uploads.pop_front() {
                docs.map.remove(&old);
                lock(&app.returned).remove(&old);
            }
        }
    }
    axum::Json(state_json(&id, &doc)).into_response()
}

/// An uploaded file's bytes, up to the limit; past it, the rest is read and
/// dropped (so the browser gets the answer, not a cut connection), up to a
/// bound. An empty file is refused.
async fn read_body(app: &App, name: &str, body: Body) -> Result<Vec<u8>, Response> {
    let mb = app.max_upload as f64 / 1_048_576.0;
    let mut bytes: Vec<u8> = Vec::new();
    let mut over = false;
    let mut seen: usize = 0;
    let drain_cap = app.max_upload.saturating_mul(4).max(64 << 20);
    let mut stream = body.into_data_stream();
    use futures_util::StreamExt;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return Err(error(StatusCode::BAD_REQUEST, "tải tệp lên bị gián đoạn; hãy chọn lại tệp"));
        };
        seen = seen.saturating_add(chunk.len());
        if seen > app.max_upload {
            over = true;
            bytes = Vec::new();
            if seen > drain_cap {
                break;
            }
            continue;
        }
        bytes.extend_from_slice(&chunk);
    }
    if over {
        return Err(error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("tệp «{name}» lớn quá giới hạn {mb:.0} MB; bỏ bớt ảnh hoặc trang thừa rồi chọn lại (hoặc chạy vanban serve --max-upload lớn hơn)"),
        ));
    }
    if bytes.is_empty() {
        return Err(error(StatusCode::BAD_REQUEST, format!("tệp «{name}» rỗng")));
    }
    Ok(bytes)
}

/// Which document the page asks for.
#[derive(Debug, Deserialize, Default, Clone)]
struct Want {
    loai: Option<String>,
    quy: Option<u8>,
    nam: Option<String>,
    ngay: Option<String>,
    don_vi: Option<String>,
    /// `1`: the report with the units' returned progress forms.
    tien_do: Option<u8>,
}

impl Want {
    fn key(&self, id: &str, version: u64) -> String {
        format!(
            "{id}|{version}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.loai, self.quy, self.nam, self.ngay, self.don_vi, self.tien_do
        )
    }
    fn with_progress(&self) -> bool {
        self.tien_do == Some(1)
    }
    /// The year asked for, if any.
    fn year(&self) -> Result<Option<i32>, Vec<String>> {
        match self.nam.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(y) => y.parse::<i32>().map(Some).map_err(|_| vec![format!("năm «{y}» không hợp lệ")]),
            None => Ok(None),
        }
    }
    fn what(&self, wb: &Workbook) -> Result<What, Vec<String>> {
        match self.loai.as_deref().unwrap_or("ke-hoach") {
            "ke-hoach" => Ok(What::Plan),
            "bao-cao" => {
                let p = pipeline::period(wb, self.quy.unwrap_or(1), self.year()?, self.ngay.as_deref())
                    .map_err(|e| vec![e.replace("--as-of", "ngày tính")])?;
                Ok(What::Report(p))
            }
            other => Err(vec![format!("loại văn bản «{other}» không có")]),
        }
    }
}

/// The workbook of a document that can be built: read, and without errors.
fn ready(doc: &Doc) -> Result<&Workbook, Vec<String>> {
    let Some(wb) = doc.wb.as_deref() else {
        return Err(vec!["tệp chưa đọc được; xem danh sách lỗi".into()]);
    };
    if doc.diags.has_errors() {
        return Err(vec![format!(
            "tệp còn {} lỗi; sửa các lỗi trong danh sách rồi lưu lại",
            doc.diags.errors().count()
        )]);
    }
    Ok(wb)
}

/// Builds the document the page asks for (with the returned progress
/// forms when it asks for them); its problems as messages.
fn build(app: &App, doc: &Doc, want: &Want, returned: &forms::Returned) -> Result<(Built, String), Vec<String>> {
    let wb = ready(doc)?;
    let what = want.what(wb)?;
    let unit = want.don_vi.as_deref().filter(|s| !s.is_empty());
    if unit.is_some() && unit == app.panic_unit.as_deref() {
        panic!("{PANIC_ENV}: a render that panics, for tests");
    }
    let fail = |d: Diagnostics| -> Vec<String> {
        let m: Vec<String> = d.errors().map(|e| e.to_string()).collect();
        if m.is_empty() {
            vec!["không lập được văn bản".into()]
        } else {
            m
        }
    };
    // The whole workbook's document, named as the CLI names it.
    let whole = |r: (Option<Built>, Diagnostics)| match r {
        (Some(b), _) => {
            let name = pipeline::default_file_name(&b, Format::Pdf);
            Ok((b, name))
        }
        (None, d) => Err(fail(d)),
    };
    if want.with_progress() {
        let (What::Report(period), None) = (what, unit) else {
            return Err(vec!["tiến độ từ biểu mẫu chỉ dùng cho báo cáo quý chung của cả cơ quan".into()]);
        };
        let progress = forms::progress_for_report(wb, want, returned)?;
        return whole(pipeline::build_report_with_progress(wb, period, &progress));
    }
    match unit {
        None => whole(pipeline::build(wb, what)),
        Some(code) => {
            let units = crate::batch::select_units(wb, &[code.to_string()]).map_err(|e| vec![e])?;
            let (_, unit) = units[0];
            match pipeline::build_unit(wb, unit, what) {
                (Some(b), _) => {
                    let env = crate::text::environment();
                    let name = crate::batch::file_name(
                        &env,
                        crate::batch::DEFAULT_NAME,
                        &b.meta.vars,
                        std::path::Path::new(""),
                    )
                    .map_err(|e| vec![e])?;
                    Ok((b, name.display().to_string()))
                }
                (None, d) => Err(fail(d)),
            }
        }
    }
}

/// Renders (or finds rendered) the pages of a document.
async fn pages(app: &Arc<App>, id: &str, want: Want) -> Result<(Arc<Vec<String>>, Vec<String>, u64), Response> {
    let Some(doc) = get_doc(app, id) else { return Err(no_doc()) };
    let returned = if want.with_progress() { forms::returned_of(app, id) } else { forms::Returned::default() };
    let key = format!("{}|{}", want.key(id, doc.version), returned.version);
    if let Some((_, p, w)) = lock(&app.previews).iter().find(|(k, _, _)| *k == key) {
        return Ok((Arc::clone(p), w.clone(), doc.version));
    }
    let version = doc.version;
    let r = blocking(app, move |app| {
        let (built, _) = build(app, &doc, &want, &returned)?;
        let (pages, warnings) = pipeline::pages_svg(&app.engine, &built).map_err(|e| e.lines())?;
        Ok((pages, warnings.iter().map(ToString::to_string).collect::<Vec<_>>()))
    })
    .await;
    match r {
        Ok((p, w)) => {
            let p = Arc::new(p);
            let mut cache = lock(&app.previews);
            cache.push_back((key, Arc::clone(&p), w.clone()));
            while cache.len() > KEEP_PREVIEWS {
                cache.pop_front();
            }
            Ok((p, w, version))
        }
        Err(m) => Err(errors(StatusCode::UNPROCESSABLE_ENTITY, m)),
    }
}

async fn preview(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>, Query(want): Query<Want>) -> Response {
    match pages(&app, &id, want).await {
        Ok((p, w, version)) => {
            axum::Json(json!({ "so_trang": p.len(), "canh_bao": w, "phien_ban": version })).into_response()
        }
        Err(r) => r,
    }
}

async fn page_svg(
    State(app): State<Arc<App>>,
    UrlPath((id, n)): UrlPath<(String, usize)>,
    Query(want): Query<Want>,
) -> Response {
    match pages(&app, &id, want).await {
        Ok((p, _, _)) => match n.checked_sub(1).and_then(|i| p.get(i)) {
            Some(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg.clone()).into_response(),
            None => error(StatusCode::NOT_FOUND, format!("không có trang {n}")),
        },
        Err(r) => r,
    }
}

fn download(bytes: Vec<u8>, name: &str, mime: &'static str) -> Response {
    let ascii: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"");
    let mut res = ([(header::CONTENT_TYPE, mime)], bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

async fn pdf(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>, Query(want): Query<Want>) -> Response {
    document(app, id, want, Format::Pdf).await
}

async fn docx(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>, Query(want): Query<Want>) -> Response {
    document(app, id, want, Format::Docx).await
}

/// The chosen document in one format, as the CLI writes it (same bytes).
async fn document(app: Arc<App>, id: String, want: Want, format: Format) -> Response {
    let Some(doc) = get_doc(&app, &id) else { return no_doc() };
    let returned = if want.with_progress() { forms::returned_of(&app, &id) } else { forms::Returned::default() };
    let r = blocking(&app, move |app| {
        let (built, name) = build(app, &doc, &want, &returned)?;
        let out = pipeline::render(&app.engine, &built, format, RenderOptions::default()).map_err(|e| e.lines())?;
        let name = pipeline::Formats::path(std::path::Path::new(&name), format).display().to_string();
        Ok((out.bytes, name))
    })
    .await;
    match r {
        Ok((bytes, name)) => download(bytes, &name, format.mime()),
        Err(m) => errors(StatusCode::UNPROCESSABLE_ENTITY, m),
    }
}

async fn zip(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>, Query(want): Query<Want>) -> Response {
    let Some(doc) = get_doc(&app, &id) else { return no_doc() };
    let r = blocking(&app, move |app| batch_zip(app, &doc, &want)).await;
    match r {
        Ok((bytes, name)) => download(bytes, &name, "application/zip"),
        Err(m) => errors(StatusCode::UNPROCESSABLE_ENTITY, m),
    }
}

/// The batch of every unit as one ZIP, the CLI's file names inside; any
/// unit's failure fails the whole download (never a partial one). The
/// warnings the CLI prints for the units (their documents' and the
/// renderer's, `[MÃ] cảnh báo: …`) go into the ZIP as [`WARNINGS_FILE`],
/// present only when there is one.
fn batch_zip(app: &App, doc: &Doc, want: &Want) -> Result<(Vec<u8>, String), Vec<String>> {
    let wb = ready(doc)?;
    if wb.units.is_empty() {
        return Err(vec!["trang DonVi trống hoặc không có; cần danh sách đơn vị (Mã, Tên đơn vị)".into()]);
    }
    let what = want.what(wb)?;
    let units = crate::batch::select_units(wb, &[]).map_err(|e| vec![e])?;
    let (ready, failed) = crate::batch::prepare(wb, &units, what, crate::batch::DEFAULT_NAME, std::path::Path::new(""));
    let mut messages: Vec<String> = Vec::new();
    for f in &failed {
        if let Err(m) = &f.result {
            messages.extend(m.iter().map(|d| crate::batch::unit_line(&f.code, d)));
        }
    }
    messages.extend(crate::batch::collisions(wb, &ready));
    if !messages.is_empty() {
        return Err(messages);
    }
    // Each unit's warnings in the units' order, whatever order the
    // renders finish in: the same workbook, the same ZIP.
    let mut warnings: Vec<(String, Vec<String>)> = ready
        .iter()
        .map(|p| (p.code.clone(), p.warnings.warnings().map(|d| crate::batch::unit_line(&p.code, d)).collect()))
        .collect();
    let run = crate::batch::Run {
        engine: &app.engine,
        emit: &[],
        pdf_a: false,
        formats: crate::pipeline::Formats::PDF,
        jobs: app.jobs,
    };
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let outcomes = crate::batch::render_all(&run, ready, &mut |r| {
        if let Some((_, w)) = warnings.iter_mut().find(|(c, _)| *c == r.code) {
            w.extend(r.warnings.iter().map(|d| crate::batch::unit_line(&r.code, d)));
        }
        let result = match r.files {
            Ok(files) => {
                for (path, bytes) in files {
                    entries.push((path.display().to_string(), bytes));
                }
                Ok(r.out)
            }
            Err(e) => Err(e),
        };
        crate::batch::Outcome { code: r.code, result }
    });
    typst::comemo::evict(4);
    for o in &outcomes {
        if let Err(m) = &o.result {
            messages.extend(m.iter().map(|d| crate::batch::unit_line(&o.code, d)));
        }
    }
    if !messages.is_empty() {
        return Err(messages);
    }
    let warnings: Vec<String> = warnings.into_iter().flat_map(|(_, w)| w).collect();
    if !warnings.is_empty() {
        entries.push((WARNINGS_FILE.to_string(), (warnings.join("\n") + "\n").into_bytes()));
    }
    let bytes = zip_of(entries)?;
    let year = crate::document::year_and_date(&wb.info).map_or(0, |(y, _)| y);
    let kind = match what {
        What::Plan => "ke-hoach".to_string(),
        What::Report(p) => format!("bao-cao-q{}", p.quarter),
    };
    Ok((bytes, format!("don-vi-{kind}-{year}.zip")))
}

/// The batch ZIP's list of the units' warnings, one a line, in the units'
/// order as rendered (a text file in UTF-8).
pub const WARNINGS_FILE: &str = "canh-bao.txt";

/// Files as one ZIP, in name order, with fixed entry times: the same files,
/// the same ZIP.
fn zip_of(mut entries: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, Vec<String>> {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut zip = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Fixed entry times (1980-01-01): the same workbook, the same ZIP.
    // Stored: PDFs, .docx and .xlsx are compressed already.
    let options = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Stored)
        .last_modified_time(::zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in &entries {
        use std::io::Write;
        zip.start_file(name.as_str(), options).map_err(|e| vec![e.to_string()])?;
        zip.write_all(bytes).map_err(|e| vec![e.to_string()])?;
    }
    Ok(zip.finish().map_err(|e| vec![e.to_string()])?.into_inner())
}

/// Server-sent events: `doi` with the watched workbook's version when it
/// changes on disk.
async fn events(State(app): State<Arc<App>>) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let rx = app.changes.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.changed().await.ok()?;
        let v = *rx.borrow_and_update();
        let ev = Event::default().event("doi").data(json!({ "id": WATCHED, "phien_ban": v }).to_string());
        Some((Ok::<_, std::convert::Infallible>(ev), rx))
    });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

/// 128 random bits as hex, from the OS-seeded hasher keys of `std`.
fn random_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}
