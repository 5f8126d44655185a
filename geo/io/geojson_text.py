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

__all__ = ["FOOTER", "HEADER", "SEPARATOR", "arrow_json", "arrow_of", "feature_bytes", "json_value"]

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


def _python_float(value: float, nan: str) -> str:
    if math.isnan(value):
        return nan
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _floats(values: np.ndarray, nan: str = "null") -> pa.Array:
    """``json.dumps`` of each float, by pyarrow where its text is Python's.

    pyarrow writes the same shortest digits as ``repr`` and differs only in layout: no
    ``.0`` on whole numbers, and exponents at other magnitudes; those few go through
    ``repr``. ``nan`` is what NaN becomes (``null`` for a column, ``NaN`` inside a list,
    as ``json.dumps`` writes it there).
    """
    values = np.ascontiguousarray(values, dtype=float)
    text = pc.cast(pa.array(values), pa.string())
    with np.errstate(invalid="ignore"):
        whole = values == np.floor(values)
        size = np.abs(values)
        fast = (size == 0) | ((size >= 1e-4) & (size < 1e9))
    text = pc.if_else(pa.array(whole & fast), pc.binary_join_element_wise(text, ".0", ""), text)
    slow = np.flatnonzero(~fast)
    if len(slow):
        fixes = pa.array([_python_float(v, nan) for v in values[slow].tolist()], pa.string())
        mask = np.zeros(len(values), dtype=bool)
        mask[slow] = True
        text = pc.replace_with_mask(text, pa.array(mask), fixes)
    return text


_NEEDS_ESCAPE = r'[\x00-\x1f"\\]'


def _strings(array: pa.Array) -> pa.Array:
    """JSON strings (nulls as null), as ``json.dumps(..., ensure_ascii=False)`` writes them.

    Text without a quote, a backslash or a control character is only quoted, by pyarrow;
    the rest goes through :func:`json.encoder.encode_basestring`, the function
    ``json.dumps`` uses.
    """
    if not pa.types.is_string(array.type):
        array = array.cast(pa.string())
    quoted = pc.binary_join_element_wise('"', array, '"', "")
    escape = pc.fill_null(pc.match_substring_regex(array, _NEEDS_ESCAPE), False)
    if pc.any(escape).as_py():
        mask = escape.to_numpy(zero_copy_only=False)
        fixes = pa.array([encode_basestring(v) for v in array.filter(escape).to_pylist()], pa.string())
        quoted = pc.replace_with_mask(quoted, pa.array(mask), fixes)
    return pc.fill_null(quoted, "null")


def arrow_json(array: pa.Array, separators: tuple[str, str] = (",", ":")) -> pa.Array | None:
    """The JSON text of each value of a pyarrow array, as :func:`json.dumps` writes it.

    Nulls become ``null``; lists and structs are joined with ``separators`` (item, key)
    as in :func:`json.dumps`. Returns None for a type it does not know (timestamps,
    binary, maps...), which is then left to :mod:`json`, value by value.

    Examples
    --------
    >>> arrow_json(pa.array([[{"a": 1.0, "b": None}], None], pa.list_(pa.struct([("a", pa.float64()), ("b", pa.string())])))).to_pylist()
    ['[{"a":1.0,"b":null}]', 'null']
    """
    return _arrow_json(array, "null", separators)


def _arrow_json(array: pa.Array, nan: str = "null", separators: tuple[str, str] = (",", ":")) -> pa.Array | None:
    """:func:`arrow_json`, with what NaN becomes (``null`` for a column, ``NaN`` inside a list)."""
    kind = array.type
    item_sep, key_sep = separators
    if pa.types.is_dictionary(kind):
        return _arrow_json(array.dictionary_decode(), nan, separators)
    if pa.types.is_null(kind):
        return pa.array(["null"] * len(array), pa.string())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _strings(array)
    if pa.types.is_boolean(kind):
        return pc.fill_null(pc.if_else(array, "true", "false"), "null")
    if pa.types.is_integer(kind):
        return pc.fill_null(pc.cast(array, pa.string()), "null")
    if pa.types.is_floating(kind):
        values = array.cast(pa.float64()).to_numpy(zero_copy_only=False)
        return pc.if_else(array.is_valid(), _floats(values, nan), "null")
    if pa.types.is_struct(kind):
        pieces = []
        for child_field, child in zip(kind, array.flatten(), strict=True):
            encoded = _arrow_json(child, "NaN", separators)
            if encoded is None:
                return None
            pieces.append(pc.binary_join_element_wise(encode_basestring(child_field.name) + key_sep, encoded, ""))
        body = pc.binary_join_element_wise(*pieces, item_sep) if pieces else pa.array([""] * len(array), pa.string())
        return pc.if_else(array.is_valid(), pc.binary_join_element_wise("{", body, "}", ""), "null")
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        elements = _arrow_json(array.flatten(), "NaN", separators)
        if elements is None:
            return None
        offsets = array.offsets.to_numpy(zero_copy_only=False)
        lists = pa.ListArray.from_arrays(pa.array(offsets - offsets[0], pa.int32()), elements)
        body = pc.binary_join(lists, item_sep)
        return pc.if_else(array.is_valid(), pc.binary_join_element_wise("[", body, "]", ""), "null")
    return None


