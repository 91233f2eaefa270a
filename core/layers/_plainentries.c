/* The plain entries of a layer tar, indexed in C.
 *
 * Nearly every entry of a layer is a file, a folder or a symbolic link with a plain ustar
 * header: octal numbers, a relative name, no PAX record, no GNU long name. For a run of such
 * entries this module does what core/layers/tarheaders.py (the header) and
 * core/layers/tarindex.py (the entry) do in Python, about ten times faster; at the first
 * entry it does not take it stops, and the Python reader, the reference, reads that entry.
 * tests/core/layers/test_plain_entries.py checks that a layer's index is the same with and
 * without this module, for generated tars and mutated ones.
 *
 * Every read stays inside the caller's buffer: a header is read only when its 512 bytes are
 * there, each field at its fixed place in them, each name bounded by its field; an entry is
 * taken only when its data lies inside the buffer too. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define BLOCK 512
#define HAND_OVER 256 /* entries taken between two offers of the GIL */

/* An octal field as the Python reader's `int(field with NULs as spaces, 8)` takes its
 * plainest form: blanks (spaces, NULs), octal digits, blanks; all blanks is 0, as the
 * reader's fallback makes it. Anything else (base-256, a sign, an underscore, digits apart)
 * is left to the reader: -1. The widest field holds 12 digits, 36 bits: no overflow. */
static long long octal(const unsigned char *field, Py_ssize_t width)
{
    Py_ssize_t at = 0;
    long long value = 0;
    while (at < width && (field[at] == ' ' || field[at] == 0))
        at++;
    while (at < width && field[at] >= '0' && field[at] <= '7') {
        value = value * 8 + (field[at] - '0');
        at++;
    }
    while (at < width && (field[at] == ' ' || field[at] == 0))
        at++;
    return at == width ? value : -1;
}

/* The length of a NUL-ended field (all of it when it holds no NUL). */
static Py_ssize_t bounded(const unsigned char *field, Py_ssize_t width)
{
    Py_ssize_t at = 0;
    while (at < width && field[at] != 0)
        at++;
    return at;
}

/* A name as tarindex's fast path takes it, after a leading `./` (which tarindex's posixpath
 * drops): not starting with `/` or `.`, holding neither `/.` nor `//`. Its trailing slashes
 * are dropped; what is left must not be empty. Sets `*start` past the `./`; returns the
 * length from there without the slashes, or -1. */
static Py_ssize_t plain_name(const unsigned char *name, Py_ssize_t size, Py_ssize_t *start)
{
    *start = 0;
    if (size >= 2 && name[0] == '.' && name[1] == '/') {
        *start = 2;
        name += 2;
        size -= 2;
    }
    if (size == 0 || name[0] == '/' || name[0] == '.')
        return -1;
    for (Py_ssize_t at = 0; at + 1 < size; at++)
        if (name[at] == '/' && (name[at + 1] == '.' || name[at + 1] == '/'))
            return -1;
    while (size > 0 && name[size - 1] == '/')
        size--;
    return size > 0 ? size : -1;
}

/* One object for each distinct number (modes and times repeat): `shared.setdefault`. */
static PyObject *shared_number(PyObject *shared, long long value)
{
    PyObject *number = PyLong_FromLongLong(value);
    if (number == NULL)
        return NULL;
    PyObject *kept = PyDict_SetDefault(shared, number, number);
    Py_XINCREF(kept);
    Py_DECREF(number);
    return kept;
}

enum { FILE_KIND, DIR_KIND, SYMLINK_KIND };

typedef struct {
    PyObject *entries, *make, *kinds, *special, *shared;
    long long content;
} Run;

/* The entry of the header at `h` appended to the run; 1 when taken, 0 when left to the
 * reader, -1 on an error (set). `room` is the bytes of the buffer after the header; `*data`
 * the bytes of its data taken with it (a file's, padded to whole blocks). */
