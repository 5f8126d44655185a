"""The outlines the interactive map draws: provinces (shaded and counted), countries, the border, its bands.

Geometries are simplified and rounded so the page stays small, names get label points
clear of the incidents, and each incident is assigned to its province so the page can
count any filtered subset per province. Colors come from :mod:`geo.legend`.

Examples
--------
>>> count_classes(400)
[0, 1, 5, 20, 100]
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.legend import BAND_COLORS, PROVINCE_SCALE
from geo.webmap.payload import display_text, is_missing

#: Tolerance in degrees for simplifying province and country outlines (about 1 km).
#: The border line itself is kept as it is.
SIMPLIFY_DEG: float = 0.01
# ------------------------------------------------------------------------ boundaries


def _geometry_json(geom: Any, *, simplify: float | None, decimals: int = 4) -> dict[str, Any] | None:
    from shapely import set_precision
    from shapely.geometry import mapping

    if geom is None or geom.is_empty:
        return None
    if simplify:
        geom = geom.simplify(simplify, preserve_topology=True)
    geom = set_precision(geom, 10.0 ** -decimals)
    if geom.is_empty:
        return None
    document: dict[str, Any] = json.loads(json.dumps(mapping(geom)))
    return document


def _focus_names(provinces: gpd.GeoDataFrame) -> list[str]:
    if "focus" in provinces.columns:
        return [str(n) for n in provinces.loc[provinces["focus"].fillna(False).astype(bool), "name"]]
    return [str(n) for n in provinces["name"]]


def _province_counts(provinces: gpd.GeoDataFrame, rows: gpd.GeoDataFrame, lon: np.ndarray,
                     lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count incidents and fatalities per province: by ``admin1`` where it names one, else by place.

    Returns the counts, the fatalities and each incident's province (its position, -1 for none).
    """
    names = provinces["name"].astype(str).tolist()
    lookup = {name.casefold(): k for k, name in enumerate(names)}
    which = np.full(len(rows), -1, dtype=np.int64)
    if "admin1" in rows.columns:
        which = np.array([lookup.get(str(a).casefold(), -1) if not is_missing(a) else -1
                          for a in rows["admin1"]], dtype=np.int64)
    todo = np.flatnonzero(which < 0)
    if len(todo):
        points = gpd.GeoSeries(gpd.points_from_xy(lon[todo], lat[todo]), crs="EPSG:4326")
        tree_hits = provinces.geometry.reset_index(drop=True).sindex.query(points, predicate="within")
        # the first province that holds each point (provinces do not overlap)
        point_idx, poly_idx = tree_hits
        order = np.lexsort((poly_idx, point_idx))
        point_idx, poly_idx = point_idx[order], poly_idx[order]
        first = np.unique(point_idx, return_index=True)[1]
        which[todo[point_idx[first]]] = poly_idx[first]
    counts = np.bincount(which[which >= 0], minlength=len(names))
    fatalities = np.zeros(len(names))
    if "fatalities" in rows.columns:
        f = pd.to_numeric(rows["fatalities"], errors="coerce").fillna(0).to_numpy()
        np.add.at(fatalities, which[which >= 0], f[which >= 0])
    return counts, fatalities, which


def _nice(x: float) -> int:
    """The number of the 1-2-5 series nearest to ``x`` on a log scale."""
    exponent = math.floor(math.log10(x))
    candidates = [m * 10**e for e in (exponent - 1, exponent, exponent + 1) for m in (1, 2, 5)]
    return int(min(candidates, key=lambda c: abs(math.log(c) - math.log(x))))


def count_classes(max_count: int) -> list[int]:
    """Class breaks (lower bounds) for the province shading, from 0 up.

    Small counts get one class each; larger ones 0, 1 and three round breaks spaced
    evenly on a log scale, so a province with 10 times more incidents looks darker.

    Examples
    --------
    >>> count_classes(3)
    [0, 1, 2, 3]
    >>> count_classes(400)
    [0, 1, 5, 20, 100]
    """
    if max_count <= 0:
        return [0]
    if max_count <= 4:
        return list(range(max_count + 1))
    inner = {_nice(max_count ** (k / 4)) for k in (1, 2, 3)}
    return [0, 1, *sorted(b for b in inner if 1 < b < max_count)]


