"""GeoPackage and FlatGeobuf, through pyogrio (GDAL): read with the checks of every format.

A GeoPackage (``.gpkg``, the OGC standard QGIS users exchange) or FlatGeobuf (``.fgb``)
file is read whole, one layer, and its features go through the same record checks as
GeoJSON's (:func:`geo.io.readers.geometry_piece`): a missing or empty geometry is
rejected, a polygon or line is replaced by a representative point with a warning, a
projected CRS is transformed to WGS84, an ACLED or UCDP attribute table is recognised by
its columns. Record numbers count features from 1. Writing is in :mod:`geo.io.writing`.

Examples
--------
>>> import tempfile, pathlib
>>> from geo.datasets import data_path
>>> from geo.io import read_incidents, read_incidents_checked, write_incidents
>>> out = pathlib.Path(tempfile.mkdtemp()) / "incidents.gpkg"
>>> _ = write_incidents(read_incidents(data_path("incidents.geojson")), out)
>>> read_incidents_checked(out).summary()
'read 8, processed 8, rejected 0'
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import InputFileError
from geo.io import formats
from geo.io.readers import GeometryAsText, Piece, Progress, geometry_piece

__all__ = ["read_ogr_pieces"]

_NAMES = {"gpkg": "GeoPackage", "fgb": "FlatGeobuf"}


def _errors() -> tuple[type[BaseException], ...]:
    from pyogrio import errors

    return (errors.DataSourceError, errors.DataLayerError, errors.FieldError, errors.GeometryError,
            errors.CRSError, errors.FeatureError, OSError, ValueError, RuntimeError)


def read_ogr_pieces(path: Path, layout: str | None, progress: Progress, *, container: str) -> Iterator[Piece]:
    """The features of a one-layer GeoPackage or FlatGeobuf file as one piece."""
    import pyogrio

    kind = _NAMES[container]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's notices about the file, not about records
            layers = pyogrio.list_layers(path)
            if len(layers) > 1:
                names = ", ".join(repr(str(name)) for name in layers[:, 0])
                msg = f"the {kind} holds {len(layers)} layers ({names}); save the incidents as a file of one layer"
                raise InputFileError(msg, path=str(path))
            if len(layers) == 0:
                return
            frame = pyogrio.read_dataframe(path, layer=0)
    except InputFileError:
        raise
    except _errors() as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputFileError(f"not a readable {kind} file: {reason}", path=str(path)) from None
    if getattr(frame, "_geometry_column_name", None) in frame.columns:
        geoms = frame.geometry.to_numpy()
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    else:  # a table without geometries
        geoms = np.full(len(frame), None, dtype=object)
        table = pd.DataFrame(frame)
    table.index = pd.RangeIndex(len(table))
    record = np.arange(1, len(table) + 1, dtype=np.int64)
    progress.advance(len(table))
    crs = frame.crs.to_wkt() if frame.crs is not None else None
    yield geometry_piece(table, geoms, record, crs, GeometryAsText(table, geoms),
                         layout or formats.detect_layout(table.columns, located=True), path)
