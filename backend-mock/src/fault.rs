//! Fault injection: make the n-th allocation or the n-th call fail once with a chosen
//! exception, so a test can walk every error path of its code and show it leaks nothing.

use std::panic::Location;

use anypy::ExceptionKind;

use crate::errors::Exc;
use crate::heap::with_heap;

/// Which counter an injected failure watches.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Target {
    Allocation,
    Call,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Allocation => "allocation",
            Target::Call => "call",
        }
    }
}

/// An armed failure: fires when its counter reaches `at`.
#[derive(Clone, Copy)]
struct Armed {
    at: u64,
    n: usize,
    kind: ExceptionKind,
    token: u64,
}

/// The counters and the armed failures (part of the heap, so under its lock).
pub(crate) struct Faults {
    allocations: u64,
    calls: u64,
    allocation: Option<Armed>,
    call: Option<Armed>,
    tokens: u64,
}

impl Faults {
    /// No failure armed, counters at zero.
    pub(crate) fn new() -> Faults {
        Faults {
            allocations: 0,
            calls: 0,
            allocation: None,
            call: None,
            tokens: 0,
        }
    }

    /// Allocations counted so far.
    pub(crate) fn allocations(&self) -> u64 {
        self.allocations
    }

    /// Counters back to zero, failures disarmed (start of a leak-check scope).
    pub(crate) fn reset(&mut self) {
        self.allocations = 0;
        self.calls = 0;
        self.disarm_all();
    }

    /// Disarms every failure.
    pub(crate) fn disarm_all(&mut self) {
        self.allocation = None;
        self.call = None;
    }

    /// Counts an allocation; `Err` if it is the one picked to fail.
    pub(crate) fn charge_allocation(&mut self) -> Result<(), Exc> {
        self.allocations += 1;
        fire(&mut self.allocation, self.allocations, Target::Allocation)
    }

    /// Counts a call; `Err` if it is the one picked to fail.
    pub(crate) fn charge_call(&mut self) -> Result<(), Exc> {
        self.calls += 1;
        fire(&mut self.call, self.calls, Target::Call)
    }

    fn arm(&mut self, target: Target, n: usize, kind: ExceptionKind) -> u64 {
        self.tokens += 1;
        let (counter, slot) = match target {
            Target::Allocation => (self.allocations, &mut self.allocation),
            Target::Call => (self.calls, &mut self.call),
        };
        *slot = Some(Armed {
            at: counter + n as u64,
            n,
            kind,
            token: self.tokens,
        });
        self.tokens
    }

    fn disarm(&mut self, target: Target, token: u64) {
        let slot = match target {
            Target::Allocation => &mut self.allocation,
            Target::Call => &mut self.call,
        };
        if slot.is_some_and(|armed| armed.token == token) {
            *slot = None;
        }
    }
}

fn fire(armed: &mut Option<Armed>, counter: u64, target: Target) -> Result<(), Exc> {
    match *armed {
        Some(failure) if failure.at == counter => {
            *armed = None;
            Err(Exc::new(
                failure.kind,
                format!("injected failure: {} #{}", target.name(), failure.n),
            ))
        }
        _ => Ok(()),
    }
}

/// Keeps an injected failure armed; dropping it disarms the failure if it has not fired.
#[must_use = "the failure is disarmed when the guard is dropped"]
pub struct FaultGuard {
    target: Target,
    token: u64,
}

impl Drop for FaultGuard {
    fn drop(&mut self) {
        with_heap("FaultGuard::drop", Location::caller(), |heap| {
            heap.faults.disarm(self.target, self.token)
        });
    }
}

/// Arms a failure of the `n`-th (from 1) event of `target` from now on.
#[track_caller]
pub(crate) fn arm(target: Target, n: usize, kind: ExceptionKind) -> FaultGuard {
    assert!(
        n >= 1,
        "misuse: fail_{}(0, ..): failures are counted from 1",
        target.name()
    );
    let token = with_heap("fail", Location::caller(), |heap| {
        heap.faults.arm(target, n, kind)
    });
    FaultGuard { target, token }
}
