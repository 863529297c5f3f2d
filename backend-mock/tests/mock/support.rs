//! Helpers the mock tests share: a leak-checked GIL scope, object makers and readers
//! through the `Backend` trait, and a counting native function.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anypy::{Backend, ExceptionKind, NewRef, RawFunction, RawPtr};
use anypy_mock::Mock;

/// Serializes the tests that look at process-wide counts (live objects, leaked objects).
pub(crate) static GLOBAL_COUNTS: Mutex<()> = Mutex::new(());

/// Runs `f` with the GIL held, in a leak-check scope.
pub(crate) fn scoped<R>(f: impl FnOnce() -> R) -> R {
    Mock::leak_check(|| {
        // SAFETY: see the note in `main.rs`.
        let gil = unsafe { Mock::gil_ensure() };
        let result = f();
        // SAFETY: see the note in `main.rs`.
        unsafe { Mock::gil_release(gil) };
        result
    })
}

/// The message of the panic `f` raises.
pub(crate) fn panic_message(f: impl FnOnce()) -> String {
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
pub(crate) fn int(value: i64) -> RawPtr {
    // SAFETY: see the note in `main.rs`.
    unsafe { Mock::int_from_i64(value).unwrap() }
}

#[track_caller]
pub(crate) fn float(value: f64) -> RawPtr {
    // SAFETY: see the note in `main.rs`.
    unsafe { Mock::float_from_f64(value).unwrap() }
}

#[track_caller]
pub(crate) fn s(text: &str) -> RawPtr {
    // SAFETY: see the note in `main.rs`.
    unsafe { Mock::str_from_utf8(text).unwrap() }
}

#[track_caller]
pub(crate) fn bytes(contents: &[u8]) -> RawPtr {
    // SAFETY: see the note in `main.rs`.
    unsafe { Mock::bytes_from(contents).unwrap() }
}

#[track_caller]
pub(crate) fn decref(obj: RawPtr) {
    // SAFETY: see the note in `main.rs`.
    unsafe { Mock::decref(obj) }
}

pub(crate) fn refcount(obj: RawPtr) -> isize {
    // SAFETY: see the note in `main.rs`.
    unsafe { Mock::refcount(obj) }
}

/// An empty dict.
#[track_caller]
pub(crate) fn new_dict() -> RawPtr {
    // SAFETY: see the note in `main.rs`.
    unsafe { Mock::dict_new().unwrap() }
}

/// A list stealing `items`.
#[track_caller]
pub(crate) fn list(items: &[RawPtr]) -> RawPtr {
    // SAFETY: see the note in `main.rs`.
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
pub(crate) fn tuple(items: &[RawPtr]) -> RawPtr {
    // SAFETY: see the note in `main.rs`.
    unsafe {
        let tuple = Mock::tuple_new(items.len()).unwrap();
        for (index, item) in items.iter().enumerate() {
            Mock::tuple_init_item(tuple, index, *item);
        }
        tuple
    }
}

/// The text of a str (borrowed).
pub(crate) fn text(obj: RawPtr) -> String {
    // SAFETY: see the note at the top of the file; the bytes live as long as `obj`.
    unsafe {
        let (ptr, len) = Mock::str_as_utf8(obj).expect("a str");
        String::from_utf8(std::slice::from_raw_parts(ptr, len).to_vec()).unwrap()
    }
}

/// Takes a new reference to a str and returns its text.
pub(crate) fn take_text(obj: NewRef) -> String {
    let obj = obj.expect("a result");
    let result = text(obj);
    decref(obj);
    result
}

pub(crate) fn repr(obj: RawPtr) -> String {
    // SAFETY: see the note in `main.rs`.
    take_text(unsafe { Mock::repr(obj) })
}

pub(crate) fn str_of(obj: RawPtr) -> String {
    // SAFETY: see the note in `main.rs`.
    take_text(unsafe { Mock::str(obj) })
}

/// The repr of a new reference, which is released.
pub(crate) fn repr_taken(obj: NewRef) -> String {
    let obj = obj.unwrap_or_else(|| panic!("unexpected error: {:?}", fetch()));
    let result = repr(obj);
    decref(obj);
    result
}

/// Takes the current exception as `(class name, str(value))`.
pub(crate) fn fetch() -> Option<(String, String)> {
    // SAFETY: see the note in `main.rs`.
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
pub(crate) fn error() -> (String, String) {
    fetch().expect("an exception is set")
}

pub(crate) fn getattr(obj: RawPtr, name: &str) -> NewRef {
    let name = s(name);
    // SAFETY: see the note in `main.rs`.
    let result = unsafe { Mock::getattr(obj, name) };
    decref(name);
    result
}

/// Calls `callable` with positional arguments (borrowed).
pub(crate) fn call(callable: RawPtr, args: &[RawPtr]) -> NewRef {
    // SAFETY: see the note in `main.rs`.
    unsafe { Mock::call(callable, args, args.len(), None) }
}

/// Calls `obj.name(*args)`.
pub(crate) fn call_method(obj: RawPtr, name: &str, args: &[RawPtr]) -> NewRef {
    let method = getattr(obj, name).expect("the method exists");
    let result = call(method, args);
    decref(method);
    result
}

/// `getattr(import(module), name)`.
pub(crate) fn builtin(module: &str, name: &str) -> RawPtr {
    // SAFETY: see the note in `main.rs`.
    unsafe {
        let module = Mock::import(module).expect("a builtin module");
        let value = getattr(module, name).expect("the attribute exists");
        decref(module);
        value
    }
}

/// Calls `builtins.name(*args)` and returns the repr of the result.
pub(crate) fn call_builtin(name: &str, args: &[RawPtr]) -> Result<String, (String, String)> {
    let function = builtin("builtins", name);
    let result = call(function, args);
    decref(function);
    repr_or_error(result)
}

/// The repr of a new reference (released), or the error the call raised.
pub(crate) fn repr_or_error(result: NewRef) -> Result<String, (String, String)> {
    match result {
        Some(result) => {
            let text = repr(result);
            decref(result);
            Ok(text)
        }
        None => Err(error()),
    }
}

pub(crate) fn exception_type(kind: ExceptionKind) -> RawPtr {
    // SAFETY: see the note in `main.rs`.
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
pub(crate) fn native(
    name: &'static str,
    body: fn(&[RawPtr]) -> NewRef,
) -> (NewRef, Arc<AtomicBool>) {
    native_with(name, body, true)
}

/// [`native`], choosing whether the function takes arguments.
#[track_caller]
pub(crate) fn native_with(
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
    // SAFETY: see the note in `main.rs`.
    (unsafe { Mock::function_new(function, None) }, dropped)
}

/// Sums int arguments; raises `ValueError` for none.
pub(crate) fn add(args: &[RawPtr]) -> NewRef {
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

/// A new reference to `True`.
pub(crate) fn new_true() -> RawPtr {
    // SAFETY: see the note in `main.rs`.
    unsafe {
        let truth = Mock::bool_from(true);
        Mock::incref(truth);
        truth
    }
}

/// A new reference to `obj`.
pub(crate) fn new_ref(obj: RawPtr) -> RawPtr {
    // SAFETY: see the note in `main.rs`.
    unsafe { Mock::incref(obj) };
    obj
}

/// An observer that re-enters the mock, which would deadlock if it were called under the lock.
pub(crate) struct Reentrant;

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
