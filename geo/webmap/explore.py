"""What the map needs to be explored offline: its opening view, its search index and extra layers.

* :func:`opening_view` fits the incidents but leaves out those far from the region (a
  statement issued in a capital, say), which the page lists with a note;
* :func:`search_places` is the bundled gazetteer near the region, for the page's search box;
* :func:`band_order` puts the distance bands in their order, nearest first;
* :func:`pairs_payload` turns a GeoDataFrame of LineStrings (such as cross-border pairs of
  incidents) into an optional layer of arcs.

Examples
--------
>>> import numpy as np
>>> view = opening_view(np.array([61.0, 62.0, 73.0]), np.array([26.0, 27.0, 33.7]),
...                     region=(60.8, 25.0, 66.5, 31.5))
>>> view["outliers"]
[2]
>>> band_order(["10–25 km", "0–10 km", None, "0–10 km"])
['0–10 km', '10–25 km']
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np

from geo.errors import GeoValueError
from geo.webmap.payload import display_text, text_values

__all__ = ["OUTLIER_MARGIN_DEG", "band_order", "opening_view", "pairs_payload", "search_places"]

#: Incidents farther than this (in degrees, about 250 km) outside the region's bounding box
#: stay out of the opening view, and the page lists them.
OUTLIER_MARGIN_DEG: float = 2.5

# the gazetteer's places within this many degrees of the region are searchable
_SEARCH_MARGIN_DEG = 3.0


def opening_view(lon: np.ndarray, lat: np.ndarray,
                 region: Sequence[float] | None) -> dict[str, Any]:
    """The bounds that open the map, ``[[south, west], [north, east]]``, and the outliers left out.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Incident coordinates (WGS84 degrees).
    region : sequence of float, optional
        ``(minx, miny, maxx, maxy)`` of the study region (the two provinces). Incidents
        more than :data:`OUTLIER_MARGIN_DEG` outside it are outliers. Without a region,
        the outliers are those far outside the middle 90 % of the incidents.

    Returns
    -------
    dict
        ``{"bounds": [[s, w], [n, e]] or None, "outliers": [positions]}``.

    Examples
    --------
    >>> opening_view(np.array([]), np.array([]), region=None)
    {'bounds': None, 'outliers': []}
    """
    if not len(lon):
        bounds = None
        if region is not None:
            minx, miny, maxx, maxy = (float(v) for v in region)
            bounds = [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]]
        return {"bounds": bounds, "outliers": []}
    if region is None:
        lo_x, hi_x = np.percentile(lon, [5, 95])
        lo_y, hi_y = np.percentile(lat, [5, 95])
        region = (lo_x, lo_y, hi_x, hi_y)
    minx, miny, maxx, maxy = (float(v) for v in region)
    m = OUTLIER_MARGIN_DEG
    inside = (lon >= minx - m) & (lon <= maxx + m) & (lat >= miny - m) & (lat <= maxy + m)
    if not inside.any():
        inside = np.ones(len(lon), dtype=bool)
    x, y = lon[inside], lat[inside]
    # a single place (or a few very close) still opens at a readable zoom: at least 1° across
    pad_x = max(0.0, 0.5 - float(np.ptp(x)) / 2) + 0.05
    pad_y = max(0.0, 0.5 - float(np.ptp(y)) / 2) + 0.05
    bounds = [[round(float(y.min()) - pad_y, 3), round(float(x.min()) - pad_x, 3)],
              [round(float(y.max()) + pad_y, 3), round(float(x.max()) + pad_x, 3)]]
    return {"bounds": bounds, "outliers": np.flatnonzero(~inside).tolist()}


def search_places(region: Sequence[float] | None) -> list[list[Any]]:
    """The bundled gazetteer near ``region`` as ``[name, other names, where, lat, lon]`` rows.

    ``other names`` are the alternate spellings joined by ``|``; ``where`` is the
    province and country. Rows are sorted by population, largest first, so the page
    lists the likelier place first.

    Examples
    --------
    >>> rows = search_places((60.8, 25.0, 66.5, 31.5))
    >>> any(r[0] == "Panjgur" for r in rows)
    True
    """
    from geo.reference import gazetteer

    places = gazetteer.load()
    if region is not None:
        minx, miny, maxx, maxy = (float(v) for v in region)
        m = _SEARCH_MARGIN_DEG
        near = (places["longitude"].between(minx - m, maxx + m)
                & places["latitude"].between(miny - m, maxy + m))
        places = places[near]
    places = places.dropna(subset=["latitude", "longitude"])
    places = places.sort_values(["population", "name"], ascending=[False, True], kind="stable")
    where = (places["admin1"].where(places["admin1"] != "", None).fillna("").astype(str) + ", "
             + places["country"].astype(str)).str.strip(", ")
    return [
        [str(name), str(alt), str(w), round(float(la), 4), round(float(lo), 4)]
        for name, alt, w, la, lo in zip(places["name"], places["alt_names"], where,
                                        places["latitude"], places["longitude"], strict=True)
    ]


def band_order(values: Iterable[Any]) -> list[str]:
    """The distinct distance-band labels, ordered by the number they start with."""
    texts = {t for t in text_values(values) if t}

    def start(label: str) -> tuple[float, str]:
        found = re.match(r"\s*([\d.]+)", label)
        return (float(found.group(1)) if found else math.inf, label)

    return sorted(texts, key=start)


def pairs_payload(pairs: gpd.GeoDataFrame | None, max_fields: int = 8) -> dict[str, Any] | None:
    """Arcs for the optional layer of pairs: ``{"fields": [...], "lines": [[coords, values], ...]}``.

    Parameters
    ----------
    pairs : geopandas.GeoDataFrame, optional
        One LineString (or MultiLineString) per pair, in any CRS; the first
        ``max_fields`` other columns are shown in each arc's tooltip.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> frame = gpd.GeoDataFrame({"km": [12.5]}, geometry=[LineString([(62, 27), (62.2, 27.1)])],
    ...                          crs="EPSG:4326")
    >>> pairs_payload(frame)["lines"][0]
    [[[[27.0, 62.0], [27.1, 62.2]]], ['12.5']]
    >>> pairs_payload(None) is None
    True
    """
    if pairs is None:
        return None
    if not isinstance(pairs, gpd.GeoDataFrame):
        msg = f"pairs must be a GeoDataFrame of LineStrings, not {type(pairs).__name__}"
        raise GeoValueError(msg)
    if pairs.crs is not None and pairs.crs.to_epsg() != 4326:
        pairs = pairs.to_crs("EPSG:4326")
    kinds = set(pairs.geometry.dropna().geom_type)
    if kinds - {"LineString", "MultiLineString"}:
        msg = f"pairs must hold LineStrings; found {sorted(kinds)}"
        raise GeoValueError(msg)
    fields = [str(c) for c in pairs.columns if c != pairs.geometry.name][:max_fields]
    texts = {f: text_values(pairs[f]) for f in fields}
    lines = []
    for k, geom in enumerate(pairs.geometry):
        if geom is None or geom.is_empty:
            continue
        parts = geom.geoms if geom.geom_type == "MultiLineString" else [geom]
        coords = [[[round(y, 4), round(x, 4)] for x, y, *_ in part.coords] for part in parts]
        lines.append([coords, [display_text(texts[f][k]) for f in fields]])
    return {"fields": fields, "lines": lines}
