"""Builds the `anypy_demo` extension for the interpreter running the build.

The cargo features pick the backend: `cpython` or `pypy`, from the building interpreter, or as
given in ANYPY_DEMO_FEATURES (comma-separated, e.g. `pypy`). The file is named with that
interpreter's extension suffix (`.cpython-311-x86_64-linux-gnu.so`, `.pypy39-pp73-...so`).

With the `abi3` feature (ANYPY_DEMO_FEATURES=cpython,abi3) the module is built against the
limited API of CPython 3.9: one wheel tagged `cp39-abi3`, holding `anypy_demo.abi3.so`, that
every CPython from 3.9 on imports.
"""

import os
import platform

from setuptools import setup
from setuptools_rust import Binding, RustExtension

BACKEND = "pypy" if platform.python_implementation() == "PyPy" else "cpython"
FEATURES = (os.environ.get("ANYPY_DEMO_FEATURES") or BACKEND).split(",")
# The oldest CPython whose limited API the `abi3` build targets (anypy-cpython's floor).
ABI3_OPTIONS = {"bdist_wheel": {"py_limited_api": "cp39"}} if "abi3" in FEATURES else {}

setup(
    rust_extensions=[
        RustExtension(
            "anypy_demo",
            path="Cargo.toml",
            binding=Binding.NoBinding,
            args=["--no-default-features"],
            features=["extension-module", *FEATURES],
        )
    ],
    options=ABI3_OPTIONS,
)
