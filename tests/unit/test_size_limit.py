"""One size limit for reading and writing: the app never writes a file it then refuses, and
every session it reads can be saved and read back (issue 18 point 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity_tui import storage
from maturity_tui.storage import LoadError, SaveError, load_session, save_session

GOOD = Path(__file__).parents[1] / "data" / "good"
ANONYMOUS = (GOOD / "anonymous-session.toml").read_text()
SMALL_LIMIT = 32 * 1024


def compact(text: str, names: int, votes: int) -> str:
    """The anonymous session with `names` participants and `votes` votes on its first
    indicator, written as tightly as TOML allows (tomli-w's layout is far roomier)."""
    people = ",".join(f'"p{n}"' for n in range(names))
    return text.replace(
        'voting = "anonymous"', f'voting = "anonymous"\nparticipants=[{people}]', 1
    ).replace("votes = [", "votes = [" + "1," * votes, 1)


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    """The same rules at a small limit, so files near it are quick to make and read."""
    monkeypatch.setattr(storage, "MAX_FILE_BYTES", SMALL_LIMIT)
    monkeypatch.setattr(storage, "SAVE_CHECK_FROM", SMALL_LIMIT // 8)
    return SMALL_LIMIT


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.integers(0, 4000), votes=st.integers(0, 8000))
def test_every_session_the_reader_accepts_is_saved_and_read_back(
    small_limit: int, tmp_path: Path, names: int, votes: int
) -> None:
    source = tmp_path / "source.toml"
    source.write_text(compact(ANONYMOUS, names, votes))
    try:
        session = load_session(source)
    except LoadError as error:
        assert len(error.problems) == 1
        assert "file is too large" in str(error) or "session too large to save" in str(error)
        return
    saved = tmp_path / "saved.toml"
    save_session(session, saved)
    assert saved.stat().st_size <= small_limit
    assert load_session(saved) == session


def test_sizes_on_both_sides_of_the_limit_are_tried(small_limit: int, tmp_path: Path) -> None:
    """The property's range reaches files read whole, refused as unsaveable, and too large."""
    outcomes = set()
    for votes in (10, 3000, 6000, 9000, 20000):
        source = tmp_path / "source.toml"
        source.write_text(compact(ANONYMOUS, 0, votes))
        try:
            load_session(source)
            outcomes.add("read")
        except LoadError as error:
            outcomes.add(error.problems[0].split(" (")[0])
    assert outcomes == {"read", "session too large to save", "file is too large"}


def test_a_session_grown_past_the_limit_is_not_saved_and_says_why(
    small_limit: int, tmp_path: Path
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(ANONYMOUS)
    session = load_session(path)
    session.ratings[0].notes = "x" * small_limit
    with pytest.raises(SaveError, match=r"s\.toml: session too large to save \("):
        save_session(session, path)
    assert path.read_text() == ANONYMOUS


def test_300000_participants_are_refused_at_read_not_after_a_save(tmp_path: Path) -> None:
    """The issue's file: 2.9 MB as written by hand, 4.4 MB once tomli-w lays it out."""
    source = tmp_path / "crowd.toml"
    source.write_text(compact(ANONYMOUS, 300_000, 0))
    assert source.stat().st_size < storage.MAX_FILE_BYTES
    with pytest.raises(LoadError, match="session too large to save"):
        load_session(source)
