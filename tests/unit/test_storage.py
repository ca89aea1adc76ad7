"""Reading and writing files: every bad input is one clear LoadError, saves are atomic."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maturity_tui import storage
from maturity_tui.domain import MaturityModel, Session
from maturity_tui.library_index import library
from maturity_tui.storage import (
    LoadError,
    SaveError,
    SessionLock,
    SessionLocked,
    move_to_trash,
    trash_session,
)

DATA = Path(__file__).parents[1] / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"
TOML_TEST = Path(__file__).parents[2] / ".." / "shared" / "toml-test" / "invalid"

EXPECTED = {
    "bad-slug-id.toml": "id: should be lowercase letters, digits and single dashes",
    "binary.toml": "not a text file (it holds NUL bytes)",
    "deeply-nested-tables.toml": "TOML nested too deeply",
    "deeply-nested.toml": "TOML nested too deeply",
    "empty.toml": 'not a maturity-session file (it has no format = "maturity-session" line)',
    "invalid-date.toml": "line 9, column 14: TOML syntax error: invalid date",
    "missing-format.toml": 'it has no format = "maturity-session" line',
    "missing-model-section.toml": "model: Field required",
    "model-answer-set-not-ascending.toml": "answer set coverage values must be strictly ascending",
    "model-board-indicator-with-level.toml": "indicator tech-quality has a level: a board model",
    "model-board-point-without-color.toml": "a board model needs a color on every point: scale",
    "model-board-with-levels.toml": "a board model has no levels",
    "model-depends-on-cycle.toml": "depends_on makes a cycle: sg-1-a -> sg-3-a -> sg-2-a -> sg-1-a",
    "model-depends-on-unknown.toml": "indicator sg-2-b depends on unknown indicator nowhere",
    "model-dimension-without-group.toml": "dimension threats needs a group: the model has them",
    "model-format-1-uses-format-2.toml": "scoring needs format_version = 2 (this file says",
    "model-overall-level-in-score.toml": "overall_level applies only to staged models (this one",
    "model-short-name-too-long.toml": "dimensions[0].short_name: String should have at most 12",
    "model-staged-answer-set-without-achieved-at.toml": "a staged model needs achieved_at in",
    "model-target-outside-scores.toml": "dimension strategy: target 3.5 lies outside its possible",
    "model-unknown-answer-set.toml": "indicator sg-1-a names unknown answer set nowhere",
    "model-unknown-group.toml": "dimension strategy names unknown group nowhere",
    "session-target-outside-scores.toml": "targets: dimension threats: target 4 lies outside",
    "session-trend-without-model-trend.toml": "rating for sg-1-a: a trend, but the model does not",
    "session-vote-off-answer-set.toml": "[0.3] not on the answer set coverage [0, 0.25, 0.5, 1]",
    "model-achieved-at-off-scale.toml": "achieved_at 6 is not a value of the scale",
    "model-contested-spread-zero.toml": "scale.contested_spread: Input should be greater than",
    "model-dimension-without-indicators.toml": "dimension without indicators: delight",
    "model-duplicate-indicator-ids.toml": "duplicate indicator ids: scheduled-interactions",
    "model-indicator-on-missing-level.toml": "indicator engagement-kpis is on level 9",
    "model-indicator-without-dimension.toml": "indicator feedback-reaches-team needs a dimension",
    "model-level-as-string.toml": "indicators[1].level: Input should be a valid integer",
    "model-levels-not-consecutive.toml": "levels must be numbered 1..3 in order, found [1, 2, 4]",
    "model-metric-min-above-max.toml": "metric nps: min 100 is above max -100",
    "model-metric-target-outside.toml": "metric nps: target 150 lies outside min/max",
    "model-no-indicators.toml": "indicators: Field required",
    "model-scale-not-ascending.toml": "scale values must be strictly ascending, found [1, 2, 2",
    "model-unknown-dimension.toml": "indicator engagement-kpis names unknown dimension delight",
    "newer-format-version.toml": "made by a newer version of maturity-tui",
    "newer-model-format-version.toml": "model: format_version 3 was made by a newer version",
    "not-utf8.toml": "not UTF-8 text",
    "session-anonymous-votes-as-table.toml": "anonymous voting keeps votes as a list of values",
    "session-bad-action-status.toml": "actions[0].status: Input should be 'open', 'done'",
    "session-consensus-off-scale.toml": "[0] not on the scale [1, 2, 3, 4, 5]",
    "session-due-as-text.toml": "actions[0].due: Input should be a valid date",
    "session-due-year-zero.toml": "date or time out of range: year 0 is out of range",
    "session-duplicate-action-ids.toml": "duplicate action ids: 1",
    "session-duplicate-participants.toml": "duplicate participants: Ana",
    "session-duplicate-ratings.toml": "duplicate ratings for indicator: feedback-reaches-team",
    "session-leap-second.toml": "date or time out of range: second must be in 0..59",
    "session-local-datetime.toml": "started_at: Input should have timezone info",
    "session-named-votes-as-list.toml": "named voting needs votes as { Name = value }",
    "session-not-applicable-as-text.toml": "ratings[1].not_applicable: Input should be a valid",
    "session-qualitative-reading-number.toml": "reading testimonials: a qualitative metric takes",
    "session-reading-nan.toml": "readings[0].value: Input should be a valid integer or a finite",
    "session-reading-out-of-range.toml": "reading nps: value 300 outside -100..100",
    "session-unknown-indicator-action.toml": "action 1 names unknown indicator no-such-indicator",
    "session-unknown-indicator-rating.toml": "rating for no-such-indicator: unknown indicator",
    "session-unknown-key.toml": "particpants: Extra inputs are not permitted",
    "session-vote-by-non-participant.toml": "votes by non-participants ['Zoe']",
    "session-vote-not-a-number.toml": "ratings[0].votes.Ana: Input should be a valid integer",
    "session-vote-off-scale.toml": "rating for feedback-reaches-team: [7] not on the scale",
    "syntax-bad-escape.toml": "line 6, column 14: TOML syntax error",
    "syntax-bare-word-value.toml": "line 7, column 15: TOML syntax error",
    "syntax-duplicate-key.toml": "line 6, column 1: TOML syntax error: duplicate key",
    "syntax-missing-value.toml": "line 7, column 14: TOML syntax error",
    "syntax-unclosed-array.toml": "line 15, column 1: TOML syntax error",
    "syntax-unterminated-string.toml": "line 5, column 15: TOML syntax error",
    "unknown-metric-reading.toml": "reading names unknown metric csat",
    "utf16.toml": "not UTF-8 text (byte 0)",
    "wrong-format.toml": 'not a maturity-session file (format = "maturity-report"',
}


def load_error(path: Path) -> LoadError:
    """The LoadError for a bad file, checking that the file is left exactly as it was."""
    before = path.read_bytes()
    with pytest.raises(LoadError) as caught:
        storage.load_any(path)
    assert path.read_bytes() == before
    return caught.value


# --- The bad-input corpus -----------------------------------------------------------------


def test_every_bad_file_has_an_expected_message() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_one_load_error_naming_the_file_and_the_problem(name: str) -> None:
    error = load_error(BAD / name)
    assert str(BAD / name) in str(error)
    assert EXPECTED[name] in str(error)


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b'notes = "' + b"x" * (10 * 1024 * 1024) + b'"\n')
    assert "file is too large (10,485,771 bytes; the limit is 4,194,304)" in str(load_error(huge))


def test_a_device_is_refused_unread() -> None:
    with pytest.raises(LoadError, match="not a regular file"):
        storage.load_any(Path("/dev/zero"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    outcome: list[str] = []

    def read() -> None:
        try:
            storage.load_any(fifo)
        except LoadError as error:
            outcome.append(str(error))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # unblock the stuck reader, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO waited for a writer")
    assert outcome == [f"{fifo}: not a regular file (a FIFO, socket or device)"]


def test_missing_file_and_folder_give_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="No such file"):
        storage.load_any(tmp_path / "gone.toml")
    with pytest.raises(LoadError, match="is a folder, not a file"):
        storage.load_any(tmp_path)


NESTS = {
    "arrays": "x = " + "[" * 5000 + "]" * 5000,
    "closers in strings": "x = " + '[ "]", ' * 5000 + "]" * 5000,
    "inline tables": "x = " + "{ y = " * 5000 + "1" + " }" * 5000,
    "on many lines": "x = " + "[\n" * 5000 + "]\n" * 5000,
}


@pytest.mark.parametrize("nest", NESTS)
def test_deep_nesting_is_refused_even_in_a_small_thread_stack(nest: str, tmp_path: Path) -> None:
    """toml-rs would crash the process here; run in a child with a macOS-sized thread stack."""
    path = tmp_path / "deep.toml"
    path.write_text(NESTS[nest])
    child = (
        "import sys, threading; from pathlib import Path; from maturity_tui import storage\n"
        "def read():\n"
        "    try: storage.load_any(Path(sys.argv[1]))\n"
        "    except storage.LoadError as error: print(error)\n"
        "threading.stack_size(512 * 1024)\n"
        "reader = threading.Thread(target=read); reader.start(); reader.join()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", child, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{path}: ")


def test_plain_files_are_parsed_by_toml_rs_and_deep_ones_by_tomllib() -> None:
    for good in GOOD.glob("*.toml"):
        assert storage.safe_for_toml_rs(good.read_text())
    assert not storage.safe_for_toml_rs(NESTS["closers in strings"])
    assert storage.safe_for_toml_rs("x = " + "[" * 60 + "]" * 60)
    assert not storage.safe_for_toml_rs("x = " + "[" * 65 + "]" * 65)


def nesting_verdict_on_the_whole_text(text: str) -> bool:
    """safe_for_toml_rs's passes over every character (the reference for its shortcut)."""
    passes = 0
    while passes < storage.TOML_RS_NESTING:
        text, removed = storage._PLAIN_PAIR.subn("", text)
        if not removed:
            break
        passes += 1
    return passes + len(storage._OPENER.findall(text)) <= storage.TOML_RS_NESTING


