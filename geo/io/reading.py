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

Every read goes through :class:`geo.io.chunks.IncidentChunks`: CSV, Parquet and xlsx are
read in chunks by the per-format readers of :mod:`geo.io.readers`. :func:`stream_incidents`
hands the good records on a chunk at a time, for work whose memory must not grow with the
file (``geo analyze``); :func:`read_incidents_checked` joins them into one frame, and both
give the same records, rejects and warnings.

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

import logging
import os

import geopandas as gpd
import pandas as pd

from geo.io.chunks import (
    FORMATS,
    GEOMETRY_PROPERTY,
    INPUT_FORMATS,
    RECORD_UNITS,
    STREAMED_FORMATS,
    IncidentChunks,
    ReadResult,
)
from geo.io.readers import empty_schema_frame

__all__ = ["FORMATS", "GEOMETRY_PROPERTY", "INPUT_FORMATS", "RECORD_UNITS", "STREAMED_FORMATS", "IncidentChunks",
           "ReadResult", "read_incidents", "read_incidents_checked", "stream_incidents"]

logger = logging.getLogger("geo")


def read_incidents_checked(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    fix_swapped: bool = False,
    region_only: bool = False,
    progress: bool | None = None,
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
    chunks = IncidentChunks(path, format, fix_swapped=fix_swapped, region_only=region_only, typed=False,
                            progress=progress)
    frames = list(chunks)
    frame = pd.concat(frames) if len(frames) > 1 else frames[0] if frames else _no_points()
    return chunks.result(chunks.type_columns(frame))


def _no_points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(empty_schema_frame(), geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")


def stream_incidents(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    fix_swapped: bool = False,
    region_only: bool = False,
    progress: bool | None = False,
) -> IncidentChunks:
    """Read incidents a chunk at a time; the counts, rejects and warnings come at the end.

    The parameters are those of :func:`read_incidents_checked`, but ``progress`` is off
    by default (a caller that streams usually shows a bar over its own work). Iterate the result once
    for the good records, a GeoDataFrame per chunk of :data:`geo.io.readers.CHUNK_ROWS`
    records (index: each record's 0-based position in the file); then its ``result()`` is
    the :class:`ReadResult` with ``kept`` good records and an empty ``frame``. The records,
    rejects and warnings are those of :func:`read_incidents_checked`. A CSV is read twice:
    first to type its columns alike in every chunk. GeoJSON, GeoPackage and FlatGeobuf
    cannot be read in parts and make one chunk.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "in.csv").write_text("id,lat,lon,n\\na,26.9,63.1,1\\na,26.8,63.0,2.5\\n")
    >>> chunks = stream_incidents(folder / "in.csv")
    >>> [chunk["n"].tolist() for chunk in chunks]
    [[1.0]]
    >>> chunks.result().rejects[["record", "reason"]].values.tolist()
    [[3, "duplicate id 'a' (first at line 2)"]]
    """
    return IncidentChunks(path, format, fix_swapped=fix_swapped, region_only=region_only, progress=progress)


def read_incidents(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    fix_swapped: bool = False,
    region_only: bool = False,
    progress: bool | None = None,
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
    result = read_incidents_checked(path, format, fix_swapped=fix_swapped, region_only=region_only,
                                    progress=progress)
    for warning in result.warnings:
        logger.warning(warning)
    if result.n_rejected:
        logger.warning("%s: dropped %d rejected record(s) of %d; geo.io.reading.read_incidents_checked gives them with their reasons",
                       result.path, result.n_rejected, result.n_read)
    return result.frame
