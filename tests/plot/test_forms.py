"""Each figure takes its form from the data: one mark per incident for few, aggregates for many.

Also: no two text boxes overlap in any figure at 8, 6,000 and 60,000 incidents (measured
with matplotlib's renderer), and each figure has a title and a source line.
"""

from __future__ import annotations

from unittest import mock

import geopandas as gpd
import numpy as np
import pytest
from matplotlib.text import Text

from geo.legend import credit_line
from geo.plot import api as plot

FORM_MARKS = {"distance": "hist-", "timeline": "period-counts", "overview": "hexagons"}


def gids(fig) -> set[str]:
    return {a.get_gid() for a in fig.findobj() if a.get_gid()}


def has_mark(fig, prefix: str) -> bool:
    return any(g.startswith(prefix) for g in gids(fig))


@pytest.mark.parametrize("kind", sorted(FORM_MARKS))
def test_few_incidents_get_one_mark_each(events, kind):
    fig, _ = plot.plot_figure(events(6000).iloc[:10], kind)
    assert not has_mark(fig, FORM_MARKS[kind])


@pytest.mark.parametrize("kind", sorted(FORM_MARKS))
def test_many_incidents_are_aggregated(events, kind):
    fig, _ = plot.plot_figure(events(10_000), kind)
    assert has_mark(fig, FORM_MARKS[kind])


@pytest.mark.parametrize("kind", sorted(FORM_MARKS))
def test_style_forces_the_form(events, kind):
    few, many = events(6000).iloc[:10], events(6000).iloc[:400]
    assert has_mark(plot.plot_figure(few, kind, style="aggregate")[0], FORM_MARKS[kind])
    assert not has_mark(plot.plot_figure(many, kind, style="points")[0], FORM_MARKS[kind])


def test_unknown_style_names_the_choices(events):
    from geo.errors import GeoValueError

    with pytest.raises(GeoValueError, match=r"unknown style 'dots'; choose one of \['auto', 'points', 'aggregate'\]"):
        plot.plot_figure(events(6000).iloc[:10], "distance", style="dots")


def visible_texts(fig) -> list[Text]:
    """The texts the renderer draws (a tick label outside the axes' limits is not drawn)."""
    seen: dict[int, Text] = {}
    original = Text.draw

    def record(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            seen[id(self)] = self

    with mock.patch.object(Text, "draw", record):
        fig.canvas.draw()
    return list(seen.values())


def overlapping(fig) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap by more than half a pixel both ways."""
    texts = visible_texts(fig)
    renderer = fig.canvas.get_renderer()
    # the text's own box: an annotation's box would include its leader line
    boxes = np.array([Text.get_window_extent(t, renderer).extents for t in texts]).reshape(-1, 4)
    pairs = []
    for i in range(len(texts)):
        b = boxes[i + 1:]
        hit = (np.minimum(boxes[i, 2], b[:, 2]) - np.maximum(boxes[i, 0], b[:, 0]) > 0.5) & \
              (np.minimum(boxes[i, 3], b[:, 3]) - np.maximum(boxes[i, 1], b[:, 1]) > 0.5)
        pairs += [(texts[i].get_text(), texts[i + 1 + j].get_text()) for j in np.flatnonzero(hit)]
    return pairs


@pytest.mark.parametrize("n", [8, 6000, 60_000])
@pytest.mark.parametrize("kind", plot.FIGURE_KINDS)
def test_no_two_texts_overlap(analysis_8, events, kind, n):
    result = analysis_8 if n == 8 else events(n)
    fig, _ = plot.plot_figure(result, kind)
    assert overlapping(fig) == []


@pytest.mark.parametrize("options", [{"kind": "distance", "by": "year"}, {"kind": "distance", "by": "event_type"},
                                     {"kind": "timeline", "focus": "2020-03"},
                                     {"kind": "overview", "shade": "provinces"},
                                     {"kind": "bands", "value": "fatalities"}])
def test_no_two_texts_overlap_in_the_variants(events, options):
    fig, _ = plot.plot_figure(events(6000), **options)
    assert overlapping(fig) == []


@pytest.mark.parametrize("kind", plot.FIGURE_KINDS)
def test_title_and_source_line(analysis_8, kind):
    fig, _ = plot.plot_figure(analysis_8, kind, source="/data/acled_2016_2024.csv", title="My title")
    text = " ".join(t.get_text() for t in visible_texts(fig)).replace("\n", " ")
    assert "My title" in text
    assert credit_line("acled_2016_2024.csv") in text


def test_source_column_names_the_data(events):
    fig, _ = plot.plot_figure(events(6000).assign(source="ACLED export 2016-2024"), "trend")
    text = " ".join(t.get_text() for t in visible_texts(fig)).replace("\n", " ")
    assert "Incidents: ACLED export 2016-2024;" in text


@pytest.mark.parametrize(("width", "inches"), [("single", 3.5), ("double", 7.2), ("slide", 13.3)])
def test_width_presets(analysis_8, width, inches):
    for kind in plot.FIGURE_KINDS:
        fig, _ = plot.plot_figure(analysis_8, kind, width=width)
        assert fig.get_figwidth() == pytest.approx(inches)


@pytest.fixture(scope="module")
def analysis_8() -> gpd.GeoDataFrame:
    from pathlib import Path

    return gpd.read_file(Path(__file__).resolve().parent.parent / "fixtures" / "plot_analysis.geojson")


def test_label_column_labels_the_incidents(analysis_8):
    _, ax = plot.plot_distance(analysis_8, label_column="id")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert all(label.startswith("syn-") for label in labels)


@pytest.mark.parametrize("kind", plot.FIGURE_KINDS)
def test_aggregate_forms_give_the_same_bytes(events, kind, tmp_path):
    for fmt in ("svg", "pdf"):
        first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        plot.plot_figure(events(6000), kind, first)
        plot.plot_figure(events(6000), kind, second)
        assert first.read_bytes() == second.read_bytes(), fmt


def test_svg_keeps_text_as_text(events, tmp_path):
    path = tmp_path / "d.svg"
    plot.plot_distance(events(6000), filepath=path)
    svg = path.read_text(encoding="utf-8")
    assert "<text" in svg and "Distance to the border (km)" in svg
