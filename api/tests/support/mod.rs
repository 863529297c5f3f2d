//! What the mock's misuse tests share.

use std::panic::{catch_unwind, AssertUnwindSafe};

use anypy_mock::Mock;

/// Runs `body` inside a leak check and returns the panic message it ended with.
pub fn panic_message(body: impl FnOnce()) -> String {
    let payload =
        catch_unwind(AssertUnwindSafe(|| Mock::leak_check(body))).expect_err("expected a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
        })
        .unwrap_or_default()
}
