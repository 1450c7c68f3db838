//! Text of the workbook's cells: inline emphasis (`**đậm**`, `*nghiêng*`)
//! turned into runs, and template expressions (`{{ nam }}`) rendered with
//! minijinja and the Vietnamese filters.
//!
//! - `emphasis`: the inline emphasis parser;
//! - `env`: the minijinja environment, its built-ins bounded or removed;
//! - `filters`: the Vietnamese filters, reading values as cells are read;
//! - `template`: rendering one cell's text, bounded (`bound`) and capped;
//! - `error`: minijinja's errors said in Vietnamese.

mod bound;
mod emphasis;
mod env;
mod error;
mod filters;
mod template;

pub use emphasis::{inline, plain_text};
pub use env::environment;
pub use error::TemplateError;
pub use template::{has_template, render};

/// Rendering with the crate's environment, for the unit tests of each part.
#[cfg(test)]
mod testing {
    use super::{environment, render, TemplateError};
    use crate::vi::date::Date;
    use minijinja::value::Value;

    /// `text` rendered against a small plan's variables.
    pub fn r(text: &str) -> Result<String, TemplateError> {
        rc(
            text,
            serde_json::json!({
                "quy": 3,
                "nam": 2023,
                "ngay_ban_hanh": Date::new(2023, 1, 5),
                "van_ban": { "trich_yeu": "Kế hoạch" },
            }),
        )
    }

    /// `text` rendered against `ctx`.
    pub fn rc(text: &str, ctx: serde_json::Value) -> Result<String, TemplateError> {
        render(&environment(), text, &Value::from_serialize(ctx))
    }
}
