//! The Vietnamese language: accent folding for matching, dates, numbers,
//! Roman numerals, upper case, deadlines, legacy encodings.

pub mod date;
pub mod fold;
