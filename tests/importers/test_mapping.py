"""What each importer reads from a published model's files (before validation)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from yamlkit import DSOMM_YAML, SAMM_ANSWER_SETS, write_dsomm, write_samm

from maturity_tui.domain.base import SLUG_PATTERN
from maturity_tui.importers import IMPORTERS, ImportFailed
from maturity_tui.importers.source import ID_LENGTH, Ids, read_yaml_documents, short_names, slug


def test_samm_keeps_every_question_with_its_answer_set_stream_level_and_ref(tmp_path: Path) -> None:
    data = IMPORTERS["samm"](write_samm(tmp_path))
    assert data["scoring"] == "score"
    assert [g["id"] for g in data["groups"]] == ["governance", "design"]
    assert [(d["id"], d["short_name"], d["group"]) for d in data["dimensions"]] == [
        ("strategy-and-metrics", "SM", "governance"),
        ("threat-assessment", "TA", "design"),
    ]
    assert [level["number"] for level in data["levels"]] == [1, 2, 3]
    indicators = {i["ref"]: i for i in data["indicators"]}
    assert len(indicators) == 2 * 2 * 3
    first = indicators["G-SM-1-A"]
    assert first["id"] == "g-sm-1-a"
    assert (first["level"], first["stream"], first["dimension"]) == (1, "A", "strategy-and-metrics")
    assert first["statement"] == "Do you do G-SM-1-A?"
    assert "Criterion two of G-SM-1-A" in first["guidance"]
    assert "Activity G-SM-1-A" in first["guidance"]
    assert indicators["D-TA-2-B"]["answers"] == "set-c"
    assert indicators["D-TA-2-A"]["answers"] == "set-b"
    # Order: practice, stream, level (the toolbox's interview order).
    assert [i["ref"] for i in data["indicators"]][:4] == [
        "G-SM-1-A",
        "G-SM-2-A",
        "G-SM-3-A",
        "G-SM-1-B",
    ]
    assert data["source"]["license"] == "CC BY-SA 4.0"
    assert data["version"] == "2.0"


def test_samm_answer_no_stays_text_and_values_stay_fractions(tmp_path: Path) -> None:
    data = IMPORTERS["samm"](write_samm(tmp_path))
    sets = {s["id"]: s for s in data["answer_sets"]}
    assert sorted(sets) == ["set-a", "set-b", "set-c"]
    for letter, answers in SAMM_ANSWER_SETS.items():
        points = sets[f"set-{letter.lower()}"]["points"]
        assert [(p["label"], p["value"]) for p in points] == answers
        assert points[0]["label"] == "No"  # YAML 1.1 would have read it as False


def test_samm_accepts_the_model_folder_as_well_as_the_repository(tmp_path: Path) -> None:
    root = write_samm(tmp_path)
    assert IMPORTERS["samm"](root / "model") == IMPORTERS["samm"](root)


def test_dsomm_maps_dimensions_levels_links_and_dependencies(tmp_path: Path) -> None:
    data = IMPORTERS["dsomm"](write_dsomm(tmp_path))
    assert data["scoring"] == "staged"
    assert data["overall_level"] is False
    assert data["version"] == "9.9.9" == data["source"]["version"]
    assert [g["name"] for g in data["groups"]] == ["Build and Deployment", "Test and Verification"]
    assert [d["name"] for d in data["dimensions"]] == [
        "Build",
        "Deployment",
        "Static depth for applications",
    ]
    assert data["dimensions"][2]["short_name"] == "SDA"
    by_ref = {i["ref"]: i for i in data["indicators"]}
    build = by_ref["00000000-0000-0000-0000-000000000001"]
    assert build["id"] == "defined-build-process"
    assert build["links"] == [{"title": "A CI tool", "url": "https://example.org/ci"}]
    assert "Measure: Write the build down." in build["guidance"]
    assert "Risk: Mistakes happen." in build["guidance"]
    assert by_ref["00000000-0000-0000-0000-000000000002"]["depends_on"] == ["defined-build-process"]
    # A dependency by name (older releases) and YAML 1.1's booleans kept as text.
    on = by_ref["00000000-0000-0000-0000-000000000003"]
    assert (on["statement"], on["id"], on["depends_on"]) == ("On", "on", ["defined-build-process"])
    assert "Risk: No" in on["guidance"] and "Measure: Yes" in on["guidance"]


def test_dsomm_long_names_give_word_cut_unique_ids(tmp_path: Path) -> None:
    data = IMPORTERS["dsomm"](write_dsomm(tmp_path))
    ids = [i["id"] for i in data["indicators"]]
    assert len(set(ids)) == len(ids)
    long_ones = [i for i in ids if i.startswith("a-very-long")]
    assert long_ones == [
        "a-very-long-activity-name-that-goes-on-and-on-well-past",
        "a-very-long-activity-name-that-goes-on-and-on-well-past-2",
    ]
    for identifier in ids:
        assert re.fullmatch(SLUG_PATTERN, identifier) and len(identifier) <= ID_LENGTH


@given(st.lists(st.text(min_size=0, max_size=120), min_size=1, max_size=30))
def test_ids_are_valid_unique_slugs_whatever_the_names(names: list[str]) -> None:
    ids = Ids()
    made = [ids.new(name, "item") for name in names]
    assert len(set(made)) == len(made)
    for identifier in made:
        assert re.fullmatch(SLUG_PATTERN, identifier), identifier
        assert len(identifier) <= ID_LENGTH and not identifier.endswith("-")


def test_slug_cuts_on_a_word() -> None:
    name = "word " * 30
    assert slug(name, "x") == "-".join(["word"] * 12)


@given(st.dictionaries(st.text(max_size=6), st.text(min_size=1, max_size=60), max_size=25))
def test_short_names_never_repeat_and_fit(names: dict[str, str]) -> None:
    short = short_names(names)
    labels = [short.get(key, name) for key, name in names.items()]
    long_labels = [short[key] for key in short]
    assert all(len(label) <= 12 for label in long_labels)
    assert len(set(long_labels)) == len(long_labels)
    assert not set(long_labels) & {name for name in names.values() if len(name) <= 12}
    assert len(labels) == len(names)


# --- Files that are not what an importer expects: one message naming the file -------------


def test_missing_samm_folder_says_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such folder"):
        IMPORTERS["samm"](tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(
        ImportFailed, match=r"not an OWASP SAMM model folder: no business_functions/"
    ):
        IMPORTERS["samm"](tmp_path / "empty")


def test_truncated_samm_file_names_the_file_and_line(tmp_path: Path) -> None:
    root = write_samm(tmp_path)
    question = root / "model" / "questions" / "G-SM-1-A.yml"
    question.write_text('---\nactivity: G-SM-1-A-act\ntext: "Do you', encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        IMPORTERS["samm"](root)
    assert str(caught.value).startswith(f"{question}: line ")
    assert "not valid YAML" in str(caught.value)


def test_samm_file_of_another_shape_says_which_key(tmp_path: Path) -> None:
    root = write_samm(tmp_path)
    practice = root / "model" / "security_practices" / "G-SM.yml"
    practice.write_text(practice.read_text().replace("shortName: SM\n", ""), encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"G-SM\.yml: expected 'shortName' to be a str"):
        IMPORTERS["samm"](root)
    (root / "model" / "streams" / "G-SM-A.yml").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"G-SM-A\.yml: expected a stream \(one YAML mapping\)"):
        IMPORTERS["samm"](root)


def test_samm_broken_link_names_the_file(tmp_path: Path) -> None:
    root = write_samm(tmp_path)
    question = root / "model" / "questions" / "D-TA-1-B.yml"
    question.write_text(
        question.read_text().replace("set-C-guid", "no-such-guid"), encoding="utf-8"
    )
    with pytest.raises(ImportFailed, match=r"D-TA-1-B\.yml: 'answerSet' names no answer set"):
        IMPORTERS["samm"](root)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "found no such mapping"),
        ("- just\n- a list\n", "found no such mapping"),
        (DSOMM_YAML[: len(DSOMM_YAML) // 2] + '"', "not valid YAML"),
        ("Dimension:\n  Sub: [1, 2]\n", "expected sub-dimension 'Sub' to map activities"),
        (
            "Dimension:\n  Sub:\n    Act:\n      uuid: x\n      level: 7\n",
            "level 7 is not one of 1-5",
        ),
        ("Dimension:\n  Sub:\n    Act:\n      uuid: x\n", "expected 'level' to be a int"),
        (
            "Dimension:\n  Sub:\n    Act:\n      level: 1\n      dependsOn: [Nothing]\n",
            "depends on unknown activity 'Nothing'",
        ),
    ],
)
def test_dsomm_file_of_another_shape(tmp_path: Path, text: str, message: str) -> None:
    path = write_dsomm(tmp_path, text)
    with pytest.raises(ImportFailed, match=re.escape(message)) as caught:
        IMPORTERS["dsomm"](path)
    assert str(caught.value).startswith(str(path))


def test_missing_dsomm_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        IMPORTERS["dsomm"](tmp_path / "model.yaml")


def test_yaml_12_scalars(tmp_path: Path) -> None:
    path = tmp_path / "scalars.yaml"
    path.write_text("a: No\nb: yes\nc: on\nd: 0.25\ne: 1\nf: 2026-05-19\ng: true\nh: 10:42\ni: ~\n")
    assert read_yaml_documents(path) == [
        {
            "a": "No",
            "b": "yes",
            "c": "on",
            "d": 0.25,
            "e": 1,
            "f": "2026-05-19",
            "g": True,
            "h": "10:42",
            "i": None,
        }
    ]


def test_read_yaml_documents_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        read_yaml_documents(tmp_path)
