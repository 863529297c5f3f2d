//! Finding, opening and starting the installed PyPy, calling cpyext through looked-up symbols,
//! and checking `anypy_pypy::layout` against live objects. Needs PyPy (scripts/install-pypy).

use std::ffi::{c_char, c_int, c_long, c_ulong, c_void, CStr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anypy_capi::tp_flags as bits;
use anypy_pypy::layout;
use anypy_pypy::library::{self, FindError, HomeOrigin, Location, Origin, Search};
use anypy_pypy::startup::{self, Mode, Runtime};

type Object = *mut c_void;

/// The started runtime; start-up failing fails the test with the full error.
fn rt() -> &'static Runtime {
    startup::runtime().unwrap_or_else(|error| panic!("{error}"))
}

/// The C-API function `c_name`, as the function pointer type `F` the caller names.
fn api<F: Copy>(c_name: &str) -> F {
    assert_eq!(
        size_of::<F>(),
        size_of::<*mut c_void>(),
        "F must be a function pointer"
    );
    let address = rt()
        .lookup(c_name)
        .unwrap_or_else(|error| panic!("{error}"));
    // SAFETY: F is a function pointer (size checked) that callers write as `c_name`'s C prototype.
    unsafe { std::mem::transmute_copy(&address) }
}

/// Runs `f` between `PyGILState_Ensure` and `PyGILState_Release`.
fn with_gil<R>(f: impl FnOnce() -> R) -> R {
    let ensure: unsafe extern "C" fn() -> c_int = api("PyGILState_Ensure");
    let release: unsafe extern "C" fn(c_int) = api("PyGILState_Release");
    // SAFETY: PyPy is started; Ensure may be called from any thread, nested or not.
    let state = unsafe { ensure() };
    let result = f();
    // SAFETY: releases the state returned by the matching Ensure, on the same thread.
    unsafe { release(state) };
    result
}

/// Reads the field of type `T` at `offset` bytes into `object`.
///
/// # Safety
/// `object` must be live and hold a `T` at `offset`.
unsafe fn field<T: Copy>(object: *const c_void, offset: usize) -> T {
    // SAFETY: guaranteed by the caller.
    unsafe { object.cast::<u8>().add(offset).cast::<T>().read() }
}

/// `Py_DECREF` as PyPy's headers define it: decrement, `_Py_Dealloc` at zero.
///
/// # Safety
/// The GIL is held and `object` is a live reference owned by the caller.
unsafe fn decref(object: Object) {
    let dealloc: unsafe extern "C" fn(Object) = api("_Py_Dealloc");
    let count = object.cast::<isize>();
    // SAFETY: `ob_refcnt` is at offset 0 of a live object and the GIL serializes access.
    unsafe {
        *count -= 1;
        if *count == 0 {
            dealloc(object);
        }
    }
}

fn new_int(value: i64) -> Object {
    let from_long_long: unsafe extern "C" fn(i64) -> Object = api("PyLong_FromLongLong");
    // SAFETY: called with the GIL held (every caller is inside `with_gil`).
    let object = unsafe { from_long_long(value) };
    assert!(!object.is_null());
    object
}

/// Evaluates Python source: `statements` run in a fresh namespace, then `expression` is
/// evaluated there; returns a new reference.
fn eval(statements: &str, expression: &str) -> Object {
    let run: unsafe extern "C" fn(*const c_char, c_int, Object, Object) -> Object =
        api("PyRun_String");
    let new_dict: unsafe extern "C" fn() -> Object = api("PyDict_New");
    let builtins: unsafe extern "C" fn() -> Object = api("PyEval_GetBuiltins");
    let set_item: unsafe extern "C" fn(Object, *const c_char, Object) -> c_int =
        api("PyDict_SetItemString");
    let statements = std::ffi::CString::new(statements).unwrap();
    let expression = std::ffi::CString::new(expression).unwrap();
    // SAFETY: GIL held; pointers live; 257/258 are eval.h's `Py_file_input`/`Py_eval_input`.
    unsafe {
        let namespace = new_dict();
        assert_eq!(set_item(namespace, c"__builtins__".as_ptr(), builtins()), 0);
        let none = run(statements.as_ptr(), 257, namespace, namespace);
        assert!(!none.is_null(), "statements raised");
        decref(none);
        let result = run(expression.as_ptr(), 258, namespace, namespace);
        assert!(!result.is_null(), "expression raised");
        decref(namespace);
        result
    }
}

