"""What the figures read from an analysis result: sides, bands, periods, sources and form.

Every figure reads the result through these functions, so that a missing column or a
NaN leaves a mark out instead of failing, and so that the bands drawn are the bands the
analysis used (its ``distance_band`` labels), not the package defaults.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"border_side": ["PAK", "irn", "outside", None],
...                       "distance_band": ["0–5 km", "5–30 km", "30+ km", None]})
>>> side_column(frame).tolist()
['PAK', 'IRN', 'outside', '']
>>> band_edges(frame)
(5.0, 30.0)
>>> choose_form(10, 30, "auto"), choose_form(10_000, 30, "auto"), choose_form(10_000, 30, "points")
('points', 'aggregate', 'points')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from geo import settings
from geo.errors import GeoValueError
from geo.legend import SIDE_NAMES
from geo.plot.style import text_column

#: The forms a figure can be forced to take (``--style``); "auto" picks from the data.
STYLES: tuple[str, ...] = ("auto", "points", "aggregate")

#: Sides in the order figures draw them: Iran's left (west), Pakistan's right, then neither.
SIDE_ORDER: tuple[str, ...] = ("IRN", "PAK", "outside")

_BAND = re.compile(r"^\s*([0-9.]+)\s*(?:[–-]\s*([0-9.]+))?\s*(\+)?\s*km\s*$")


def side_column(frame: pd.DataFrame) -> pd.Series:
    """The side of the border per record: ``PAK``, ``IRN``, ``outside`` or ``""`` when unknown.

    ``border_side`` first, else ``country``; matched without regard to case.
    """
    codes = {k.lower(): k for k in SIDE_NAMES}
    side = text_column(frame, "border_side").str.lower().map(codes)
    country = text_column(frame, "country").str.lower().map(codes)
    return side.fillna(country).fillna("").astype(object).rename("side")


def parse_band(label: object) -> tuple[float, float] | None:
    """The (lower, upper) km of a band label such as ``'10–25 km'`` or ``'100+ km'``.

    Examples
    --------
    >>> parse_band("10–25 km"), parse_band("100+ km"), parse_band("near")
    ((10.0, 25.0), (100.0, inf), None)
    """
    if not isinstance(label, str):
        return None
    match = _BAND.match(label)
    if match is None:
        return None
    lo = float(match.group(1))
    hi = float(match.group(2)) if match.group(2) else np.inf
    return lo, hi


def band_edges(result: pd.DataFrame) -> tuple[float, ...]:
    """The band edges (km) the analysis used, read from its ``distance_band`` labels.

    ``result.attrs["bands_km"]`` wins when set; without labels the package default
    :data:`geo.settings.DEFAULT_BANDS_KM` is used. A band with no incident leaves no
    label, so its neighbours' edges stand for it.
    """
    if "bands_km" in getattr(result, "attrs", {}):
        return tuple(float(v) for v in result.attrs["bands_km"])
    edges: set[float] = set()
    if "distance_band" in result:
        for label in pd.Series(result["distance_band"]).dropna().unique():
            parsed = parse_band(label)
            if parsed is not None:
                edges.update(v for v in parsed if 0 < v < np.inf)
    return tuple(sorted(edges)) if edges else tuple(float(v) for v in settings.DEFAULT_BANDS_KM)


def band_names(edges: Sequence[float]) -> list[str]:
    """Band labels from edges, in the analysis' own format.

    Examples
    --------
    >>> band_names((10, 25))
    ['0–10 km', '10–25 km', '25+ km']
    """
    bounds = [0.0, *edges]
    return [f"{lo:g}–{hi:g} km" for lo, hi in pairwise(bounds)] + [f"{bounds[-1]:g}+ km"]


def band_column(result: pd.DataFrame, edges: Sequence[float]) -> pd.Series:
    """The band of each record: the stored ``distance_band``, else one from the distance.

    Examples
    --------
    >>> band_column(pd.DataFrame({"border_distance_km": [3.0, 10.0, 40.0, None]}), (10, 25)).tolist()
    ['0–10 km', '0–10 km', '25+ km', '']
    """
    names = np.array(band_names(edges), dtype=object)
    distance = pd.to_numeric(result["border_distance_km"], errors="coerce") if "border_distance_km" in result \
        else pd.Series(np.nan, index=result.index)
    values = distance.to_numpy(dtype=float)
    index = np.minimum(np.searchsorted(np.asarray(edges, dtype=float), values, side="left"), len(names) - 1)
    computed = pd.Series(np.where(np.isnan(values), "", names[index]), index=result.index, dtype=object)
    stored = text_column(result, "distance_band")
    return stored.where(stored != "", computed).rename("band")


def choose_form(n: int, threshold: int, style: str) -> str:
    """``"points"`` for up to ``threshold`` records, else ``"aggregate"``, unless forced by ``style``."""
    if style not in STYLES:
        msg = f"unknown style {style!r}; choose one of {list(STYLES)}"
        raise GeoValueError(msg)
    if style != "auto":
        return style
    return "points" if n <= threshold else "aggregate"


def incident_source(result: pd.DataFrame, source: str | None = None) -> str | None:
    """The incident data as a figure credits it: ``source`` (a file name), else the ``source`` column.

    A path is shortened to its file name. Up to three distinct values of the column are
    named, then "and N more".

    Examples
    --------
    >>> incident_source(pd.DataFrame(), "/data/acled_2024.csv")
    'acled_2024.csv'
    >>> incident_source(pd.DataFrame({"source": ["ACLED", "ACLED", "UCDP GED"]}))
    'ACLED, UCDP GED'
    >>> incident_source(pd.DataFrame()) is None
    True
    """
    if source:
        return Path(str(source)).name or str(source)
    if "source" not in result:
        return None
    values = [v for v in text_column(result, "source").unique() if v]
    if not values:
        return None
    values = sorted(values)
    more = len(values) - 3
    return ", ".join(values[:3]) + (f" and {more} more" if more > 0 else "")


def periods(dates: pd.Series, freq: str) -> pd.Series:
    """The start of each date's period (``"W"`` weeks from Monday, ``"M"`` months, ``"Y"`` years)."""
    if freq == "W":
        return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    if freq == "M":
        return dates.dt.to_period("M").dt.start_time
    if freq == "Y":
        return dates.dt.to_period("Y").dt.start_time
    msg = f"unknown freq {freq!r}; choose one of ['W', 'M', 'Y']"
    raise GeoValueError(msg)


