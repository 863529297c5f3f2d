"""Calls from Python into anypy_demo and into the same functions written in C (raw_calls.c,
compiled here with this interpreter's sysconfig flags), measured side by side: each round times
one batch of each, alternating, so that load on the machine hits both alike; the ratio of a
round is anypy / C, and the table shows medians over rounds.

Usage: <python with anypy_demo installed> bench_calls.py [rounds]
"""

import importlib.machinery
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))


def build_raw_calls():
    out = tempfile.mkdtemp(prefix="raw_calls-")
    target = os.path.join(out, "raw_calls" + importlib.machinery.EXTENSION_SUFFIXES[0])
    compiler = (sysconfig.get_config_var("CC") or "cc").split()
    flags = (sysconfig.get_config_var("CFLAGS") or "").split()
    flags = [f for f in flags if not f.startswith("-g")] + ["-O2", "-fPIC", "-shared"]
    include = "-I" + sysconfig.get_paths()["include"]
    subprocess.check_call(compiler + flags + [include, os.path.join(HERE, "raw_calls.c"), "-o", target])
    sys.path.insert(0, out)
    import raw_calls

    return raw_calls


CASES = [
    ("add(1, 2) positional", "f(1, 2)", "add"),
    ("add(1, b=2) keyword", "f(1, b=2)", "add"),
    ("add(a=1, b=2) keywords", "f(a=1, b=2)", "add"),
    ("noop() no arguments", "f()", "noop"),
    ("list_length(items) &Bound", "f(items)", "list_length"),
]


def main():
    import anypy_demo

    raw = build_raw_calls()
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    number = int(os.environ.get("CALLS_PER_BATCH", "2000"))
    items = [1, 2, 3]
    print(f"{sys.implementation.name} {sys.version.split()[0]}: {rounds} rounds of {number} calls per side")
    print(f"{'case':30} {'C ns':>8} {'anypy ns':>9} {'ratio':>7} {'ratio range (p10-p90)':>22}")
    for label, statement, name in CASES:
        timers = [
            timeit.Timer(statement, globals={"f": getattr(module, name), "items": items})
            for module in (raw, anypy_demo)
        ]
        for timer in timers:  # warm-up (PyPy's JIT)
            timer.timeit(number * 5)
        c_times, anypy_times, ratios = [], [], []
        for round_ in range(rounds):
            order = timers if round_ % 2 == 0 else timers[::-1]
            measured = {id(timer): timer.timeit(number) for timer in order}
            c, anypy = measured[id(timers[0])], measured[id(timers[1])]
            c_times.append(c / number * 1e9)
            anypy_times.append(anypy / number * 1e9)
            ratios.append(anypy / c)
        deciles = statistics.quantiles(ratios, n=10)
        print(
            f"{label:30} {statistics.median(c_times):8.1f} {statistics.median(anypy_times):9.1f} "
            f"{statistics.median(ratios):7.3f} {deciles[0]:10.3f} - {deciles[-1]:.3f}"
        )


if __name__ == "__main__":
    main()
