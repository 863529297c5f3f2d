# Run by build.rs with the interpreter anypy-cpython builds against: prints what the build needs,
# one `key=value` per line, including the object layout measured on live objects with ctypes
# (the crate asserts at compile time that its inline reads use exactly these offsets).
import sys
import sysconfig

config = sysconfig.get_config_var
print("implementation=" + sys.implementation.name)
print("version=%d.%d" % sys.version_info[:2])
print("full_version=" + sys.version.split()[0])
print("executable=" + sys.executable)
print("libdir=" + str(config("LIBDIR")))
print("ldlibrary=" + str(config("LDLIBRARY")))
print("shared=" + str(config("Py_ENABLE_SHARED")))
print("debug=" + str(config("Py_DEBUG")))
print("gil_disabled=" + str(config("Py_GIL_DISABLED")))
print("pointer_size=" + str(config("SIZEOF_VOID_P")))
print("api_version=%d" % sys.api_version)

if sys.implementation.name == "cpython" and not config("Py_GIL_DISABLED"):
    import ctypes

    WORD = ctypes.sizeof(ctypes.c_void_p)

    def read(address, ty=ctypes.c_void_p):
        return ty.from_address(address).value or 0

    def offset(obj, matches, start, stop=64 * WORD, ty=ctypes.c_void_p):
        """The first offset in `obj` from `start` whose value (of C type `ty`) matches."""
        return next(at for at in range(start, stop, WORD) if matches(read(id(obj) + at, ty)))

    def is_pointer(value):
        return value > 1 << 16 and value < 1 << 47

    item = object()
    ob_type = offset(1.5, lambda p: p == id(float), 0)
    ob_size = offset(tuple(range(37)), lambda n: n == 37, ob_type + WORD, ty=ctypes.c_ssize_t)
    var_head = ob_size + WORD
    tp_flags = [
        offset(ty, lambda f: f == ty.__flags__, var_head, ty=ctypes.c_ulong)
        for ty in (int, dict, BaseException)
    ]
    assert len(set(tp_flags)) == 1, "tp_flags found at different offsets: %s" % tp_flags
    new_capsule = ctypes.pythonapi.PyCapsule_New
    new_capsule.restype = ctypes.py_object
    new_capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    get_def = ctypes.pythonapi.PyModule_GetDef
    get_def.restype, get_def.argtypes = ctypes.c_void_p, [ctypes.py_object]
    sys_def = get_def(sys)
    subclass_bits = [(int, 24), (list, 25), (tuple, 26), (bytes, 27), (str, 28), (dict, 29)]
    subclass_bits.append((BaseException, 30))

    print("ob_type_offset=%d" % ob_type)
    print("ob_size_offset=%d" % ob_size)
    print("tuple_items_offset=%d" % offset((item,), lambda p: p == id(item), var_head))
    print(
        "list_items_offset=%d"
        % offset([item], lambda p: is_pointer(p) and read(p) == id(item), var_head, var_head + WORD)
    )
    print(
        "tp_name_offset=%d"
        % offset(float, lambda p: is_pointer(p) and ctypes.string_at(p) == b"float", var_head)
    )
    print("tp_flags_offset=%d" % tp_flags[0])
    print("subclass_bits=" + ",".join(str(b) for ty, b in subclass_bits if ty.__flags__ >> b & 1))
    print(
        "capsule_pointer_offset=%d"
        % offset(new_capsule(0x5EED5EED, None, None), lambda p: p == 0x5EED5EED, ob_type + WORD)
    )
    print(
        "module_def_base_size=%d"
        % next(
            at
            for at in range(ob_type + WORD, 16 * WORD, WORD)
            if is_pointer(read(sys_def + at)) and ctypes.string_at(read(sys_def + at)) == b"sys"
        )
    )
    print("none_refcnt=%d" % read(id(None), ctypes.c_ssize_t))
    # An int's first digit (0x2345 fits one digit of 15 or 30 bits); 3.12+ keeps a tag where
    # `ob_size` was, so the digit is searched from there on.
    digit_int = 0x2345
    print(
        "int_digit_offset=%d"
        % offset(digit_int, lambda d: d == digit_int, ob_size, ty=ctypes.c_uint16)
    )
    print("int_digit_size=%d" % sys.int_info.sizeof_digit)
    get_state = ctypes.pythonapi.PyModule_GetState
    get_state.restype, get_state.argtypes = ctypes.c_void_p, [ctypes.py_object]
    import _io  # a builtin module with a state block on every supported version

    print("module_state_offset=%d" % offset(_io, lambda p: p == get_state(_io), ob_type + WORD))