def choose_freq(dates: pd.Series, freq: str | None = None) -> str:
    """The period to count by: ``freq`` if given, else from the span of the dates.

    Weeks up to :data:`geo.settings.FIGURE_WEEKS_MAX_DAYS` days, months up to
    :data:`geo.settings.FIGURE_MONTHS_MAX_YEARS` years, years beyond.

    Examples
    --------
    >>> choose_freq(pd.Series(pd.to_datetime(["2024-01-01", "2024-03-01"])))
    'W'
    >>> choose_freq(pd.Series(pd.to_datetime(["2016-01-01", "2024-12-01"])))
    'M'
    >>> choose_freq(pd.Series(pd.to_datetime(["2000-01-01", "2024-12-01"])))
    'Y'
    """
    if freq is not None:
        freq = {"week": "W", "month": "M", "year": "Y"}.get(freq, freq)
        if freq not in ("W", "M", "Y"):
            msg = f"unknown freq {freq!r}; choose one of ['week', 'month', 'year']"
            raise GeoValueError(msg)
        return freq
    valid = dates.dropna()
    if valid.empty:
        return "M"
    span_days = (valid.max() - valid.min()).days
    if span_days <= settings.FIGURE_WEEKS_MAX_DAYS:
        return "W"
    if span_days <= settings.FIGURE_MONTHS_MAX_YEARS * 365.25:
        return "M"
    return "Y"
