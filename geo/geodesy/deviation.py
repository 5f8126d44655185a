"""How far the bundled border lines stray from one another, geodesically.

Each line is sampled about every :data:`SAMPLE_M` metres along its geodesic segments and
every sample is measured to the other line with :class:`geo.geodesy.distance.PreparedLine`,
the exact nearest-point method the incident distances use: there is one such algorithm in
the package.

Examples
--------
>>> table = border_summary()
>>> bool(table.loc["osm", "vertices"] > 0)
True
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from geo import settings
from geo.geodesy.distance import PreparedLine, densify_geodesic
from geo.reference.boundaries import BORDER_LICENCES, BORDER_SOURCES
from geo.reference.boundaries import border as border_line

__all__ = ["SAMPLE_M", "border_deviation", "border_summary"]

#: Spacing of the samples along a line, in metres.
SAMPLE_M = 100.0


def _vertices(source: str) -> tuple[np.ndarray, np.ndarray]:
    coords = np.asarray(border_line(source).geometry.iloc[0].coords)
    return coords[:, 0], coords[:, 1]


def _one_way_km(source: str, reference: str) -> np.ndarray:
    """Distance in km from samples of ``source`` every ~100 m to the line ``reference``."""
    lon, lat = densify_geodesic(*_vertices(source), SAMPLE_M)
    return np.asarray(PreparedLine(*_vertices(reference)).nearest(lon, lat).distance_m) / 1000.0


@functools.cache
def _deviation(source: str, reference: str) -> tuple[float, float, float, float]:
    there = _one_way_km(source, reference)
    back = _one_way_km(reference, source)
    return float(there.mean()), float(np.percentile(there, 95)), float(there.max()), float(back.max())


def border_deviation(source: str, reference: str = settings.DEFAULT_BORDER) -> dict[str, float]:
    """How far one border line strays from another, geodesically.

    Both lines are sampled about every 100 m along their length and each sample's
    geodesic (WGS84) distance to the nearest point of the other line is measured.

    Parameters
    ----------
    source, reference : str
        Names from :data:`BORDER_SOURCES`.

    Returns
    -------
    dict
        ``mean_km`` and ``p95_km``: mean and 95th percentile over the samples of
        ``source`` (its typical offset from ``reference``); ``max_km``: the Hausdorff
        distance, the farthest any point of either line lies from the other, since a
        one-way maximum would miss a bend of ``reference`` that ``source`` cuts off;
        ``max_one_way_km``: the farthest a point of ``source`` lies from ``reference``.

    Examples
    --------
    >>> dev = border_deviation("naturalearth")
    >>> 1.0 < dev["mean_km"] < 4.0 < dev["max_km"] < 20.0
    True
    >>> round(border_deviation("osm")["max_km"], 6)
    0.0
    """
    border_line(source), border_line(reference)  # unknown names fail here, with the choices
    mean, p95, there, back = _deviation(source, reference)
    return {"mean_km": mean, "p95_km": p95, "max_km": max(there, back), "max_one_way_km": there}


def border_summary(reference: str = settings.DEFAULT_BORDER) -> pd.DataFrame:
    """One row per border source: length, vertices, licence and deviation from ``reference``.

    Parameters
    ----------
    reference : str
        The line the others are measured against (a name from :data:`BORDER_SOURCES`).

    Returns
    -------
    pandas.DataFrame
        Indexed by source, with ``length_km``, ``vertices``, ``licence``, ``mean_km``,
        ``p95_km`` and ``max_km`` (see :func:`border_deviation`; NaN for the reference).

    Examples
    --------
    >>> table = border_summary()
    >>> int(table.loc["naturalearth", "vertices"]), float(table.loc["naturalearth", "length_km"])
    (223, 816.6)
    """
    border_line(reference)
    rows = []
    for source in [reference, *sorted(set(BORDER_SOURCES) - {reference})]:
        line = border_line(source)
        row = {
            "source": source,
            "length_km": round(float(line["length_km"].iloc[0]), 1),
            "vertices": len(line.geometry.iloc[0].coords),
            "licence": BORDER_LICENCES[source],
            "mean_km": np.nan,
            "p95_km": np.nan,
            "max_km": np.nan,
        }
        if source != reference:
            dev = border_deviation(source, reference)
            row.update({k: dev[k] for k in ("mean_km", "p95_km", "max_km")})
        rows.append(row)
    return pd.DataFrame(rows).set_index("source")