fn type_of(object: Object) -> *const c_void {
    // SAFETY: `object` is live; `ob_type` is at `OB_TYPE_OFFSET`.
    unsafe { field(object, layout::OB_TYPE_OFFSET) }
}

fn tp_flags(type_object: *const c_void) -> c_ulong {
    // SAFETY: `type_object` is a live type object; `tp_flags` is at `TYPE_TP_FLAGS_OFFSET`.
    unsafe { field(type_object, layout::TYPE_TP_FLAGS_OFFSET) }
}

fn search_with(interpreter: Option<&str>, system_patterns: Vec<String>) -> Search {
    Search {
        interpreter: interpreter.map(PathBuf::from),
        system_patterns,
        ..Search::default()
    }
}

#[test]
fn pypy3_names_its_library_and_standard_library() {
    let installation = library::find(&search_with(Some("pypy3"), Vec::new())).unwrap();
    assert_eq!(installation.origin, Origin::Interpreter("pypy3".into()));
    let Location::File(path) = installation.library.location() else {
        panic!("not a file")
    };
    assert!(path
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("libpypy3"));
    assert_eq!(installation.home.origin, HomeOrigin::Interpreter);
    assert!(installation.home.path.join("os.py").is_file());
    println!(
        "pypy3 -> {} (home {})",
        path.display(),
        installation.home.path.display()
    );
}

#[test]
fn system_locations_find_the_library_and_a_home_beside_it() {
    let installation =
        library::find(&search_with(None, Search::default_system_patterns())).unwrap();
    assert!(matches!(installation.origin, Origin::System(_)));
    assert_eq!(installation.home.origin, HomeOrigin::BesideLibrary);
    assert!(installation.home.path.join("os.py").is_file());
}

#[test]
fn a_bogus_explicit_library_is_named_and_nothing_else_is_tried() {
    let search = Search {
        library: Some("/bogus/dir/libpypy9.9-c.so".into()),
        ..Search::from_env()
    };
    let Err(FindError::Library(error)) = library::find(&search) else {
        panic!("found something")
    };
    assert_eq!(error.attempts.len(), 1);
    assert_eq!(error.attempts[0].origin, Origin::Explicit);
    let message = error.to_string();
    assert!(
        message.contains("ANYPY_PYPY_LIB -> /bogus/dir/libpypy9.9-c.so: no such file"),
        "{message}"
    );
}

#[test]
fn a_library_that_is_not_pypy_is_refused() {
    let libm = Path::new("/lib/x86_64-linux-gnu/libm.so.6");
    if !libm.exists() {
        return;
    }
    let search = Search {
        library: Some(libm.into()),
        ..Search::default()
    };
    let Err(FindError::Library(error)) = library::find(&search) else {
        panic!("accepted libm")
    };
    assert!(error.to_string().contains("not libpypy"), "{error}");
}