@given(st.text(alphabet=st.sampled_from("[]{}\"'#\n a=é𝄞"), max_size=400))
def test_scanning_only_brackets_quotes_and_hashes_gives_the_same_verdict(text: str) -> None:
    assert storage.safe_for_toml_rs(text) == nesting_verdict_on_the_whole_text(text)


def test_the_nesting_shortcut_agrees_on_deep_files() -> None:
    for text in [*NESTS.values(), "x = " + "[" * 64 + "]" * 64, "x = " + "{a=" * 70 + "}" * 70]:
        assert storage.safe_for_toml_rs(text) == nesting_verdict_on_the_whole_text(text)


def test_brackets_inside_strings_and_comments_are_not_nesting(tmp_path: Path) -> None:
    text = (GOOD / "named-session.toml").read_text()
    markup = "[bold][[[{{{" * 300
    path = tmp_path / "markup.toml"
    path.write_text(text.replace('notes = "', f'# {markup}\nnotes = "{markup}', 1))
    assert storage.load_session(path).ratings[1].notes.startswith(markup)  # type: ignore[union-attr]


def toml_test_files() -> list[Path]:
    return sorted(TOML_TEST.rglob("*.toml")) if TOML_TEST.is_dir() else []


@pytest.mark.skipif(not TOML_TEST.is_dir(), reason="shared/toml-test is not beside the repo")
@pytest.mark.parametrize(
    "path", toml_test_files(), ids=lambda p: str(p.relative_to(TOML_TEST)) if p else ""
)
def test_invalid_toml_from_toml_test_gives_a_load_error(path: Path) -> None:
    # A few TOML 1.1 leniencies parse: those fail validation instead, still as a LoadError.
    assert str(path) in str(load_error(path))


