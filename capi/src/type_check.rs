//! The builtin type checks (`PyLong_Check`, `PyTuple_Check`, ...) as the C headers write them:
//! the type's fast-subclass flag bit where the type has one, else `PyObject_TypeCheck`.

use anypy::BuiltinType;

use crate::c_api::CApi;
use crate::ffi::{tp_flags, PyObject};
use crate::layout;

/// Whether `obj` is an instance of the builtin type `ty` (or of a subtype).
///
/// # Safety
/// `obj` live.
#[inline(always)]
pub(crate) unsafe fn builtin_type_check<A: CApi>(obj: *mut PyObject, ty: BuiltinType) -> bool {
    // SAFETY: `obj` live (caller); the static type objects live forever.
    unsafe {
        match ty {
            BuiltinType::None => obj == A::_Py_NoneStruct(),
            BuiltinType::Bool => layout::ob_type::<A>(obj) == A::PyBool_Type(),
            BuiltinType::Int => has_flag::<A>(obj, tp_flags::LONG_SUBCLASS),
            BuiltinType::Float => type_or_subtype::<A>(obj, A::PyFloat_Type()),
            BuiltinType::Str => has_flag::<A>(obj, tp_flags::UNICODE_SUBCLASS),
            BuiltinType::Bytes => has_flag::<A>(obj, tp_flags::BYTES_SUBCLASS),
            BuiltinType::Tuple => has_flag::<A>(obj, tp_flags::TUPLE_SUBCLASS),
            BuiltinType::List => has_flag::<A>(obj, tp_flags::LIST_SUBCLASS),
            BuiltinType::Dict => has_flag::<A>(obj, tp_flags::DICT_SUBCLASS),
            BuiltinType::Set => type_or_subtype::<A>(obj, A::PySet_Type()),
            BuiltinType::FrozenSet => type_or_subtype::<A>(obj, A::PyFrozenSet_Type()),
            BuiltinType::Module => type_or_subtype::<A>(obj, A::PyModule_Type()),
            BuiltinType::BaseException => has_flag::<A>(obj, tp_flags::BASE_EXC_SUBCLASS),
        }
    }
}

/// Whether the type of `obj` has the fast-subclass bit `flag`.
///
/// # Safety
/// `obj` live.
#[inline(always)]
unsafe fn has_flag<A: CApi>(obj: *mut PyObject, flag: u64) -> bool {
    // SAFETY: `obj` is live, so is its type.
    unsafe { A::type_flags(layout::ob_type::<A>(obj)) & flag != 0 }
}

/// `PyObject_TypeCheck(obj, ty)`: exact type or a subtype.
///
/// # Safety
/// `obj` live; `ty` a type object.
#[inline(always)]
unsafe fn type_or_subtype<A: CApi>(obj: *mut PyObject, ty: *mut PyObject) -> bool {
    // SAFETY: `obj` is live; `ty` is a type object.
    unsafe {
        let actual = layout::ob_type::<A>(obj);
        actual == ty || A::PyType_IsSubtype(actual, ty) != 0
    }
}
