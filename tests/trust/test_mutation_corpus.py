"""The mutation corpus as a test (issue 18): thousands of seeded mutants of the good files.

Each mutant is either refused with a LoadError naming the file (one line per problem, no
other exception), or accepted, and then survives every report, export and comparison
output, a save and a load back. A new seed each day would find new mutants; a fixed one
keeps a failure reproducible: the failing mutant is written out in full by the assertion.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from maturity_tui.compare import compare_sessions
from maturity_tui.domain import Session
from maturity_tui.outputs import ACTIONS, COMPARE, REPORT, outputs_of
from maturity_tui.storage import (
    LoadError,
    dumps_session,
    load_any,
    load_session,
    parse_any,
    parse_session,
    save_session,
)

GOOD = Path(__file__).parents[1] / "data" / "good"
SEED = 18
MUTANTS_PER_FILE = 1000
FULL_EVERY = 10
"""Every tenth accepted mutant also goes through HTML and a real save to disk."""

VALUES = [
    "0",
    "-1",
    "1",
    "3",
    "5",
    "99",
    "1000000000000000",
    "10000000000000000",
    "9223372036854775807",
    "-9223372036854775808",
    "0x10",
    "1_000",
    "1.7e308",
    "-1.7e308",
    "5e-324",
    "nan",
    "-inf",
    "+inf",
    "0.1",
    '""',
    '" "',
    '"[/]"',
    '"\\u001b[31mred"',
    '"\\u2028"',
    "'''a\nb'''",
    '"x"',
    "true",
    "false",
    "[]",
    "[1, 2, 3]",
    '["Ana", "Ana"]',
    "{}",
    "{ Ana = 3 }",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "1979-05-27",
    "1979-05-27T07:32:00",
    "2026-02-30T00:00:00Z",
    "07:32:00",
]
"""Values TOML allows (and a few it does not), at the edges of what the formats accept."""


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    n = rng.randrange(len(lines))
    kind = rng.randrange(7)
    if kind == 0:  # a value replaced
        key, sep, _ = lines[n].partition("=")
        lines[n] = f"{key}{sep or ' ='} {rng.choice(VALUES)}"
    elif kind == 1:  # a line dropped
        del lines[n]
    elif kind == 2:  # a line repeated elsewhere
        lines.insert(rng.randrange(len(lines)), lines[n])
    elif kind == 3:  # two lines swapped
        m = rng.randrange(len(lines))
        lines[n], lines[m] = lines[m], lines[n]
    elif kind == 4:  # a character changed
        line = lines[n]
        at = rng.randrange(len(line) + 1)
        lines[n] = line[:at] + rng.choice("[]{}=\"'#,.\\\x00\x1b\u2028 -09aZ") + line[at + 1 :]
    elif kind == 5:  # cut short
        return text[: rng.randrange(len(text))]
    else:  # a key renamed
        key, sep, value = lines[n].partition("=")
        if sep:
            lines[n] = f"{rng.choice(['id', 'value', 'votes', 'consensus', 'x', 'level'])} ={value}"
    return "\n".join(lines)


def no_number_json(constant: str) -> float:
    raise AssertionError(f"JSON output holds {constant}")


def survives(session: Session, original: Session, folder: Path, *, in_full: bool) -> None:
    """Every output renders (JSON without NaN or Infinity), and the session saves and loads
    back equal. HTML and the save to disk only `in_full`: they cost ten times the rest."""
    comparison = compare_sessions([original, session])
    renders = [(output, session) for output in [*outputs_of(REPORT), *outputs_of(ACTIONS)]]
    renders += [(output, comparison) for output in outputs_of(COMPARE)]
    for output, data in renders:
        if output.format.name == "html" and not in_full:
            continue
        rendered = output.render(data)
        if output.format.name == "json":
            json.loads(rendered, parse_constant=no_number_json)
    saved = folder / "saved.toml"
    if in_full:
        save_session(session, saved)
        assert load_session(saved) == session
    else:
        assert parse_session(dumps_session(session).encode("utf-8"), saved) == session


def test_every_mutant_is_refused_plainly_or_survives_everything(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    path = tmp_path / "mutant.toml"  # named in messages; mutants are parsed from memory
    outcomes = {"refused": 0, "accepted": 0}
    for good in sorted(GOOD.glob("*.toml")):
        text = good.read_text(encoding="utf-8")
        original = load_any(good)
        for _ in range(MUTANTS_PER_FILE):
            mutant = mutate(text, rng)
            try:
                loaded = parse_any(mutant.encode("utf-8"), path)
            except LoadError as error:
                assert error.problems, mutant
                assert all(line.startswith(f"{path}: ") for line in error.lines()), mutant
                outcomes["refused"] += 1
                continue
            outcomes["accepted"] += 1
            if isinstance(loaded, Session) and isinstance(original, Session):
                try:
                    in_full = outcomes["accepted"] % FULL_EVERY == 1
                    survives(loaded, original, tmp_path, in_full=in_full)
                except Exception as error:
                    raise AssertionError(f"accepted mutant failed: {error!r}\n{mutant}") from error
    # Both sides are exercised: a generator that only breaks files would prove little.
    assert min(outcomes.values()) > MUTANTS_PER_FILE // 10, outcomes
