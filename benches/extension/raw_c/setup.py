"""Builds bench_raw with the running interpreter's own sysconfig compiler and flags (what
setuptools' build_ext does for every C extension)."""

from setuptools import Extension, setup

setup(
    name="bench-raw",
    version="0.1.0",
    ext_modules=[Extension("bench_raw", ["bench_raw.c"])],
)
