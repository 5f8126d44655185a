"""The WGS84 ellipsoid, Gauss's conformal sphere and geodesic densification.

The one :data:`GEOD` every geodesic computation in geo uses, the conformal sphere on
which :mod:`geo.geodesy.distance` compares segments, and :func:`densify_geodesic`, which cuts a
polyline's geodesic segments into pieces short enough to be great-circle arcs of that
sphere to well under a millimetre.

Examples
--------
>>> lon, lat = densify_geodesic(np.array([61.0, 61.0]), np.array([27.0, 26.0]), 50_000.0)
>>> len(lon), round(float(lat[1]), 3)
(4, 26.667)
"""

from __future__ import annotations

import numpy as np
from pyproj import Geod

__all__ = ["GEOD", "MAX_SEGMENT_M", "ConformalSphere", "densify_geodesic"]

#: The WGS84 ellipsoid, for every geodesic computation in geo.
GEOD = Geod(ellps="WGS84")

_A = 6378137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
_E = np.sqrt(_E2)

#: Longest segment kept after densifying a border along its geodesics, in metres.
MAX_SEGMENT_M = 1000.0


class ConformalSphere:
    """Gauss's conformal sphere of the WGS84 ellipsoid, fitted at one latitude.

    Maps longitude and latitude to unit vectors on a sphere of radius ``radius`` such that
    angles are kept and the scale is 1 at ``lat0`` with zero first derivative.

    Parameters
    ----------
    lon0, lat0 : float
        Centre of the fit, in degrees.

    Examples
    --------
    >>> sphere = ConformalSphere(62.0, 27.5)
    >>> lon, lat = sphere.to_lonlat(sphere.to_unit(np.array([61.2]), np.array([26.1])))
    >>> round(float(lon[0]), 9), round(float(lat[0]), 9)
    (61.2, 26.1)
    """

    def __init__(self, lon0: float, lat0: float) -> None:
        phi0 = np.radians(lat0)
        self.lam0 = np.radians(lon0)
        self.c = np.sqrt(1 + _E2 * np.cos(phi0) ** 4 / (1 - _E2))
        chi0 = np.arcsin(np.sin(phi0) / self.c)
        self.k = np.tan(np.pi / 4 + chi0 / 2) / self._w(phi0)
        self.radius = _A * np.sqrt(1 - _E2) / (1 - _E2 * np.sin(phi0) ** 2)

    def _w(self, phi: np.ndarray) -> np.ndarray:
        esin = _E * np.sin(phi)
        return np.asarray(np.tan(np.pi / 4 + phi / 2) ** self.c * ((1 - esin) / (1 + esin)) ** (self.c * _E / 2))

    def to_unit(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Return unit vectors, shape ``(n, 3)``, for longitudes and latitudes in degrees."""
        chi = 2 * np.arctan(self.k * self._w(np.radians(lat))) - np.pi / 2
        lam = self.c * (np.radians(lon) - self.lam0)
        cos_chi = np.cos(chi)
        return np.column_stack((cos_chi * np.cos(lam), cos_chi * np.sin(lam), np.sin(chi)))

    def to_lonlat(self, xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return longitudes and latitudes in degrees for unit vectors ``(n, 3)``."""
        chi = np.arctan2(xyz[:, 2], np.hypot(xyz[:, 0], xyz[:, 1]))
        lam = np.arctan2(xyz[:, 1], xyz[:, 0])
        target = (np.tan(np.pi / 4 + chi / 2) / self.k) ** (1 / self.c)
        phi = chi
        for _ in range(5):  # fixed point; gains a factor of about e^2 (0.0067) a step
            esin = _E * np.sin(phi)
            phi = 2 * np.arctan(target * ((1 + esin) / (1 - esin)) ** (_E / 2)) - np.pi / 2
        lon = np.degrees(lam / self.c + self.lam0)
        return (lon + 180.0) % 360.0 - 180.0, np.degrees(phi)


def densify_geodesic(lon: np.ndarray, lat: np.ndarray, max_segment_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Insert vertices along each geodesic segment so none is longer than ``max_segment_m``.

    The given vertices are kept exactly; the new ones lie on the WGS84 geodesics between them.

    Examples
    --------
    >>> lon, lat = densify_geodesic(np.array([61.0, 62.0]), np.array([26.0, 26.0]), 50_000.0)
    >>> len(lon), float(lon[0]), float(lon[-1])
    (4, 61.0, 62.0)
    """
    az, _, length = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    pieces = np.maximum(np.ceil(length / max_segment_m).astype(np.int64), 1)
    seg = np.repeat(np.arange(len(pieces)), pieces)
    # position of each new vertex within its segment: 0, 1/n, ..., (n-1)/n
    offset = np.arange(len(seg)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    fraction = offset / pieces[seg]
    new_lon, new_lat, _ = GEOD.fwd(lon[seg], lat[seg], az[seg], fraction * length[seg])
    # the vertices themselves are kept exactly as given
    at_vertex = offset == 0
    new_lon[at_vertex] = lon[seg[at_vertex]]
    new_lat[at_vertex] = lat[seg[at_vertex]]
    return np.append(new_lon, lon[-1]), np.append(new_lat, lat[-1])
