//! Memory layout of PyPy's cpyext objects, for code that touches fields inline.
//!
//! Measured for PyPy 7.3.11 (Python 3.9) on x86-64 with `offsetof` against
//! `/usr/include/pypy3.9` and re-checked on live objects by `tests/loading.rs`; the numbers in
//! the docs are for 64-bit targets, the constants are written in machine words.
//!
//! - `PyObject` is `{ ob_refcnt, ob_pypy_link, ob_type }`: one word longer than CPython's, so
//!   `ob_type` is at 16 (CPython: 8) and every later offset moves by 8 bytes.
//! - `PyTupleObject` is CPython's shape (`ob_item` after the var-object head), and the headers'
//!   `PyTuple_GET_ITEM` / `PyTuple_SET_ITEM` are direct `ob_item[i]` accesses.
//! - `PyListObject` is opaque (`PyObject_HEAD` only): `PyList_GET_ITEM`, `PyList_SET_ITEM` and
//!   `PyList_GET_SIZE` are exported functions (`PyPyList_GET_ITEM`, ...). `PyList_SET_ITEM`
//!   steals the item's reference, like CPython's macro.
//! - `PyTypeObject` has CPython 3.9's fields in CPython's order after PyPy's longer head, plus a
//!   trailing `tp_pypy_flags`.
//! - `PyLong_Check`, `PyList_Check`, `PyTuple_Check`, `PyBytes_Check`, `PyUnicode_Check`,
//!   `PyDict_Check`, `PyExceptionClass_Check` and `PyType_Check` test the
//!   `Py_TPFLAGS_*_SUBCLASS` bits of `tp_flags` exactly as CPython does (`anypy_capi::tp_flags`,
//!   checked against live objects by `tests/loading.rs`), and the built-in types
//!   and their subclasses carry them. `PyFloat_Check` differs: it tests bit 0 of
//!   `tp_pypy_flags`. `PyExceptionInstance_Check` calls `PyObject_IsSubclass`.
//! - Objects made through cpyext start with `ob_refcnt` = [`REFCNT_FROM_PYPY`] + 1: the count
//!   never reaches zero from C, and PyPy's GC frees the object later.
//! - `PyModuleDef_Base` is 48 bytes (CPython: 40), so `PyModuleDef` is 112 (CPython: 104);
//!   `PyMethodDef` is CPython's (32 bytes).

use std::ffi::{c_int, c_long};
use std::mem::size_of;

/// A machine word (`Py_ssize_t`, a pointer).
const WORD: usize = size_of::<usize>();

/// Offset of `ob_refcnt` in `PyObject` (0).
pub const OB_REFCNT_OFFSET: usize = 0;
/// Offset of `ob_pypy_link` in `PyObject` (8): PyPy's link to the object's PyPy-side twin.
pub const OB_PYPY_LINK_OFFSET: usize = WORD;
/// Offset of `ob_type` in `PyObject` (16; CPython: 8).
pub const OB_TYPE_OFFSET: usize = 2 * WORD;
/// `sizeof(PyObject)`, the size of `PyObject_HEAD` (24).
pub const OBJECT_HEAD_SIZE: usize = 3 * WORD;
/// Offset of `ob_size` in `PyVarObject` (24).
pub const OB_SIZE_OFFSET: usize = 3 * WORD;
/// `sizeof(PyVarObject)`, the size of `PyObject_VAR_HEAD` (32).
pub const VAR_OBJECT_HEAD_SIZE: usize = 4 * WORD;
/// Offset of `ob_item` in `PyTupleObject` (32; CPython: 24).
pub const TUPLE_OB_ITEM_OFFSET: usize = VAR_OBJECT_HEAD_SIZE;
/// Offset of `tp_name` in `PyTypeObject` (32; CPython: 24).
pub const TYPE_TP_NAME_OFFSET: usize = VAR_OBJECT_HEAD_SIZE;
/// Offset of `tp_flags` in `PyTypeObject` (176; CPython: 168): 18 words after the head.
pub const TYPE_TP_FLAGS_OFFSET: usize = VAR_OBJECT_HEAD_SIZE + 18 * WORD;
/// Offset of PyPy's own `tp_pypy_flags` in `PyTypeObject` (424), its last field.
pub const TYPE_TP_PYPY_FLAGS_OFFSET: usize = 53 * WORD;
/// `sizeof(PyModuleDef_Base)` (48; CPython: 40): `PyObject_HEAD`, `m_init`, `m_index`, `m_copy`.
pub const MODULE_DEF_BASE_SIZE: usize = OBJECT_HEAD_SIZE + 3 * WORD;
/// `sizeof(PyModuleDef)` (112; CPython: 104): the base, then `m_name`, `m_doc`, `m_size`,
/// `m_methods`, `m_slots`, `m_traverse`, `m_clear`, `m_free`, one word each.
pub const MODULE_DEF_SIZE: usize = MODULE_DEF_BASE_SIZE + 8 * WORD;
/// `sizeof(PyMethodDef)` (32, as CPython).
pub const METHOD_DEF_SIZE: usize = 4 * WORD;

/// `PYTHON_API_VERSION`, the second argument of `PyModule_Create2` (1013, as CPython 3.9).
pub const PYTHON_API_VERSION: c_int = 1013;
/// The flag PyPy adds to `ob_refcnt` of every object it owns (`1 << 61` on 64-bit).
pub const REFCNT_FROM_PYPY: isize = 1 << (isize::BITS - 3);

/// `tp_pypy_flags` bit of `float` and its subclasses (PyPy's `PyFloat_Check`).
pub const TPPYPYFLAGS_FLOAT_SUBCLASS: c_long = 1;

#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use super::*;

    #[test]
    fn words_give_the_measured_64_bit_numbers() {
        let measured = [
            (OB_TYPE_OFFSET, 16),
            (OBJECT_HEAD_SIZE, 24),
            (VAR_OBJECT_HEAD_SIZE, 32),
            (TUPLE_OB_ITEM_OFFSET, 32),
            (TYPE_TP_NAME_OFFSET, 32),
            (TYPE_TP_FLAGS_OFFSET, 176),
            (TYPE_TP_PYPY_FLAGS_OFFSET, 424),
            (MODULE_DEF_BASE_SIZE, 48),
            (MODULE_DEF_SIZE, 112),
            (METHOD_DEF_SIZE, 32),
        ];
        for (constant, number) in measured {
            assert_eq!(constant, number);
        }
        assert_eq!(REFCNT_FROM_PYPY, 0x2000_0000_0000_0000);
    }
}
