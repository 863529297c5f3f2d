"""Times bench_raw (C), bench_anypy and bench_pyo3 from Python, paired and interleaved, and
prints one table; exits 1 when a target is missed (see TARGETS). Runs on CPython and PyPy.

Method: every case is first checked to return the same result from the three modules. Then,
per case: a warm-up (PyPy's JIT compiles each timing loop), a calibration that picks the number
of calls per timing so that bench_raw takes about --target-ms, then --repeats rounds; each round
times the three modules back to back, in an order that rotates from round to round, and gives
two paired ratios (anypy/raw, anypy/pyo3, pyo3/raw). The medians of those ratios, with their
interquartile range, are the result: a slow moment of the machine hits all three of a round.

Usage: python driver.py [--repeats N (41; PyPy: 121)] [--target-ms MS] [--quick] [--cases a,b] [--no-check]
"""

import argparse
import platform
import sys
import time

import bench_anypy
import bench_pyo3
import bench_raw

IMPLS = (("raw", bench_raw), ("anypy", bench_anypy), ("pyo3", bench_pyo3))

#: The loop count of the cases that loop (`n`).
N = 1000

#: Calls per module before timing (PyPy compiles a loop after about a thousand iterations).
WARMUP_CALLS = 4000

#: Rounds per case. On PyPy a round's ratio spreads over ±10-15 % (rounds ten times longer
#: spread as much), so that the median of 41 moved by about ±3 % from run to run and a case
#: whose instruction count is within 1 % of raw C's was flagged in one run of three; 121 rounds
#: narrow that to about ±1.5 %.
REPEATS = 41
PYPY_REPEATS = 121

#: anypy/raw must not exceed this (median of the paired ratios).
MAX_VS_RAW = 1.05
#: anypy is "slower than PyO3" when the median anypy/pyo3 ratio exceeds this *and* so does its
#: first quartile, i.e. anypy lost at least three quarters of the paired rounds.
MAX_VS_PYO3 = 1.00
TARGETS = (
    f"miss: median anypy/raw > {MAX_VS_RAW:.2f}, or anypy/pyo3 median and first quartile both "
    f"> {MAX_VS_PYO3:.2f}"
)


def identity(x):
    return x


def ignore(d):
    return None


def cases():
    """(case, what it measures, function, args, kwargs[, form]): the cases of cases.md, in its
    order. A case is named for its function unless it calls one of another case differently.
    `form` says what is timed on the module's `function` (see FORMS); plain call by default."""
    xs = list(range(N))
    return [
        ("noop", "noop()", "noop", (), {}),
        ("add", "add(1, 2)", "add", (1, 2), {}),
        ("add_kw", "add(1, b=2)", "add", (1,), {"b": 2}),
        ("add_kws", "add(a=1, b=2)", "add", (), {"a": 1, "b": 2}),
        ("list_length", "list_length(xs) (a list borrowed)", "list_length", (xs,), {}),
        ("ints", f"create+drop {N} ints", "ints", (N,), {}),
        ("tuples", f"create+drop {N} 3-tuples", "tuples", (N,), {}),
        ("list_of_ints", f"build a list of {N} ints", "list_of_ints", (N,), {}),
        ("sum_dict", f"sum a dict's {N} values", "sum_dict", ({str(i): i for i in range(N)},), {}),
        ("sum_list", f"sum a list of {N} ints", "sum_list", (xs,), {}),
        ("call_n", f"call a Python function {N} times", "call_n", (identity, N), {}),
        ("dict_callback", f"pass one dict to a callback {N} times", "dict_callback", (ignore, N),
         {}),
        ("dicts", f"create+drop {N} empty dicts", "dicts", (N,), {}),
        ("class_new", "Counter(5) created and dropped", "Counter", (5,), {}),
        ("class_method", "counter.incr(1) (a method, one int)", "Counter", (1,), {}, "method"),
        ("class_property", "counter.value (a property read)", "Counter", (), {}, "property"),
    ]


#: How a case's form times the module's `function`: the object the timing loop gets (`f`,
#: made from the module attribute) and the statement it runs, `{}` standing for the arguments.
FORMS = {
    "call": (lambda attribute: attribute, "f({})"),
    "method": (lambda counter_class: counter_class(0), "f.incr({})"),
    "property": (lambda counter_class: counter_class(5), "f.value"),
}


def comparable(result):
    """What check_results compares: the result, or for an instance the class's name and its
    `value` (instances of the three modules' classes are never equal)."""
    if type(result).__name__ == "Counter":
        return ("Counter", result.value)
    return result


def make_timer(arity, keywords, statement="f({})"):
    """A fresh timing loop per (case, module), so PyPy's JIT specializes each on its own: the
    statement (a call of `f` by default) gets `arity` positional arguments and the keywords
    named, as written in source."""
    values = [f"a{i}" for i in range(arity)] + [f"k{i}" for i in range(len(keywords))]
    unpack = f"    {', '.join(values)}, = args + tuple(kwargs.values())\n" if values else ""
    passed = [f"a{i}" for i in range(arity)] + [f"{k}=k{i}" for i, k in enumerate(keywords)]
    source = (
        f"def timer(f, args, kwargs, loops):\n"
        f"{unpack}"
        f"    t0 = perf_counter()\n"
        f"    for _ in range(loops):\n"
        f"        {statement.format(', '.join(passed))}\n"
        f"    return perf_counter() - t0\n"
    )
    namespace = {"perf_counter": time.process_time}
    exec(source, namespace)
    return namespace["timer"]


