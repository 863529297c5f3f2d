//! Tests of the mock through the `Backend` trait: misuse detection (each category by its
//! exact word), memory bounds, the GIL, fault injection, observation and the object model.
//!
//! Every test that makes objects runs inside `Mock::leak_check`, which serializes them and
//! proves they leak nothing.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anypy::{Backend, BuiltinType, CompareOp, ExceptionKind, NewRef, RawFunction, RawPtr};
use anypy_mock::{Mock, MockRefcountObserver};

// ----- helpers ------------------------------------------------------------------------------
//
// SAFETY (for every `unsafe` block in this file): the mock checks each precondition of the
// `Backend` functions itself and panics on misuse, so no call here can cause undefined
// behaviour; tests that break a precondition do so on purpose and expect the panic.

/// Serializes the tests that look at process-wide counts (live objects, leaked objects).
static GLOBAL_COUNTS: Mutex<()> = Mutex::new(());

/// Runs `f` with the GIL held, in a leak-check scope.
fn scoped<R>(f: impl FnOnce() -> R) -> R {
    Mock::leak_check(|| {
        // SAFETY: see the note at the top of the file.
        let gil = unsafe { Mock::gil_ensure() };
        let result = f();
        // SAFETY: see the note at the top of the file.
        unsafe { Mock::gil_release(gil) };
        result
    })
}

/// The message of the panic `f` raises.
fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast::<&str>()
            .map(|text| text.to_string())
            .unwrap_or_default(),
    }
}

#[track_caller]
fn int(value: i64) -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe { Mock::int_from_i64(value).unwrap() }
}

#[track_caller]
fn float(value: f64) -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe { Mock::float_from_f64(value).unwrap() }
}

#[track_caller]
fn s(text: &str) -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe { Mock::str_from_utf8(text).unwrap() }
}

#[track_caller]
fn bytes(contents: &[u8]) -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe { Mock::bytes_from(contents).unwrap() }
}

#[track_caller]
fn decref(obj: RawPtr) {
    // SAFETY: see the note at the top of the file.
    unsafe { Mock::decref(obj) }
}

fn refcount(obj: RawPtr) -> isize {
    // SAFETY: see the note at the top of the file.
    unsafe { Mock::refcount(obj) }
}

/// An empty dict.
#[track_caller]
fn new_dict() -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe { Mock::dict_new().unwrap() }
}

/// A list stealing `items`.
#[track_caller]
fn list(items: &[RawPtr]) -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe {
        let list = Mock::list_new(items.len()).unwrap();
        for (index, item) in items.iter().enumerate() {
            Mock::list_init_item(list, index, *item);
        }
        list
    }
}

/// A tuple stealing `items`.
#[track_caller]
fn tuple(items: &[RawPtr]) -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe {
        let tuple = Mock::tuple_new(items.len()).unwrap();
        for (index, item) in items.iter().enumerate() {
            Mock::tuple_init_item(tuple, index, *item);
        }
        tuple
    }
}

/// The text of a str (borrowed).
fn text(obj: RawPtr) -> String {
    // SAFETY: see the note at the top of the file; the bytes live as long as `obj`.
    unsafe {
        let (ptr, len) = Mock::str_as_utf8(obj).expect("a str");
        String::from_utf8(std::slice::from_raw_parts(ptr, len).to_vec()).unwrap()
    }
}

/// Takes a new reference to a str and returns its text.
fn take_text(obj: NewRef) -> String {
    let obj = obj.expect("a result");
    let result = text(obj);
    decref(obj);
    result
}

fn repr(obj: RawPtr) -> String {
    // SAFETY: see the note at the top of the file.
    take_text(unsafe { Mock::repr(obj) })
}

fn str_of(obj: RawPtr) -> String {
    // SAFETY: see the note at the top of the file.
    take_text(unsafe { Mock::str(obj) })
}

/// The repr of a new reference, which is released.
fn repr_taken(obj: NewRef) -> String {
    let obj = obj.unwrap_or_else(|| panic!("unexpected error: {:?}", fetch()));
    let result = repr(obj);
    decref(obj);
    result
}

/// Takes the current exception as `(class name, str(value))`.
fn fetch() -> Option<(String, String)> {
    // SAFETY: see the note at the top of the file.
    unsafe {
        let (ty, value, traceback) = Mock::err_fetch()?;
        assert!(traceback.is_none());
        let name = Mock::type_name(value);
        let message = str_of(value);
        decref(ty);
        decref(value);
        Some((name, message))
    }
}

/// The exception a failed operation left, which must be set.
fn error() -> (String, String) {
    fetch().expect("an exception is set")
}

fn getattr(obj: RawPtr, name: &str) -> NewRef {
    let name = s(name);
    // SAFETY: see the note at the top of the file.
    let result = unsafe { Mock::getattr(obj, name) };
    decref(name);
    result
}

/// Calls `callable` with positional arguments (borrowed).
fn call(callable: RawPtr, args: &[RawPtr]) -> NewRef {
    // SAFETY: see the note at the top of the file.
    unsafe { Mock::call(callable, args, args.len(), None) }
}

/// Calls `obj.name(*args)`.
fn call_method(obj: RawPtr, name: &str, args: &[RawPtr]) -> NewRef {
    let method = getattr(obj, name).expect("the method exists");
    let result = call(method, args);
    decref(method);
    result
}

/// `getattr(import(module), name)`.
fn builtin(module: &str, name: &str) -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe {
        let module = Mock::import(module).expect("a builtin module");
        let value = getattr(module, name).expect("the attribute exists");
        decref(module);
        value
    }
}

/// Calls `builtins.name(*args)` and returns the repr of the result.
fn call_builtin(name: &str, args: &[RawPtr]) -> Result<String, (String, String)> {
    let function = builtin("builtins", name);
    let result = call(function, args);
    decref(function);
    match result {
        Some(result) => {
            let text = repr(result);
            decref(result);
            Ok(text)
        }
        None => Err(error()),
    }
}

fn exception_type(kind: ExceptionKind) -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe { Mock::exception_type(kind) }
}

/// A native function for `function_new`: a Rust closure (given every argument, keyword values
/// included), whether it takes arguments, and a flag set when it is dropped.
struct Native {
    name: &'static str,
    body: fn(&[RawPtr]) -> NewRef,
    takes_arguments: bool,
    dropped: Arc<AtomicBool>,
}

// SAFETY: the bodies follow the contract (new reference or error set; none unwinds).
unsafe impl RawFunction for Native {
    fn name(&self) -> &str {
        self.name
    }

    fn doc(&self) -> &str {
        "a test function"
    }

    fn takes_arguments(&self) -> bool {
        self.takes_arguments
    }

    unsafe fn call(&self, args: &[RawPtr], _nargs: usize, _kwnames: Option<RawPtr>) -> NewRef {
        (self.body)(args)
    }
}

