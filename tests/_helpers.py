"""Helpers shared by the tests (imported as ``_helpers``), not tests themselves.

An independent reference for point-to-border distances: GeographicLib only.

No PROJ, no sphere, no densification: each border segment is the geodesic between two
vertices, and the distance to it is minimised by golden-section search along the
geodesic (``Geodesic.Line``), then compared with both ends. Slow, simple and separate
from geo's method, which is the point.
"""

from __future__ import annotations

import json
import math
import re

import geopandas as gpd
import numpy as np
from geographiclib.geodesic import Geodesic
from shapely.geometry import LineString, Polygon, box

from geo.webmap import render as webmap

WGS84 = Geodesic.WGS84
_GOLDEN = (math.sqrt(5) - 1) / 2


def _haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h)))


def distance_to_segment(lon: float, lat: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    """Shortest geodesic distance in metres from (lon, lat) to the geodesic a-b."""
    inverse = WGS84.Inverse(a[1], a[0], b[1], b[0])
    line = WGS84.Line(a[1], a[0], inverse["azi1"])

    def at(s: float) -> float:
        q = line.Position(s)
        return WGS84.Inverse(lat, lon, q["lat2"], q["lon2"])["s12"]

    lo, hi = 0.0, inverse["s12"]
    c, d = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
    fc, fd = at(c), at(d)
    while hi - lo > 1e-4:
        if fc < fd:
            hi, d, fd = d, c, fc
            c = hi - _GOLDEN * (hi - lo)
            fc = at(c)
        else:
            lo, c, fc = c, d, fd
            d = lo + _GOLDEN * (hi - lo)
            fd = at(d)
    return min(fc, fd, at(0.0), at(inverse["s12"]))


def distance_to_line(lon: float, lat: float, coords: list[tuple[float, float]]) -> float:
    """Shortest geodesic distance in metres from (lon, lat) to a polyline of geodesics."""
    # A spherical haversine with a 1% margin only orders and prunes segments; every
    # distance that decides the answer comes from GeographicLib.
    near = [_haversine_m(lon, lat, x, y) for x, y in coords]
    lengths = [_haversine_m(*coords[i], *coords[i + 1]) for i in range(len(coords) - 1)]
    lower = [min(near[i], near[i + 1]) * 0.99 - lengths[i] * 1.01 for i in range(len(lengths))]
    order = sorted(range(len(lengths)), key=lower.__getitem__)
    best = math.inf
    for i in order:
        if lower[i] > best:
            break
        best = min(best, distance_to_segment(lon, lat, coords[i], coords[i + 1]))
    return best


# --------------------------------------------------------------------------- map inputs

BORDER = [(60.87, 29.86), (61.8, 28.7), (62.8, 28.2), (63.3, 27.2), (62.8, 26.6), (61.6, 25.18)]

HOSTILE = [
    "<script>window.__pwned = 1; alert('script')</script>",
    "<img src=x onerror=\"window.__pwned = 2; alert('img')\">",
    "</script><script>window.__pwned = 3</script>",
    "`${alert('backtick')}` \u2028 \u2029 {{ 7 * 7 }} {% if 1 %}x{% endif %}",
    "\"'><svg onload=alert('svg')>",
]


def stand_in_boundaries() -> dict:
    """Rough provinces, countries, border and corridors around the real border."""
    sb = Polygon([(58.8, 25.3), *reversed(BORDER), (61.0, 31.4), (58.8, 31.4)])
    ba = Polygon([*BORDER, (66.5, 25.4), (70.0, 28.0), (69.5, 31.5), (62.5, 29.8)])
    provinces = gpd.GeoDataFrame(
        {
            "iso_3166_2": ["PK-BA", "IR-13", "PK-SD", "IR-15"],
            "country": ["PAK", "IRN", "PAK", "IRN"],
            "name": ["Balochistan", "Sistan and Baluchestan", "Sindh", "Kerman"],
            "name_ur": ["بلوچستان", None, "سندھ", None],
            "name_fa": [None, "سیستان و بلوچستان", None, "کرمان"],
            "focus": [True, True, False, False],
        },
        geometry=[ba, sb, box(66.5, 23.7, 71.1, 28.0), box(54.5, 26.5, 58.8, 31.4)],
        crs="EPSG:4326",
    )
    countries = gpd.GeoDataFrame(
        {"iso3": ["IRN", "PAK", "AFG"], "name": ["Iran", "Pakistan", "Afghanistan"]},
        geometry=[
            Polygon([(44, 25.3), (58.8, 25.3), *reversed(BORDER), (61.0, 31.4), (61.0, 39.0), (44, 39)]),
            Polygon([*BORDER, (66.5, 23.7), (75.0, 24.0), (75.0, 36.0), (69.5, 31.5), (62.5, 29.8)]),
            Polygon([(61.0, 31.4), (60.87, 29.86), (62.5, 29.8), (69.5, 31.5), (71, 38), (61, 37)]),
        ],
        crs="EPSG:4326",
    )
    border = gpd.GeoDataFrame({"source": ["osm"]}, geometry=[LineString(BORDER)], crs="EPSG:4326")
    line = LineString(BORDER)
    corridors = [(km, line.buffer(km / 100)) for km in (10, 25, 50, 100)]
    return {"provinces": provinces, "countries": countries, "border": border, "corridors": corridors}


def synthetic_incidents(n: int = 6, *, seed: int = 0, hostile: bool = False) -> gpd.GeoDataFrame:
    """Incidents with every column of geo.analyze's output, near the border."""
    rng = np.random.default_rng(seed)
    types = ["Air/drone strike", "Armed clash", "Suicide bombing", "Abduction"]
    lon = rng.uniform(60.5, 64.5, n)
    lat = rng.uniform(25.3, 29.8, n)
    dates = [f"20{18 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)]
    frame = gpd.GeoDataFrame(
        {
            "id": [f"inc-{i}" for i in range(n)],
            "date": dates,
            "date_precision": ["day"] * n,
            "event_type": [types[i % len(types)] for i in range(n)],
            "sub_event_type": ["Air/drone strike"] * n,
            "title": [f"Incident {i}" for i in range(n)],
            "summary": [f"Summary of incident {i}." for i in range(n)],
            "actor1": ["Military Forces of Iran"] * n,
            "actor2": [None] * n,
            "fatalities": [float(i % 5) if i % 3 else np.nan for i in range(n)],
            "fatalities_note": ["9 killed (a later statement: 10)" if i == 1 else None for i in range(n)],
            "injured": [3] * n,
            "country": ["PAK"] * n,
            "admin1": ["Balochistan" if x > 62 else "Sistan and Baluchestan" for x in lon],
            "admin2": ["Panjgur"] * n,
            "location": [f"Village {i}" for i in range(n)],
            "location_variants": [["Koh-e-Sabz", "Sabz Koh"]] * n,
            "geo_precision": [1 + i % 3 for i in range(n)],
            "precision_km": [0.5 + 5 * (i % 3) for i in range(n)],
            "geocoding": ["gazetteer"] * n,
            "sources": [
                [{"title": "Dawn", "publisher": "Dawn", "date": "2024-01-17", "url": "https://www.dawn.com/x"}]
            ] * n,
            "border_distance_km": rng.uniform(0, 150, n).round(3),
            "border_side": ["PAK" if x > 62 else "IRN" for x in lon],
            "nearest_border_lon": [62.0] * n,
            "nearest_border_lat": [28.0] * n,
            "border_bearing_deg": [90.0] * n,
            "distance_band": ["0–10 km"] * n,
            "border_distance_min_km": [1.0] * n,
            "border_distance_max_km": [3.0] * n,
            "border_source_spread_km": [2.0] * n,
            "admin1_snapped": [None] * n,
            "admin1_mismatch": [False] * n,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )
    if hostile:
        for k, column in enumerate(["title", "summary", "actor1", "location", "event_type", "fatalities_note"]):
            frame[column] = [HOSTILE[(i + k) % len(HOSTILE)] for i in range(n)]
        frame["id"] = [HOSTILE[i % len(HOSTILE)] + str(i) for i in range(n)]
        frame["sources"] = [
            [
                {"title": HOSTILE[i % len(HOSTILE)], "publisher": "`x`", "date": "</script>",
                 "url": "javascript:window.__pwned=4"},
                {"title": "data link", "url": "data:text/html,<script>alert(1)</script>"},
                {"title": "ok", "url": "https://example.org/?q=<b>&x='\"</script>"},
            ]
            for i in range(n)
        ]
    return frame


def render(frame: gpd.GeoDataFrame, **kwargs) -> str:
    kwargs.setdefault("boundaries", stand_in_boundaries())
    return webmap.incident_map(frame, **kwargs).get_root().render()


def embedded_data(html: str) -> dict:
    """The map's data blob: JSON, or gzip in base64 for large maps."""
    match = re.search(r'<script type="application/json" id="[\w-]+">(.*?)</script>', html, re.DOTALL)
    if match is None:
        import base64
        import gzip

        blobs = re.findall(r'<script type="application/octet-stream" data-encoding="gzip-base64" id="([\w-]+)">'
                           r"([A-Za-z0-9+/=]*)</script>", html)
        assert blobs
        parts = {name: json.loads(gzip.decompress(base64.b64decode(blob))) for name, blob in blobs}
        data = next(v for k, v in parts.items() if not k.endswith("_more"))
        for extra in (v for k, v in parts.items() if k.endswith("_more")):  # the texts read later
            data["incidents"]["text"].update(extra["text"])
            if extra.get("sources") is not None:
                data["incidents"]["sources"] = extra["sources"]
        return data
    return json.loads(match.group(1))


def column_values(column: dict) -> list:
    """Decode a text column of the page's data, whichever encoding it has."""
    if "s" in column:
        return column["s"]
    codes = column["c"] if "c" in column else [column["k"]]
    return [None if c < 0 else column["v"][c] for c in codes]