#[test]
fn a_failed_search_lists_every_place_tried() {
    let empty = std::env::temp_dir().join(format!("anypy-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let pattern = format!("{}/pypy*/bin/libpypy3*-c.so", empty.display());
    let error = library::find(&search_with(Some("/no/such/pypy3"), vec![pattern.clone()]));
    std::fs::remove_dir_all(&empty).unwrap();
    let Err(FindError::Library(error)) = error else {
        panic!("found something")
    };
    let message = error.to_string();
    assert_eq!(error.attempts.len(), 2, "{message}");
    assert!(
        message.contains("asking `/no/such/pypy3`: not found"),
        "{message}"
    );
    assert!(
        message.contains(&format!("system location {pattern}: nothing matches")),
        "{message}"
    );
}

#[test]
fn startup_embeds_pypy_and_leaves_the_gil_released() {
    let Mode::Embedded(home) = rt().mode() else {
        panic!("this test binary does not link PyPy")
    };
    assert!(home.path.is_dir());
    assert!(
        library::pypy_in_host().is_none(),
        "the library we opened is not a host PyPy"
    );
    let check: unsafe extern "C" fn() -> c_int = api("PyGILState_Check");
    // SAFETY: PyGILState_Check only reads this thread's state.
    let held = unsafe { check() };
    assert_eq!(held, 0, "start-up must not leave the GIL held");
    with_gil(|| {
        // SAFETY: as above.
        assert_eq!(unsafe { check() }, 1);
    });
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let value = with_gil(|| {
            let object = new_int(42);
            let as_long_long: unsafe extern "C" fn(Object) -> i64 = api("PyLong_AsLongLong");
            // SAFETY: GIL held; `object` is a live int we own.
            let value = unsafe { as_long_long(object) };
            // SAFETY: GIL held; releases our reference.
            unsafe { decref(object) };
            value
        });
        sender.send(value).unwrap();
    });
    let value = receiver
        .recv_timeout(Duration::from_secs(20))
        .expect("another thread got the GIL");
    assert_eq!(value, 42);
}

#[test]
fn ints_round_trip_through_looked_up_symbols() {
    let as_long_long: unsafe extern "C" fn(Object) -> i64 = api("PyLong_AsLongLong");
    with_gil(|| {
        for value in [0, -1, 1 << 40, i64::MIN, i64::MAX] {
            let object = new_int(value);
            // SAFETY: GIL held; `object` is a live int.
            assert_eq!(unsafe { as_long_long(object) }, value);
            // SAFETY: `ob_refcnt` is at offset 0 of a live object.
            let count: isize = unsafe { field(object, layout::OB_REFCNT_OFFSET) };
            assert_eq!(count, layout::REFCNT_FROM_PYPY + 1);
            // SAFETY: GIL held; releases our reference.
            unsafe { decref(object) };
        }
    });
}

#[test]
fn a_missing_symbol_names_the_c_name_every_spelling_and_the_library() {
    let error = rt().lookup("PyDict_NoSuchFunction").unwrap_err();
    assert_eq!(error.c_name, "PyDict_NoSuchFunction");
    assert_eq!(
        error.tried,
        ["PyPyDict_NoSuchFunction", "PyDict_NoSuchFunction"]
    );
    let message = error.to_string();
    assert!(
        message.contains("`PyPyDict_NoSuchFunction`, `PyDict_NoSuchFunction`"),
        "{message}"
    );
    assert!(message.contains("libpypy3"), "{message}");
}

#[test]
fn unprefixed_exports_and_data_symbols_are_found() {
    let get_flags: unsafe extern "C" fn(*const c_void) -> c_ulong = api("PyType_GetFlags");
    let long_type = rt().lookup("PyLong_Type").unwrap();
    let type_error = rt().lookup("PyExc_TypeError").unwrap();
    assert!(rt().lookup("_Py_NoneStruct").is_ok());
    with_gil(|| {
        // SAFETY: `PyPyLong_Type` is a static type object, initialized by `import cpyext`.
        let flags = unsafe { get_flags(long_type) };
        assert_ne!(flags & bits::LONG_SUBCLASS, 0);
        // SAFETY: `PyPyExc_TypeError` is a `PyObject *` variable holding the type.
        let type_error: *const c_void = unsafe { *type_error.cast::<*const c_void>() };
        assert_ne!(tp_flags(type_error) & bits::BASE_EXC_SUBCLASS, 0);
    });
}

