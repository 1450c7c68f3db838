//! `vanban check` (being written).

use crate::Failure;

pub fn run(_args: &crate::cli::CheckArgs) -> Result<(), Failure> {
    Err(Failure::Message("chưa làm".into()))
}