impl Drop for Native {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

/// A native function object and the flag its drop sets.
#[track_caller]
fn native(name: &'static str, body: fn(&[RawPtr]) -> NewRef) -> (NewRef, Arc<AtomicBool>) {
    native_with(name, body, true)
}

/// [`native`], choosing whether the function takes arguments.
#[track_caller]
fn native_with(
    name: &'static str,
    body: fn(&[RawPtr]) -> NewRef,
    takes_arguments: bool,
) -> (NewRef, Arc<AtomicBool>) {
    let dropped = Arc::new(AtomicBool::new(false));
    let function = Native {
        name,
        body,
        takes_arguments,
        dropped: Arc::clone(&dropped),
    };
    // SAFETY: see the note at the top of the file.
    (unsafe { Mock::function_new(function, None) }, dropped)
}

/// Sums int arguments; raises `ValueError` for none.
fn add(args: &[RawPtr]) -> NewRef {
    // SAFETY: called by the mock with the GIL held and live arguments.
    unsafe {
        if args.is_empty() {
            Mock::err_set_str(
                Mock::exception_type(ExceptionKind::ValueError),
                "add() needs arguments",
            );
            return None;
        }
        let mut total = 0;
        for arg in args {
            let value = Mock::int_as_i64(*arg);
            if value == -1 && Mock::err_occurred() {
                return None;
            }
            total += value;
        }
        Mock::int_from_i64(total)
    }
}

// ----- misuse detection ---------------------------------------------------------------------

#[test]
fn use_after_free_names_the_object_and_both_sites() {
    scoped(|| {
        let value = int(42);
        decref(value);
        // SAFETY: see the note at the top of the file.
        let message = panic_message(|| unsafe { Mock::incref(value) });
        assert!(message.starts_with("use after free"), "{message}");
        assert!(message.contains("`incref`"), "{message}");
        assert!(message.contains("#1 (int 42)"), "{message}");
        assert!(
            message.contains("created at backend-mock/tests/mock.rs:"),
            "{message}"
        );
        assert!(
            message.contains("freed at backend-mock/tests/mock.rs:"),
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
        // SAFETY: see the note at the top of the file.
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
        // SAFETY: see the note at the top of the file.
        assert_eq!(
            unsafe { Mock::list_len(container) },
            0,
            "nothing was changed"
        );
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
        // (freed slots are reused once they leave the quarantine).
        let slot = |ptr: RawPtr| ptr.as_ptr() as usize & 0xffff_ffff;
        let mut second = None;
        for value in 0..10_000 {
            let candidate = int(value);
            if slot(candidate) == slot(first) {
                second = Some(candidate);
                break;
            }
            decref(candidate);
        }
        let second = second.expect("the slot is reused");
        assert_ne!(first, second, "a reused slot gets a new generation");
        // SAFETY: see the note at the top of the file.
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
        // SAFETY: see the note at the top of the file.
        let item = unsafe { Mock::list_get_item(container, 0) };
        decref(item); // a borrowed reference released as if owned: frees the item
        let message = panic_message(|| decref(container));
        assert!(message.starts_with("refcount underflow"), "{message}");
        assert!(message.contains("held by list #2"), "{message}");
        // The list was freed completely before the report: the mock is consistent.
        // SAFETY: see the note at the top of the file.
        let message = panic_message(|| unsafe {
            Mock::list_len(container);
        });
        assert!(message.starts_with("use after free"), "{message}");
    });
}

#[test]
fn calls_without_the_gil_are_refused() {
    let message = std::thread::spawn(|| {
        // SAFETY: see the note at the top of the file.
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
            // SAFETY: see the note at the top of the file.
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
        // SAFETY: see the note at the top of the file.
        let message = panic_message(|| unsafe {
            Mock::refcount(bogus);
        });
        assert!(message.starts_with("invalid object pointer"), "{message}");
    });
}

#[test]
fn broken_preconditions_are_misuse() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
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
fn leak_check_reports_what_is_left_alive() {
    let _counts = GLOBAL_COUNTS.lock().unwrap_or_else(PoisonError::into_inner);
    let leaked = Mutex::new(Vec::new());
    let message = panic_message(|| {
        scoped(|| {
            decref(int(0));
            leaked.lock().unwrap().push(int(42) as RawPtr);
            leaked.lock().unwrap().push(list(&[s("x")]));
        })
    });
    assert!(message.starts_with("leaked:"), "{message}");
    assert!(message.contains("3 object(s) still alive"), "{message}");
    assert!(
        message.contains("1 int:\n      #2 42 (refcount 1, created at backend-mock/tests/mock.rs:"),
        "{message}"
    );
    assert!(message.contains("1 list:\n      #4 ['x']"), "{message}");
    assert!(message.contains("1 str:\n      #3 'x'"), "{message}");
    // Clean up so no other test sees these objects.
    // SAFETY: see the note at the top of the file.
    unsafe {
        let gil = Mock::gil_ensure();
        for obj in leaked.into_inner().unwrap() {
            decref(obj as RawPtr);
        }
        Mock::gil_release(gil);
    }
}

#[test]
fn leak_check_reports_references_parked_in_the_release_queue() {
    let message = panic_message(|| {
        scoped(|| {
            // SAFETY: see the note at the top of the file.
            let none = unsafe { Mock::none() };
            // SAFETY: see the note at the top of the file.
            unsafe { Mock::incref(none) };
            Mock::state().release_queue.push(none);
        })
    });
    assert!(message.starts_with("leaked:"), "{message}");
    assert!(message.contains("release queue"), "{message}");
    scoped(|| Mock::state().release_queue.drain(decref));
}

#[test]
fn leak_check_propagates_a_panic_of_its_closure() {
    let message = panic_message(|| Mock::leak_check(|| panic!("inner failure")));
    assert_eq!(message, "inner failure");
}

#[test]
fn ids_count_from_one_in_each_scope() {
    for _ in 0..2 {
        scoped(|| {
            let (a, b) = (int(1), int(2));
            assert_eq!((Mock::object_id(a), Mock::object_id(b)), (1, 2));
            // SAFETY: see the note at the top of the file.
            assert_eq!(Mock::object_id(unsafe { Mock::none() }), 0);
            decref(a);
            decref(b);
        });
    }
}

#[test]
fn live_objects_and_the_live_report() {
    let _counts = GLOBAL_COUNTS.lock().unwrap_or_else(PoisonError::into_inner);
    scoped(|| {
        let before = Mock::live_objects();
        let objects = [int(1), int(2), list(&[])];
        assert_eq!(Mock::live_objects(), before + 3);
        if before == 0 {
            assert_eq!(Mock::live_report(), "3 live objects: 2 int, 1 list");
        }
        objects.into_iter().for_each(decref);
        assert_eq!(Mock::live_objects(), before);
    });
}

// ----- memory -------------------------------------------------------------------------------

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
        // SAFETY: see the note at the top of the file.
        assert!(unsafe { Mock::repr(nested) }.is_none());
        assert_eq!(error().0, "RuntimeError");
        decref(nested);
    });
}

// ----- the GIL ------------------------------------------------------------------------------

