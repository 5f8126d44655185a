"""Per-format readers behind :func:`geo.io.reading.read_incidents_checked`.

CSV and Parquet are read in chunks of :data:`CHUNK_ROWS` rows with pyarrow, checked and
typed chunk by chunk, so a large file never sits in memory as Python strings. CSV text
comes from :mod:`geo.io.csv_table`, which checks its structure (rows of the wrong width
become rejects with their line; an unclosed quote is an error naming its line);
:func:`infer_text_columns` is the one typing of CSV columns. GeoJSON is read whole. Each
reader yields pieces: records with their record numbers and the problems found so far.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from geo.errors import InputFileError
from geo.io import formats, validate
from geo.io.csv_table import IrregularCsv, csv_header, csv_text_chunks
from geo.io.text_kinds import infer_text_columns
from geo.progress import Bar

logger = logging.getLogger("geo")

#: Rows per chunk when reading CSV and Parquet.
CHUNK_ROWS: int = 100_000

#: Bytes pyarrow parses at a time when reading CSV (a record must fit in one block).
CSV_BLOCK_BYTES: int = 16 * 2**20

#: Inputs larger than this many bytes log their progress at INFO level.
LARGE_INPUT_BYTES: int = 64 * 2**20

@dataclass(kw_only=True)
class Piece:
    """One chunk of a file, as the readers hand it to the checks."""

    table: pd.DataFrame  # properties, in the schema or a known layout
    lon: np.ndarray
    lat: np.ndarray
    record: np.ndarray
    problems: pd.DataFrame | None = None
    original: pd.DataFrame | GeometryAsText | None = None  # fields as read, for the rejects
    crs: Any = None
    lat_field: str = "latitude"
    lon_field: str = "longitude"
    non_point: np.ndarray | None = None  # records whose geometry was not a point
    point_notes: list[str | None] | None = None  # per record, what was done about it
    layout: str | None = None


class GeometryAsText:
    """A chunk's fields as read, its geometries as WKT: built only for the rows asked for.

    The rejects repeat each rejected record's fields; writing every geometry of a
    chunk as text to keep a handful of them would cost more than reading the chunk.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["a", "b"]})
    >>> GeometryAsText(table, shapely.points([60, 61], [27, 28]))[np.array([False, True])]
      id       geometry
    1  b  POINT (61 28)
    """

    def __init__(self, table: pd.DataFrame, geoms: np.ndarray) -> None:
        self.table = table
        self.geoms = geoms

    def geometries(self, rows: np.ndarray) -> np.ndarray:
        """The shapely geometries of the rows (a boolean mask)."""
        return np.asarray(self.geoms[rows])

    def __getitem__(self, rows: np.ndarray) -> pd.DataFrame:
        return self.table[rows].assign(geometry=shapely.to_wkt(self.geometries(rows), rounding_precision=-1))


class WkbAsText(GeometryAsText):
    """The same for geometries still in WKB (an Arrow column): decoded only for the rows asked for.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["a", "b"]})
    >>> WkbAsText(table, pa.array(shapely.to_wkb(shapely.points([60, 61], [27, 28]))))[np.array([False, True])]
      id       geometry
    1  b  POINT (61 28)
    """

    def __init__(self, table: pd.DataFrame, wkb: pa.Array) -> None:
        self.table = table
        self.wkb = wkb

    def geometries(self, rows: np.ndarray) -> np.ndarray:
        chosen = self.wkb.filter(pa.array(np.asarray(rows, dtype=bool)))
        return np.asarray(shapely.from_wkb(chosen.to_numpy(zero_copy_only=False), on_invalid="ignore"))


#: A little-endian WKB point with two coordinates: byte order 1, type 1, x, y (21 bytes).
_WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])


def wkb_point_coordinates(wkb: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """Longitude and latitude straight from a WKB column whose every value is a plain point.

    GeoParquet of incidents is such a column: reading the coordinates from its bytes
    costs nothing next to making a GEOS geometry per row. Anything else (a null, another
    type, big-endian, Z or M, an empty point) gives None: the caller decodes with shapely.

    Examples
    --------
    >>> wkb = pa.array(shapely.to_wkb(shapely.points([60.5, 61.25], [27.0, 28.5]), byte_order=1))
    >>> [c.tolist() for c in wkb_point_coordinates(wkb)]
    [[60.5, 61.25], [27.0, 28.5]]
    >>> wkb_point_coordinates(pa.array(shapely.to_wkb([shapely.Point(60, 27), shapely.LineString([(0, 0), (1, 1)])])))
    """
    if not len(wkb) or wkb.null_count or not (pa.types.is_binary(wkb.type) or pa.types.is_large_binary(wkb.type)):
        return None
    _, offsets_buffer, data = wkb.buffers()
    width = np.int64 if pa.types.is_large_binary(wkb.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=width, count=len(wkb) + 1, offset=wkb.offset * np.dtype(width).itemsize)
    if not np.all(np.diff(offsets) == _WKB_POINT.itemsize):
        return None
    points = np.frombuffer(data, dtype=_WKB_POINT, count=len(wkb), offset=int(offsets[0]))
    if not (np.all(points["order"] == 1) and np.all(points["type"] == 1)):
        return None
    lon, lat = points["x"].astype(float), points["y"].astype(float)
    if np.isnan(lon).any() or np.isnan(lat).any():  # POINT EMPTY
        return None
    return lon, lat


def _no_problems(index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({"field": pd.Series(None, index=index, dtype=object),
                         "reason": pd.Series(None, index=index, dtype=object)})


def tabular_piece(raw: pd.DataFrame, record: np.ndarray, layout: str | None, path: Path) -> Piece:
    """A chunk of a table with coordinate columns (CSV, or Parquet without geometry)."""
    layout = layout or formats.detect_layout(raw.columns)
    if layout is not None:
        formats.require_layout(raw.columns, layout, str(path))
    table = formats.to_schema(raw, layout)
    lat_col, lon_col = validate.find_coordinate_columns(table.columns)
    if lat_col is None or lon_col is None:
        raise InputFileError(_NO_COORDINATES, path=str(path))
    lon, lat, problems = validate.parse_coordinates(table, lat_col, lon_col)
    table = table.drop(columns=[lat_col, lon_col])
    return Piece(table=table, lon=lon, lat=lat, record=record, problems=problems, original=raw,
                 lat_field=str(lat_col), lon_field=str(lon_col), layout=layout)


_NO_COORDINATES = (f"no coordinate columns; expected a latitude column ({', '.join(validate.LAT_NAMES)}) "
                   f"and a longitude column ({', '.join(validate.LON_NAMES)}); a table of place names "
                   "needs `geo geocode` first")


def check_header(columns: list[str], layout: str | None, path: Path) -> None:
    """Refuse a header with a repeated name, or without the coordinate columns it needs.

    Checked before any record, so that a header-only file without coordinate columns is
    refused like one with records, while one with them is a valid empty table.
    """
    check_unique_columns(columns, path)
    layout = layout or formats.detect_layout(columns)
    if layout is not None:
        formats.require_layout(columns, layout, str(path))
    elif None in validate.find_coordinate_columns(columns):
        raise InputFileError(_NO_COORDINATES, path=str(path))


def check_unique_columns(columns: list[str], path: Path) -> None:
    """Refuse a header that names a column twice: which of the two would be meant?"""
    seen: dict[str, int] = {}
    for number, name in enumerate(columns, start=1):
        if name in seen:
            msg = (f"the header names column {name!r} twice (columns {seen[name]} and {number}); "
                   "rename or remove one")
            raise InputFileError(msg, path=str(path), field=name)
        seen[name] = number


def read_csv_pieces(path: Path, layout: str | None, progress: Progress, *, slow: bool = False) -> Iterator[Piece | pd.DataFrame]:
    """Pieces of a CSV (and rejects of odd rows): pyarrow first; ``slow=True`` reads with the csv module."""
    header = csv_header(path)
    if not header:
        return
    check_header(header, layout, path)
    for frame, lines, odd in csv_text_chunks(path, header, rows=CHUNK_ROWS, block_bytes=CSV_BLOCK_BYTES, slow=slow):
        if odd is not None and len(odd):
            yield odd
        if len(frame):
            progress.advance(len(frame))
            yield tabular_piece(frame, lines, layout, path)


def geometry_piece(table: pd.DataFrame, geoms: np.ndarray, record: np.ndarray, crs: Any,
                    original: pd.DataFrame | GeometryAsText, layout: str | None, path: Path) -> Piece:
    """A chunk whose locations are shapely geometries (GeoParquet, GeoPackage and the like)."""
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    other = ~missing & (shapely.get_type_id(geoms) != 0)
    points = geoms.copy()
    if other.any():
        points[other] = shapely.point_on_surface(geoms[other])
    points[missing] = None
    lon = shapely.get_x(points).astype(float)
    lat = shapely.get_y(points).astype(float)
    return _located_piece(table, lon, lat, record, crs, original, layout, path, missing=missing, non_point=other)


def _located_piece(table: pd.DataFrame, lon: np.ndarray, lat: np.ndarray, record: np.ndarray, crs: Any,
                   original: pd.DataFrame | GeometryAsText, layout: str | None, path: Path, *,
                   missing: np.ndarray | None = None, non_point: np.ndarray | None = None) -> Piece:
    """A chunk located by its geometries' coordinates: the layout applied, missing ones noted."""
    if layout is not None:
        formats.require_layout(table.columns, layout, str(path), located=True)
        table = formats.to_schema(table, layout)
    problems = _no_problems(table.index)
    if missing is not None:
        problems.loc[missing, ["field", "reason"]] = ["geometry", "missing or empty geometry"]
    non_point = np.zeros(len(table), dtype=bool) if non_point is None else non_point
    return Piece(table=table, lon=lon, lat=lat, record=record, problems=problems, original=original, crs=crs,
                 lat_field="geometry", lon_field="geometry", non_point=non_point, layout=layout)


