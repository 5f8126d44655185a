"""Writing incident tables as GeoJSON, CSV or GeoParquet, deterministically and atomically.

The format follows the output's extension (:data:`OUTPUT_FORMATS`); the same records
always give the same bytes; every file goes through :func:`geo.files.atomic_write`.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from geo import settings
from geo.errors import GeoValueError
from geo.files import atomic_write
from geo.io.validate import REJECT_COLUMNS

__all__ = [
    "OUTPUT_FORMATS", "REJECT_COLUMNS", "cells_for_csv", "output_format", "rejects_path_for",
    "to_geojson_text", "write_incidents", "write_rejects",
]

#: Output formats by file extension.
OUTPUT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".parquet": "parquet",
                  ".gpkg": "gpkg", ".fgb": "fgb"}

#: GDAL drivers (through pyogrio) of the formats written with them.
OGR_DRIVERS = {"gpkg": "GPKG", "fgb": "FlatGeobuf"}


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



def cells_for_csv(table: pd.DataFrame) -> pd.DataFrame:
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
    """Write records as GeoJSON, CSV (with longitude and latitude columns), GeoParquet,
    GeoPackage or FlatGeobuf.

    The format follows the extension; the file is written atomically, and the same
    records always give the same bytes. In CSV, list fields (``sources``,
    ``location_variants``) are JSON arrays, which :func:`geo.io.read_incidents` turns back into
    lists.

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
        table = cells_for_csv(table)
        with atomic_write(path) as handle:
            table.to_csv(handle, index=False, lineterminator="\n")
    elif fmt in OGR_DRIVERS:
        _write_ogr(frame, path, OGR_DRIVERS[fmt])
    else:
        with atomic_write(path, "wb") as handle:
            frame.to_parquet(handle, index=False)
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
