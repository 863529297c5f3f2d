//! The paired measurement: per case, many pairs of short batches, one of each side, back to
//! back, alternating which side goes first; the table reports the medians.
//!
//! On a shared machine a burst of load lasts from milliseconds to seconds. Two sequential
//! criterion runs (raw for a second, then anypy for a second) catch such bursts unevenly, so
//! single runs of identical code differ by up to 2×. Here both sides of a pair run within a
//! fraction of a millisecond of each other, so a burst longer than that slows both alike and
//! their ratio keeps; bursts shorter than a pair spoil a few pairs, which the median of the
//! per-pair ratios ignores. Alternating the order cancels what running first or second does
//! (caches, branch predictors, the interpreter's heap). Per case:
//!
//! 1. calibration: each side's iterations per batch so that a batch takes about
//!    `ANYPY_BENCH_BATCH_US` µs (default 100);
//! 2. warm-up pairs for 0.3 s, after which the batch sizes are computed again;
//! 3. pairs for `ANYPY_BENCH_SECONDS` s in all (default: the interpreter's `PAIRED_SECONDS`),
//!    spread over `ANYPY_BENCH_ROUNDS` rounds (default 4) that go over every case in turn,
//!    each case's share warmed up again for 0.1 s: the machine's state changes over minutes
//!    too (the load on the other hyperthread changes the *ratio* of two code paths, not only
//!    their times), and rounds let every case sample the whole run rather than one window;
//! 4. `py.collect_garbage()` runs every 0.25 s between pairs and between cases, outside the
//!    timing (PyPy frees the C sides of temporaries only then; with no release, its heap would
//!    grow all along and slow down everything measured after).
//!
//! `ANYPY_BENCH_SELF_CHECK=1` runs raw on both sides, to check the method: every ratio then
//! comes out at 1.000 (measured: 1.000 for all eight cases on CPython, IQRs within ±2 %).
//!
//! Reported per case: the median time per operation of each side over all batches, the median
//! of the per-pair ratios anypy/raw (what the target judges; for case 6 the target is anypy's
//! absolute median), and the interquartile range of the ratios.

use std::time::{Duration, Instant};

use anypy::Python;

use crate::cases::{self, Case, Goal};
use crate::{settle, Backend, Interpreter};

/// Warm-up of each case before the first round (after calibration).
const WARM_UP: Duration = Duration::from_millis(300);
/// Warm-up of each case at the start of each round (the other cases ran in between).
const ROUND_WARM_UP: Duration = Duration::from_millis(100);
/// Measured time between two runs of `collect_garbage`.
const SETTLE_EVERY: Duration = Duration::from_millis(250);

/// One pair: each side's time per operation, in ns.
#[derive(Clone, Copy)]
struct Pair {
    raw: f64,
    anypy: f64,
}

/// One row of the table.
struct Row {
    label: &'static str,
    goal: Goal,
    raw: f64,
    anypy: f64,
    ratio: f64,
    ratio_quartiles: (f64, f64),
    pairs: usize,
}

impl Row {
    fn passed(&self) -> bool {
        match self.goal {
            Goal::Ratio(limit) => self.ratio <= limit,
            Goal::AnypyNs(limit) => self.anypy <= limit,
        }
    }
}

/// Measures every case (or those whose id starts with an argument: `3`, `8-native`) and prints
/// the table; whether every case met its target.
pub(crate) fn run<I: Interpreter>(py: Python<'_, Backend<I>>) -> bool {
    let seconds = env_f64("ANYPY_BENCH_SECONDS").unwrap_or(I::PAIRED_SECONDS);
    let batch = Duration::from_secs_f64(env_f64("ANYPY_BENCH_BATCH_US").unwrap_or(100.0) / 1e6);
    // `cargo bench` passes `--bench`; other arguments filter the cases.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let rounds = env_f64("ANYPY_BENCH_ROUNDS").map_or(4, |rounds| rounds.max(1.0) as usize);
    let per_round = Duration::from_secs_f64(seconds / rounds as f64);
    let mut measured: Vec<Measured<'_, I>> = cases::all::<I>()
        .into_iter()
        .filter(|spec| {
            filters.is_empty()
                || filters
                    .iter()
                    .any(|filter| spec.id.starts_with(filter.as_str()))
        })
        .map(|spec| {
            let mut case = (spec.make)(py);
            let iters = calibrate_and_warm_up(&mut *case, batch, &mut || settle(py));
            settle(py);
            Measured {
                spec,
                case,
                iters,
                pairs: Vec::new(),
            }
        })
        .collect();
    for round in 1..=rounds {
        for measuring in &mut measured {
            let case = &mut *measuring.case;
            pairs(case, measuring.iters, ROUND_WARM_UP, &mut || settle(py));
            let new_pairs = pairs(case, measuring.iters, per_round, &mut || settle(py));
            measuring.pairs.extend(new_pairs);
            settle(py);
        }
        eprintln!("{}: round {round} of {rounds} done", I::PREFIX);
    }
    let rows: Vec<Row> = measured
        .into_iter()
        .map(|measuring| {
            let elements = measuring.spec.elements as f64;
            let per_operation: Vec<Pair> = measuring
                .pairs
                .iter()
                .map(|pair| Pair {
                    raw: pair.raw / elements,
                    anypy: pair.anypy / elements,
                })
                .collect();
            summarize(measuring.spec.label, measuring.spec.goal, &per_operation)
        })
        .collect();
    println!();
    println!(
        "{}: anypy vs raw, paired: {seconds} s of alternating ~{} µs batches per case, \
         in {rounds} rounds over all cases{}",
        I::PREFIX,
        batch.as_micros(),
        if self_check() {
            " (SELF-CHECK: raw on both sides)"
        } else {
            ""
        }
    );
    println!(
        "{:<44} {:>8} {:>9} {:>6} {:>11} {:>6}  {:<12} result",
        "case", "raw ns", "anypy ns", "ratio", "ratio IQR", "pairs", "target"
    );
    for row in &rows {
        println!("{}", format_row(row));
    }
    println!();
    println!(
        "ns per operation: median over all batches; ratio: median of the per-pair ratios \
         anypy/raw; IQR: their 25th-75th percentiles"
    );
    rows.iter().all(Row::passed)
}

