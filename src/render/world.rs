//! The Typst `World`: the embedded templates, the document data as JSON, and
//! the shared fonts. Nothing else is readable: no path from a workbook ever
//! reaches the file system through Typst.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::Fonts;

/// The built-in templates, embedded in the binary: the layout, and the one
/// entry template that plans and reports both compile.
pub const BUILTIN: &[(&str, &str)] =
    &[("nd30.typ", include_str!("../../templates/nd30.typ")), (ENTRY, include_str!("../../templates/van-ban.typ"))];

/// The built-in entry template, for plans and reports alike.
pub const ENTRY: &str = "van-ban.typ";

/// Virtual path of the document data.
pub const DATA_PATH: &str = "/data.json";

/// A file id for a fixed virtual path (ids are global and never freed, so
/// only fixed paths are ever interned).
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// Templates parsed once and shared by every document of a run.
pub struct Templates {
    sources: Vec<(FileId, Source)>,
    /// Folder of a user template (`--template`), for the files it reads.
    extra_dir: Option<PathBuf>,
    /// The user's template file, for messages.
    user_path: Option<PathBuf>,
}

impl Templates {
    /// The built-in templates, plus a user's template as `/main.typ` when given
    /// (it may `#import "nd30.typ": *`). Reads `dir` instead of the embedded
    /// copies when set (template development).
    pub fn load(user: Option<&std::path::Path>, dir: Option<&std::path::Path>) -> Result<Templates, String> {
        let mut sources = Vec::new();
        for (name, text) in BUILTIN {
            let text = match dir {
                Some(d) => std::fs::read_to_string(d.join(name))
                    .map_err(|e| format!("không đọc được mẫu {}: {e}", d.join(name).display()))?,
                None => (*text).to_string(),
            };
            let id = file_id(&format!("/{name}")).ok_or("đường dẫn mẫu không hợp lệ")?;
            sources.push((id, Source::new(id, text)));
        }
        let mut extra_dir = None;
        let mut user_path = None;
        if let Some(path) = user {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("không đọc được mẫu «{}»: {e}", path.display()))?;
            let id = file_id("/main.typ").ok_or("đường dẫn mẫu không hợp lệ")?;
            sources.push((id, Source::new(id, text)));
            user_path = Some(path.to_path_buf());
            extra_dir =
                path.parent().map(|p| if p.as_os_str().is_empty() { PathBuf::from(".") } else { p.to_path_buf() });
        }
        Ok(Templates { sources, extra_dir, user_path })
    }

    /// The id of a template by file name (`van-ban.typ`, `main.typ`).
    pub fn id(&self, name: &str) -> Option<FileId> {
        file_id(&format!("/{name}")).filter(|id| self.sources.iter().any(|(i, _)| i == id))
    }

    /// Source text of a template, for `--emit typ`.
    pub fn text(&self, name: &str) -> Option<&str> {
        let id = self.id(name)?;
        self.sources.iter().find(|(i, _)| *i == id).map(|(_, s)| s.text())
    }

    /// How a template file is named in messages: the user's own path for
    /// `main.typ`, else the built-in name.
    pub fn display_name(&self, name: &str) -> String {
        match (&self.user_path, name) {
            (Some(p), "main.typ") => p.display().to_string(),
            _ => format!("mẫu có sẵn {name}"),
        }
    }

    pub fn has_user(&self) -> bool {
        self.extra_dir.is_some()
    }
}

/// One document's world: shared templates and fonts, its own data.
pub struct DocWorld<'a> {
    library: Arc<LazyHash<Library>>,
    fonts: &'a Fonts,
    templates: &'a Templates,
    main: FileId,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
}

impl<'a> DocWorld<'a> {
    /// `main` is the template to compile; `data` the JSON bytes; `font` the
    /// family the templates use (passed as `sys.inputs.font`).
    pub fn new(
        fonts: &'a Fonts,
        templates: &'a Templates,
        main: FileId,
        data: Vec<u8>,
        font: &str,
        today: Option<Datetime>,
    ) -> Option<DocWorld<'a>> {
        Some(DocWorld {
            library: library(font),
            fonts,
            templates,
            main,
            data_id: file_id(DATA_PATH)?,
            data: Bytes::new(data),
            today,
        })
    }
}

/// The standard library with `sys.inputs.font`, built once per font family
/// and shared by every document of the process: building it and hashing it
/// (comemo keys every compile on that hash) cost ~0.5 ms per document.
fn library(font: &str) -> Arc<LazyHash<Library>> {
    static BUILT: Mutex<Vec<(String, Arc<LazyHash<Library>>)>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, library)) = built.iter().find(|(f, _)| f == font) {
        return Arc::clone(library);
    }
    let mut inputs = Dict::new();
    inputs.insert("font".into(), font.into_value());
    let library = Arc::new(LazyHash::new(Library::builder().with_inputs(inputs).build()));
    built.push((font.to_string(), Arc::clone(&library)));
    library
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some((_, s)) = self.templates.sources.iter().find(|(i, _)| *i == id) {
            return Ok(s.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if let Some((_, s)) = self.templates.sources.iter().find(|(i, _)| *i == id) {
            return Ok(Bytes::from_string(s.clone()));
        }
        // Only a user's own template may read files beside it (images, …).
        let path = id.vpath().get_without_slash().to_string();
        if let (Some(dir), VirtualRoot::Project) = (&self.templates.extra_dir, id.root()) {
            let full = dir.join(&path);
            // Links are resolved: the template sees only its own folder
            // (`tpl/link -> /` must not make `/etc/passwd` readable).
            let real = std::fs::canonicalize(&full).map_err(|e| FileError::from_io(e, &full))?;
            let root = std::fs::canonicalize(dir).map_err(|e| FileError::from_io(e, dir))?;
            if !real.starts_with(&root) {
                return Err(FileError::Other(Some(
                    format!("«{path}» dẫn ra ngoài thư mục của mẫu; mẫu chỉ đọc được tệp trong thư mục của nó").into(),
                )));
            }
            return std::fs::read(&real).map(Bytes::new).map_err(|e| FileError::from_io(e, &full));
        }
        Err(FileError::NotFound(PathBuf::from(format!("/{path}"))))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Fonts and templates, loaded once per process and shared by all documents.
pub struct Engine {
    pub fonts: Arc<Fonts>,
    pub templates: Arc<Templates>,
}
