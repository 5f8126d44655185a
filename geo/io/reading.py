"""Reading incident files, with every bad record accounted for.

:func:`read_incidents_checked` reads GeoJSON (RFC 7946), CSV with coordinate columns,
ACLED and UCDP GED exports (CSV or Parquet) and GeoParquet, maps them to the incident
schema (:mod:`geo.io.formats`), checks every record (:mod:`geo.io.validate`) and returns the good
records, the rejected ones with their reasons, and warnings: read N = processed M +
rejected K, always. :func:`read_incidents` returns the good records only.

Only file-level failures raise (:class:`~geo.errors.InputFileError`): a missing or
unreadable file, an empty (0-byte) file, binary data where text is expected, malformed
JSON (with its line and column), text that is not UTF-8, an unknown format, a repeated
column name. A file that holds no records but is well formed (a CSV header, an empty
FeatureCollection) gives an empty frame and a warning.

CSV and Parquet are read in chunks by the per-format readers of :mod:`geo.io.readers`.

Writing is in :mod:`geo.io.writing`, and atomic file replacement in :mod:`geo.files`.

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

import functools
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import AccountingError, InputFileError
from geo.io import formats, validate
from geo.io.csv_table import IrregularCsv
from geo.io.readers import (
    Piece,
    Progress,
    empty_schema_frame,
    infer_text_columns,
    read_csv_pieces,
    read_geojson_pieces,
    read_parquet_pieces,
)
from geo.io.writing import OUTPUT_FORMATS, cells_for_csv, write_rejects

logger = logging.getLogger("geo")

#: Input formats by file extension (``format=`` overrides; "acled" and "ucdp" are CSV or
#: Parquet tables in those layouts, also recognized by their columns).
INPUT_FORMATS = {**OUTPUT_FORMATS, ".geoparquet": "parquet", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx"}
FORMATS = ("geojson", "csv", "parquet", "gpkg", "fgb", "xlsx", "acled", "ucdp")

#: Bytes read at the start of a text input to tell it from a binary file.
BINARY_SNIFF_BYTES = 8192

#: What a record number counts, per container format.
RECORD_UNITS = {"csv": "line", "geojson": "feature", "parquet": "row", "gpkg": "feature", "fgb": "feature",
                "xlsx": "row"}



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
        >>> from geo.datasets import data_path
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
        return write_rejects(self.rejects, output)


# --------------------------------------------------------------------------- reading


def _resolve_format(path: Path, format: str | None) -> tuple[str, str | None]:
    """Container ("geojson", "csv", "parquet") and forced layout ("acled", "ucdp", None)."""
    if format is not None:
        name = str(format).lower()
        if name not in FORMATS:
            raise InputFileError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}", path=str(path))
        if name in ("acled", "ucdp"):
            container = {".parquet": "parquet", ".geoparquet": "parquet", ".xlsx": "xlsx", ".gpkg": "gpkg",
                         ".fgb": "fgb"}.get(path.suffix.lower(), "csv")
            return container, name
        return name, None
    found = INPUT_FORMATS.get(path.suffix.lower())
    if found is None:
        allowed = ", ".join(sorted(INPUT_FORMATS))
        msg = (f"unknown format for extension {path.suffix!r}; use one of {allowed} "
               f"or name it with format= (one of {', '.join(FORMATS)})")
        raise InputFileError(msg, path=str(path))
    return found, None


def _reader(container: str) -> Callable[[Path, str | None, Progress], Iterator[Piece | pd.DataFrame]]:
    """The per-format reader of a container."""
    if container in ("gpkg", "fgb"):
        from geo.io.ogr import read_ogr_pieces

        return functools.partial(read_ogr_pieces, container=container)
    if container == "xlsx":
        from geo.io.excel import read_xlsx_pieces

        return read_xlsx_pieces
    return {"csv": read_csv_pieces, "geojson": read_geojson_pieces, "parquet": read_parquet_pieces}[container]


def _check_file(path: Path) -> None:
    try:
        if not path.exists():
            raise InputFileError("no such file", path=str(path))
        if path.is_dir():
            raise InputFileError("is a folder, not a file", path=str(path))
        with path.open("rb") as handle:
            head = handle.read(BINARY_SNIFF_BYTES)
    except OSError as err:  # a name too long, a folder without permission, ...
        raise InputFileError(f"cannot read: {err.strerror or err}", path=str(path)) from None
    if not head:
        raise InputFileError("empty file (0 bytes), most likely a failed download; nothing was written",
                             path=str(path))


def _check_text(path: Path) -> None:
    """Refuse binary data and blank files where text (CSV, GeoJSON) is expected."""
    with path.open("rb") as handle:
        head = handle.read(BINARY_SNIFF_BYTES)
    nul = head.find(b"\x00")
    if nul >= 0:
        raise InputFileError(f"binary data, not text (a NUL byte at byte {nul}); nothing was written", path=str(path))
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n") and len(head) == path.stat().st_size:
        raise InputFileError("empty file (only blank space), most likely a failed download; nothing was written",
                             path=str(path))


#: A property of this name would clash with the geometry; it is kept under this name.
GEOMETRY_PROPERTY = "geometry_original"


@dataclass
class CheckedPieces:
    """What :func:`check_pieces` gathered from a reader: good records, rejects and notes."""

    frames: list[pd.DataFrame] = field(default_factory=list)
    lons: list[np.ndarray] = field(default_factory=list)
    lats: list[np.ndarray] = field(default_factory=list)
    rejects: list[pd.DataFrame] = field(default_factory=list)
    notes: validate.Notes = field(default_factory=validate.Notes)
    crs: Any = None
    n_read: int = 0
    layout: str | None = None


def check_pieces(pieces: Iterator[Piece | pd.DataFrame], path: Path, unit: str, fix_swapped: bool,
                 region_only: bool = False) -> CheckedPieces:
    """Check every piece; collect the good frames, coordinates, rejects and notes."""
    state = CheckedPieces()
    notes = state.notes
    for piece in pieces:
        if isinstance(piece, pd.DataFrame):  # rows the csv module could not use
            state.rejects.append(piece)
            state.n_read += len(piece)
            continue
        state.n_read += len(piece.table)
        checked = validate.check_records(
            piece.table, piece.lon, piece.lat, record=piece.record, unit=unit, path=str(path),
            problems=piece.problems, crs=piece.crs, fix_swapped=fix_swapped, original=piece.original,
            lat_field=piece.lat_field, lon_field=piece.lon_field, region_only=region_only,
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
        if piece.crs is not None and state.crs is None:
            state.crs = piece.crs
        state.layout = state.layout or piece.layout
        state.frames.append(checked.frame.assign(_record=piece.record[kept]))
        state.lons.append(checked.lon)
        state.lats.append(checked.lat)
        state.rejects.append(checked.rejects)
    return state


def read_incidents_checked(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    fix_swapped: bool = False,
    region_only: bool = False,
) -> ReadResult:
    """Read incidents, keeping account of every record: the good, the rejected and why.

    Parameters
    ----------
    path : path-like
        GeoJSON, CSV (coordinate columns named latitude/longitude, lat/lon, lat/lng or
        y/x, any case), an ACLED or UCDP GED export (CSV, Parquet or, ACLED's, Excel
        ``.xlsx``), GeoParquet, GeoPackage (``.gpkg``) or FlatGeobuf (``.fgb``).
    format : {"geojson", "csv", "parquet", "gpkg", "fgb", "xlsx", "acled", "ucdp"}, optional
        Overrides the format guessed from the extension; ACLED and UCDP tables are also
        recognized by their columns.
    fix_swapped : bool
        Swap latitude and longitude where they look swapped and the swapped point lies in
        the study region (the two border provinces and ``settings.REGION_MARGIN_KM``
        around them): a latitude beyond ±90 whose longitude is a valid latitude, or a
        point outside the region. Without it, the first kind is rejected and the second
        kept with a warning (see :mod:`geo.io.placement`).
    region_only : bool
        Reject the records outside the study region; without it they are kept, with a
        warning that names them.

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
    >>> from geo.datasets import data_path
    >>> result = read_incidents_checked(data_path("incidents.geojson"))
    >>> result.summary()
    'read 8, processed 8, rejected 0'
    >>> print(result.warnings[0].split(": ", 1)[1])  # the two diplomatic steps in the capitals
    feature 6, feature 8: field 'geometry': outside the study region (Balochistan, Sistan and Baluchestan and 100 km around them); kept (--region-only rejects such records)
    """
    path = Path(path)
    _check_file(path)
    container, layout = _resolve_format(path, format)
    if container in ("csv", "geojson"):
        _check_text(path)
    unit = RECORD_UNITS[container]
    progress = Progress(path)
    reader = _reader(container)

    try:
        state = check_pieces(reader(path, layout, progress), path, unit, fix_swapped, region_only)
    except IrregularCsv as err:
        # not a regular table for pyarrow (odd rows, blank lines, an odd quote): the csv module knows lines
        logger.debug("%s: re-reading with the csv module (%s)", path, err)
        progress.restart()
        state = check_pieces(read_csv_pieces(path, layout, progress, slow=True), path, unit, fix_swapped, region_only)
    rejects, notes, n_read = state.rejects, state.notes, state.n_read
    warnings: list[str] = []

    frame = pd.concat(state.frames) if state.frames else empty_schema_frame()
    lon = np.concatenate(state.lons) if state.lons else np.array([], dtype=float)
    lat = np.concatenate(state.lats) if state.lats else np.array([], dtype=float)
    if container == "csv":
        frame = infer_text_columns(frame, set(formats.SCHEMA) | {"_record", "date_end"})
    if "geometry" in frame.columns:  # a property would vanish under the geometry
        if GEOMETRY_PROPERTY in frame.columns:
            raise InputFileError(f"both a 'geometry' and a {GEOMETRY_PROPERTY!r} field besides the locations; "
                                 "rename one", path=str(path), field="geometry")
        frame = frame.rename(columns={"geometry": GEOMETRY_PROPERTY})
        warnings.append(f"{path}: field 'geometry': a field of this name would clash with the location; "
                        f"kept as {GEOMETRY_PROPERTY!r}")

    # duplicate ids can only be seen across the whole file
    record = frame.pop("_record").to_numpy(dtype=np.int64)
    duplicate = validate.duplicate_ids(frame["id"], record, unit)
    dup = duplicate.notna().to_numpy()
    if dup.any():
        dup_rejects = pd.DataFrame({"record": record[dup], "id": frame["id"][dup].to_numpy(dtype=object),
                                    "field": "id", "reason": duplicate[dup].to_numpy()}, index=frame.index[dup])
        fields = cells_for_csv(frame[dup]).assign(longitude=lon[dup], latitude=lat[dup])
        rejects.append(validate.join_original(dup_rejects, fields))
        frame, lon, lat = frame[~dup], lon[~dup], lat[~dup]

    geometry = gpd.GeoSeries(gpd.points_from_xy(lon, lat), index=frame.index, crs="EPSG:4326")
    result_frame = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
    all_rejects = [r for r in rejects if len(r)]
    reject_table = (pd.concat(all_rejects, ignore_index=True).sort_values("record", kind="stable").reset_index(drop=True)
                    if all_rejects else validate.empty_rejects())

    warnings.extend(notes.render(str(path), unit))
    if state.crs is not None:
        import pyproj

        crs = pyproj.CRS.from_user_input(state.crs)
        if not (crs.equals("EPSG:4326") or crs.equals("OGC:CRS84")):
            warnings.insert(0, f"{path}: declared CRS {crs.to_string()} ({crs.name}); reprojected to WGS84 longitude/latitude")
    if n_read == 0:
        warnings.append(f"{path}: no records (empty input); the output will be empty")
    if len(result_frame) + len(reject_table) != n_read:  # the promise every command prints
        raise AccountingError(f"read {n_read} records but kept {len(result_frame)} and rejected "
                              f"{len(reject_table)}; please report this with the file", path=str(path))
    return ReadResult(result_frame, reject_table, warnings, n_read, path, container, layout or state.layout, unit)


def read_incidents(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    fix_swapped: bool = False,
    region_only: bool = False,
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
    >>> from geo.datasets import data_path
    >>> incidents = read_incidents(data_path("incidents.geojson"))
    >>> incidents.crs.to_epsg(), len(incidents)
    (4326, 8)
    """
    result = read_incidents_checked(path, format, fix_swapped=fix_swapped, region_only=region_only)
    for warning in result.warnings:
        logger.warning(warning)
    if result.n_rejected:
        logger.warning("%s: dropped %d rejected record(s) of %d; geo.io.reading.read_incidents_checked gives them with their reasons",
                       result.path, result.n_rejected, result.n_read)
    return result.frame
