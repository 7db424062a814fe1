"""Benchmark: migkit.hotspot vs esda on square lattices, in the same run.

Run from the repository root (after ``maturin develop --release``)::

    .venv/bin/python bench/hotspot.py              # n = 2,500, 10,000, 40,000, 250,000
    .venv/bin/python bench/hotspot.py --sides 50 100

For each lattice (rook and queen contiguity, built once per process with libpysal ``lat2W`` and
handed to migkit with ``Weights.from_libpysal``, so both libraries see the same weights and the
same values) it times, with 999 permutations: global Moran's I, local Moran's I and local G*
(row-standardised), migkit (rayon, all cores) against esda (numba) at ``n_jobs=1`` and
``n_jobs=-1``. Each library setting runs in its own subprocess (one per group of lattice sizes),
after a warm-up call on a small lattice (numba compilation is not timed); the resident-memory
high-water mark is reset before each call (Linux ``/proc/self/clear_refs``) and read after
it. Writes ``bench/results/hotspot.md``.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import warnings
from pathlib import Path

PERMUTATIONS = 999
ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "hotspot.md"
STATISTICS = ("moran", "local_moran", "g_star")


def _rss_mb() -> float:
    """Return the current resident set size (MB), from /proc."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _lattice(side: int, rook: bool):
    import libpysal

    return libpysal.weights.lat2W(side, side, rook=rook)


def _values(side: int):
    """Return a smooth surface plus noise, positive (G* needs y ≥ 0), fixed seed."""
    import numpy as np

    rng = np.random.default_rng(20_240_601)
    r, c = np.divmod(np.arange(side * side), side)
    return 10.0 + np.sin(r / 9.0) + np.cos(c / 7.0) + rng.gamma(2.0, 0.5, side * side)


def _runner(library: str, statistic: str, n_jobs: int):
    """Return a function (y, w_pysal, w_migkit) -> result for one library and statistic."""
    if library == "migkit":
        from migkit import hotspot

        if statistic == "moran":
            return lambda y, _w, wm: hotspot.moran(y, wm, permutations=PERMUTATIONS, seed=1)
        if statistic == "local_moran":
            return lambda y, _w, wm: hotspot.local_moran(y, wm, permutations=PERMUTATIONS, seed=1)
        return lambda y, _w, wm: hotspot.local_g(
            y, wm, star=True, permutations=PERMUTATIONS, seed=1
        )
    import esda

    if statistic == "moran":
        return lambda y, w, _wm: esda.Moran(y, w, permutations=PERMUTATIONS)
    if statistic == "local_moran":
        return lambda y, w, _wm: esda.Moran_Local(
            y, w, permutations=PERMUTATIONS, n_jobs=n_jobs, seed=1
        )
    return lambda y, w, _wm: esda.G_Local(
        y, w, star=True, permutations=PERMUTATIONS, n_jobs=n_jobs, seed=1
    )


def _peak_reset() -> None:
    """Reset the process's resident-memory high-water mark (Linux ≥ 4.0: clear_refs 5)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _peak_mb() -> float:
    """Return the resident-memory high-water mark since the last reset (VmHWM, MB)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def worker(library: str, n_jobs: int, sides: list[int]) -> list[dict]:
    """Time every statistic on every lattice of `sides` in this process (one warm-up first)."""
    warnings.simplefilter("ignore")
    from migkit.weights import Weights

    rows = []
    # esda's global Moran has no n_jobs: run it once, with the n_jobs=1 setting.
    wanted = [s for s in STATISTICS if library == "migkit" or s != "moran" or n_jobs == 1]
    runs = {s: _runner(library, s, n_jobs) for s in wanted}
    # Warm-up on a small lattice: numba compilation, joblib workers, imports.
    small = _lattice(10, False)
    for run in runs.values():
        run(_values(10), small, Weights.from_libpysal(small))
    for side in sides:
        y = _values(side)
        for rook in (True, False):
            w = _lattice(side, rook)
            wm = Weights.from_libpysal(w) if library == "migkit" else None
            for statistic, run in runs.items():
                before = _rss_mb()
                _peak_reset()
                start = time.perf_counter()
                result = run(y, w, wm)
                seconds = time.perf_counter() - start
                peak = _peak_mb()
                del result
                rows.append(
                    {
                        "library": library,
                        "n_jobs": n_jobs,
                        "n": side * side,
                        "contiguity": "rook" if rook else "queen",
                        "statistic": statistic,
                        "seconds": seconds,
                        "peak_mb": peak,
                        "extra_mb": peak - before,
                    }
                )
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def _measure(library: str, n_jobs: int, sides: list[int]) -> list[dict]:
    cmd = [sys.executable, __file__, "--worker", json.dumps([library, n_jobs, sides])]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(out.stderr[-2000:], file=sys.stderr)
        return []
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fmt_s(s: float) -> str:
    return "—" if s != s else (f"{s:.3f}" if s < 10 else f"{s:.1f}")


