"""Benchmark: load + validate + compare of many sessions against bare parsing of the same files.

DESIGN's speed budgets: `maturity-tui compare` of 1,000 sessions, cold, as a process, in
<= 0.2x the time bare `tomllib` takes to parse the same files, and for realistic sessions
(8 x 20) within 2x of bare toml-rs parsing (the practical floor). Figures at 100, 1,000 and
5,000 sessions, so that cost growing faster than the work shows. Each figure is the median
of a few runs (one at 5,000), as wall time and as CPU time (processes included): on a
machine shared with other work the CPU ratio is the steadier one.

Usage: python benchmarks/compare_vs_tomllib.py [--participants 8] [--indicators 20]
           [--counts 100,1000,5000] [--runs 3] [--base DIR] [--profile]
Sessions are generated once under --base (a temp folder's `maturity-bench` by default).
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import toml_rs
from gen import cached_sessions, compile_bytecode

from maturity_tui import storage
from maturity_tui.compare import compare_sessions
from maturity_tui.domain import Session
from maturity_tui.library_index import CACHE_ENV

AIM, FLOOR = 0.2, 2.0
TOMLLIB_ONLY = "import sys, tomllib; [tomllib.load(open(f, 'rb')) for f in sys.argv[1:]]"
TOML_RS_ONLY = (
    "import sys, toml_rs; "
    "[toml_rs.loads(open(f, 'rb').read().decode(), toml_version='1.0.0') for f in sys.argv[1:]]"
)
BIG = 5000
"""From this many sessions on, one run per figure: the tomllib floor alone takes minutes."""
LOAD_ONLY = (
    "import sys; from pathlib import Path; from maturity_tui import storage; "
    "[storage.load_session(Path(f)) for f in sys.argv[1:]]"
)


class Timing(NamedTuple):
    wall: float
    cpu: float
    """This process's CPU time plus that of the child processes it waited for."""


def cpu_now() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure(work: Callable[[], object], runs: int) -> Timing:
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), cpu_now()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_now() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus))


def load_and_compare(paths: Sequence[Path]) -> None:
    compare_sessions([storage.load_session(path) for path in paths])


def run_process(
    command: list[str], cache: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The command in a fresh process; `cache`: the folder of the library's index it uses."""
    env = None if cache is None else {**os.environ, CACHE_ENV: str(cache)}
    return subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env
    )


def measure_process(
    command: list[str], runs: int, cache: Callable[[], Path | None] = lambda: None
) -> Timing | str:
    """A fresh process each run (each with the index folder `cache()` gives), or why it
    failed; after a first run, not timed."""
    first = run_process(command, cache())
    if first.returncode != 0:
        reason = first.stderr.decode(errors="replace").strip().splitlines()
        return f"failed (exit {first.returncode}: {reason[-1] if reason else 'no message'})"
    return measure(lambda: run_process(command, cache()), runs)


def compare_figures(command: list[str], runs: int) -> tuple[Timing | str, Timing | str]:
    """The comparison as a coach runs it again (its first run filled the index), and with
    no index yet (each run on an empty index folder: every file read, the index filled)."""
    with tempfile.TemporaryDirectory(prefix="maturity-cache-") as base:
        kept = Path(base) / "kept"
        warm = measure_process(command, runs, lambda: kept)
        fresh = (Path(base) / f"empty-{n}" for n in itertools.count())
        cold = measure_process(command, runs, lambda: next(fresh))
    return warm, cold


def per_file(path: Path, repeats: int = 200) -> dict[str, float]:
    """Milliseconds for one file: each parser, then pydantic validation of the parsed data."""
    text = path.read_text(encoding="utf-8")
    data = toml_rs.loads(text, toml_version="1.0.0")
    if data != tomllib.loads(text):
        raise SystemExit(f"{path}: toml_rs and tomllib disagree")
    work: dict[str, Callable[[], object]] = {
        "tomllib.loads": lambda: tomllib.loads(text),
        "toml_rs.loads": lambda: toml_rs.loads(text, toml_version="1.0.0"),
        "Session.model_validate": lambda: Session.model_validate(data),
    }
    return {name: measure(job, repeats).wall * 1000 for name, job in work.items()}


def verdict(ratio: float) -> str:
    if ratio <= AIM:
        return "meets the aim"
    return "within the floor" if ratio <= FLOOR else "MISSES the floor"


def ratio_line(label: str, ours: Timing | str, floor: Timing | str, aim: float = AIM) -> str:
    if isinstance(ours, str) or isinstance(floor, str):
        return f"  {label:<34} {ours if isinstance(ours, str) else floor}"
    wall, cpu = ours.wall / floor.wall, ours.cpu / floor.cpu
    judged = verdict(cpu) if aim == AIM else ("within" if cpu <= aim else "OVER")
    return (
        f"  {label:<34} wall {ours.wall:6.2f} s / {floor.wall:6.2f} s = {wall:5.3f}x"
        f"   cpu {ours.cpu:6.2f} s / {floor.cpu:6.2f} s = {cpu:5.3f}x  ({judged})"
    )


def cold_figures(paths: Sequence[Path], runs: int) -> None:
    """The command line and a load-only process against bare tomllib and bare toml-rs."""
    files = [str(path) for path in paths]
    python = sys.executable
    tomllib_floor = measure_process([python, "-c", TOMLLIB_ONLY, *files], runs)
    toml_rs_floor = measure_process([python, "-c", TOML_RS_ONLY, *files], runs)
    compare = [python, "-m", "maturity_tui", "compare", "--format", "json", *files]
    cli, cold = compare_figures(compare, runs)
    load_only = measure_process([python, "-c", LOAD_ONLY, *files], runs)
    print(ratio_line("compare --format json / tomllib", cli, tomllib_floor))
    print(ratio_line("compare --format json / toml-rs", cli, toml_rs_floor, FLOOR))
    print(ratio_line("same, no index yet / tomllib", cold, tomllib_floor))
    print(ratio_line("same, no index yet / toml-rs", cold, toml_rs_floor, FLOOR))
    print(ratio_line("load + validate only / tomllib", load_only, tomllib_floor))
    for label, timing in (("compare", cli), ("no index yet", cold)):
        if not isinstance(timing, str):
            print(f"  per session: {label} {timing.cpu / len(paths) * 1000:.3f} ms CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=8)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--counts", default="100,1000,5000", help="session counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median counts")
    parser.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "maturity-bench")
    parser.add_argument("--profile", action="store_true", help="cProfile load + compare, top 15")
    args = parser.parse_args()
    counts = [int(count) for count in args.counts.split(",")]

    compile_bytecode()
    shape = f"{args.participants} x {args.indicators}"
    first = cached_sessions(counts[0], args.participants, args.indicators, args.base)
    size = statistics.mean(path.stat().st_size for path in first) / 1024
    print(f"sessions of {shape}, {size:.1f} KB each")
    print("per file (ms):")
    for name, ms in per_file(first[0]).items():
        print(f"  {name:<34} {ms:8.3f}")

    for count in counts:
        paths = cached_sessions(count, args.participants, args.indicators, args.base)
        runs = 1 if count >= BIG else args.runs
        print(f"{count} sessions, cold processes, median of {runs} run(s):")
        cold_figures(paths, runs)
    print(f"aim <= {AIM}x bare tomllib; <= {FLOOR}x bare toml-rs (verdicts follow CPU ratios)")

    if args.profile:
        paths = cached_sessions(counts[-1], args.participants, args.indicators, args.base)
        profiler = cProfile.Profile()
        profiler.runcall(load_and_compare, paths)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
