"""`maturity-tui import` on a SAMM-sized and a DSOMM-sized model, against bare YAML parsing.

The fixtures are generated (tests/importers/yamlkit.py: our own text in the published
shapes, never the published models): SAMM's size is 5 functions x 3 practices x 2 streams x
3 levels = 90 questions in 24 answer sets and some 300 small files; DSOMM's is one 194-activity
model.yaml. The floor is PyYAML's parse of the same files with the same loader, measured in
the same run; the import adds the mapping, validation and the atomic write.

    .venv/bin/python benchmarks/import_models.py [--runs 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "importers"))

from yamlkit import (
    SAMM_SIZED_FUNCTIONS,
    SAMM_SIZED_PRACTICES,
    dsomm_sized_yaml,
    write_dsomm,
    write_samm,
)

from maturity_tui.cli import main
from maturity_tui.importers.source import read_yaml_documents


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def parse_all(files: list[Path]) -> None:
    for path in files:
        read_yaml_documents(path)


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        samm = write_samm(
            root / "samm", functions=SAMM_SIZED_FUNCTIONS, practices=SAMM_SIZED_PRACTICES
        )
        dsomm = write_dsomm(root / "dsomm", dsomm_sized_yaml())
        cases = [
            ("samm", samm, sorted(samm.rglob("*.yml"))),
            ("dsomm", dsomm, [dsomm]),
        ]
        print(f"{'source':6} {'files':>5} {'KB':>6} {'parse ms':>9} {'import ms':>10} {'ratio':>6}")
        for kind, source, files in cases:
            out = root / f"{kind}.toml"
            argv = ["import", kind, str(source), "-o", str(out), "--force"]
            floor = median_ms(lambda files=files: parse_all(files), runs)
            with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):
                whole = median_ms(lambda argv=argv: main(argv), runs)
            size = sum(path.stat().st_size for path in files) / 1024
            print(
                f"{kind:6} {len(files):>5} {size:>6.0f} {floor:>9.1f} {whole:>10.1f}"
                f" {whole / floor:>5.2f}x"
            )


if __name__ == "__main__":
    main_bench()
