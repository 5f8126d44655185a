"""A polyline of geodesics prepared for exact nearest-point queries on the WGS84 ellipsoid.

The border is a polyline whose segments are geodesics between their vertices. For every
point we want the shortest geodesic to any point of that polyline, exactly (to well under
a metre), for millions of points in seconds, with no Python loop over points.

How it works:

1. The border is densified along its geodesics to segments of at most 1 km, so that each
   segment is, to well under a millimetre, the same curve as its chord on the sphere below.
2. Points and vertices are mapped to Gauss's conformal sphere fitted at the border's middle
   latitude. Its scale differs from the ellipsoid's by less than 2e-6 across Balochistan and
   Sistan and Baluchestan and about 2e-5 as far as Tehran, and it keeps angles, so the
   perpendicular foot of a point on a segment lands where the ellipsoid's does.
3. Each point's candidate segments come from a quadtree over the region
   (:mod:`geo.geodesy.candidates`) whose leaves list the few segments that can be nearest
   to any point inside them, with a proof; it is built once per border and kept in the
   disk cache. Points outside it, and small queries, use a k-d tree of the vertices'
   unit vectors instead, with a bound that proves no segment outside the candidates can
   be nearer (points where it cannot are searched again with more candidates, and in
   the end against every segment). The foot on each candidate is found with a few
   vectorised dot products.
4. The chosen foot is mapped back to longitude and latitude and the distance is the exact
   geodesic inverse (Karney's algorithm, through pyproj) from the point to that foot.

The result is the exact geodesic distance to a point of the border, and that point is the
nearest one up to the sphere's residual distortion, which changes the distance by far less
than a millimetre near the border and a few millimetres at 1,000 km.

Examples
--------
>>> line = PreparedLine([61.0, 61.0], [27.0, 26.0])
>>> hit = line.nearest(np.array([61.5]), np.array([26.5]))
>>> round(float(hit.distance_m[0]) / 1000, 3)
49.845
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from geo import settings
from geo.ellipsoid import GEOD, MAX_SEGMENT_M, ConformalSphere, densify_geodesic
from geo.errors import GeoValueError
from geo.geodesy.candidates import CandidateGrid
from geo.progress import Bar, bar

#: Points processed per vectorised batch; bounds the memory of the candidate arrays.
CHUNK_SIZE = 50_000

#: The first query of at least this many points loads the border's candidate grid (from
#: the disk cache, or built there once in a few seconds), which every later query uses;
#: until then queries search the k-d tree, cheaper for a few points than loading the grid.
GRID_MIN_POINTS = 10_000


@dataclass(frozen=True)
class NearestPoints:
    """For each query point: distance to the line and the nearest point on it.

    Attributes
    ----------
    distance_m : ndarray
        Geodesic distance in metres.
    lon, lat : ndarray
        The nearest point of the line, in degrees.
    azimuth_deg : ndarray
        Azimuth of the geodesic from the query point towards that nearest point, 0-360.
    left : ndarray of bool
        True where the point lies to the left of the line walked in its vertex order.
    """

    distance_m: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    azimuth_deg: np.ndarray
    left: np.ndarray


def _rowdot(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.asarray(np.einsum("...k,...k->...", u, v))


class PreparedLine:
    """A polyline of geodesic segments, prepared for fast exact distance queries.

    Parameters
    ----------
    lon, lat : array_like
        Vertices in degrees, in walking order.
    max_segment_m : float
        Segments are densified along their geodesics to at most this length.

    Examples
    --------
    >>> line = PreparedLine([61.0, 62.0], [26.0, 26.0])
    >>> hit = line.nearest(np.array([61.5, 61.5]), np.array([26.3, 25.7]))
    >>> hit.left.tolist()  # walking east, north is on the left
    [True, False]
    """

    def __init__(self, lon: np.ndarray, lat: np.ndarray, max_segment_m: float = MAX_SEGMENT_M) -> None:
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        if lon.shape != lat.shape or lon.ndim != 1 or len(lon) < 2:
            raise GeoValueError("a line needs at least two vertices given as equal-length 1-d arrays")
        keep = np.r_[True, (np.diff(lon) != 0) | (np.diff(lat) != 0)]
        lon, lat = densify_geodesic(lon[keep], lat[keep], max_segment_m)
        self.lon, self.lat = lon, lat
        self.sphere = ConformalSphere(float(np.mean(lon)), float(np.mean(lat)))
        v = self.sphere.to_unit(lon, lat)
        a, b = v[:-1], v[1:]
        normal = np.cross(a, b)
        normal /= np.linalg.norm(normal, axis=1)[:, None]
        self._vertices = v
        self._normal = normal
        self._edge_a = np.cross(normal, a)  # p . edge_a >= 0: p is past a, towards b
        self._edge_b = np.cross(b, normal)  # p . edge_b >= 0: p is before b
        # pseudo-normals at vertices tell the side where a vertex is the nearest point
        vertex_normal = np.zeros_like(v)
        vertex_normal[:-1] += normal
        vertex_normal[1:] += normal
        self._vertex_normal = vertex_normal
        self._stacked = np.stack((normal, self._edge_a, self._edge_b, a, b), axis=1)
        half = 0.5 * np.arccos(np.clip(_rowdot(a, b), -1.0, 1.0))
        self._cos_half_max = float(np.cos(half.max()))
        # large leaves: far points meet many near-equidistant vertices, and scanning a leaf
        # is cheaper than descending more nodes (4.5 against 7.3 s a million at k=4)
        self._tree = cKDTree(v, leafsize=64, balanced_tree=False)
        #: The candidate grid (see :meth:`use_grid`); None searches with the k-d tree alone.
        self.grid: CandidateGrid | None = None
        self._cached_grid = False
        #: What progress bars call the line.
        self.name = "the line"

    def use_grid(self, grid: CandidateGrid | None = None, *, cached: bool = False) -> PreparedLine:
        """Search with a candidate grid; returns the line itself.

        Parameters
        ----------
        grid : CandidateGrid, optional
            The grid to use; by default one is built for this line now.
        cached : bool
            Instead, take the grid from the disk cache (built there once) the first time
            a query of at least :data:`GRID_MIN_POINTS` points comes; smaller queries
            search the k-d tree, which costs less than loading the grid.
        """
        if cached:
            self._cached_grid = True
        else:
            self.grid = CandidateGrid.build(self) if grid is None else grid
        return self

    def digest(self) -> str:
        """SHA-256 of the densified vertices: what a cached grid for this line is keyed by."""
        return hashlib.sha256(np.ascontiguousarray(np.column_stack((self.lon, self.lat))).tobytes()).hexdigest()

    @property
    def n_segments(self) -> int:
        """Number of segments after densification."""
        return len(self._normal)

    @property
    def vertices(self) -> np.ndarray:
        """The vertices as unit vectors of the conformal sphere, shape ``(n_segments + 1, 3)``."""
        return self._vertices

    def to_unit(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Unit vectors of the line's conformal sphere for longitudes and latitudes."""
        return self.sphere.to_unit(lon, lat)

    def segment_half(self, p: np.ndarray, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For pairs of a unit vector ``p[i]`` and a segment ``seg[i]``: distance and foot kind.

        The distance is given as sin^2 of half the angle, which stays exact for tiny angles,
        where a cosine rounds to 1 at about 10 cm. The foot kind is 0 inside the segment,
        1 at its first vertex, 2 at its last.
        """
        # one gather of the five vectors per pair, one batched product with p
        dots = np.einsum("nk,njk->nj", p, self._stacked[seg])
        pn, past_a, before_b = dots[:, 0], dots[:, 1] >= 0, dots[:, 2] >= 0
        inside = past_a & before_b
        pn2 = pn * pn
        half_inside = pn2 / (2.0 * (1.0 + np.sqrt(np.clip(1.0 - pn2, 0.0, 1.0))))
        # sin^2(theta/2) from the dot product, except near zero where the chord is exact
        half_a = 0.5 * (1.0 - dots[:, 3])
        half_b = 0.5 * (1.0 - dots[:, 4])
        close = np.flatnonzero(np.minimum(half_a, half_b) < 1e-12)  # within about 13 m
        if len(close):
            half_a[close] = 0.25 * np.sum((p[close] - self._vertices[seg[close]]) ** 2, axis=1)
            half_b[close] = 0.25 * np.sum((p[close] - self._vertices[seg[close] + 1]) ** 2, axis=1)
        half = np.where(inside, half_inside, np.minimum(half_a, half_b))
        kind = np.where(inside, 0, np.where(half_a <= half_b, 1, 2))
        return half, kind

    def foot(self, p: np.ndarray, seg: np.ndarray, kind: np.ndarray) -> np.ndarray:
        """The nearest point of segment ``seg[i]`` to ``p[i]``, as a unit vector."""
        normal = self._normal[seg]
        foot: np.ndarray = p - _rowdot(p, normal)[:, None] * normal
        foot /= np.linalg.norm(foot, axis=1)[:, None]
        at_vertex = kind > 0
        foot[at_vertex] = self._vertices[seg[at_vertex] + (kind[at_vertex] == 2)]
        return foot

    def _candidates(
        self, p: np.ndarray, segments: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Best of the candidate segments ``segments[i]`` (shape ``(n, m)``) of each point."""
        n, m = segments.shape
        half, kind = self.segment_half(np.repeat(p, m, axis=0), segments.ravel())
        half, kind = half.reshape(n, m), kind.reshape(n, m)
        best = np.argmin(half, axis=1)
        rows = np.arange(n)
        return half[rows, best], segments[rows, best], kind[rows, best]

    def _nearest_segments(self, p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n_vertices = len(self._vertices)
        k = min(k, n_vertices)
        chord, idx = self._tree.query(p, k=k)
        if k == 1:
            chord, idx = chord[:, None], idx[:, None]
        segments = np.concatenate((idx - 1, idx), axis=1).clip(0, self.n_segments - 1)
        half, seg, kind = self._candidates(p, segments)
        if k >= n_vertices:
            return half, seg, kind
        # Any segment with both ends farther than the k-th vertex is at least
        # acos(cos(theta_k) / cos(half the longest segment)) away; where that is not
        # beyond the best candidate found, search again with more candidates.
        cos_k = 1.0 - 0.5 * chord[:, -1] ** 2
        unproven = (1.0 - 2.0 * half) * self._cos_half_max < cos_k
        if unproven.any():
            if k < 64:
                sub = self._nearest_segments(p[unproven], 64)
            else:
                sub = self._all_segments(p[unproven])
            half[unproven], seg[unproven], kind[unproven] = sub
        return half, seg, kind

    def _all_segments(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Exhaustive search, for the rare points the k-d tree bound cannot settle."""
        out_half = np.full(len(p), np.inf)
        out_seg = np.zeros(len(p), dtype=np.int64)
        out_kind = np.zeros(len(p), dtype=np.int64)
        block = max(1, 2_000_000 // max(self.n_segments, 1))
        for start in range(0, len(p), block):
            part = p[start : start + block]
            segments = np.broadcast_to(np.arange(self.n_segments), (len(part), self.n_segments))
            half, seg, kind = self._candidates(part, np.ascontiguousarray(segments))
            out_half[start : start + block] = half
            out_seg[start : start + block] = seg
            out_kind[start : start + block] = kind
        return out_half, out_seg, out_kind

    def _search(self, lon: np.ndarray, lat: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest segment and foot kind of each point: the grid where it covers, else the tree."""
        seg = np.zeros(len(p), dtype=np.int64)
        kind = np.zeros(len(p), dtype=np.int64)
        rest = np.arange(len(p))
        if self.grid is not None:
            leaf = self.grid.leaves(lon, lat)
            covered = leaf >= 0
            if covered.any():
                _, seg[covered], kind[covered] = self.grid.nearest(self, p[covered], leaf[covered])
            rest = np.flatnonzero(~covered)
        if len(rest):
            _, seg[rest], kind[rest] = self._nearest_segments(p[rest], 3)
        return seg, kind

    def _nearest_chunk(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, ...]:
        p = self.sphere.to_unit(lon, lat)
        seg, kind = self._search(lon, lat, p)
        foot = self.foot(p, seg, kind)
        at_vertex = kind > 0
        vertex = seg + (kind == 2)
        side_normal = np.where(at_vertex[:, None], self._vertex_normal[vertex], self._normal[seg])
        flon, flat = self.sphere.to_lonlat(foot)
        # a vertex is the nearest point exactly as given, not through the sphere
        flon[at_vertex] = self.lon[vertex[at_vertex]]
        flat[at_vertex] = self.lat[vertex[at_vertex]]
        az, _, dist = GEOD.inv(lon, lat, flon, flat)
        return dist, flon, flat, np.mod(az, 360.0), _rowdot(p, side_normal) > 0

    def nearest(self, lon: np.ndarray, lat: np.ndarray, *, progress: bool | Bar | None = False) -> NearestPoints:
        """Nearest points of the line and exact geodesic distances for query points.

        Batches run on ``settings.THREADS`` threads: NumPy, the k-d tree and PROJ's
        geodesic routines all release the GIL.

        Parameters
        ----------
        lon, lat : ndarray
            Query points in degrees, finite.
        progress : bool, geo.progress.Bar or None
            Show a progress bar for a long query (None follows ``geo.progress.DEFAULT``),
            or advance a caller's bar by the points done.

        Returns
        -------
        NearestPoints
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        if isinstance(progress, Bar):
            return self._nearest(lon, lat, progress)
        with bar(f"measuring distances to {self.name}", len(lon), unit="points", enabled=progress) as step:
            return self._nearest(lon, lat, step)

    def _nearest(self, lon: np.ndarray, lat: np.ndarray, step: Bar) -> NearestPoints:
        if self.grid is None and self._cached_grid and len(lon) >= GRID_MIN_POINTS:
            self.grid = CandidateGrid.cached(self, self.digest(), name=self.name)
        order = None
        if len(lon) > CHUNK_SIZE and self.grid is None:
            # neighbours in a batch walk the same k-d tree nodes: 20% faster queries
            order = np.argsort(np.floor(lon * 8.0) * 4096.0 + np.floor(lat * 8.0), kind="stable")
            lon, lat = lon[order], lat[order]
        starts = range(0, len(lon), CHUNK_SIZE)

        def work(start: int) -> tuple[np.ndarray, ...]:
            part = self._nearest_chunk(lon[start : start + CHUNK_SIZE], lat[start : start + CHUNK_SIZE])
            step.advance(len(part[0]))
            return part

        threads = settings.threads()
        if threads > 1 and len(starts) > 1:
            with ThreadPoolExecutor(threads) as pool:
                parts = list(pool.map(work, starts))
        else:
            parts = [work(start) for start in starts]
        if not parts:
            empty = np.empty(0)
            return NearestPoints(empty, empty, empty, empty, np.empty(0, dtype=bool))
        columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
        if order is not None:
            for column in columns:
                column[order] = column.copy()
        return NearestPoints(*columns)
