"""OWASP SAMM's published model folder (`model/` of owaspsamm/core) as a format-2 score model.

The folder holds one YAML file per business function, security practice, stream, practice
level, activity, question, answer set and maturity level, linked by GUIDs. DESIGN's mapping:
groups = business functions, dimensions = security practices, streams = streams, levels
1-3, one indicator per question with its own answer set, scored by SAMM's arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maturity_tui.importers.source import (
    ImportFailed,
    field,
    read_yaml_mapping,
    slug,
    text_items,
)

FOLDERS = (
    "business_functions",
    "security_practices",
    "streams",
    "maturity_levels",
    "practice_levels",
    "activities",
    "questions",
    "answer_sets",
)

SOURCE = {
    "name": "OWASP SAMM",
    "url": "https://owaspsamm.org/",
    # The core model repository's licence.txt: Creative Commons Attribution-ShareAlike 4.0.
    "license": "CC BY-SA 4.0",
}

_MODEL_VERSION = re.compile(r"SAMM(\d)(\d+)")


@dataclass(frozen=True, slots=True)
class Item:
    """One YAML file of the folder: where it is (for messages) and what it says."""

    path: Path
    data: dict[str, Any]

    def get(self, key: str, kind: type | tuple[type, ...] = str) -> Any:
        return field(self.path, self.data, key, kind)


def model_folder(path: Path) -> Path:
    """The folder of the YAML files: PATH itself, or PATH/model for the repository's root."""
    for candidate in (path, path / "model"):
        if all((candidate / name).is_dir() for name in FOLDERS):
            return candidate
    if not path.is_dir():
        raise ImportFailed(path, "no such folder (expected OWASP SAMM's model/ folder)")
    missing = [name for name in FOLDERS if not (path / name).is_dir()]
    raise ImportFailed(
        path,
        "not an OWASP SAMM model folder: no "
        + ", ".join(f"{name}/" for name in missing)
        + " (expected the model/ folder of owaspsamm/core, or the repository's root)",
    )


def _items(folder: Path, kind: str, expected: str) -> dict[str, Item]:
    """Every file of one kind, by its GUID."""
    items: dict[str, Item] = {}
    for path in sorted((folder / kind).glob("*.y*ml")):
        item = Item(path, read_yaml_mapping(path, expected))
        items[str(item.get("id"))] = item
    if not items:
        raise ImportFailed(folder / kind, f"no {expected} files (*.yml)")
    return items


def _linked(item: Item, key: str, targets: dict[str, Item], what: str) -> Item:
    target = targets.get(str(item.get(key)))
    if target is None:
        raise ImportFailed(item.path, f"'{key}' names no {what} of the model")
    return target


def _order(item: Item) -> tuple[int, str]:
    order = item.data.get("order")
    return (order if isinstance(order, int) else 0, item.path.name)