#[test]
fn the_gil_excludes_other_threads() {
    Mock::leak_check(|| {
        // SAFETY: see the note at the top of the file.
        let gil = unsafe { Mock::gil_ensure() };
        let acquired = Arc::new(AtomicBool::new(false));
        let other = {
            let acquired = Arc::clone(&acquired);
            std::thread::spawn(move || {
                // SAFETY: see the note at the top of the file.
                let gil = unsafe { Mock::gil_ensure() };
                acquired.store(true, Ordering::SeqCst);
                assert_eq!(gil.0, 0, "a fresh acquisition");
                // SAFETY: see the note at the top of the file.
                unsafe { Mock::gil_release(gil) };
            })
        };
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            !acquired.load(Ordering::SeqCst),
            "the other thread got in while we held the GIL"
        );
        // Re-entrant on this thread.
        // SAFETY: see the note at the top of the file.
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
        // SAFETY: see the note at the top of the file.
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

// ----- fault injection ----------------------------------------------------------------------

#[test]
fn the_nth_allocation_fails_once_with_the_chosen_exception() {
    scoped(|| {
        let guard = Mock::fail_allocation(2, ExceptionKind::MemoryError);
        let first = int(1);
        // SAFETY: see the note at the top of the file.
        assert!(unsafe { Mock::int_from_i64(2) }.is_none());
        assert_eq!(
            error(),
            (
                "MemoryError".into(),
                "injected failure: allocation #2".into()
            )
        );
        let third = int(3);
        drop(guard);
        decref(first);
        decref(third);

        let (container, item) = (list(&[]), s("x"));
        let _guard = Mock::fail_allocation(1, ExceptionKind::OverflowError);
        // SAFETY: see the note at the top of the file.
        unsafe {
            assert_eq!(
                Mock::list_append(container, item),
                -1,
                "growth counts as an allocation"
            );
            assert_eq!(error().0, "OverflowError");
            assert_eq!(Mock::list_len(container), 0);
            assert_eq!(refcount(item), 1);
            decref(item);
        }
        decref(container);
    });
}

#[test]
fn the_nth_call_fails_once() {
    scoped(|| {
        let len = builtin("builtins", "len");
        let items = list(&[int(1)]);
        let _guard = Mock::fail_call(2, ExceptionKind::ValueError);
        assert_eq!(repr_taken(call(len, &[items])), "1");
        assert!(call(len, &[items]).is_none());
        assert_eq!(
            error(),
            ("ValueError".into(), "injected failure: call #2".into())
        );
        assert_eq!(repr_taken(call(len, &[items])), "1");
        decref(items);
        decref(len);
    });
}

/// Builds `{'a': [1, 'b']}`, cleaning up on every failure.
fn build_nested() -> NewRef {
    // SAFETY: see the note at the top of the file.
    unsafe {
        let dict = Mock::dict_new()?;
        let inner = match Mock::list_new(0) {
            Some(inner) => inner,
            None => {
                decref(dict);
                return None;
            }
        };
        let mut ok = true;
        for make in [|| Mock::int_from_i64(1), || Mock::str_from_utf8("b")] {
            match make() {
                Some(item) => {
                    ok &= Mock::list_append(inner, item) == 0;
                    decref(item);
                }
                None => ok = false,
            }
            if !ok {
                break;
            }
        }
        let key = if ok { Mock::str_from_utf8("a") } else { None };
        let status = key.map(|key| {
            let status = Mock::dict_set_item(dict, key, inner);
            decref(key);
            status
        });
        decref(inner);
        if status == Some(0) {
            Some(dict)
        } else {
            decref(dict);
            None
        }
    }
}

#[test]
fn every_allocation_failure_of_a_builder_is_handled_without_leaks() {
    scoped(|| {
        let start = Mock::allocations();
        decref(build_nested().unwrap());
        let count = Mock::allocations() - start;
        assert_eq!(
            count, 8,
            "dict, list, int, append, str, append, key, set_item"
        );
        for n in 1..=count as usize {
            let _guard = Mock::fail_allocation(n, ExceptionKind::MemoryError);
            assert!(build_nested().is_none(), "allocation #{n} should fail");
            assert_eq!(
                error(),
                (
                    "MemoryError".into(),
                    format!("injected failure: allocation #{n}")
                )
            );
        }
    });
}

#[test]
fn a_failed_function_new_still_drops_the_function() {
    scoped(|| {
        let _guard = Mock::fail_allocation(1, ExceptionKind::MemoryError);
        let (function, dropped) = native("add", add);
        assert!(function.is_none());
        assert!(dropped.load(Ordering::SeqCst));
        assert_eq!(error().0, "MemoryError");
    });
}

// ----- observation --------------------------------------------------------------------------

#[test]
fn an_observer_sees_exactly_one_decref() {
    scoped(|| {
        let value = int(9);
        let id = Mock::object_id(value);
        let mut observer = MockRefcountObserver::new();
        observer
            .expect_on_decref()
            .withf(move |object, type_name, count| {
                *object == id && type_name == "int" && *count == 0
            })
            .times(1)
            .return_const(());
        observer
            .expect_on_free()
            .withf(move |object, type_name| *object == id && type_name == "int")
            .times(1)
            .return_const(());
        let guard = Mock::observe(Box::new(observer));
        decref(value);
        drop(guard);
    });
}

#[test]
fn an_observer_sees_allocations_and_increfs() {
    scoped(|| {
        let mut observer = MockRefcountObserver::new();
        let mut sequence = mockall::Sequence::new();
        observer
            .expect_on_alloc()
            .withf(|id, type_name| *id == 1 && type_name == "str")
            .times(1)
            .in_sequence(&mut sequence)
            .return_const(());
        observer
            .expect_on_incref()
            .withf(|id, _, count| *id == 1 && *count == 2)
            .times(1)
            .in_sequence(&mut sequence)
            .return_const(());
        observer.expect_on_decref().times(2).return_const(());
        observer.expect_on_free().times(1).return_const(());
        let guard = Mock::observe(Box::new(observer));
        let value = s("watched");
        // SAFETY: see the note at the top of the file.
        unsafe {
            Mock::incref(value);
            // Singletons are not reported.
            Mock::incref(Mock::none());
            Mock::decref(Mock::none());
        }
        decref(value);
        decref(value);
        drop(guard);
    });
}

// ----- the object model ---------------------------------------------------------------------

#[test]
fn containers_own_their_items() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let item = s("item");
            let items = list(&[]);
            Mock::list_append(items, item);
            assert_eq!(refcount(item), 2, "append increfs");
            let dict = Mock::dict_new().unwrap();
            Mock::dict_set_item(dict, item, item);
            assert_eq!(refcount(item), 4, "dict_set_item increfs key and value");
            assert_eq!(Mock::dict_get_item(dict, item), Some(item));
            assert_eq!(refcount(item), 4, "dict_get_item borrows");
            assert_eq!(Mock::list_get_item(items, 0), item);
            let replacement = int(5);
            assert_eq!(Mock::list_set_item(items, 0, replacement), 0);
            assert_eq!(refcount(item), 3, "list_set_item released the old item");
            assert_eq!(
                Mock::list_set_item(items, 3, int(6)),
                -1,
                "steals even on failure"
            );
            assert_eq!(
                error(),
                (
                    "IndexError".into(),
                    "list assignment index out of range".into()
                )
            );
            decref(dict);
            assert_eq!(refcount(item), 1, "freeing the dict released key and value");
            decref(items);
            decref(item);
        }
    });
}

#[test]
fn dicts_follow_python_equality_and_order() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let dict = Mock::dict_new().unwrap();
            let set = |key: RawPtr, value: RawPtr| {
                assert_eq!(Mock::dict_set_item(dict, key, value), 0);
                decref(key);
                decref(value);
            };
            set(int(1), s("int"));
            set(float(1.0), s("float"));
            set(s("b"), int(2));
            set(s("a"), int(3));
            let truth = Mock::bool_from(true);
            assert_eq!(repr(Mock::dict_get_item(dict, truth).unwrap()), "'float'");
            assert_eq!(
                repr(dict),
                "{1: 'float', 'b': 2, 'a': 3}",
                "1, 1.0 and True are one key"
            );
            let b = s("b");
            assert_eq!(Mock::dict_del_item(dict, b), 0);
            assert_eq!(Mock::dict_contains(dict, b), 0);
            assert_eq!(Mock::dict_del_item(dict, b), -1);
            assert_eq!(error(), ("KeyError".into(), "'b'".into()));
            set(b, int(4));
            assert_eq!(
                repr(dict),
                "{1: 'float', 'a': 3, 'b': 4}",
                "re-inserted at the end"
            );
            let mut pos = 0;
            let mut keys = Vec::new();
            while let Some((key, _)) = Mock::dict_next(dict, &mut pos) {
                keys.push(repr(key));
            }
            assert_eq!(keys, ["1", "'a'", "'b'"]);
            let unhashable = list(&[]);
            assert_eq!(Mock::dict_set_item(dict, unhashable, unhashable), -1);
            assert_eq!(
                error(),
                ("TypeError".into(), "unhashable type: 'list'".into())
            );
            assert!(Mock::dict_get_item(dict, unhashable).is_none());
            assert_eq!(
                error(),
                ("TypeError".into(), "unhashable type: 'list'".into())
            );
            let missing = s("missing");
            assert!(Mock::dict_get_item(dict, missing).is_none());
            assert!(!Mock::err_occurred(), "a missing key is not an error");
            decref(missing);
            decref(unhashable);
            decref(dict);
        }
    });
}