def _arrow_types(arrow_type: pa.DataType) -> Any:
    """The pandas type of a Parquet column, the same in every chunk of the file.

    Lists stay in Arrow (compact, and what pandas' own metadata asks for). Whole numbers
    and booleans become pandas' nullable types: NumPy's would make a column ``float`` in a
    chunk with a missing value and ``int64`` in one without.
    """
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return pd.ArrowDtype(arrow_type)
    if pa.types.is_integer(arrow_type):
        return pd.api.types.pandas_dtype(str(arrow_type).replace("int", "Int").replace("uInt", "UInt"))
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    return None


def read_parquet_pieces(path: Path, layout: str | None, progress: Progress) -> Iterator[Piece]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as err:
        raise InputFileError(f"not a Parquet file: {err}", path=str(path)) from None
    metadata = parquet.schema_arrow.metadata or {}
    geo_meta = None
    if b"geo" in metadata:
        try:
            geo_meta = json.loads(metadata[b"geo"])
        except json.JSONDecodeError:
            raise InputFileError("GeoParquet 'geo' metadata is not JSON", path=str(path)) from None
    geometry_column = crs = None
    if geo_meta:
        geometry_column = geo_meta.get("primary_column", "geometry")
        column_meta = geo_meta.get("columns", {}).get(geometry_column, {})
        encoding = str(column_meta.get("encoding", "WKB")).upper()
        if encoding != "WKB":
            raise InputFileError(f"GeoParquet geometry encoding {encoding!r} is not supported; use WKB", path=str(path))
        crs = column_meta.get("crs", "OGC:CRS84") or "OGC:CRS84"
        if isinstance(crs, dict):
            crs = json.dumps(crs)
    start = 1
    try:
        for batch in parquet.iter_batches(batch_size=CHUNK_ROWS):
            has_geometry = geometry_column is not None and geometry_column in batch.schema.names
            properties = batch.select([n for n in batch.schema.names if n != geometry_column]) if has_geometry else batch
            table = properties.to_pandas(types_mapper=_arrow_types)  # the geometry stays in Arrow
            record = np.arange(start, start + len(table), dtype=np.int64)
            table.index = pd.RangeIndex(start - 1, start - 1 + len(table))
            start += len(table)
            progress.advance(len(table))
            if has_geometry:
                yield _parquet_geometry_piece(batch.column(geometry_column), table, record, crs, layout, path)
            else:
                yield tabular_piece(table, record, layout, path)
    except (pa.ArrowInvalid, OSError) as err:
        raise InputFileError(f"cannot read Parquet: {err}", path=str(path)) from None


