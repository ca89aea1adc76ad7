"""A generated large model, the size of a published one: 200 indicators in 20 dimensions.

No published text: names and statements are made of a few invented words, with long
dimension names that share their first words (as published models' do), so cut names
would collide.
"""

from __future__ import annotations

from tuikit import build_session, model_with

from maturity_tui.domain import MaturityModel, Session

GROUPS = ["Governance", "Design", "Implementation", "Verification", "Operations"]
TOPICS = ["records", "reviews", "automation", "training"]
INDICATORS_PER_DIMENSION = 10


def dimension_name(group: str, topic: str) -> str:
    return f"{group} practices for {topic} across every team"


def large_model() -> MaturityModel:
    """20 dimensions (5 groups of 4 topics), 10 indicators each, levels 1-5 in turn."""
    dimensions = [
        {"id": f"{group.lower()}-{topic}", "name": dimension_name(group, topic)}
        for group in GROUPS
        for topic in TOPICS
    ]
    indicators = [
        {
            "id": f"{dimension['id']}-{n + 1}",
            "level": n % 5 + 1,
            "dimension": dimension["id"],
            "statement": f"Step {n + 1} of {dimension['name'].lower()} is written down "
            f"and kept current by its owner",
            "guidance": "\n".join(
                f"Point {line + 1}: ask who keeps step {n + 1} and how often it is read."
                for line in range(12)
            ),
        }
        for dimension in dimensions
        for n in range(INDICATORS_PER_DIMENSION)
    ]
    return model_with(id="large", name="Large model", dimensions=dimensions, indicators=indicators)


def large_session() -> Session:
    return build_session(model=large_model())


def grouped_large_model() -> MaturityModel:
    """The same 200 indicators as an imported format-2 model would have them: 5 groups, a
    short name on half the dimensions (the other half told apart by their long names),
    levels named "Level N", links and a source id on every indicator, every third one
    depending on the one before it, and the model's source and licence."""
    data = large_model().model_dump(mode="python", exclude_none=True)
    data["format_version"] = 2
    data["source"] = {
        "name": "Large test model",
        "version": "1.0",
        "url": "https://example.org/large",
        "license": "CC BY-SA 4.0",
    }
    data["levels"] = [{"number": n, "name": f"Level {n}"} for n in range(1, 6)]
    data["groups"] = [{"id": group.lower(), "name": group} for group in GROUPS]
    for dimension in data["dimensions"]:
        group, _, topic = dimension["id"].partition("-")
        dimension["group"] = group
        if topic in TOPICS[:2]:
            dimension["short_name"] = f"{group[:3].title()} {topic}"
    for n, indicator in enumerate(data["indicators"]):
        indicator["ref"] = f"REF-{n + 1:03d}"
        indicator["links"] = [
            {"title": f"Reading for step {n + 1}", "url": f"https://example.org/step/{n + 1}"},
            {"title": "Tool [bold]x[/]", "url": "https://example.org/tool?a=1&b=[2]"},
        ]
        if n % 3 == 1:
            indicator["depends_on"] = [data["indicators"][n - 1]["id"]]
    return MaturityModel.model_validate(data)


def grouped_large_session() -> Session:
    return build_session(model=grouped_large_model())
