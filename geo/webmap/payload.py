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
from collections.abc import Iterable, Mapping
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


# popup text fields, in the order the page reads them
_TEXT_FIELDS = (
    "id", "title", "summary", "sub_event_type", "date_precision", "actor1", "actor2",
    "fatalities_note", "injured", "location", "location_variants", "admin2", "admin1",
    "country", "geocoding", "border_side", "distance_band", "admin1_snapped", "admin1_mismatch",
    "admin1_code", "outside_provinces", "place",
)
_NUMBER_FIELDS = {
    "fatalities": 0, "geo_precision": 0, "precision_km": 2, "border_distance_km": 2,
    "border_distance_min_km": 2, "border_distance_max_km": 2, "border_source_spread_km": 2,
    "border_bearing_deg": 1,
}


# --------------------------------------------------------------------------- helpers


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def display_text(value: Any) -> str | None:
    """Return a display string for one cell, or None when it is missing."""
    if isinstance(value, (list, tuple, np.ndarray)):
        parts = [display_text(v) for v in value]
        joined = "; ".join(p for p in parts if p)
        return joined or None
    if is_missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return str(value.date().isoformat() if value == value.normalize() else value.isoformat())
    text = str(value).strip()
    return text or None


def text_values(values: Iterable[Any]) -> list[str | None]:
    """Return display strings for a column, vectorised where the column is plain text."""
    column = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("string", "empty"):
        return [(v.strip() or None) if isinstance(v, str) else None for v in column.tolist()]
    if kind == "integer" and pd.api.types.is_integer_dtype(column.dtype):
        integers: list[str | None] = column.astype(str).tolist()
        return integers
    return [display_text(v) for v in column]


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
                display_text(item.get("title")), display_text(item.get("publisher")),
                display_text(item.get("date")), _safe_url(item.get("url")),
            ])
        elif not is_missing(item):
            rows.append([display_text(item), None, None, _safe_url(item)])
    return rows


def date_texts(values: Any) -> list[str | None]:
    column = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        text = column.dt.strftime("%Y-%m-%d")
        days: list[str | None] = text.astype(object).where(column.notna(), None).tolist()
        return days
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
    carried = {"event_type", "date", "sources", *payload["text"], *payload["num"]}
    # the export writes the carried columns in the order of the input (``geo analyze``'s order)
    payload["columns"] = [str(c) for c in rows.columns if c in carried]
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
