"""Which border segments can be nearest to a point: a quadtree over longitude and latitude.

The exact distance from a point to the border needs the nearest of its thousands of
segments. Finding it with a k-d tree costs more than the geodesic inverse that follows,
so the search is done once, in advance, for whole cells of a grid: each leaf of a
quadtree over the region lists the few segments that can be nearest to *any* point in
it. A query then only looks up its leaf and compares those few segments.

The proof (on the conformal sphere of :mod:`geo.ellipsoid`, unit vectors, where
``h(p, q) = 1 - p·q`` grows with the angle between ``p`` and ``q``): let ``c`` be a
cell's centre, ``r`` the largest chord from ``c`` to the cell (reached at a corner, since
the cell is a rectangle in the sphere's longitude and latitude) and ``q*`` the nearest
point of the line to ``c``. For a segment ``s`` and any point ``p = c + d`` of the cell
(``|d| <= r``),

    min over q in s of h(p, q) - h(p, q*) = min over q in s of p·(q* - q)
        >= [H(c, s) - h(c, q*)] - r · max over q in s of |q* - q|,

where ``H(c, s)`` is the smallest ``h`` from ``c`` to ``s`` and the largest chord from
``q*`` to a segment shorter than a half circle is at one of its ends. When the right side
is positive, ``s`` is farther from every point of the cell than ``q*`` is, so it cannot be
the nearest segment; every other segment is kept as a candidate. Unlike a bound on the
distance alone, this one follows how the nearest point moves with the query point, so
even cells hundreds of kilometres from the border keep about two candidates.

The tree is built top down: a cell with more than :data:`TARGET` candidates is split in
four, and its children are tested against the parent's candidates only (a point of a
child is a point of the parent). Points outside :data:`ROOT` are left to the caller's
fallback search.

Examples
--------
>>> from geo.geodesy.line import PreparedLine
>>> line = PreparedLine([61.0, 61.0, 62.0], [27.0, 26.0, 25.5])
>>> grid = CandidateGrid.build(line)
>>> leaf = grid.leaves(np.array([61.5, 30.0]), np.array([26.5, 90.0]))
>>> bool(leaf[0] >= 0), int(leaf[1])  # inside the grid; beyond it
(True, -1)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from geo.progress import Bar, bar

__all__ = ["GRID_VERSION", "MAX_LEVEL", "ROOT", "TARGET", "CandidateGrid", "first_minimum"]

#: Longitude and latitude bounds of the grid (whole degrees; root cells are 1 degree):
#: Iran east of Tehran, Pakistan, Afghanistan and the sea to the south.
ROOT = (52, 20, 76, 38)

#: Deepest split: cells of 2**-MAX_LEVEL degrees (about 400 m at level 8).
MAX_LEVEL = 8

#: A cell with more candidate segments than this is split. Lower values make queries
#: slightly faster and the grid larger (8: about 100,000 leaves and 6 MB for the OSM
#: border; 4: 500,000 and 27 MB, for 10% faster queries).
TARGET = 8

#: Slack, in units of ``h`` (about 1e-15 is 0.2 m at the border, far less away from it),
#: by which a segment is kept although the bound excludes it: rounding never drops one.
TOLERANCE = 1e-15

#: Rows evaluated at once while building, which bounds the build's memory.
BLOCK_ROWS = 1_000_000

#: Bumped whenever the grid's construction changes, so cached grids are rebuilt.
GRID_VERSION = 1


class Line(Protocol):  # what the grid needs of geo.geodesy.distance.PreparedLine
    @property
    def n_segments(self) -> int: ...

    @property
    def vertices(self) -> np.ndarray: ...

    def to_unit(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray: ...

    def segment_half(self, p: np.ndarray, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...

    def foot(self, p: np.ndarray, seg: np.ndarray, kind: np.ndarray) -> np.ndarray: ...


def first_minimum(values: np.ndarray, group_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The smallest value of each group of consecutive rows, and the first row holding it.

    Groups are the rows from each start to the next; none may be empty.

    Examples
    --------
    >>> first_minimum(np.array([3.0, 1.0, 1.0, 5.0, 2.0]), np.array([0, 3]))
    (array([1., 2.]), array([1, 4]))
    """
    smallest = np.minimum.reduceat(values, group_starts)
    group = np.repeat(np.arange(len(group_starts)), np.diff(np.append(group_starts, len(values))))
    rows = np.arange(len(values))
    first = np.minimum.reduceat(np.where(values == smallest[group], rows, len(values)), group_starts)
    return smallest, first


