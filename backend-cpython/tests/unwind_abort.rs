//! A `RawFunction` that breaks its contract by unwinding is stopped at the trampoline: the
//! process aborts with a message instead of unwinding through CPython's frames (undefined
//! behaviour). Checked in a child process (this test binary run again), since it must die.

use std::process::Command;

use anypy::{Backend, Bound, NewRef, Python, RawFunction, RawPtr};
use anypy_cpython::CPython;

const CHILD: &str = "ANYPY_UNWIND_ABORT_CHILD";

/// Breaks the contract on purpose: `call` panics.
struct Unwinding;

// SAFETY: deliberately not upheld (`call` unwinds): what the test shows is that the trampoline
// turns that into an abort, never into unwinding through the interpreter.
unsafe impl RawFunction for Unwinding {
    fn name(&self) -> &str {
        "unwinding"
    }

    fn doc(&self) -> &str {
        ""
    }

    fn takes_arguments(&self) -> bool {
        true
    }

    unsafe fn call(&self, _args: &[RawPtr], _nargs: usize, _kwnames: Option<RawPtr>) -> NewRef {
        panic!("a contract-breaking panic")
    }
}

fn call_the_unwinding_function() {
    Python::<CPython>::with_gil(|py| {
        // SAFETY: the GIL is held; the result is a new reference or null with an error set.
        let f = unsafe { Bound::from_owned_ptr_or_err(py, CPython::function_new(Unwinding, None)) }
            .expect("function_new");
        let _ = f.call0();
        unreachable!("the call returned instead of aborting");
    });
}

#[test]
fn an_unwinding_raw_function_aborts_the_process() {
    if std::env::var_os(CHILD).is_some() {
        call_the_unwinding_function();
        return;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "an_unwinding_raw_function_aborts_the_process",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the child survived: {stderr}");
    assert!(
        stderr.contains("a contract-breaking panic"),
        "the panic is reported: {stderr}"
    );
    assert!(
        stderr.contains("anypy: a native function unwound into the interpreter; aborting")
            || stderr.contains("panic in a function that cannot unwind"),
        "the trampoline stopped the unwind: {stderr}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(output.status.signal(), Some(6), "SIGABRT: {stderr}");
    }
}