def _fmt_mb(m: float) -> str:
    return "—" if m != m else f"{max(m, 0.0):,.0f}"


def main() -> None:
    """Run the benchmark (or, with --worker, one worker) and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sides", type=int, nargs="*", default=[50, 100, 200, 500])
    parser.add_argument(
        "--parallel-max-side",
        type=int,
        default=200,
        help="run esda with n_jobs=-1 only up to this lattice side (it is slower than n_jobs=1 "
        "on 2 cores and takes many minutes at n = 250,000)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*json.loads(args.worker))))
        return

    # Small lattices together, each large one on its own (one process per setting and group:
    # esda's numba compilation is paid once per process, in the untimed warm-up).
    groups = [[s for s in args.sides if s <= 200]] + [[s] for s in args.sides if s > 200]
    found: dict[tuple, dict] = {}
    rows = []
    for group in [g for g in groups if g]:
        settings = [("migkit", 0), ("esda", 1)]
        if max(group) <= args.parallel_max_side:
            settings.append(("esda", -1))
        for library, n_jobs in settings:
            for r in _measure(library, n_jobs, group):
                found[(r["library"], r["n_jobs"], r["n"], r["contiguity"], r["statistic"])] = r
        for side in group:
            for kind in ("rook", "queen"):
                for statistic in STATISTICS:
                    key = (side * side, kind, statistic)
                    nan = dict.fromkeys(("seconds", "peak_mb", "extra_mb"), float("nan"))
                    mk = found.get(("migkit", 0, *key), nan)
                    e1 = found.get(("esda", 1, *key), nan)
                    em = found.get(("esda", -1, *key), nan)
                    best = min(
                        (e["seconds"] for e in (e1, em) if e["seconds"] == e["seconds"]),
                        default=float("nan"),
                    )
                    row = {
                        "n": side * side,
                        "contiguity": kind,
                        "statistic": statistic,
                        "migkit": mk,
                        "esda_1": e1,
                        "esda_all": em,
                        "ratio": best / mk["seconds"],
                    }
                    rows.append(row)
                    print(
                        f"n={side * side:>7} {kind:5} {statistic:11} migkit {mk['seconds']:.3f}s "
                        f"esda(1) {e1['seconds']:.3f}s esda(-1) {em['seconds']:.3f}s "
                        f"ratio {row['ratio']:.1f}x  peak MB migkit {mk['peak_mb']:.0f} "
                        f"esda {e1['peak_mb']:.0f}/{em['peak_mb']:.0f}",
                        flush=True,
                    )
        _write(rows, args.output, args.parallel_max_side)


def _write(rows: list[dict], output: Path, parallel_max_side: int) -> None:
    import esda
    import numba

    import migkit

    names = {"moran": "global Moran", "local_moran": "local Moran", "g_star": "local G*"}
    lines = [
        "# migkit.hotspot vs esda — permutation inference on lattices",
        "",
        f"Generated by `bench/hotspot.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, migkit {getattr(migkit, '__version__', '?')}, "
        f"esda {esda.__version__}, numba {numba.__version__}.",
        "",
        f"{PERMUTATIONS} permutations; row-standardised libpysal `lat2W` weights handed to migkit "
        "with `Weights.from_libpysal` (same weights, same values: a smooth surface plus gamma "
        "noise). Wall time of the call alone, after a warm-up call on a 10 x 10 lattice in the "
        "same process (numba compilation not timed). Peak MB: the process's resident-memory "
        "high-water mark during the call (VmHWM, reset before each call), which includes the "
        "interpreter, numpy, libpysal and the weights; extra MB: that peak minus the resident "
        "memory just before the call, i.e. what the call itself needed (esda keeps every "
        "simulation, n x 999 doubles). For esda `n_jobs=-1` the joblib workers' memory is not "
        "counted. Ratio: esda's faster setting over migkit. esda's global `Moran` has no "
        "`n_jobs`. migkit uses all cores (rayon).",
        "",
        "| n | contiguity | statistic | migkit (s) | esda n_jobs=1 (s) | esda n_jobs=-1 (s) "
        "| esda best / migkit | migkit peak / extra MB | esda n_jobs=1 peak / extra MB |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['contiguity']} | {names[r['statistic']]} "
            f"| {_fmt_s(r['migkit']['seconds'])} | {_fmt_s(r['esda_1']['seconds'])} "
            f"| {_fmt_s(r['esda_all']['seconds'])} | {r['ratio']:.1f}x "
            f"| {_fmt_mb(r['migkit']['peak_mb'])} / {_fmt_mb(r['migkit']['extra_mb'])} "
            f"| {_fmt_mb(r['esda_1']['peak_mb'])} / {_fmt_mb(r['esda_1']['extra_mb'])} |"
        )
    lines.append("")
    lines.append(
        f"— in the n_jobs=-1 column: not run (n > {parallel_max_side**2:,}; "
        "`--parallel-max-side`); or, for global Moran, no such setting in esda."
    )
    lines.append("")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines))
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
