//! Reading a workbook (calamine → model with cell locations), for the sample
//! and for workbooks of 300 and 3,000 tasks: the growth should be linear.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn read_workbook(c: &mut Criterion) {
    let mut group = c.benchmark_group("read_workbook");
    group.bench_function("sample", |b| b.iter(|| common::read(&common::sample())));
    for tasks in [300, 3000] {
        let path = common::big(tasks, 200);
        group.throughput(Throughput::Elements(tasks as u64));
        group.bench_with_input(BenchmarkId::new("tasks", tasks), &path, |b, path| b.iter(|| common::read(path)));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = read_workbook
}
criterion_main!(benches);
