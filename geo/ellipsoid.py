"""The one WGS84 ellipsoid every geodesic computation in geo uses.

It lives in the base layer so that the reference data (boundaries, gazetteer) and the
geodesy above them share one :class:`pyproj.Geod` instead of building their own.

Examples
--------
>>> from geo.ellipsoid import WGS84
>>> _, _, metres = WGS84.inv(60.643, 25.2919, 62.3254, 25.1264)  # Chabahar to Gwadar
>>> round(metres / 1000)
171
"""

from __future__ import annotations

from pyproj import Geod

__all__ = ["WGS84"]

#: The WGS84 ellipsoid (Karney's geodesic algorithms through pyproj).
WGS84 = Geod(ellps="WGS84")
