"""Reading and writing incident files: formats, validation, geocoding, partitioned data.

The modules, in the order data goes through them: :mod:`geo.io.formats` (the incident
schema and the ACLED and UCDP layouts), :mod:`geo.io.readers` (one reader per container,
in chunks), :mod:`geo.io.validate` (every record checked, rejects with reasons),
:mod:`geo.io.reading` (the front: :func:`read_incidents_checked`),
:mod:`geo.io.writing` (GeoJSON, CSV and GeoParquet out, a chunk at a time, with the
GeoJSON text of :mod:`geo.io.geojson_text`; the output checks; the one rejects writer),
:mod:`geo.io.geocoding` (place names to points) and :mod:`geo.io.partitioned` (Dask).

Examples
--------
>>> from geo.datasets import data_path
>>> read_incidents(data_path("incidents.geojson"))["id"].size
8
"""

from geo.files import atomic_write
from geo.io.reading import (
    FORMATS,
    INPUT_FORMATS,
    RECORD_UNITS,
    ReadResult,
    read_incidents,
    read_incidents_checked,
    stream_incidents,
)
from geo.io.writing import (
    OUTPUT_FORMATS,
    IncidentWriter,
    check_output,
    output_format,
    rejects_path_for,
    to_geojson_text,
    write_incidents,
    write_rejects,
)

__all__ = [
    "FORMATS",
    "INPUT_FORMATS",
    "OUTPUT_FORMATS",
    "RECORD_UNITS",
    "IncidentWriter",
    "ReadResult",
    "atomic_write",
    "check_output",
    "output_format",
    "read_incidents",
    "read_incidents_checked",
    "rejects_path_for",
    "stream_incidents",
    "to_geojson_text",
    "write_incidents",
    "write_rejects",
]