def _avoid_points(rows: pd.DataFrame, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Incidents and the border ends of their connector lines, where labels would collide."""
    if "nearest_border_lon" in rows.columns and "nearest_border_lat" in rows.columns:
        bx = pd.to_numeric(rows["nearest_border_lon"], errors="coerce").to_numpy(dtype=float)
        by = pd.to_numeric(rows["nearest_border_lat"], errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(bx) & np.isfinite(by)
        return np.concatenate([lon, bx[ok]]), np.concatenate([lat, by[ok]])
    return lon, lat


def _border_label_point(line: Any, lon: np.ndarray, lat: np.ndarray) -> list[float] | None:
    """A point on the border for its name, as far as possible from any incident."""
    if line.is_empty:
        return None
    candidates = [line.interpolate(f, normalized=True) for f in np.linspace(0.15, 0.85, 15)]
    xy = np.array([(p.x, p.y) for p in candidates])
    if len(lon):
        step = max(1, len(lon) // 5000)  # a sample is enough to stay clear of the crowd
        px, py = lon[::step], lat[::step]
        clearance = np.array([np.min(np.hypot(px - x, py - y)) for x, y in xy])
        best = int(np.argmax(clearance))
    else:
        best = len(xy) // 2
    return [round(float(xy[best, 1]), 4), round(float(xy[best, 0]), 4)]


def _class_color(k: int, n_classes: int) -> str:
    """The color of class ``k`` of ``n_classes``: the top class is always the darkest."""
    if n_classes <= 1:
        return PROVINCE_SCALE[0]
    return PROVINCE_SCALE[round(k * (len(PROVINCE_SCALE) - 1) / (n_classes - 1))]


def _label_point(geom: Any, view: Any = None, avoid: Any = None) -> list[float] | None:
    """Where to write a name: inside the part of ``geom`` in view, away from ``avoid``."""
    if geom is None or geom.is_empty:
        return None
    part = geom
    if view is not None:
        part = part.intersection(view)
    if avoid is not None and not part.is_empty:
        rest = part.difference(avoid)
        if not rest.is_empty and rest.area > 0.05 * part.area:
            part = rest
    if part.is_empty:
        return None
    if part.geom_type == "MultiPolygon":
        part = max(part.geoms, key=lambda g: g.area)  # the main piece, not an island
    point = part.representative_point()
    return [round(point.y, 3), round(point.x, 3)]


def _round2(x: float) -> float:
    """``x`` to two significant digits (class breaks a reader can take in)."""
    if x <= 0:
        return 0.0
    return float(round(x, 1 - math.floor(math.log10(x))))


def density_classes(max_density: float, n: int = 5) -> list[float]:
    """Equal-interval class breaks (lower bounds) from 0 to ``max_density``, rounded.

    Equal intervals keep two provinces of similar density apart, where the log classes of
    counts would put both in the top class.

    Examples
    --------
    >>> density_classes(1185.0)
    [0.0, 240.0, 470.0, 710.0, 950.0]
    >>> density_classes(0.0)
    [0.0]
    """
    if max_density <= 0:
        return [0.0]
    breaks = sorted({_round2(max_density * k / n) for k in range(n)})
    return breaks


def province_areas_km2(provinces: gpd.GeoDataFrame) -> np.ndarray:
    """Geodesic areas (WGS84) of the provinces in km²."""
    from geo.ellipsoid import GEOD

    return np.array([abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 if g is not None and not g.is_empty else np.nan
                     for g in provinces.geometry])


def _shading(provinces: gpd.GeoDataFrame, counts: np.ndarray, focus: set[str],
             shading: str) -> tuple[list[str | None], list[dict[str, Any]], str, np.ndarray]:
    """Fill of each province, the legend's classes and title, and each province's density."""
    areas = province_areas_km2(provinces)
    density = np.where(areas > 0, counts / areas * 1e4, 0.0)
    is_focus = provinces["name"].astype(str).isin(focus).to_numpy()
    values = density if shading == "density" else counts.astype(float)
    top = float(values[is_focus].max()) if is_focus.any() else 0.0
    if shading == "density":
        breaks: list[float] = density_classes(top)
        title = "Incidents per 10,000 km²"
    else:
        breaks = [float(b) for b in count_classes(int(top))]
        title = "Incidents per province"
    fills: list[str | None] = []
    for k in range(len(provinces)):
        cls = int(np.searchsorted(breaks, values[k], side="right") - 1)
        fills.append(_class_color(cls, len(breaks)) if is_focus[k] else None)
    classes = []
    for i, b in enumerate(breaks):
        if shading == "density":
            label = f"{b:g}–{breaks[i + 1]:g}" if i + 1 < len(breaks) else f"{b:g}–{top:.3g}"
        else:
            hi = breaks[i + 1] - 1 if i + 1 < len(breaks) else top
            label = f"{b:g}" if hi == b else f"{b:g}–{hi:g}"
        classes.append({"from": b, "label": label, "color": _class_color(i, len(breaks))})
    return fills, classes, title, density


def _province_features(provinces: gpd.GeoDataFrame, focus: set[str], counts: np.ndarray, fatalities: np.ndarray,
                       fills: list[str | None], density: np.ndarray) -> list[dict[str, Any]]:
    features = []
    for k, (_, prov) in enumerate(provinces.iterrows()):
        is_focus = str(prov["name"]) in focus
        local = (display_text(prov.get("name_ur")), display_text(prov.get("name_fa")))
        features.append({
            "type": "Feature",
            "geometry": _geometry_json(prov.geometry, simplify=SIMPLIFY_DEG, decimals=3),
            "properties": {
                "name": display_text(prov.get("name")),
                "local": "; ".join(t for t in local if t) or None,
                "country": display_text(prov.get("country")),
                "focus": is_focus,
                "count": int(counts[k]),
                "fatalities": int(fatalities[k]),
                "density": round(float(density[k]), 2),
                "fill": fills[k],
                "label": _label_point(prov.geometry) if is_focus else None,
            },
        })
    return features


def _province_part(provinces: gpd.GeoDataFrame, rows: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray,
                   shading: str) -> tuple[dict[str, Any], Any, Any]:
    """The provinces layer with its legend, the focus provinces' bounds and their union."""
    provinces = provinces.to_crs("EPSG:4326") if provinces.crs and provinces.crs.to_epsg() != 4326 else provinces
    focus = set(_focus_names(provinces))
    counts, fatalities, which = _province_counts(provinces, rows, lon, lat)
    fills, classes, title, density = _shading(provinces, counts, focus, shading)
    features = _province_features(provinces, focus, counts, fatalities, fills, density)
    out = {"incidentProvince": which.tolist(), "provinces": {"type": "FeatureCollection", "features": features},
           "provinceClasses": classes, "provinceTitle": title}
    focus_rows = provinces[provinces["name"].astype(str).isin(focus)]
    if not len(focus_rows):
        return out, None, None
    return out, focus_rows.total_bounds, focus_rows.geometry.union_all()


def _country_part(countries: gpd.GeoDataFrame, region: Any, focus_area: Any) -> dict[str, Any]:
    from shapely.geometry import box

    if region is not None:
        # keep only what is near the two provinces: the page stays small
        minx, miny, maxx, maxy = region
        clip = box(minx - 12, miny - 8, maxx + 12, maxy + 8)
        countries = countries[countries.intersects(clip)].copy()
        countries["geometry"] = countries.geometry.intersection(clip)
    # country names go where the initial view shows them, beside the two provinces
    view = box(*region) if region is not None else None
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature",
         "geometry": _geometry_json(row.geometry, simplify=SIMPLIFY_DEG, decimals=3),
         "properties": {"name": display_text(row.get("name")), "iso3": display_text(row.get("iso3")),
                        "label": _label_point(row.geometry, view, focus_area)}}
        for _, row in countries.iterrows()
    ]}


