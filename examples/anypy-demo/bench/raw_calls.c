/* The functions anypy_demo's call benchmark compares against, written as a careful C extension
 * would: METH_FASTCALL | METH_KEYWORDS with keywords matched by interned pointer first, then by
 * value; METH_NOARGS for the function without parameters. Built by bench_calls.py with the
 * interpreter's own sysconfig flags. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *name_a, *name_b, *name_items;

static int bad_args(const char *message) {
    PyErr_SetString(PyExc_TypeError, message);
    return -1;
}

/* Fills slots[0..n) from positional arguments and keywords; -1 with an error set. */
static int match(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject **names,
                 Py_ssize_t n, PyObject **slots) {
    if (nargs > n) return bad_args("too many positional arguments");
    for (Py_ssize_t i = 0; i < nargs; i++) slots[i] = args[i];
    for (Py_ssize_t i = nargs; i < n; i++) slots[i] = NULL;
    if (kwnames) {
        Py_ssize_t count = PyTuple_GET_SIZE(kwnames);
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
            if (j == n) return bad_args("unexpected keyword argument");
            if (slots[j]) return bad_args("multiple values for an argument");
            slots[j] = args[nargs + k];
        }
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (!slots[i]) return bad_args("missing argument");
    return 0;
}

static PyObject *add(PyObject *self, PyObject *const *args, Py_ssize_t nargsf, PyObject *kwnames) {
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *slots[2];
    if (nargs == 2 && !kwnames) {
        slots[0] = args[0];
        slots[1] = args[1];
    } else {
        PyObject *names[2] = {name_a, name_b};
        if (match(args, nargs, kwnames, names, 2, slots) < 0) return NULL;
    }
    if (!PyLong_Check(slots[0]) || !PyLong_Check(slots[1])) {
        PyErr_SetString(PyExc_TypeError, "add() argument: expected int");
        return NULL;
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

static PyObject *noop(PyObject *self, PyObject *unused) { Py_RETURN_NONE; }

static PyObject *noop_fastcall(PyObject *self, PyObject *const *args, Py_ssize_t nargsf,
                               PyObject *kwnames) {
    if (PyVectorcall_NARGS(nargsf) != 0 || kwnames) {
        PyErr_SetString(PyExc_TypeError, "noop_fastcall() takes no arguments");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *list_length(PyObject *self, PyObject *const *args, Py_ssize_t nargsf,
                             PyObject *kwnames) {
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *items;
    if (nargs == 1 && !kwnames) {
        items = args[0];
    } else {
        PyObject *names[1] = {name_items};
        if (match(args, nargs, kwnames, names, 1, &items) < 0) return NULL;
    }
    if (!PyList_Check(items)) {
        PyErr_SetString(PyExc_TypeError, "list_length() argument 'items': expected list");
        return NULL;
    }
    return PyLong_FromSsize_t(PyList_GET_SIZE(items));
}

#define FAST (METH_FASTCALL | METH_KEYWORDS)
static PyMethodDef methods[] = {
    {"add", (PyCFunction)(void (*)(void))add, FAST, "add(a, b)\n--\n\n"},
    {"noop", noop, METH_NOARGS, "noop()\n--\n\n"},
    {"noop_fastcall", (PyCFunction)(void (*)(void))noop_fastcall, FAST, "noop_fastcall()\n--\n\n"},
    {"list_length", (PyCFunction)(void (*)(void))list_length, FAST, "list_length(items)\n--\n\n"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {PyModuleDef_HEAD_INIT, "raw_calls", NULL, -1, methods};

PyMODINIT_FUNC PyInit_raw_calls(void) {
    name_a = PyUnicode_InternFromString("a");
    name_b = PyUnicode_InternFromString("b");
    name_items = PyUnicode_InternFromString("items");
    if (!name_a || !name_b || !name_items) return NULL;
    return PyModule_Create(&definition);
}
