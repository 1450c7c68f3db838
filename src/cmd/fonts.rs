//! `vanban fonts`: the fonts found and the face each role uses.

use crate::cli::FontArgs;
use crate::render::fonts::{select_style, STYLES};
use crate::render::{FontOptions, Fonts};
use crate::Failure;

pub fn run(args: &FontArgs) -> Result<(), Failure> {
    for p in &args.font_paths {
        crate::render::fonts::check_path(p)?;
    }
    let fonts =
        Fonts::discover(&FontOptions { paths: args.font_paths.clone(), ignore_system: args.ignore_system_fonts });
    let choice = &fonts.choice;
    println!("Phông dùng cho văn bản: {}", choice.family);
    for (name, style, weight) in STYLES {
        if let Some(idx) = select_style(fonts.book(), &choice.family, style, weight) {
            println!("  {name:<12} {}", fonts.origin(idx));
        }
    }
    if choice.times_compatible {
        println!("  (Times New Roman hoặc phông cùng cỡ chữ: đúng Nghị định 30)");
    }
    for r in &choice.rejected {
        println!("  bỏ qua {r}");
    }
    if let Some(w) = fonts.warning() {
        println!("\nCảnh báo: {w}");
    }
    println!("\nCác họ phông tìm thấy:");
    for (family, ids) in fonts.families() {
        println!("  {family} ({} kiểu)", ids.len());
        if args.variants {
            for id in ids {
                if let Some(info) = fonts.book().info(id) {
                    println!("    {:?} {} — {}", info.variant.style, info.variant.weight.to_number(), fonts.origin(id));
                }
            }
        }
    }
    Ok(())
}
