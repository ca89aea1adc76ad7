"""Synthetic sessions for benchmarks: N sessions of P people x I indicators, saved as the app does.

Usage: python benchmarks/gen.py OUT_DIR [--count 1000] [--participants 50] [--indicators 60]
Other benchmarks import it (`from gen import write_sessions`): run them from anywhere, the
script's own folder is on sys.path.
"""

from __future__ import annotations

import argparse
import compileall
import random
import statistics
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import maturity_tui
from maturity_tui import storage
from maturity_tui.domain import Action, MaturityModel, Reading, Session, new_session

LEVELS = 5
DIMENSIONS = ["listening", "understanding", "involvement", "measurement", "experience"]
START = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
FIRST_NAMES = [
    "Ana",
    "Ben",
    "Caro",
    "Dev",
    "Elif",
    "Farid",
    "Gus",
    "Hana",
    "Ivo",
    "Jade",
    "Kai",
    "Lena",
    "Milo",
    "Nora",
    "Omar",
    "Pia",
    "Quin",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Vik",
    "Wen",
    "Xena",
    "Yuri",
    "Zoe",
    "Abel",
    "Bea",
    "Cyril",
    "Dora",
    "Emil",
    "Fay",
    "Gil",
    "Hugo",
    "Ines",
    "Jon",
    "Kim",
    "Lior",
    "Mae",
    "Nils",
    "Olga",
    "Paul",
    "Rhea",
    "Sven",
    "Tom",
    "Ugo",
    "Vera",
    "Will",
    "Yara",
    "Zack",
]
"""Fifty short first names, as a real room has: they make up most of a session's bytes."""


def p95(samples: list[float]) -> float:
    """The 95th percentile, within the samples (the default `exclusive` method reaches past
    the slowest of a short run, e.g. a p95 of 48 ms over keys none slower than 41)."""
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def compile_bytecode() -> None:
    """maturity-tui's modules compiled to bytecode, as an installed package has them (pip
    compiles them on install), so that no timed process compiles them from source: an
    editable checkout under PYTHONDONTWRITEBYTECODE would (~60 ms a process), while the
    floors (tomllib, toml_rs, a minimal Textual app) come compiled. Says so where the
    package's folder is read-only.
    """
    if not compileall.compile_dir(Path(maturity_tui.__file__).parent, quiet=1):
        print("note: maturity-tui's bytecode could not be written: processes compile it")


def synthetic_model(indicators: int) -> MaturityModel:
    """A 5-level, 5-dimension model on a 1-5 scale, its indicators spread evenly over both."""
    return MaturityModel.model_validate(
        {
            "format": "maturity-model",
            "format_version": 1,
            "id": "synthetic",
            "name": "Synthetic benchmark model",
            "version": "1.0",
            "scale": {
                "achieved_at": 4,
                "contested_spread": 2,
                "points": [
                    {"value": value, "label": label}
                    for value, label in enumerate(
                        ["Not at all", "Rarely", "Sometimes", "Mostly", "Always"], start=1
                    )
                ],
            },
            "levels": [
                {
                    "number": n,
                    "name": f"Level {n}",
                    "characteristics": [f"What a team at level {n} is like."],
                    "advancement": [f"What moves a team beyond level {n}."],
                }
                for n in range(1, LEVELS + 1)
            ],
            "dimensions": [{"id": d, "name": d.capitalize()} for d in DIMENSIONS],
            "indicators": [
                {
                    "id": f"indicator-{n:03d}",
                    "level": n * LEVELS // indicators + 1,
                    "dimension": DIMENSIONS[n % len(DIMENSIONS)],
                    "statement": f"Statement number {n} that the room votes on",
                    "guidance": "Evidence to look for.",
                }
                for n in range(indicators)
            ],
            "metrics": [
                {"id": "csat", "name": "CSAT", "kind": "quantitative", "min": 0, "max": 100},
                {"id": "nps", "name": "NPS", "kind": "quantitative", "min": -100, "max": 100},
                {"id": "testimonials", "name": "Testimonials", "kind": "qualitative"},
            ],
        }
    )


def synthetic_session(
    number: int, model: MaturityModel, participants: int, rng: random.Random
) -> Session:
    """One complete named session: every participant votes on every indicator."""
    people = [
        FIRST_NAMES[p % len(FIRST_NAMES)] + (str(p // len(FIRST_NAMES)) if p >= 50 else "")
        for p in range(participants)
    ]
    started = START + timedelta(days=7 * number, minutes=rng.randrange(480))
    session = new_session(
        f"bench-{number:04d}",
        model,
        f"Team {number % 7 + 1}",
        participants=people,
        facilitator="Dana",
        now=started,
    )
    session.status = "complete"
    session.updated_at = started + timedelta(minutes=90)
    for indicator in model.indicators:
        rating = session.rating_or_new(indicator.id)
        centre = rng.randint(1, 5)
        rating.votes = {name: min(5, max(1, centre + rng.choice((-1, 0, 0, 1)))) for name in people}
        if rng.random() < 0.2:
            rating.consensus = centre
            rating.notes = "The room agreed after a short discussion."
    session.readings = [
        Reading(metric="csat", value=rng.randint(60, 90)),
        Reading(metric="nps", value=rng.randint(-10, 50), target=35),
        Reading(metric="testimonials", value="A customer praised the new onboarding."),
    ]
    session.actions = [
        Action(
            id=n,
            title=f"Improvement action {n}",
            indicator=model.indicators[n].id,
            owner=people[n % len(people)],
            due=date(2024, 12, 31),
            status=rng.choice(("open", "done", "dropped")),
        )
        for n in range(1, 4)
    ]
    return session


def open_rounds(session: Session, start: int) -> None:
    """Clear the votes and consensus of the indicators from `start` on: rounds still to be
    voted, where a digit casts a vote (a finished round is revealed, so locked)."""
    for indicator in session.model.indicators[start:]:
        rating = session.rating_or_new(indicator.id)
        rating.votes = rating.consensus = None


def write_sessions(folder: Path, count: int, participants: int, indicators: int) -> list[Path]:
    """Save `count` sessions into `folder` (made if needed); the same files every time.

    The text is `storage.dumps_session`'s, as every save writes it; written without the
    atomic save's two fsyncs, which would make 5,000 files take minutes for nothing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    model = synthetic_model(indicators)
    rng = random.Random(42)
    paths = []
    for number in range(1, count + 1):
        session = synthetic_session(number, model, participants, rng)
        path = storage.session_path(folder, session.id)
        path.write_text(storage.dumps_session(session), encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def cached_sessions(count: int, participants: int, indicators: int, base: Path) -> list[Path]:
    """`count` sessions of the shape in a folder under `base`, made the first time only."""
    folder = base / f"{participants}x{indicators}-{count}"
    paths = sorted(folder.glob("*.toml"))
    if len(paths) != count:
        print(f"generating {count} sessions of {participants} x {indicators} in {folder} ...")
        paths = write_sessions(folder, count, participants, indicators)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--indicators", type=int, default=60)
    args = parser.parse_args()
    paths = write_sessions(args.folder, args.count, args.participants, args.indicators)
    sizes = [path.stat().st_size for path in paths]
    print(f"{len(paths)} sessions in {args.folder}, {sum(sizes) / len(sizes) / 1024:.1f} KB each")


if __name__ == "__main__":
    main()
