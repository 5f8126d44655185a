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
import pandas as pd
from geographiclib.geodesic import Geodesic
from pyproj import Geod
from shapely.geometry import LineString, Polygon, box

from geo.io.formats import ACLED_COLUMNS, UCDP_COLUMNS
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


# --------------------------------------------------------------------------- planted events
# Planted event sets for the tests and benchmarks of pairs, merge and trends.
# 
# Until ``geo.synthetic`` (the one synthetic export generator: ``acled_export(n, seed=...)``
# and ``synthetic_incidents(n, seed=...)``) is in this branch, these small generators stand
# in for it. Each plants a known truth (which records are duplicates, which incidents
# answer each other) among background records, so that tests can check the answer without
# running geo's own code to make it.
# 
# - :func:`planted_exports`: an ACLED-layout and a UCDP-layout export (raw columns, as the
#   two projects publish them) of the same events, the UCDP copy moved by up to 3 km and
#   ±1 day, plus events only one of them has; and the true duplicate pairs.
# - :func:`schema_exports`: the same in the incident schema directly (no CSV round trip),
#   fast enough for a million records.
# - :func:`border_events`: analyzed-looking incidents for pairs (side, distance to the
#   border, date), with planted exchanges.

GEOD = Geod(ellps="WGS84")  # pyproj, for generating data; WGS84 above is GeographicLib, the reference
REGION = (60.5, 25.2, 66.5, 30.5)  # lon/lat box over the two provinces
START = np.datetime64("2020-01-01")

# ACLED event type -> UCDP type_of_violence codes that describe such an event
ACLED_TO_UCDP = {
    "Battles": (1, 2),
    "Explosions/Remote violence": (1, 2, 3),
    "Violence against civilians": (3,),
}
UCDP_NAMES = {1: "State-based conflict", 2: "Non-state conflict", 3: "One-sided violence"}


def _truth(n: int, rng: np.random.Generator, span_days: int) -> dict[str, np.ndarray]:
    types = np.array(list(ACLED_TO_UCDP), dtype=object)
    event_type = types[rng.integers(0, len(types), n)]
    violence = np.array([ACLED_TO_UCDP[t][rng.integers(0, len(ACLED_TO_UCDP[t]))] for t in event_type])
    return {
        "lon": rng.uniform(REGION[0], REGION[2], n),
        "lat": rng.uniform(REGION[1], REGION[3], n),
        "day": rng.integers(0, span_days, n),
        "event_type": event_type,
        "violence": violence,
        "fatalities": rng.integers(0, 12, n),
    }


