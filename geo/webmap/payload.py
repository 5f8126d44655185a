"""What the interactive map carries: its data, encoded compactly and checked for safety.

:mod:`geo.webmap.render` turns a GeoDataFrame into one JSON blob through these functions: text
columns dictionary-encoded, numbers rounded, links kept only for http and https, many
points aggregated into a grid, and boundaries simplified, counted and labelled. Nothing
here knows about folium or HTML.

Examples
--------
>>> _encode_text(["Saravan", "Saravan", None])
{'v': ['Saravan'], 'c': [0, 0, -1]}
>>> _safe_url("javascript:alert(1)") is None
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.legend import type_name, type_styles

#: At most this many (cell, period) groups in the aggregated view.
_GRID_MAX_GROUPS: int = 60_000

#: Decimal places of incident coordinates in the page (5 is about 1 m).
MAP_DECIMALS: int = 5

#: Tolerance in degrees for simplifying province and country outlines (about 1 km).
#: The border line itself is kept as it is.
SIMPLIFY_DEG: float = 0.01


# Province shading: sequential classes for the focus provinces.
_COUNT_COLORS = ("#fff5eb", "#fdd9b4", "#fdae6b", "#f16913", "#a63603")
# Distance bands in blues, nearest darkest, so they do not read as the province shading.
_BAND_COLORS = ("#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7")

# popup text fields, in the order the page reads them
_TEXT_FIELDS = (
    "id", "title", "summary", "sub_event_type", "date_precision", "actor1", "actor2",
    "fatalities_note", "injured", "location", "location_variants", "admin2", "admin1",
    "country", "geocoding", "border_side", "distance_band", "admin1_snapped", "admin1_mismatch",
)
_NUMBER_FIELDS = {
    "fatalities": 0, "geo_precision": 0, "precision_km": 2, "border_distance_km": 2,
    "border_distance_min_km": 2, "border_distance_max_km": 2, "border_source_spread_km": 2,
}


# --------------------------------------------------------------------------- helpers


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(value: Any) -> str | None:
    """Return a display string for one cell, or None when it is missing."""
    if isinstance(value, (list, tuple, np.ndarray)):
        parts = [_text(v) for v in value]
        joined = "; ".join(p for p in parts if p)
        return joined or None
    if _is_missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    text = str(value).strip()
    return text or None


def text_values(values: Iterable[Any]) -> list[str | None]:
    """Return display strings for a column, vectorised where the column is plain text."""
    column = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("string", "empty"):
        return [(v.strip() or None) if isinstance(v, str) else None for v in column.tolist()]
    if kind == "integer" and pd.api.types.is_integer_dtype(column.dtype):
        return column.astype(str).tolist()
    return [_text(v) for v in column]


def _encode_text(values: Iterable[Any]) -> dict[str, Any]:
    """Encode a text column compactly for the page.

    Repeated values become a dictionary, ``{"v": uniques, "c": codes}`` with -1 for
    missing; one value throughout becomes ``{"v": [value], "k": 0}``; mostly distinct
    values (such as ids) stay a plain list, ``{"s": texts}``.
    """
    texts = text_values(values)
    codes, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=True)
    if len(uniques) > len(texts) // 2:
        return {"s": texts}
    if len(uniques) == 1 and (codes == 0).all():
        return {"v": [str(uniques[0])], "k": 0}
    return {"v": [str(u) for u in uniques], "c": codes.tolist()}


def _numbers(values: Any, decimals: int) -> list[float | int | None]:
    array = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    rounded = np.round(array, decimals)
    if decimals == 0:
        return [None if math.isnan(v) else int(v) for v in rounded.tolist()]
    return [None if math.isnan(v) else v for v in rounded.tolist()]


def _safe_url(value: Any) -> str | None:
    """Keep only absolute http and https links; anything else is shown as text."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _sources(value: Any) -> list[list[str | None]]:
    """Return ``[[title, publisher, date, url], ...]`` from a list of source records."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return [[value, None, None, None]]
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, (list, tuple, np.ndarray)):
        return []
    rows = []
    for item in value:
        if isinstance(item, Mapping):
            rows.append([
                _text(item.get("title")), _text(item.get("publisher")),
                _text(item.get("date")), _safe_url(item.get("url")),
            ])
        elif not _is_missing(item):
            rows.append([_text(item), None, None, _safe_url(item)])
    return rows


def date_texts(values: Any) -> list[str | None]:
    column = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        text = column.dt.strftime("%Y-%m-%d")
        return text.astype(object).where(column.notna(), None).tolist()
    return [t[:10] if t else None for t in text_values(column)]


def type_payload(event_types: Iterable[Any]) -> dict[str, dict[str, str]]:
    """The legend's color and shape for each event type (:func:`geo.legend.type_styles`).

    Examples
    --------
    >>> type_payload(["Battles", "Air/drone strike"])["Battles"]
    {'color': '#0072B2', 'shape': 'square'}
    """
    return {name: {"color": style.color, "shape": style.shape} for name, style in type_styles(event_types).items()}


# ------------------------------------------------------------------------ incidents


def incident_points(result: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, np.ndarray, np.ndarray]:
    """Return the rows with a usable point and their longitudes and latitudes."""
    if result.crs is not None and result.crs.to_epsg() != 4326:
        result = result.to_crs("EPSG:4326")
    geoms = result.geometry
    ok = geoms.notna().to_numpy() & ~geoms.is_empty.to_numpy()
    if ok.any():
        centroid = geoms[ok]
        # non-point geometries (a user's polygons) are shown at a representative point
        not_point = (centroid.geom_type != "Point").to_numpy()
        if not_point.any():
            centroid = centroid.copy()
            centroid[not_point] = centroid[not_point].representative_point()
        lon, lat = centroid.x.to_numpy(), centroid.y.to_numpy()
    else:
        lon = lat = np.empty(0)
    valid = np.isfinite(lon) & np.isfinite(lat)
    rows = result[ok].iloc[np.flatnonzero(valid)]
    return rows, lon[valid], lat[valid]


def _column(frame: pd.DataFrame, name: str) -> pd.Series | None:
    return frame[name] if name in frame.columns else None


def point_payload(rows: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray,
                   styles: Mapping[str, Any]) -> dict[str, Any]:
    n = len(rows)
    names = list(styles)
    types = _column(rows, "event_type")
    type_names = [type_name(t) for t in (text_values(types) if types is not None else [None] * n)]
    index = {name: k for k, name in enumerate(names)}
    payload: dict[str, Any] = {
        "n": n,
        "lon": np.round(lon, MAP_DECIMALS).tolist(),
        "lat": np.round(lat, MAP_DECIMALS).tolist(),
        "type": [index[t] for t in type_names],
        "date": _encode_text(date_texts(rows["date"])) if "date" in rows.columns else None,
        "text": {},
        "num": {},
    }
    for field in _TEXT_FIELDS:
        column = _column(rows, field)
        if column is not None:
            payload["text"][field] = _encode_text(column)
    for field, decimals in _NUMBER_FIELDS.items():
        column = _column(rows, field)
        if column is not None:
            payload["num"][field] = _numbers(column, decimals)
    for field in ("nearest_border_lon", "nearest_border_lat"):
        column = _column(rows, field)
        if column is not None:
            payload["num"][field] = _numbers(column, MAP_DECIMALS)
    sources = _column(rows, "sources")
    if sources is not None:
        # the same few sources recur across incidents: store each distinct list once
        memo: dict[int, str] = {}  # rows often share one list object

        def key(value: Any) -> str:
            found = memo.get(id(value))
            if found is None:
                found = memo[id(value)] = json.dumps(_sources(value), ensure_ascii=False)
            return found

        keyed = [key(v) for v in sources]
        codes, uniques = pd.factorize(pd.Series(keyed, dtype=object))
        payload["sources"] = {"v": [json.loads(u) for u in uniques], "c": codes.tolist()}
    return payload


def grid_payload(rows: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray) -> dict[str, Any]:
    """Aggregate points into a grid of counts per cell and period (month, else year).

    The periods let the date control filter the grid; months become years when there
    would be more than :data:`_GRID_MAX_GROUPS` cell-month groups.
    """
    span = max(float(np.ptp(lon)) if len(lon) else 0.0, float(np.ptp(lat)) if len(lat) else 0.0)
    # about 100 cells across the data, never finer than 0.05° (about 5 km)
    cell = round(max(0.05, math.ceil(span / 100 / 0.05) * 0.05), 2)
    ix = np.floor(lon / cell).astype(np.int64)
    iy = np.floor(lat / cell).astype(np.int64)
    dates = (pd.Series(date_texts(rows["date"]), dtype=object) if "date" in rows.columns
             else pd.Series([None] * len(rows), dtype=object))
    fatalities = (
        pd.to_numeric(rows["fatalities"], errors="coerce").fillna(0).to_numpy()
        if "fatalities" in rows.columns else np.zeros(len(rows))
    )
    for width in (7, 4):  # "2024-01", then "2024"
        period = dates.str.slice(0, width).fillna("").to_numpy()
        table = pd.DataFrame({"ix": ix, "iy": iy, "period": period, "f": fatalities})
        grouped = table.groupby(["ix", "iy", "period"], sort=True).agg(n=("f", "size"), f=("f", "sum"))
        if len(grouped) <= _GRID_MAX_GROUPS:
            break
    grouped = grouped.reset_index()
    period_codes, period_values = pd.factorize(grouped["period"], sort=True)
    return {
        "n": len(rows),
        "cell": cell,
        "periods": [str(m) for m in period_values],
        "ix": grouped["ix"].astype(int).tolist(),
        "iy": grouped["iy"].astype(int).tolist(),
        "p": period_codes.tolist(),
        "count": grouped["n"].astype(int).tolist(),
        "fat": grouped["f"].round(0).astype(int).tolist(),
    }


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
    return json.loads(json.dumps(mapping(geom)))


def _focus_names(provinces: gpd.GeoDataFrame) -> list[str]:
    if "focus" in provinces.columns:
        return [str(n) for n in provinces.loc[provinces["focus"].fillna(False).astype(bool), "name"]]
    return [str(n) for n in provinces["name"]]


def _province_counts(provinces: gpd.GeoDataFrame, rows: gpd.GeoDataFrame, lon: np.ndarray,
                     lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Count incidents and fatalities per province: by ``admin1`` where it names one, else by place."""
    names = provinces["name"].astype(str).tolist()
    lookup = {name.casefold(): k for k, name in enumerate(names)}
    which = np.full(len(rows), -1, dtype=np.int64)
    if "admin1" in rows.columns:
        which = np.array([lookup.get(str(a).casefold(), -1) if not _is_missing(a) else -1
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
    return counts, fatalities


def _nice(x: float) -> int:
    """The number of the 1-2-5 series nearest to ``x`` on a log scale."""
    exponent = math.floor(math.log10(x))
    candidates = [m * 10**e for e in (exponent - 1, exponent, exponent + 1) for m in (1, 2, 5)]
    return int(min(candidates, key=lambda c: abs(math.log(c) - math.log(x))))


def _count_classes(max_count: int) -> list[int]:
    """Class breaks (lower bounds) for the province shading, from 0 up.

    Small counts get one class each; larger ones 0, 1 and three round breaks spaced
    evenly on a log scale, so a province with 10 times more incidents looks darker.

    Examples
    --------
    >>> _count_classes(3)
    [0, 1, 2, 3]
    >>> _count_classes(400)
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
        return _COUNT_COLORS[0]
    return _COUNT_COLORS[round(k * (len(_COUNT_COLORS) - 1) / (n_classes - 1))]


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


def boundary_payload(context: Mapping[str, Any], rows: gpd.GeoDataFrame, lon: np.ndarray,
                      lat: np.ndarray, bands_km: Sequence[float]) -> dict[str, Any]:
    from shapely.geometry import box

    out: dict[str, Any] = {}
    provinces = context.get("provinces")
    region = None
    focus_area = None
    if provinces is not None and len(provinces):
        provinces = provinces.to_crs("EPSG:4326") if provinces.crs and provinces.crs.to_epsg() != 4326 else provinces
        focus = set(_focus_names(provinces))
        counts, fatalities = _province_counts(provinces, rows, lon, lat)
        max_focus = int(max((c for n, c in zip(provinces["name"], counts) if str(n) in focus), default=0))
        breaks = _count_classes(max_focus)
        features = []
        for k, (_, prov) in enumerate(provinces.iterrows()):
            is_focus = str(prov["name"]) in focus
            cls = int(np.searchsorted(breaks, counts[k], side="right") - 1)
            color = _class_color(cls, len(breaks))
            features.append({
                "type": "Feature",
                "geometry": _geometry_json(prov.geometry, simplify=SIMPLIFY_DEG, decimals=3),
                "properties": {
                    "name": _text(prov.get("name")),
                    "local": "; ".join(t for t in (_text(prov.get("name_ur")), _text(prov.get("name_fa"))) if t) or None,
                    "country": _text(prov.get("country")),
                    "focus": is_focus,
                    "count": int(counts[k]),
                    "fatalities": int(fatalities[k]),
                    "fill": color if is_focus else None,
                    "label": _label_point(prov.geometry) if is_focus else None,
                },
            })
        out["provinces"] = {"type": "FeatureCollection", "features": features}
        out["provinceClasses"] = [
            {"from": b, "to": (breaks[i + 1] - 1) if i + 1 < len(breaks) else max_focus,
             "color": _class_color(i, len(breaks))}
            for i, b in enumerate(breaks)
        ]
        focus_rows = provinces[provinces["name"].astype(str).isin(focus)]
        if len(focus_rows):
            region = focus_rows.total_bounds
            focus_area = focus_rows.geometry.union_all()
    countries = context.get("countries")
    if countries is not None and len(countries):
        if region is not None:
            # keep only what is near the two provinces: the page stays small
            minx, miny, maxx, maxy = region
            clip = box(minx - 12, miny - 8, maxx + 12, maxy + 8)
            countries = countries[countries.intersects(clip)].copy()
            countries["geometry"] = countries.geometry.intersection(clip)
        # country names go where the initial view shows them, beside the two provinces
        view = box(*region) if region is not None else None
        out["countries"] = {"type": "FeatureCollection", "features": [
            {"type": "Feature",
             "geometry": _geometry_json(row.geometry, simplify=SIMPLIFY_DEG, decimals=3),
             "properties": {"name": _text(row.get("name")), "iso3": _text(row.get("iso3")),
                            "label": _label_point(row.geometry, view, focus_area)}}
            for _, row in countries.iterrows()
        ]}
    border = context.get("border")
    if border is not None and len(border):
        from shapely.ops import linemerge, unary_union

        line = unary_union(list(border.geometry))
        if line.geom_type == "MultiLineString":
            line = linemerge(line)
        out["border"] = {"geometry": _geometry_json(line, simplify=None, decimals=5),
                         "label": _border_label_point(line, *_avoid_points(rows, lon, lat))}
        if region is None:
            region = border.total_bounds
    corridors = context.get("corridors") or []
    if corridors:
        bands = []
        previous = None
        for k, (km, polygon) in enumerate(sorted(corridors, key=lambda c: c[0])):
            # each band is the ring between this corridor and the narrower one
            ring = polygon if previous is None else polygon.difference(previous)
            low = 0 if previous is None else sorted(corridors, key=lambda c: c[0])[k - 1][0]
            bands.append({
                "label": f"{low:g}–{km:g} km",
                "color": _BAND_COLORS[k % len(_BAND_COLORS)],
                "geometry": _geometry_json(ring, simplify=0.002, decimals=4),
            })
            previous = polygon
        out["corridors"] = bands
    if region is None and len(lon):
        region = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    if region is not None:
        minx, miny, maxx, maxy = (float(v) for v in region)
        out["view"] = [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]]
    return out
