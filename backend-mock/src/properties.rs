//! Properties of Rust classes' instances, as the mock's `getattr`/`setattr` run them: looked up
//! under the heap lock, the getter or setter run with it released (user code that re-enters
//! the mock); a read-only property raises `AttributeError` as CPython words it.

use anypy::{Backend, NewRef, RawPtr};

use crate::errors::attribute_error;
use crate::operation::{h, run};
use crate::Mock;

/// `getattr(obj, name)` if `name` is a property of `obj`'s class: the getter's result.
///
/// # Safety
/// GIL held; `obj` and `name` live.
#[track_caller]
pub(crate) unsafe fn get(obj: RawPtr, name: RawPtr) -> Option<NewRef> {
    let property = run("getattr", &[obj, name], |heap| {
        heap.property_of(h(obj), h(name))
    })?;
    // SAFETY: GIL held, `obj` live (caller); the heap lock was released above.
    Some(unsafe { (property.getter)(obj, &[], 0, None) })
}

/// `setattr(obj, name, value)` if `name` is a property of `obj`'s class: `0`, or `-1` with the
/// error set.
///
/// # Safety
/// GIL held; `obj`, `name` and `value` live.
#[track_caller]
pub(crate) unsafe fn set(obj: RawPtr, name: RawPtr, value: RawPtr) -> Option<i32> {
    let property = run("setattr", &[obj, name, value], |heap| {
        let property = heap.property_of(h(obj), h(name))?;
        if property.setter.is_none() {
            let class = heap.type_name(h(obj));
            heap.raise(attribute_error(format!(
                "attribute '{}' of '{class}' objects is not writable",
                property.name
            )));
        }
        Some(property)
    })?;
    let Some(setter) = property.setter else {
        return Some(-1);
    };
    // SAFETY: GIL held, all live (caller); the lock was released above; the result is a new
    // reference released once.
    Some(unsafe {
        match setter(obj, &[value], 1, None) {
            Some(result) => {
                Mock::decref(result);
                0
            }
            None => -1,
        }
    })
}
