//! `vanban report` (being written).

use crate::Failure;

pub fn run(_args: &crate::cli::ReportArgs) -> Result<(), Failure> {
    Err(Failure::Message("chưa làm".into()))
}
