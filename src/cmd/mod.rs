//! One module per sub-command.

pub mod batch;
pub mod check;
pub mod common;
pub mod dev;
pub mod fonts;
pub mod init;
pub mod plan;
pub mod report;
pub mod serve;
