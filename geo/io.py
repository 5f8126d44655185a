"""Reading incident files and writing outputs atomically.

Every output goes through :func:`atomic_write`: the bytes land in a temporary file in the
destination folder and are renamed over the target only when complete, so an interrupted
run never leaves a partial file or spoils a good one.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.errors import DataError, GeoValueError, InputFileError

#: Output formats by file extension.
OUTPUT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".parquet": "parquet"}

_LAT_NAMES = ("latitude", "lat", "y")
_LON_NAMES = ("longitude", "lon", "lng", "long", "x")


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


def _find_column(columns: pd.Index, names: tuple[str, ...]) -> str | None:
    lowered = {str(c).strip().lower(): c for c in columns}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def _read_csv(path: Path) -> gpd.GeoDataFrame:
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame()
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        raise InputFileError(f"cannot parse CSV: {err}", path=str(path)) from None
    lat_col = _find_column(frame.columns, _LAT_NAMES)
    lon_col = _find_column(frame.columns, _LON_NAMES)
    if frame.empty and (lat_col is None or lon_col is None):
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    if lat_col is None or lon_col is None:
        msg = (
            "no coordinate columns; expected a latitude column "
            f"({', '.join(_LAT_NAMES)}) and a longitude column ({', '.join(_LON_NAMES)})"
        )
        raise InputFileError(msg, path=str(path))
    lat = pd.to_numeric(frame[lat_col].str.strip(), errors="coerce")
    lon = pd.to_numeric(frame[lon_col].str.strip(), errors="coerce")
    bad = lat.isna() | lon.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2  # header is line 1
        field = lat_col if lat.isna().iloc[row - 2] else lon_col
        raise DataError("missing or non-numeric coordinate", path=str(path), record=f"line {row}", field=field)
    frame = frame.drop(columns=[lat_col, lon_col])
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def read_incidents(path: str | os.PathLike[str], format: str | None = None) -> gpd.GeoDataFrame:
    """Read incidents from GeoJSON, CSV with coordinate columns, or GeoParquet.

    Parameters
    ----------
    path : path-like
        The file to read.
    format : {"geojson", "csv", "parquet"}, optional
        Overrides the format guessed from the extension.

    Returns
    -------
    geopandas.GeoDataFrame
        The records in EPSG:4326, in file order.

    Examples
    --------
    >>> from geo._data import data_path
    >>> incidents = read_incidents(data_path("incidents.geojson"))
    >>> incidents.crs.to_epsg()
    4326
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError("no such file", path=str(path))
    fmt = format or OUTPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        allowed = ", ".join(sorted(OUTPUT_FORMATS))
        msg = f"unknown format for extension {path.suffix!r}; use one of {allowed} or pass format="
        raise InputFileError(msg, path=str(path))
    if fmt == "csv":
        frame = _read_csv(path)
    elif fmt == "parquet":
        frame = gpd.read_parquet(path)
    elif fmt == "geojson":
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as err:
            msg = f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}"
            raise InputFileError(msg, path=str(path)) from None
        features = document.get("features", []) if isinstance(document, dict) else None
        if features is None:
            raise InputFileError("not a GeoJSON FeatureCollection", path=str(path))
        frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
        if frame.empty:
            frame = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    else:
        raise GeoValueError(f"format={format!r} is not one of 'csv', 'geojson', 'parquet'")
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    return frame


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

    The format follows the extension; the file is written atomically.
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
        for column in table.columns:
            if table[column].map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
                table[column] = table[column].map(
                    lambda v: json.dumps(_json_value(v), ensure_ascii=False)
                    if isinstance(v, (list, tuple, np.ndarray)) else v
                )
        with atomic_write(path) as handle:
            table.to_csv(handle, index=False, lineterminator="\n")
    else:
        with atomic_write(path, "wb") as handle:
            frame.to_parquet(handle, index=False)
    return path