static int take(Run *run, const unsigned char *h, Py_ssize_t room, Py_ssize_t *data)
{
    int kind;
    switch (h[156]) {
    case '0': case 0: case '7': case 'S':
        kind = FILE_KIND;
        break;
    case '5':
        kind = DIR_KIND;
        break;
    case '2':
        kind = SYMLINK_KIND;
        break;
    default:
        return 0;
    }
    long long mode = octal(h + 100, 8), uid = octal(h + 108, 8), gid = octal(h + 116, 8);
    long long mtime = octal(h + 136, 12), size = octal(h + 124, 12);
    if (mode < 0 || uid < 0 || gid < 0 || size < 0 || mtime < 0)
        return 0;
    long long padded = kind == FILE_KIND ? (size + BLOCK - 1) & ~(long long)(BLOCK - 1) : 0;
    if (padded > (long long)room)
        return 0; /* its data runs past the buffer: the reader skips it */
    *data = (Py_ssize_t)padded;

    unsigned char joined[155 + 1 + 100];
    const unsigned char *name = h;
    Py_ssize_t name_size = bounded(h, 100);
    if (memcmp(h + 257, "ustar\0", 6) == 0 && h[345] != 0) { /* POSIX: a prefix */
        Py_ssize_t prefix_size = bounded(h + 345, 155);
        memcpy(joined, h + 345, (size_t)prefix_size);
        joined[prefix_size] = '/';
        memcpy(joined + prefix_size + 1, h, (size_t)name_size);
        name = joined;
        name_size += prefix_size + 1;
    }
    Py_ssize_t start;
    name_size = plain_name(name, name_size, &start);
    if (name_size < 0)
        return 0;
    PyObject *path =
        PyUnicode_DecodeUTF8((const char *)name + start, name_size, "surrogateescape");
    if (path == NULL)
        return -1;
    int special = PySet_Contains(run->special, path);
    if (special != 0) {
        Py_DECREF(path);
        return special < 0 ? -1 : 0;
    }

    long long entry_size = 0;
    PyObject *link;
    if (kind == SYMLINK_KIND) {
        Py_ssize_t link_size = bounded(h + 157, 100);
        link = PyUnicode_DecodeUTF8((const char *)h + 157, link_size, "surrogateescape");
        run->content += link_size;
    } else {
        link = PyUnicode_FromStringAndSize(NULL, 0);
        if (kind == FILE_KIND) {
            entry_size = size;
            run->content += entry_size;
        }
    }
    PyObject *args[8] = {
        path,
        PyTuple_GET_ITEM(run->kinds, kind),
        shared_number(run->shared, mode & 07777),
        PyLong_FromLongLong(uid),
        PyLong_FromLongLong(gid),
        PyLong_FromLongLong(entry_size),
        shared_number(run->shared, mtime),
        link,
    };
    int result = -1;
    if (link != NULL && args[2] != NULL && args[3] != NULL && args[4] != NULL
        && args[5] != NULL && args[6] != NULL) {
        PyObject *entry = PyObject_Vectorcall(run->make, args, 8, NULL);
        if (entry != NULL) {
            result = PyList_Append(run->entries, entry) < 0 ? -1 : 1;
            Py_DECREF(entry);
        }
    }
    Py_DECREF(path);
    for (int at = 2; at < 8; at++)
        Py_XDECREF(args[at]);
    return result;
}

/* run(buffer, at, entries, make, kinds, special, shared) -> (at, content)
 *
 * From offset `at` of `buffer`, each entry of the plain run appended to `entries` as
 * `make(path, kind, mode, uid, gid, size, mtime, link)`, `kinds` being the (file, folder,
 * symbolic link) types, while its path is not in `special` (the set tarindex reads more of);
 * modes and times are shared through the dict `shared`. Gives the offset of the first header
 * not taken (the reader's) and the bytes the taken entries hold (their content). */
static PyObject *index_run(PyObject *Py_UNUSED(module), PyObject *args)
{
    Py_buffer view;
    Py_ssize_t at;
    Run run = {0};
    if (!PyArg_ParseTuple(args, "y*nO!OO!O!O!", &view, &at, &PyList_Type, &run.entries,
                          &run.make, &PyTuple_Type, &run.kinds, &PyFrozenSet_Type,
                          &run.special, &PyDict_Type, &run.shared))
        return NULL;
    if (PyTuple_GET_SIZE(run.kinds) != 3) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "kinds: the file, folder and symbolic link types");
        return NULL;
    }
    const unsigned char *bytes = view.buf;
    Py_ssize_t length = view.len;
    long taken_count = 0;
    while (at >= 0 && at <= length - BLOCK) {
        const unsigned char *h = bytes + at;
        if (h[0] == 0)
            break; /* an end block, or a header without a name */
        Py_ssize_t data = 0;
        int taken = take(&run, h, length - at - BLOCK, &data);
        if (taken < 0) {
            PyBuffer_Release(&view);
            return NULL;
        }
        if (taken == 0)
            break;
        Py_ssize_t next = at + BLOCK + data;
        at = next;
        if (++taken_count % HAND_OVER == 0) {
            /* let a thread that waits for the GIL (the read-ahead's) have it */
            Py_BEGIN_ALLOW_THREADS
            Py_END_ALLOW_THREADS
        }
    }
    PyBuffer_Release(&view);
    return Py_BuildValue("(nL)", at, run.content);
}

static PyMethodDef methods[] = {
    {"run", index_run, METH_VARARGS,
     "run(buffer, at, entries, make, kinds, special, shared) -> (at, content)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_plainentries", "A layer tar's plain entries, indexed in C.",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__plainentries(void)
{
    return PyModule_Create(&module);
}
