"""Every SVG snapshot belongs to a test. syrupy fails a run that leaves one unused, but only in
one process: under pytest-xdist each worker sees a part of the run, so this test does it."""

from __future__ import annotations

import re
from pathlib import Path

SNAPSHOTS = Path(__file__).with_name("__snapshots__")


def test_every_svg_snapshot_belongs_to_a_collected_test(
    collected_tests: set[tuple[Path, str]],
) -> None:
    modules = {path for path, _ in collected_tests}
    unused = []
    for svg in sorted(SNAPSHOTS.glob("*/*.svg")):
        module = SNAPSHOTS.parent / f"{svg.parent.name}.py"
        if module.exists() and module not in modules:
            continue  # a run of other files: it cannot tell
        test = re.sub(r"\.\d+$", "", svg.stem)  # a test's second snapshot is `name.1.svg`
        if (module, test) not in collected_tests:
            unused.append(str(svg.relative_to(SNAPSHOTS)))
    assert unused == [], "no test makes these: delete them (or run --snapshot-update)"