#[test]
fn big_dicts_stay_consistent_through_deletions() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let dict = Mock::dict_new().unwrap();
            for value in 0..20_000 {
                let (key, item) = (int(value), int(value * 2));
                Mock::dict_set_item(dict, key, item);
                decref(key);
                decref(item);
            }
            for value in (0..20_000).step_by(2) {
                let key = int(value);
                assert_eq!(Mock::dict_del_item(dict, key), 0);
                decref(key);
            }
            assert_eq!(Mock::dict_len(dict), 10_000);
            for value in 0..20_000 {
                let key = float(value as f64);
                let found = Mock::dict_get_item(dict, key);
                assert_eq!(found.is_some(), value % 2 == 1, "key {value}");
                if let Some(found) = found {
                    assert_eq!(Mock::int_as_i64(found), value * 2);
                }
                decref(key);
            }
            let mut pos = 0;
            let first = Mock::dict_next(dict, &mut pos).unwrap().0;
            assert_eq!(repr(first), "1");
            decref(dict);
        }
    });
}

#[test]
fn reprs_look_like_python() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            assert_eq!(repr(Mock::none()), "None");
            assert_eq!(repr(Mock::bool_from(true)), "True");
            for (value, expected) in [
                (1.5, "1.5"),
                (1e100, "1e+100"),
                (1e16, "1e+16"),
                (1e15, "1000000000000000.0"),
                (1e-5, "1e-05"),
                (0.0001, "0.0001"),
                (-0.0, "-0.0"),
                (1.5e-7, "1.5e-07"),
                (123_456_789_012_345_678.0, "1.2345678901234568e+17"),
                (1.0 / 3.0, "0.3333333333333333"),
                (f64::INFINITY, "inf"),
                (f64::NAN, "nan"),
            ] {
                assert_eq!(repr_taken(Mock::float_from_f64(value)), expected);
            }
            assert_eq!(repr_taken(Mock::int_from_i64(-42)), "-42");
            assert_eq!(
                repr_taken(Mock::int_from_u64(u64::MAX)),
                "18446744073709551615"
            );
            assert_eq!(repr_taken(Mock::str_from_utf8("it's")), "\"it's\"");
            assert_eq!(repr_taken(Mock::str_from_utf8("a\"b")), "'a\"b'");
            assert_eq!(
                repr_taken(Mock::str_from_utf8("it's \"x\"\n")),
                "'it\\'s \"x\"\\n'"
            );
            assert_eq!(repr_taken(Mock::bytes_from(b"ab\x00")), "b'ab\\x00'");
            assert_eq!(repr_taken(Some(list(&[int(1), int(2)]))), "[1, 2]");
            assert_eq!(repr_taken(Some(tuple(&[int(1)]))), "(1,)");
            assert_eq!(repr_taken(Some(tuple(&[]))), "()");
            let dict = Mock::dict_new().unwrap();
            let (key, value) = (s("a"), int(1));
            Mock::dict_set_item(dict, key, value);
            decref(key);
            decref(value);
            assert_eq!(repr_taken(Some(dict)), "{'a': 1}");
            assert_eq!(repr_taken(Mock::module_new("m")), "<module 'm'>");
            assert_eq!(repr_taken(Mock::import("sys")), "<module 'sys' (built-in)>");
            assert_eq!(repr_taken(native("f", add).0), "<built-in function f>");
            assert_eq!(
                repr(Mock::exception_type(ExceptionKind::KeyError)),
                "<class 'KeyError'>"
            );
            let number = int(0);
            assert_eq!(repr(Mock::type_of(number)), "<class 'int'>");
            decref(number);
            let message = s("msg");
            let error_obj = call(Mock::exception_type(ExceptionKind::TypeError), &[message]);
            assert_eq!(repr_taken(error_obj), "TypeError('msg')");
            decref(message);
            let receiver = s("abc");
            let upper = getattr(receiver, "upper");
            decref(receiver);
            assert_eq!(repr_taken(upper), "<built-in method upper of str object>");
            let looped = list(&[]);
            Mock::list_append(looped, looped);
            assert_eq!(repr(looped), "[[...]]");
            Mock::incref(Mock::none());
            Mock::list_set_item(looped, 0, Mock::none());
            decref(looped);
        }
    });
}

#[test]
fn str_of_objects_and_exceptions() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let text_obj = s("same");
            let result = Mock::str(text_obj).unwrap();
            assert_eq!(result, text_obj, "str(str) is the object itself");
            assert_eq!(refcount(text_obj), 2);
            decref(result);
            decref(text_obj);
            let make = |kind: ExceptionKind, args: &[RawPtr]| {
                let instance = call(Mock::exception_type(kind), args).unwrap();
                args.iter().copied().for_each(decref);
                let text = str_of(instance);
                decref(instance);
                text
            };
            assert_eq!(make(ExceptionKind::ValueError, &[]), "");
            assert_eq!(make(ExceptionKind::ValueError, &[s("msg")]), "msg");
            assert_eq!(make(ExceptionKind::KeyError, &[s("k")]), "'k'");
            assert_eq!(
                make(ExceptionKind::TypeError, &[s("a"), int(1)]),
                "('a', 1)"
            );
            assert_eq!(str_of(Mock::none()), "None");
            let number = float(2.5);
            assert_eq!(str_of(number), "2.5");
            decref(number);
        }
    });
}

#[test]
fn comparisons_follow_python() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let check = |a: RawPtr, b: RawPtr, op: CompareOp| {
                let result = Mock::compare(a, b, op);
                decref(a);
                decref(b);
                result
            };
            assert_eq!(check(int(1), float(1.0), CompareOp::Eq), 1);
            assert_eq!(check(int(1), float(2.5), CompareOp::Lt), 1);
            Mock::incref(Mock::bool_from(true));
            assert_eq!(check(Mock::bool_from(true), int(1), CompareOp::Eq), 1);
            assert_eq!(check(s("a"), s("b"), CompareOp::Lt), 1);
            assert_eq!(check(bytes(b"b"), bytes(b"a"), CompareOp::Gt), 1);
            assert_eq!(
                check(
                    list(&[int(1), int(2)]),
                    list(&[int(1), int(3)]),
                    CompareOp::Lt
                ),
                1
            );
            assert_eq!(
                check(list(&[int(1)]), list(&[int(1), int(0)]), CompareOp::Lt),
                1
            );
            assert_eq!(
                check(
                    tuple(&[int(1), s("x")]),
                    tuple(&[float(1.0), s("x")]),
                    CompareOp::Eq
                ),
                1
            );
            assert_eq!(check(list(&[]), tuple(&[]), CompareOp::Eq), 0);
            assert_eq!(check(int(1), s("1"), CompareOp::Ne), 1);
            assert_eq!(
                check(
                    Mock::dict_new().unwrap(),
                    Mock::dict_new().unwrap(),
                    CompareOp::Eq
                ),
                1
            );
            let nan = float(f64::NAN);
            assert_eq!(
                Mock::compare(nan, nan, CompareOp::Eq),
                1,
                "identity implies equality"
            );
            assert_eq!(check(nan, float(f64::NAN), CompareOp::Eq), 0);
            assert_eq!(check(int(1), s("a"), CompareOp::Lt), -1);
            assert_eq!(
                error(),
                (
                    "TypeError".into(),
                    "'<' not supported between instances of 'int' and 'str'".into()
                )
            );
            assert_eq!(
                check(
                    Mock::dict_new().unwrap(),
                    Mock::dict_new().unwrap(),
                    CompareOp::Le
                ),
                -1
            );
            assert_eq!(error().0, "TypeError");
            let big = Mock::int_from_u64(u64::MAX).unwrap();
            assert_eq!(check(big, float(1.8446744073709552e19), CompareOp::Lt), 1);
        }
    });
}

