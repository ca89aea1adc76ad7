"""The quick ways of loading, comparing and writing give exactly what the plain ways give.

Reading a folder parses each model section once (`storage._parse_session_text`), checks a
session's ratings at a glance before checking them one by one (`Session._references`),
`compare` makes each row once per key, and indented JSON is written through the C encoder
(`textsafe.json_text`). Each is held here against the plain way on generated data: the
whole-file parse (and tomllib + pydantic), the per-rating checks alone, the rows filled a
cell at a time, and `json.dumps(indent=2)`.
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from test_properties import PROPERTIES, sessions

from maturity_tui import storage
from maturity_tui.compare import (
    Column,
    Comparison,
    DimensionTrend,
    IndicatorTrend,
    ReadingTrend,
    compare_sessions,
    delta,
    rating_delta,
)
from maturity_tui.domain import Session
from maturity_tui.domain import session as session_module
from maturity_tui.storage import LoadError, describe_errors, dumps_session, parse_session
from maturity_tui.textsafe import json_text

GOOD = Path(__file__).parents[1] / "data" / "good"
FORMAT_2_SESSIONS = [GOOD / "samm-like-session.toml", GOOD / "board-session.toml"]

# --- JSON ------------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(st.characters(exclude_categories=["Cs"]))
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4), inner, max_size=5)
    ),
    max_leaves=40,
)


def plain_json_text(data: object) -> str:
    """What json_text wrote before it had its own indenting: the reference."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if 0x7F <= ord(c) <= 0x9F else c for c in text) + "\n"


@PROPERTIES
@given(data=json_values)
def test_json_text_writes_what_json_dumps_indented_writes(data: object) -> None:
    assert json_text(data) == plain_json_text(data)


@pytest.mark.parametrize(
    "data",
    [
        {1: "a", "b": [1, 2]},  # keys json.dumps turns into strings
        {"x": {None: [], True: {}}},
        [math.nan, math.inf, -math.inf, 1e16, -0.0, 2**70],
        {"deep": [[[[{"a": [[]]}]]]], "empty": {}, "list": []},
        "\x85 a C1 control, \x7f and \x1b",
    ],
)
def test_json_text_writes_unusual_values_as_json_dumps_does(data: object) -> None:
    assert json_text(data) == plain_json_text(data)


def test_json_text_refuses_what_json_dumps_refuses() -> None:
    with pytest.raises(TypeError):
        json_text({"when": object()})
    with pytest.raises(TypeError):
        json_text([[1, object()]])


# --- Parsing a session's model section once -----------------------------------------------


def whole_file_outcome(text: str, path: Path) -> Session | list[str]:
    """The session, or the problems, from parsing the whole file as before (the reference)."""
    try:
        return storage.validate_session(storage.parse_toml(text.encode("utf-8"), path), path)
    except LoadError as error:
        return error.problems


def fast_outcome(text: str, path: Path) -> Session | list[str]:
    try:
        return parse_session(text.encode("utf-8"), path)
    except LoadError as error:
        return error.problems


def same_outcome(text: str, path: Path) -> None:
    whole, fast = whole_file_outcome(text, path), fast_outcome(text, path)
    assert fast == whole
    if isinstance(whole, Session):
        assert isinstance(fast, Session)
        assert fast.model_dump() == whole.model_dump()
        assert fast == Session.model_validate(tomllib.loads(text))


@PROPERTIES
@given(folder=st.lists(sessions(), min_size=1, max_size=4))
def test_a_folder_loads_as_tomllib_and_pydantic_read_it(folder: list[Session]) -> None:
    for session in folder:  # sessions of one model: the later ones reuse its parsed section
        same_outcome(dumps_session(session), Path(f"{session.id}.toml"))


@pytest.fixture
def saved_text() -> str:
    """A session file as the app writes it, its model section already parsed once."""
    text = (GOOD / "named-session.toml").read_text(encoding="utf-8")
    text = dumps_session(storage.parse_session(text.encode("utf-8"), Path("named.toml")))
    same_outcome(text, Path("named.toml"))
    assert storage._model_section(text) is not None
    return text


def _section(text: str) -> str:
    split = storage._model_section(text)
    assert split is not None
    return split[1]


