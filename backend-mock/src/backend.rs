//! `Mock`'s `Backend` implementation: each trait function checks that the thread holds the
//! GIL, then runs as one operation on the heap, turning an `Exc` into the error indicator.

use std::panic::Location;

use anypy::{
    Backend, BackendError, BuiltinType, CompareOp, ExceptionKind, MethodEntry, NewRef, NumberOp,
    RawClass, RawClassDef, RawFunction, RawGilState, RawMethod, RawPtr, RawThreadState, SlotKind,
};

use crate::handle::Handle;
use crate::object::{Kind, NativeFunction};
use crate::operation::{decref_while_unwinding, h, run, run_new, run_or, run_status};
use crate::{call, class, class_backend, errors, gil, heap, slots, Mock};

// SAFETY: reference semantics follow CPython's as documented on each trait function; `state`
// and `gil_count` come from `backend_state!`; the GIL is one process-wide lock that really
// excludes other threads (`gil.rs`).
unsafe impl Backend for Mock {
    const NAME: &'static str = "mock";

    anypy::backend_state!();

    fn initialize() -> Result<(), BackendError> {
        heap::initialize();
        Ok(())
    }

    unsafe fn gil_ensure() -> RawGilState {
        gil::ensure()
    }

    #[track_caller]
    unsafe fn gil_release(state: RawGilState) {
        gil::release(state, Location::caller())
    }

    #[track_caller]
    unsafe fn save_thread() -> RawThreadState {
        gil::save(Location::caller())
    }

    #[track_caller]
    unsafe fn restore_thread(state: RawThreadState) {
        gil::restore(state, Location::caller())
    }

    #[track_caller]
    unsafe fn incref(obj: RawPtr) {
        run("incref", &[obj], |heap| heap.incref(h(obj)))
    }

    #[track_caller]
    unsafe fn decref(obj: RawPtr) {
        if std::thread::panicking() {
            return decref_while_unwinding(obj);
        }
        run("decref", &[obj], |heap| heap.decref(h(obj)))
    }

    #[track_caller]
    unsafe fn refcount(obj: RawPtr) -> isize {
        run("refcount", &[obj], |heap| heap.get(h(obj)).refcount)
    }

    #[track_caller]
    unsafe fn none() -> RawPtr {
        run("none", &[], |_| heap::NONE.raw())
    }

    #[track_caller]
    unsafe fn bool_from(value: bool) -> RawPtr {
        run("bool_from", &[], |_| heap::bool_handle(value).raw())
    }

    #[track_caller]
    unsafe fn int_from_i64(value: i64) -> NewRef {
        run_new("int_from_i64", &[], |heap| heap.new_int(i128::from(value)))
    }

    #[track_caller]
    unsafe fn int_from_u64(value: u64) -> NewRef {
        run_new("int_from_u64", &[], |heap| heap.new_int(i128::from(value)))
    }

    #[track_caller]
    unsafe fn int_as_i64(obj: RawPtr) -> i64 {
        run_or("int_as_i64", &[obj], -1, |heap| heap.int_as_i64(h(obj)))
    }

    #[track_caller]
    unsafe fn int_as_u64(obj: RawPtr) -> u64 {
        run_or("int_as_u64", &[obj], u64::MAX, |heap| {
            heap.int_as_u64(h(obj))
        })
    }

    #[track_caller]
    unsafe fn float_from_f64(value: f64) -> NewRef {
        run_new("float_from_f64", &[], |heap| heap.alloc(Kind::Float(value)))
    }

    #[track_caller]
    unsafe fn float_as_f64(obj: RawPtr) -> f64 {
        run_or("float_as_f64", &[obj], -1.0, |heap| {
            heap.float_as_f64(h(obj))
        })
    }

    #[track_caller]
    unsafe fn str_from_utf8(value: &str) -> NewRef {
        run_new("str_from_utf8", &[], |heap| heap.new_str(value.to_owned()))
    }