def _border_part(border: gpd.GeoDataFrame, rows: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray) -> dict[str, Any]:
    from shapely.ops import linemerge, unary_union

    line = unary_union(list(border.geometry))
    if line.geom_type == "MultiLineString":
        line = linemerge(line)
    return {"geometry": _geometry_json(line, simplify=None, decimals=5),
            "label": _border_label_point(line, *_avoid_points(rows, lon, lat))}


def _corridor_part(corridors: Sequence[tuple[float, Any]]) -> list[dict[str, Any]]:
    """Each band as the ring between its corridor and the next narrower one."""
    bands = []
    previous = None
    low = 0.0
    for k, (km, polygon) in enumerate(sorted(corridors, key=lambda c: c[0])):
        ring = polygon if previous is None else polygon.difference(previous)
        bands.append({
            "label": f"{low:g}–{km:g} km",
            "color": BAND_COLORS[k % len(BAND_COLORS)],
            "geometry": _geometry_json(ring, simplify=0.002, decimals=4),
        })
        previous, low = polygon, km
    return bands


def boundary_payload(context: Mapping[str, Any], rows: gpd.GeoDataFrame, lon: np.ndarray,
                      lat: np.ndarray, bands_km: Sequence[float], shading: str = "density") -> dict[str, Any]:
    out: dict[str, Any] = {}
    region = focus_area = None
    provinces = context.get("provinces")
    if provinces is not None and len(provinces):
        part, region, focus_area = _province_part(provinces, rows, lon, lat, shading)
        out.update(part)
    countries = context.get("countries")
    if countries is not None and len(countries):
        out["countries"] = _country_part(countries, region, focus_area)
    border = context.get("border")
    if border is not None and len(border):
        out["border"] = _border_part(border, rows, lon, lat)
        if region is None:
            region = border.total_bounds
    corridors = context.get("corridors") or []
    if corridors:
        out["corridors"] = _corridor_part(corridors)
    if region is not None:
        out["region"] = tuple(round(float(v), 3) for v in region)
    return out
