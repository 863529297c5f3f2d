"""Classes defined in Rust, as CPython and PyPy see them: the module's exception classes
(made with anypy's create_exception!) and LruCache (a PyClass). Run by
`scripts/test-extension <python> <features>`."""

import gc
import inspect
import sys
import traceback
import weakref

import pytest

import anypy_demo as demo


# --- exception classes ----------------------------------------------------------------------


def test_exception_classes_derive_as_declared():
    assert issubclass(demo.DemoError, Exception)
    assert issubclass(demo.VersionError, demo.DemoError)
    assert demo.VersionError.__mro__ == (
        demo.VersionError, demo.DemoError, Exception, BaseException, object
    )
    assert demo.VersionError.__module__ == "anypy_demo"
    assert demo.VersionError.__name__ == "VersionError"
    assert demo.VersionError.__doc__ == "A version string is not three dot-separated numbers."


def test_raised_from_rust_and_caught_by_class_and_bases():
    assert demo.parse_version("3.11.7") == (3, 11, 7)
    with pytest.raises(demo.VersionError, match=r"'1\.x\.3': each part must be a number"):
        demo.parse_version("1.x.3")
    with pytest.raises(demo.DemoError):
        demo.parse_version("1.2")
    try:
        demo.parse_version("1")
    except Exception as err:  # caught by the builtin base too
        assert type(err) is demo.VersionError
        assert err.args == ("'1': expected three parts, got 1",)
        line = traceback.format_exception_only(type(err), err)[-1]
        assert line == "anypy_demo.VersionError: '1': expected three parts, got 1\n"
    else:
        pytest.fail("no exception")


def test_exception_classes_can_be_raised_and_subclassed_in_python():
    class Mine(demo.VersionError):
        pass

    with pytest.raises(demo.DemoError) as info:
        raise Mine("from Python")
    assert isinstance(info.value, demo.VersionError)
    assert str(info.value) == "from Python"


# --- LruCache, a class defined in Rust --------------------------------------------------------


def test_the_cache_evicts_the_least_recently_used():
    cache = demo.LruCache(2)
    assert cache.put("a", 1) is None
    assert cache.put("b", [2]) is None
    assert cache.get("a") == 1
    assert cache.put("c", 3) == "b"
    assert cache.keys() == ["a", "c"]
    assert cache.get("b") is None
    assert cache.stats() == (1, 1)
    assert (cache.size(), cache.capacity()) == (2, 2)
    cache.clear()
    assert cache.size() == 0


def test_the_class_is_a_type_with_builtin_method_descriptors():
    assert isinstance(demo.LruCache, type)
    assert demo.LruCache.__name__ == "LruCache"
    assert demo.LruCache.__module__ == "anypy_demo"
    assert demo.LruCache.__doc__ == "A cache of at most `capacity` objects by str key."

    assert type(demo.LruCache.put).__name__ == "method_descriptor"
    cache = demo.LruCache(1)
    assert type(cache.put).__name__ in ("builtin_function_or_method", "builtin method")
    assert cache.put.__self__ is cache


def test_a_miss_raises_the_module_exception():
    cache = demo.LruCache(1)
    with pytest.raises(demo.CacheMiss) as info:
        cache.lookup("absent")
    assert isinstance(info.value, KeyError)
    assert str(info.value) == "'absent'"
    cache.put("here", "value")
    assert cache.lookup("here") == "value"


def test_bad_arguments_raise_type_and_value_errors():
    with pytest.raises(ValueError, match="capacity must be at least 1"):
        demo.LruCache(0)
    with pytest.raises(TypeError, match=r"^LruCache\.__new__\(\) argument 'capacity': "):
        demo.LruCache("big")
    cache = demo.LruCache(1)
    with pytest.raises(TypeError, match=r"LruCache\.put\(\) takes 2 positional arguments"):
        cache.put("only a key")
    with pytest.raises(TypeError, match=r"LruCache\.put\(\) argument 1: expected str, got int"):
        cache.put(1, 2)
    with pytest.raises(TypeError):
        demo.LruCache.put(42, "k", "v")  # a method of another object's class


def test_python_subclasses_carry_their_own_attributes():
    class Tagged(demo.LruCache):
        def tagged_put(self, key, value):
            self.tag = key
            return self.put(key, value)

    cache = Tagged(2)
    assert isinstance(cache, demo.LruCache)
    assert cache.tagged_put("k", "v") is None
    assert cache.tag == "k"
    assert cache.__dict__ == {"tag": "k"}
    assert cache.lookup("k") == "v"
    assert demo.LruCache.keys(cache) == ["k"]


