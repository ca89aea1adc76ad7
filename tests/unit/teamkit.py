"""Sessions of a team on the built-in model, for the tests of history, readings and trends."""

from __future__ import annotations

from datetime import UTC, date, datetime

from maturity_tui.domain import Action, MaturityModel, Session, new_session
from maturity_tui.storage import slugify

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def session(
    model: MaturityModel, team: str, period: str, started: datetime = NOW, sid: str = ""
) -> Session:
    return new_session(
        sid or slugify(f"{team} {period}"),
        model,
        team,
        participants=["Ana", "Ben"],
        period=period,
        now=started,
    )


def with_actions(s: Session, *statuses: str) -> Session:
    for number, status in enumerate(statuses, start=1):
        s.actions.append(
            Action.model_validate(
                {
                    "id": number,
                    "title": f"Action {number} [bold]",
                    "owner": "Ben",
                    "due": date(2027, 1, 31),
                    "indicator": "scheduled-interactions",
                    "status": status,
                }
            )
        )
    return s
