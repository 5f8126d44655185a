"""Realistic synthetic ACLED exports for Balochistan and Sistan and Baluchestan.

The package's one generator of data at scale: :func:`acled_export` gives an ACLED export
(its 31 columns, taxonomy, actor types, interaction labels and precision codes) and
:func:`synthetic_incidents` the same events in the incident schema. Every event is
invented. Vectorised: 100,000 events take about 0.3 s. The same seed gives the same table.

- **Town**: Pakistan (68 %) or Iran, then one of the 39 :func:`towns`, weighted by
  ``activity * exp(-border_km / 80)``: towns near the Iran-Pakistan border come up most.
- **Date**: a daily rate growing 18 % a year in Pakistan and 5 % in Iran, with a seasonal
  swing, plus bursts: the Zahedan protests of autumn 2022, the strikes of January 2024,
  the Gwadar sit-in of July 2024, the attacks of 25-26 August 2024. ``time_precision`` is
  1 for 86 % of events.
- **Event**: a scenario (event and sub-event type, actor types) weighted per country;
  actors, associated actors and one or two sources drawn per actor type and country.
  ``fatalities`` is zero-inflated discrete Lomax by sub-event type: mostly 0-2, a few
  dozens (suicide bombings, fire on protesters).
- **Point**: ``geo_precision`` 1 (72 %), 2 or 3 moves the event from its town by a Rayleigh
  distance of scale :data:`JITTER_KM` (medians 0.3, 7 and 24 km) in a uniform direction,
  with WGS84's radii of curvature. A point is kept within the town's ``room_km`` (geodesic
  distance to its province's edge) or inside its country's :func:`drawing_areas`; else it
  is drawn again, and after six tries pulled toward the town to within ``room_km``. So
  every point lies in its ``admin1``, on its country's side of the border.
- **Notes** read like ACLED's; 0.3 % quote text with quotes, ampersands, backticks and ``<``.

The tables (towns, scenarios, bursts, actors, sources, drawing areas) are in
``synthetic.toml`` beside this module, with their sources: town coordinates from GeoNames
(geonames.org, CC BY 4.0) as in ``data/gazetteer``, distances and areas derived from
``data/boundaries`` (OpenStreetMap contributors, ODbL 1.0; Natural Earth, public domain) by
``scripts/derive_synthetic_areas.py``. This module imports no ``geo`` module but
:mod:`geo.errors` (the readers only inside :func:`synthetic_incidents`).

Examples
--------
>>> export = acled_export(5, seed=1)
>>> export.shape, bool(export["country"].isin(["Pakistan", "Iran"]).all())
((5, 31), True)
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import GeoValueError

#: Per country (ISO3): ACLED's country name, ISO 3166 numeric code, ACLED region, admin1.
COUNTRIES = {"PAK": ("Pakistan", 586, "South Asia", "Balochistan"),
             "IRN": ("Iran", 364, "Middle East", "Sistan and Baluchestan")}
#: Border-distance scale of the town weights, km.
BORDER_SCALE_KM = 80.0
#: Rayleigh scale of the move from the town for ``geo_precision`` 1, 2 and 3, km.
JITTER_KM = (0.25, 6.0, 20.0)

_ISO3 = ("PAK", "IRN")
_PAK_SHARE, _TREND, _SEASON_PEAK = 0.68, (0.18, 0.05), (130, 280)  # PAK, IRN: growth a year, busiest day
_PRECISION_P, _TIME_PRECISION_P, _TRIES = (0.72, 0.22, 0.06), (0.86, 0.10, 0.04), 6
_CROWD_P, _TWO_SOURCES_P, _QUOTED_P = (8.0, 3, 2, 1, 0.5), 0.25, 0.003
_INTER_ORDER = ("State forces", "Rebel group", "Political militia", "Identity militia", "Rioters",
                "Protesters", "Civilians", "External/Other forces")  # ACLED's inter codes 1-8
_MONTHS = np.array(["January", "February", "March", "April", "May", "June", "July", "August", "September",
                    "October", "November", "December"], dtype=object)
_A, _E2 = 6378137.0, 6.69437999014e-3  # WGS84: semi-major axis (m), first eccentricity squared


@functools.cache
def _tables() -> dict[str, Any]:
    """The tables of ``synthetic.toml``, shipped beside this module."""
    return tomllib.loads(Path(__file__).with_name("synthetic.toml").read_text(encoding="utf-8"))


@functools.cache
def _town_frame() -> pd.DataFrame:
    frame = pd.DataFrame(_tables()["towns"], columns=_tables()["town_columns"])
    raw = frame["activity"] * np.exp(-frame["border_km"] / BORDER_SCALE_KM)
    frame["weight"] = raw / raw.groupby(frame["country"]).transform("sum")
    return frame


def towns() -> pd.DataFrame:
    """The towns events are drawn around, and what their weights are made of.

    Returns
    -------
    pandas.DataFrame
        ``name``, ``country`` (ISO3), ``admin2``, ``admin3``, ``latitude``, ``longitude``,
        ``border_km`` (geodesic distance to the border), ``room_km`` (to the province's
        edge), ``activity`` (rate before the border weighting), ``source_id`` (the row of
        ``data/gazetteer`` giving the coordinates) and ``weight``, the town's share of its
        country's events outside the bursts.

    Examples
    --------
    >>> t = towns().set_index("name")
    >>> len(t), t.loc["Panjgur", ["latitude", "longitude"]].tolist()
    (39, [26.97186, 64.09459])
    >>> bool(t.loc["Mand", "weight"] > t.loc["Quetta", "weight"])
    True
    """
    return _town_frame().copy()


@functools.cache
def drawing_areas() -> dict[str, shapely.Polygon]:
    """Per country (ISO3), the prepared polygon inside which moved points are kept.

    Each lies at least 0.4 km inside its province, so on its country's side of the border.

    Examples
    --------
    >>> areas = drawing_areas()
    >>> sorted(areas), bool(shapely.contains_xy(areas["PAK"], 64.09, 26.97))
    (['IRN', 'PAK'], True)
    """
    out = {}
    for iso3, text in _tables()["drawing_areas"].items():
        out[iso3] = shapely.Polygon(np.cumsum(np.array(text.split(), dtype=np.int64).reshape(-1, 2), axis=0) / 1000)
        shapely.prepare(out[iso3])
    return out


def _interaction(a: str, b: str) -> str:
    """ACLED's interaction label: "X only", or both inter labels in code order (78 aside)."""
    if not b:
        return f"{a} only"
    a, b = sorted((a, b), key=_INTER_ORDER.index)
    return "External/Other forces-Civilians" if (a, b) == ("Civilians", "External/Other forces") else f"{a}-{b}"