def test_values_are_released_with_the_cache():
    class Value:
        pass

    value = Value()
    ref = weakref.ref(value)
    cache = demo.LruCache(1)
    cache.put("v", value)
    del value
    assert ref() is not None, "the cache holds it"
    cache.put("w", 0)
    gc.collect()
    assert ref() is None, "evicted, so released"
    held = Value()
    ref = weakref.ref(held)
    cache.put("held", held)
    del held, cache
    gc.collect()
    gc.collect()
    assert ref() is None, "freeing the cache released its values"


def test_a_cycle_through_the_cache_is_collected():
    """CPython's collector finds the cycle through the cache's traverse. PyPy 7.3.11's cpyext
    does not collect cycles that run through C objects (measured: still alive after
    gc.collect()); there the cycle stays until broken by hand."""

    class Value:
        pass

    cache = demo.LruCache(2)
    value = Value()
    value.cache = cache
    cache.put("value", value)
    ref = weakref.ref(value)
    del value, cache
    for _ in range(3):
        gc.collect()
    if sys.implementation.name == "pypy":
        survivor = ref()
        assert survivor is not None, "PyPy now collects cycles through C objects: update"
        survivor.cache.clear()
        del survivor
        for _ in range(3):
            gc.collect()
    assert ref() is None


def test_the_cache_speaks_python_protocols():
    cache = demo.LruCache(3)
    cache.put("a", 1)
    cache.put("b", 2)
    assert len(cache) == 2
    assert "a" in cache and "z" not in cache
    assert cache["b"] == 2
    assert cache.keys() == ["a", "b"], "reading b made it the most recent"
    with pytest.raises(demo.CacheMiss):
        cache["z"]
    with pytest.raises(KeyError):
        cache["z"]
    assert repr(cache) == "LruCache(capacity=3, size=2)"
    assert cache.__len__() == 2


def test_the_cache_iterates_its_keys():
    cache = demo.LruCache(3)
    for key in "abc":
        cache.put(key, key.upper())
    cache.get("a")
    assert list(cache) == ["b", "c", "a"]
    assert [key for key in cache] == ["b", "c", "a"]
    keys = iter(cache)
    assert type(keys).__name__ == "CacheKeys"
    assert iter(keys) is keys
    assert [next(keys), next(keys), next(keys)] == ["b", "c", "a"]
    with pytest.raises(StopIteration):
        next(keys)
    assert list(demo.LruCache(1)) == []


def test_properties_read_write_and_refuse():
    cache = demo.LruCache(1)
    assert cache.label == ""
    cache.label = "sessions"
    assert cache.label == "sessions"
    with pytest.raises(TypeError, match=r"LruCache\.label: expected str, got int"):
        cache.label = 5
    with pytest.raises(AttributeError, match="label"):
        del cache.label
    assert cache.label == "sessions"
    cache.put("k", 1)
    cache.get("k")
    assert cache.hits == 1
    with pytest.raises(AttributeError):
        cache.hits = 0
    assert type(demo.LruCache.label).__name__ == "getset_descriptor"


def test_class_attributes_and_static_methods():
    assert demo.LruCache.DEFAULT_CAPACITY == 128
    cache = demo.LruCache(demo.LruCache.DEFAULT_CAPACITY)
    assert cache.capacity() == cache.DEFAULT_CAPACITY
    assert demo.LruCache.fits(3) and not demo.LruCache.fits(0)
    assert cache.fits(1), "a static method takes no instance"
    assert demo.LruCache.fits(3, at_least=4) is False
    assert demo.LruCache.fits.__text_signature__ == "(capacity, *, at_least=1)"
    with pytest.raises(TypeError, match=r"^fits\(\) takes 1 positional argument but 2 were given$"):
        demo.LruCache.fits(3, 4)


def test_calling_the_cache_looks_up():
    cache = demo.LruCache(2)
    cache["a"] = [1]
    assert cache("a") == [1] and cache("b") is None
    assert cache.stats() == (1, 1)
    assert cache(key="a") == [1] and cache("b", default=0) == 0 and cache("b", 5) == 5
    with pytest.raises(TypeError, match=r"^LruCache\.__call__\(\) takes from 2 to 3 positional "
                                        r"arguments but 4 were given$"):
        cache("a", "b", "c")
    with pytest.raises(TypeError, match=r"^LruCache\.__call__\(\) got an unexpected keyword "
                                        r"argument 'kee'$"):
        cache(kee="a")


# --- signatures: keywords, defaults, class methods ----------------------------------------

def test_the_constructor_takes_keywords_and_defaults():
    assert demo.LruCache().capacity() == 128
    cache = demo.LruCache(capacity=3, label="recent")
    assert cache.capacity() == 3 and cache.label == "recent"
    assert demo.LruCache(2).label == ""
    assert repr(demo.Vec2()) == "Vec2(0, 0)" and repr(demo.Vec2(y=2)) == "Vec2(0, 2)"