#[test]
fn object_and_type_layout_match_live_objects() {
    let long_type = rt().lookup("PyLong_Type").unwrap();
    let float_type = rt().lookup("PyFloat_Type").unwrap();
    with_gil(|| {
        let object = new_int(7);
        assert_eq!(type_of(object), long_type.cast_const());
        // SAFETY: `tp_name` of a live type object is a NUL-terminated string.
        let name = unsafe {
            CStr::from_ptr(field::<*const c_char>(
                long_type,
                layout::TYPE_TP_NAME_OFFSET,
            ))
        };
        assert_eq!(name.to_str().unwrap(), "int");
        // SAFETY: `tp_pypy_flags` is the last field of PyPy's `PyTypeObject`.
        let pypy_flags: c_long = unsafe { field(float_type, layout::TYPE_TP_PYPY_FLAGS_OFFSET) };
        assert_eq!(pypy_flags & layout::TPPYPYFLAGS_FLOAT_SUBCLASS, 1);
        // SAFETY: GIL held; releases our reference.
        unsafe { decref(object) };
    });
}

#[test]
fn builtin_types_and_python_subclasses_carry_the_subclass_flags() {
    let cases = [
        ("0", bits::LONG_SUBCLASS),
        ("True", bits::LONG_SUBCLASS),
        ("[]", bits::LIST_SUBCLASS),
        ("()", bits::TUPLE_SUBCLASS),
        ("b''", bits::BYTES_SUBCLASS),
        ("''", bits::UNICODE_SUBCLASS),
        ("{}", bits::DICT_SUBCLASS),
        ("ValueError()", bits::BASE_EXC_SUBCLASS),
        ("int", bits::TYPE_SUBCLASS),
        ("I(1)", bits::LONG_SUBCLASS),
        ("L()", bits::LIST_SUBCLASS),
        ("T()", bits::TUPLE_SUBCLASS),
        ("B()", bits::BYTES_SUBCLASS),
        ("S()", bits::UNICODE_SUBCLASS),
        ("D()", bits::DICT_SUBCLASS),
        ("E()", bits::BASE_EXC_SUBCLASS),
        ("M", bits::TYPE_SUBCLASS),
    ];
    let classes = "class I(int): pass\nclass L(list): pass\nclass T(tuple): pass\n\
                   class B(bytes): pass\nclass S(str): pass\nclass D(dict): pass\n\
                   class E(Exception): pass\nclass M(type): pass\n";
    let all_bits = 0xff << 24;
    with_gil(|| {
        for (expression, bit) in cases {
            let object = eval(classes, expression);
            let flags = tp_flags(type_of(object));
            assert_eq!(flags & all_bits, bit, "{expression}: tp_flags {flags:#x}");
            // SAFETY: GIL held; releases our reference.
            unsafe { decref(object) };
        }
    });
}

#[test]
fn tuple_items_are_fields_and_list_set_item_steals() {
    let tuple_new: unsafe extern "C" fn(isize) -> Object = api("PyTuple_New");
    let list_new: unsafe extern "C" fn(isize) -> Object = api("PyList_New");
    let list_set_item: unsafe extern "C" fn(Object, isize, Object) = api("PyList_SET_ITEM");
    let list_get_item: unsafe extern "C" fn(Object, isize) -> Object = api("PyList_GET_ITEM");
    with_gil(|| {
        let (a, b) = (new_int(1_000_001), new_int(1_000_002));
        // SAFETY: GIL held; filling a fresh tuple's slots is what `PyTuple_SET_ITEM` does (steals).
        unsafe {
            let tuple = tuple_new(2);
            let items = tuple
                .cast::<u8>()
                .add(layout::TUPLE_OB_ITEM_OFFSET)
                .cast::<Object>();
            *items = a;
            *items.add(1) = b;
            assert_eq!(field::<isize>(tuple, layout::OB_SIZE_OFFSET), 2);
            let get_item: unsafe extern "C" fn(Object, isize) -> Object = api("PyTuple_GetItem");
            assert_eq!(get_item(tuple, 1), b);
            decref(tuple);
        }
        let item = new_int(1_000_003);
        // SAFETY: GIL held; `item` is live; the list is fresh, so slot 0 is empty.
        unsafe {
            let before: isize = field(item, layout::OB_REFCNT_OFFSET);
            let list = list_new(1);
            list_set_item(list, 0, item);
            assert_eq!(
                field::<isize>(item, layout::OB_REFCNT_OFFSET),
                before,
                "SET_ITEM steals"
            );
            assert_eq!(list_get_item(list, 0), item);
            decref(list);
        }
    });
}