def _parquet_geometry_piece(wkb: pa.Array, table: pd.DataFrame, record: np.ndarray, crs: Any,
                            layout: str | None, path: Path) -> Piece:
    """A GeoParquet chunk: coordinates read from the WKB when all are points, else through shapely."""
    layout = layout or formats.detect_layout(table.columns, located=True)
    xy = wkb_point_coordinates(wkb)
    if xy is None:
        geoms = shapely.from_wkb(wkb.to_numpy(zero_copy_only=False), on_invalid="ignore")
        return geometry_piece(table, geoms, record, crs, GeometryAsText(table, geoms), layout, path)
    return _located_piece(table, xy[0], xy[1], record, crs, WkbAsText(table, wkb), layout, path)


def _feature_geometry(geometry: Any) -> tuple[float, float, str | None, str | None]:
    """Longitude, latitude, a reject reason and a note for one GeoJSON geometry."""
    if geometry is None:
        return math.nan, math.nan, "missing geometry (null)", None
    if not isinstance(geometry, dict) or "type" not in geometry:
        return math.nan, math.nan, "not a GeoJSON geometry object", None
    if geometry["type"] == "Point":
        coords = geometry.get("coordinates")
        if not isinstance(coords, list) or len(coords) < 2:
            return math.nan, math.nan, "missing coordinates", None
        x, y = coords[0], coords[1]
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in (x, y)):
            return math.nan, math.nan, f"non-numeric coordinates {json.dumps(coords[:2], ensure_ascii=False)}", None
        return float(x), float(y), None, None
    try:
        shape = shapely.from_geojson(json.dumps(geometry))
    except Exception as err:  # noqa: BLE001 - shapely raises GEOSException and others
        return math.nan, math.nan, f"invalid {geometry['type']} geometry: {err}", None
    if shape.is_empty:
        return math.nan, math.nan, f"empty {geometry['type']} geometry", None
    point = shape.representative_point()
    return point.x, point.y, None, f"a {geometry['type']}, not a point: used a representative point inside it"


