//! A batch of unit plans from a workbook of 200 units and 300 tasks: building
//! every unit's document, and rendering 20 of them in parallel (one worker
//! per core) with shared fonts and templates.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use vanban::batch::{self, Kind};

const NAME: &str = "{{ don_vi.ma }}";

fn batch(c: &mut Criterion) {
    let wb = common::read(&common::big(300, 200));
    let (fonts, templates) = common::engine();
    let engine = vanban::pipeline::Engine { fonts, templates };
    let out = tempfile::Builder::new().prefix("vanban-bench-out-").tempdir().expect("tempdir");
    let all = batch::select_units(&wb, &[]).expect("units");

    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(all.len() as u64));
    group.bench_function("prepare/200_units", |b| b.iter(|| batch::prepare(&wb, &all, Kind::Plan, NAME, out.path())));

    let some = &all[..20];
    group.throughput(Throughput::Elements(some.len() as u64));
    group.bench_function("render/20_units", |b| {
        b.iter_batched(
            || {
                typst::comemo::evict(0);
                let (ready, failed) = batch::prepare(&wb, some, Kind::Plan, NAME, out.path());
                assert!(failed.is_empty());
                ready
            },
            |ready| {
                let run = batch::Run {
                    engine: &engine,
                    emit: &[],
                    pdf_a: false,
                    formats: vanban::pipeline::Formats::PDF,
                    jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
                };
                let outcomes = batch::render_all(&run, ready, &mut |r| batch::Outcome {
                    code: r.code,
                    result: r.files.map(|_| r.out),
                });
                assert!(outcomes.iter().all(|o| o.result.is_ok()));
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = batch
}
criterion_main!(benches);
