"""Chart geometry: whatever the numbers, every shape stays inside its drawing and in
proportion to what it shows."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from maturity_tui import charts

scores = st.one_of(st.none(), st.floats(0, 3, allow_nan=False))


@given(st.lists(st.tuples(scores, scores), min_size=3, max_size=12))
def test_a_radars_points_stay_on_their_spokes_inside_the_drawing(
    rows: list[tuple[float | None, float | None]],
) -> None:
    values, targets = [v for v, _ in rows], [t for _, t in rows]
    radar = charts.radar(values, targets, 3.0)
    radius = math.dist((radar.centre_x, radar.centre_y), (radar.spokes[0].x, radar.spokes[0].y))
    assert len(radar.dots) == len(radar.spokes) == len(values)
    for dot, value in zip(radar.dots, values, strict=True):
        share = math.dist((radar.centre_x, radar.centre_y), (dot.x, dot.y)) / radius
        assert math.isclose(share, (value or 0.0) / 3.0, abs_tol=1e-9)
    assert len(radar.target_marks) == sum(t is not None for t in targets)
    assert (radar.target is not None) == all(t is not None for t in targets)
    for spoke in radar.spokes:
        assert 0 <= spoke.label_x <= radar.width and 0 <= spoke.label_y <= radar.height


def test_a_radars_rings_are_whole_steps_on_samms_scale_and_quarters_otherwise() -> None:
    assert charts.ring_steps(3.0) == [1.0, 2.0, 3.0]
    assert charts.ring_steps(1.0) == [0.25, 0.5, 0.75, 1.0]
    assert [t.label for t in charts.radar([1, 2, 3], [None] * 3, 3.0).ticks] == ["1", "2"]


counts = st.lists(st.integers(0, 40), min_size=4, max_size=4)


@given(st.lists(counts, min_size=1, max_size=8), st.floats(0, 200))
def test_stacked_bars_are_in_proportion_and_the_longest_fills_the_width(
    rows: list[list[int]], left: float
) -> None:
    kinds = ["red", "amber", "green", "unrated"]
    chart = charts.stacked_bars([list(zip(kinds, row, strict=True)) for row in rows], left=left)
    longest = max(sum(row) for row in rows)
    for row, drawn in zip(rows, chart.rows, strict=True):
        assert [s.count for s in drawn.segments] == [n for n in row if n]
        end = left
        for segment in drawn.segments:
            assert math.isclose(segment.x, end)
            assert math.isclose(segment.width, segment.count * (chart.width - left) / longest)
            end += segment.width
        if sum(row) == longest and longest:
            assert math.isclose(end, chart.width)
