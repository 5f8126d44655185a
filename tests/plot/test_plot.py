"""Report figures: they look as committed, contain what they claim, and are reproducible.

Image baselines live in ``tests/baseline/`` as small 100 dpi PNGs of the synthetic
analysis result in ``tests/fixtures/plot_analysis.geojson``. After an intended change,
regenerate them with ``GEO_UPDATE_BASELINES=1 pytest tests/test_plot.py -k baseline`` and
look at every one before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from matplotlib.collections import PathCollection
from matplotlib.testing.compare import compare_images

from geo.errors import GeoValueError
from geo.legend import EVENT_STYLES
from geo.plot import api as plot
from geo.plot.furniture import MAP_CRS, SCALE_BAR_GID, SCALE_BAR_LABEL_GID, to_lonlat
from geo.plot.labels import LABEL_GID

HERE = Path(__file__).resolve().parent.parent
BASELINE = HERE / "baseline"
FIXTURE = HERE / "fixtures" / "plot_analysis.geojson"

#: RMS difference allowed against a baseline (0-255 scale): absorbs anti-aliasing
#: differences between FreeType builds, not a moved label or a missing layer.
IMAGE_TOLERANCE = 2.0

KINDS = plot.FIGURE_KINDS


@pytest.fixture(scope="module")
def analysis() -> gpd.GeoDataFrame:
    """A synthetic analysis result: 8 incidents, 4 event types, one far outside the map."""
    return gpd.read_file(FIXTURE)


def legend_texts(ax) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None, "the axes have no legend"
    return [t.get_text() for t in legend.get_texts()]


# -- what the figures show --------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_one_legend_entry_per_event_type_present(analysis, kind):
    _, ax = plot.plot_figure(analysis, kind)
    texts = legend_texts(ax)
    shown = [t for t in texts if t in EVENT_STYLES]
    present = set(analysis["event_type"])
    assert sorted(shown) == sorted(present)  # each type once, none missing, none extra


def test_overview_legend_leaves_out_types_not_on_the_map(analysis):
    battles_only = analysis[analysis["event_type"] == "Battles"]
    _, ax = plot.plot_overview(battles_only)
    texts = legend_texts(ax)
    assert [t for t in texts if t in EVENT_STYLES] == ["Battles"]


def test_scale_bar_matches_a_geodesic_within_one_percent(analysis):
    _, ax = plot.plot_overview(analysis)
    (bar,) = [line for line in ax.get_lines() if line.get_gid() == SCALE_BAR_GID]
    x, y = bar.get_xdata(), bar.get_ydata()
    labels = [t.get_text() for t in ax.texts if t.get_gid() == SCALE_BAR_LABEL_GID]
    assert len(labels) == 1
    claimed_km = float(labels[0])
    # back to longitude and latitude through the map's own projection, then measured on
    # the ellipsoid with GeographicLib (not pyproj's geodesic)
    lon, lat = to_lonlat(np.asarray(x), np.asarray(y))
    measured_km = Geodesic.WGS84.Inverse(lat[0], lon[0], lat[1], lon[1])["s12"] / 1000.0
    assert abs(measured_km - claimed_km) / claimed_km < 0.01, (measured_km, claimed_km)


def test_overview_is_in_a_conformal_conic_projection_not_lonlat(analysis):
    _, ax = plot.plot_overview(analysis)
    assert MAP_CRS.coordinate_operation.method_name.startswith("Lambert Conic Conformal")
    xmin, xmax = ax.get_xlim()
    assert xmax - xmin > 500_000  # metres, not degrees
    assert ax.get_aspect() == 1.0


def test_overview_caption_credits_every_source_and_notes_what_is_off_the_map(analysis):
    _, ax = plot.plot_overview(analysis)
    caption = " ".join(t.get_text() for t in ax.texts).replace("\n", " ")
    for credit in ("OpenStreetMap contributors (ODbL)", "Natural Earth (public domain)", "GSHHG (LGPL)",
                   "GeoNames (CC BY 4.0)"):
        assert credit in caption
    assert "Islamabad (2024-01-22)" in caption  # syn-8 lies outside the frame


def test_overview_labels_do_not_overlap(analysis):
    fig, ax = plot.plot_overview(analysis)
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_gid() == LABEL_GID]
    assert len(labels) >= 8  # incidents and towns
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_distance_signs_iran_left_pakistan_right(analysis):
    _, ax = plot.plot_distance(analysis)
    ticks = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    offsets = [c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)]
    xs_by_y = {}
    for points in offsets:
        for x, y in points:
            xs_by_y.setdefault(round(float(y)), []).append(float(x))
    chabahar = next(y for label, y in ticks.items() if label.startswith("Chabahar"))
    jalgai = next(y for label, y in ticks.items() if label.startswith("Jalgai"))
    assert max(xs_by_y[round(chabahar)]) < 0 < min(xs_by_y[round(jalgai)])


def test_distance_error_bars_span_the_precision_range(analysis):
    _, ax = plot.plot_distance(analysis)
    segments = np.concatenate([c.get_segments() for c in ax.collections if hasattr(c, "get_segments")
                               and c.get_segments() and len(c.get_segments()[0]) == 2])
    spans = sorted((round(s[0][0], 2), round(s[1][0], 2)) for s in segments)
    assert (-101.0, -97.0) in spans  # Chabahar: 99 km on Iran's side, ±2 km
    assert (6.18, 56.18) in spans  # Jalgai: 31.18 km on Pakistan's side, 6.18-56.18 km


def test_timeline_lanes_and_sizes(analysis):
    _, ax = plot.plot_timeline(analysis)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Pakistan", "Iran"]
    sizes = np.concatenate([c.get_sizes() for c in ax.collections if len(c.get_offsets())])
    assert sizes.max() > 4 * sizes.min()  # nine deaths draw larger than none
    notes = " ".join(t.get_text() for t in ax.texts)
    assert "Saravan border village: 9 killed" in notes


@pytest.mark.parametrize("kind", KINDS)
def test_missing_columns_and_nan_are_tolerated(kind):
    frame = gpd.GeoDataFrame(
        {"date": ["2024-01-16", None, "not a date"], "event_type": ["Battles", None, "Riots"],
         "border_distance_km": [5.0, np.nan, 20.0], "border_side": ["PAK", "IRN", None],
         "fatalities": [np.nan, 3, None]},
        geometry=[shapely.Point(63.0, 26.5), None, shapely.Point(61.0, 28.0)], crs="EPSG:4326",
    )
    fig, ax = plot.plot_figure(frame, kind)
    assert fig is ax.figure


@pytest.mark.parametrize("kind", KINDS)
def test_empty_result_draws(kind):
    fig, _ = plot.plot_figure(gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4326")), kind)
    assert fig.get_figwidth() > 0


@pytest.mark.parametrize("kind", KINDS)
def test_draws_on_given_axes(analysis, kind):
    from geo.plot.style import new_figure

    fig = new_figure(7, 6)
    ax = fig.add_subplot()
    got_fig, got_ax = getattr(plot, f"plot_{kind}")(analysis, ax)
    assert got_ax is ax and got_fig is fig


# -- print quality and reproducibility ---------------------------------------------------


@pytest.mark.parametrize(("kind", "width"), [("overview", 7.0), ("distance", 3.5), ("timeline", 3.5)])
def test_print_widths(analysis, kind, width):
    fig, _ = plot.plot_figure(analysis, kind)
    assert fig.get_figwidth() == pytest.approx(width)


@pytest.mark.parametrize("kind", KINDS)
def test_same_input_same_bytes(analysis, kind, tmp_path):
    for fmt in plot.FIGURE_FORMATS:
        first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        plot.plot_figure(analysis, kind, first, dpi=100)
        plot.plot_figure(analysis, kind, second, dpi=100)
        assert first.read_bytes() == second.read_bytes(), fmt


def test_same_bytes_across_processes(tmp_path, repo_root):
    """Nothing depends on Python's per-process hash seed (set order, dict of sets)."""
    import subprocess
    import sys

    script = (
        "import sys, geopandas as gpd; from geo import plot; "
        f"r = gpd.read_file({str(FIXTURE)!r}); "
        "[plot.plot_figure(r, k, f'{sys.argv[1]}/{k}.svg') for k in ('overview', 'timeline')]"
    )
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(repo_root)}
        subprocess.run([sys.executable, "-c", script, str(folder)], check=True, env=env, cwd=tmp_path)
        outputs.append([(folder / f"{k}.svg").read_bytes() for k in ("overview", "timeline")])
    assert outputs[0] == outputs[1]