#[test]
fn hashes_match_cpython() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let hash = |obj: RawPtr| {
                let value = Mock::hash(obj);
                decref(obj);
                value
            };
            assert_eq!(hash(int(1)), 1);
            assert_eq!(hash(float(1.0)), 1);
            assert_eq!(hash(Mock::bool_from(true)), 1);
            Mock::incref(Mock::bool_from(true));
            assert_eq!(hash(int(-1)), -2);
            assert_eq!(hash(Mock::int_from_u64((1 << 61) - 1).unwrap()), 0);
            assert_eq!(hash(float(0.5)), 1_152_921_504_606_846_976);
            assert_eq!(hash(float(1.5)), 1_152_921_504_606_846_977);
            assert_eq!(hash(float(1e100)), 1_822_893_315_824_342_674);
            assert_eq!(hash(tuple(&[int(1), int(2)])), -3_550_055_125_485_641_917);
            assert_eq!(hash(tuple(&[])), 5_740_354_900_026_072_187);
            assert_eq!(hash(s("abc")), hash(s("abc")), "deterministic");
            assert_ne!(hash(s("abc")), -1);
            assert_eq!(hash(list(&[])), -1);
            assert_eq!(
                error(),
                ("TypeError".into(), "unhashable type: 'list'".into())
            );
            assert_eq!(hash(tuple(&[Mock::dict_new().unwrap()])), -1);
            assert_eq!(
                error(),
                ("TypeError".into(), "unhashable type: 'dict'".into())
            );
        }
    });
}

#[test]
fn iteration_over_builtin_containers() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let drain = |iterable: RawPtr| {
                let iter = Mock::get_iter(iterable).unwrap();
                let mut items = Vec::new();
                while let Some(item) = Mock::iter_next(iter) {
                    items.push(repr(item));
                    decref(item);
                }
                assert!(!Mock::err_occurred());
                decref(iter);
                decref(iterable);
                items
            };
            assert_eq!(drain(list(&[int(1), s("a")])), ["1", "'a'"]);
            assert_eq!(drain(tuple(&[float(0.5)])), ["0.5"]);
            assert_eq!(drain(s("hé!")), ["'h'", "'é'", "'!'"]);
            assert_eq!(drain(bytes(b"\x01\xff")), ["1", "255"]);
            let dict = Mock::dict_new().unwrap();
            for key in ["x", "y"] {
                let key = s(key);
                Mock::dict_set_item(dict, key, Mock::none());
                decref(key);
            }
            assert_eq!(drain(dict), ["'x'", "'y'"]);

            let items = list(&[int(1)]);
            let iter = Mock::get_iter(items).unwrap();
            assert_eq!(refcount(items), 2, "the iterator holds its source");
            let same = Mock::get_iter(iter).unwrap();
            assert_eq!(same, iter, "an iterator is its own iterator");
            decref(same);
            assert_eq!(Mock::type_name(iter), "list_iterator");
            // List iteration is by index: an item appended mid-way is seen.
            let extra = int(2);
            Mock::list_append(items, extra);
            decref(extra);
            decref(Mock::iter_next(iter).unwrap());
            decref(Mock::iter_next(iter).unwrap());
            assert!(Mock::iter_next(iter).is_none());
            assert_eq!(
                refcount(items),
                1,
                "an exhausted iterator releases its source"
            );
            decref(iter);
            decref(items);

            let dict = Mock::dict_new().unwrap();
            let key = s("k");
            Mock::dict_set_item(dict, key, key);
            let iter = Mock::get_iter(dict).unwrap();
            let other = s("other");
            Mock::dict_set_item(dict, other, other);
            decref(other);
            assert!(Mock::iter_next(iter).is_none());
            assert_eq!(
                error(),
                (
                    "RuntimeError".into(),
                    "dictionary changed size during iteration".into()
                )
            );
            decref(iter);
            decref(key);
            decref(dict);

            let number = int(3);
            assert!(Mock::get_iter(number).is_none());
            assert_eq!(
                error(),
                ("TypeError".into(), "'int' object is not iterable".into())
            );
            decref(number);
        }
    });
}

#[test]
fn builtin_functions() {
    scoped(|| {
        let run = |name: &str, args: Vec<RawPtr>| {
            let result = call_builtin(name, &args);
            args.into_iter().for_each(decref);
            result
        };
        assert_eq!(run("len", vec![s("héllo")]), Ok("5".into()));
        assert_eq!(run("len", vec![list(&[int(1)])]), Ok("1".into()));
        assert_eq!(run("repr", vec![s("x")]), Ok("\"'x'\"".into()));
        assert_eq!(run("abs", vec![int(-3)]), Ok("3".into()));
        assert_eq!(run("abs", vec![float(-0.5)]), Ok("0.5".into()));
        assert_eq!(
            run("sum", vec![list(&[int(1), int(2), int(3)])]),
            Ok("6".into())
        );
        assert_eq!(
            run("sum", vec![list(&[int(1), float(0.5)])]),
            Ok("1.5".into())
        );
        assert_eq!(
            run("sorted", vec![list(&[int(3), float(1.5), int(2)])]),
            Ok("[1.5, 2, 3]".into())
        );
        assert_eq!(run("sorted", vec![s("cab")]), Ok("['a', 'b', 'c']".into()));
        assert_eq!(
            run("sorted", vec![list(&[int(1), s("a")])]),
            Err((
                "TypeError".into(),
                "'<' not supported between instances of 'str' and 'int'".into()
            ))
        );
        assert_eq!(
            run("isinstance", vec![new_true(), builtin("builtins", "int")]),
            Ok("True".into())
        );
        assert_eq!(
            run("isinstance", vec![int(1), builtin("builtins", "str")]),
            Ok("False".into())
        );
        assert_eq!(run("hash", vec![float(2.0)]), Ok("2".into()));
        assert_eq!(
            run("min", vec![list(&[int(3), int(1), int(2)])]),
            Ok("1".into())
        );
        assert_eq!(run("max", vec![int(3), int(7), int(2)]), Ok("7".into()));
        assert_eq!(
            run("max", vec![list(&[])]),
            Err(("ValueError".into(), "max() arg is an empty sequence".into()))
        );
        assert_eq!(
            run("len", vec![int(1)]),
            Err((
                "TypeError".into(),
                "object of type 'int' has no len()".into()
            ))
        );
        assert_eq!(
            run("len", vec![]),
            Err((
                "TypeError".into(),
                "len() takes exactly one argument (0 given)".into()
            ))
        );
    });
}

/// A new reference to `True`.
fn new_true() -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe {
        let truth = Mock::bool_from(true);
        Mock::incref(truth);
        truth
    }
}

