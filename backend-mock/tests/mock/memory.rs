//! Memory stays bounded: slots are reused over millions of temporaries, and deep
//! structures are freed without recursion.

use anypy::Backend;
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn millions_of_temporaries_reuse_a_few_slots() {
    scoped(|| {
        let slots_before = Mock::slot_count();
        for value in 0..2_000_000 {
            decref(int(value));
        }
        // Freed slots are reused once more than 1024 of them wait (the quarantine).
        assert!(
            Mock::slot_count() <= slots_before + 1100,
            "{} slots",
            Mock::slot_count()
        );
    });
}

#[test]
fn deep_structures_are_freed_without_recursion() {
    scoped(|| {
        let mut nested = list(&[]);
        for _ in 0..200_000 {
            nested = list(&[nested]);
        }
        // SAFETY: see the note in `main.rs`.
        assert!(unsafe { Mock::repr(nested) }.is_none());
        assert_eq!(error().0, "RuntimeError");
        decref(nested);
    });
}
