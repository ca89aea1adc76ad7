"""The room API on format-2 models: a board's colours, a score model's decimal answers, and
trend votes (models with `trend = true`) hidden until the reveal, locked after it, cleared
by a re-vote, one per device."""

from __future__ import annotations

from pathlib import Path

from roomkit import STARTED, make_session, serve

from maturity_tui.domain import new_session
from maturity_tui.storage import load_model

BOARD = "squad-health-check"
SAMM_LIKE = Path(__file__).parents[1] / "data" / "good" / "samm-like-model.toml"


async def test_a_board_shows_each_answer_with_its_colour_and_asks_a_trend(tmp_path: Path) -> None:
    async with serve(tmp_path, make_session(model_id=BOARD)) as served, served.device() as ana:
        await ana.join(name="Ana")
        _, state = await ana.state()
        assert [(p["label"], p["color"]) for p in state["scale"]] == [
            ("Crappy", "red"),
            ("Some problems", "amber"),
            ("Awesome", "green"),
        ]
        assert state["indicator"]["level"] is None and state["indicator"]["level_name"] is None
        assert state["asks_trend"] is True and state["my_trend"] is None
        assert state["trend_voted"] == [] and state["trend_count"] == 0


async def test_a_model_without_trends_says_so_and_refuses_a_trend(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as ana:
        await ana.join(name="Ana")
        _, state = await ana.state()
        assert state["asks_trend"] is False and state["my_trend"] is None
        current = served.workshop.indicator.id
        assert await ana.trend(current, "up") == 400
        served.workshop.reveal()
        _, revealed = await ana.state()
        assert "trends" not in revealed["tally"] and "agreed_trend" not in revealed["tally"]
        assert not served.path.exists(), "nothing changed, so nothing was saved"


async def test_a_trend_vote_is_saved_hidden_until_the_reveal_then_locked(tmp_path: Path) -> None:
    async with (
        serve(tmp_path, make_session(model_id=BOARD)) as served,
        served.device() as ana,
        served.device() as ben,
    ):
        await ana.join(name="Ana")
        await ben.join(name="Ben")
        current = served.workshop.indicator.id
        assert await ana.trend(current, "up", value=1) == 204  # both at once
        assert await ben.trend(current, "down") == 204
        assert await ben.trend(current, "same") == 204  # changed
        rating = served.saved().rating(current)
        assert rating is not None and rating.votes == {"Ana": 1}
        assert rating.trend_votes == {"Ana": "up", "Ben": "same"}
        _, hidden = await ben.state()
        assert hidden["my_trend"] == "same" and hidden["my_vote"] is None
        assert hidden["trend_voted"] == ["Ana", "Ben"] and hidden["trend_count"] == 2
        assert "tally" not in hidden, "no trend tally before the reveal"
        assert "up" not in str({k: v for k, v in hidden.items() if k != "my_trend"})

        served.workshop.reveal()
        _, shown = await ben.state()
        assert shown["tally"]["trends"] == [
            {"trend": "up", "count": 1},
            {"trend": "same", "count": 1},
            {"trend": "down", "count": 0},
        ]
        assert shown["tally"]["agreed_trend"] == "same"  # a tie is "same"
        assert await ben.trend(current, "down") == 409
        assert await ben.withdraw(current) == 409
        assert served.saved().rating(current).trend_votes == {"Ana": "up", "Ben": "same"}  # type: ignore[union-attr]

        served.workshop.revote()
        _, again = await ben.state()
        assert again["my_trend"] is None and again["trend_count"] == 0 and not again["revealed"]
        assert await ben.trend(current, "down") == 204
        rating = served.saved().rating(current)
        assert rating is not None and rating.trend_votes == {"Ben": "down"} and not rating.votes


async def test_bad_trends_are_400_and_change_nothing(tmp_path: Path) -> None:
    async with serve(tmp_path, make_session(model_id=BOARD)) as served, served.device() as ana:
        await ana.join(name="Ana")
        current = served.workshop.indicator.id
        for trend in ("UP", "sideways", 1, True, ["up"]):
            assert await ana.trend(current, trend) == 400, trend
        assert await ana.trend(current, "up", value=9) == 400, "an off-scale value: no trend"
        assert await ana.trend(current, None) == 400, "neither a value nor a trend"
        assert await ana.trend("no-such-indicator", "up") == 409
        assert served.workshop.trend_votes() == [] and served.workshop.votes() == []
        assert not served.path.exists()


async def test_a_withdrawal_takes_back_the_vote_and_the_trend(tmp_path: Path) -> None:
    async with serve(tmp_path, make_session(model_id=BOARD)) as served, served.device() as ana:
        await ana.join(name="Ana")
        current = served.workshop.indicator.id
        await ana.trend(current, "down", value=2)
        assert await ana.withdraw(current) == 204
        rating = served.saved().rating(current)
        assert rating is not None and rating.votes is None and rating.trend_votes is None
        _, state = await ana.state()
        assert state["my_vote"] is None and state["my_trend"] is None


async def test_anonymous_devices_hold_one_trend_each(tmp_path: Path) -> None:
    session = make_session("anonymous", model_id=BOARD)
    async with serve(tmp_path, session) as served, served.device() as one, served.device() as two:
        await one.join()
        await two.join()
        current = served.workshop.indicator.id
        served.workshop.cast_trend("up")  # typed by the facilitator: nobody's device
        await one.trend(current, "down")
        await two.trend(current, "down")
        await one.trend(current, "same")
        assert sorted(served.saved().rating(current).trend_values) == ["down", "same", "up"]  # type: ignore[union-attr]
        assert (await one.state())[1]["my_trend"] == "same"
        assert (await two.state())[1]["my_trend"] == "down"
        await two.withdraw(current)
        assert sorted(served.saved().rating(current).trend_values) == ["same", "up"]  # type: ignore[union-attr]


async def test_a_typed_trend_is_never_shown_to_the_participants_device(tmp_path: Path) -> None:
    async with serve(tmp_path, make_session(model_id=BOARD)) as served, served.device() as ana:
        served.workshop.cast_trend("down", participant="Ana")
        await ana.join(name="Ana")
        _, state = await ana.state()
        assert state["my_trend"] is None and state["trend_voted"] == ["Ana"]


async def test_a_score_model_takes_its_decimal_answers(tmp_path: Path) -> None:
    model = load_model(SAMM_LIKE)
    session = new_session("orion-2027-q1", model, "Orion", participants=["Ana"], now=STARTED)
    async with serve(tmp_path, session) as served, served.device() as ana:
        await ana.join(name="Ana")
        _, state = await ana.state()
        first = state["indicator"]
        assert first["id"] == "sg-1-a" and first["level"] == 1
        assert [p["value"] for p in state["scale"]] == [0, 0.25, 0.5, 1]  # its answer set
        assert state["scale"][1]["label"] == "Yes, for some"
        assert state["asks_trend"] is False
        assert await ana.vote("sg-1-a", 0.3) == 400
        assert await ana.vote("sg-1-a", 0.25) == 204
        assert served.saved().rating("sg-1-a").votes == {"Ana": 0.25}  # type: ignore[union-attr]


async def test_the_level_heading_leaves_out_a_name_that_only_repeats_the_number(
    tmp_path: Path,
) -> None:
    """Imported models name levels "Level N": the page once read "Level 1 · Level 1"."""
    data = load_model(SAMM_LIKE).model_dump(mode="python")
    data["levels"][0]["name"] = "Level 1"
    model = type(load_model(SAMM_LIKE)).model_validate(data)
    session = new_session("orion-2027-q1", model, "Orion", participants=["Ana"], now=STARTED)
    async with serve(tmp_path, session) as served, served.device() as ana:
        await ana.join(name="Ana")
        _, state = await ana.state()
        assert state["indicator"]["level_heading"] == "Level 1"
        assert state["indicator"]["level_name"] == "Level 1", "level_name means what it meant"
    async with serve(tmp_path) as served, served.device() as ben:
        await ben.join(name="Ana")
        _, state = await ben.state()
        assert state["indicator"]["level_heading"] == "Level 1 Initial (Ad-hoc)"