#[test]
fn classes_are_callable() {
    scoped(|| {
        let construct = |name: &str, args: Vec<RawPtr>| {
            let result = call_builtin(name, &args);
            args.into_iter().for_each(decref);
            result
        };
        assert_eq!(construct("int", vec![s(" 42 ")]), Ok("42".into()));
        assert_eq!(construct("int", vec![float(-3.9)]), Ok("-3".into()));
        assert_eq!(construct("int", vec![s("ff"), int(16)]), Ok("255".into()));
        assert_eq!(
            construct("int", vec![s("x")]),
            Err((
                "ValueError".into(),
                "invalid literal for int() with base 10: 'x'".into()
            ))
        );
        assert_eq!(construct("float", vec![s("1.5")]), Ok("1.5".into()));
        assert_eq!(construct("float", vec![int(2)]), Ok("2.0".into()));
        assert_eq!(construct("str", vec![int(42)]), Ok("'42'".into()));
        assert_eq!(construct("str", vec![]), Ok("''".into()));
        assert_eq!(
            construct("bytes", vec![list(&[int(104), int(105)])]),
            Ok("b'hi'".into())
        );
        assert_eq!(
            construct("bytes", vec![list(&[int(256)])]),
            Err(("ValueError".into(), "bytes must be in range(0, 256)".into()))
        );
        assert_eq!(construct("bool", vec![list(&[])]), Ok("False".into()));
        assert_eq!(construct("bool", vec![s("x")]), Ok("True".into()));
        assert_eq!(construct("list", vec![s("ab")]), Ok("['a', 'b']".into()));
        assert_eq!(construct("tuple", vec![list(&[int(1)])]), Ok("(1,)".into()));
        assert_eq!(
            construct("dict", vec![list(&[tuple(&[int(1), int(2)])])]),
            Ok("{1: 2}".into())
        );
        assert_eq!(construct("type", vec![s("x")]), Ok("<class 'str'>".into()));
        assert_eq!(
            construct("KeyError", vec![s("k")]),
            Ok("KeyError('k')".into())
        );
        assert_eq!(
            call_builtin("repr", &[]),
            Err((
                "TypeError".into(),
                "repr() takes exactly one argument (0 given)".into()
            ))
        );
        let number = int(1);
        assert!(call(number, &[]).is_none());
        assert_eq!(
            error(),
            ("TypeError".into(), "'int' object is not callable".into())
        );
        decref(number);
        // dict(**kwargs)
        let dict_type = builtin("builtins", "dict");
        let (names, one, two) = (tuple(&[s("a"), s("b")]), int(1), int(2));
        // SAFETY: see the note at the top of the file.
        let made = unsafe { Mock::call(dict_type, &[one, two], 0, Some(names)) };
        assert_eq!(repr_taken(made), "{'a': 1, 'b': 2}");
        [dict_type, names, one, two].into_iter().for_each(decref);
    });
}

#[test]
fn methods_of_builtin_objects() {
    scoped(|| {
        let method = |receiver: RawPtr, name: &str, args: Vec<RawPtr>| {
            let result = call_method(receiver, name, &args);
            args.into_iter().for_each(decref);
            match result {
                Some(result) => {
                    let text = repr(result);
                    decref(result);
                    Ok(text)
                }
                None => Err(error()),
            }
        };
        let text_obj = s(" a b  c ");
        assert_eq!(
            method(text_obj, "split", vec![]),
            Ok("['a', 'b', 'c']".into())
        );
        assert_eq!(
            method(text_obj, "split", vec![s(" ")]),
            Ok("['', 'a', 'b', '', 'c', '']".into())
        );
        assert_eq!(method(text_obj, "upper", vec![]), Ok("' A B  C '".into()));
        assert_eq!(
            method(text_obj, "replace", vec![s(" "), s("")]),
            Ok("'abc'".into())
        );
        assert_eq!(
            method(text_obj, "startswith", vec![s(" a")]),
            Ok("True".into())
        );
        assert_eq!(
            method(text_obj, "endswith", vec![tuple(&[s("x"), s("c ")])]),
            Ok("True".into())
        );
        assert_eq!(method(text_obj, "encode", vec![]), Ok("b' a b  c '".into()));
        assert_eq!(
            method(text_obj, "upper", vec![int(1)]),
            Err((
                "TypeError".into(),
                "str.upper() takes no arguments (1 given)".into()
            ))
        );
        decref(text_obj);
        let comma = s(", ");
        assert_eq!(
            method(comma, "join", vec![list(&[s("x"), s("y")])]),
            Ok("'x, y'".into())
        );
        assert_eq!(
            method(comma, "join", vec![list(&[s("x"), int(1)])]),
            Err((
                "TypeError".into(),
                "sequence item 1: expected str instance, int found".into()
            ))
        );
        decref(comma);
        let raw = bytes("é".as_bytes());
        assert_eq!(method(raw, "decode", vec![]), Ok("'é'".into()));
        decref(raw);

        let items = list(&[int(1), int(2), int(1)]);
        assert_eq!(method(items, "append", vec![int(3)]), Ok("None".into()));
        assert_eq!(
            method(items, "insert", vec![int(0), int(0)]),
            Ok("None".into())
        );
        assert_eq!(method(items, "count", vec![int(1)]), Ok("2".into()));
        assert_eq!(method(items, "index", vec![float(2.0)]), Ok("2".into()));
        assert_eq!(
            method(items, "index", vec![int(9)]),
            Err(("ValueError".into(), "9 is not in list".into()))
        );
        assert_eq!(method(items, "pop", vec![]), Ok("3".into()));
        assert_eq!(method(items, "pop", vec![int(0)]), Ok("0".into()));
        assert_eq!(method(items, "reverse", vec![]), Ok("None".into()));
        assert_eq!(repr(items), "[1, 2, 1]");
        decref(items);
        let empty = list(&[]);
        assert_eq!(
            method(empty, "pop", vec![]),
            Err(("IndexError".into(), "pop from empty list".into()))
        );
        decref(empty);

        // SAFETY: see the note at the top of the file.
        let dict = unsafe { Mock::dict_new().unwrap() };
        assert_eq!(
            method(dict, "setdefault", vec![s("a"), int(1)]),
            Ok("1".into())
        );
        assert_eq!(
            method(dict, "setdefault", vec![s("a"), int(2)]),
            Ok("1".into())
        );
        assert_eq!(method(dict, "get", vec![s("a")]), Ok("1".into()));
        assert_eq!(method(dict, "get", vec![s("z")]), Ok("None".into()));
        assert_eq!(method(dict, "get", vec![s("z"), int(0)]), Ok("0".into()));
        assert_eq!(method(dict, "keys", vec![]), Ok("['a']".into()));
        assert_eq!(method(dict, "values", vec![]), Ok("[1]".into()));
        assert_eq!(method(dict, "items", vec![]), Ok("[('a', 1)]".into()));
        assert_eq!(method(dict, "pop", vec![s("a")]), Ok("1".into()));
        assert_eq!(method(dict, "pop", vec![s("a"), int(5)]), Ok("5".into()));
        assert_eq!(
            method(dict, "pop", vec![s("a")]),
            Err(("KeyError".into(), "'a'".into()))
        );
        decref(dict);

        let number = int(255);
        assert_eq!(method(number, "bit_length", vec![]), Ok("8".into()));
        assert!(getattr(number, "foo").is_none());
        assert_eq!(
            error(),
            (
                "AttributeError".into(),
                "'int' object has no attribute 'foo'".into()
            )
        );
        let (name, value) = (s("x"), int(1));
        // SAFETY: see the note at the top of the file.
        assert_eq!(unsafe { Mock::setattr(number, name, value) }, -1);
        assert_eq!(
            error(),
            (
                "AttributeError".into(),
                "'int' object has no attribute 'x'".into()
            )
        );
        [number, name, value].into_iter().for_each(decref);
    });
}