    #[track_caller]
    unsafe fn str_as_utf8(obj: RawPtr) -> Option<(*const u8, usize)> {
        run_or("str_as_utf8", &[obj], None, |heap| {
            heap.str_bytes(h(obj)).map(Some)
        })
    }

    #[track_caller]
    unsafe fn bytes_from(value: &[u8]) -> NewRef {
        run_new("bytes_from", &[], |heap| {
            heap.alloc(Kind::Bytes(value.to_vec()))
        })
    }

    #[track_caller]
    unsafe fn bytes_as(obj: RawPtr) -> Option<(*const u8, usize)> {
        run_or("bytes_as", &[obj], None, |heap| {
            heap.bytes_contents(h(obj)).map(Some)
        })
    }

    #[track_caller]
    unsafe fn tuple_new(len: usize) -> NewRef {
        run_new("tuple_new", &[], |heap| heap.sequence_new(len, false))
    }

    #[track_caller]
    unsafe fn tuple_init_item(tuple: RawPtr, index: usize, item: RawPtr) {
        run("tuple_init_item", &[tuple, item], |heap| {
            heap.init_item(h(tuple), index, h(item), false)
        })
    }

    #[track_caller]
    unsafe fn tuple_get_item(tuple: RawPtr, index: usize) -> RawPtr {
        run("tuple_get_item", &[tuple], |heap| {
            heap.borrowed_item(h(tuple), index, false).raw()
        })
    }

    #[track_caller]
    unsafe fn tuple_len(tuple: RawPtr) -> usize {
        run("tuple_len", &[tuple], |heap| {
            heap.sequence_len(h(tuple), false)
        })
    }

    #[track_caller]
    unsafe fn list_new(len: usize) -> NewRef {
        run_new("list_new", &[], |heap| heap.sequence_new(len, true))
    }

    #[track_caller]
    unsafe fn list_init_item(list: RawPtr, index: usize, item: RawPtr) {
        run("list_init_item", &[list, item], |heap| {
            heap.init_item(h(list), index, h(item), true)
        })
    }

    #[track_caller]
    unsafe fn list_get_item(list: RawPtr, index: usize) -> RawPtr {
        run("list_get_item", &[list], |heap| {
            heap.borrowed_item(h(list), index, true).raw()
        })
    }

    #[track_caller]
    unsafe fn list_set_item(list: RawPtr, index: usize, item: RawPtr) -> i32 {
        run_status("list_set_item", &[list, item], |heap| {
            heap.list_set_item(h(list), index, h(item))
        })
    }

    #[track_caller]
    unsafe fn list_append(list: RawPtr, item: RawPtr) -> i32 {
        run_status("list_append", &[list, item], |heap| {
            heap.list_insert(h(list), usize::MAX, h(item))
        })
    }

    #[track_caller]
    unsafe fn list_insert(list: RawPtr, index: usize, item: RawPtr) -> i32 {
        run_status("list_insert", &[list, item], |heap| {
            heap.list_insert(h(list), index, h(item))
        })
    }

    #[track_caller]
    unsafe fn list_len(list: RawPtr) -> usize {
        run("list_len", &[list], |heap| heap.sequence_len(h(list), true))
    }

    #[track_caller]
    unsafe fn dict_new() -> NewRef {
        run_new("dict_new", &[], |heap| {
            heap.alloc(Kind::Dict(Box::default()))
        })
    }

    #[track_caller]
    unsafe fn dict_set_item(dict: RawPtr, key: RawPtr, value: RawPtr) -> i32 {
        run_status("dict_set_item", &[dict, key, value], |heap| {
            heap.dict_set_item(h(dict), h(key), h(value))
        })
    }

    #[track_caller]
    unsafe fn dict_get_item(dict: RawPtr, key: RawPtr) -> Option<RawPtr> {
        run_or("dict_get_item", &[dict, key], None, |heap| {
            Ok(heap.dict_get_item(h(dict), h(key))?.map(Handle::raw))
        })
    }

