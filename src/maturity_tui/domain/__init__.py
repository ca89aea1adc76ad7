"""The file formats as pydantic models: the one source of truth for files and JSON Schema."""

from maturity_tui.domain.model import (
    AnswerSet,
    Color,
    Dimension,
    Group,
    Indicator,
    Level,
    MaturityModel,
    Metric,
    Scale,
    ScalePoint,
    Scoring,
    Source,
)
from maturity_tui.domain.session import (
    Action,
    Rating,
    Reading,
    Session,
    Trend,
    Voting,
    new_session,
    quarter_of,
)

__all__ = [
    "Action",
    "AnswerSet",
    "Color",
    "Dimension",
    "Group",
    "Indicator",
    "Level",
    "MaturityModel",
    "Metric",
    "Rating",
    "Reading",
    "Scale",
    "ScalePoint",
    "Scoring",
    "Session",
    "Source",
    "Trend",
    "Voting",
    "new_session",
    "quarter_of",
]
