"""Score and board sessions for the HTML outputs' tests, with any text put in every place a
person or a model file writes: a SAMM-shaped score model of our own words (never SAMM's),
three groups of two dimensions, and the golden squad health check (the board)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from maturity_tui.domain import Session
from maturity_tui.storage import load_session

GOLDEN_INPUT = Path(__file__).parent / "data" / "golden" / "input"
STARTED = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
COVERAGE = [
    {"value": 0, "label": "No"},
    {"value": 0.25, "label": "Yes, for some"},
    {"value": 0.5, "label": "Yes, for at least half"},
    {"value": 1, "label": "Yes, for most or all"},
]
GROUPS = {"plan": ["goals", "policy"], "build": ["design", "testing"], "run": ["ops", "response"]}


def score_model(text: str = "") -> dict[str, Any]:
    """Six dimensions of two streams over three levels: each scores 0 to 3, as in SAMM."""
    dimensions, indicators = [], []
    for group, members in GROUPS.items():
        for n, dimension in enumerate(members):
            dimensions.append(
                {
                    "id": dimension,
                    "name": f"{dimension.capitalize()} {text}".strip(),
                    "short_name": dimension.capitalize()[:12],
                    "group": group,
                    **({"target": 1.5 + n} if group != "run" else {}),
                }
            )
            for level in (1, 2, 3):
                for stream in ("A", "B"):
                    indicators.append(
                        {
                            "id": f"{dimension}-{level}-{stream.lower()}",
                            "level": level,
                            "dimension": dimension,
                            "stream": stream,
                            "answers": "coverage",
                            "statement": f"{dimension} {level}{stream}: {text}".strip(),
                        }
                    )
    return {
        "format": "maturity-model",
        "format_version": 2,
        "id": "assurance-like",
        "name": f"Assurance {text}".strip(),
        "version": "0.2",
        "scoring": "score",
        "levels": [{"number": n, "name": f"Level {n} {text}".strip()} for n in (1, 2, 3)],
        "groups": [{"id": g, "name": f"{g.capitalize()} {text}".strip()} for g in GROUPS],
        "scale": {
            "contested_spread": 0.5,
            "points": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}],
        },
        "answer_sets": [{"id": "coverage", "points": COVERAGE}],
        "dimensions": dimensions,
        "indicators": indicators,
    }


def score_session(team: str, period: str, quarter: int, text: str = "") -> Session:
    """The team a little further along each quarter; one contested indicator, one not
    applicable, one unrated."""
    model = score_model(text)
    values = [0, 0.25, 0.5, 1]
    ratings: list[dict[str, Any]] = []
    for n, indicator in enumerate(model["indicators"]):
        if n == 5:
            continue  # unrated
        agreed = values[min(3, (n * 7 + quarter * 3) % 5)] if indicator["level"] < 3 else 0
        ratings.append({"indicator": indicator["id"], "consensus": agreed})
    ratings[1] = {"indicator": ratings[1]["indicator"], "votes": {"Ana": 0, "Ben": 1}}
    ratings[2] |= {"not_applicable": True, "notes": text or "no such thing here"}
    started = STARTED + timedelta(days=91 * quarter)
    return Session.model_validate(
        {
            "format": "maturity-session",
            "format_version": 2,
            "id": f"{team.lower().split()[0]}-{period.lower()}",
            "team": team,
            "title": f"Assurance check {text}".strip(),
            "facilitator": text or "Dana",
            "period": period,
            "started_at": started,
            "updated_at": started,
            "participants": ["Ana", "Ben"],
            "model": model,
            "ratings": ratings,
            "actions": [{"id": 1, "title": f"Write the plan {text}".strip(), "owner": "Ben"}],
        }
    )


def board_session(name: str = "vega-2026-q4.toml", text: str = "") -> Session:
    """The golden squad health check, with `text` in its team, cards and answers."""
    session = load_session(GOLDEN_INPUT / name)
    if not text:
        return session
    data = session.model_dump(mode="python")
    data["team"] = f"Team {text}"
    for indicator in data["model"]["indicators"]:
        indicator["statement"] = f"{indicator['statement']} {text}"
    for point in data["model"]["scale"]["points"]:
        point["label"] = f"{point['label']} {text}"
    return Session.model_validate(data)