    #[track_caller]
    unsafe fn dict_del_item(dict: RawPtr, key: RawPtr) -> i32 {
        run_status("dict_del_item", &[dict, key], |heap| {
            heap.dict_del_item(h(dict), h(key))
        })
    }

    #[track_caller]
    unsafe fn dict_contains(dict: RawPtr, key: RawPtr) -> i32 {
        run_or("dict_contains", &[dict, key], -1, |heap| {
            Ok(i32::from(heap.dict_get_item(h(dict), h(key))?.is_some()))
        })
    }

    #[track_caller]
    unsafe fn dict_len(dict: RawPtr) -> usize {
        run("dict_len", &[dict], |heap| heap.dict_len(h(dict)))
    }

    #[track_caller]
    unsafe fn dict_next(dict: RawPtr, pos: &mut isize) -> Option<(RawPtr, RawPtr)> {
        run("dict_next", &[dict], |heap| {
            heap.dict_next(h(dict), pos)
                .map(|(key, value)| (key.raw(), value.raw()))
        })
    }

    unsafe fn dict_iterates_by_protocol(_dict: RawPtr) -> bool {
        crate::dict_iteration::by_protocol()
    }

    #[track_caller]
    unsafe fn set_new(iterable: Option<RawPtr>, frozen: bool) -> NewRef {
        let objects: Vec<RawPtr> = iterable.into_iter().collect();
        run_new("set_new", &objects, |heap| {
            heap.set_new(iterable.map(h), frozen)
        })
    }

    #[track_caller]
    unsafe fn set_add(set: RawPtr, key: RawPtr) -> i32 {
        run_status("set_add", &[set, key], |heap| heap.set_add(h(set), h(key)))
    }

    #[track_caller]
    unsafe fn set_contains(set: RawPtr, key: RawPtr) -> i32 {
        run_or("set_contains", &[set, key], -1, |heap| {
            heap.set_contains(h(set), h(key)).map(i32::from)
        })
    }

    #[track_caller]
    unsafe fn set_discard(set: RawPtr, key: RawPtr) -> i32 {
        run_or("set_discard", &[set, key], -1, |heap| {
            heap.set_discard(h(set), h(key)).map(i32::from)
        })
    }

    #[track_caller]
    unsafe fn set_pop(set: RawPtr) -> NewRef {
        run_new("set_pop", &[set], |heap| heap.set_pop(h(set)))
    }

    #[track_caller]
    unsafe fn set_len(set: RawPtr) -> usize {
        run("set_len", &[set], |heap| heap.set_len(h(set)))
    }

    #[track_caller]
    unsafe fn number_binary(a: RawPtr, b: RawPtr, op: NumberOp) -> NewRef {
        run_new("number_binary", &[a, b], |heap| {
            heap.number_binary(h(a), h(b), op)
        })
    }

    #[track_caller]
    unsafe fn fs_path(obj: RawPtr) -> NewRef {
        run_new("fs_path", &[obj], |heap| heap.fs_path(h(obj)))
    }

    #[track_caller]
    unsafe fn str_intern(value: &str) -> NewRef {
        run("str_intern", &[], |heap| Some(heap.str_intern(value).raw()))
    }

    #[track_caller]
    unsafe fn type_of(obj: RawPtr) -> RawPtr {
        run("type_of", &[obj], |heap| {
            heap::class_handle(heap.class(h(obj))).raw()
        })
    }

    #[track_caller]
    unsafe fn type_name(obj: RawPtr) -> String {
        run("type_name", &[obj], |heap| {
            heap.type_name(h(obj)).to_owned()
        })
    }

    #[track_caller]
    unsafe fn type_check(obj: RawPtr, ty: BuiltinType) -> bool {
        run("type_check", &[obj], |heap| {
            heap.class(h(obj)).checks_as(ty)
        })
    }

    #[track_caller]
    unsafe fn is_instance(obj: RawPtr, class: RawPtr) -> i32 {
        run_or("is_instance", &[obj, class], -1, |heap| {
            heap.get(h(obj));
            heap.is_instance(h(obj), h(class)).map(i32::from)
        })
    }