def _nested_as_json(table: pd.DataFrame) -> pd.DataFrame:
    """Objects and arrays in properties as JSON text (the schema's list fields keep lists).

    A property may hold anything JSON does; a table cell is text or a number, so nested
    values are kept as their JSON text, and ``null`` stays missing.
    """
    for column in table.columns:
        values = table[column]
        if values.dtype != object or column in formats.LIST_FIELDS:
            continue
        nested = values.map(lambda v: isinstance(v, (dict, list)), na_action="ignore").fillna(False).astype(bool)
        if nested.any():
            table[column] = values.where(~nested, values[nested].map(lambda v: json.dumps(v, ensure_ascii=False)))
    return table


def _geojson_document(path: Path) -> Any:
    """The parsed JSON of ``path``, or None for a file with nothing in it."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputFileError(f"not UTF-8 text (byte {err.start} of the file); save it as UTF-8", path=str(path)) from None
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        msg = f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        raise InputFileError(msg, path=str(path)) from None
    except RecursionError:
        msg = "not GeoJSON: arrays or objects nested too deeply to read (thousands of levels)"
        raise InputFileError(msg, path=str(path)) from None


def _geojson_features(document: Any, path: Path) -> tuple[list[Any], Any]:
    """The features of a FeatureCollection (or the one Feature) and its 2008-style crs, if any."""
    kind = document.get("type") if isinstance(document, dict) else type(document).__name__
    if kind == "Feature":
        features = [document]
    elif kind == "FeatureCollection" and isinstance(document.get("features"), list):
        features = document["features"]
    else:
        raise InputFileError(f"not a GeoJSON FeatureCollection or Feature (type {kind!r})", path=str(path))
    crs = None
    if isinstance(document.get("crs"), dict):  # GeoJSON 2008; RFC 7946 dropped it
        name = (document["crs"].get("properties") or {}).get("name")
        try:
            import pyproj

            crs = pyproj.CRS.from_user_input(name)
        except Exception:  # noqa: BLE001 - pyproj raises CRSError and TypeError
            raise InputFileError(f"unknown crs {name!r} in the 'crs' member", path=str(path)) from None
    return features, crs


@dataclass(frozen=True)
class _FeatureColumns:
    """The properties and point of every feature, and why a feature has no point."""

    props: list[dict[str, Any]]
    lon: np.ndarray
    lat: np.ndarray
    reasons: list[str | None]
    notes: list[str | None]


def _feature_columns(features: list[Any]) -> _FeatureColumns:
    props: list[dict[str, Any]] = []
    lon: list[float] = []
    lat: list[float] = []
    reasons: list[str | None] = []
    notes: list[str | None] = []
    for feature in features:
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            props.append({})
            lon.append(math.nan)
            lat.append(math.nan)
            notes.append(None)
            reasons.append("not a GeoJSON Feature object")
            continue
        properties = feature.get("properties")
        props.append(properties if isinstance(properties, dict) else {})
        x, y, reason, note = _feature_geometry(feature.get("geometry"))
        if reason is None and properties is not None and not isinstance(properties, dict):
            reason = "properties is not an object"
        lon.append(x)
        lat.append(y)
        reasons.append(reason)
        notes.append(note)
    return _FeatureColumns(props=props, lon=np.asarray(lon, dtype=float), lat=np.asarray(lat, dtype=float),
                           reasons=reasons, notes=notes)


def read_geojson_pieces(path: Path, layout: str | None, progress: Progress) -> Iterator[Piece]:
    document = _geojson_document(path)
    if document is None:
        return
    features, crs = _geojson_features(document, path)
    if not features:
        return
    columns = _feature_columns(features)
    table = _nested_as_json(pd.DataFrame.from_records(columns.props, index=pd.RangeIndex(len(columns.props))))
    layout = layout or formats.detect_layout(table.columns, located=True)
    original = table.assign(geometry=[json.dumps(f.get("geometry"), ensure_ascii=False) if isinstance(f, dict) else None
                                      for f in features])
    if layout is not None:
        formats.require_layout(table.columns, layout, str(path), located=True)
        table = formats.to_schema(table, layout)
        for column in [c for c in validate.find_coordinate_columns(table.columns) if c is not None]:
            table = table.drop(columns=column)
    problems = _no_problems(table.index)
    has_reason = np.array([r is not None for r in columns.reasons])
    problems.loc[has_reason, "field"] = "geometry"
    problems.loc[has_reason, "reason"] = [r for r in columns.reasons if r is not None]
    progress.advance(len(table))
    yield Piece(table=table, lon=columns.lon, lat=columns.lat,
                record=np.arange(1, len(table) + 1, dtype=np.int64), problems=problems, original=original, crs=crs,
                lat_field="geometry", lon_field="geometry", point_notes=columns.notes, layout=layout)


def empty_schema_frame() -> pd.DataFrame:
    """No records, with the schema's columns and types."""
    def dtype(column: str) -> Any:
        if column in formats.INTEGER_FIELDS:
            return "Int64"
        if column in formats.FLOAT_FIELDS:
            return float
        return object if column in formats.LIST_FIELDS else "str"

    columns = {c: pd.Series(dtype=dtype(c)) for c in formats.SCHEMA}
    return pd.DataFrame({**columns, "_record": pd.Series(dtype="int64")})


