"""Trends per distance band: is activity near the border rising, against its own history?

:func:`trends` counts events and fatalities per period (month, quarter or year), side of
the border and distance band, over the two border provinces, and sets each count against
the band's land area and against its own recent past:

- ``band``: the analysis band labels (``0–10 km``, ``10–25 km``, ...), with ``interior``
  for everything beyond the last band edge;
- ``area_km2``: the geodesic (WGS84) land area of that band on that side within the
  province (Balochistan on Pakistan's side, Sistan and Baluchestan on Iran's): the
  province cut by the geodesic border corridors of :func:`geo.border_corridor`, so the
  bands and the interior of a side add up to its province; ``events_per_1000km2`` follows;
- ``norm``: the mean of the previous 12 periods for months, 4 for quarters and 3 for
  years (missing until there are that many);
- ``change_pct``: the change against the norm, in percent (infinite from a norm of 0);
- ``flag``: ACLED Trendfinder's categories (:func:`change_flags`): above +25% "large
  increase", above +10% up to +25% "moderate increase", below −25% "large decrease",
  otherwise "limited change"; and Trendfinder's low-baseline rule: a norm of 2 events or
  fewer with 5 events or fewer in the period is "limited change" whatever the percentage
  (``low_baseline`` is True there).

Only events inside the two provinces (``admin1_code`` PK-BA or IR-11) with a date are
counted; :func:`trend_exclusions` gives every other record's reason. Every period from
the first counted event's to the last's has a row for every side and band, zeros included.

Examples
--------
>>> table = pd.DataFrame({
...     "date": ["2024-01-16", "2024-01-18", "2024-02-03"],
...     "admin1_code": ["PK-BA", "IR-11", "PK-BA"],
...     "border_distance_km": [7.9, 3.5, 140.0],
...     "fatalities": [2, 9, 1],
... })
>>> out = trends(table)
>>> out.loc[out["events"] > 0, ["period", "side", "band", "events", "fatalities"]].values.tolist()
[['2024-01', 'PAK', '0–10 km', 1, 2], ['2024-01', 'IRN', '0–10 km', 1, 9], ['2024-02', 'PAK', 'interior', 1, 1]]
>>> len(out), bool(out["norm"].isna().all())
(20, True)
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.analysis import analyze, analyzed, band_labels, distance_band
from geo.errors import GeoValueError
from geo.geodesy.corridor import border_corridor
from geo.geodesy.spacetime import day_numbers
from geo.io.partitioned import is_dask
from geo.progress import Bar, bar
from geo.reference.boundaries import geodesic_area_km2, provinces

logger = logging.getLogger("geo")

__all__ = ["TREND_COLUMNS", "band_areas", "change_flags", "trend_exclusions", "trends"]

#: Columns of the table :func:`trends` returns, in order.
TREND_COLUMNS = ("period", "side", "band", "events", "fatalities", "area_km2", "events_per_1000km2",
                 "norm", "change_pct", "flag", "low_baseline")

#: Periods in the norm: the mean of this many previous periods.
NORM_PERIODS = {"month": 12, "quarter": 4, "year": 3}

#: Trendfinder's thresholds, in percent.
LARGE_CHANGE_PCT = 25.0
MODERATE_CHANGE_PCT = 10.0

#: Trendfinder's low baseline: a norm of at most this many events ...
LOW_BASELINE_NORM = 2.0
#: ... and at most this many in the period.
LOW_BASELINE_EVENTS = 5

#: The band beyond the last band edge.
INTERIOR = "interior"

_PANDAS_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
_SIDES = ("PAK", "IRN")
_COUNT_DTYPES = {"period": "string", "side": "string", "band": "string", "events": "int64", "fatalities": "int64"}


def _check_freq(freq: str) -> str:
    if freq not in NORM_PERIODS:
        raise GeoValueError(f"freq must be one of {sorted(NORM_PERIODS)}, not {freq!r}")
    return freq


def _edges(bands: Sequence[float]) -> tuple[float, ...]:
    distance_band(pd.Series([], dtype=float), bands)  # fails on bad edges, naming them
    return tuple(float(b) for b in bands)


def _labels(edges: Sequence[float]) -> list[str]:
    return [*band_labels(edges)[:-1], INTERIOR]


@functools.lru_cache(maxsize=8)
def _band_areas(edges: tuple[float, ...], border: str) -> pd.DataFrame:
    table = provinces()
    focus = table[table["focus"]]
    rows = []
    for _, province in focus.iterrows():
        shape = province.geometry
        whole = float(geodesic_area_km2(focus.loc[[province.name]]).iloc[0])
        inside = [0.0]
        for km in edges:  # corridors are nested, so each band is the difference of two areas
            part = shape.intersection(border_corridor(km, None, border))
            inside.append(float(geodesic_area_km2(gpd.GeoSeries([part], crs="EPSG:4326")).iloc[0]))
        sizes = [*np.diff(inside), whole - inside[-1]]
        for label, area in zip(_labels(edges), sizes, strict=True):
            rows.append({"side": province["country"], "band": label, "area_km2": area})
    return pd.DataFrame(rows)


def band_areas(bands: Sequence[float] = settings.DEFAULT_BANDS_KM, border: str = settings.DEFAULT_BORDER) -> pd.DataFrame:
    """Geodesic land area of each distance band on each side, within the two provinces.

    Parameters
    ----------
    bands : sequence of float
        Band edges in km.
    border : str
        Border source, one of ``geo.reference.boundaries.BORDER_SOURCES``.

    Returns
    -------
    pandas.DataFrame
        ``side``, ``band``, ``area_km2``: for each side, the bands from the border out,
        then ``interior``, the rest of the province.

    Examples
    --------
    >>> areas = band_areas((10, 50))
    >>> areas.groupby("side")["area_km2"].sum().round(-3).astype(int).to_dict()
    {'IRN': 176000, 'PAK': 346000}
    """
    return _band_areas(_edges(bands), border).copy()


def change_flags(events: pd.Series, norm: pd.Series) -> pd.DataFrame:
    """Trendfinder's change categories for counts against their norms.

    Parameters
    ----------
    events, norm : Series
        Counts in a period and the norm they are measured against (NaN: no norm yet).

    Returns
    -------
    pandas.DataFrame
        Index-aligned: ``change_pct`` (infinite from a norm of 0; NaN for 0 against 0 or
        no norm), ``flag`` (missing where there is no norm) and ``low_baseline``.

    Examples
    --------
    >>> flags = change_flags(pd.Series([13, 12, 11, 7, 3, 0, 6]), pd.Series([10.0, 10, 10, 10, 1, 0, 0]))
    >>> flags["flag"].tolist()
    ['large increase', 'moderate increase', 'limited change', 'large decrease', 'limited change', 'limited change', 'large increase']
    >>> flags["low_baseline"].tolist()
    [False, False, False, False, True, True, False]
    """
    count = events.to_numpy(dtype=float)
    base = norm.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(base > 0, (count - base) / base * 100.0, np.where(count > 0, np.inf, np.nan))
    no_norm = np.isnan(base)
    change[no_norm] = np.nan
    low = ~no_norm & (base <= LOW_BASELINE_NORM) & (count <= LOW_BASELINE_EVENTS)
    flag = np.select(
        [no_norm, low, change > LARGE_CHANGE_PCT, change > MODERATE_CHANGE_PCT, change < -LARGE_CHANGE_PCT],
        ["", "limited change", "large increase", "moderate increase", "large decrease"],
        "limited change",
    )
    return pd.DataFrame({"change_pct": change, "flag": pd.Series(flag, dtype="string").replace("", pd.NA).to_numpy(),
                         "low_baseline": low}, index=events.index)


def trend_exclusions(result: pd.DataFrame) -> pd.Series:
    """Why each record is left out of :func:`trends`, or missing where it is counted.

    Examples
    --------
    >>> table = pd.DataFrame({"date": ["2024-01-16", None, "2024-01-18"],
    ...                       "admin1_code": ["PK-BA", "IR-11", "PK-IS"], "border_distance_km": [7.9, 3.5, 900.0]})
    >>> trend_exclusions(table).tolist()
    [<NA>, 'no date', 'outside Balochistan and Sistan and Baluchestan']
    """
    missing = [c for c in ("admin1_code", "border_distance_km") if c not in result.columns]
    if missing:
        raise GeoValueError(f"trends needs the columns of analyze(); missing {missing}")
    day = day_numbers(result["date"]) if "date" in result.columns else np.full(len(result), np.nan)
    inside = result["admin1_code"].isin(list(_focus())).fillna(False).to_numpy(dtype=bool)
    located = pd.to_numeric(result["border_distance_km"], errors="coerce").notna().to_numpy()
    reason = np.select([~located, ~inside, ~np.isfinite(day)],
                       ["no location", "outside Balochistan and Sistan and Baluchestan", "no date"], "")
    return pd.Series(reason, index=result.index, dtype="string", name="excluded").replace("", pd.NA)


@functools.lru_cache(maxsize=1)
def _focus() -> dict[str, str]:
    table = provinces()
    focus = table[table["focus"]]
    return dict(zip(focus["iso_3166_2"], focus["country"], strict=True))


def _counts(frame: pd.DataFrame, freq: str, edges: tuple[float, ...]) -> pd.DataFrame:
    """Events and fatalities per period, side and band of one frame (or one partition)."""
    counted = trend_exclusions(frame).isna().to_numpy()
    part = frame[counted]
    dates = pd.to_datetime(part["date"].astype("string").str.slice(0, 10), format="%Y-%m-%d")
    band = distance_band(pd.to_numeric(part["border_distance_km"]), edges)
    band = band.where(band != band_labels(edges)[-1], INTERIOR)
    fatalities = (pd.to_numeric(part["fatalities"], errors="coerce").fillna(0)
                  if "fatalities" in part.columns else pd.Series(0, index=part.index))
    table = pd.DataFrame({
        "period": dates.dt.to_period(_PANDAS_FREQ[freq]).astype("string"),
        "side": part["admin1_code"].map(_focus()).astype("string"),
        "band": band.astype("string"),
        "fatalities": fatalities.astype("int64"),
    })
    out = (table.groupby(["period", "side", "band"], sort=False)
           .agg(events=("fatalities", "size"), fatalities=("fatalities", "sum")).reset_index())
    return out.astype(_COUNT_DTYPES)[list(_COUNT_DTYPES)]


def _empty_counts() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in _COUNT_DTYPES.items()})


def trends(
    result: pd.DataFrame,
    freq: str = "month",
    bands: Sequence[float] = settings.DEFAULT_BANDS_KM,
    border: str = settings.DEFAULT_BORDER,
    *,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Events, fatalities, rates per km² and Trendfinder flags per period, side and band.

    Parameters
    ----------
    result : GeoDataFrame, DataFrame or dask_geopandas.GeoDataFrame
        Incidents, analysed (:func:`geo.analyze`; ``date``, ``admin1_code``,
        ``border_distance_km``, ``fatalities``) or not (they are analysed first). On a
        Dask frame every partition is counted on the cluster and the small table of
        counts is finished here.
    freq : {"month", "quarter", "year"}
        The period.
    bands : sequence of float
        Band edges in km; ``interior`` lies beyond the last.
    border : str
        Border source for the band areas (and for raw incidents).
    progress : bool, optional
        A bar "counting trends" over the two steps (the counts, then the areas, norms
        and flags) on a terminal (see :mod:`geo.progress`); None follows
        ``geo.progress.DEFAULT``, off in Python.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TREND_COLUMNS`, one row per period, side and band, in that order
        (see the module notes).
    """
    freq = _check_freq(freq)
    edges = _edges(bands)
    with bar("counting trends", 2, unit="steps", enabled=progress) as step:
        counts = _all_counts(result, freq, edges, border, step)
        table = _finish(counts, freq, edges, border)
        step.advance()
    return table