    #[track_caller]
    unsafe fn getattr(obj: RawPtr, name: RawPtr) -> NewRef {
        run_new("getattr", &[obj, name], |heap| {
            heap.getattr(h(obj), h(name))
        })
    }

    #[track_caller]
    unsafe fn setattr(obj: RawPtr, name: RawPtr, value: RawPtr) -> i32 {
        run_status("setattr", &[obj, name, value], |heap| {
            heap.setattr(h(obj), h(name), h(value))
        })
    }

    #[track_caller]
    unsafe fn call(
        callable: RawPtr,
        args: &[RawPtr],
        nargs: usize,
        kwnames: Option<RawPtr>,
    ) -> NewRef {
        let site = Location::caller();
        gil::require("call", site, &[callable]);
        call::call(callable, args, nargs, kwnames, site)
    }

    #[track_caller]
    unsafe fn repr(obj: RawPtr) -> NewRef {
        // SAFETY: GIL held, `obj` live (caller).
        if let Some(result) = unsafe { slots::call("repr", obj, SlotKind::Repr, &[]) } {
            return result;
        }
        run_new("repr", &[obj], |heap| {
            let text = heap.repr_text(h(obj))?;
            heap.new_str(text)
        })
    }

    #[track_caller]
    unsafe fn str(obj: RawPtr) -> NewRef {
        // SAFETY: GIL held, `obj` live (caller).
        if let Some(result) = unsafe { slots::call("str", obj, SlotKind::Str, &[]) } {
            return result;
        }
        run_new("str", &[obj], |heap| {
            if let Kind::Str(_) = heap.kind(h(obj)) {
                heap.incref(h(obj));
                return Ok(h(obj));
            }
            let text = heap.str_text(h(obj))?;
            heap.new_str(text)
        })
    }

    #[track_caller]
    unsafe fn compare(a: RawPtr, b: RawPtr, op: CompareOp) -> i32 {
        run_or("compare", &[a, b], -1, |heap| {
            heap.compare(h(a), h(b), op).map(i32::from)
        })
    }

    #[track_caller]
    unsafe fn hash(obj: RawPtr) -> isize {
        run_or("hash", &[obj], -1, |heap| heap.hash(h(obj)))
    }

    #[track_caller]
    unsafe fn is_true(obj: RawPtr) -> i32 {
        run_or("is_true", &[obj], -1, |heap| {
            heap.is_true(h(obj)).map(i32::from)
        })
    }

    #[track_caller]
    unsafe fn len(obj: RawPtr) -> isize {
        // SAFETY: GIL held, `obj` live (caller).
        if let Some(len) = unsafe { slots::call_int("len", obj, SlotKind::Len) } {
            return len as isize;
        }
        run_or("len", &[obj], -1, |heap| {
            heap.len(h(obj)).map(|len| len as isize)
        })
    }

    #[track_caller]
    unsafe fn get_item(obj: RawPtr, key: RawPtr) -> NewRef {
        // SAFETY: GIL held, `obj` and `key` live (caller).
        if let Some(result) = unsafe { slots::call("get_item", obj, SlotKind::GetItem, &[key]) } {
            return result;
        }
        run_new("get_item", &[obj, key], |heap| {
            heap.get_item(h(obj), h(key))
        })
    }

    #[track_caller]
    unsafe fn set_item(obj: RawPtr, key: RawPtr, value: RawPtr) -> i32 {
        run_status("set_item", &[obj, key, value], |heap| {
            heap.set_item(h(obj), h(key), h(value))
        })
    }

    #[track_caller]
    unsafe fn get_iter(obj: RawPtr) -> NewRef {
        run_new("get_iter", &[obj], |heap| heap.get_iter(h(obj)))
    }

    #[track_caller]
    unsafe fn iter_next(iter: RawPtr) -> NewRef {
        run_or("iter_next", &[iter], None, |heap| {
            Ok(heap.iter_next(h(iter))?.map(Handle::raw))
        })
    }