# --- Good files ---------------------------------------------------------------------------


def test_good_files_load_as_what_they_claim() -> None:
    assert isinstance(storage.load_any(GOOD / "small-model.toml"), MaturityModel)
    named = storage.load_any(GOOD / "named-session.toml")
    anonymous = storage.load_any(GOOD / "anonymous-session.toml")
    assert isinstance(named, Session)
    assert isinstance(anonymous, Session)
    assert (named.voting, anonymous.voting) == ("named", "anonymous")
    assert named.model == anonymous.model == storage.load_model(GOOD / "small-model.toml")


@pytest.mark.parametrize("name", ["named-session.toml", "anonymous-session.toml"])
def test_saved_session_loads_back_equal(name: str, tmp_path: Path) -> None:
    session = storage.load_session(GOOD / name)
    storage.save_session(session, tmp_path / name)
    assert storage.load_session(tmp_path / name) == session


def test_builtin_models_include_customer_engagement() -> None:
    models = {source.model.id: source for source in storage.builtin_models()}
    engagement = models["customer-engagement"]
    assert engagement.origin == "built-in"
    assert (engagement.model.top_level, len(engagement.model.indicators)) == (5, 20)
    assert storage.find_model("customer-engagement") == engagement.model


def test_local_models_report_bad_files_beside_good_ones(tmp_path: Path) -> None:
    (tmp_path / "small.toml").write_bytes((GOOD / "small-model.toml").read_bytes())
    (tmp_path / "broken.toml").write_bytes((BAD / "model-level-as-string.toml").read_bytes())
    sources, errors = storage.local_models(tmp_path)
    assert [s.model.id for s in sources] == ["small-model"]
    assert [e.path.name for e in errors] == ["broken.toml"]


# --- Saving -------------------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "apollo-2026-q4.toml"
    path.write_bytes((GOOD / "named-session.toml").read_bytes())
    return path


