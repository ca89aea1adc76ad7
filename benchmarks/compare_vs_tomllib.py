"""Benchmark: load + validate + compare of many sessions against bare tomllib parsing of them.

DESIGN's speed budget: `maturity-tui compare` of 1,000 sessions of 50 x 60, cold, as a process,
in <= 0.2x the time bare `tomllib` takes to parse the same files (the issue's floor: <= 2.0x).
Each figure is the median of a few runs, as wall time and as CPU time (processes included):
on a machine shared with other work the CPU ratio is the steadier one.

Usage: python benchmarks/compare_vs_tomllib.py [--dir DIR] [--count 1000] [--runs 3] [--profile]
With --dir, the sessions in DIR are reused (generated there first when it holds none).
"""

from __future__ import annotations

import argparse
import cProfile
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
from gen import write_sessions

from maturity_tui import storage
from maturity_tui.compare import compare_sessions
from maturity_tui.domain import Session

AIM, FLOOR = 0.2, 2.0
TOMLLIB_ONLY = "import sys, tomllib; [tomllib.load(open(f, 'rb')) for f in sys.argv[1:]]"
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


def parse_all_tomllib(paths: Sequence[Path]) -> None:
    for path in paths:
        tomllib.loads(path.read_bytes().decode("utf-8"))


def load_and_compare(paths: Sequence[Path]) -> None:
    compare_sessions([storage.load_session(path) for path in paths])


def run_process(command: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)


def measure_process(command: list[str], runs: int) -> Timing | str:
    """A fresh process each run, or why it failed."""
    first = run_process(command)
    if first.returncode != 0:
        reason = first.stderr.decode(errors="replace").strip().splitlines()
        return f"failed (exit {first.returncode}: {reason[-1] if reason else 'no message'})"
    return measure(lambda: run_process(command), runs)


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


def sessions_in(folder: Path | None, count: int) -> list[Path]:
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="maturity-bench-"))
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        print(f"generating {count} sessions of 50 x 60 in {folder} ...", flush=True)
        paths = write_sessions(folder, count, participants=50, indicators=60)
    return paths[:count]


def verdict(ratio: float) -> str:
    if ratio <= AIM:
        return "meets the aim"
    return "within the floor" if ratio <= FLOOR else "MISSES the floor"


def ratio_line(label: str, ours: Timing | str, floor: Timing | str) -> str:
    if isinstance(ours, str) or isinstance(floor, str):
        return f"  {label:<36} {ours if isinstance(ours, str) else floor}"
    wall, cpu = ours.wall / floor.wall, ours.cpu / floor.cpu
    return (
        f"  {label:<36} wall {ours.wall:6.2f} s / {floor.wall:6.2f} s = {wall:5.3f}x"
        f"   cpu {ours.cpu:6.2f} s / {floor.cpu:6.2f} s = {cpu:5.3f}x  ({verdict(cpu)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="reuse (or fill) this folder of sessions")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median counts")
    parser.add_argument("--profile", action="store_true", help="cProfile load + compare, top 15")
    args = parser.parse_args()

    paths = sessions_in(args.dir, args.count)
    size = statistics.mean(path.stat().st_size for path in paths) / 1024
    print(f"{len(paths)} sessions, {size:.1f} KB each; median of {args.runs} runs")

    print("per file (ms):")
    for name, ms in per_file(paths[0]).items():
        print(f"  {name:<36} {ms:8.3f}")

    print("in process, against tomllib parsing the same files:")
    floor = measure(lambda: parse_all_tomllib(paths), args.runs)
    print(
        ratio_line(
            "load + validate + compare", measure(lambda: load_and_compare(paths), args.runs), floor
        )
    )

    print("cold process, against `python -c` tomllib parsing the same files:")
    files = [str(path) for path in paths]
    python = sys.executable
    cold_floor = measure_process([python, "-c", TOMLLIB_ONLY, *files], args.runs)
    cli = [python, "-m", "maturity_tui", "compare", "--format", "json", *files]
    print(
        ratio_line(
            "maturity-tui compare --format json", measure_process(cli, args.runs), cold_floor
        )
    )
    load_only = measure_process([python, "-c", LOAD_ONLY, *files], args.runs)
    print(ratio_line("load + validate only (python -c)", load_only, cold_floor))
    print(f"aim <= {AIM}x bare tomllib, floor <= {FLOOR}x (the verdict follows the CPU ratio)")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(load_and_compare, paths)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
