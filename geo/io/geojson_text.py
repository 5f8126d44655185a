"""RFC 7946 GeoJSON text of incident tables, built a chunk of records at a time.

:func:`feature_bytes` turns one chunk of a GeoDataFrame into its features, one per line,
ready to be written: the writer of :mod:`geo.io.writing` streams a file chunk by chunk,
so memory does not grow with the output. Each column is encoded once for the whole chunk
(numbers and text by type, anything else value by value with :mod:`json`), and the
pieces are joined row-wise by pyarrow; the bytes are those of ``json.dumps`` of each
feature with ``separators=(",", ":")`` and ``ensure_ascii=False``, coordinates rounded
with Python's ``round``.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> frame = gpd.GeoDataFrame({"id": ["a"], "n": [2]}, geometry=[Point(63.4, 27.0)], crs="EPSG:4326")
>>> print(feature_bytes(frame, 6, first=True).decode())
{"type":"Feature","properties":{"id":"a","n":2},"geometry":{"type":"Point","coordinates":[63.4,27.0]}}
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

__all__ = ["FOOTER", "HEADER", "SEPARATOR", "feature_bytes", "json_value"]

#: What a feature collection starts and ends with, and what stands between features.
HEADER = b'{"type":"FeatureCollection","features":[\n'
FOOTER = b"\n]}\n"
SEPARATOR = ",\n"


def json_value(value: Any) -> Any:
    """A value as :mod:`json` can write it: numpy scalars to Python, missing to None.

    Examples
    --------
    >>> json_value(np.int64(3)), json_value(float("nan")), json_value(pd.NA)
    (3, None, None)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.ndarray):
        return [json_value(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value


def _dumps(value: Any) -> str:
    return json.dumps(json_value(value), ensure_ascii=False, separators=(",", ":"))


def _floats(values: np.ndarray) -> list[str]:
    """``json.dumps`` of each float (NaN as null), without a call per value to json."""
    out = list(map(float.__repr__, values.tolist()))
    special = ~np.isfinite(values)
    for i in np.flatnonzero(special):
        value = values[i]
        out[i] = "null" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return out


def _with_nulls(out: list[str], missing: np.ndarray) -> list[str]:
    for i in np.flatnonzero(missing):
        out[i] = "null"
    return out


def _encode(values: pd.Series) -> list[str]:
    """The JSON text of each value of a column, as :func:`json.dumps` writes it."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind == "f":
            return _floats(values.to_numpy(dtype=float))
        if dtype.kind in "iu":
            return list(map(int.__repr__, values.to_numpy().tolist()))
        if dtype.kind == "b":
            return ["true" if v else "false" for v in values.to_numpy().tolist()]
    missing = values.isna().to_numpy(dtype=bool)
    if isinstance(dtype, pd.StringDtype) or (
        dtype == object and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    ):
        texts = values.to_numpy(dtype=object)
        return _with_nulls([encode_basestring(v) if isinstance(v, str) else "null" for v in texts.tolist()], missing)
    if isinstance(dtype, pd.BooleanDtype):
        return _with_nulls(["true" if v else "false" for v in values.fillna(False).to_numpy(dtype=bool).tolist()],
                           missing)
    if pd.api.types.is_integer_dtype(dtype) and not isinstance(dtype, pd.ArrowDtype):
        return _with_nulls(list(map(int.__repr__, values.fillna(0).to_numpy(dtype=np.int64).tolist())), missing)
    if pd.api.types.is_float_dtype(dtype) and not isinstance(dtype, pd.ArrowDtype):
        return _floats(values.to_numpy(dtype=float, na_value=np.nan))
    return [_dumps(v) for v in values]  # lists, objects, dates: value by value


def _geometries(geoms: np.ndarray, decimals: int) -> list[str]:
    """The JSON text of each geometry: points fast, any other shape through its mapping."""
    missing = shapely.is_missing(geoms)
    present = ~missing
    empty = np.zeros(len(geoms), dtype=bool)
    empty[present] = shapely.is_empty(geoms[present])
    simple = present & ~empty
    point = np.zeros(len(geoms), dtype=bool)
    point[simple] = (shapely.get_type_id(geoms[simple]) == 0) & ~shapely.has_z(geoms[simple])
    out = ["null"] * len(geoms)
    where = np.flatnonzero(point)
    if len(where):
        xs = shapely.get_x(geoms[where]).tolist()
        ys = shapely.get_y(geoms[where]).tolist()
        for i, x, y in zip(where.tolist(), xs, ys, strict=True):
            out[i] = '{"type":"Point","coordinates":[' + _dumps(round(x, decimals)) + "," + _dumps(round(y, decimals)) + "]}"
    for i in np.flatnonzero(simple & ~point).tolist():
        mapping = geoms[i].__geo_interface__
        out[i] = _dumps({"type": mapping["type"], "coordinates": _round_coords(mapping["coordinates"], decimals)})
    return out


def _round_coords(obj: Any, decimals: int) -> Any:
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(v, decimals) for v in obj]
    return obj


def feature_bytes(frame: gpd.GeoDataFrame, decimals: int, *, first: bool) -> bytes:
    """The features of ``frame`` as UTF-8, one per line, with the separator in front.

    ``first=True`` leaves out the separator before the first feature (the first chunk of
    a file). The caller writes :data:`HEADER` before the chunks and :data:`FOOTER` after.
    Coordinates are WGS84 longitude/latitude rounded to ``decimals``; properties keep
    the column order.
    """
    if not len(frame):
        return b""
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    geometry_name = frame.geometry.name
    pieces = []
    for column in frame.columns:
        if column == geometry_name:
            continue
        values = pa.array(_encode(frame[column]), type=pa.string())
        pieces.append(pc.binary_join_element_wise(encode_basestring(str(column)) + ":", values, ""))
    properties = pc.binary_join_element_wise(*pieces, ",") if pieces else pa.array([""] * len(frame), pa.string())
    geometry = pa.array(_geometries(frame.geometry.to_numpy(), decimals), type=pa.string())
    features = pc.binary_join_element_wise(
        SEPARATOR + '{"type":"Feature","properties":{', properties, '},"geometry":', geometry, "}", ""
    )
    _, offset_buffer, data_buffer = features.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=np.int32)[features.offset:features.offset + len(features) + 1]
    data = memoryview(data_buffer)[int(offsets[0]):int(offsets[-1])]
    return bytes(data[len(SEPARATOR):]) if first else bytes(data)
