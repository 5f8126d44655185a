"""Writing incident tables as GeoJSON, CSV or GeoParquet, deterministically and atomically.

The format follows the output's extension (:data:`OUTPUT_FORMATS`); the same records
always give the same bytes; every file goes through :func:`geo.files.atomic_write`.
GeoJSON and CSV are written a chunk of :data:`WRITE_CHUNK_ROWS` records at a time,
GeoParquet a row group of up to :data:`PARQUET_ROW_GROUP_ROWS`, so memory does not grow
with the output; :class:`IncidentWriter` takes a stream of chunks.

Rejects: the records a command could not use go to ``OUTPUT.rejects.csv``, the output's
whole name (extension included) followed by ``.rejects.csv`` (:func:`rejects_path_for`):
``events.geojson`` -> ``events.geojson.rejects.csv``. Different outputs therefore never
share a rejects file, and :func:`check_output` refuses, before any work, an output that
is an input, whose rejects file would be an input, or whose name ends in
``.rejects.csv``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from geo import settings
from geo.errors import GeoValueError, OutputPathError
from geo.files import atomic_write, check_output_path, name_max
from geo.io import geojson_text
from geo.io.validate import REJECT_COLUMNS
from geo.progress import Bar, bar

__all__ = [
    "OUTPUT_FORMATS", "REJECTS_SUFFIX", "REJECT_COLUMNS", "IncidentWriter", "cells_for_csv", "check_output",
    "output_format", "rejects_path_for", "to_geojson_text", "write_incidents", "write_rejects",
]

#: Output formats by file extension.
OUTPUT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".parquet": "parquet",
                  ".gpkg": "gpkg", ".fgb": "fgb"}

#: GDAL drivers (through pyogrio) of the formats written with them.
OGR_DRIVERS = {"gpkg": "GPKG", "fgb": "FlatGeobuf"}

#: What a rejects file's name adds to its output's name.
REJECTS_SUFFIX = ".rejects.csv"

#: Records encoded and written at a time to GeoJSON and CSV.
WRITE_CHUNK_ROWS: int = 20_000

#: Most records in one GeoParquet row group: large groups encode and compress fastest,
#: and a reader can still take the file a group at a time.
PARQUET_ROW_GROUP_ROWS: int = 100_000


def output_format(path: str | os.PathLike[str]) -> str:
    """Return the output format named by a file's extension.

    Examples
    --------
    >>> output_format("out/result.geojson")
    'geojson'
    """
    suffix = Path(path).suffix.lower()
    try:
        return OUTPUT_FORMATS[suffix]
    except KeyError:
        allowed = ", ".join(sorted(OUTPUT_FORMATS))
        msg = f"cannot write {str(path)!r}: unknown extension {suffix!r}; use one of {allowed}"
        raise GeoValueError(msg) from None


def rejects_path_for(output: str | os.PathLike[str]) -> Path:
    """Where the rejects of ``output`` go: ``OUTPUT.rejects.csv``, the extension kept.

    Keeping the extension means two outputs never share a rejects file: ``events.geojson``
    and ``events.html`` have ``events.geojson.rejects.csv`` and ``events.html.rejects.csv``.
    A name too long for the file system to take the suffix (a 250-byte name, say) is cut
    and followed by ``~`` and 8 hex digits of its SHA-256, so that it still fits and is
    still its own.

    Examples
    --------
    >>> rejects_path_for("maps/out.geojson").as_posix()
    'maps/out.geojson.rejects.csv'
    """
    output = Path(output)
    name = f"{output.name}{REJECTS_SUFFIX}"
    limit = name_max(output.parent)
    encoded = output.name.encode("utf-8", "surrogateescape")
    if len(name.encode("utf-8", "surrogateescape")) > limit:  # a long name: shortened, with its hash
        digest = hashlib.sha256(encoded).hexdigest()[:8]
        stem = encoded[: limit - len(REJECTS_SUFFIX) - len(digest) - 1].decode("utf-8", "ignore")
        name = f"{stem}~{digest}{REJECTS_SUFFIX}"
    return output.with_name(name)


def check_output(
    output: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    clobber: bool = True,
) -> Path:
    """Check, before any work, that ``output`` and its rejects file can be written.

    Raises :class:`~geo.errors.OutputPathError` when ``output`` fails
    :func:`geo.files.check_output_path` (a folder, inside a regular file, not writable,
    a name over the file system's limit, an input), when its name ends in
    ``.rejects.csv``, or when its rejects file would be an input or a folder. With ``clobber=False``, an existing output or rejects file is refused.

    Examples
    --------
    >>> check_output("out.rejects.csv")
    Traceback (most recent call last):
    ...
    geo.errors.OutputPathError: cannot write 'out.rejects.csv': the name ends in .rejects.csv, which geo keeps for the rejects beside each output; choose another name
    """
    path = Path(output)
    given_inputs = [Path(p) for p in inputs]
    if path.name.lower().endswith(REJECTS_SUFFIX):
        raise OutputPathError(f"the name ends in {REJECTS_SUFFIX}, which geo keeps for the rejects beside each "
                              "output; choose another name", path=output)
    check_output_path(path, inputs=given_inputs, clobber=clobber)
    rejects = rejects_path_for(path)
    for given in given_inputs:
        if rejects.exists() and given.exists() and os.path.samefile(rejects, given) or (
                os.path.realpath(rejects) == os.path.realpath(given)):
            raise OutputPathError(f"its rejects file {str(rejects)!r} is the input, which a run without rejects "
                                  "would delete; choose another name", path=output)
    if rejects.is_dir():
        raise OutputPathError(f"its rejects file {str(rejects)!r} is a folder", path=output)
    if not clobber and os.path.lexists(rejects):
        raise OutputPathError(f"its rejects file {str(rejects)!r} exists and --no-clobber keeps it", path=output)
    return path


def _readable_pandas_metadata(metadata: dict[bytes, bytes] | None) -> dict[bytes, bytes]:
    """Arrow's pandas metadata, with nested Arrow dtypes recorded as ``object``.

    pandas records a list column's dtype as ``"list<item: ...>[pyarrow]"`` but cannot parse
    that name back, so geopandas and pandas could not read the file; as ``object`` the column
    reads back as lists.
    """
    metadata = dict(metadata or {})
    if b"pandas" not in metadata:
        return metadata
    pandas_meta = json.loads(metadata[b"pandas"])
    for column in pandas_meta.get("columns", []):
        numpy_type = str(column.get("numpy_type", ""))
        if numpy_type.endswith("[pyarrow]") and ("<" in numpy_type or "[" in numpy_type[:-len("[pyarrow]")]):
            column["numpy_type"] = "object"
    metadata[b"pandas"] = json.dumps(pandas_meta).encode()
    return metadata


def cells_for_csv(table: pd.DataFrame) -> pd.DataFrame:
    """Lists and objects as JSON text, so that a CSV cell holds them losslessly."""
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.ArrowDtype) and pa.types.is_list(values.dtype.pyarrow_dtype):
            array = geojson_text.arrow_of(values)
            text = geojson_text.arrow_json(array, separators=(", ", ": "))
            if text is not None:  # json.dumps' text, built by pyarrow
                cells = text.to_numpy(zero_copy_only=False).astype(object)
                out[column] = pd.Series(cells, index=values.index, dtype=object).where(values.notna().to_numpy())
            else:
                out[column] = values.map(lambda v: json.dumps(geojson_text.json_value(v), ensure_ascii=False),
                                         na_action="ignore").astype(object)
        elif values.dtype == object:
            nested = values.map(lambda v: isinstance(v, (list, tuple, dict, np.ndarray)))
            if nested.any():
                out[column] = values.map(
                    lambda v: json.dumps(geojson_text.json_value(v), ensure_ascii=False)
                    if isinstance(v, (list, tuple, dict, np.ndarray)) else v
                )
    return out


def to_geojson_text(frame: gpd.GeoDataFrame, decimals: int = settings.COORDINATE_DECIMALS) -> str:
    """Serialise a GeoDataFrame as RFC 7946 GeoJSON text, deterministically.

    Coordinates are WGS84 longitude/latitude rounded to ``decimals``; there is no ``crs``
    member; properties keep the column order. The text of :func:`write_incidents`.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(63.4, 27.0)], crs="EPSG:4326")
    >>> print(to_geojson_text(frame), end="")
    {"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[63.4,27.0]}}
    ]}
    """
    parts = [geojson_text.HEADER]
    for start in range(0, len(frame), WRITE_CHUNK_ROWS):
        chunk = frame.iloc[start:start + WRITE_CHUNK_ROWS]
        parts.append(geojson_text.feature_bytes(chunk, decimals, first=start == 0))
    parts.append(geojson_text.FOOTER)
    return b"".join(parts).decode("utf-8")


def _csv_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The CSV cells of ``frame``: its properties, then longitude and latitude of points."""
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    points = frame.geometry
    is_point = (points.geom_type == "Point").to_numpy()
    table["longitude"] = np.where(is_point, points.x.where(is_point), np.nan).round(settings.COORDINATE_DECIMALS)
    table["latitude"] = np.where(is_point, points.y.where(is_point), np.nan).round(settings.COORDINATE_DECIMALS)
    return cells_for_csv(table)