def _jitter(lon: np.ndarray, lat: np.ndarray, day: np.ndarray, rng: np.random.Generator,
            max_km: float = 3.0, max_days: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    azimuth = rng.uniform(0, 360, len(lon))
    metres = rng.uniform(0, max_km * 1000.0, len(lon))
    new_lon, new_lat, _ = GEOD.fwd(lon, lat, azimuth, metres)
    return np.asarray(new_lon), np.asarray(new_lat), day + rng.integers(-max_days, max_days + 1, len(day))


def _plan(n_shared: int, n_acled_only: int, n_ucdp_only: int, seed: int, span_days: int) -> tuple:
    rng = np.random.default_rng(seed)
    shared = _truth(n_shared, rng, span_days)
    acled_only = _truth(n_acled_only, rng, span_days)
    ucdp_only = _truth(n_ucdp_only, rng, span_days)
    u_lon, u_lat, u_day = _jitter(shared["lon"], shared["lat"], shared["day"], rng)
    acled = {k: np.concatenate([shared[k], acled_only[k]]) for k in shared}
    ucdp = {k: np.concatenate([shared[k], ucdp_only[k]]) for k in shared}
    ucdp["lon"] = np.concatenate([u_lon, ucdp_only["lon"]])
    ucdp["lat"] = np.concatenate([u_lat, ucdp_only["lat"]])
    ucdp["day"] = np.concatenate([u_day, ucdp_only["day"]])
    acled_ids = np.array([f"PAK{100000 + i}" for i in range(len(acled["lon"]))], dtype=object)
    ucdp_ids = np.array([str(700000 + i) for i in range(len(ucdp["lon"]))], dtype=object)
    truth = set(zip(acled_ids[:n_shared].tolist(), ucdp_ids[:n_shared].tolist(), strict=True))
    return acled, ucdp, acled_ids, ucdp_ids, truth


def _dates(day: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(START + day.astype("timedelta64[D]"), unit="D")


def planted_exports(n_shared: int = 300, n_acled_only: int = 100, n_ucdp_only: int = 100, *,
                    seed: int = 0, span_days: int = 730) -> tuple[pd.DataFrame, pd.DataFrame, set[tuple[str, str]]]:
    """Raw ACLED and UCDP GED exports of the same events, and the true (ACLED, UCDP) id pairs."""
    acled, ucdp, acled_ids, ucdp_ids, truth = _plan(n_shared, n_acled_only, n_ucdp_only, seed, span_days)
    a = pd.DataFrame({c: [""] * len(acled_ids) for c in ACLED_COLUMNS})
    a["event_id_cnty"] = acled_ids
    a["event_date"] = _dates(acled["day"])
    a["year"] = [d[:4] for d in a["event_date"]]
    a["time_precision"] = "1"
    a["event_type"] = acled["event_type"]
    a["country"] = np.where(acled["lon"] > 62.5, "Pakistan", "Iran")
    a["latitude"] = np.round(acled["lat"], 5).astype(str)
    a["longitude"] = np.round(acled["lon"], 5).astype(str)
    a["geo_precision"] = "1"
    a["fatalities"] = acled["fatalities"].astype(str)
    a["notes"] = "Invented test row."
    u = pd.DataFrame({c: [""] * len(ucdp_ids) for c in UCDP_COLUMNS})
    u["id"] = ucdp_ids
    u["type_of_violence"] = ucdp["violence"].astype(str)
    u["where_prec"] = "1"
    u["date_prec"] = "1"
    u["date_start"] = [f"{d} 00:00:00.000" for d in _dates(ucdp["day"])]
    u["date_end"] = u["date_start"]
    u["latitude"] = np.round(ucdp["lat"], 5).astype(str)
    u["longitude"] = np.round(ucdp["lon"], 5).astype(str)
    u["best"] = ucdp["fatalities"].astype(str)
    u["country"] = np.where(ucdp["lon"] > 62.5, "Pakistan", "Iran")
    return a, u, truth


def schema_exports(n_shared: int, n_acled_only: int, n_ucdp_only: int, *, seed: int = 0,
                   span_days: int = 3650) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, set[tuple[str, str]]]:
    """:func:`planted_exports` in the incident schema, without the CSV round trip."""
    acled, ucdp, acled_ids, ucdp_ids, truth = _plan(n_shared, n_acled_only, n_ucdp_only, seed, span_days)

    def frame(values: dict, ids: np.ndarray, event_type: np.ndarray, precision_km: float) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame({
            "id": ids, "date": _dates(values["day"]), "event_type": event_type,
            "precision_km": precision_km, "fatalities": values["fatalities"],
        }, geometry=gpd.points_from_xy(values["lon"], values["lat"]), crs="EPSG:4326")

    violence = np.array([UCDP_NAMES[v] for v in ucdp["violence"]], dtype=object)
    return frame(acled, acled_ids, acled["event_type"], 2.0), frame(ucdp, ucdp_ids, violence, 1.0), truth


def border_events(n_background: int, n_exchanges: int, *, seed: int = 0, days: int = 3, km: float = 50,
                  span_days: int = 3650) -> tuple[gpd.GeoDataFrame, set[tuple[str, str]]]:
    """Incidents with ``border_side``, ``border_distance_km`` and dates, and the planted pairs.

    Background incidents cannot pair: each lies beyond ``km`` from the border, or sits
    alone in its stretch of time. Each planted exchange is a PAK incident answered by an
    IRN one 0 to ``days`` days later, both within ``km``, far in time from all others.
    """
    rng = np.random.default_rng(seed)
    gap = 2 * days + 1  # slots of this many days never pair across slots... with a spare day between
    slots = rng.permutation(span_days // (gap + 1))
    # the first n_exchanges slots hold exchanges, the next ones hold lonely near incidents
    n_near_alone = min(n_background // 4, len(slots) - n_exchanges)
    if n_exchanges + n_near_alone > len(slots):
        raise ValueError("too many planted incidents for the span")
    ex_day = slots[:n_exchanges] * (gap + 1)
    answer = ex_day + rng.integers(0, days + 1, n_exchanges)
    alone_day = slots[n_exchanges:n_exchanges + n_near_alone] * (gap + 1)
    n_far = n_background - n_near_alone
    far_day = rng.integers(0, span_days, n_far)
    side = np.concatenate([
        np.repeat(np.array(["PAK", "IRN"], dtype=object)[None, :], n_exchanges, axis=0).ravel(),
        rng.choice(np.array(["PAK", "IRN"], dtype=object), n_near_alone),
        rng.choice(np.array(["PAK", "IRN"], dtype=object), n_far),
    ])
    day = np.concatenate([np.column_stack((ex_day, answer)).ravel(), alone_day, far_day])
    distance = np.concatenate([
        rng.uniform(0, km, 2 * n_exchanges), rng.uniform(0, km, n_near_alone), rng.uniform(km + 0.01, 400, n_far),
    ])
    n = len(day)
    ids = np.array([f"ev{i}" for i in range(n)], dtype=object)
    frame = gpd.GeoDataFrame({
        "id": ids, "date": _dates(day), "event_type": "Explosions/Remote violence",
        "border_side": side, "border_distance_km": distance,
    }, geometry=gpd.points_from_xy(rng.uniform(60.5, 66.5, n), rng.uniform(25.2, 30.5, n)), crs="EPSG:4326")
    truth = set(zip(ids[0:2 * n_exchanges:2].tolist(), ids[1:2 * n_exchanges:2].tolist(), strict=True))
    order = rng.permutation(n)
    return frame.iloc[order].reset_index(drop=True), truth


# --------------------------------------------------------------------------- writers


def _plain(value):
    """The JSON form of one value, written out the obvious way."""
    import math

    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _rounded(obj, decimals):
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, (list, tuple)):
        return [_rounded(v, decimals) for v in obj]
    return obj


def obvious_geojson_text(frame: gpd.GeoDataFrame, decimals: int = 6) -> str:
    """GeoJSON the obvious way: a dict per feature, json.dumps each, one string in memory.

    The reference for geo's streaming writer (and the approach its benchmark beats).
    """
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    name = frame.geometry.name
    columns = [c for c in frame.columns if c != name]
    features = []
    for record, geom in zip(frame[columns].itertuples(index=False, name=None), frame.geometry, strict=True):
        geometry = None
        if geom is not None and not geom.is_empty:
            mapping = geom.__geo_interface__
            geometry = {"type": mapping["type"], "coordinates": _rounded(mapping["coordinates"], decimals)}
        properties = {str(k): _plain(v) for k, v in zip(columns, record, strict=True)}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"
