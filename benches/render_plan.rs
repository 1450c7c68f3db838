//! One plan, stage by stage: font discovery, document data, layout, PDF.
//! Typst's caches are emptied before each timed compile, as in a fresh
//! `vanban plan` process.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use vanban::document::plan;
use vanban::render::{self, FontOptions, Fonts, RenderJob};

fn job(wb: &vanban::workbook::model::Workbook) -> RenderJob<'static> {
    let env = vanban::text::environment();
    let (built, diags) = plan::build(wb, &env, None);
    let (doc, meta) = built.unwrap_or_else(|| panic!("plan: {:?}", diags.items));
    RenderJob {
        template: vanban::render::world::ENTRY,
        data: serde_json::to_vec(&doc).expect("json"),
        ident: "bench".into(),
        date: meta.date,
        pdf_a: false,
    }
}

fn render_plan(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_plan");
    group.bench_function("fonts_discover_system", |b| b.iter(|| Fonts::discover(&FontOptions::default())));

    let (fonts, templates) = common::engine();
    let sample = common::read(&common::sample());
    let env = vanban::text::environment();
    group.bench_function("document/sample", |b| b.iter(|| plan::build(&sample, &env, None)));

    let sample_job = job(&sample);
    group.bench_function("layout/sample", |b| {
        b.iter_batched(
            || typst::comemo::evict(0),
            |()| render::layout(&fonts, &templates, &sample_job).expect("layout"),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("pdf/sample", |b| {
        b.iter_batched(
            || typst::comemo::evict(0),
            |()| render::render_pdf(&fonts, &templates, &sample_job).expect("render"),
            BatchSize::PerIteration,
        )
    });
    // The same document again in a warm process: comemo's cache hits.
    group.bench_function("pdf_warm/sample", |b| {
        b.iter(|| render::render_pdf(&fonts, &templates, &sample_job).expect("render"))
    });

    let big = common::read(&common::big(300, 200));
    let big_job = job(&big);
    group.bench_with_input(BenchmarkId::new("pdf/tasks", 300), &big_job, |b, job| {
        b.iter_batched(
            || typst::comemo::evict(0),
            |()| render::render_pdf(&fonts, &templates, job).expect("render"),
            BatchSize::PerIteration,
        )
    });
    group.finish();
    typst::comemo::evict(0);
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = render_plan
}
criterion_main!(benches);