def _ragged(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For groups given by start and length in a flat pool: owner, position in the pool, group starts."""
    total = int(counts.sum())
    group_starts = np.cumsum(counts) - counts
    owner = np.repeat(np.arange(len(counts)), counts)
    position = np.repeat(starts - group_starts, counts) + np.arange(total)
    return owner, position, group_starts


@dataclass(frozen=True)
class CandidateGrid:
    """A quadtree of cells, each listing the border segments that can be nearest in it.

    Attributes
    ----------
    root : ndarray of int32, shape (ny, nx)
        Node of each 1-degree root cell.
    child : ndarray of int32, shape (nodes, 4)
        Children of each node (west-south, east-south, west-north, east-north), -1 at leaves.
    start, count : ndarray
        Each leaf's candidates: ``segments[start:start + count]``.
    segments : ndarray of int32
        Candidate segments of all leaves, one after another.
    """

    root: np.ndarray
    child: np.ndarray
    start: np.ndarray
    count: np.ndarray
    segments: np.ndarray

    @property
    def n_leaves(self) -> int:
        """Number of leaves."""
        return int(np.count_nonzero(self.child[:, 0] < 0))

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The grid as named arrays, for the disk cache."""
        return {"root": self.root, "child": self.child, "start": self.start, "count": self.count,
                "segments": self.segments}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> CandidateGrid:
        """The grid from :meth:`to_arrays`."""
        return cls(*(np.asarray(arrays[name]) for name in ("root", "child", "start", "count", "segments")))

    def leaves(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """The leaf holding each point, or -1 for points outside :data:`ROOT` (or NaN)."""
        lon0, lat0, lon1, lat1 = ROOT
        fx = np.asarray(lon, dtype=float) - lon0
        fy = np.asarray(lat, dtype=float) - lat0
        with np.errstate(invalid="ignore"):
            inside = (fx >= 0) & (fx < lon1 - lon0) & (fy >= 0) & (fy < lat1 - lat0)
        node = np.full(len(fx), -1, dtype=np.int64)
        at = np.flatnonzero(inside)
        if not len(at):
            return node
        node[at] = self.root[fy[at].astype(np.int64), fx[at].astype(np.int64)]
        for level in range(1, MAX_LEVEL + 1):
            deeper = at[self.child[node[at], 0] >= 0]
            if not len(deeper):
                break
            scale = float(2**level)
            qx = np.floor(fx[deeper] * scale).astype(np.int64) & 1
            qy = np.floor(fy[deeper] * scale).astype(np.int64) & 1
            node[deeper] = self.child[node[deeper], qx + 2 * qy]
            at = deeper
        return node

    def nearest(self, line: Line, p: np.ndarray, leaf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For unit vectors ``p`` in leaves ``leaf``: (sin^2 of half the angle, segment, foot kind).

        The nearest segment of each point among its leaf's candidates, which by the grid's
        construction is its nearest segment of the whole line.
        """
        owner, position, group_starts = _ragged(self.start[leaf], self.count[leaf].astype(np.int64))
        seg = self.segments[position].astype(np.int64)
        half, kind = line.segment_half(p[owner], seg)
        best, first = first_minimum(half, group_starts)
        return best, seg[first], kind[first]

    @classmethod
    def build(cls, line: Line, *, name: str = "the line", progress: bool | None = None) -> CandidateGrid:
        """Build the quadtree for ``line`` (a few seconds for the 6,800-segment border).

        ``progress`` shows a bar on a terminal (None follows ``geo.progress.DEFAULT``).
        """
        with bar(f"preparing the distance search for {name}", MAX_LEVEL + 1, unit="levels",
                 enabled=progress) as step:
            return cls._build(line, step)

    @classmethod
    def _build(cls, line: Line, step: Bar) -> CandidateGrid:
        lon0, lat0, lon1, lat1 = ROOT
        ny, nx = lat1 - lat0, lon1 - lon0
        iy, ix = np.divmod(np.arange(nx * ny, dtype=np.int64), nx)
        root = np.arange(nx * ny, dtype=np.int32).reshape(ny, nx)
        # the pending cells of a level: their ids, places and the pool of segments to test
        ids = np.arange(nx * ny, dtype=np.int64)
        pool = np.arange(line.n_segments, dtype=np.int64)
        pool_start = np.zeros(len(ids), dtype=np.int64)
        pool_count = np.full(len(ids), line.n_segments, dtype=np.int64)
        n_nodes = len(ids)
        children: list[tuple[np.ndarray, np.ndarray]] = []
        leaf_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for level in range(MAX_LEVEL + 1):
            kept, kept_count = _refine(line, level, ix, iy, pool, pool_start, pool_count)
            kept_start = np.cumsum(kept_count) - kept_count
            split = (kept_count > TARGET) if level < MAX_LEVEL else np.zeros(len(ids), dtype=bool)
            leaf = ~split
            _, leaf_position, _ = _ragged(kept_start[leaf], kept_count[leaf])
            leaf_parts.append((ids[leaf], kept_count[leaf], kept[leaf_position]))
            step.advance()
            if not split.any():
                break
            parents = np.flatnonzero(split)
            new_ids = n_nodes + np.arange(4 * len(parents), dtype=np.int64).reshape(-1, 4)
            n_nodes += new_ids.size
            children.append((ids[parents], new_ids))
            dx = np.tile([0, 1, 0, 1], len(parents))
            dy = np.tile([0, 0, 1, 1], len(parents))
            ix = 2 * np.repeat(ix[parents], 4) + dx
            iy = 2 * np.repeat(iy[parents], 4) + dy
            ids = new_ids.ravel()
            pool = kept
            pool_start = np.repeat(kept_start[parents], 4)
            pool_count = np.repeat(kept_count[parents], 4)
        child = np.full((n_nodes, 4), -1, dtype=np.int32)
        for parent_ids, new_ids in children:
            child[parent_ids] = new_ids
        start = np.zeros(n_nodes, dtype=np.int64)
        count = np.zeros(n_nodes, dtype=np.int32)
        offset = 0
        for leaf_ids, leaf_count, _ in leaf_parts:
            count[leaf_ids] = leaf_count
            start[leaf_ids] = offset + np.cumsum(leaf_count) - leaf_count
            offset += int(leaf_count.sum())
        segments = np.concatenate([part[2] for part in leaf_parts]).astype(np.int32)
        return cls(root, child, start.astype(np.int32), count, segments)

    @classmethod
    def cached(cls, line: Line, digest: str, *, name: str = "the line") -> CandidateGrid:
        """The grid of ``line`` from the disk cache (:mod:`geo.cache`), built there once.

        ``digest`` identifies the line's vertices (``PreparedLine.digest()``); the cache
        key adds the grid's parameters, so a changed line or grid is rebuilt.
        """
        from geo.cache import cached_arrays

        key = {"line": digest, "version": GRID_VERSION, "root": ROOT, "max_level": MAX_LEVEL,
               "target": TARGET, "tolerance": TOLERANCE}
        return cls.from_arrays(cached_arrays("candidate-grid", key, lambda: cls.build(line, name=name).to_arrays()))


def _refine(line: Line, level: int, ix: np.ndarray, iy: np.ndarray, pool: np.ndarray,
            pool_start: np.ndarray, pool_count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Test each cell's pool of segments; return the kept segments (flat) and their counts."""
    kept_parts: list[np.ndarray] = []
    kept_count = np.zeros(len(ix), dtype=np.int64)
    total = np.cumsum(pool_count)
    begin = 0
    while begin < len(ix):  # cells in blocks of about BLOCK_ROWS (cell, segment) pairs
        done = int(total[begin - 1]) if begin else 0
        end = max(int(np.searchsorted(total, done + BLOCK_ROWS, side="right")), begin + 1)
        cells = slice(begin, end)
        kept, count = _refine_block(line, level, ix[cells], iy[cells], pool, pool_start[cells], pool_count[cells])
        kept_parts.append(kept)
        kept_count[cells] = count
        begin = end
    return np.concatenate(kept_parts), kept_count


def _refine_block(line: Line, level: int, ix: np.ndarray, iy: np.ndarray, pool: np.ndarray,
                  pool_start: np.ndarray, pool_count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    size = 2.0**-level
    lon_lo = ROOT[0] + ix * size
    lat_lo = ROOT[1] + iy * size
    centre = line.to_unit(lon_lo + size / 2, lat_lo + size / 2)
    reach = np.zeros(len(ix))
    for cx, cy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        corner = line.to_unit(lon_lo + cx * size, lat_lo + cy * size)
        reach = np.maximum(reach, np.linalg.norm(corner - centre, axis=1))
    reach = reach * (1 + 1e-9) + 1e-15  # points rounded into the cell are covered too
    owner, position, group_starts = _ragged(pool_start, pool_count)
    seg = pool[position]
    half, kind = line.segment_half(centre[owner], seg)
    best, first = first_minimum(half, group_starts)
    q = line.foot(centre, seg[first], kind[first])[owner]
    vertices = line.vertices
    spread = np.maximum(np.linalg.norm(q - vertices[seg], axis=1), np.linalg.norm(q - vertices[seg + 1], axis=1))
    keep = 2.0 * (half - best[owner]) - reach[owner] * spread <= TOLERANCE
    count = np.add.reduceat(keep.astype(np.int64), group_starts)
    return seg[keep], count