/// Which side a batch runs.
#[derive(Clone, Copy)]
enum Side {
    Raw,
    Anypy,
}

/// Runs one batch of `iters` iterations of `side`; the time per iteration in ns.
fn batch(case: &mut dyn Case, side: Side, iters: u64) -> f64 {
    let time = match side {
        Side::Raw => case.raw(iters),
        Side::Anypy if self_check() => case.raw(iters),
        Side::Anypy => case.anypy(iters),
    };
    time.as_nanos() as f64 / iters as f64
}

/// Iterations of `side` that take about `target`, from doubling batches.
fn calibrate(case: &mut dyn Case, side: Side, target: Duration) -> u64 {
    let mut iters = 1;
    loop {
        let per_iter = batch(case, side, iters);
        if per_iter * iters as f64 >= target.as_nanos() as f64 / 8.0 || iters >= 1 << 30 {
            return iters_for(per_iter, target);
        }
        iters *= 2;
    }
}

/// Iterations of `per_iter` ns that take about `target` (at least one).
fn iters_for(per_iter: f64, target: Duration) -> u64 {
    (target.as_nanos() as f64 / per_iter.max(0.01))
        .round()
        .max(1.0) as u64
}

/// A case being measured, with its batch sizes and the pairs measured so far (per iteration).
struct Measured<'py, I: Interpreter> {
    spec: cases::Spec<I>,
    case: Box<dyn Case + 'py>,
    iters: (u64, u64),
    pairs: Vec<Pair>,
}

/// Calibrates both sides of a case and warms it up; the batch sizes (raw, anypy) in iterations.
fn calibrate_and_warm_up(
    case: &mut dyn Case,
    target: Duration,
    settle: &mut impl FnMut(),
) -> (u64, u64) {
    let iters = (
        calibrate(case, Side::Raw, target),
        calibrate(case, Side::Anypy, target),
    );
    let warm_up = pairs(case, iters, WARM_UP, settle);
    (
        iters_for(median(warm_up.iter().map(|pair| pair.raw)), target),
        iters_for(median(warm_up.iter().map(|pair| pair.anypy)), target),
    )
}

/// Pairs of batches of `iters` (raw, anypy) iterations for `duration`, the first side
/// alternating; times per iteration.
fn pairs(
    case: &mut dyn Case,
    (raw_iters, anypy_iters): (u64, u64),
    duration: Duration,
    settle: &mut impl FnMut(),
) -> Vec<Pair> {
    let mut pairs = Vec::new();
    let start = Instant::now();
    let mut settled = start;
    while start.elapsed() < duration || pairs.len() < 2 {
        let pair = if pairs.len() % 2 == 0 {
            let raw = batch(case, Side::Raw, raw_iters);
            let anypy = batch(case, Side::Anypy, anypy_iters);
            Pair { raw, anypy }
        } else {
            let anypy = batch(case, Side::Anypy, anypy_iters);
            let raw = batch(case, Side::Raw, raw_iters);
            Pair { raw, anypy }
        };
        pairs.push(pair);
        if settled.elapsed() >= SETTLE_EVERY {
            settle();
            settled = Instant::now();
        }
    }
    pairs
}

/// The row of a case's measured pairs.
fn summarize(label: &'static str, goal: Goal, pairs: &[Pair]) -> Row {
    let mut ratios: Vec<f64> = pairs.iter().map(|pair| pair.anypy / pair.raw).collect();
    ratios.sort_by(f64::total_cmp);
    Row {
        label,
        goal,
        raw: median(pairs.iter().map(|pair| pair.raw)),
        anypy: median(pairs.iter().map(|pair| pair.anypy)),
        ratio: quantile(&ratios, 0.5),
        ratio_quartiles: (quantile(&ratios, 0.25), quantile(&ratios, 0.75)),
        pairs: pairs.len(),
    }
}

/// The median of `values`.
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    quantile(&values, 0.5)
}

/// Quantile `q` of sorted, non-empty `values` (linear interpolation).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

/// A table row as text.
fn format_row(row: &Row) -> String {
    let target = match row.goal {
        Goal::Ratio(limit) => format!("<= {limit:.2}x"),
        Goal::AnypyNs(limit) => format!("<= {limit:.0} ns/obj"),
    };
    let (q1, q3) = row.ratio_quartiles;
    format!(
        "{:<44} {:>8.2} {:>9.2} {:>6.3} {:>11} {:>6}  {:<12} {}",
        row.label,
        row.raw,
        row.anypy,
        row.ratio,
        format!("{q1:.3}-{q3:.3}"),
        row.pairs,
        target,
        if row.passed() { "pass" } else { "FAIL" }
    )
}

/// Whether `ANYPY_BENCH_SELF_CHECK` is set: both sides then run raw, which checks the method
/// itself (every ratio should come out at 1.000: no bias from order, position or calibration).
fn self_check() -> bool {
    static SELF_CHECK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SELF_CHECK.get_or_init(|| std::env::var_os("ANYPY_BENCH_SELF_CHECK").is_some())
}

/// A number from the environment, if set.
fn env_f64(name: &str) -> Option<f64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a number")),
    )
}