def quantile(values, q):
    values = sorted(values)
    pos = (len(values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (pos - low)


def summary(values):
    return quantile(values, 0.5), quantile(values, 0.25), quantile(values, 0.75)


def targets(function, form):
    """Per module: (implementation, the object timed, its timing loop's statement)."""
    make, statement = FORMS[form]
    return [(impl, make(getattr(module, function)), statement) for impl, module in IMPLS]


def check_results(function, args, kwargs, form):
    results = []
    for impl, f, statement in targets(function, form):
        namespace = {"f": f, **{f"a{i}": a for i, a in enumerate(args)}, **kwargs}
        passed = [f"a{i}" for i in range(len(args))] + [f"{k}={k}" for k in kwargs]
        results.append((impl, comparable(eval(statement.format(", ".join(passed)), namespace))))
    expected = results[0][1]
    for impl, result in results[1:]:
        if result != expected:
            raise SystemExit(
                f"{function}: bench_{impl} returned {result!r:.80}, bench_raw {expected!r:.80}"
            )


def measure(function, args, kwargs, form, repeats, target_s):
    functions = [
        (impl, f, make_timer(len(args), list(kwargs), statement))
        for impl, f, statement in targets(function, form)
    ]
    # Warm-up: at least WARMUP_CALLS calls of each (PyPy's JIT compiles the timing loop and the
    # paths it calls), or as many as fit in 4 target times when the calls are slow.
    for _, f, timer in functions:
        done, loops, spent = 0, 1, 0.0
        while done < WARMUP_CALLS and spent < 4 * target_s:
            spent += timer(f, args, kwargs, loops)
            done += loops
            loops *= 2
    loops = 1
    while True:
        elapsed = functions[0][2](functions[0][1], args, kwargs, loops)
        if elapsed >= target_s / 4 or loops >= 1 << 24:
            break
        loops *= 2
    loops = max(1, int(loops * target_s / max(elapsed, 1e-9)))
    times = {impl: [] for impl, _, _ in functions}
    for round_ in range(repeats):
        order = functions[round_ % 3 :] + functions[: round_ % 3]
        for impl, f, timer in order:
            times[impl].append(timer(f, args, kwargs, loops) / loops)
    ratios = {
        "anypy/raw": [a / r for a, r in zip(times["anypy"], times["raw"])],
        "pyo3/raw": [p / r for p, r in zip(times["pyo3"], times["raw"])],
        "anypy/pyo3": [a / p for a, p in zip(times["anypy"], times["pyo3"])],
    }
    return times, ratios


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help=f"rounds per case (default {REPEATS} on CPython, {PYPY_REPEATS} on PyPy)",
    )
    parser.add_argument("--target-ms", type=float, default=2.0)
    parser.add_argument("--quick", action="store_true", help="one short round, no targets")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    options = parser.parse_args()
    if options.repeats is None:
        options.repeats = PYPY_REPEATS if platform.python_implementation() == "PyPy" else REPEATS
    if options.quick:
        options.repeats, options.target_ms = 3, 0.5

    selected = cases()
    if options.cases:
        wanted = options.cases.split(",")
        unknown = set(wanted) - {case[0] for case in selected}
        if unknown:
            raise SystemExit(f"unknown cases: {', '.join(sorted(unknown))}")
        selected = [case for case in selected if case[0] in wanted]
    selected = [case for case in selected if all(hasattr(m, case[2]) for _, m in IMPLS)]

    interpreter = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"## {interpreter}: ns per call (median), paired ratios median [Q1-Q3]")
    print(f"{options.repeats} rounds of ~{options.target_ms:g} ms per module, rotating order")
    print()
    print("| case | raw ns | anypy ns | PyO3 ns | anypy/raw | PyO3/raw | anypy/PyO3 | |")
    print("|---|---:|---:|---:|---|---|---|---|")
    misses = []
    for name, label, function, args, kwargs, *form in selected:
        form = form[0] if form else "call"
        check_results(function, args, kwargs, form)
        times, ratios = measure(
            function, args, kwargs, form, options.repeats, options.target_ms / 1000
        )
        ns = {impl: quantile(values, 0.5) * 1e9 for impl, values in times.items()}
        vs_raw, vs_pyo3 = summary(ratios["anypy/raw"]), summary(ratios["anypy/pyo3"])
        verdict = []
        if vs_raw[0] > MAX_VS_RAW:
            verdict.append("> raw C")
        if vs_pyo3[0] > MAX_VS_PYO3 and vs_pyo3[1] > MAX_VS_PYO3:
            verdict.append("< PyO3")
        if verdict:
            misses.append(f"{name} ({', '.join(verdict)})")
        cells = [
            f"{m:.3f} [{lo:.3f}-{hi:.3f}]"
            for m, lo, hi in (vs_raw, summary(ratios["pyo3/raw"]), vs_pyo3)
        ]
        if options.quick:
            status = "not checked"
        else:
            status = ("MISS " + ", ".join(verdict)) if verdict else "ok"
        print(
            f"| {label} | {ns['raw']:.0f} | {ns['anypy']:.0f} | {ns['pyo3']:.0f} | "
            + " | ".join(cells)
            + f" | {status} |",
            flush=True,
        )
    print()
    if options.quick:
        print(f"{interpreter}: quick round of {len(selected)} cases done (targets not checked)")
    elif misses:
        print(f"{interpreter}: {len(misses)} missed ({TARGETS}): {'; '.join(misses)}")
        return 1
    else:
        print(f"{interpreter}: every case within target ({TARGETS})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
