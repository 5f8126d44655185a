"""The shipped derived data (``data/derived``): current, recorded, used, and never trusted blindly."""

from __future__ import annotations

import hashlib
import json
import shutil

import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo import cache, settings
from geo.datasets import data_path
from geo.geodesy import corridor
from geo.geodesy.corridor import border_corridor, corridor_arrays, corridor_key
from geo.reference.boundaries import BORDER_SOURCES, border

FOLDER = data_path("derived")
GEOD = Geod(ellps="WGS84")


def _doc() -> dict:
    return json.loads((FOLDER / "provenance.json").read_text(encoding="utf-8"))


def test_every_shipped_file_is_recorded_with_its_checksum():
    doc = _doc()
    shipped = {p.relative_to(FOLDER).as_posix() for p in FOLDER.rglob("*") if p.is_file()} - {"provenance.json"}
    assert set(doc["files"]) == shipped
    for name, record in doc["files"].items():
        assert hashlib.sha256((FOLDER / name).read_bytes()).hexdigest() == record["sha256"], name
    assert doc["generator"] == "scripts/build_derived.py"
    assert {"geo", "shapely", "geos"} <= set(doc["built_with"])


def test_the_shipped_corridors_are_those_of_todays_borders_and_parameters():
    """A changed border file or construction changes the keys: this fails until the script is rerun."""
    expected = {f"corridor/{cache.entry_name(corridor_key(km, None, b))}"
                for b in BORDER_SOURCES for km in settings.DEFAULT_BANDS_KM}
    shipped = {name for name in _doc()["files"] if name.startswith("corridor/")}
    assert shipped == expected


def test_each_corridor_carries_the_licences_of_its_border():
    boundaries = json.loads(data_path("boundaries", "provenance.json").read_text(encoding="utf-8"))
    for record in _doc()["files"].values():
        if "derived_from" not in record:
            continue
        origin = record["derived_from"]
        sources = boundaries["files"][origin["file"].rsplit("/", 1)[1]]["sources"]
        assert origin["sources"] == sources
        assert origin["licences"] == sorted({boundaries["sources"][s]["data_licence"] for s in sources})
    osm = [r for r in _doc()["files"].values() if r.get("derived_from", {}).get("file", "").endswith("/border.geojson")]
    assert len(osm) == len(settings.DEFAULT_BANDS_KM) and all("ODbL-1.0" in r["derived_from"]["licences"] for r in osm)


@pytest.mark.parametrize("source", sorted(BORDER_SOURCES))
def test_a_default_band_is_read_from_the_shipped_entry_not_built(counted_builds, tmp_path, source):
    for km in settings.DEFAULT_BANDS_KM:
        assert border_corridor(km, border=source).area > 0
    assert counted_builds == []
    assert not (tmp_path / "cache").exists()  # nothing needed writing


def test_a_shipped_corridor_is_what_the_construction_builds(counted_builds):
    """Rebuilt here (the smallest: 10 km of the Natural Earth border), it matches the shipped one."""
    shipped = border_corridor(10, border="naturalearth")
    rebuilt = shapely.from_wkb(corridor_arrays(10, None, "naturalearth")["wkb"].tobytes())
    assert shapely.hausdorff_distance(shipped, rebuilt) < 1e-7  # degrees: about a centimetre
    area_shipped = abs(GEOD.geometry_area_perimeter(shipped)[0])
    assert area_shipped == pytest.approx(abs(GEOD.geometry_area_perimeter(rebuilt)[0]), rel=1e-9)


def test_a_shipped_corridor_reaches_the_stated_distance(counted_builds):
    """Independently of our distance code: GeographicLib's inverse from points on the edge.

    Every outer-edge vertex of the 25 km corridor lies 25 km from the border, give or
    take the border's simplification and the fans' chord sag.
    """
    geometry = border_corridor(25, border="naturalearth")
    outer = max(getattr(geometry, "geoms", [geometry]), key=lambda polygon: polygon.area)
    ring = np.asarray(outer.exterior.coords)
    line = border("naturalearth").geometry.iloc[0]
    dense = np.asarray(line.segmentize(0.002).coords)  # ~200 m spacing, so the nearest vertex is close
    sample = ring[:: max(1, len(ring) // 200)]
    nearest = np.empty(len(sample))
    for i, (x, y) in enumerate(sample):
        _, _, metres = GEOD.inv(np.full(len(dense), x), np.full(len(dense), y), dense[:, 0], dense[:, 1])
        nearest[i] = metres.min() / 1000.0
    assert np.all(np.abs(nearest - 25.0) < corridor.SIMPLIFY_M / 1000 + 0.03), (nearest.min(), nearest.max())


@pytest.mark.parametrize("damage", ["garbage", "tampered"])
def test_a_damaged_shipped_entry_is_rebuilt_not_trusted(counted_builds, tmp_path, monkeypatch, damage):
    shipped = tmp_path / "derived"
    shutil.copytree(FOLDER, shipped)
    monkeypatch.setattr(cache, "shipped_dir", lambda: shipped)
    entry = shipped / "corridor" / cache.entry_name(corridor_key(10, None, "naturalearth"))
    good = border_corridor(10, border="naturalearth")
    border_corridor.cache_clear()
    if damage == "garbage":
        entry.write_bytes(b"not a cache entry")
    else:  # well formed, the right key, another polygon: the checksum tells
        with np.load(entry) as stored:
            arrays = dict(stored)
        arrays["wkb"] = np.frombuffer(shapely.to_wkb(shapely.box(60, 25, 61, 26)), dtype=np.uint8)
        with entry.open("wb") as handle:
            np.savez(handle, **arrays)
    again = border_corridor(10, border="naturalearth")
    assert counted_builds == [(10.0, None, "naturalearth")]
    assert shapely.hausdorff_distance(again, good) < 1e-7
    assert len(list((tmp_path / "cache" / "corridor").glob("*.npz"))) == 1  # the rebuilt one, in the user cache