def test_constructor_argument_errors_read_as_cpythons():
    cases = [
        (lambda: demo.LruCache(1, 2),
         "LruCache.__new__() takes from 1 to 2 positional arguments but 3 were given"),
        (lambda: demo.LruCache(size=3),
         "LruCache.__new__() got an unexpected keyword argument 'size'"),
        (lambda: demo.LruCache(1, capacity=2),
         "LruCache.__new__() got multiple values for argument 'capacity'"),
        (lambda: demo.LruCache(label=1),
         "LruCache.__new__() argument 'label': expected str, got int"),
        (lambda: demo.Vec2(1, 2, 3),
         "Vec2.__new__() takes from 1 to 3 positional arguments but 4 were given"),
    ]
    for call, message in cases:
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == message


def test_methods_take_keywords_and_defaults():
    cache = demo.LruCache(2)
    cache.put("a", 1)
    assert cache.get("a") == 1 and cache.get(key="a") == 1
    assert cache.get("b") is None and cache.get("b", 0) == 0 and cache.get("b", default=[]) == []
    cases = [
        (lambda: cache.get(), "LruCache.get() missing 1 required positional argument: 'key'"),
        (lambda: cache.get("a", 1, 2),
         "LruCache.get() takes from 2 to 3 positional arguments but 4 were given"),
        (lambda: cache.get("a", x=1), "LruCache.get() got an unexpected keyword argument 'x'"),
        (lambda: cache.get("a", key="b"), "LruCache.get() got multiple values for argument 'key'"),
        (lambda: cache.get(1), "LruCache.get() argument 'key': expected str, got int"),
    ]
    for call, message in cases:
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == message


def test_class_methods_receive_the_class_they_are_called_through():
    cache = demo.LruCache.from_items({"a": 1, "b": 2})
    assert type(cache) is demo.LruCache and cache.keys() == ["a", "b"] and cache.capacity() == 2
    assert demo.LruCache.from_items({"a": 1}, capacity=5).capacity() == 5
    assert type(cache.from_items({})) is demo.LruCache, "through an instance too"

    class Recent(demo.LruCache):
        pass

    recent = Recent.from_items({"x": 0})
    assert type(recent) is Recent and recent.keys() == ["x"]
    assert demo.LruCache.from_items.__self__ is demo.LruCache
    with pytest.raises(TypeError) as info:
        demo.LruCache.from_items({}, 5)
    assert str(info.value) == "LruCache.from_items() takes 2 positional arguments but 3 were given"
    with pytest.raises(TypeError) as info:
        demo.LruCache.from_items([1])
    assert str(info.value) == "LruCache.from_items() argument 'items': expected dict, got list"


def test_inspect_signature_of_the_class_and_its_methods():
    if sys.implementation.name == "cpython" and sys.version_info < (3, 10):
        # Measured on CPython 3.9: PyType_FromSpec keeps tp_doc without its signature line
        # (3.10 keeps it whole), so the class has no text signature there.
        assert demo.LruCache.__text_signature__ is None
    else:
        assert str(inspect.signature(demo.LruCache)) == "(capacity=128, *, label='')"
        assert str(inspect.signature(demo.Vec2)) == "(x=0.0, y=0.0)"
    assert demo.Vec2.__doc__ == "A vector in the plane."
    if sys.implementation.name == "pypy":
        # Measured on PyPy 7.3.11: the methods of a class made with PyType_FromSpec carry
        # neither __text_signature__ nor __doc__, so inspect finds no signature for them.
        with pytest.raises(ValueError, match="no signature found"):
            inspect.signature(demo.LruCache.get)
        return
    cache = demo.LruCache(1)
    assert str(inspect.signature(cache.get)) == "(key, default=None)"
    assert str(inspect.signature(demo.LruCache.get)) == "(self, /, key, default=None)"
    assert str(inspect.signature(demo.LruCache.from_items)) == "(items, *, capacity=None)"
    assert cache.get.__doc__ == "The value under `key` (now the most recent), or `default`."
    assert demo.LruCache.from_items.__doc__.startswith("A cache of the class it is called through")


def test_item_assignment_and_deletion():
    cache = demo.LruCache(2)
    cache["a"] = 1
    cache["b"] = 2
    cache["c"] = 3
    assert cache.keys() == ["b", "c"], "assignment evicts like put"
    del cache["b"]
    assert cache.keys() == ["c"]
    with pytest.raises(demo.CacheMiss):
        del cache["b"]
    with pytest.raises(TypeError, match=r"__setitem__\(\) argument 1: expected str, got int"):
        cache[1] = 2


def test_item_deletion_reaches_the_rust_class_from_a_python_subclass():
    class Sub(demo.LruCache):
        pass

    cache = Sub(2)
    cache["x"] = 1
    del cache["x"]
    assert cache.keys() == []
    with pytest.raises(demo.CacheMiss):
        del cache["x"]


