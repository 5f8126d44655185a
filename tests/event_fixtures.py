"""Planted event sets for the tests and benchmarks of pairs, merge and trends.

Until ``geo.synthetic`` (the one synthetic export generator: ``acled_export(n, seed=...)``
and ``synthetic_incidents(n, seed=...)``) is in this branch, these small generators stand
in for it. Each plants a known truth (which records are duplicates, which incidents
answer each other) among background records, so that tests can check the answer without
running geo's own code to make it.

- :func:`planted_exports`: an ACLED-layout and a UCDP-layout export (raw columns, as the
  two projects publish them) of the same events, the UCDP copy moved by up to 3 km and
  ±1 day, plus events only one of them has; and the true duplicate pairs.
- :func:`schema_exports`: the same in the incident schema directly (no CSV round trip),
  fast enough for a million records.
- :func:`border_events`: analysed-looking incidents for pairs (side, distance to the
  border, date), with planted exchanges.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod

from geo.formats import ACLED_COLUMNS, UCDP_COLUMNS

WGS84 = Geod(ellps="WGS84")
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
    new_lon, new_lat, _ = WGS84.fwd(lon, lat, azimuth, metres)
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
