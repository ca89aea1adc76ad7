"""Benchmark: load + validate + compare of many sessions against bare tomllib parsing of them.

DESIGN's speed budget: `maturity-tui compare` of 1,000 sessions of 50 x 60, cold, as a process,
in <= 0.2x the time bare `tomllib` takes to parse the same files (the issue's floor: <= 2.0x).

Usage: python benchmarks/compare_vs_tomllib.py [--dir DIR] [--count 1000] [--runs 3] [--profile]
With --dir, the sessions in DIR are reused (generated there first when it holds none).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import toml_rs
from gen import write_sessions

from maturity_tui import storage
from maturity_tui.domain import Session

AIM, FLOOR = 0.2, 2.0
TOMLLIB_ONLY = "import sys, tomllib; [tomllib.load(open(f, 'rb')) for f in sys.argv[1:]]"
LOAD_ONLY = (
    "import sys; from pathlib import Path; from maturity_tui import storage; "
    "[storage.load_session(Path(f)) for f in sys.argv[1:]]"
)


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def parse_all_tomllib(paths: Sequence[Path]) -> None:
    for path in paths:
        tomllib.loads(path.read_bytes().decode("utf-8"))


def compare_function() -> Callable[[list[Session]], object] | None:
    """compare.compare_sessions once it exists; until then the benchmark times load + validate."""
    if importlib.util.find_spec("maturity_tui.compare") is None:
        return None
    from maturity_tui import compare

    return getattr(compare, "compare_sessions", None)


def load_and_compare(paths: Sequence[Path]) -> None:
    sessions = [storage.load_session(path) for path in paths]
    compare_sessions = compare_function()
    if compare_sessions is not None:
        compare_sessions(sessions)


def run_process(command: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)


def cold_seconds(command: list[str], runs: int) -> float | str:
    """Median wall time of a fresh process, or why it failed."""
    first = run_process(command)
    if first.returncode != 0:
        reason = first.stderr.decode(errors="replace").strip().splitlines()
        return f"failed (exit {first.returncode}: {reason[-1] if reason else 'no message'})"
    return median_seconds(lambda: run_process(command), runs)


def per_file(path: Path) -> dict[str, float]:
    """Milliseconds for one file: each parser, then pydantic validation of the parsed data."""
    text = path.read_text(encoding="utf-8")
    data = toml_rs.loads(text, toml_version="1.0.0")
    if data != tomllib.loads(text):
        raise SystemExit(f"{path}: toml_rs and tomllib disagree")
    work: dict[str, Callable[[], Any]] = {
        "tomllib.loads": lambda: tomllib.loads(text),
        "toml_rs.loads": lambda: toml_rs.loads(text, toml_version="1.0.0"),
        "Session.model_validate": lambda: Session.model_validate(data),
    }
    return {name: median_seconds(job, 200) * 1000 for name, job in work.items()}


def sessions_in(folder: Path | None, count: int) -> list[Path]:
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="maturity-bench-"))
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        print(f"generating {count} sessions of 50 x 60 in {folder} ...", flush=True)
        paths = write_sessions(folder, count, participants=50, indicators=60)
    return paths[:count]


def ratio_line(label: str, ours: float | str, floor: float | str) -> str:
    if isinstance(ours, str) or isinstance(floor, str):
        return f"  {label:<44} {ours if isinstance(ours, str) else floor}"
    verdict = (
        "meets the aim"
        if ours <= AIM * floor
        else ("within the floor" if ours <= FLOOR * floor else "MISSES the floor")
    )
    return f"  {label:<44} {ours:8.3f} s vs {floor:8.3f} s = {ours / floor:5.3f}x  ({verdict})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="reuse (or fill) this folder of sessions")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median counts")
    parser.add_argument("--profile", action="store_true", help="cProfile load + compare, top 15")
    args = parser.parse_args()

    paths = sessions_in(args.dir, args.count)
    size = statistics.mean(path.stat().st_size for path in paths) / 1024
    has_compare = compare_function() is not None
    ours = "load + validate + compare" if has_compare else "load + validate (no compare.py yet)"
    print(f"{len(paths)} sessions, {size:.1f} KB each; median of {args.runs} runs")

    print("per file (ms):")
    for name, ms in per_file(paths[0]).items():
        print(f"  {name:<44} {ms:8.3f}")

    print("in process:")
    floor = median_seconds(lambda: parse_all_tomllib(paths), args.runs)
    mine = median_seconds(lambda: load_and_compare(paths), args.runs)
    print(ratio_line(ours, mine, floor))

    print("cold process:")
    files = [str(path) for path in paths]
    python = sys.executable
    cold_floor = cold_seconds([python, "-c", TOMLLIB_ONLY, *files], args.runs)
    cli = [python, "-m", "maturity_tui", "compare", "--format", "json", *files]
    print(
        ratio_line("maturity-tui compare --format json", cold_seconds(cli, args.runs), cold_floor)
    )
    loads = cold_seconds([python, "-c", LOAD_ONLY, *files], args.runs)
    print(ratio_line("load + validate only (python -c)", loads, cold_floor))
    print(f"aim <= {AIM}x bare tomllib, floor <= {FLOOR}x")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(load_and_compare, paths)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
