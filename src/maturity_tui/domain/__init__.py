"""The file formats as pydantic models: the one source of truth for files and JSON Schema."""

from maturity_tui.domain.model import (
    Dimension,
    Indicator,
    Level,
    MaturityModel,
    Metric,
    Scale,
    ScalePoint,
)
from maturity_tui.domain.session import (
    Action,
    Rating,
    Reading,
    Session,
    Voting,
    new_session,
    quarter_of,
)

__all__ = [
    "Action",
    "Dimension",
    "Indicator",
    "Level",
    "MaturityModel",
    "Metric",
    "Rating",
    "Reading",
    "Scale",
    "ScalePoint",
    "Session",
    "Voting",
    "new_session",
    "quarter_of",
]