#[test]
fn subscripts() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let items = list(&[s("a"), s("b")]);
            let (last, out, key) = (int(-1), int(5), s("k"));
            assert_eq!(repr_taken(Mock::get_item(items, last)), "'b'");
            assert!(Mock::get_item(items, out).is_none());
            assert_eq!(
                error(),
                ("IndexError".into(), "list index out of range".into())
            );
            assert!(Mock::get_item(items, key).is_none());
            assert_eq!(
                error(),
                (
                    "TypeError".into(),
                    "list indices must be integers or slices, not str".into()
                )
            );
            assert_eq!(Mock::set_item(items, last, key), 0);
            assert_eq!(repr(items), "['a', 'k']");
            let pair = tuple(&[int(1), int(2)]);
            assert!(Mock::get_item(pair, out).is_none());
            assert_eq!(
                error(),
                ("IndexError".into(), "tuple index out of range".into())
            );
            assert_eq!(Mock::set_item(pair, last, key), -1);
            assert_eq!(
                error(),
                (
                    "TypeError".into(),
                    "'tuple' object does not support item assignment".into()
                )
            );
            let word = s("héllo");
            assert_eq!(repr_taken(Mock::get_item(word, last)), "'o'");
            let dict = Mock::dict_new().unwrap();
            assert_eq!(Mock::set_item(dict, key, out), 0);
            assert_eq!(repr_taken(Mock::get_item(dict, key)), "5");
            assert!(Mock::get_item(dict, last).is_none());
            assert_eq!(error(), ("KeyError".into(), "-1".into()));
            [items, last, out, key, pair, word, dict]
                .into_iter()
                .for_each(decref);
        }
    });
}

#[test]
fn scalar_conversions_and_their_errors() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let big = Mock::int_from_u64(u64::MAX).unwrap();
            assert_eq!(Mock::int_as_u64(big), u64::MAX);
            assert_eq!(Mock::int_as_i64(big), -1);
            assert_eq!(
                error(),
                (
                    "OverflowError".into(),
                    "Python int too large to convert to C long".into()
                )
            );
            let negative = int(-1);
            assert_eq!(Mock::int_as_u64(negative), u64::MAX);
            assert_eq!(
                error(),
                (
                    "OverflowError".into(),
                    "can't convert negative int to unsigned".into()
                )
            );
            let number = float(2.5);
            assert_eq!(Mock::int_as_i64(number), -1);
            assert_eq!(
                error(),
                (
                    "TypeError".into(),
                    "'float' object cannot be interpreted as an integer".into()
                )
            );
            assert_eq!(Mock::float_as_f64(number), 2.5);
            assert_eq!(Mock::float_as_f64(negative), -1.0);
            assert!(!Mock::err_occurred());
            let text_obj = s("x");
            assert_eq!(Mock::float_as_f64(text_obj), -1.0);
            assert_eq!(
                error(),
                ("TypeError".into(), "must be real number, not str".into())
            );
            assert!(Mock::bytes_as(text_obj).is_none());
            assert_eq!(error().0, "TypeError");
            assert!(Mock::str_as_utf8(number).is_none());
            assert_eq!(
                error(),
                ("TypeError".into(), "expected str, got float".into())
            );
            assert_eq!(Mock::int_as_i64(Mock::bool_from(true)), 1);
            assert!(Mock::type_check(Mock::bool_from(true), BuiltinType::Int));
            assert!(!Mock::type_check(big, BuiltinType::Bool));
            assert!(Mock::type_check(number, BuiltinType::Float));
            assert_eq!(Mock::type_name(Mock::none()), "NoneType");
            [big, negative, number, text_obj]
                .into_iter()
                .for_each(decref);
        }
    });
}

#[test]
fn simple_namespace_takes_keyword_arguments() {
    scoped(|| {
        let namespace_type = builtin("types", "SimpleNamespace");
        let (names, one, text_obj) = (tuple(&[s("a"), s("b")]), int(1), s("x"));
        // SAFETY: see the note at the top of the file.
        let namespace =
            unsafe { Mock::call(namespace_type, &[one, text_obj], 0, Some(names)) }.unwrap();
        assert_eq!(repr(namespace), "namespace(a=1, b='x')");
        // SAFETY: see the note at the top of the file.
        assert_eq!(unsafe { Mock::type_name(namespace) }, "SimpleNamespace");
        assert_eq!(repr_taken(getattr(namespace, "a")), "1");
        assert!(getattr(namespace, "zz").is_none());
        assert_eq!(
            error(),
            (
                "AttributeError".into(),
                "'SimpleNamespace' object has no attribute 'zz'".into()
            )
        );
        let name = s("c");
        // SAFETY: see the note at the top of the file.
        assert_eq!(unsafe { Mock::setattr(namespace, name, one) }, 0);
        assert_eq!(repr(namespace), "namespace(a=1, b='x', c=1)");
        assert!(call(namespace_type, &[one]).is_none());
        assert_eq!(
            error(),
            (
                "TypeError".into(),
                "no positional arguments expected".into()
            )
        );
        [namespace_type, names, one, text_obj, namespace, name]
            .into_iter()
            .for_each(decref);
    });
}

#[test]
fn modules_register_through_sys_modules() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let module = Mock::module_new("mymod").unwrap();
            assert!(
                Mock::import("mymod").is_none(),
                "module_new registers nothing"
            );
            assert_eq!(
                error(),
                ("ImportError".into(), "No module named 'mymod'".into())
            );
            assert_eq!(repr_taken(getattr(module, "__name__")), "'mymod'");
            let (name, value) = (s("answer"), int(42));
            assert_eq!(Mock::setattr(module, name, value), 0);
            assert!(getattr(module, "missing").is_none());
            assert_eq!(
                error(),
                (
                    "AttributeError".into(),
                    "module 'mymod' has no attribute 'missing'".into()
                )
            );
            let sys = Mock::import("sys").unwrap();
            let modules = getattr(sys, "modules").unwrap();
            let key = s("mymod");
            assert_eq!(Mock::set_item(modules, key, module), 0);
            let imported = Mock::import("mymod").unwrap();
            assert_eq!(imported, module);
            assert_eq!(repr_taken(getattr(imported, "answer")), "42");
            decref(imported);
            assert_eq!(Mock::dict_del_item(modules, key), 0);
            let builtins = Mock::import("builtins").unwrap();
            let len = getattr(builtins, "len").unwrap();
            assert_eq!(repr(len), "<built-in function len>");
            [module, name, value, sys, modules, key, builtins, len]
                .into_iter()
                .for_each(decref);
        }
    });
}

#[test]
fn exceptions_fetch_restore_and_match() {
    scoped(|| {
        // SAFETY: see the note at the top of the file.
        unsafe {
            let type_error = exception_type(ExceptionKind::TypeError);
            assert!(!Mock::err_occurred());
            Mock::err_set_str(type_error, "boom");
            assert!(Mock::err_occurred());
            let (ty, value, traceback) = Mock::err_fetch().unwrap();
            assert!(!Mock::err_occurred());
            assert_eq!(ty, type_error);
            assert!(traceback.is_none());
            assert_eq!(repr(value), "TypeError('boom')");
            assert!(Mock::type_check(value, BuiltinType::BaseException));
            assert_eq!(repr_taken(getattr(value, "args")), "('boom',)");
            assert!(Mock::exception_matches(
                value,
                exception_type(ExceptionKind::Exception)
            ));
            assert!(Mock::exception_matches(
                ty,
                exception_type(ExceptionKind::TypeError)
            ));
            assert!(!Mock::exception_matches(
                ty,
                exception_type(ExceptionKind::LookupError)
            ));
            assert_eq!(
                Mock::is_instance(value, exception_type(ExceptionKind::BaseException)),
                1
            );
            Mock::err_restore(ty, value, None);
            assert!(Mock::err_occurred());
            assert_eq!(error(), ("TypeError".into(), "boom".into()));

            let key = s("k");
            Mock::err_set_object(exception_type(ExceptionKind::KeyError), key);
            decref(key);
            let (ty, value, _) = Mock::err_fetch().unwrap();
            assert_eq!(
                repr(value),
                "KeyError('k')",
                "normalized by calling the class"
            );
            assert!(Mock::exception_matches(
                ty,
                exception_type(ExceptionKind::LookupError)
            ));
            let classes = tuple(&[
                new_ref(exception_type(ExceptionKind::ValueError)),
                new_ref(exception_type(ExceptionKind::LookupError)),
            ]);
            assert!(Mock::exception_matches(value, classes));
            decref(classes);
            decref(ty);
            decref(value);

            let overflow = exception_type(ExceptionKind::OverflowError);
            assert!(Mock::exception_matches(
                overflow,
                exception_type(ExceptionKind::ArithmeticError)
            ));
            let message = s("unnormalized");
            Mock::incref(overflow);
            Mock::err_restore(overflow, message, None);
            assert_eq!(error(), ("OverflowError".into(), "unnormalized".into()));
            let (name, _) = (getattr(overflow, "__name__"), ());
            assert_eq!(repr_taken(name), "'OverflowError'");
            let message = panic_message(|| Mock::err_set_str(Mock::none(), "x"));
            assert!(message.starts_with("misuse"), "{message}");
        }
    });
}

