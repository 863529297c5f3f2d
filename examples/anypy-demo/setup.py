"""Builds the `anypy_demo` extension for the interpreter running the build.

The cargo features pick the backend: `cpython` or `pypy`, from the building interpreter, or as
given in ANYPY_DEMO_FEATURES (comma-separated, e.g. `pypy`). The file is named with that
interpreter's extension suffix (`.cpython-311-x86_64-linux-gnu.so`, `.pypy39-pp73-...so`).
"""

import os
import platform

from setuptools import setup
from setuptools_rust import Binding, RustExtension

BACKEND = "pypy" if platform.python_implementation() == "PyPy" else "cpython"
FEATURES = os.environ.get("ANYPY_DEMO_FEATURES") or BACKEND

setup(
    rust_extensions=[
        RustExtension(
            "anypy_demo",
            path="Cargo.toml",
            binding=Binding.NoBinding,
            args=["--no-default-features"],
            features=["extension-module", *FEATURES.split(",")],
        )
    ],
)