#[test]
fn capsule_pointer_is_read_where_anypy_reads_it() {
    // Native functions find their Rust state through `anypy_capi::layout::capsule_pointer`,
    // which reads the field after the object head instead of calling `PyCapsule_GetPointer`.
    let capsule_new: unsafe extern "C" fn(*mut c_void, *const c_char, *mut c_void) -> Object =
        api("PyCapsule_New");
    let get_pointer: unsafe extern "C" fn(Object, *const c_char) -> *mut c_void =
        api("PyCapsule_GetPointer");
    let mut payload = 0x5eed_u64;
    let expected = std::ptr::addr_of_mut!(payload).cast::<c_void>();
    with_gil(|| {
        // SAFETY: GIL held; `payload` outlives the capsule (freed below); no destructor.
        unsafe {
            let capsule = capsule_new(expected, c"anypy.probe".as_ptr(), std::ptr::null_mut());
            assert!(!capsule.is_null());
            assert_eq!(get_pointer(capsule, c"anypy.probe".as_ptr()), expected);
            let read = anypy_capi::layout::capsule_pointer::<anypy_pypy::PyPyApi>(capsule.cast());
            assert_eq!(read, expected);
            decref(capsule);
        }
    });
}

/// The prefix of CPython's `PyModuleDef`, laid out per `layout` (PyPy's longer base).
#[repr(C)]
struct ModuleDef {
    base: [usize; layout::MODULE_DEF_BASE_SIZE / size_of::<usize>()],
    name: *const c_char,
    doc: *const c_char,
    size: isize,
    methods: *mut c_void,
    slots: *mut c_void,
    traverse: *mut c_void,
    clear: *mut c_void,
    free: *mut c_void,
}

#[test]
fn module_def_layout_is_accepted_by_module_create2() {
    assert_eq!(size_of::<ModuleDef>(), layout::MODULE_DEF_SIZE);
    let create: unsafe extern "C" fn(*mut ModuleDef, c_int) -> Object = api("PyModule_Create2");
    let get_name: unsafe extern "C" fn(Object) -> *const c_char = api("PyModule_GetName");
    let get_doc: unsafe extern "C" fn(Object, *const c_char) -> Object =
        api("PyObject_GetAttrString");
    let as_utf8: unsafe extern "C" fn(Object) -> *const c_char = api("PyUnicode_AsUTF8");
    let def = Box::leak(Box::new(ModuleDef {
        base: [0; layout::MODULE_DEF_BASE_SIZE / size_of::<usize>()],
        name: c"anypy_layout_probe".as_ptr(),
        doc: c"made from Rust".as_ptr(),
        size: -1,
        methods: std::ptr::null_mut(),
        slots: std::ptr::null_mut(),
        traverse: std::ptr::null_mut(),
        clear: std::ptr::null_mut(),
        free: std::ptr::null_mut(),
    }));
    def.base[0] = 1; // ob_refcnt of PyModuleDef_HEAD_INIT
    with_gil(|| {
        // SAFETY: GIL held; `def` is a 'static, correctly laid out PyModuleDef.
        unsafe {
            let module = create(def, layout::PYTHON_API_VERSION);
            assert!(!module.is_null());
            assert_eq!(
                CStr::from_ptr(get_name(module)).to_str().unwrap(),
                "anypy_layout_probe"
            );
            let doc = get_doc(module, c"__doc__".as_ptr());
            assert_eq!(
                CStr::from_ptr(as_utf8(doc)).to_str().unwrap(),
                "made from Rust"
            );
            decref(doc);
            decref(module);
        }
    });
}