def test_pdf_embeds_truetype_fonts_and_png_is_300_dpi(analysis, tmp_path):
    from PIL import Image

    plot.plot_distance(analysis, filepath=tmp_path / "d.pdf")
    pdf = (tmp_path / "d.pdf").read_bytes()
    assert b"/FontFile2" in pdf and b"/Type3" not in pdf
    assert b"CreationDate" not in pdf
    plot.plot_distance(analysis, filepath=tmp_path / "d.png")
    with Image.open(tmp_path / "d.png") as image:
        assert image.width == round(3.5 * 300)
        assert round(image.info["dpi"][0]) == 300
    plot.plot_distance(analysis, filepath=tmp_path / "d.svg")
    svg = (tmp_path / "d.svg").read_text()
    assert "<dc:date>" not in svg and "<image" not in svg  # vector, undated


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_draws_what_the_png_shows(analysis, kind, tmp_path):
    """Rasterised by poppler, the PDF matches the PNG once both are reduced tenfold.

    Poppler and Agg anti-alias differently, so the comparison is coarse: it catches a
    missing layer, a lost font or a blank page, not a pixel.
    """
    import shutil
    import subprocess

    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    plot.plot_figure(analysis, kind, tmp_path / "f.pdf")
    plot.plot_figure(analysis, kind, tmp_path / "f.png", dpi=100)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(tmp_path / "f.pdf"), str(tmp_path / "p")],
                   check=True)
    with Image.open(tmp_path / "f.png") as png, Image.open(tmp_path / "p.png") as pdf:
        assert abs(png.width - pdf.width) <= 1 and abs(png.height - pdf.height) <= 1
        size = (png.width // 10, png.height // 10)
        a = np.asarray(png.convert("L").resize(size, Image.Resampling.BOX), dtype=float)
        b = np.asarray(pdf.convert("L").resize(size, Image.Resampling.BOX), dtype=float)
    rms = float(np.sqrt(np.mean((a - b) ** 2)))
    blank = float(np.sqrt(np.mean((a - 255.0) ** 2)))
    assert rms < 10.0 < blank, (rms, blank)


def test_global_rcparams_are_left_alone(analysis, tmp_path):
    before = dict(mpl.rcParams)
    plot.plot_timeline(analysis, filepath=tmp_path / "t.pdf")
    after = dict(mpl.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def test_save_figures_writes_nine_sorted_files(analysis, tmp_path):
    written = plot.save_figures(analysis, tmp_path / "figures")
    names = [p.name for p in written]
    assert names == sorted(f"{k}.{f}" for k in KINDS for f in plot.FIGURE_FORMATS)
    assert all(p.stat().st_size > 1000 for p in written)
    assert not [p for p in (tmp_path / "figures").iterdir() if p.name.startswith(".")]  # no temp files left


def test_bad_extension_and_kind_are_user_errors(analysis, tmp_path):
    with pytest.raises(GeoValueError, match="extension 'jpg'"):
        plot.plot_distance(analysis, filepath=tmp_path / "d.jpg")
    with pytest.raises(GeoValueError, match="unknown figure kind"):
        plot.plot_figure(analysis, "map")


def test_bundled_incidents_draw(tmp_path):
    """The real data: read, analyzed, drawn; the two capitals are off the map and noted."""
    import geo
    from geo.datasets import data_path

    result = geo.analyze(gpd.read_file(data_path("incidents.geojson")))
    written = plot.save_figures(result, tmp_path, dpi=72)
    assert len(written) == 9
    _, ax = plot.plot_overview(result)
    caption = " ".join(t.get_text() for t in ax.texts).replace("\n", " ")
    assert re.search(r"outside the frame: .*Islamabad", caption)


# -- image comparison --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_matches_baseline(analysis, kind, tmp_path):
    expected = BASELINE / f"{kind}.png"
    actual = tmp_path / f"{kind}.png"
    plot.plot_figure(analysis, kind, actual, dpi=100)
    if os.environ.get("GEO_UPDATE_BASELINES") == "1":
        BASELINE.mkdir(exist_ok=True)
        expected.write_bytes(actual.read_bytes())
        pytest.skip(f"baseline {expected.name} updated; look at it before committing")
    assert expected.exists(), f"no baseline {expected}; run with GEO_UPDATE_BASELINES=1"
    diff = compare_images(str(expected), str(actual), tol=IMAGE_TOLERANCE)
    assert diff is None, diff


def test_text_uses_the_dejavu_sans_shipped_with_matplotlib():
    from matplotlib import font_manager

    from geo.plot.style import style

    with style():
        for weight, fontstyle in (("normal", "normal"), ("bold", "normal"), ("normal", "italic")):
            props = font_manager.FontProperties(weight=weight, style=fontstyle)
            path = Path(font_manager.findfont(props, fallback_to_default=False))
            assert path.name.startswith("DejaVuSans") and Path(mpl.get_data_path()) in path.parents


def test_event_styles_are_colour_blind_safe():
    from geo.legend import OKABE_ITO

    assert {s.color for s in EVENT_STYLES.values()} <= set(OKABE_ITO.values())
    assert len({s.marker for s in EVENT_STYLES.values()}) == len(EVENT_STYLES)  # shape too, not color alone


def test_table_of_kinds_matches_cli():
    from geo.cli.figure import KINDS as CLI_KINDS

    assert tuple(CLI_KINDS) == KINDS
