"""Dimension labels for grids: never two alike, never wider than the room they have (issue 13:
DSOMM's 19 sub-dimensions cut to 16 characters read as 5 labels)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from maturity_tui.domain.model import Dimension, Level
from maturity_tui.standing import dimension_labels


def dimensions(names: list[str], shorts: list[str | None] | None = None) -> list[Dimension]:
    shorts = shorts or [None] * len(names)
    return [
        Dimension(id=f"d-{n}", name=name, short_name=short)
        for n, (name, short) in enumerate(zip(names, shorts, strict=True))
    ]


def test_names_that_fit_stay_whole() -> None:
    assert dimension_labels(dimensions(["Build", "Test"], ["B", None]), 10) == ["Build", "Test"]


def test_a_short_name_stands_in_for_a_name_that_does_not_fit() -> None:
    found = dimension_labels(dimensions(["Strategy and Metrics", "Policy"], ["SM", None]), 10)
    assert found == ["SM", "Policy"]


def test_names_cut_alike_keep_the_words_that_tell_them_apart() -> None:
    names = [f"Governance practices for {topic} across every team" for topic in ("a", "bb")]
    assert dimension_labels(dimensions(names), 20) == ["Governance… a", "Governance… bb"]


def test_names_alike_to_the_end_take_their_position() -> None:
    names = ["Same long name here x", "Same long name here y", "Same long name here z"]
    labels = dimension_labels(dimensions(names), 8)
    assert labels == ["Same… x", "Same… y", "Same… z"]
    assert dimension_labels(dimensions(["Twin name", "Twin name!"]), 7) == ["Twin… 1", "Twin… 2"]


WORDS = st.text(alphabet="abcdefgh ", min_size=1, max_size=40).filter(str.strip)


@given(st.lists(WORDS, min_size=1, max_size=30), st.integers(min_value=6, max_value=40))
def test_labels_are_distinct_and_fit(names: list[str], width: int) -> None:
    labels = dimension_labels(dimensions(names), width)
    assert all(len(label) <= width for label in labels)
    if len(set(names)) == len(names):
        assert len(set(labels)) == len(labels)


def test_a_level_named_after_its_number_is_not_repeated() -> None:
    assert Level(number=2, name="Level 2").heading == "Level 2"
    assert Level(number=2, name="Managed", alias="Repeatable").heading == (
        "Level 2 Managed (Repeatable)"
    )