@functools.cache
def _scenarios() -> pd.DataFrame:
    """The scenarios with every field an event takes from its scenario."""
    columns = ["event_type", "sub_event_type", "key1", "key2", "w_pak", "w_irn"]
    table = pd.DataFrame(_tables()["scenarios"], columns=columns)
    actors = _tables()["actors"]
    table["inter1"], table["inter2"] = ([actors[k]["inter"] for k in table[key]] for key in ("key1", "key2"))
    table["interaction"] = [_interaction(a, b) for a, b in zip(table["inter1"], table["inter2"], strict=True)]
    sub, event = table["sub_event_type"], table["event_type"]
    table["demonstration"] = event.isin(["Protests", "Riots"])
    table["disorder_type"] = np.select(
        [sub == "Excessive force against protesters", sub == "Mob violence", table["demonstration"],
         event == "Strategic developments"],
        ["Political violence; Demonstrations", "Political violence", "Demonstrations", "Strategic developments"],
        "Political violence")
    targeted = event.isin(["Violence against civilians", "Explosions/Remote violence", "Riots"])
    table["civilian_targeting"] = np.where(targeted & (table["key2"] == "civilians"), "Civilian targeting", "")
    for i, column in enumerate(["verb", "p_zero", "scale", "tail"]):
        table[column] = [_tables()["sub_event_types"][s][i] for s in sub]
    return table


