//! `vanban init` (being written).

use crate::Failure;

pub fn run(_args: &crate::cli::InitArgs) -> Result<(), Failure> {
    Err(Failure::Message("chưa làm".into()))
}
