"""Derive the drawing areas and per-town distances that ``geo/synthetic.toml`` holds.

``geo.synthetic`` sits in the package's base layer and may not read the boundaries, so its
tables carry what this script computes from them once:

- for each country, the area within which its synthetic events are drawn: its border
  province (Balochistan, Sistan and Baluchestan) clipped to the study window, kept 2.5 km
  off the coast, the Afghan border and the other provinces and 1.2 km off the
  Iran-Pakistan border (OpenStreetMap line), then simplified to 0.8 km, so that every
  point inside lies at least 0.4 km inside its province; printed as the first vertex and
  then the steps between vertices, in thousandths of a degree;
- for each town, its geodesic distance to the border (``border_km``) and to the nearest
  edge of its province (``room_km``, rounded down to 0.1 km).

The buffers are made in UTM zone 41N (scale error under 0.2 % over the region, a few metres
on these margins); ``tests/test_synthetic.py`` checks the result geodesically.

Usage::

    python scripts/derive_synthetic_areas.py           # print the values
    python scripts/derive_synthetic_areas.py --check   # exit 1 unless synthetic.toml holds them
"""

from __future__ import annotations

import sys
import textwrap
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import synthetic
from geo.geodesy import distance
from geo.reference import boundaries

UTM = "EPSG:32641"
WINDOW = (58.0, 24.0, 68.2, 32.0)  # lon/lat: every town and 80 km around it
OUTER_KM, OUTER_TOL_KM = 2.5, 2.0
BORDER_KM, BORDER_TOL_KM = 1.2, 0.8


def areas() -> dict[str, str]:
    focus = boundaries.provinces().query("focus").set_index("country").to_crs(UTM)
    window = gpd.GeoSeries([shapely.box(*WINDOW)], crs=4326).to_crs(UTM).iloc[0]
    outer = focus.geometry.union_all().intersection(window)
    outer = outer.buffer(-OUTER_KM * 1000).simplify(OUTER_TOL_KM * 1000)
    out = {}
    for iso3, province in focus.geometry.items():
        area = province.intersection(outer).buffer(-BORDER_KM * 1000).simplify(BORDER_TOL_KM * 1000)
        if area.geom_type == "MultiPolygon":  # slivers cut off by the buffer
            area = max(area.geoms, key=lambda part: part.area)
        ring = gpd.GeoSeries([area], crs=UTM).to_crs(4326).iloc[0].exterior
        milli = np.round(np.asarray(ring.coords) * 1000).astype(np.int64)
        steps = np.vstack([milli[:1], np.diff(milli, axis=0)])
        out[iso3] = " ".join(f"{x} {y}" for x, y in steps)
    return out


def town_figures() -> list[tuple[str, float, float]]:
    towns = synthetic.towns()
    points = gpd.GeoSeries(gpd.points_from_xy(towns.longitude, towns.latitude), crs=4326)
    border_km = distance.border_distance(points).to_numpy()
    geod = Geod(ellps="WGS84")
    focus = boundaries.provinces().query("focus").set_index("country")
    rows = []
    for i, (name, iso3, lon, lat) in enumerate(zip(towns["name"], towns["country"], towns["longitude"],
                                                   towns["latitude"], strict=True)):
        province = focus.loc[iso3, "geometry"]
        x, y = np.asarray(shapely.segmentize(province.exterior, 0.0005).coords).T
        _, _, metres = geod.inv(np.full(len(x), lon), np.full(len(x), lat), x, y)
        room = np.floor(metres.min() / 100) / 10 if province.contains(shapely.Point(lon, lat)) else 0.0
        rows.append((str(name), round(float(border_km[i]), 1), float(room)))
    return rows


def main(argv: list[str]) -> int:
    derived_areas, figures = areas(), town_figures()
    if "--check" in argv:
        tables = tomllib.loads((Path(synthetic.__file__).with_name("synthetic.toml")).read_text(encoding="utf-8"))
        held = {row[0]: (row[6], row[7]) for row in tables["towns"]}
        same = all(" ".join(tables["drawing_areas"][k].split()) == v for k, v in derived_areas.items())
        same &= all(held[name] == (border_km, room_km) for name, border_km, room_km in figures)
        print("synthetic.toml holds the derived values" if same else "synthetic.toml differs from the derivation")
        return 0 if same else 1
    print("[drawing_areas]")
    for iso3, text in derived_areas.items():
        print(f'{iso3} = """', *textwrap.wrap(text, 96), '"""', sep="\n")
    for name, border_km, room_km in figures:
        print(f"{name:24s} border_km={border_km:6.1f} room_km={room_km:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
