"""The room's small parts: join codes, the request budget, the QR code, the workshop adapter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import segno
from roomkit import make_session, serve

from maturity_tui.room.guard import CODE_ALPHABET, RateLimiter, code_matches, new_join_code
from maturity_tui.room.host import OffScale, StaleIndicator, Voter
from maturity_tui.room.qr import QUIET_ZONE, qr_lines
from maturity_tui.room.server import Room, lan_address
from maturity_tui.room.workshop_host import WorkshopHost
from maturity_tui.workshop import Workshop

CELLS = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}


def test_join_codes_avoid_characters_people_misread() -> None:
    codes = {new_join_code() for _ in range(200)}
    assert len(codes) == 200, "codes are random"
    assert all(len(code) == 6 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("0O1IL") & set(CODE_ALPHABET)
    assert code_matches("k7q-2xm", "K7Q2XM") and not code_matches("K7Q2X", "K7Q2XM")


async def saved_at_once(revision: int) -> None:
    pass


def test_a_chosen_join_code_must_be_typable() -> None:
    host = WorkshopHost(Workshop(make_session()), saved_at_once)
    assert Room(host, code="k7q2xm").code == "K7Q2XM"
    for bad in ("K7Q2X0", "SHORT", "TOOLONG7"):
        with pytest.raises(ValueError, match="6 characters"):
            Room(host, code=bad)


def test_a_refused_join_code_is_told_the_characters_a_code_may_use() -> None:
    host = WorkshopHost(Workshop(make_session()), saved_at_once)
    with pytest.raises(ValueError, match=f"from {CODE_ALPHABET}, not 'K7Q2X0'"):
        Room(host, code="K7Q2X0")


def test_the_request_budget_allows_a_burst_then_refills_per_address() -> None:
    now = [0.0]
    limiter = RateLimiter(burst=3, rate=2, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b"), "another address has its own budget"
    now[0] = 0.5
    assert limiter.allow("a") and not limiter.allow("a")


def test_the_request_budget_forgets_idle_addresses() -> None:
    now = [0.0]
    limiter = RateLimiter(burst=2, rate=1, clock=lambda: now[0], max_addresses=10)
    for number in range(10):
        limiter.allow(f"10.0.0.{number}")
    now[0] = 5.0
    limiter.allow("10.0.1.1")
    assert len(limiter._buckets) == 1


def test_the_qr_code_draws_segnos_matrix_and_fits_an_80x24_terminal() -> None:
    url = "http://192.168.100.200:8765/#code=K7Q2XM"
    lines = qr_lines(url, invert=False)
    assert len(lines) <= 22 and all(len(line) <= 80 for line in lines)
    rows: list[list[bool]] = []
    for line in lines:
        pairs = [CELLS[char] for char in line]
        rows += [[top for top, _ in pairs], [bottom for _, bottom in pairs]]
    matrix = [[bool(m) for m in row] for row in segno.make(url, error="m").matrix]
    inner = [row[QUIET_ZONE:-QUIET_ZONE] for row in rows[QUIET_ZONE : QUIET_ZONE + len(matrix)]]
    assert inner == matrix
    inverted = qr_lines(url)
    assert inverted[0] == "█" * len(inverted[0]), "inverted: the quiet zone is drawn light"


def test_the_lan_address_is_an_ipv4_address() -> None:
    parts = lan_address().split(".")
    assert len(parts) == 4 and all(part.isdigit() for part in parts)


async def test_a_withdrawn_named_vote_is_not_revived_by_the_facilitators_undo(
    tmp_path: Path,
) -> None:
    async with serve(tmp_path) as served:
        host = served.room.host
        ana = Voter("device-1", "Ana")
        current = served.workshop.indicator.id
        await host.cast_vote(ana, current, 2)
        await host.cast_vote(ana, current, 5)
        await host.withdraw_vote(ana, current)
        assert served.workshop.undo_last() is None
        assert served.saved().rating(current).votes is None  # type: ignore[union-attr]
        with pytest.raises(OffScale):
            await host.cast_vote(Voter("device-2", "Mallory"), current, 3)
        with pytest.raises(StaleIndicator):
            await host.cast_vote(ana, "another-indicator", 3)


async def test_an_anonymous_device_vote_undone_by_the_facilitator_is_no_longer_its_vote(
    tmp_path: Path,
) -> None:
    async with serve(tmp_path, make_session("anonymous")) as served:
        host = served.room.host
        device = Voter("device-1")
        current = served.workshop.indicator.id
        await host.cast_vote(device, current, 3)
        served.workshop.undo_last()
        assert host.vote_of(device, current) is None
        await host.cast_vote(device, current, 4)
        assert served.workshop.votes() == [4], "changing it does not take someone else's vote"


def test_the_room_and_the_join_command_never_load_textual() -> None:
    probe = (
        "import sys, maturity_tui.room.server, maturity_tui.room.client, "
        "maturity_tui.room.workshop_host, maturity_tui.room.qr; "
        "print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"
