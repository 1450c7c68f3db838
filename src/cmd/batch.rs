//! `vanban batch` (being written).

use crate::Failure;

pub fn run(_args: &crate::cli::BatchArgs) -> Result<(), Failure> {
    Err(Failure::Message("chưa làm".into()))
}
