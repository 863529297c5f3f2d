//! Compile-time checks that every structure read inline is where the interpreter built against
//! has it: the build script measures the offsets on live objects (`build/probe.py`) and these
//! assertions compare them with what `anypy-capi`'s inline reads use for [`CPythonApi`].

use anypy_capi::{layout, tp_flags, CApi};

use crate::{version, CPythonApi as Api};

/// The measured values (constants written by the build script).
mod measured {
    include!(concat!(env!("OUT_DIR"), "/measured_layout.rs"));
}

/// `sys.int_info.sizeof_digit` of the interpreter built against (`version::int_as_i64` reads
/// 32-bit digits inline).
#[cfg(not(Py_LIMITED_API))]
pub(crate) const INT_DIGIT_SIZE: usize = measured::INT_DIGIT_SIZE;

const _: () = {
    assert!(measured::OB_TYPE_OFFSET == Api::OB_TYPE_OFFSET);
    assert!(measured::OB_SIZE_OFFSET == layout::ob_size_offset::<Api>());
    assert!(measured::TUPLE_ITEMS_OFFSET == layout::var_head::<Api>());
    assert!(measured::LIST_ITEMS_OFFSET == layout::var_head::<Api>());
    assert!(measured::TP_NAME_OFFSET == layout::var_head::<Api>());
    assert!(measured::TP_FLAGS_OFFSET == layout::tp_flags_offset::<Api>());
    assert!(measured::CAPSULE_POINTER_OFFSET == layout::capsule_pointer_offset::<Api>());
    // An int's first digit follows its digit count (3.12+: its tag) in the var-object head;
    // digits are 30 bits in 4 bytes, or 15 bits in 2 (`--enable-big-digits=15`).
    assert!(measured::INT_DIGIT_OFFSET == layout::var_head::<Api>());
    assert!(measured::INT_DIGIT_SIZE == 4 || measured::INT_DIGIT_SIZE == 2);
    assert!(measured::MODULE_DEF_BASE_SIZE == Api::MODULE_DEF_BASE_WORDS * 8);
    // Native functions keep their Rust state in a holder module's `md_state`, read inline.
    assert!(matches!(
        Api::FUNCTION_HOLDER,
        anypy_capi::FunctionHolder::Module { state_offset }
            if state_offset == measured::MODULE_STATE_OFFSET
    ));
    // The limited API passes PYTHON_ABI_VERSION instead.
    assert!(cfg!(Py_LIMITED_API) || measured::API_VERSION == Api::API_VERSION);
    // `None` is immortal from 3.12 on, by the very test `Py_DECREF` uses, and not before.
    assert!(cfg!(Py_LIMITED_API) || version::is_immortal(measured::NONE_REFCNT) == cfg!(Py_3_12));
    // The fast subclass bits the type checks test are set on their builtin types.
    let expected = [
        tp_flags::LONG_SUBCLASS,
        tp_flags::LIST_SUBCLASS,
        tp_flags::TUPLE_SUBCLASS,
        tp_flags::BYTES_SUBCLASS,
        tp_flags::UNICODE_SUBCLASS,
        tp_flags::DICT_SUBCLASS,
        tp_flags::BASE_EXC_SUBCLASS,
    ];
    assert!(measured::SUBCLASS_BITS.len() == expected.len());
    let mut index = 0;
    while index < expected.len() {
        assert!(1 << measured::SUBCLASS_BITS[index] == expected[index]);
        index += 1;
    }
};
