"""Geodesy on WGS84: exact distances to the border, and geodesic corridors along it.

:mod:`geo.geodesy.distance` finds each point's nearest border point and its geodesic
distance (exact to well under a metre); :mod:`geo.geodesy.corridor` builds the zone
within a distance of the border. Nothing here uses planar degrees or Web Mercator.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> points = gpd.GeoSeries([Point(63.4, 27.0)], crs="EPSG:4326")
>>> border_distance(points).round(1).tolist()
[14.7]
"""

from geo.geodesy.corridor import border_corridor
from geo.geodesy.distance import (
    PreparedLine,
    border_distance,
    nearest_border_points,
    nearest_border_table,
    prepared_border,
)

__all__ = [
    "PreparedLine",
    "border_corridor",
    "border_distance",
    "nearest_border_points",
    "nearest_border_table",
    "prepared_border",
]