def _pool(groups: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """All groups' names, and their cumulative weights: group ``g`` spans (g, g + 1]."""
    cum = [g + np.cumsum(0.5 ** np.arange(len(group))) / np.sum(0.5 ** np.arange(len(group)))
           for g, group in enumerate(groups)]
    return np.array([name for group in groups for name in group], dtype=object), np.concatenate(cum)


def _draw(cum: np.ndarray, group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Per event, the index of a name drawn from its group of a :func:`_pool`."""
    return np.minimum(np.searchsorted(cum, group + rng.random(len(group)), side="right"), len(cum) - 1)


def _choose(weights: Any, rng: np.random.Generator, size: int) -> np.ndarray:
    cum = np.cumsum(weights) / np.sum(weights)
    return np.minimum(np.searchsorted(cum, rng.random(size), side="right"), len(cum) - 1)


def _text(vocabulary: Any, codes: np.ndarray) -> pd.Series:
    """The text column ``vocabulary[codes]``, built once per distinct value; "" is missing."""
    values = np.array(vocabulary, dtype=object)
    values[values == ""] = None
    return pd.Series(pd.array(values, dtype="str").take(codes))


def _combine(*codes: tuple[np.ndarray, int]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Distinct combinations of codes (each with its range): the index per event, the codes of each."""
    combined = np.zeros(len(codes[0][0]), dtype=np.int64)
    for values, size in codes:
        combined = combined * size + values
    distinct, inverse = np.unique(combined, return_inverse=True)
    parts: list[np.ndarray] = []
    for _, size in reversed(codes):
        distinct, part = np.divmod(distinct, size)
        parts.insert(0, part)
    return inverse.ravel(), parts


def _offset(lon: np.ndarray, lat: np.ndarray, east_m: np.ndarray, north_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Move points by metres east and north with WGS84's radii of curvature."""
    lat2 = lat + np.degrees(north_m * (1 - _E2 * np.sin(np.radians(lat)) ** 2) ** 1.5 / (_A * (1 - _E2)))
    mid = np.radians((lat + lat2) / 2)
    return lon + np.degrees(east_m * np.sqrt(1 - _E2 * np.sin(mid) ** 2) / (_A * np.cos(mid))), lat2


def _place(town: np.ndarray, precision: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Move each event from its town by its precision's jitter, within its country's area."""
    table = _town_frame()
    lon0, lat0, room, country = (table[c].to_numpy()[town] for c in ("longitude", "latitude", "room_km", "country"))
    sigma = np.asarray(JITTER_KM)[precision - 1]
    lon, lat, todo = lon0.copy(), lat0.copy(), np.arange(len(town))
    for attempt in range(_TRIES + 1):
        r = sigma[todo] * np.sqrt(-2.0 * np.log1p(-rng.random(len(todo))))
        if attempt == _TRIES:  # the last try stays within the town's room
            r = np.minimum(r, room[todo])
        theta = rng.uniform(0.0, 2 * np.pi, len(todo))
        x, y = _offset(lon0[todo], lat0[todo], 1000 * r * np.sin(theta), 1000 * r * np.cos(theta))
        ok = r <= room[todo]
        for iso3, area in drawing_areas().items():
            test = ~ok & (country[todo] == iso3)
            ok[test] = shapely.contains_xy(area, x[test], y[test])
        lon[todo[ok]], lat[todo[ok]], todo = x[ok], y[ok], todo[~ok]
    return lon, lat


def _check(n: object, seed: object, start: object, end: object) -> tuple[np.datetime64, np.datetime64]:
    for name, value in (("n", n), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) < 0:
            raise GeoValueError(f"{name} must be a whole number >= 0, not {value!r}")
    days = []
    for name, value in (("start", start), ("end", end)):
        try:
            days.append(np.datetime64(pd.Timestamp(str(value)).date(), "D"))
        except (TypeError, ValueError):
            raise GeoValueError(f"{name} must be a date such as '2016-01-01', not {value!r}") from None
    if days[1] < days[0]:
        raise GeoValueError(f"end {end!r} is before start {start!r}; give start <= end")
    return days[0], days[1]


def _components(calendar: np.ndarray) -> list[list[tuple[np.ndarray, np.ndarray, np.ndarray, float]]]:
    """Per country: (daily rate, scenario weights, town weights, share) of the background and each burst."""
    table, scen = _town_frame(), _scenarios()
    day_of_year = (calendar - calendar.astype("datetime64[Y]")).astype(np.int64)
    years = (calendar - calendar[0]).astype(np.int64) / 365.25
    out = []
    for c, iso3 in enumerate(_ISO3):
        season = 1 + 0.35 * np.cos(2 * np.pi * (day_of_year - _SEASON_PEAK[c]) / 365.25)
        scen_w = scen[["w_pak", "w_irn"][c]].to_numpy(dtype=float)
        town_w = np.where(table["country"] == iso3, table["weight"], 0.0)
        parts = [(np.exp(_TREND[c] * years) * season, scen_w, town_w, 1.0)]
        for burst in _tables()["bursts"]:
            lo = int((np.datetime64(burst["first_day"]) - calendar[0]).astype(np.int64))
            kept = np.arange(max(lo, 0), min(lo + burst["days"], len(calendar)))
            if burst["country"] != iso3 or not len(kept):
                continue
            rate = np.zeros(len(calendar))
            rate[kept] = np.exp(-(kept - lo) / (burst["days"] / 3))  # most on the first days
            listed = scen["sub_event_type"].isin(burst["sub_event_types"]).to_numpy() & (scen_w > 0)
            per_sub = pd.Series(scen_w * listed).groupby(scen["sub_event_type"]).transform("sum").to_numpy()
            burst_w = np.where(listed, scen_w / np.where(per_sub > 0, per_sub, 1.0), 0.0)  # sub-types alike
            town_b = town_w * table["name"].isin(burst["towns"]).to_numpy()
            parts.append((rate, burst_w, town_b, burst["share"] * len(kept) / burst["days"]))
        parts[0] = (*parts[0][:3], max(0.0, 1.0 - sum(p[3] for p in parts[1:])))
        out.append(parts)
    return out


def acled_export(n: int, *, seed: int = 0, start: str = "2016-01-01", end: str = "2024-12-31") -> pd.DataFrame:
    """A synthetic ACLED export of ``n`` events in Balochistan and Sistan and Baluchestan.

    Parameters
    ----------
    n : int
        Number of events; 0 gives an empty table with the columns.
    seed : int
        Seed of the random generator: the same seed gives the same table.
    start, end : str
        First and last day of the events (dates such as "2016-01-01"; inclusive).

    Returns
    -------
    pandas.DataFrame
        The 31 columns of an ACLED export (``geo.io.formats.ACLED_COLUMNS``) as
        ``pandas.read_csv`` reads one: integers for ``year``, ``time_precision``, ``iso``,
        ``geo_precision``, ``fatalities`` and ``timestamp``, coordinates to 4 decimals,
        text otherwise (empty cells missing); newest events first.

    Raises
    ------
    geo.errors.GeoValueError
        For a negative or non-integer ``n`` or ``seed``, or dates that are not dates.

    Examples
    --------
    >>> export = acled_export(1000, seed=7)
    >>> sorted(export["country"].unique()), export["event_id_cnty"].is_unique
    (['Iran', 'Pakistan'], True)
    >>> bool(export["event_date"].between("2016-01-01", "2024-12-31").all())
    True
    >>> acled_export(0).shape
    (0, 31)
    >>> acled_export(-1)
    Traceback (most recent call last):
    ...
    geo.errors.GeoValueError: n must be a whole number >= 0, not -1
    """
    first, last = _check(n, seed, start, end)
    n, rng = int(n), np.random.default_rng(int(seed))
    table, scen = _town_frame(), _scenarios()
    calendar = np.arange(first, last + 1)
    country, day, kind, town, precision = _events(n, calendar, rng)
    lon, lat = _place(town, precision, rng)
    actors, assoc, (a1, a2, assoc1, assoc2) = _actors(calendar, country, day, kind, scen, rng)
    source, source_scale, pair = _sources(n, country, rng)
    # fatalities: zero-inflated discrete Lomax by sub-event type
    p_zero, scale, tail = (scen[f].to_numpy(dtype=float)[kind] for f in ("p_zero", "scale", "tail"))
    lomax = np.minimum(1 + np.floor(scale * ((1 - rng.random(n)) ** (-1 / tail) - 1)), 120)
    fatalities = np.where(rng.random(n) < p_zero, 0, lomax).astype(np.int64)
    number = _numbers(n, country, day, rng)
    year = calendar.astype("datetime64[Y]").astype(np.int64) + 1970
    notes = _notes(calendar, year, kind, town, a1, a2, actors, fatalities, table, scen, rng)

    pick = np.lexsort((-number, -day))  # newest first, as ACLED exports come
    c, t, k, d = country[pick], town[pick], kind[pick], day[pick]
    info = {f: np.array([v[i] for v in COUNTRIES.values()], dtype=object) for i, f in enumerate(("country", "iso", "region"))}
    admin1 = np.array([v[3] for v in COUNTRIES.values()], dtype=object)
    return pd.DataFrame({
        "event_id_cnty": _text(_ISO3, c) + pd.Series(number[pick].astype(str), dtype="str"),
        "event_date": _text(np.datetime_as_string(calendar, unit="D"), d), "year": year[d],
        "time_precision": 1 + _choose(_TIME_PRECISION_P, rng, n),
        **{f: _text(scen[f], k) for f in ("disorder_type", "event_type", "sub_event_type")},
        "actor1": _text(actors, a1[pick]), "assoc_actor_1": _text(assoc, assoc1[pick]), "inter1": _text(scen["inter1"], k),
        "actor2": _text(actors, a2[pick]), "assoc_actor_2": _text(assoc, assoc2[pick]), "inter2": _text(scen["inter2"], k),
        **{f: _text(scen[f], k) for f in ("interaction", "civilian_targeting")},
        "iso": info["iso"][c].astype(np.int64), "region": _text(info["region"], c), "country": _text(info["country"], c),
        "admin1": _text(admin1, c), **{f: _text(table[f], t) for f in ("admin2", "admin3")},
        "location": _text(table["name"], t), "latitude": np.round(lat[pick], 4), "longitude": np.round(lon[pick], 4),
        "geo_precision": precision[pick], "source": _text(source, pair[pick]),
        "source_scale": _text(source_scale, pair[pick]),
        "notes": notes.texts(d, pick), "fatalities": fatalities[pick], "tags": notes.tags(pick),
        "timestamp": calendar[d].astype("datetime64[s]").astype(np.int64) + rng.integers(86400, 45 * 86400, n),
    })


def _events(n: int, calendar: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Country (0 Pakistan, 1 Iran), day, scenario, town and precision code of each event."""
    country = (rng.random(n) >= _PAK_SHARE).astype(np.int64)
    day, kind, town = (np.zeros(n, dtype=np.int64) for _ in range(3))
    for which, parts in enumerate(_components(calendar)):
        members = np.flatnonzero(country == which)
        component = _choose([p[3] for p in parts], rng, len(members))
        for part, (rate, scen_w, town_w, _) in enumerate(parts):
            idx = members[component == part]
            day[idx], kind[idx], town[idx] = (_choose(w, rng, len(idx)) for w in (rate, scen_w, town_w))
    precision = 1 + _choose(_PRECISION_P, rng, n)
    return country, day, kind, town, precision


def _actors(calendar: np.ndarray, country: np.ndarray, day: np.ndarray, kind: np.ndarray,
            scen: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """Actor names and, per event, codes of actor 1 and 2 and their associates.

    Pakistan's forces are named after the government of the day.
    """
    tables = _tables()
    periods = tables["pak_periods"]
    starts = np.array([np.datetime64(d) for d, _ in periods])
    period = np.maximum(np.searchsorted(starts, calendar, side="right") - 1, 0)[day]
    keys = {k: i for i, k in enumerate(tables["actors"])}
    names, cum = _pool([tables["actors"][k][iso3] for k in keys for iso3 in _ISO3])
    actors = np.array([name.replace("{}", label) for name in names for _, label in periods], dtype=object)
    a1, a2 = (_draw(cum, 2 * scen[f].map(keys).to_numpy()[kind] + country, rng) * len(periods) + period
              for f in ("key1", "key2"))
    associated = tables["associated"]
    assoc, assoc_cum = _pool([[""], [""], *[associated[k][iso3] for k in associated for iso3 in _ISO3]])
    assoc_group = {k: i + 1 for i, k in enumerate(associated)}
    assoc1, assoc2 = (_draw(assoc_cum, 2 * scen[f].map(assoc_group).fillna(0).to_numpy(dtype=np.int64)[kind]
                            + country, rng) for f in ("key1", "key2"))
    return actors, assoc, (a1, a2, assoc1, assoc2)


def _sources(n: int, country: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source texts and scales, one source or two for a quarter of the events, and each event's code."""
    tables = _tables()
    sources, src_cum = _pool([[s for s, _ in tables["sources"][iso3]] for iso3 in _ISO3])
    scales = _pool([[s for _, s in tables["sources"][iso3]] for iso3 in _ISO3])[0]
    s1, s2 = (_draw(src_cum, country, rng) for _ in range(2))
    pair, (p1, p2) = _combine((s1, len(sources)), (np.where(rng.random(n) < _TWO_SOURCES_P, s2, s1), len(sources)))
    source = sources[p1] + np.where(p1 != p2, "; " + sources[p2], "")
    source_scale = scales[p1] + np.where(scales[p1] != scales[p2], "-" + scales[p2], "")
    return source, source_scale, pair


def _numbers(n: int, country: np.ndarray, day: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Event numbers that rise with the date within each country, by steps of 1 to 3."""
    order = np.lexsort((rng.random(n), day, country))
    running = np.cumsum(rng.integers(1, 4, n))
    start_of = np.searchsorted(country[order], country[order], side="left")
    number = np.empty(n, dtype=np.int64)
    number[order] = np.array([60000, 9000])[country[order]] + running - np.concatenate([[0], running])[start_of]
    return number


@dataclass(frozen=True)
class _Notes:
    """The notes and crowd-size tags of the events, as codes into their distinct texts."""

    opening: np.ndarray  # per calendar day: "On 3 May 2021, "
    middle: np.ndarray  # per event: its code in middle_text
    middle_text: np.ndarray  # actors, verb, place and reason, each combination once
    ending: np.ndarray  # per event: its code in ending_text
    ending_text: np.ndarray  # toll, quoted text and crowd size, each combination once
    crowd: np.ndarray  # per event: its code in crowds (0 for none)
    crowds: np.ndarray  # the crowd sizes, "" first

    def texts(self, day: np.ndarray, pick: np.ndarray) -> pd.Series:
        """The ``notes`` column: rows in the order ``pick``, ``day`` already picked."""
        return (_text(self.opening, day) + _text(self.middle_text, self.middle[pick])
                + _text(self.ending_text, self.ending[pick]))

    def tags(self, pick: np.ndarray) -> pd.Series:
        """The ``tags`` column ("crowd size=..." or missing), rows in the order ``pick``."""
        return _text(np.where(self.crowds == "", "", "crowd size=" + self.crowds), self.crowd[pick])


def _notes(calendar: np.ndarray, year: np.ndarray, kind: np.ndarray, town: np.ndarray, a1: np.ndarray,
           a2: np.ndarray, actors: np.ndarray, fatalities: np.ndarray, table: pd.DataFrame, scen: pd.DataFrame,
           rng: np.random.Generator) -> _Notes:
    """Notes as "On <date>, <actor1> <phrase> <actor2> in <town> (<province>) over <reason>. <deaths>".

    Built from codes of their distinct parts (opening by day, middle and ending by
    combination), so that a million notes cost a few thousand string operations.
    """
    n, tables = len(kind), _tables()
    month = calendar.astype("datetime64[M]")
    opening = ("On " + ((calendar - month).astype(np.int64) + 1).astype(str).astype(object) + " "
               + _MONTHS[month.astype(np.int64) % 12] + " " + year.astype(str).astype(object) + ", ")
    reasons, crowds, quoted = (np.array(["", *tables["notes"][f]], dtype=object) for f in ("reasons", "crowds", "quoted"))
    demo = scen["demonstration"].to_numpy()[kind]
    reason = np.where(demo, rng.integers(1, len(reasons), n), 0)
    crowd = np.where(demo, 1 + _choose(_CROWD_P, rng, n), 0)
    quote = np.where(rng.random(n) < _QUOTED_P, rng.integers(1, len(quoted), n), 0)
    admin1 = np.array([v[3] for v in COUNTRIES.values()], dtype=object)
    town_admin1 = admin1[(table["country"] == "IRN").to_numpy(dtype=int)]
    place = (table["name"] + ", " + table["admin2"] + " (" + town_admin1 + ")").to_numpy(dtype=object)
    middle, (m1, mk, m2, mt, mr) = _combine((a1, len(actors)), (kind, len(scen)), (a2, len(actors)),
                                            (town, len(table)), (reason, len(reasons)))
    middle_text = (actors[m1] + " " + scen["verb"].to_numpy(dtype=object)[mk] + np.where(actors[m2] == "", "", " ")
                   + actors[m2] + " in " + place[mt] + np.where(mr > 0, " over ", "") + reasons[mr] + ".")
    ending, (ef, eq, ec) = _combine((fatalities, 121), (quote, len(quoted)), (crowd, len(crowds)))
    deaths = np.where(ef == 1, " 1 person was killed.", " " + ef.astype(str).astype(object) + " people were killed.")
    ending_text = (np.where(ef == 0, " No fatalities were reported.", deaths) + quoted[eq]
                   + np.where(ec > 0, " [size=" + crowds[ec] + "]", ""))
    return _Notes(opening, middle, middle_text, ending, ending_text, crowd, crowds)


def synthetic_incidents(n: int, *, seed: int = 0, start: str = "2016-01-01", end: str = "2024-12-31") -> gpd.GeoDataFrame:
    """The events of :func:`acled_export` in the incident schema, as ``geo.read_incidents`` reads them.

    The export goes through the package's own ACLED mapping and record checks
    (``geo.io.formats.from_acled``, ``geo.io.validate.check_records``), imported inside this
    function so that this module stays in the base layer. ACLED's columns that the schema
    has no place for are kept, whole numbers as ``Int64`` as a CSV read gives them. The
    parameters are those of :func:`acled_export`.

    Returns
    -------
    geopandas.GeoDataFrame
        One point per event in EPSG:4326, in the order of the export.

    Examples
    --------
    >>> incidents = synthetic_incidents(500, seed=3)
    >>> len(incidents), incidents.crs.to_epsg(), sorted(incidents["country"].unique())
    (500, 4326, ['IRN', 'PAK'])
    >>> incidents[["id", "date", "geo_precision", "precision_km"]].dtypes.astype(str).tolist()
    ['str', 'str', 'Int64', 'float64']
    """
    from geo.io.formats import from_acled  # higher layers, imported on use only
    from geo.io.validate import check_records, parse_coordinates

    table = from_acled(acled_export(n, seed=seed, start=start, end=end))
    lon, lat, problems = parse_coordinates(table, "latitude", "longitude")
    checked = check_records(table.drop(columns=["latitude", "longitude"]), lon, lat, problems=problems,
                            record=np.arange(2, len(table) + 2), unit="line", path="<synthetic>")
    if len(checked.rejects):  # the generator broke its own promise: a bug, not bad input
        raise AssertionError(f"synthetic records rejected: {checked.rejects['reason'].head(3).tolist()}")
    frame = checked.frame
    for column in frame.columns[frame.dtypes == "int64"]:
        frame[column] = frame[column].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(checked.lon, checked.lat), crs="EPSG:4326")