    #[track_caller]
    unsafe fn exception_type(kind: ExceptionKind) -> RawPtr {
        run("exception_type", &[], |_| {
            heap::class_handle(class::Class::Exception(kind)).raw()
        })
    }

    #[track_caller]
    unsafe fn err_occurred() -> bool {
        gil::require("err_occurred", Location::caller(), &[]);
        errors::occurred()
    }

    #[track_caller]
    unsafe fn err_fetch() -> Option<(RawPtr, RawPtr, Option<RawPtr>)> {
        run("err_fetch", &[], |heap| {
            heap.err_fetch()
                .map(|(ty, value, traceback)| (ty.raw(), value.raw(), traceback.map(Handle::raw)))
        })
    }

    #[track_caller]
    unsafe fn err_restore(ty: RawPtr, value: RawPtr, traceback: Option<RawPtr>) {
        let objects: Vec<RawPtr> = [ty, value].into_iter().chain(traceback).collect();
        run("err_restore", &objects, |heap| {
            heap.err_restore(h(ty), h(value), traceback.map(h))
        })
    }

    #[track_caller]
    unsafe fn err_set_object(ty: RawPtr, value: RawPtr) {
        run("err_set_object", &[ty, value], |heap| {
            heap.err_set_object(h(ty), h(value))
        })
    }

    #[track_caller]
    unsafe fn err_set_str(ty: RawPtr, message: &str) {
        run("err_set_str", &[ty], |heap| {
            heap.err_set_str(h(ty), message)
        })
    }

    #[track_caller]
    unsafe fn exception_matches(given: RawPtr, class: RawPtr) -> bool {
        run("exception_matches", &[given, class], |heap| {
            heap.exception_matches(h(given), h(class))
        })
    }

    #[track_caller]
    unsafe fn module_new(name: &str) -> NewRef {
        run_new("module_new", &[], |heap| heap.module_new(name.to_owned()))
    }

    #[track_caller]
    unsafe fn import(name: &str) -> NewRef {
        run_new("import", &[], |heap| heap.import(name))
    }

    #[track_caller]
    unsafe fn function_new<F: RawFunction>(function: F, module: Option<RawPtr>) -> NewRef {
        let function: Box<dyn RawFunction> = Box::new(function);
        let native = NativeFunction::new(function.into(), None);
        // A failed allocation releases the function with the deferred work, outside the lock.
        run_new("function_new", module.as_slice(), |heap| {
            heap.function_new(native, module.map(h))
        })
    }

    #[track_caller]
    unsafe fn exception_new(name: &str, doc: Option<&str>, base: RawPtr) -> NewRef {
        run_new("exception_new", &[base], |heap| {
            heap.exception_new(name, doc, h(base))
        })
    }

    #[track_caller]
    unsafe fn class_new<C: RawClass>(def: RawClassDef) -> NewRef {
        // SAFETY: forwarded contract (entries made by this backend's `*_entry`).
        unsafe { class_backend::class_new::<C>(def) }
    }

    fn method_entry<M: RawMethod>() -> MethodEntry {
        class_backend::entry::<M>()
    }

    fn constructor_entry<M: RawMethod>() -> MethodEntry {
        class_backend::entry::<M>()
    }

    fn slot_entry<M: RawMethod>(_kind: SlotKind) -> MethodEntry {
        class_backend::entry::<M>()
    }

    #[track_caller]
    unsafe fn instance_new(class: RawPtr) -> NewRef {
        run_new("instance_new", &[class], |heap| heap.instance_new(h(class)))
    }

    #[track_caller]
    unsafe fn instance_payload<C: RawClass>(obj: RawPtr) -> *mut u8 {
        run("instance_payload", &[obj], |heap| {
            heap.instance_payload(h(obj))
        })
    }

    #[track_caller]
    unsafe fn collect_garbage() -> i32 {
        class_backend::collect_garbage()
    }
}