def read_samm(path: Path) -> dict[str, Any]:
    """The format-2 model data of the SAMM folder at `path` (not yet validated)."""
    folder = model_folder(path)
    functions = _items(folder, "business_functions", "a business function")
    practices = _items(folder, "security_practices", "a security practice")
    streams = _items(folder, "streams", "a stream")
    maturity = _items(folder, "maturity_levels", "a maturity level")
    practice_levels = _items(folder, "practice_levels", "a practice level")
    activities = _items(folder, "activities", "an activity")
    questions = _items(folder, "questions", "a question")
    answer_sets = _items(folder, "answer_sets", "an answer set")

    group_ids = {guid: slug(item.get("name"), "function") for guid, item in functions.items()}
    dimension_ids = {guid: slug(item.get("name"), "practice") for guid, item in practices.items()}
    set_ids = {guid: f"set-{slug(item.path.stem, 'x')}" for guid, item in answer_sets.items()}

    indicators = []
    for question in questions.values():
        activity = _linked(question, "activity", activities, "activity")
        stream = _linked(activity, "stream", streams, "stream")
        practice = _linked(stream, "practice", practices, "security practice")
        function = _linked(practice, "function", functions, "business function")
        level_item = _linked(activity, "level", practice_levels, "practice level")
        level = _linked(level_item, "maturityLevel", maturity, "maturity level").get("number", int)
        answers = _linked(question, "answerSet", answer_sets, "answer set")
        letter = stream.get("letter")
        ref = f"{function.get('name')[0]}-{practice.get('shortName')}-{level}-{letter}"
        sort_key = (_order(function), _order(practice), _order(stream), level, _order(question))
        indicators.append((sort_key, ref, question, activity, practice, answers, level, letter))

    indicators.sort(key=lambda entry: entry[0])
    per_ref: dict[str, int] = {}
    for _, ref, *_ in indicators:
        per_ref[ref] = per_ref.get(ref, 0) + 1
    used_sets: list[str] = []
    model_indicators = []
    for _, ref, question, activity, practice, answers, level, letter in indicators:
        if per_ref[ref] > 1:
            ref = f"{ref}-{question.get('order', int)}"
        if set_ids[str(answers.get("id"))] not in used_sets:
            used_sets.append(set_ids[str(answers.get("id"))])
        model_indicators.append(
            {
                "id": ref.lower(),
                "level": level,
                "dimension": dimension_ids[str(practice.get("id"))],
                "stream": letter,
                "answers": set_ids[str(answers.get("id"))],
                "ref": ref,
                "statement": question.get("text").strip(),
                "guidance": _guidance(activity, question),
            }
        )

    sets_by_id = {set_ids[guid]: item for guid, item in answer_sets.items()}
    first_function = min(functions.values(), key=_order)
    return {
        "format": "maturity-model",
        "format_version": 2,
        "id": "owasp-samm",
        "name": "OWASP SAMM",
        "version": _version(first_function),
        "description": "OWASP Software Assurance Maturity Model, imported from the published "
        "model files: one question per activity, scored by SAMM's arithmetic.",
        "scoring": "score",
        "source": {**SOURCE, "version": _version(first_function)},
        "scale": _scale(sets_by_id[used_sets[0]]),
        "answer_sets": [{"id": set_id, **_scale(sets_by_id[set_id])} for set_id in used_sets],
        "levels": [
            {
                "number": item.get("number", int),
                "name": f"Level {item.get('number', int)}",
                "characteristics": text_items([item.data.get("description")]),
            }
            for item in sorted(maturity.values(), key=lambda item: item.get("number", int))
        ],
        "groups": [
            {"id": group_ids[guid], "name": item.get("name").strip()}
            for guid, item in sorted(functions.items(), key=lambda pair: _order(pair[1]))
        ],
        "dimensions": [
            {
                "id": dimension_ids[guid],
                "name": item.get("name").strip(),
                "short_name": item.get("shortName").strip(),
                "group": group_ids[str(item.get("function"))],
                "description": str(item.data.get("shortDescription") or "").strip() or None,
            }
            for guid, item in sorted(
                practices.items(),
                key=lambda pair: (_order(functions[str(pair[1].get("function"))]), _order(pair[1])),
            )
        ],
        "indicators": model_indicators,
    }


def _version(function: Item) -> str:
    """The model's version from its id ("SAMM20" is 2.0); "unknown" when it has none."""
    match = _MODEL_VERSION.fullmatch(str(function.data.get("model", "")))
    return f"{match[1]}.{match[2]}" if match else "unknown"


def _scale(answer_set: Item) -> dict[str, Any]:
    """An answer set's points, lowest first, with SAMM's halfway answer as "achieved"."""
    values = answer_set.get("values", list)
    points = []
    for answer in sorted(values, key=lambda a: a.get("order", 0) if isinstance(a, dict) else 0):
        if not isinstance(answer, dict):
            raise ImportFailed(answer_set.path, "expected each of 'values' to be a mapping")
        points.append(
            {
                "value": field(answer_set.path, answer, "value", (int, float)),
                "label": str(field(answer_set.path, answer, "text")).strip(),
            }
        )
    if len(points) < 2:
        raise ImportFailed(answer_set.path, "expected at least two answers in 'values'")
    middle = points[len(points) // 2]["value"]
    return {"achieved_at": middle, "contested_spread": middle, "points": points}


def _guidance(activity: Item, question: Item) -> str:
    """The activity the question measures, and SAMM's quality criteria for a "yes"."""
    parts = [f"{str(activity.get('title')).strip()}."]
    summary = str(activity.data.get("shortDescription") or "").strip()
    if summary:
        parts.append(summary)
    criteria = text_items(question.data.get("quality"))
    if criteria:
        parts.append("Quality criteria:\n" + "\n".join(f"- {line}" for line in criteria))
    return "\n\n".join(parts)
