"""The portfolio over a folder of several teams, models and periods, with a sync tool's copy."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from maturity_tui.domain import Session
from maturity_tui.export import portfolio_csv, portfolio_json, portfolio_text
from maturity_tui.portfolio import build_portfolio
from maturity_tui.standing import NONE
from maturity_tui.storage import save_session

DIMENSIONS = {"a": "listen", "b": "listen", "c": "measure", "d": "measure"}
START = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


Builder = Callable[..., dict[str, Any]]


def sessions(model: Builder, data: Builder) -> list[Session]:
    """Apollo over three quarters (its name spelled two ways), Zephyr on another model, and
    Mir with one session."""
    staged = model(dimensions=DIMENSIONS)
    other = model({"x": 1, "y": 2}, levels=2) | {"id": "other", "name": "Other model"}

    def session(
        team: str, period: str, quarter: int, votes: dict[str, int], **extra: Any
    ) -> Session:
        started = START + timedelta(days=91 * quarter)
        return Session.model_validate(
            data(
                extra.pop("model", staged),
                {key: [value] for key, value in votes.items()},
                id=f"{team.strip().lower()}-{period.lower()}",
                team=team,
                period=period,
                started_at=started,
                updated_at=started,
                **extra,
            )
        )

    actions = [
        {"id": 1, "title": "Ask", "status": "open"},
        {"id": 2, "title": "Do", "status": "done"},
    ]
    return [
        session("Apollo", "2026-Q1", 0, {"a": 4}),
        session("apollo ", "2026-Q2", 1, {"a": 4, "b": 4, "c": 2}),
        session("Apollo", "2026-Q3", 2, {"a": 5, "b": 4, "c": 4, "d": 4}, actions=actions),
        session("Zephyr", "2026-Q2", 1, {"x": 4}, model=other),
        session("Zephyr", "2026-Q3", 2, {"x": 2}, model=other),
        session("Mir", "2026-Q2", 1, {}),
    ]


@pytest.fixture
def folder(tmp_path: Path, make_model: Builder, session_data: Builder) -> Path:
    """The sessions, a conflicted copy of Apollo's Q2 and a file that does not load."""
    for each in sessions(make_model, session_data):
        save_session(each, tmp_path / f"{each.id}.toml")
    shutil.copyfile(
        tmp_path / "apollo-2026-q2.toml", tmp_path / "apollo-2026-q2 (conflicted copy).toml"
    )
    (tmp_path / "broken.toml").write_text("format = [", encoding="utf-8")
    return tmp_path


def test_each_team_shows_at_its_latest_session_grouped_by_model(folder: Path) -> None:
    portfolio = build_portfolio(folder)
    assert [(g.model_id, [t.team for t in g.teams]) for g in portfolio.groups] == [
        ("other", ["Zephyr"]),
        ("tiny", ["Apollo", "Mir"]),
    ]
    apollo = portfolio.groups[1].teams[0]
    assert apollo.session.period == "2026-Q3"
    assert apollo.level == 3
    assert apollo.dimension_levels == {"listen": 3, "measure": 3}
    assert apollo.open_actions == 1


def test_one_team_whatever_the_spelling_and_the_conflicted_copy_counted_once(folder: Path) -> None:
    portfolio = build_portfolio(folder)
    apollo = portfolio.groups[1].teams[0]
    assert [p.period for p in apollo.history] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert [p.level for p in apollo.history] == [1, 1, 3]
    assert apollo.level_delta == 2
    (conflict,) = portfolio.conflicts
    assert conflict.session_id == "apollo-2026-q2"
    assert conflict.counted.name == "apollo-2026-q2.toml"
    assert [p.name for p in conflict.others] == ["apollo-2026-q2 (conflicted copy).toml"]
    assert [error.path.name for error in portfolio.unreadable] == ["broken.toml"]


def test_a_period_shows_each_team_at_that_period_and_names_the_teams_without_one(
    folder: Path,
) -> None:
    portfolio = build_portfolio(folder, "2026-q2")
    shown = {t.team: t.session.period for t in portfolio.teams}
    assert shown == {"apollo": "2026-Q2", "Mir": "2026-Q2", "Zephyr": "2026-Q2"}
    assert [p.period for p in portfolio.teams[0].history] == ["2026-Q1", "2026-Q2"]
    assert build_portfolio(folder, "2026-Q1").missing_period == ("Mir", "Zephyr")


def test_json_follows_design(folder: Path) -> None:
    data = json.loads(portfolio_json(build_portfolio(folder)))
    assert list(data)[:2] == ["format", "format_version"]
    assert data["format"] == "maturity-portfolio"
    assert [t["team"] for t in data["teams"]] == ["Apollo", "Mir", "Zephyr"]
    apollo = data["teams"][0]
    for key in ("team", "session", "period", "scoring", "level", "score", "dimensions"):
        assert key in apollo
    assert apollo["dimensions"] == {"listen": 3, "measure": 3}
    assert apollo["history"][-1] == {
        "period": "2026-Q3",
        "session": "apollo-2026-q3",
        "level": 3,
        "score": None,
        "board": None,
    }
    assert apollo["open_actions"] == 1 and apollo["board"] is None
    assert data["conflicts"][0]["others"] == ["apollo-2026-q2 (conflicted copy).toml"]


def test_text_and_csv_name_the_conflict_once_and_count_the_session_once(folder: Path) -> None:
    portfolio = build_portfolio(folder)
    text = portfolio_text(portfolio)
    assert "1→1→3 ▲" in text
    assert text.count("Conflict: apollo-2026-q2") == 1
    assert "Unreadable: broken.toml" in text
    rows = portfolio_csv(portfolio).splitlines()
    assert rows[0] == "model,team,session,period,measure,id,value"
    assert sum(1 for row in rows if ",level," in row) == 3, "one level row per team"


def test_an_empty_folder_is_an_empty_portfolio(tmp_path: Path) -> None:
    portfolio = build_portfolio(tmp_path)
    assert portfolio.groups == () and "No sessions." in portfolio_text(portfolio)


GOLDEN_INPUT = Path(__file__).parents[1] / "data" / "golden" / "input"


def test_a_boards_trend_is_its_red_and_amber_cards_and_scores_print_two_decimals(
    tmp_path: Path,
) -> None:
    """Vega's board went from 2 red 5 amber to 1 red 2 amber: that is its trend, not two dashes;
    Orion's dimension scores print like its score, to two decimals."""
    for name in ("vega-2026-q3.toml", "vega-2026-q4.toml", "orion-2026-q4.toml"):
        shutil.copy(GOLDEN_INPUT / name, tmp_path / name)
    text = portfolio_text(build_portfolio(tmp_path))
    vega = next(line for line in text.splitlines() if line.strip().startswith("Vega"))
    assert "red 2→1, amber 5→2" in vega and f"{NONE}→{NONE}" not in vega
    orion = next(line for line in text.splitlines() if line.strip().startswith("Orion"))
    assert orion.split()[2:5] == ["1.15", "1.30", "1.00"]
    assert "Board" in text and "Score" in text
    teams = json.loads(portfolio_json(build_portfolio(tmp_path)))["teams"]
    assert [team["team"] for team in teams] == ["Orion", "Vega"]
    assert teams[1]["board"] == {"red": 1, "amber": 2, "green": 7, "unrated": 0}
    assert [point["board"]["red"] for point in teams[1]["history"]] == [2, 1]
