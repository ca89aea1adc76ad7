"""OWASP DSOMM's published `generated/model.yaml` as a format-2 staged model.

The file is a `meta` document (version, release date) and one mapping of dimension →
sub-dimension → activity name → activity. DESIGN's mapping: a staged model with no overall
level (DSOMM places a team per sub-dimension only); groups = dimensions, dimensions =
sub-dimensions, levels 1-5, answers "not yet / partly / implemented", `depends_on` from
`dependsOn` (by uuid, or by name in older releases).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from maturity_tui.importers.source import (
    Ids,
    ImportFailed,
    field,
    read_yaml_documents,
    short_names,
    text_items,
)

LEVELS = range(1, 6)

SOURCE = {
    "name": "OWASP DevSecOps Maturity Model (DSOMM)",
    "url": "https://dsomm.owasp.org/",
    # The DevSecOps-MaturityModel-data repository's LICENSE: GNU GPL version 3.
    "license": "GPL-3.0",
}

SCALE = {
    "achieved_at": 1,
    "contested_spread": 1,
    "points": [
        {"value": 0, "label": "Not yet"},
        {"value": 0.5, "label": "Partly"},
        {"value": 1, "label": "Implemented"},
    ],
}

GUIDANCE_FIELDS = (("description", None), ("measure", "Measure"), ("risk", "Risk"))


def read_dsomm(path: Path) -> dict[str, Any]:
    """The format-2 model data of DSOMM's model.yaml at `path` (not yet validated)."""
    documents = [doc for doc in read_yaml_documents(path) if isinstance(doc, dict)]
    meta: dict[str, Any] = next(
        (doc["meta"] for doc in documents if isinstance(doc.get("meta"), dict)), {}
    )
    tree = next((doc for doc in documents if "meta" not in doc), None)
    if not tree:
        raise ImportFailed(
            path,
            "expected DSOMM's generated/model.yaml: a mapping of dimension → sub-dimension "
            "→ activity (found no such mapping)",
        )
    activities = list(_activities(path, tree))
    if not activities:
        raise ImportFailed(path, "expected DSOMM activities under dimension → sub-dimension")

    group_ids, dimension_ids, indicator_ids = Ids(), Ids(), Ids()
    groups = {dimension: group_ids.new(dimension, "dimension") for dimension in tree}
    pairs = dict.fromkeys((dimension, sub) for dimension, sub, _, _ in activities)
    dimensions = {pair: dimension_ids.new(pair[1], "sub-dimension") for pair in pairs}
    ids = {uuid_of(name, a): indicator_ids.new(name, "activity") for _, _, name, a in activities}
    by_name = {name: ids[uuid_of(name, a)] for _, _, name, a in activities}
    short = short_names({dimension_id: sub for (_, sub), dimension_id in dimensions.items()})
    version = str(meta.get("version") or "unknown")
    return {
        "format": "maturity-model",
        "format_version": 2,
        "id": "owasp-dsomm",
        "name": "OWASP DevSecOps Maturity Model",
        "version": version,
        "description": "OWASP DSOMM, imported from its published model.yaml: levels per "
        "sub-dimension, with no overall level.",
        "scoring": "staged",
        "overall_level": False,
        "source": {**SOURCE, "version": version},
        "scale": SCALE,
        "levels": [{"number": number, "name": f"Level {number}"} for number in LEVELS],
        "groups": [{"id": group_id, "name": name} for name, group_id in groups.items()],
        "dimensions": [
            {"id": dimension_id, "name": sub, "group": groups[dimension]}
            | ({"short_name": short[dimension_id]} if dimension_id in short else {})
            for (dimension, sub), dimension_id in dimensions.items()
        ],
        "indicators": [
            _indicator(path, name, activity, ids[uuid_of(name, activity)])
            | {"dimension": dimensions[(dimension, sub)]}
            | _depends_on(path, name, activity, ids, by_name)
            for dimension, sub, name, activity in activities
        ],
    }


def _activities(path: Path, tree: dict[str, Any]) -> Any:
    for dimension, subs in tree.items():
        if not isinstance(subs, dict):
            raise ImportFailed(path, f"expected dimension {dimension!r} to map sub-dimensions")
        for sub, activities in subs.items():
            if not isinstance(activities, dict):
                raise ImportFailed(path, f"expected sub-dimension {sub!r} to map activities")
            for name, activity in activities.items():
                if not isinstance(activity, dict):
                    raise ImportFailed(path, f"expected activity {name!r} to be a mapping")
                yield str(dimension), str(sub), str(name), activity


def uuid_of(name: str, activity: dict[str, Any]) -> str:
    """The activity's uuid; older releases without one are keyed by name."""
    uuid = activity.get("uuid")
    return str(uuid) if uuid is not None else name


def _indicator(
    path: Path, name: str, activity: dict[str, Any], indicator_id: str
) -> dict[str, Any]:
    level = field(path, activity, "level", int)
    if level not in LEVELS:
        raise ImportFailed(path, f"activity {name!r}: level {level} is not one of 1-5")
    indicator: dict[str, Any] = {
        "id": indicator_id,
        "level": level,
        "statement": name.strip(),
        "ref": uuid_of(name, activity),
    }
    guidance = _guidance(activity)
    if guidance:
        indicator["guidance"] = guidance
    links = _links(activity)
    if links:
        indicator["links"] = links
    return indicator


def _guidance(activity: dict[str, Any]) -> str:
    """DSOMM's description, measure and risk (and its assessment and guide), in that order."""
    parts = []
    meta = activity.get("meta")
    guide = str(meta.get("implementationGuide") or "").strip() if isinstance(meta, dict) else ""
    for key, title in (*GUIDANCE_FIELDS, ("assessment", "Assessment")):
        text = str(activity.get(key) or "").strip()
        if text:
            parts.append(f"{title}: {text}" if title else text)
    if guide:
        parts.append(f"Implementation guide: {guide}")
    return "\n\n".join(parts)


def _links(activity: dict[str, Any]) -> list[dict[str, str]]:
    """The tools and references DSOMM lists with a URL, once each."""
    links: list[dict[str, str]] = []
    seen: set[str] = set()
    for tool in activity.get("implementation") or []:
        if isinstance(tool, dict) and isinstance(tool.get("url"), str) and tool["url"] not in seen:
            seen.add(tool["url"])
            title = str(tool.get("name") or tool["url"]).strip()
            links.append({"title": title, "url": tool["url"].strip()})
    return links


def _depends_on(
    path: Path, name: str, activity: dict[str, Any], ids: dict[str, str], by_name: dict[str, str]
) -> dict[str, Any]:
    needs = []
    for reference in text_items(activity.get("dependsOn")):
        target = ids.get(reference) or by_name.get(reference)
        if target is None:
            raise ImportFailed(path, f"activity {name!r} depends on unknown activity {reference!r}")
        needs.append(target)
    return {"depends_on": needs} if needs else {}
