//! The Vietnamese language: accent folding for matching, dates, numbers,
//! Roman numerals, upper case, deadlines, legacy encodings.

pub mod date;
pub mod deadline;
pub mod fold;
pub mod format;
pub mod legacy;
pub mod number;
pub mod parse;
pub mod roman;
pub mod upper;
