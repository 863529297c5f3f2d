"""Builds `bench_anypy` for the interpreter running the build: cargo feature `pypy` on PyPy,
`cpython` otherwise (as examples/anypy-demo/setup.py does)."""

import platform

from setuptools import setup
from setuptools_rust import Binding, RustExtension

BACKEND = "pypy" if platform.python_implementation() == "PyPy" else "cpython"

setup(
    name="bench-anypy",
    version="0.1.0",
    rust_extensions=[
        RustExtension(
            "bench_anypy",
            path="Cargo.toml",
            binding=Binding.NoBinding,
            args=["--no-default-features"],
            features=["extension-module", BACKEND],
        )
    ],
)