@pytest.mark.parametrize(
    "disguise",
    [
        # The known section inside a string, a header-like line after it.
        lambda section: f'title = """\n{section}[x]\n"""\n',
        lambda section: f"title = '''\n{section}[x]\n'''\n",
        # The known section as the values of an array left open before it.
        lambda section: f"x = [\n{section}[true]\n]\n",
        # The model's table spoken of again around the section.
        lambda section: f'model.extra = 1\n{section}[[ratings]]\nindicator = "x"\n',
        lambda section: f'{section}[ "model" . more ]\nx = 1\n',
        lambda section: f"{section}[model]\nx = 1\n",
    ],
)
def test_a_known_model_section_in_disguise_reads_as_the_whole_file_says(
    saved_text: str, disguise: Any
) -> None:
    section = _section(saved_text)
    start = saved_text.index(section)
    head = saved_text[:start]
    tail = saved_text[start + len(section) :]
    same_outcome(head + disguise(section) + tail, Path("disguised.toml"))


def test_a_known_model_section_with_a_broken_rest_names_the_same_line(saved_text: str) -> None:
    broken = saved_text.replace('status = "', 'status = = "', 1)
    with pytest.raises(LoadError) as fast:
        parse_session(broken.encode("utf-8"), Path("broken.toml"))
    with pytest.raises(LoadError) as whole:
        storage.validate_session(storage.parse_toml(broken.encode(), Path("broken.toml")), Path())
    assert fast.value.problems == whole.value.problems


# --- Checking ratings at a glance -------------------------------------------------------------

Raw = dict[str, Any]


def _spoil_rating(rating: Raw, how: str, participants: list[str]) -> None:
    votes = rating.get("votes")
    if how == "unknown indicator":
        rating["indicator"] = "no-such-indicator"
    elif how == "stranger" and isinstance(votes, dict):
        votes["Stranger"] = next(iter(votes.values()), 1)
    elif how == "votes reshaped":
        rating["votes"] = (
            list(votes.values())
            if isinstance(votes, dict)
            else dict.fromkeys(participants[:1] or ["Ana"], 1)
        )
    elif how == "off the scale" and votes:
        key = next(iter(votes)) if isinstance(votes, dict) else 0
        votes[key] = 99
    elif how == "decimal vote" and votes:
        key = next(iter(votes)) if isinstance(votes, dict) else 0
        votes[key] = 2.0
    elif how == "consensus off the scale":
        rating["consensus"] = 0
    elif how == "decimal consensus":
        rating["consensus"] = 3.0
    elif how == "a trend":
        rating["trend"] = "up"
    elif how == "empty votes":
        rating["votes"] = [] if isinstance(votes, dict) else {}


SPOILS = [
    "unknown indicator",
    "stranger",
    "votes reshaped",
    "off the scale",
    "decimal vote",
    "consensus off the scale",
    "decimal consensus",
    "a trend",
    "empty votes",
]


def check_outcome(raw: Raw) -> Session | list[str]:
    try:
        return Session.model_validate(raw)
    except ValidationError as error:
        return describe_errors(error)