def _all_counts(result: Any, freq: str, edges: tuple[float, ...], border: str, step: Bar) -> pd.DataFrame:
    """Events and fatalities per period, side and band, of a frame or a Dask frame."""
    if is_dask(result):
        lazy: Any = result if "admin1_code" in result.columns else analyze(result, border=border, bands=edges)
        wanted = [c for c in ("date", "admin1_code", "border_distance_km", "fatalities") if c in lazy.columns]
        partials: pd.DataFrame = lazy[wanted].map_partitions(_counts, freq, edges, meta=_empty_counts()).compute()
        counts = (partials.groupby(["period", "side", "band"], sort=False)[["events", "fatalities"]].sum()
                  .reset_index())
    else:
        needed = ("admin1_code", "border_distance_km")
        frame = result if set(needed) <= set(result.columns) else analyzed(result, border)
        counts = _counts(frame, freq, edges)
        left_out = int(len(frame) - counts["events"].sum())
        if left_out:
            logger.info("%d of %d records are left out of the trends (see trend_exclusions)", left_out, len(frame))
    step.advance()
    return counts


def _finish(counts: pd.DataFrame, freq: str, edges: tuple[float, ...], border: str) -> pd.DataFrame:
    labels = _labels(edges)
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TREND_COLUMNS})
    code = _PANDAS_FREQ[freq]
    present = pd.PeriodIndex(counts["period"].astype(str), freq=code)
    periods = pd.period_range(present.min(), present.max(), freq=code).astype(str)
    grid = pd.MultiIndex.from_product([periods, _SIDES, labels], names=["period", "side", "band"])
    keyed = counts.set_index(["period", "side", "band"])[["events", "fatalities"]]
    table = keyed.reindex(grid, fill_value=0).astype("int64").reset_index()
    areas = _band_areas(edges, border).set_index(["side", "band"])["area_km2"]
    table["area_km2"] = areas.reindex(pd.MultiIndex.from_frame(table[["side", "band"]])).to_numpy()
    table["events_per_1000km2"] = table["events"] / table["area_km2"] * 1000.0
    # norm: the mean of the previous N periods, from running sums over a periods x groups array
    n_periods, n_groups, window = len(periods), len(_SIDES) * len(labels), NORM_PERIODS[freq]
    events = table["events"].to_numpy(dtype=float).reshape(n_periods, n_groups)
    running = np.vstack([np.zeros((1, n_groups)), np.cumsum(events, axis=0)])
    norm = np.full((n_periods, n_groups), np.nan)
    if n_periods > window:
        norm[window:] = (running[window:-1] - running[:-window - 1]) / window
    table["norm"] = norm.ravel()
    flags = change_flags(table["events"], table["norm"])
    table = pd.concat([table, flags], axis=1)
    for column in ("period", "side", "band", "flag"):
        table[column] = table[column].astype("string")
    return table[list(TREND_COLUMNS)]
