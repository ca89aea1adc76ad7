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