def arrow_of(values: pd.Series) -> pa.Array:
    """A column as one pyarrow array (chunks combined)."""
    array = pa.array(values, from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _encode(values: pd.Series) -> pa.Array:
    """The JSON text of each value of a column, as :func:`json.dumps` writes it."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind == "f":
            return _floats(values.to_numpy(dtype=float))
        if dtype.kind in "iub":
            return _arrow_json(pa.array(values.to_numpy()))
    if isinstance(dtype, (pd.StringDtype, pd.ArrowDtype, pd.BooleanDtype)) or (
        pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, np.dtype)
    ):
        encoded = _arrow_json(arrow_of(values))
        if encoded is not None:
            return encoded
    elif dtype == object and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return _strings(pa.array(values.to_numpy(dtype=object), pa.string(), from_pandas=True))
    return pa.array([_dumps(v) for v in values], pa.string())  # lists, objects, dates: value by value


def _geometries(geoms: np.ndarray, decimals: int) -> pa.Array:
    """The JSON text of each geometry: points in bulk, any other shape through its mapping."""
    missing = shapely.is_missing(geoms)
    present = ~missing
    empty = np.zeros(len(geoms), dtype=bool)
    empty[present] = shapely.is_empty(geoms[present])
    simple = present & ~empty
    point = np.zeros(len(geoms), dtype=bool)
    point[simple] = (shapely.get_type_id(geoms[simple]) == 0) & ~shapely.has_z(geoms[simple])
    out = pa.array(["null"] * len(geoms), pa.string())
    where = np.flatnonzero(point)
    if len(where):
        # Python's round: correctly rounded, as the mapping-based writer rounds
        xs = np.array([round(v, decimals) for v in shapely.get_x(geoms[where]).tolist()], dtype=float)
        ys = np.array([round(v, decimals) for v in shapely.get_y(geoms[where]).tolist()], dtype=float)
        points = pc.binary_join_element_wise('{"type":"Point","coordinates":[', _floats(xs, "NaN"), ",",
                                             _floats(ys, "NaN"), "]}", "")
        mask = np.zeros(len(geoms), dtype=bool)
        mask[where] = True
        out = pc.replace_with_mask(out, pa.array(mask), points)
    other = np.flatnonzero(simple & ~point)
    if len(other):
        shapes = []
        for i in other.tolist():
            mapping = geoms[i].__geo_interface__
            shapes.append(_dumps({"type": mapping["type"], "coordinates": _round_coords(mapping["coordinates"], decimals)}))
        mask = np.zeros(len(geoms), dtype=bool)
        mask[other] = True
        out = pc.replace_with_mask(out, pa.array(mask), pa.array(shapes, pa.string()))
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
    # one row-wise join: the separator, the feature's opening, each key and value, the geometry
    pieces: list[Any] = [SEPARATOR + '{"type":"Feature","properties":{']
    for column in frame.columns:
        if column == geometry_name:
            continue
        pieces.append(("," if len(pieces) > 1 else "") + encode_basestring(str(column)) + ":")
        pieces.append(_encode(frame[column]))
    pieces += ['},"geometry":', _geometries(frame.geometry.to_numpy(), decimals), "}"]
    features = pc.binary_join_element_wise(*pieces, "")
    _, offset_buffer, data_buffer = features.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=np.int32)[features.offset:features.offset + len(features) + 1]
    data = memoryview(data_buffer)[int(offsets[0]):int(offsets[-1])]
    return bytes(data[len(SEPARATOR):]) if first else bytes(data)
