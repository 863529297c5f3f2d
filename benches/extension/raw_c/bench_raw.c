/* bench_raw: the benchmark's cases written against the C-API as a careful C author would:
 * the cheapest calling convention per signature (METH_NOARGS, METH_O, METH_FASTCALL; the
 * functions whose cases pass keywords, add and list_length, METH_FASTCALL | METH_KEYWORDS with
 * an inline path for the all-positional call), the cheapest leaf call per operation, no
 * argument conversion beyond what the case needs.
 * The cases are defined in ../cases.md; bench_anypy and bench_pyo3 implement the same. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* noop() -> None */
static PyObject *noop(PyObject *self, PyObject *unused) { Py_RETURN_NONE; }

/* The one int argument of the loop cases, as a count. */
static int read_count(PyObject *arg, Py_ssize_t *n) {
    *n = PyLong_AsSsize_t(arg);
    return (*n == -1 && PyErr_Occurred()) ? -1 : 0;
}

static int bad_args(const char *function, const char *problem) {
    PyErr_Format(PyExc_TypeError, "%s() %s", function, problem);
    return -1;
}

/* Fills slots[0..n) from the positional arguments and the keywords (matched by interned
 * pointer first, then by value); -1 with a TypeError on a mismatch. The general path of the
 * functions that take keywords: a call passing every argument by position never reaches it. */
static int match_args(const char *function, PyObject *const *args, Py_ssize_t nargs,
                      PyObject *kwnames, PyObject *const *names, Py_ssize_t n, PyObject **slots) {
    if (nargs > n) return bad_args(function, "takes fewer positional arguments");
    for (Py_ssize_t i = 0; i < n; i++) slots[i] = i < nargs ? args[i] : NULL;
    Py_ssize_t count = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *keyword = PyTuple_GET_ITEM(kwnames, k);
        Py_ssize_t j = 0;
        while (j < n && names[j] != keyword) j++;
        if (j == n) {
            for (j = 0; j < n; j++) {
                int equal = PyObject_RichCompareBool(keyword, names[j], Py_EQ);
                if (equal < 0) return -1;
                if (equal) break;
            }
        }
        if (j == n) return bad_args(function, "got an unexpected keyword argument");
        if (slots[j]) return bad_args(function, "got multiple values for an argument");
        slots[j] = args[nargs + k];
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (!slots[i]) return bad_args(function, "missing a required argument");
    return 0;
}

/* The parameter names of the keyword functions, interned by PyInit_bench_raw. */
static PyObject *name_a, *name_b, *name_xs;

/* add(a, b) -> a + b, OverflowError outside 64 bits; by position or keyword */
static PyObject *add(PyObject *self, PyObject *const *args, Py_ssize_t nargsf, PyObject *kwnames) {
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *slots[2];
    if (nargs == 2 && !kwnames) {
        slots[0] = args[0];
        slots[1] = args[1];
    } else {
        PyObject *const names[2] = {name_a, name_b};
        if (match_args("add", args, nargs, kwnames, names, 2, slots) < 0) return NULL;
    }
    long long a = PyLong_AsLongLong(slots[0]);
    if (a == -1 && PyErr_Occurred()) return NULL;
    long long b = PyLong_AsLongLong(slots[1]);
    if (b == -1 && PyErr_Occurred()) return NULL;
    long long sum;
    if (__builtin_add_overflow(a, b, &sum)) {
        PyErr_SetString(PyExc_OverflowError, "add(): the sum does not fit in 64 bits");
        return NULL;
    }
    return PyLong_FromLongLong(sum);
}

/* list_length(xs) -> len(xs) for a list (TypeError otherwise); by position or keyword */
static PyObject *list_length(PyObject *self, PyObject *const *args, Py_ssize_t nargsf,
                             PyObject *kwnames) {
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *xs;
    if (nargs == 1 && !kwnames) {
        xs = args[0];
    } else {
        PyObject *const names[1] = {name_xs};
        if (match_args("list_length", args, nargs, kwnames, names, 1, &xs) < 0) return NULL;
    }
    if (!PyList_Check(xs)) {
        PyErr_SetString(PyExc_TypeError, "list_length() argument 'xs': expected list");
        return NULL;
    }
    return PyLong_FromSsize_t(PyList_GET_SIZE(xs));
}