def _text_for_null(kind: pa.DataType) -> pa.DataType:
    """``kind`` with every Arrow null type in it, nested ones included, made text."""
    if pa.types.is_null(kind):
        return pa.large_string()
    if pa.types.is_struct(kind):
        return pa.struct([kind.field(i).with_type(_text_for_null(kind.field(i).type)) for i in range(kind.num_fields)])
    if pa.types.is_large_list(kind):
        return pa.large_list(kind.value_field.with_type(_text_for_null(kind.value_type)))
    if pa.types.is_list(kind):
        return pa.list_(kind.value_field.with_type(_text_for_null(kind.value_type)))
    return kind


class IncidentWriter:
    """Write incident records chunk by chunk into one GeoJSON, CSV or GeoParquet file.

    The file is written atomically when the writer closes without an error; the chunks
    must have the same columns. Memory holds one chunk at a time. :func:`write_incidents`
    is one frame through this writer (GeoParquet of one frame through GeoPandas).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from shapely.geometry import Point
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "two.csv"
    >>> with IncidentWriter(out) as writer:
    ...     for i in range(2):
    ...         writer.write(gpd.GeoDataFrame({"id": [f"r{i}"]}, geometry=[Point(63, 27 + i)], crs="EPSG:4326"))
    >>> out.read_text().splitlines()
    ['id,longitude,latitude', 'r0,63.0,27.0', 'r1,63.0,28.0']

    ``progress``, a :class:`geo.progress.Bar`, is advanced by the records of each chunk
    of :data:`WRITE_CHUNK_ROWS` as it is written.
    """

    def __init__(self, path: str | os.PathLike[str], *, progress: Bar | None = None) -> None:
        self.path = Path(path)
        self.step = progress
        self.format = output_format(self.path)
        self.records = 0
        self._columns: list[str] | None = None
        self._stack = contextlib.ExitStack()
        self._handle: IO[Any] = self._stack.enter_context(atomic_write(self.path, "wb"))
        self._parquet: Any = None
        self._empty: gpd.GeoDataFrame | None = None
        self._wrote_header = False
        if self.format == "geojson":
            self._handle.write(geojson_text.HEADER)

    def write(self, frame: gpd.GeoDataFrame) -> None:
        """Append the records of ``frame``."""
        columns = [str(c) for c in frame.columns]
        if self._columns is None:
            self._columns = columns
        elif columns != self._columns:
            raise GeoValueError(f"a chunk for {str(self.path)!r} has the columns {columns}, not {self._columns}")
        rows = PARQUET_ROW_GROUP_ROWS if self.format == "parquet" else WRITE_CHUNK_ROWS
        for start in range(0, len(frame), rows):
            self._write_chunk(frame.iloc[start:start + rows])
        if not len(frame) and self.records == 0:
            if self.format == "csv" and not self._wrote_header:
                self._write_chunk(frame)  # the header of an empty table
            elif self.format == "parquet" and self._empty is None:
                self._empty = frame  # the columns of a file that may stay empty

    def _write_chunk(self, chunk: gpd.GeoDataFrame) -> None:
        if self.format == "geojson":
            self._handle.write(geojson_text.feature_bytes(chunk, settings.COORDINATE_DECIMALS, first=self.records == 0))
        elif self.format == "csv":
            text = _csv_table(chunk).to_csv(index=False, header=self.records == 0 and not self._wrote_header,
                                           lineterminator="\n")
            self._handle.write(text.encode("utf-8"))
            self._wrote_header = True
        else:
            self._write_parquet(chunk)
        self.records += len(chunk)
        if self.step is not None:
            self.step.advance(len(chunk))

    def _write_parquet(self, chunk: gpd.GeoDataFrame) -> None:
        import pyarrow.parquet as pq
        import shapely

        name = chunk.geometry.name
        properties = [column for column in chunk.columns if column != name]
        table = pa.Table.from_pandas(pd.DataFrame(chunk, copy=False), columns=properties, preserve_index=False)
        wkb = shapely.to_wkb(chunk.geometry.to_numpy(), flavor="iso")
        table = table.append_column(name, pa.array(wkb, pa.binary()))
        if self._parquet is None:
            # a column (or nested field) empty in the first chunk holds text in the file: all it can hold later
            table = table.cast(pa.schema([f.with_type(_text_for_null(f.type)) for f in table.schema],
                                         metadata=table.schema.metadata))
            # GeoParquet 1.0 metadata; no bounds or types: the first chunk cannot know the file's
            crs = chunk.crs.to_json_dict() if chunk.crs is not None else None
            geo_meta = {"version": "1.0.0", "primary_column": name,
                        "columns": {name: {"encoding": "WKB", "geometry_types": [], "crs": crs}}}
            metadata = {**_readable_pandas_metadata(table.schema.metadata), b"geo": json.dumps(geo_meta).encode()}
            self._parquet = pq.ParquetWriter(self._handle, table.schema.with_metadata(metadata))
        if not table.schema.equals(self._parquet.schema):
            table = table.cast(self._parquet.schema)
        self._parquet.write_table(table)

    def close(self) -> None:
        """Finish the file and put it in place."""
        self._finish(None, None, None)

    def _finish(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._handle.closed:
            return
        try:
            if error is None:
                if self.format == "geojson":
                    self._handle.write(geojson_text.FOOTER)
                elif self.format == "parquet":
                    if self._parquet is None:  # no records at all: the file still has the columns
                        empty = self._empty if self._empty is not None else gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
                        self._write_parquet(empty)
                    assert self._parquet is not None
                    self._parquet.close()
        except BaseException as failure:
            self._abandon_parquet()
            self._stack.__exit__(type(failure), failure, failure.__traceback__)
            raise
        if error is not None:
            self._abandon_parquet()
        self._stack.__exit__(kind, error, tb)

    def _abandon_parquet(self) -> None:
        """Close the Parquet writer of a failed file (into the temporary file, removed next)."""
        writer, self._parquet = self._parquet, None
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._finish(kind, error, tb)


def write_incidents(frame: gpd.GeoDataFrame, path: str | os.PathLike[str], *, progress: bool | None = None) -> Path:
    """Write records as GeoJSON, CSV (with longitude and latitude columns), GeoParquet,
    GeoPackage or FlatGeobuf.

    The format follows the extension; the file is written atomically, and the same
    records always give the same bytes. GeoJSON and CSV are encoded and written a chunk
    at a time. In CSV, list fields (``sources``, ``location_variants``) are JSON arrays,
    which :func:`geo.io.read_incidents` turns back into lists.

    Parameters
    ----------
    frame : GeoDataFrame
        The records.
    path : path-like
        The file; its extension names the format (:data:`OUTPUT_FORMATS`).
    progress : bool, optional
        A progress bar "writing NAME" on a terminal for a long write, advanced a chunk of
        :data:`WRITE_CHUNK_ROWS` at a time (see :mod:`geo.progress`); None follows
        ``geo.progress.DEFAULT``, off in Python.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import geo
    >>> from geo.datasets import data_path
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "copy.parquet"
    >>> _ = write_incidents(geo.read_incidents(data_path("incidents.geojson")), out)
    >>> geo.read_incidents(out)["id"].tolist() == geo.read_incidents(data_path("incidents.geojson"))["id"].tolist()
    True
    """
    path = Path(path)
    fmt = output_format(path)
    with bar(f"writing {path.name}", len(frame), enabled=progress) as step:
        if fmt in OGR_DRIVERS:  # one write through GDAL: the bar shows the time only
            _write_ogr(frame, path, OGR_DRIVERS[fmt])
            step.advance(len(frame))
            return path
        with IncidentWriter(path, progress=step) as writer:
            writer.write(frame)
    return path


def _write_ogr(frame: gpd.GeoDataFrame, path: Path, driver: str) -> None:
    """GeoPackage or FlatGeobuf through pyogrio, built in memory and written atomically.

    Lists and objects become JSON text (the formats have no list fields); the reader turns
    the schema's list fields back into lists.
    """
    import io

    import pyogrio

    geometry = frame.geometry.to_crs("EPSG:4326") if frame.crs is not None else frame.geometry.set_crs("EPSG:4326")
    table = gpd.GeoDataFrame(cells_for_csv(pd.DataFrame(frame.drop(columns=frame.geometry.name))),
                             geometry=geometry.to_numpy(), crs="EPSG:4326")
    buffer = io.BytesIO()
    # FlatGeobuf's spatial index would reorder the features: keep the records' order
    options = {"SPATIAL_INDEX": "NO"} if driver == "FlatGeobuf" else {}
    pyogrio.write_dataframe(table, buffer, driver=driver, layer=path.stem or "incidents", **options)
    with atomic_write(path, "wb") as handle:
        handle.write(buffer.getvalue())


def write_rejects(rejects: pd.DataFrame, output: str | os.PathLike[str]) -> Path | None:
    """Write a rejects table beside ``output`` (atomically); remove a stale one if empty.

    The one rejects writer: every command's rejects file has the columns
    :data:`REJECT_COLUMNS` first, then whatever the command adds, then the fields as read.

    Returns
    -------
    pathlib.Path or None
        The rejects file, or None when nothing was rejected.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out.geojson"
    >>> table = pd.DataFrame({"record": [3], "id": ["b"], "field": ["lat"], "reason": ["missing latitude"]})
    >>> write_rejects(table, out).read_text().splitlines()
    ['record,id,field,reason', '3,b,lat,missing latitude']
    >>> write_rejects(table.iloc[:0], out) is None, rejects_path_for(out).exists()
    (True, False)
    """
    front = tuple(rejects.columns[: len(REJECT_COLUMNS)])
    if front != REJECT_COLUMNS:
        msg = f"a rejects table must start with the columns {list(REJECT_COLUMNS)}, not {list(front)}"
        raise GeoValueError(msg)
    path = rejects_path_for(output)
    if rejects.empty:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return None
    with atomic_write(path) as handle:
        cells_for_csv(rejects).to_csv(handle, index=False, lineterminator="\n")
    return path
