"""Reading incident files, with every bad record accounted for, and writing outputs atomically.

:func:`read_incidents_checked` reads GeoJSON (RFC 7946), CSV with coordinate columns,
ACLED and UCDP GED exports (CSV or Parquet) and GeoParquet, maps them to the incident
schema (:mod:`geo.formats`), checks every record (:mod:`geo.validate`) and returns the good
records, the rejected ones with their reasons, and warnings: read N = processed M +
rejected K, always. :func:`read_incidents` returns the good records only.

Only file-level failures raise (:class:`~geo.errors.InputFileError`): a missing or
unreadable file, malformed JSON (with its line and column), text that is not UTF-8, an
unknown format. A file with no records gives an empty frame and a warning.

CSV and Parquet are read in chunks by the per-format readers of :mod:`geo.readers`.

Every output goes through :func:`atomic_write`: the bytes land in a temporary file in the
destination folder and are renamed over the target only when complete, so an interrupted
run never leaves a partial file or spoils a good one.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "in.csv").write_text("id,date,lat,lon\\na,16 January 2024,26.9,63.1\\nb,2024-01-18,,62.0\\n")
>>> result = read_incidents_checked(folder / "in.csv")
>>> result.summary()
'read 2, processed 1, rejected 1'
>>> result.rejects[["record", "id", "field", "reason"]].values.tolist()
[[3, 'b', 'lat', 'missing latitude']]
>>> result.frame[["id", "date"]].values.tolist()
[['a', '2024-01-16']]
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from geo import formats, settings, validate
from geo.errors import GeoValueError, InputFileError
from geo.readers import (
    IrregularCsv,
    Piece,
    Progress,
    empty_schema_frame,
    infer_text_columns,
    read_csv_pieces,
    read_geojson_pieces,
    read_parquet_pieces,
)

logger = logging.getLogger("geo")

#: Output formats by file extension.
OUTPUT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".parquet": "parquet"}

#: Input formats by file extension (``format=`` overrides; "acled" and "ucdp" are CSV or
#: Parquet tables in those layouts, also recognised by their columns).
INPUT_FORMATS = {**OUTPUT_FORMATS, ".geoparquet": "parquet", ".txt": "csv", ".tsv": "csv"}
FORMATS = ("geojson", "csv", "parquet", "acled", "ucdp")

#: What a record number counts, per container format.
RECORD_UNITS = {"csv": "line", "geojson": "feature", "parquet": "row"}



@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path`` and rename it over ``path`` on success.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as f:
    ...     _ = f.write("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


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
    """Where the rejects of ``output`` go: ``OUTPUT.rejects.csv``, the extension replaced.

    The same rule as ``geo geocode``: ``out.geojson`` -> ``out.rejects.csv``.

    Examples
    --------
    >>> rejects_path_for("maps/out.geojson").as_posix()
    'maps/out.rejects.csv'
    """
    output = Path(output)
    return output.with_name(f"{output.stem}.rejects.csv")


@dataclass
class ReadResult:
    """What :func:`read_incidents_checked` read: the good records, the rejected, warnings.

    Attributes
    ----------
    frame : GeoDataFrame
        The good records in EPSG:4326, in the incident schema; the index is each record's
        0-based position in the file.
    rejects : DataFrame
        One row per rejected record: ``record`` (line for CSV, feature for GeoJSON, row for
        Parquet; see ``unit``), ``id``, ``field``, ``reason``, then the fields as read.
    warnings : list of str
        Problems that cost no record, each naming the file, records and field.
    n_read : int
        Records in the file; always ``len(frame) + len(rejects)``.
    """

    frame: gpd.GeoDataFrame
    rejects: pd.DataFrame
    warnings: list[str]
    n_read: int
    path: Path
    format: str
    layout: str | None = None
    unit: str = "record"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n_processed(self) -> int:
        """The number of good records."""
        return len(self.frame)

    @property
    def n_rejected(self) -> int:
        """The number of rejected records."""
        return len(self.rejects)

    def summary(self, processed: int | None = None) -> str:
        """The line every command prints: ``read N, processed M, rejected K``."""
        done = self.n_processed if processed is None else processed
        return f"read {self.n_read}, processed {done}, rejected {self.n_rejected}"

    def reject_messages(self, limit: int | None = None) -> list[str]:
        """One line per rejected record: file, record, id, field and reason.

        Examples
        --------
        >>> from geo._data import data_path
        >>> read_incidents_checked(data_path("incidents.geojson")).reject_messages()
        []
        """
        table = self.rejects if limit is None else self.rejects.head(limit)
        lines = []
        for record, ident, field_name, reason in table[["record", "id", "field", "reason"]].itertuples(index=False):
            label = f"{self.unit} {record}" + ("" if pd.isna(ident) else f" (id {ident!r})")
            lines.append(f"{self.path}: {label}: field {field_name!r}: {reason}")
        return lines

    def write_rejects(self, output: str | os.PathLike[str]) -> Path | None:
        """Write the rejects next to ``output`` (atomically); remove a stale file if none.

        Returns the rejects file, or None when nothing was rejected.
        """
        path = rejects_path_for(output)
        if self.rejects.empty:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            return None
        table = _cells_for_csv(self.rejects)
        with atomic_write(path) as handle:
            table.to_csv(handle, index=False, lineterminator="\n")
        return path


# --------------------------------------------------------------------------- reading


def _resolve_format(path: Path, format: str | None) -> tuple[str, str | None]:
    """Container ("geojson", "csv", "parquet") and forced layout ("acled", "ucdp", None)."""
    if format is not None:
        name = str(format).lower()
        if name not in FORMATS:
            raise InputFileError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}", path=str(path))
        if name in ("acled", "ucdp"):
            container = "parquet" if path.suffix.lower() in (".parquet", ".geoparquet") else "csv"
            return container, name
        return name, None
    container = INPUT_FORMATS.get(path.suffix.lower())
    if container is None:
        allowed = ", ".join(sorted(INPUT_FORMATS))
        msg = (f"unknown format for extension {path.suffix!r}; use one of {allowed} "
               f"or name it with format= (one of {', '.join(FORMATS)})")
        raise InputFileError(msg, path=str(path))
    return container, None


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputFileError("no such file", path=str(path))
    if path.is_dir():
        raise InputFileError("is a folder, not a file", path=str(path))
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as err:
        raise InputFileError(f"cannot read: {err.strerror or err}", path=str(path)) from None


def _check_pieces(pieces: Iterator[Piece | pd.DataFrame], path: Path, unit: str, fix_swapped: bool) -> tuple:
    """Check every piece; collect the good frames, coordinates, rejects and notes."""
    frames, lons, lats, rejects = [], [], [], []
    notes = validate.Notes()
    crs_seen = layout = None
    n_read = 0
    for piece in pieces:
        if isinstance(piece, pd.DataFrame):  # rows the csv module could not use
            rejects.append(piece)
            n_read += len(piece)
            continue
        n_read += len(piece.table)
        checked = validate.check_records(
            piece.table, piece.lon, piece.lat, record=piece.record, unit=unit, path=str(path),
            problems=piece.problems, crs=piece.crs, fix_swapped=fix_swapped, original=piece.original,
            lat_field=piece.lat_field, lon_field=piece.lon_field,
        )
        kept = piece.table.index.get_indexer(checked.frame.index)
        if piece.non_point is not None:
            notes.add(piece.non_point[kept], piece.record[kept], "geometry",
                      "not a point: used a representative point inside it")
        if piece.point_notes is not None:
            for message in sorted({n for n in piece.point_notes if n}):
                mask = np.array([n == message for n in piece.point_notes])[kept]
                notes.add(mask, piece.record[kept], "geometry", message)
        notes.merge(checked.notes)
        if piece.crs is not None and crs_seen is None:
            crs_seen = piece.crs
        layout = layout or piece.layout
        frames.append(checked.frame.assign(_record=piece.record[kept]))
        lons.append(checked.lon)
        lats.append(checked.lat)
        rejects.append(checked.rejects)
    return frames, lons, lats, rejects, notes, crs_seen, n_read, layout


def read_incidents_checked(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    fix_swapped: bool = False,
) -> ReadResult:
    """Read incidents, keeping account of every record: the good, the rejected and why.

    Parameters
    ----------
    path : path-like
        GeoJSON, CSV (coordinate columns named latitude/longitude, lat/lon, lat/lng or
        y/x, any case), an ACLED or UCDP GED export, or GeoParquet.
    format : {"geojson", "csv", "parquet", "acled", "ucdp"}, optional
        Overrides the format guessed from the extension; ACLED and UCDP tables are also
        recognised by their columns.
    fix_swapped : bool
        Swap latitude and longitude where they look swapped: a latitude beyond ±90 whose
        longitude is a valid latitude, or, in a mostly regional file, a point outside
        Pakistan, Iran and Afghanistan whose swap falls inside. Without it, the first
        kind is rejected and the second kept with a warning.

    Returns
    -------
    ReadResult
        ``frame`` (good records, in the incident schema, EPSG:4326, index = 0-based
        position in the file), ``rejects``, ``warnings`` and ``n_read``.

    Raises
    ------
    InputFileError
        A missing or unreadable file, malformed JSON, text that is not UTF-8, an unknown
        format, a table without coordinate columns.

    Examples
    --------
    >>> from geo._data import data_path
    >>> result = read_incidents_checked(data_path("incidents.geojson"))
    >>> result.summary(), result.warnings
    ('read 8, processed 8, rejected 0', [])
    """
    path = Path(path)
    _check_file(path)
    container, layout = _resolve_format(path, format)
    unit = RECORD_UNITS[container]
    progress = Progress(path)
    reader = {"csv": read_csv_pieces, "geojson": read_geojson_pieces, "parquet": read_parquet_pieces}[container]

    try:
        state = _check_pieces(reader(path, layout, progress), path, unit, fix_swapped)
    except IrregularCsv as err:
        # not a regular table for pyarrow (odd rows, blank lines): the csv module knows lines
        logger.debug("%s: re-reading with the csv module (%s)", path, err)
        progress.restart()
        state = _check_pieces(read_csv_pieces(path, layout, progress, slow=True), path, unit, fix_swapped)
    frames, lons, lats, rejects, notes, crs_seen, n_read, found_layout = state
    warnings: list[str] = []

    frame = pd.concat(frames) if frames else empty_schema_frame()
    lon = np.concatenate(lons) if lons else np.array([], dtype=float)
    lat = np.concatenate(lats) if lats else np.array([], dtype=float)
    if container == "csv":
        frame = infer_text_columns(frame, set(formats.SCHEMA) | {"_record", "date_end"})

    # duplicate ids can only be seen across the whole file
    record = frame.pop("_record").to_numpy(dtype=np.int64)
    duplicate = validate.duplicate_ids(frame["id"], record, unit)
    dup = duplicate.notna().to_numpy()
    if dup.any():
        dup_rejects = pd.DataFrame({"record": record[dup], "id": frame["id"][dup].to_numpy(dtype=object),
                                    "field": "id", "reason": duplicate[dup].to_numpy()}, index=frame.index[dup])
        fields = _cells_for_csv(frame[dup]).assign(longitude=lon[dup], latitude=lat[dup])
        rejects.append(validate.join_original(dup_rejects, fields))
        frame, lon, lat = frame[~dup], lon[~dup], lat[~dup]

    geometry = gpd.GeoSeries(gpd.points_from_xy(lon, lat), index=frame.index, crs="EPSG:4326")
    result_frame = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
    all_rejects = [r for r in rejects if len(r)]
    reject_table = (pd.concat(all_rejects, ignore_index=True).sort_values("record", kind="stable").reset_index(drop=True)
                    if all_rejects else validate.empty_rejects())

    warnings.extend(notes.render(str(path), unit))
    if crs_seen is not None:
        import pyproj

        crs = pyproj.CRS.from_user_input(crs_seen)
        if not (crs.equals("EPSG:4326") or crs.equals("OGC:CRS84")):
            warnings.insert(0, f"{path}: declared CRS {crs.to_string()} ({crs.name}); reprojected to WGS84 longitude/latitude")
    if n_read == 0:
        warnings.append(f"{path}: no records (empty input); the output will be empty")
    if len(result_frame) + len(reject_table) != n_read:  # the promise every command prints
        raise AssertionError(f"read {n_read} but kept {len(result_frame)} and rejected {len(reject_table)}")
    return ReadResult(result_frame, reject_table, warnings, n_read, path, container, layout or found_layout, unit)


def read_incidents(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    fix_swapped: bool = False,
) -> gpd.GeoDataFrame:
    """Read incidents from GeoJSON, CSV, ACLED, UCDP GED or GeoParquet; good records only.

    Rejected records are dropped with a logged warning that gives their count; use
    :func:`read_incidents_checked` for the records and their reasons. The parameters are
    those of :func:`read_incidents_checked`.

    Returns
    -------
    geopandas.GeoDataFrame
        The good records in EPSG:4326, in the incident schema; the index is each
        record's 0-based position in the file.

    Examples
    --------
    >>> from geo._data import data_path
    >>> incidents = read_incidents(data_path("incidents.geojson"))
    >>> incidents.crs.to_epsg(), len(incidents)
    (4326, 8)
    """
    result = read_incidents_checked(path, format, fix_swapped=fix_swapped)
    for warning in result.warnings:
        logger.warning(warning)
    if result.n_rejected:
        logger.warning("%s: dropped %d rejected record(s) of %d; geo.io.read_incidents_checked gives them with their reasons",
                       result.path, result.n_rejected, result.n_read)
    return result.frame


# --------------------------------------------------------------------------- writing


def _cells_for_csv(table: pd.DataFrame) -> pd.DataFrame:
    """Lists and objects as JSON text, so that a CSV cell holds them losslessly."""
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.ArrowDtype) and pa.types.is_list(values.dtype.pyarrow_dtype):
            out[column] = values.map(lambda v: json.dumps(_json_value(v), ensure_ascii=False), na_action="ignore").astype(object)
        elif values.dtype == object:
            nested = values.map(lambda v: isinstance(v, (list, tuple, dict, np.ndarray)))
            if nested.any():
                out[column] = values.map(
                    lambda v: json.dumps(_json_value(v), ensure_ascii=False)
                    if isinstance(v, (list, tuple, dict, np.ndarray)) else v
                )
    return out


def _round_coords(obj: Any, decimals: int) -> Any:
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(v, decimals) for v in obj]
    return obj


def _json_value(value: Any) -> Any:
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
        return [_json_value(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


def to_geojson_text(frame: gpd.GeoDataFrame, decimals: int = settings.COORDINATE_DECIMALS) -> str:
    """Serialise a GeoDataFrame as RFC 7946 GeoJSON text, deterministically.

    Coordinates are WGS84 longitude/latitude rounded to ``decimals``; there is no ``crs``
    member; properties keep the column order.
    """
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    geometry_name = frame.geometry.name
    columns = [c for c in frame.columns if c != geometry_name]
    features = []
    for record, geom in zip(
        frame[columns].itertuples(index=False, name=None), frame.geometry, strict=True
    ):
        geometry = None
        if geom is not None and not geom.is_empty:
            mapping = geom.__geo_interface__
            geometry = {"type": mapping["type"], "coordinates": _round_coords(mapping["coordinates"], decimals)}
        properties = {str(k): _json_value(v) for k, v in zip(columns, record, strict=True)}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"


def write_incidents(frame: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write records as GeoJSON, CSV (with longitude and latitude columns) or GeoParquet.

    The format follows the extension; the file is written atomically, and the same
    records always give the same bytes. In CSV, list fields (``sources``,
    ``location_variants``) are JSON arrays, which :func:`read_incidents` turns back into
    lists.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo._data import data_path
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "copy.parquet"
    >>> _ = write_incidents(read_incidents(data_path("incidents.geojson")), out)
    >>> read_incidents(out)["id"].tolist() == read_incidents(data_path("incidents.geojson"))["id"].tolist()
    True
    """
    path = Path(path)
    fmt = output_format(path)
    if fmt == "geojson":
        text = to_geojson_text(frame)
        with atomic_write(path) as handle:
            handle.write(text)
    elif fmt == "csv":
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        points = frame.geometry
        is_point = points.geom_type == "Point"
        table["longitude"] = np.where(is_point, points.x.where(is_point), np.nan).round(settings.COORDINATE_DECIMALS)
        table["latitude"] = np.where(is_point, points.y.where(is_point), np.nan).round(settings.COORDINATE_DECIMALS)
        table = _cells_for_csv(table)
        with atomic_write(path) as handle:
            table.to_csv(handle, index=False, lineterminator="\n")
    else:
        with atomic_write(path, "wb") as handle:
            frame.to_parquet(handle, index=False)
    return path