def test_save_keeps_the_files_permissions(saved: Path) -> None:
    saved.chmod(0o640)
    storage.save_session(storage.load_session(saved), saved)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640


def test_save_of_a_new_file_follows_the_umask(tmp_path: Path, saved: Path) -> None:
    old = os.umask(0o022)
    try:
        storage.save_session(storage.load_session(saved), tmp_path / "new.toml")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.toml").stat().st_mode) == 0o644


def test_failed_write_leaves_the_old_file_and_no_temp_file(saved: Path) -> None:
    before = saved.read_bytes()
    with pytest.raises(UnicodeEncodeError):
        storage.atomic_write(saved, "lone surrogate \ud800")
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]


def test_invalid_session_in_memory_is_not_saved(saved: Path) -> None:
    session = storage.load_session(saved)
    before = saved.read_bytes()
    session.ratings[0].votes = {"Stranger": 4}  # edits in memory skip validation
    with pytest.raises(SaveError, match="votes by non-participants"):
        storage.save_session(session, saved)
    assert saved.read_bytes() == before


def test_save_into_a_missing_folder_is_a_save_error(saved: Path, tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="No such file"):
        storage.save_session(storage.load_session(saved), tmp_path / "gone" / "x.toml")


# --- Names and places ---------------------------------------------------------------------


def test_slugify_makes_a_safe_lowercase_ascii_stem() -> None:
    assert storage.slugify("Équipe Apollo — 2026 Q4!") == "equipe-apollo-2026-q4"
    assert storage.slugify("../../etc/passwd") == "etc-passwd"
    assert storage.slugify("日本") == "session"


def test_session_path_refuses_ids_that_could_leave_the_folder(tmp_path: Path) -> None:
    assert storage.session_path(tmp_path, "apollo-q4") == tmp_path / "apollo-q4.toml"
    longest = "a" * 80  # the longest id a session file may hold
    assert storage.session_path(tmp_path, longest) == tmp_path / f"{longest}.toml"
    for bad in ("../x", "a/b", "Apollo", "", "x.toml", "a--b", "-a", "a" * 81):
        with pytest.raises(ValueError, match="not a valid session id"):
            storage.session_path(tmp_path, bad)


def test_free_session_id_numbers_taken_names(tmp_path: Path) -> None:
    assert storage.free_session_id(tmp_path, "Apollo", "2026-Q4") == "apollo-2026-q4"
    (tmp_path / "apollo-2026-q4.toml").touch()
    (tmp_path / "apollo-2026-q4-2.toml").touch()
    assert storage.free_session_id(tmp_path, "Apollo", "2026-Q4") == "apollo-2026-q4-3"


def test_the_library_lists_sessions_and_errors_but_not_locks_or_temp_files(
    saved: Path, tmp_path: Path
) -> None:
    folder = saved.parent
    (folder / "broken.toml").write_text("team = ")
    with SessionLock(saved):
        (folder / f".{saved.name}.1234abcd.tmp").write_text("half")
        rows = library(folder, tmp_path / "cache").rows
    assert [(row.path.name, row.summary is not None) for row in rows] == [
        ("apollo-2026-q4.toml", True),
        ("broken.toml", False),
    ]
    assert "line 1" in rows[1].problems[0]


# --- One writer per session ---------------------------------------------------------------


def test_lock_file_sits_beside_the_session_and_is_not_a_toml_file(saved: Path) -> None:
    lock = SessionLock(saved)
    assert lock.path == saved.with_name("apollo-2026-q4.toml.lock")
    assert lock.path.suffix != ".toml"
    assert lock.os_lock_path.name.startswith(".")


def test_second_lock_in_the_same_process_is_refused(saved: Path) -> None:
    with SessionLock(saved), pytest.raises(SessionLocked, match=f"pid {os.getpid()}"):
        SessionLock(saved).acquire()


def test_a_lock_file_alone_holds_nothing_it_only_names_the_holder(saved: Path) -> None:
    """Only the OS lock decides: a leftover lock file of this host is simply overwritten."""
    lock = SessionLock(saved)
    lock.path.write_text(f'{{"pid": 1, "host": "{socket.gethostname()}", "since": "x"}}')
    with lock:
        assert f'"pid": {os.getpid()}' in lock.path.read_text()
    assert not lock.path.exists()


def test_an_unreadable_lock_file_is_no_obstacle(saved: Path) -> None:
    lock = SessionLock(saved)
    lock.path.write_text("")
    with lock:
        assert lock.held


