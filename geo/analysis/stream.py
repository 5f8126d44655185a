"""``geo analyze`` of a file of any size: read, measure and write a chunk at a time.

:func:`analyze_file` reads the incidents with :func:`geo.io.reading.stream_incidents`
(GeoParquet by row group and CSV in chunks of :data:`geo.io.readers.CHUNK_ROWS` records),
measures each chunk with :func:`geo.analysis.core.analyze` and appends it to the output
with :class:`geo.io.writing.IncidentWriter`, so memory holds one chunk whatever the size
of the file. The rejects, counts and warnings are kept across chunks. The output is
written to a temporary file and put in place only when every chunk is in: an error or
an interrupt leaves no output, and an earlier output as it was.

The records are those of :func:`geo.io.reading.read_incidents_checked` followed by
:func:`geo.analysis.core.analyze`, record for record. GeoJSON, GeoPackage and FlatGeobuf
inputs are read whole (they cannot be read in parts); GeoPackage and FlatGeobuf outputs
are written whole, at the end (:data:`STREAMED_OUTPUTS`).

Examples
--------
>>> import tempfile, pathlib
>>> from geo.datasets import data_path
>>> out = pathlib.Path(tempfile.mkdtemp()) / "analyzed.csv"
>>> analyze_file(data_path("incidents.geojson"), out).summary()
'read 8, processed 8, rejected 0'
>>> out.read_text().splitlines()[0].split(",")[:3]
['id', 'date', 'date_precision']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

import geopandas as gpd
import pandas as pd

from geo import settings
from geo.analysis.core import analyze, check_bands
from geo.io.chunks import ReadResult
from geo.io.reading import stream_incidents
from geo.io.writing import IncidentWriter, output_format, write_incidents
from geo.progress import Bar, bar

__all__ = ["STREAMED_OUTPUTS", "analyze_file"]

#: Output formats written a chunk at a time; the others are written whole at the end.
STREAMED_OUTPUTS = ("geojson", "csv", "parquet")


def analyze_file(
    input_path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    border: str = settings.DEFAULT_BORDER,
    bands: Sequence[float] = settings.DEFAULT_BANDS_KM,
    format: str | None = None,
    fix_swapped: bool = False,
    region_only: bool = False,
    progress: bool | None = None,
) -> ReadResult:
    """Measure every incident of ``input_path`` and write them to ``output``, a chunk at a time.

    Parameters
    ----------
    input_path : path-like
        Incidents in any format :func:`geo.io.reading.read_incidents_checked` reads.
    output : path-like
        GeoJSON, CSV, GeoParquet, GeoPackage or FlatGeobuf (by extension); written
        atomically. The rejects are not written here: ``result.write_rejects(output)``.
    border, bands
        As in :func:`geo.analysis.core.analyze`.
    format, fix_swapped, region_only
        As in :func:`geo.io.reading.read_incidents_checked`.
    progress : bool, optional
        A progress bar on a terminal (see :mod:`geo.progress`).

    Returns
    -------
    ReadResult
        The counts, rejects and warnings (``kept`` good records; ``frame`` is empty).
    """
    from geo.reference.boundaries import border as border_line

    border_line(border)  # an unknown source fails before any work
    edges = check_bands(bands)
    kind = output_format(output)
    chunks = stream_incidents(input_path, format, fix_swapped=fix_swapped, region_only=region_only)
    with bar(f"analyzing {chunks.path.name}", chunks.total, enabled=progress) as step:
        if kind not in STREAMED_OUTPUTS:
            measured = [analyze(chunk, border, edges) for chunk in _counted(chunks, step)]
            result = chunks.result()
            write_incidents(_joined(measured) if measured else analyze(result.frame, border, edges), output,
                            progress=progress)
            return result
        with IncidentWriter(output) as writer:
            written = 0
            for chunk in chunks:
                writer.write(analyze(chunk, border, edges))
                written += 1
                step.advance(len(chunk))
                step.update(total=chunks.total)
            result = chunks.result()
            if not written:  # no records: the columns still
                writer.write(analyze(result.frame, border, edges))
    return result


def _counted(chunks: Iterable[gpd.GeoDataFrame], step: Bar) -> Iterator[gpd.GeoDataFrame]:
    for chunk in chunks:
        yield chunk
        step.advance(len(chunk))


def _joined(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    if len(frames) == 1:
        return frames[0]
    return gpd.GeoDataFrame(pd.concat(frames), crs="EPSG:4326")
