//! One module per sub-command.

pub mod batch;
pub mod check;
pub mod collect;
pub mod common;
pub mod dev;
pub mod fonts;
pub mod forms;
pub mod guard;
pub mod help;
pub mod init;
pub mod interrupt;
pub mod plan;
pub mod report;
pub mod serve;