/* ints(n) -> None: creates and drops the ints 0..n */
static PyObject *ints(PyObject *self, PyObject *arg) {
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyLong_FromSsize_t(i);
        if (o == NULL) return NULL;
        Py_DECREF(o);
    }
    Py_RETURN_NONE;
}

/* tuples(n) -> None: creates and drops the tuples (i, i + 1, i + 2) for i in 0..n */
static PyObject *tuples(PyObject *self, PyObject *arg) {
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyTuple_New(3);
        if (t == NULL) return NULL;
        for (Py_ssize_t j = 0; j < 3; j++) {
            PyObject *o = PyLong_FromSsize_t(i + j);
            if (o == NULL) { Py_DECREF(t); return NULL; }
            PyTuple_SET_ITEM(t, j, o);
        }
        Py_DECREF(t);
    }
    Py_RETURN_NONE;
}

/* list_of_ints(n) -> [0, 1, ..., n - 1] */
static PyObject *list_of_ints(PyObject *self, PyObject *arg) {
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) return NULL;
    PyObject *list = PyList_New(n);
    if (list == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyLong_FromSsize_t(i);
        if (o == NULL) { Py_DECREF(list); return NULL; }
        PyList_SET_ITEM(list, i, o);
    }
    return list;
}

/* Adds `item` (an int) to `*sum`; -1 with an exception on a non-int or overflow. */
static int add_item(long long *sum, PyObject *item) {
    long long v = PyLong_AsLongLong(item);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (__builtin_add_overflow(*sum, v, sum)) {
        PyErr_SetString(PyExc_OverflowError, "the sum does not fit in 64 bits");
        return -1;
    }
    return 0;
}

/* sum_dict(d) -> the sum of d's values (ints) */
static PyObject *sum_dict(PyObject *self, PyObject *d) {
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "sum_dict() argument must be dict");
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    long long sum = 0;
    while (PyDict_Next(d, &pos, &key, &value))
        if (add_item(&sum, value) < 0) return NULL;
    return PyLong_FromLongLong(sum);
}

/* sum_list(xs) -> the sum of the list xs (ints) */
static PyObject *sum_list(PyObject *self, PyObject *xs) {
    if (!PyList_Check(xs)) {
        PyErr_SetString(PyExc_TypeError, "sum_list() argument must be list");
        return NULL;
    }
    long long sum = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(xs); i++)
        if (add_item(&sum, PyList_GET_ITEM(xs, i)) < 0) return NULL;
    return PyLong_FromLongLong(sum);
}

/* call_n(f, n) -> None: calls f(i) for i in 0..n, dropping the results */
static PyObject *call_n(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "call_n() takes 2 positional arguments but %zd were given", nargs);
        return NULL;
    }
    Py_ssize_t n;
    if (read_count(args[1], &n) < 0) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyLong_FromSsize_t(i);
        if (o == NULL) return NULL;
        PyObject *r = PyObject_CallOneArg(args[0], o);
        Py_DECREF(o);
        if (r == NULL) return NULL;
        Py_DECREF(r);
    }
    Py_RETURN_NONE;
}

/* dict_callback(f, n) -> None: makes one empty dict, calls f(d) n times with it */
static PyObject *dict_callback(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "dict_callback() takes 2 positional arguments but %zd were given", nargs);
        return NULL;
    }
    Py_ssize_t n;
    if (read_count(args[1], &n) < 0) return NULL;
    PyObject *d = PyDict_New();
    if (d == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *r = PyObject_CallOneArg(args[0], d);
        if (r == NULL) { Py_DECREF(d); return NULL; }
        Py_DECREF(r);
    }
    Py_DECREF(d);
    Py_RETURN_NONE;
}

