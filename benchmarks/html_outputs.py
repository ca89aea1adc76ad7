"""HTML outputs against the same command's JSON, in one run: `portfolio` over 100 teams x 8
quarters, and `report` of a 50 x 60 session.

    .venv/bin/python benchmarks/html_outputs.py [--runs 5] [--teams 100] [--quarters 8]

Each figure is the median of `--runs` cold processes (`python -m maturity_tui ...`, the
file written with -o), HTML beside JSON, and for the report also the renderers alone in
process. The portfolio's sessions are realistic ones (8 people x 20 indicators); its
folder is indexed once first (the library's index, as on a coach's machine), and the
first, unindexed run is reported too. The same 50 x 60 session, its model made a score
model (radar, grouped bars) and a board (cards, stacked bar), gives the renderers' figures
for those modes; `--renderers-only` measures those alone.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gen import synthetic_model, synthetic_session, write_sessions

from maturity_tui import storage
from maturity_tui.domain import Session
from maturity_tui.export import report_json
from maturity_tui.html_report import render_report
from maturity_tui.library_index import CACHE_ENV


def portfolio_folder(folder: Path, teams: int, quarters: int) -> int:
    """teams x quarters sessions of 8 people x 20 indicators, one team per name."""
    model = synthetic_model(20)
    rng = random.Random(7)
    for team in range(teams):
        for quarter in range(quarters):
            session = synthetic_session(team * quarters + quarter + 1, model, 8, rng)
            session.team = f"Team {team:03d}"
            session.period = f"{2025 + quarter // 4}-Q{quarter % 4 + 1}"
            session.id = f"team-{team:03d}-{session.period.lower()}"
            text = storage.dumps_session(session)
            (folder / f"{session.id}.toml").write_text(text, encoding="utf-8", newline="\n")
    return teams * quarters


def as_mode(session: Session, mode: str) -> Session:
    """The session on its model made a score model (groups of dimensions, targets) or a
    board (no levels, a colour per answer): the same votes, the other charts."""
    data = session.model_dump(mode="python")
    model = data["model"]
    model |= {"format_version": 2, "scoring": mode}
    data["format_version"] = 2
    if mode == "score":
        model["groups"] = [{"id": "left", "name": "Left"}, {"id": "right", "name": "Right"}]
        for n, dimension in enumerate(model["dimensions"]):
            dimension |= {"group": ("left", "right")[n % 2], "target": 30.0 + n}
    else:
        del model["levels"]
        for indicator in model["indicators"]:
            del indicator["level"]
        colours = ["red", "red", "amber", "green", "green"]
        for point, colour in zip(model["scale"]["points"], colours, strict=True):
            point["color"] = colour
    return Session.model_validate(data)


def process_seconds(args: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "maturity_tui", *args], check=True, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def in_process_seconds(render: object, data: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render(data)  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def line(name: str, html: float, json: float) -> None:
    times = f"html {html * 1000:8.1f} ms   json {json * 1000:8.1f} ms"
    print(f"  {name:<48} {times}   {html / json:5.2f}x")


def html_and_json(command: list[str], out: Path, env: dict[str, str], runs: int) -> list[float]:
    """The command as a process writing HTML, then JSON: median seconds of each."""
    return [
        process_seconds([*command, "--format", fmt, "-o", str(out / f"out.{fmt}")], env, runs)
        for fmt in ("html", "json")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--renderers-only", action="store_true", help="the in-process lines")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        env = {**os.environ, CACHE_ENV: str(base / "cache")}
        out = base / "out"
        out.mkdir()

        if not args.renderers_only:
            folder = base / "portfolio"
            folder.mkdir()
            count = portfolio_folder(folder, args.teams, args.quarters)
            print(f"portfolio: {count} sessions ({args.teams} teams x {args.quarters} quarters)")
            common = ["portfolio", "--sessions-dir", str(folder)]
            json_args = [*common, "--format", "json", "-o", str(out / "p.json")]
            first = process_seconds(json_args, env, 1)
            print(f"  first run, building the folder's index        json {first * 1000:8.1f} ms")
            line("portfolio, indexed folder (process)", *html_and_json(common, out, env, args.runs))

        (path,) = write_sessions(base / "big", 1, 50, 60)
        print(f"report: one session of 50 x 60 ({path.stat().st_size / 1024:.1f} KB)")
        if not args.renderers_only:
            report = ["report", str(path)]
            line("report (process)", *html_and_json(report, out, env, args.runs))
        session = storage.load_session(path)
        render_report(session)  # templates compiled once, as in any process's first page
        for name, shown in (
            ("report", session),
            ("score report", as_mode(session, "score")),
            ("board report", as_mode(session, "board")),
        ):
            line(
                f"{name} renderer alone (in process, warm)",
                in_process_seconds(render_report, shown, args.runs * 4),
                in_process_seconds(report_json, shown, args.runs * 4),
            )


if __name__ == "__main__":
    main()
