"""Tests of ``geo map`` through click's CliRunner."""

from __future__ import annotations

from _helpers import synthetic_incidents
from click.testing import CliRunner

from geo.cli.main import main
from geo.io import write_incidents


def test_map_writes_one_html_file(tmp_path, monkeypatch) -> None:
    from geo.webmap import render as webmap

    monkeypatch.setattr(webmap, "_load_boundaries", lambda border, bands: {})
    source = write_incidents(synthetic_incidents(5), tmp_path / "in.geojson")
    out = tmp_path / "maps" / "incidents.html"
    result = CliRunner().invoke(main, ["map", str(source), "-o", str(out), "--title", "<b>T</b>"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "\\u003cb\\u003eT" in html


def test_map_analyses_raw_input(tmp_path, monkeypatch) -> None:
    from geo.analysis import core as analysis
    from geo.webmap import render as webmap

    calls = []

    def fake_analyze(frame, border):
        calls.append(border)
        return frame.assign(border_distance_km=1.0)

    monkeypatch.setattr(analysis, "analyze", fake_analyze)
    monkeypatch.setattr(webmap, "_load_boundaries", lambda border, bands: {})
    raw = synthetic_incidents(3)[["id", "date", "event_type", "geometry"]]
    source = write_incidents(raw, tmp_path / "raw.geojson")
    out = tmp_path / "m.html"
    result = CliRunner().invoke(main, ["map", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert calls == ["osm"]


def test_map_unknown_tiles_is_a_one_line_error(tmp_path, monkeypatch) -> None:
    from geo.webmap import render as webmap

    monkeypatch.setattr(webmap, "_load_boundaries", lambda border, bands: {})
    source = write_incidents(synthetic_incidents(2), tmp_path / "in.geojson")
    result = CliRunner().invoke(main, ["map", str(source), "-o", str(tmp_path / "m.html"), "--tiles", "nope"])
    assert result.exit_code == 1
    assert "unknown tiles 'nope'" in result.output
    assert not (tmp_path / "m.html").exists()


def test_map_missing_input(tmp_path) -> None:
    result = CliRunner().invoke(main, ["map", str(tmp_path / "none.geojson")])
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_map_draws_a_pairs_file_and_takes_options(tmp_path, monkeypatch) -> None:
    import geopandas as gpd
    from _helpers import embedded_data
    from shapely.geometry import LineString

    from geo.webmap import render as webmap

    monkeypatch.setattr(webmap, "_load_boundaries", lambda border, bands: {})
    source = write_incidents(synthetic_incidents(4), tmp_path / "in.geojson")
    pairs = tmp_path / "pairs.geojson"
    gpd.GeoDataFrame({"km": [12.0]}, geometry=[LineString([(62, 27), (62.5, 27.2)])],
                     crs="EPSG:4326").to_file(pairs, driver="GeoJSON")
    out = tmp_path / "m.html"
    result = CliRunner().invoke(main, ["map", str(source), "-o", str(out), "--pairs", str(pairs),
                                       "--marker-limit", "50", "--province-shading", "count"])
    assert result.exit_code == 0, result.output
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert data["pairs"]["fields"] == ["km"] and len(data["pairs"]["lines"]) == 1
    assert data["markerLimit"] == 50


def test_map_bad_pairs_file_is_a_one_line_error(tmp_path, monkeypatch) -> None:
    from geo.webmap import render as webmap

    monkeypatch.setattr(webmap, "_load_boundaries", lambda border, bands: {})
    source = write_incidents(synthetic_incidents(2), tmp_path / "in.geojson")
    bad = tmp_path / "pairs.geojson"
    bad.write_text("not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["map", str(source), "-o", str(tmp_path / "m.html"), "--pairs", str(bad)])
    assert result.exit_code == 1
    assert "cannot read the pairs file" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "m.html").exists()


def test_map_tiles_key(tmp_path, monkeypatch) -> None:
    from _helpers import embedded_data

    from geo.webmap import render as webmap

    monkeypatch.setattr(webmap, "_load_boundaries", lambda border, bands: {})
    source = write_incidents(synthetic_incidents(2), tmp_path / "in.geojson")
    out = tmp_path / "m.html"
    args = ["map", str(source), "-o", str(out), "--tiles", "Thunderforest.OpenCycleMap"]
    monkeypatch.delenv(webmap.TILES_KEY_VARIABLE, raising=False)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "--tiles-key" in result.output
    result = CliRunner().invoke(main, [*args, "--tiles-key", "abc"])
    assert result.exit_code == 0, result.output
    assert embedded_data(out.read_text(encoding="utf-8"))["tiles"]["url"].endswith("apikey=abc")