class Progress:
    """Counts the records read: logs them for large inputs, and advances a bar if given one.

    ``step`` is the :class:`geo.progress.Bar` of the read (drawn on a terminal only);
    the readers call :meth:`advance` once per chunk, never per record.
    """

    def __init__(self, path: Path, step: Bar | None = None) -> None:
        self.path = path
        self.loud = path.stat().st_size > LARGE_INPUT_BYTES
        self.count = 0
        self.started = time.monotonic()
        self.step = step

    def advance(self, rows: int) -> None:
        self.count += rows
        if self.step is not None:
            self.step.advance(rows)
        if self.loud:
            logger.info("%s: read %s records (%.0f s)", self.path.name, f"{self.count:,}", time.monotonic() - self.started)

    def restart(self) -> None:
        self.count = 0
        if self.step is not None:
            self.step.update(completed=0)


@dataclass
class CsvTable:
    """A whole CSV read by :func:`read_csv_table`: typed records, their lines, odd rows."""

    frame: pd.DataFrame  # typed by :func:`infer_text_columns`; index = position in the file
    lines: np.ndarray  # the line each record starts on (the header is line 1)
    odd_rows: pd.DataFrame  # rejects for rows with the wrong number of fields

    @property
    def n_read(self) -> int:
        """Records in the file, odd rows included."""
        return len(self.frame) + len(self.odd_rows)


def read_csv_table(path: str | Path, *, skip: set[str] | frozenset[str] = frozenset()) -> CsvTable:
    """Read a whole CSV with the one CSV reader of geo: checked structure, then typed.

    Rows with more or fewer fields than the header are rejects (``record`` = their line,
    ``field`` = "(row)"), never shifted into other columns; an unclosed quote raises
    :class:`~geo.errors.InputFileError` naming the line where it opened.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("id,place,note\\n1,Turbat,x\\n2,Turbat,Panjgur,x\\n")
    >>> table = read_csv_table(path)
    >>> table.frame["place"].tolist(), table.lines.tolist()
    (['Turbat'], [2])
    >>> table.odd_rows[["record", "field", "reason"]].values.tolist()
    [[3, '(row)', '4 fields where the header has 3']]
    """
    path = Path(path)
    header = csv_header(path)
    frames, lines, odd = [], [], []
    if header:
        try:
            chunks = list(csv_text_chunks(path, header, rows=CHUNK_ROWS, block_bytes=CSV_BLOCK_BYTES))
        except IrregularCsv:
            chunks = list(csv_text_chunks(path, header, rows=CHUNK_ROWS, block_bytes=CSV_BLOCK_BYTES, slow=True))
        for frame, line, rows in chunks:
            frames.append(frame)
            lines.append(line)
            if rows is not None and len(rows):
                odd.append(rows)
    frame = (pd.concat(frames) if frames else
             pd.DataFrame({c: pd.Series(dtype="str") for c in header}))
    odd_rows = pd.concat(odd, ignore_index=True) if odd else pd.DataFrame(columns=["record", "id", "field", "reason"])
    record = np.concatenate(lines) if lines else np.array([], dtype=np.int64)
    return CsvTable(infer_text_columns(frame, skip), record, odd_rows)
