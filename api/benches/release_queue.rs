//! The deferred-release queue's cost per object — push without the GIL, then drain — next to
//! the mutex-guarded `Vec` that the design names as the anchor, measured side by side.

use std::hint::black_box;
use std::ptr::NonNull;
use std::sync::Mutex;

use anypy::{RawPtr, ReleaseQueue};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

const BATCH: usize = 1024;

fn fake_objects() -> Vec<RawPtr> {
    (1..=BATCH)
        .map(|n| NonNull::new((n * 16) as *mut anypy::RawObject).unwrap())
        .collect()
}

fn push_then_drain(c: &mut Criterion) {
    let mut group = c.benchmark_group("release_queue");
    group.throughput(Throughput::Elements(BATCH as u64));
    let objects = fake_objects();

    let queue = ReleaseQueue::new();
    group.bench_function("anypy per-thread rings: push+drain", |b| {
        b.iter_batched(
            || (),
            |()| {
                for &obj in &objects {
                    // SAFETY: a queue of its own, drained only into `black_box` below.
                    unsafe { queue.push(black_box(obj)) };
                }
                queue.drain(|obj| {
                    black_box(obj);
                });
            },
            BatchSize::SmallInput,
        )
    });

    let pool: Mutex<Vec<RawPtr>> = Mutex::new(Vec::new());
    group.bench_function("mutex-guarded Vec: push+drain", |b| {
        b.iter(|| {
            for &obj in &objects {
                pool.lock().unwrap().push(black_box(obj));
            }
            let batch = std::mem::take(&mut *pool.lock().unwrap());
            batch.into_iter().for_each(|obj| {
                black_box(obj);
            });
        })
    });

    group.bench_function("is_dirty on an empty queue", |b| {
        let empty = ReleaseQueue::new();
        b.iter(|| black_box(empty.is_dirty()))
    });
    group.finish();
}

criterion_group!(benches, push_then_drain);
criterion_main!(benches);