/// A new reference to `obj`.
fn new_ref(obj: RawPtr) -> RawPtr {
    // SAFETY: see the note at the top of the file.
    unsafe { Mock::incref(obj) };
    obj
}

#[test]
fn native_functions_are_called_and_dropped_with_their_object() {
    scoped(|| {
        let (function, dropped) = native("add", add);
        let function = function.unwrap();
        let (one, two) = (int(1), int(2));
        assert_eq!(repr_taken(call(function, &[one, two])), "3");
        assert!(call(function, &[]).is_none());
        assert_eq!(
            error(),
            ("ValueError".into(), "add() needs arguments".into())
        );
        let names = tuple(&[s("x")]);
        // SAFETY: see the note at the top of the file.
        let with_keyword = unsafe { Mock::call(function, &[one, two], 1, Some(names)) };
        assert_eq!(
            repr_taken(with_keyword),
            "3",
            "keyword values reach the function"
        );
        assert_eq!(repr_taken(getattr(function, "__name__")), "'add'");
        assert_eq!(
            repr_taken(getattr(function, "__doc__")),
            "'a test function'"
        );
        assert_eq!(repr_taken(getattr(function, "__module__")), "None");
        assert_eq!(refcount(function), 1, "the call's own reference is gone");
        assert!(!dropped.load(Ordering::SeqCst));
        decref(function);
        assert!(
            dropped.load(Ordering::SeqCst),
            "freeing the object drops the function"
        );
        [one, two, names].into_iter().for_each(decref);
    });
}

#[test]
fn native_functions_without_arguments_are_checked_as_meth_noargs() {
    scoped(|| {
        let (function, _) = native_with("answer", |_| Some(int(42)), false);
        let function = function.unwrap();
        assert_eq!(repr_taken(call(function, &[])), "42");
        let one = int(1);
        assert!(call(function, &[one]).is_none());
        assert_eq!(
            error(),
            (
                "TypeError".into(),
                "answer() takes no arguments (1 given)".into()
            )
        );
        let names = tuple(&[s("x")]);
        // SAFETY: see the note at the top of the file.
        assert!(unsafe { Mock::call(function, &[one], 0, Some(names)) }.is_none());
        assert_eq!(
            error(),
            (
                "TypeError".into(),
                "answer() takes no keyword arguments".into()
            )
        );
        [one, names, function].into_iter().for_each(decref);
    });
}

/// Re-enters the mock: builds a list, calls `len` on it through the mock, returns the result.
fn reentrant(args: &[RawPtr]) -> NewRef {
    // SAFETY: called by the mock with the GIL held and live arguments.
    unsafe {
        let items = Mock::list_new(0)?;
        for arg in args {
            Mock::list_append(items, *arg);
        }
        let len = builtin("builtins", "len");
        let result = call(len, &[items]);
        decref(len);
        decref(items);
        result
    }
}

#[test]
fn native_functions_can_call_back_into_the_mock() {
    scoped(|| {
        let (function, _) = native("reentrant", reentrant);
        let function = function.unwrap();
        let args = [int(1), s("two"), new_true()];
        assert_eq!(repr_taken(call(function, &args)), "3");
        // Nested: the native function calls itself through the mock.
        let (outer, _) = native("outer", |args| {
            let (inner, _) = native("inner", add);
            let inner = inner?;
            let result = call(inner, args);
            decref(inner);
            result
        });
        let outer = outer.unwrap();
        assert_eq!(repr_taken(call(outer, &args[..1])), "1");
        args.into_iter().for_each(decref);
        decref(function);
        decref(outer);
    });
}

#[test]
fn a_native_function_that_breaks_the_error_contract_raises_system_error() {
    scoped(|| {
        let (silent, _) = native("silent", |_| None);
        let silent = silent.unwrap();
        assert!(call(silent, &[]).is_none());
        let (kind, message) = error();
        assert_eq!(kind, "SystemError");
        assert!(
            message.contains("returned NULL without setting an exception"),
            "{message}"
        );
        decref(silent);
    });
}

#[test]
fn an_exception_that_is_its_own_argument_has_a_finite_repr_and_str() {
    scoped(|| {
        let error_obj = call(exception_type(ExceptionKind::ValueError), &[]).unwrap();
        let (name, args) = (s("args"), list(&[]));
        // SAFETY: see the note at the top of the file.
        unsafe {
            Mock::list_append(args, error_obj);
            assert_eq!(Mock::setattr(error_obj, name, args), 0);
            assert_eq!(repr(error_obj), "ValueError(ValueError(...))");
            assert_eq!(str_of(error_obj), "ValueError(ValueError(...))");
            // Break the cycle so the scope ends clean.
            let empty = tuple(&[]);
            assert_eq!(Mock::setattr(error_obj, name, empty), 0);
            assert_eq!(repr(error_obj), "ValueError()");
            decref(empty);
        }
        [error_obj, name, args].into_iter().for_each(decref);
    });
}

#[test]
fn leak_check_scopes_do_not_nest() {
    let message = panic_message(|| Mock::leak_check(|| Mock::leak_check(|| ())));
    assert!(
        message.starts_with("misuse") && message.contains("do not nest"),
        "{message}"
    );
    // The failed scope left nothing behind: the next one works.
    scoped(|| decref(int(1)));
}

#[test]
fn leak_check_can_be_entered_with_the_gil_held() {
    // SAFETY: see the note at the top of the file.
    unsafe {
        let gil = Mock::gil_ensure();
        scoped(|| decref(int(1)));
        decref(int(2));
        Mock::gil_release(gil);
    }
}

#[test]
fn an_item_stolen_twice_is_a_refcount_underflow_when_its_container_is_freed() {
    scoped(|| {
        let item = int(3);
        // SAFETY: see the note at the top of the file.
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

/// An observer that re-enters the mock, which would deadlock if it were called under the lock.
struct Reentrant;

impl anypy_mock::RefcountObserver for Reentrant {
    fn on_alloc(&self, _: u64, _: &str) {
        Mock::live_objects();
    }
    fn on_incref(&self, _: u64, _: &str, _: isize) {
        Mock::live_objects();
    }
    fn on_decref(&self, _: u64, _: &str, _: isize) {
        Mock::live_objects();
    }
    fn on_free(&self, _: u64, _: &str) {
        Mock::live_objects();
    }
}

#[test]
fn observers_are_called_outside_the_heap_lock() {
    scoped(|| {
        let guard = Mock::observe(Box::new(Reentrant));
        decref(list(&[int(1)]));
        drop(guard);
    });
}

#[test]
fn a_panicking_native_function_leaves_no_extra_reference() {
    scoped(|| {
        let (function, _) = native("explode", |_| panic!("exploded"));
        let function = function.unwrap();
        let message = panic_message(|| {
            call(function, &[]);
        });
        assert_eq!(message, "exploded");
        assert_eq!(refcount(function), 1);
        decref(function);
    });
}
