//! Misuse detection: each category (use after free, refcount underflow, without the GIL,
//! invalid pointer, misuse) by its exact word, naming the object and where it was made.

use anypy::{Backend, RawPtr};
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn use_after_free_names_the_object_and_both_sites() {
    scoped(|| {
        let value = int(42);
        decref(value);
        // SAFETY: see the note in `main.rs`.
        let message = panic_message(|| unsafe { Mock::incref(value) });
        assert!(message.starts_with("use after free"), "{message}");
        assert!(message.contains("`incref`"), "{message}");
        assert!(message.contains("#1 (int 42)"), "{message}");
        assert!(
            message.contains("created at backend-mock/tests/mock/misuse.rs:"),
            "{message}"
        );
        assert!(
            message.contains("freed at backend-mock/tests/mock/misuse.rs:"),
            "{message}"
        );
    });
}

#[test]
fn any_access_to_a_freed_object_is_use_after_free() {
    scoped(|| {
        let gone = s("gone");
        decref(gone);
        let container = list(&[]);
        let dict = new_dict();
        // SAFETY: see the note in `main.rs`.
        let accesses: [Box<dyn Fn()>; 5] = unsafe {
            [
                Box::new(|| {
                    Mock::len(gone);
                }),
                Box::new(|| {
                    repr(gone);
                }),
                Box::new(|| {
                    Mock::type_name(gone);
                }),
                Box::new(|| {
                    Mock::list_append(container, gone);
                }),
                Box::new(|| {
                    Mock::dict_set_item(dict, gone, container);
                }),
            ]
        };
        for access in accesses {
            let message = panic_message(access);
            assert!(message.starts_with("use after free"), "{message}");
            assert!(message.contains("str 'gone'"), "{message}");
        }
        // SAFETY: see the note in `main.rs`.
        let len = unsafe { Mock::list_len(container) };
        assert_eq!(len, 0, "nothing was changed");
        decref(container);
        decref(dict);
    });
}

#[test]
fn a_stale_pointer_is_recognised_after_its_slot_is_reused() {
    scoped(|| {
        let first = int(1);
        decref(first);
        // Pointers encode the slot in their low 32 bits: churn until the slot comes back
        // (freed slots are reused oldest first, once they leave the quarantine), at most once
        // round every slot, however many earlier tests freed.
        let slot = |ptr: RawPtr| ptr.as_ptr() as usize & 0xffff_ffff;
        let mut second = None;
        for value in 0..Mock::slot_count() as i64 + 2048 {
            let candidate = int(value);
            if slot(candidate) == slot(first) {
                second = Some(candidate);
                break;
            }
            decref(candidate);
        }
        let second = second.expect("the slot is reused");
        assert_ne!(first, second, "a reused slot gets a new generation");
        // SAFETY: see the note in `main.rs`.
        let message = panic_message(|| unsafe {
            Mock::refcount(first);
        });
        assert!(message.starts_with("use after free"), "{message}");
        assert!(message.contains("reused"), "{message}");
        assert_eq!(refcount(second), 1);
        decref(second);
    });
}

#[test]
fn double_release_is_refcount_underflow() {
    scoped(|| {
        let value = s("twice");
        decref(value);
        let message = panic_message(|| decref(value));
        assert!(message.starts_with("refcount underflow"), "{message}");
        assert!(message.contains("str 'twice'"), "{message}");
        assert!(message.contains("freed at"), "{message}");
    });
}

#[test]
fn releasing_a_borrowed_item_is_caught_when_its_container_is_freed() {
    scoped(|| {
        let container = list(&[int(7)]);
        // SAFETY: see the note in `main.rs`.
        let item = unsafe { Mock::list_get_item(container, 0) };
        decref(item); // a borrowed reference released as if owned: frees the item
        let message = panic_message(|| decref(container));
        assert!(message.starts_with("refcount underflow"), "{message}");
        assert!(message.contains("held by list #2"), "{message}");
        // The list was freed completely before the report: the mock is consistent.
        // SAFETY: see the note in `main.rs`.
        let message = panic_message(|| unsafe {
            Mock::list_len(container);
        });
        assert!(message.starts_with("use after free"), "{message}");
    });
}

#[test]
fn calls_without_the_gil_are_refused() {
    let message = std::thread::spawn(|| {
        // SAFETY: see the note in `main.rs`.
        panic_message(|| unsafe {
            Mock::int_from_i64(1);
        })
    })
    .join()
    .unwrap();
    assert!(message.starts_with("without the GIL"), "{message}");
    assert!(message.contains("`int_from_i64`"), "{message}");

    scoped(|| {
        let value = int(5);
        let address = value.as_ptr() as usize;
        let message = std::thread::spawn(move || {
            let value = RawPtr::new(address as *mut anypy::RawObject).unwrap();
            // SAFETY: see the note in `main.rs`.
            panic_message(|| unsafe { Mock::incref(value) })
        })
        .join()
        .unwrap();
        assert!(message.starts_with("without the GIL"), "{message}");
        assert!(message.contains("object #1 (int 5)"), "{message}");
        decref(value);
    });
}

#[test]
fn pointers_the_mock_never_made_are_invalid() {
    scoped(|| {
        let bogus = RawPtr::new(0x7fff_dead_0000_0010_usize as *mut anypy::RawObject).unwrap();
        // SAFETY: see the note in `main.rs`.
        let message = panic_message(|| unsafe {
            Mock::refcount(bogus);
        });
        assert!(message.starts_with("invalid object pointer"), "{message}");
    });
}

#[test]
fn broken_preconditions_are_misuse() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let pair = Mock::tuple_new(2).unwrap();
            Mock::tuple_init_item(pair, 0, int(1));
            let extra = int(2);
            let message = panic_message(|| Mock::tuple_init_item(pair, 0, extra));
            assert!(message.starts_with("misuse"), "{message}");
            assert!(message.contains("already set"), "{message}");
            let message = panic_message(|| {
                Mock::tuple_get_item(pair, 1);
            });
            assert!(
                message.contains("misuse") && message.contains("before being set"),
                "{message}"
            );
            Mock::tuple_init_item(pair, 1, extra);
            let message = panic_message(|| {
                Mock::tuple_get_item(pair, 2);
            });
            assert!(
                message.starts_with("misuse") && message.contains("out of range"),
                "{message}"
            );
            let numbers = list(&[]);
            let message = panic_message(|| {
                Mock::tuple_get_item(numbers, 0);
            });
            assert!(
                message.starts_with("misuse") && message.contains("expected a tuple"),
                "{message}"
            );
            let message = panic_message(|| {
                Mock::dict_len(numbers);
            });
            assert!(
                message.starts_with("misuse") && message.contains("expected a dict"),
                "{message}"
            );
            decref(numbers);
            decref(pair);
        }
    });
}

#[test]
fn an_item_stolen_twice_is_a_refcount_underflow_when_its_container_is_freed() {
    scoped(|| {
        let item = int(3);
        // SAFETY: see the note in `main.rs`.
        let pair = unsafe {
            let pair = Mock::tuple_new(2).unwrap();
            Mock::tuple_init_item(pair, 0, item);
            Mock::tuple_init_item(pair, 1, item); // steals a reference the caller does not own
            pair
        };
        let message = panic_message(|| decref(pair));
        assert!(message.starts_with("refcount underflow"), "{message}");
        assert!(message.contains("held by tuple #2"), "{message}");
    });
}