def rating_by_rating(raw: Raw) -> Session | list[str]:
    """The checks as they were before the glance: every rating checked on its own."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(session_module, "_plain_values", lambda *args: None)
        return check_outcome(raw)


@PROPERTIES
@given(session=sessions(), data=st.data())
def test_ratings_checked_at_a_glance_give_what_checking_each_gives(
    session: Session, data: st.DataObject
) -> None:
    raw = session.model_dump(mode="python", exclude_none=True)
    for rating in raw["ratings"]:
        if data.draw(st.booleans()):
            _spoil_rating(rating, data.draw(st.sampled_from(SPOILS)), raw["participants"])
    assert check_outcome(raw) == rating_by_rating(raw)


@pytest.mark.parametrize("path", FORMAT_2_SESSIONS, ids=lambda p: p.stem)
@pytest.mark.parametrize("how", SPOILS)
def test_format_2_ratings_spoiled_read_the_same_at_a_glance(path: Path, how: str) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert check_outcome(raw) == rating_by_rating(raw)
    for rating in raw.get("ratings", []):
        _spoil_rating(rating, how, raw.get("participants", []))
        assert check_outcome(raw) == rating_by_rating(raw)


# --- Comparing: rows made once per key ------------------------------------------------------


def _cell_by_cell(columns: tuple[Column, ...]) -> Comparison:
    """The comparison's rows as they were made before, a cell at a time (the reference)."""
    width = len(columns)

    def row(rows: dict[str, list[Any]], key: str) -> list[Any]:
        return rows.setdefault(key, [None] * width)

    names: dict[str, str] = {}
    levels: dict[str, list[Any]] = {}
    dimension_scores: dict[str, list[Any]] = {}
    latest: dict[str, Any] = {}
    ratings: dict[str, list[Any]] = {}
    applicable: dict[str, list[Any]] = {}
    colors: dict[str, list[Any]] = {}
    trends: dict[str, list[Any]] = {}
    scales: dict[str, list[Any]] = {}
    metrics: dict[str, Any] = {}
    values: dict[str, list[Any]] = {}
    targets: dict[str, list[Any]] = {}
    met: dict[str, list[Any]] = {}
    for n, column in enumerate(columns):
        for dimension in column.score.dimensions:
            names[dimension.id] = dimension.name
            row(levels, dimension.id)[n] = dimension.level
            row(dimension_scores, dimension.id)[n] = dimension.score
        for cell in column.score.indicators:
            key = cell.indicator.id
            latest[key] = cell.indicator
            row(ratings, key)[n] = cell.agreed
            row(applicable, key)[n] = cell.applicable
            row(colors, key)[n] = cell.color
            row(trends, key)[n] = cell.trend
            row(scales, key)[n] = cell.indicator.answers
        for scored in column.score.readings:
            metrics[scored.metric.id] = scored.metric
            row(values, scored.metric.id)[n] = scored.value
            row(targets, scored.metric.id)[n] = scored.target
            row(met, scored.metric.id)[n] = scored.met
    return Comparison(
        columns=columns,
        dimensions=tuple(
            DimensionTrend(k, names[k], tuple(r), delta(r), tuple(dimension_scores[k]))
            for k, r in levels.items()
        ),
        indicators=tuple(
            IndicatorTrend(
                latest[k],
                tuple(r),
                tuple(applicable[k]),
                rating_delta(r, scales[k]),
                tuple(colors[k]),
                tuple(trends[k]),
            )
            for k, r in ratings.items()
        ),
        readings=tuple(
            ReadingTrend(
                metrics[k],
                tuple(r),
                tuple(targets[k]),
                tuple(met[k]),
                delta(v for v in r if not isinstance(v, str)),
            )
            for k, r in values.items()
        ),
    )


@PROPERTIES
@given(folder=st.lists(sessions(), max_size=5))
def test_a_comparison_is_what_filling_it_cell_by_cell_gives(folder: list[Session]) -> None:
    comparison = compare_sessions(folder)
    assert comparison == _cell_by_cell(comparison.columns)


def test_a_comparison_of_every_kind_of_model_is_what_filling_it_cell_by_cell_gives() -> None:
    """Staged, score and board models, named and anonymous, trends and two scales at once."""
    folder = Path(__file__).parents[1] / "data" / "golden" / "input"
    comparison = compare_sessions(map(storage.load_session, sorted(folder.glob("*.toml"))))
    assert comparison == _cell_by_cell(comparison.columns)


# --- Reading a file ---------------------------------------------------------------------------


@pytest.mark.parametrize("size_when_opened", [0, 3, 10, 11, 5000])
def test_a_file_is_read_to_its_end_whatever_size_it_had_when_opened(
    tmp_path: Path, size_when_opened: int
) -> None:
    """A file that grew (or shrank) since its size was taken is still read to its end."""
    path = tmp_path / "grown.toml"
    path.write_bytes(bytes(range(10)) * 1000)
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        assert storage._read_to_end(handle, size_when_opened) == path.read_bytes()
    finally:
        os.close(handle)


def test_a_file_that_grows_past_the_limit_is_read_one_byte_past_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(storage, "READ_CHUNK", 7)
    path = tmp_path / "grown.toml"
    path.write_bytes(b"x" * 1000)
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        assert storage._read_to_end(handle, 10) == b"x" * 101
    finally:
        os.close(handle)


@pytest.mark.parametrize(
    "clash",
    [
        "ratings = []\n",  # a key the rest of the file defines as an array of tables
        "actions = 1\n",
        "[targets]\nx = 1\n",
        "a.b = 1\n",  # a table by dotted keys, continued by a header after the model
    ],
)
def test_a_key_before_the_known_section_that_the_rest_speaks_of_reads_as_the_whole_file_says(
    saved_text: str, clash: str
) -> None:
    section = _section(saved_text)
    head, _, tail = saved_text.partition(section)
    same_outcome(head + clash + section + tail + "[a.c]\nd = 1\n", Path("clash.toml"))