def test_lock_from_another_host_is_never_taken_over(saved: Path) -> None:
    """A sync tool can bring another laptop's lock file, but never its OS lock."""
    lock = SessionLock(saved)
    foreign = '{"pid": 1, "host": "far-away", "since": "2026-01-01T00:00:00Z", "user": "dana"}'
    lock.path.write_text(foreign)
    with pytest.raises(SessionLocked) as caught:
        lock.acquire()
    assert "held by dana, pid 1 on host far-away since 2026-01-01" in str(caught.value)
    assert f"delete {lock.path} if it is no longer open on far-away" in str(caught.value)
    assert lock.path.read_text() == foreign
    assert not lock.os_lock_path.exists()
    assert not lock.held


def test_a_full_disk_at_open_names_the_file_and_leaves_no_lock(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", no_space)
    lock = SessionLock(saved)
    with pytest.raises(OSError, match="No space left") as caught:
        lock.acquire()
    assert caught.value.filename == str(saved)
    monkeypatch.undo()
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]
    with SessionLock(saved) as again:  # the next try is not blocked
        assert again.held


# --- Validation once per model ------------------------------------------------------------


def test_sessions_carrying_one_model_copy_share_one_validated_model(tmp_path: Path) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    session = storage.load_session(GOOD / "named-session.toml")
    storage.save_session(session, first)
    storage.save_session(session.model_copy(update={"id": "other-2026-q4"}), second)
    a, b = storage.load_session(first), storage.load_session(second)
    assert a.model is b.model
    assert a.model == session.model


def test_a_model_copy_differing_only_in_a_value_type_is_validated_on_its_own(
    tmp_path: Path,
) -> None:
    """`level = true` equals `level = 1` to Python; strict validation must still refuse it."""
    good = tmp_path / "good.toml"
    storage.save_session(storage.load_session(GOOD / "named-session.toml"), good)
    storage.load_session(good)  # its model copy is now known validated
    text = good.read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("level = 1\n", "level = true\n", 1), encoding="utf-8")
    with pytest.raises(LoadError, match=r"model\.indicators\[\d+\]\.level"):
        storage.load_session(bad)


def test_a_bad_model_copy_seen_twice_gives_the_same_error_twice(tmp_path: Path) -> None:
    path = BAD / "model-duplicate-indicator-ids.toml"
    assert load_error(path).problems == load_error(path).problems


# --- trash -----------------------------------------------------------------------------------


def test_move_to_trash_never_erases_and_suffixes_a_name_clash(tmp_path: Path) -> None:
    first = tmp_path / "apollo-2026-q4.toml"
    first.write_text("one")
    moved = move_to_trash(first, tmp_path)
    assert moved == tmp_path / ".trash" / "apollo-2026-q4.toml"
    assert not first.exists() and moved.read_text() == "one"
    first.write_text("two")
    again = move_to_trash(first, tmp_path)
    assert again == tmp_path / ".trash" / "apollo-2026-q4-2.toml"
    assert moved.read_text() == "one" and again.read_text() == "two"
    assert [p.name for p in tmp_path.glob("*.toml")] == []  # out of the library's sight


def test_trash_session_refuses_a_session_open_in_a_workshop(tmp_path: Path) -> None:
    path = tmp_path / "apollo-2026-q4.toml"
    path.write_text("one")
    with SessionLock(path), pytest.raises(SessionLocked):
        trash_session(path, tmp_path)
    assert path.read_text() == "one"
    assert trash_session(path, tmp_path) == tmp_path / ".trash" / "apollo-2026-q4.toml"
    assert list(tmp_path.glob("*.toml*")) == []  # no lock file left behind either


# --- head_count: an optional key of anonymous sessions --------------------------------------


def test_a_file_without_a_head_count_saves_back_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "anonymous.toml"
    storage.save_session(storage.load_session(GOOD / "anonymous-session.toml"), path)
    before = path.read_bytes()
    session = storage.load_session(path)
    assert session.head_count is None
    storage.save_session(session, path)
    assert path.read_bytes() == before and b"head_count" not in before


def test_a_head_count_round_trips_and_is_in_the_schema(tmp_path: Path) -> None:
    session = storage.load_session(GOOD / "anonymous-session.toml")
    session.head_count = 8
    path = tmp_path / "counted.toml"
    storage.save_session(session, path)
    assert "\nhead_count = 8\n" in path.read_text(encoding="utf-8")
    assert storage.load_session(path) == session
    schema = Session.model_json_schema()["properties"]["head_count"]
    assert schema["anyOf"][0] == {"type": "integer", "minimum": 1, "maximum": 500}