/* dicts(n) -> None: creates and drops n empty dicts */
static PyObject *dicts(PyObject *self, PyObject *arg) {
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = PyDict_New();
        if (d == NULL) return NULL;
        Py_DECREF(d);
    }
    Py_RETURN_NONE;
}

/* Counter: the class cases. An extension type holding one 64-bit int, as a careful C author
 * writes it: a static type, tp_new reading one int, the default tp_alloc/tp_free, a METH_O
 * method and a tp_getset getter. */
typedef struct {
    PyObject_HEAD
    long long n;
} CounterObject;

/* Counter(start) */
static PyObject *counter_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0) {
        PyErr_SetString(PyExc_TypeError, "Counter() takes no keyword arguments");
        return NULL;
    }
    if (PyTuple_GET_SIZE(args) != 1) {
        PyErr_Format(PyExc_TypeError, "Counter() takes 1 positional argument but %zd were given",
                     PyTuple_GET_SIZE(args));
        return NULL;
    }
    long long start = PyLong_AsLongLong(PyTuple_GET_ITEM(args, 0));
    if (start == -1 && PyErr_Occurred()) return NULL;
    CounterObject *self = (CounterObject *)type->tp_alloc(type, 0);
    if (self == NULL) return NULL;
    self->n = start;
    return (PyObject *)self;
}

static void counter_dealloc(PyObject *self) { Py_TYPE(self)->tp_free(self); }

/* counter.incr(by) -> the new count (OverflowError outside 64 bits) */
static PyObject *counter_incr(PyObject *self, PyObject *arg) {
    long long by = PyLong_AsLongLong(arg);
    if (by == -1 && PyErr_Occurred()) return NULL;
    CounterObject *counter = (CounterObject *)self;
    long long n;
    if (__builtin_add_overflow(counter->n, by, &n)) {
        PyErr_SetString(PyExc_OverflowError, "the sum does not fit in 64 bits");
        return NULL;
    }
    counter->n = n;
    return PyLong_FromLongLong(n);
}

/* counter.value (read-only) */
static PyObject *counter_value(PyObject *self, void *closure) {
    return PyLong_FromLongLong(((CounterObject *)self)->n);
}

static PyMethodDef counter_methods[] = {
    {"incr", counter_incr, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef counter_getset[] = {
    {"value", counter_value, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bench_raw.Counter",
    .tp_basicsize = sizeof(CounterObject),
    .tp_dealloc = counter_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = counter_methods,
    .tp_getset = counter_getset,
    .tp_new = counter_new,
};

static PyMethodDef methods[] = {
    {"noop", noop, METH_NOARGS, NULL},
    {"add", (PyCFunction)(void (*)(void))add, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"list_length", (PyCFunction)(void (*)(void))list_length, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"ints", ints, METH_O, NULL},
    {"tuples", tuples, METH_O, NULL},
    {"list_of_ints", list_of_ints, METH_O, NULL},
    {"sum_dict", sum_dict, METH_O, NULL},
    {"sum_list", sum_list, METH_O, NULL},
    {"call_n", (PyCFunction)(void (*)(void))call_n, METH_FASTCALL, NULL},
    {"dict_callback", (PyCFunction)(void (*)(void))dict_callback, METH_FASTCALL, NULL},
    {"dicts", dicts, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "bench_raw", NULL, -1, methods};

PyMODINIT_FUNC PyInit_bench_raw(void) {
    name_a = PyUnicode_InternFromString("a");
    name_b = PyUnicode_InternFromString("b");
    name_xs = PyUnicode_InternFromString("xs");
    if (!name_a || !name_b || !name_xs) return NULL;
    if (PyType_Ready(&CounterType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Py_INCREF(&CounterType);
    if (PyModule_AddObject(m, "Counter", (PyObject *)&CounterType) < 0) {
        Py_DECREF(&CounterType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
