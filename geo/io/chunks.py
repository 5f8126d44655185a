"""Checked chunks of an incident file: the one path every read takes.

:class:`IncidentChunks` reads a file with its per-format reader (:mod:`geo.io.readers`),
chunk by chunk, checks every record (:mod:`geo.io.validate`) and yields the good records
of each chunk as a GeoDataFrame in EPSG:4326, in the incident schema. What spans chunks
is kept across them: the rejects with their reasons, the counts, the warnings, the ids
seen so far (:mod:`geo.io.seen_ids`: a later record with an earlier id is rejected) and
the typing of CSV columns (:mod:`geo.io.text_kinds`), which a streamed read decides in a
first pass over the file so that every chunk is typed alike.

:func:`geo.io.reading.read_incidents_checked` joins the chunks into one frame;
:func:`geo.io.reading.stream_incidents` hands them on one at a time, so memory holds one
chunk (``geo analyze`` writes each as it goes). CSV, Parquet and xlsx are read in chunks
of :data:`geo.io.readers.CHUNK_ROWS` records; GeoJSON, GeoPackage and FlatGeobuf are read
whole and make one chunk (:data:`STREAMED_FORMATS`).

Examples
--------
>>> from geo.datasets import data_path
>>> chunks = IncidentChunks(data_path("incidents.geojson"))
>>> [len(chunk) for chunk in chunks]
[8]
>>> chunks.result().summary()
'read 8, processed 8, rejected 0'
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
    read_csv_pieces,
    read_geojson_pieces,
    read_parquet_pieces,
)
from geo.io.seen_ids import SeenIds
from geo.io.text_kinds import TextKinds
from geo.io.writing import OUTPUT_FORMATS, cells_for_csv, write_rejects
from geo.progress import bar

__all__ = ["FORMATS", "GEOMETRY_PROPERTY", "INPUT_FORMATS", "RECORD_UNITS", "STREAMED_FORMATS",
           "IncidentChunks", "ReadResult", "check_file", "check_text", "resolve_format"]

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



#: Containers read in chunks: memory holds one chunk of them at a time.
STREAMED_FORMATS = ("csv", "parquet", "xlsx")

#: A property of this name would clash with the geometry; it is kept under this name.
GEOMETRY_PROPERTY = "geometry_original"

#: Columns a CSV's typing leaves alone: the schema's, typed by the record checks.
UNTYPED_COLUMNS = frozenset(formats.SCHEMA) | {"_record", "date_end"}


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
        Records in the file; always the good records plus ``len(rejects)``.
    kept : int, optional
        For a streamed read (:class:`IncidentChunks`), whose good records went chunk by
        chunk and are not in ``frame``: their number.
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
    kept: int | None = None

    @property
    def n_processed(self) -> int:
        """The number of good records."""
        return len(self.frame) if self.kept is None else self.kept

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
        >>> chunks = IncidentChunks(data_path("incidents.geojson"))
        >>> _ = list(chunks)
        >>> chunks.result().reject_messages()
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



def resolve_format(path: Path, format: str | None) -> tuple[str, str | None]:
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


def check_file(path: Path) -> None:
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


def check_text(path: Path) -> None:
    """Refuse binary data and blank files where text (CSV, GeoJSON) is expected."""
    with path.open("rb") as handle:
        head = handle.read(BINARY_SNIFF_BYTES)
    nul = head.find(b"\x00")
    if nul >= 0:
        raise InputFileError(f"binary data, not text (a NUL byte at byte {nul}); nothing was written", path=str(path))
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n") and len(head) == path.stat().st_size:
        raise InputFileError("empty file (only blank space), most likely a failed download; nothing was written",
                             path=str(path))




@dataclass
class _Tally:
    """What a read keeps across chunks."""

    rejects: list[pd.DataFrame] = field(default_factory=list)
    notes: validate.Notes = field(default_factory=validate.Notes)
    crs: Any = None
    n_read: int = 0
    n_kept: int = 0
    layout: str | None = None
    renamed_geometry: bool = False


class IncidentChunks:
    """The good records of an incident file, chunk by chunk, with every other record accounted for.

    Iterate once; then :meth:`result` gives the counts, the rejects and the warnings.

    Parameters
    ----------
    path : path-like
        The file (see :func:`geo.io.reading.read_incidents_checked` for the formats).
    format : str, optional
        Overrides the format guessed from the extension (one of :data:`FORMATS`).
    fix_swapped, region_only : bool
        As in :func:`geo.io.reading.read_incidents_checked`.
    typed : bool
        Type each CSV chunk as it goes, after a first pass over the whole file has decided
        the kind of every text column. When false, the chunks of a CSV hold text columns
        and :meth:`type_columns` types them (the in-memory read does that once, at the end).
    progress : bool, optional
        A bar "reading NAME" on a terminal while the chunks are read (see
        :mod:`geo.progress`; None follows ``geo.progress.DEFAULT``). Off by default: a
        caller that streams the chunks draws its own bar over its work.

    Raises
    ------
    InputFileError
        When the file cannot be read (a missing file, an unknown format, ...): on
        creation, or for a malformed file while iterating.
    """

    def __init__(self, path: str | os.PathLike[str], format: str | None = None, *, fix_swapped: bool = False,
                 region_only: bool = False, typed: bool = True, progress: bool | None = False) -> None:
        self.path = Path(path)
        check_file(self.path)
        self.container, self.layout = resolve_format(self.path, format)
        if self.container in ("csv", "geojson"):
            check_text(self.path)
        self.unit = RECORD_UNITS[self.container]
        self.fix_swapped, self.region_only, self.typed = fix_swapped, region_only, typed
        self.kinds = TextKinds(UNTYPED_COLUMNS)
        self.progress = Progress(self.path)
        self._tally = _Tally()
        self._seen = SeenIds(self.unit)
        self._slow = False
        self._done = False
        self._show_bar = progress
        #: Records in the file, when known before reading it all (Parquet's metadata, a CSV's first pass).
        self.total: int | None = _parquet_rows(self.path) if self.container == "parquet" else None

    @property
    def streamed(self) -> bool:
        """Whether the file is read in chunks (else it makes one chunk)."""
        return self.container in STREAMED_FORMATS

    def _pieces(self) -> Iterator[Piece | pd.DataFrame]:
        if self.container == "csv":
            return read_csv_pieces(self.path, self.layout, self.progress, slow=self._slow)
        return _reader(self.container)(self.path, self.layout, self.progress)

    def _observe_kinds(self) -> None:
        """The first pass over a CSV: the kind of every text column, over every record."""
        try:
            for piece in self._pieces():
                if isinstance(piece, Piece):
                    self.kinds.observe(self._keep_geometry_property(piece.table))
        except IrregularCsv as err:
            logger.debug("%s: re-reading with the csv module (%s)", self.path, err)
            self._slow = True
            self.kinds = TextKinds(UNTYPED_COLUMNS)
            for piece in self._pieces():
                if isinstance(piece, Piece):
                    self.kinds.observe(self._keep_geometry_property(piece.table))
        self.total = self.progress.count
        if self.progress.step is not None:
            self.progress.step.update(total=self.total)
        self.progress.restart()

    def __iter__(self) -> Iterator[gpd.GeoDataFrame]:
        if self._done:
            raise RuntimeError(f"the chunks of {str(self.path)!r} were read already; make a new IncidentChunks")
        self._done = True
        with bar(f"reading {self.path.name}", self.total, enabled=self._show_bar) as step:
            self.progress.step = step  # the readers advance it a chunk at a time
            try:
                yield from self._all_chunks()
            finally:
                self.progress.step = None

    def _all_chunks(self) -> Iterator[gpd.GeoDataFrame]:
        if self.container == "csv" and self.typed:
            self._observe_kinds()
            yield from self._chunks()
            return
        try:
            yield from self._chunks()
        except IrregularCsv as err:  # only before any chunk: pyarrow finds the structure first
            logger.debug("%s: re-reading with the csv module (%s)", self.path, err)
            self._slow = True
            self._tally, self._seen = _Tally(), SeenIds(self.unit)
            self.kinds = TextKinds(UNTYPED_COLUMNS)
            self.progress.restart()
            yield from self._chunks()

    def _chunks(self) -> Iterator[gpd.GeoDataFrame]:
        if self.container == "csv" and not self.typed:
            chunks = list(self._checked_chunks())  # an irregular file is found before any chunk is handed on
            yield from chunks
            return
        yield from self._checked_chunks()

    def _checked_chunks(self) -> Iterator[gpd.GeoDataFrame]:
        tally = self._tally
        for piece in self._pieces():
            if isinstance(piece, pd.DataFrame):  # rows the csv module could not use
                tally.rejects.append(piece)
                tally.n_read += len(piece)
                continue
            if self.container == "csv" and not self.typed:
                self.kinds.observe(self._keep_geometry_property(piece.table))
            chunk = self._check(piece)
            if self.typed:
                chunk = self.type_columns(chunk)
            tally.n_kept += len(chunk)
            yield chunk

    def _check(self, piece: Piece) -> gpd.GeoDataFrame:
        """One piece checked: its good records as points, its rejects and notes kept."""
        tally = self._tally
        tally.n_read += len(piece.table)
        checked = validate.check_records(
            piece.table, piece.lon, piece.lat, record=piece.record, unit=self.unit, path=str(self.path),
            problems=piece.problems, crs=piece.crs, fix_swapped=self.fix_swapped, original=piece.original,
            lat_field=piece.lat_field, lon_field=piece.lon_field, region_only=self.region_only,
        )
        kept = piece.table.index.get_indexer(checked.frame.index)
        _note_geometry(tally.notes, piece, kept)
        tally.notes.merge(checked.notes)
        if piece.crs is not None and tally.crs is None:
            tally.crs = piece.crs
        tally.layout = tally.layout or piece.layout
        tally.rejects.append(checked.rejects)
        frame, lon, lat, record = self._keep_geometry_property(checked.frame), checked.lon, checked.lat, piece.record[kept]
        duplicate = self._seen.check(frame["id"], record)
        dup = duplicate.notna().to_numpy()
        if dup.any():
            rejects = pd.DataFrame({"record": record[dup], "id": frame["id"][dup].to_numpy(dtype=object),
                                    "field": "id", "reason": duplicate[dup].to_numpy()}, index=frame.index[dup])
            fields = cells_for_csv(frame[dup]).assign(longitude=lon[dup], latitude=lat[dup])
            tally.rejects.append(validate.join_original(rejects, fields))
            frame, lon, lat = frame[~dup], lon[~dup], lat[~dup]
        geometry = gpd.GeoSeries(gpd.points_from_xy(lon, lat), index=frame.index, crs="EPSG:4326")
        return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")

    def type_columns(self, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """Type a CSV's text columns by the kinds observed (other formats come typed)."""
        return self.kinds.apply(frame) if self.container == "csv" else frame

    def _keep_geometry_property(self, table: pd.DataFrame) -> pd.DataFrame:
        """A property named ``geometry`` would vanish under the points: it is kept as ``geometry_original``."""
        if "geometry" not in table.columns:
            return table
        if GEOMETRY_PROPERTY in table.columns:
            raise InputFileError(f"both a 'geometry' and a {GEOMETRY_PROPERTY!r} field besides the locations; "
                                 "rename one", path=str(self.path), field="geometry")
        self._tally.renamed_geometry = True
        return table.rename(columns={"geometry": GEOMETRY_PROPERTY})

    def result(self, frame: gpd.GeoDataFrame | None = None) -> ReadResult:
        """The counts, rejects and warnings of the read, once the chunks have all been read.

        ``frame``: the good records joined into one (the in-memory read); without it the
        result holds their number only (``kept``).
        """
        tally = self._tally
        all_rejects = [r for r in tally.rejects if len(r)]
        rejects = (pd.concat(all_rejects, ignore_index=True).sort_values("record", kind="stable").reset_index(drop=True)
                   if all_rejects else validate.empty_rejects())
        warnings = self._warnings()
        kept = tally.n_kept if frame is None else len(frame)
        if kept + len(rejects) != tally.n_read:  # the promise every command prints
            raise AccountingError(f"read {tally.n_read} records but kept {kept} and rejected "
                                  f"{len(rejects)}; please report this with the file", path=str(self.path))
        if frame is None:
            return ReadResult(_empty_points(), rejects, warnings, tally.n_read, self.path, self.container,
                              self.layout or tally.layout, self.unit, kept=kept)
        return ReadResult(frame, rejects, warnings, tally.n_read, self.path, self.container,
                          self.layout or tally.layout, self.unit)

    def _warnings(self) -> list[str]:
        tally = self._tally
        warnings: list[str] = []
        if tally.crs is not None:
            import pyproj

            crs = pyproj.CRS.from_user_input(tally.crs)
            if not (crs.equals("EPSG:4326") or crs.equals("OGC:CRS84")):
                warnings.append(f"{self.path}: declared CRS {crs.to_string()} ({crs.name}); "
                                "reprojected to WGS84 longitude/latitude")
        if tally.renamed_geometry:
            warnings.append(f"{self.path}: field 'geometry': a field of this name would clash with the location; "
                            f"kept as {GEOMETRY_PROPERTY!r}")
        warnings.extend(tally.notes.render(str(self.path), self.unit))
        if tally.n_read == 0:
            warnings.append(f"{self.path}: no records (empty input); the output will be empty")
        return warnings


def _note_geometry(notes: validate.Notes, piece: Piece, kept: np.ndarray) -> None:
    """Notes on the kept records whose geometry was not a plain point."""
    if piece.non_point is not None:
        notes.add(piece.non_point[kept], piece.record[kept], "geometry",
                  "not a point: used a representative point inside it")
    if piece.point_notes is not None:
        point_notes = np.asarray(piece.point_notes, dtype=object)
        for message in sorted({n for n in point_notes if n}):
            mask = (point_notes == message)[kept]
            notes.add(mask, piece.record[kept], "geometry", message)


def _parquet_rows(path: Path) -> int | None:
    import pyarrow.parquet as pq

    try:
        return int(pq.ParquetFile(path).metadata.num_rows)
    except (OSError, ValueError):  # not Parquet after all: the reader says why
        return None


def _empty_points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(empty_schema_frame(), geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")