def test_versions_compare_sort_and_hash_by_their_parts():
    old, new, same = demo.Version("1.2.3"), demo.Version("1.10.0"), demo.Version("1.2.3")
    assert old < new and new > old and old <= same and new >= same
    assert old == same and old != new and not (old == new)
    assert sorted([new, old, demo.Version("0.9.9")]) == [demo.Version("0.9.9"), old, new]
    assert {old, same, new} == {old, new}, "equal versions hash alike (a Hasher's u64 is fine)"
    assert repr(new) == "Version('1.10.0')" and new.parts == (1, 10, 0)
    with pytest.raises(demo.VersionError, match="each part must be a number"):
        demo.Version("1.x.0")


def test_version_comparisons_with_other_types_return_not_implemented():
    version = demo.Version("1.0.0")
    assert version.__eq__(1) is NotImplemented
    assert version != "1.0.0" and not (version == 1)
    with pytest.raises(TypeError, match=r"'<' not supported between instances of '(anypy_demo\.)?Version' and 'int'"):
        version < 1
    with pytest.raises(TypeError, match=r"'>' not supported between instances of 'str' and '(anypy_demo\.)?Version'"):
        "1.0.0" > version

    class Anything:
        """Equal to everything, and less than anything: asked once Version declines."""

        def __eq__(self, other):
            return True

        def __gt__(self, other):
            return True

    assert version == Anything() and Anything() == version
    assert version < Anything(), "the reflected __gt__ answers"


def test_version_subclasses_compare_with_the_class():
    class Tagged(demo.Version):
        pass

    assert Tagged("1.2.3") == demo.Version("1.2.3") and Tagged("1.0.0") < demo.Version("2.0.0")


def test_vectors_add_scale_and_negate():
    v, w = demo.Vec2(1, 2), demo.Vec2(3, 5)
    assert repr(v + w) == "Vec2(4, 7)" and repr(w - v) == "Vec2(2, 3)"
    assert (v * 3).x == 3 and (v * 3).y == 6 and repr(v / 2) == "Vec2(0.5, 1)"
    assert repr(-v) == "Vec2(-1, -2)" and abs(w) == 34 ** 0.5
    with pytest.raises(ZeroDivisionError, match="Vec2 divided by zero"):
        v / 0


def test_a_method_taking_pyrefmut_updates_and_returns_the_instance():
    v = demo.Vec2(1, 2)
    assert v.scale() is v and repr(v) == "Vec2(2, 4)"
    assert v.scale(0.5).scale(k=3) is v and repr(v) == "Vec2(3, 6)"
    with pytest.raises(TypeError) as info:
        v.scale("x")
    assert str(info.value) == "Vec2.scale() argument 'k': expected float, got str"


def test_vector_operators_return_not_implemented_for_other_operands():
    v = demo.Vec2(1, 2)
    assert v.__add__(1) is NotImplemented and v.__mul__("x") is NotImplemented
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: '.*Vec2' and 'int'"):
        v + 1
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for -: 'int' and '.*Vec2'"):
        3 - v  # no reflected __rsub__: the Rust operator declines the reflected call too

    class Offset:
        """Knows how to be added to anything, from either side."""

        def __radd__(self, other):
            return ("radd", other)

        def __add__(self, other):
            return ("add", other)

    assert v + Offset() == ("radd", v), "Vec2 declined, so Python asked Offset.__radd__"
    assert Offset() + v == ("add", v)


def test_vector_in_place_operators_update_the_vector_itself():
    v, w = demo.Vec2(1, 2), demo.Vec2(3, 5)
    alias = v
    v += w
    assert v is alias and repr(alias) == "Vec2(4, 7)" and repr(w) == "Vec2(3, 5)"
    v *= 2
    assert v is alias and repr(v) == "Vec2(8, 14)"
    v += v  # cannot borrow itself twice: NotImplemented, so Python falls back to v = v + v
    assert v is not alias and repr(v) == "Vec2(16, 28)" and repr(alias) == "Vec2(8, 14)"
    assert alias.__iadd__(3) is NotImplemented
    with pytest.raises(TypeError, match=r"\+="):
        alias += 3
    u = demo.Vec2(1, 1)
    u -= w  # no __isub__: Python falls back to u = u - w
    assert repr(u) == "Vec2(-2, -4)"


def test_vector_reflected_multiplication():
    v = demo.Vec2(1, 2)
    assert repr(3 * v) == "Vec2(3, 6)" and repr(0.5 * v) == "Vec2(0.5, 1)"
    assert repr(v * 3) == "Vec2(3, 6)", "the forward operator still answers"
    assert v.__rmul__(2) is not v and repr(v.__rmul__(2)) == "Vec2(2, 4)"
    assert v.__rmul__("x") is NotImplemented
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*: 'NoneType' and '.*Vec2'"):
        None * v
    assert isinstance("ab" * 2, str), "str's own * is untouched"
