//! `vanban plan` (being written).

use crate::Failure;

pub fn run(_args: &crate::cli::PlanArgs) -> Result<(), Failure> {
    Err(Failure::Message("chưa làm".into()))
}
