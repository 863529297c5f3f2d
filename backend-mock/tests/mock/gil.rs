//! The mock GIL: one lock that excludes other threads, released by `save_thread`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anypy::Backend;
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn the_gil_excludes_other_threads() {
    Mock::leak_check(|| {
        // SAFETY: see the note in `main.rs`.
        let gil = unsafe { Mock::gil_ensure() };
        let acquired = Arc::new(AtomicBool::new(false));
        let other = {
            let acquired = Arc::clone(&acquired);
            std::thread::spawn(move || {
                // SAFETY: see the note in `main.rs`.
                let gil = unsafe { Mock::gil_ensure() };
                acquired.store(true, Ordering::SeqCst);
                assert_eq!(gil.0, 0, "a fresh acquisition");
                // SAFETY: see the note in `main.rs`.
                unsafe { Mock::gil_release(gil) };
            })
        };
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            !acquired.load(Ordering::SeqCst),
            "the other thread got in while we held the GIL"
        );
        // Re-entrant on this thread.
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let inner = Mock::gil_ensure();
            assert_eq!(inner.0, 1);
            Mock::gil_release(inner);
            Mock::gil_release(gil);
        }
        other.join().unwrap();
        assert!(acquired.load(Ordering::SeqCst));
    });
}

#[test]
fn save_thread_lets_others_in_and_restore_thread_takes_the_gil_back() {
    Mock::leak_check(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let outer = Mock::gil_ensure();
            let inner = Mock::gil_ensure();
            let saved = Mock::save_thread();
            // Another thread can now take the GIL (this would deadlock otherwise).
            std::thread::spawn(|| {
                let gil = Mock::gil_ensure();
                decref(int(1));
                Mock::gil_release(gil);
            })
            .join()
            .unwrap();
            let message = panic_message(|| {
                Mock::int_from_i64(1);
            });
            assert!(message.starts_with("without the GIL"), "{message}");
            Mock::restore_thread(saved);
            decref(int(2));
            Mock::gil_release(inner);
            Mock::gil_release(outer);
        }
    });
}
