"""Merging sources: one record per event from ACLED, UCDP GED and other exports.

ACLED and UCDP GED exports of the same months describe many of the same events.
:func:`merge` finds the records of one event, after the rules of meltt (Donnay et al.,
"Integrating Conflict Event Data", Journal of Conflict Resolution, 2019).

**When records match.** Two records of different inputs match when all of these hold:

- their geodesic distance (WGS84) is at most ``km + r_a + r_b``, where ``r`` is each
  record's location precision, ``precision_km`` (the radius within which the true place
  lies; ACLED ``geo_precision`` 1/2/3 reads as 2/25/50 km, UCDP ``where_prec`` 1 to 7 as 1
  to 500 km, see :mod:`geo.io.formats`), counted up to :data:`MAX_PRECISION_KM`. Two records
  of one event can lie as far apart as their two circles of uncertainty allow, plus the
  reporting error ``km``; a record placed only to its country cannot be told apart from
  others by place, hence the cap. A missing precision counts as 0.
- their dates (``date``; UCDP's ``date_start``) are at most ``days`` apart;
- their event categories are compatible under the taxonomy (:mod:`geo.analysis.taxonomy`).

**Best score first, one to one.** Each candidate match gets a score,
``1 - 0.5 * km_apart / window_km - 0.5 * days_apart / (days + 1)``: 1 for the same place
and day, falling towards 0.5 at the edges of both windows. Matches are taken best score
first (ties: earlier records first), and a match is taken only while neither record has
one with the other's input: each record matches at most one record of each other input.
This is the greedy matching; it is computed in rounds in which every candidate that is
the best one left for both of its records is taken at once, which gives the same result.

**More than two inputs** merge in order: the second input into the first, the third
into the result, and so on; a merged event takes part through its chosen record (below)
and holds at most one record of each input. With ``within=True`` each input is first
de-duplicated against itself by the same rules, repeated until no two of its events match.

**The merged record** takes its attributes from one record, the most precise location
(smallest ``precision_km``), then the first input, then the first record there. Beside
them:

- ``source_ids``: the ids of every record merged into it, as in their inputs (``#N`` for
  a record without an id: its position), joined by ``;``, in input order;
- ``sources``: the list of the inputs those came from, in the same order (the incident
  schema's list of cited articles moves to ``citations``, the chosen record's);
- ``fatalities``: the chosen record's; ``fatalities_by_source``: every record's, in the
  order of ``source_ids`` (empty where a record gives none);
- ``id``: the chosen record's id, or ``INPUT:id`` where two output records would share one.

Records without a date or a location match nothing and pass through, like every other
unmatched record: every input record is in exactly one output record's ``source_ids``.

Examples
--------
>>> from shapely.geometry import Point
>>> acled = gpd.GeoDataFrame(
...     {"id": ["PAK1", "PAK2"], "date": ["2024-01-16", "2024-03-01"],
...      "event_type": ["Explosions/Remote violence", "Protests"], "precision_km": [25.0, 2.0],
...      "fatalities": [2, 0]},
...     geometry=[Point(63.33, 27.03), Point(66.99, 30.18)], crs="EPSG:4326")
>>> ucdp = gpd.GeoDataFrame(
...     {"id": ["5501"], "date": ["2024-01-17"], "event_type": ["One-sided violence"],
...      "precision_km": [1.0], "fatalities": [3]},
...     geometry=[Point(63.40, 27.05)], crs="EPSG:4326")
>>> merged = merge(acled, ucdp, names=["acled.csv", "ucdp.csv"])
>>> merged[["id", "source_ids", "fatalities", "fatalities_by_source"]].values.tolist()
[['5501', 'PAK1;5501', 3, '2;3'], ['PAK2', 'PAK2', 0, '0']]
>>> merged["sources"].tolist()
[['acled.csv', 'ucdp.csv'], ['acled.csv']]
"""

from __future__ import annotations

import logging
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from geo.analysis.taxonomy import Taxonomy, default_taxonomy
from geo.ellipsoid import GEOD
from geo.errors import GeoValueError
from geo.geodesy.distance import point_coordinates
from geo.geodesy.spacetime import day_numbers, near_pairs, record_ids
from geo.io.partitioned import is_dask
from geo.progress import bar

logger = logging.getLogger("geo")

__all__ = ["MATCH_COLUMNS", "MAX_PRECISION_KM", "MergeResult", "merge", "merge_sources", "one_to_one"]

#: Each record's location precision widens the spatial window by at most this many km.
MAX_PRECISION_KM = 50.0

#: Columns of :attr:`MergeResult.matches`, in order.
MATCH_COLUMNS = ("id_a", "source_a", "id_b", "source_b", "km", "days", "window_km", "score", "rule",
                 "kind", "merged_id")

#: Columns of :attr:`MergeResult.counts`, in order.
COUNT_COLUMNS = ("input", "read", "matched", "passed_through", "out", "merged_away")

# Precision radii are searched in classes with these upper edges, so that a record of
# 1 km precision is not searched with the window of one of 50 km.
_RADIUS_CLASSES = np.array([0.0, 1.0, 2.0, 5.0, 10.0, 25.0, MAX_PRECISION_KM])

# Below this many candidates left, the greedy matching finishes one candidate at a time.
_SEQUENTIAL_BELOW = 2000


@dataclass
class MergeResult:
    """What :func:`merge_sources` gives.

    Attributes
    ----------
    events : GeoDataFrame
        One record per event (see the module notes for its columns).
    matches : DataFrame
        One row per match, columns :data:`MATCH_COLUMNS`: the two records (id and input),
        their distance ``km`` and ``days`` apart, the spatial ``window_km`` that applied,
        the ``score``, the category ``rule`` that allowed it, ``kind`` ("across inputs"
        or "within input") and the ``merged_id`` of the event it went into.
    counts : DataFrame
        One row per input, columns :data:`COUNT_COLUMNS`: records read, matched (in an
        event with others), passed through (alone), out (chosen for an output record)
        and merged away (``read - out``).
    """

    events: gpd.GeoDataFrame
    matches: pd.DataFrame
    counts: pd.DataFrame


def one_to_one(a: np.ndarray, b: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Greedy one-to-one matching: candidates taken best score first, each record once.

    Parameters
    ----------
    a, b : ndarray of int
        The two records of each candidate, as numbers in one space (a record may appear
        on either side).
    score : ndarray
        Higher is better; ties go to the smaller ``a``, then the smaller ``b``.

    Returns
    -------
    ndarray of bool
        True for the candidates taken.

    Examples
    --------
    >>> one_to_one(np.array([0, 1, 1]), np.array([2, 2, 3]), np.array([0.9, 0.8, 0.7])).tolist()
    [True, False, True]
    """
    n_edges = len(a)
    taken = np.zeros(n_edges, dtype=bool)
    if not n_edges:
        return taken
    order = np.lexsort((b, a, -np.asarray(score, dtype=float)))
    rank = np.empty(n_edges, dtype=np.int64)
    rank[order] = np.arange(n_edges)
    used = np.zeros(int(max(a.max(), b.max())) + 1, dtype=bool)
    alive = order
    while len(alive):
        if len(alive) <= _SEQUENTIAL_BELOW:
            for edge in alive.tolist():
                if not (used[a[edge]] or used[b[edge]]):
                    taken[edge] = True
                    used[a[edge]] = used[b[edge]] = True
            break
        # a candidate that is the best left for both its records is in the greedy matching
        best = np.full(len(used), n_edges, dtype=np.int64)
        np.minimum.at(best, a[alive], rank[alive])
        np.minimum.at(best, b[alive], rank[alive])
        won = alive[(best[a[alive]] == rank[alive]) & (best[b[alive]] == rank[alive])]
        taken[won] = True
        used[a[won]] = used[b[won]] = True
        alive = alive[~(used[a[alive]] | used[b[alive]])]
    return taken


class _Records:
    """Every input's records stacked: what the matching needs, as arrays."""

    def __init__(self, frames: Sequence[gpd.GeoDataFrame], names: Sequence[str]) -> None:
        self.names = list(names)
        self.sizes = np.array([len(f) for f in frames], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(self.sizes)])
        self.input_no = np.repeat(np.arange(len(frames)), self.sizes)
        self.position = np.arange(self.starts[-1]) - self.starts[self.input_no]
        coords = [point_coordinates(f) for f in frames]
        self.lon = np.concatenate([c[0] for c in coords]) if coords else np.array([])
        self.lat = np.concatenate([c[1] for c in coords]) if coords else np.array([])
        self.day = np.concatenate([day_numbers(f["date"]) if "date" in f.columns else np.full(len(f), np.nan)
                                   for f in frames])
        self.ids = np.concatenate([record_ids(f).to_numpy(dtype=object) for f in frames])
        self.types = pd.Series(np.concatenate([self._column(f, "event_type") for f in frames]), dtype=object)
        precision = np.concatenate([pd.to_numeric(pd.Series(self._column(f, "precision_km")), errors="coerce")
                                    .to_numpy(dtype=float, na_value=np.nan) for f in frames])
        self.radius = np.clip(np.nan_to_num(precision, nan=0.0), 0.0, MAX_PRECISION_KM)
        fatalities = pd.Series(np.concatenate([self._column(f, "fatalities") for f in frames]), dtype=object)
        self.fatalities = pd.to_numeric(fatalities, errors="coerce")
        # precedence: the most precise location, then the first input, then the first record
        key = np.nan_to_num(precision, nan=np.inf)
        order = np.lexsort((self.position, self.input_no, key))
        self.rank = np.empty(len(order), dtype=np.int64)
        self.rank[order] = np.arange(len(order))

    @staticmethod
    def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
        if name not in frame.columns:
            return np.full(len(frame), None, dtype=object)
        values: np.ndarray = frame[name].astype(object).where(frame[name].notna(), None).to_numpy(dtype=object)
        return values


@dataclass
class _Edges:
    a: np.ndarray
    b: np.ndarray
    km: np.ndarray
    days: np.ndarray
    window: np.ndarray
    score: np.ndarray
    rule: np.ndarray

    def take(self, mask: np.ndarray) -> _Edges:
        return _Edges(*(getattr(self, f)[mask] for f in ("a", "b", "km", "days", "window", "score", "rule")))


def _candidates(rec: _Records, rows_a: np.ndarray, rows_b: np.ndarray | None, km: float, days: float,
                taxonomy: Taxonomy) -> _Edges:
    """Candidate matches between two sets of records (or within one), with their scores."""
    classes_a = np.searchsorted(_RADIUS_CLASSES, rec.radius[rows_a], side="left")
    classes_b = classes_a if rows_b is None else np.searchsorted(_RADIUS_CLASSES, rec.radius[rows_b], side="left")
    found_a, found_b = [], []
    for p in np.unique(classes_a):
        part_a = rows_a[classes_a == p]
        for q in np.unique(classes_b):
            if rows_b is None and q < p:
                continue
            part_b = (rows_a if rows_b is None else rows_b)[classes_b == q]
            reach = km + _RADIUS_CLASSES[p] + _RADIUS_CLASSES[q]
            if rows_b is None and p == q:
                i, j, _ = near_pairs(rec.lon[part_a], rec.lat[part_a], rec.day[part_a], reach, days)
            else:
                i, j, _ = near_pairs(rec.lon[part_a], rec.lat[part_a], rec.day[part_a], reach, days,
                                     other=(rec.lon[part_b], rec.lat[part_b], rec.day[part_b]))
            found_a.append(part_a[i])
            found_b.append(part_b[j])
    a = np.concatenate(found_a) if found_a else np.array([], dtype=np.int64)
    b = np.concatenate(found_b) if found_b else np.array([], dtype=np.int64)
    _, _, metres = GEOD.inv(rec.lon[a], rec.lat[a], rec.lon[b], rec.lat[b])
    apart = np.asarray(metres, dtype=float) / 1000.0
    window = km + rec.radius[a] + rec.radius[b]
    gap = np.abs(rec.day[a] - rec.day[b])
    ok, rule = taxonomy.compatible(rec.types.iloc[a], rec.types.iloc[b])
    keep = (apart <= window) & ok
    score = 1.0 - 0.5 * apart / window - 0.5 * gap / (days + 1.0)
    edges = _Edges(a, b, apart, gap, window, score, rule.to_numpy(dtype=object))
    return edges.take(keep)


class _Clusters:
    """Events being formed: each record's event, and each event's chosen record."""

    def __init__(self, rec: _Records) -> None:
        self.rec = rec
        self.label = np.arange(len(rec.ids))  # event of each record, named by a member
        self.chosen = np.arange(len(rec.ids))  # chosen record of each event name

    def join(self, rec_a: np.ndarray, rec_b: np.ndarray) -> None:
        """Merge the events of chosen records ``rec_a[i]`` and ``rec_b[i]``, pairwise."""
        ev_a, ev_b = self.label[rec_a], self.label[rec_b]
        a_wins = self.rec.rank[rec_a] <= self.rec.rank[rec_b]
        winner, loser = np.where(a_wins, ev_a, ev_b), np.where(a_wins, ev_b, ev_a)
        rename = np.arange(len(self.label))
        rename[loser] = winner
        self.label = rename[self.label]


def _check(frames: Sequence[gpd.GeoDataFrame], names: Sequence[str] | None, days: float, km: float) -> list[str]:
    if len(frames) < 1:
        raise GeoValueError("merge needs at least one input frame")
    for k, frame in enumerate(frames):
        if is_dask(frame):
            raise GeoValueError(
                f"input {k + 1} is a Dask frame: merge runs in memory, because the best-first one-to-one "
                "matching must see every candidate of a record, and a record's duplicate can sit in any "
                "partition; a million records merge in memory in seconds (benchmarks/bench_pairs_merge.py): "
                "select a region or period and .compute() it first")
        if not isinstance(frame, gpd.GeoDataFrame):
            raise GeoValueError(f"input {k + 1} must be a GeoDataFrame, not {type(frame).__name__}")
    if not isinstance(days, numbers.Real) or not math.isfinite(days) or days < 0:
        raise GeoValueError(f"days must be a non-negative number of days, such as 1; not {days!r}")
    if not isinstance(km, numbers.Real) or not math.isfinite(km) or km <= 0:
        raise GeoValueError(f"km must be a positive number of km, such as 5; not {km!r}")
    labels = [f"input{k + 1}" for k in range(len(frames))] if names is None else [str(n) for n in names]
    if len(labels) != len(frames):
        raise GeoValueError(f"names must give one name per input: {len(frames)} inputs, {len(labels)} names")
    if len(set(labels)) != len(labels):
        raise GeoValueError(f"names must be distinct, not {labels!r}")
    return labels


def merge_sources(
    *frames: gpd.GeoDataFrame,
    days: float = 1,
    km: float = 5,
    taxonomy: Taxonomy | None = None,
    within: bool = False,
    names: Sequence[str] | None = None,
    progress: bool | None = None,
) -> MergeResult:
    """Merge incident frames into one record per event, with the matches and the counts.

    Parameters
    ----------
    *frames : GeoDataFrame
        The inputs, each in the incident schema (as :func:`geo.read_incidents` gives
        them; ``id``, ``date``, ``event_type``, ``precision_km`` and ``fatalities`` are
        used when present), point geometries in any CRS.
    days : float
        Temporal window: dates at most this many days apart.
    km : float
        Spatial window in km (geodesic), widened by each record's precision (see the
        module notes).
    taxonomy : Taxonomy, optional
        Compatible categories; by default :func:`geo.analysis.taxonomy.default_taxonomy`.
    within : bool
        Also de-duplicate inside each input.
    names : list of str, optional
        A distinct name per input for ``sources`` (file names on the command line);
        by default ``input1``, ``input2``, ...
    progress : bool, optional
        A bar "merging" on a terminal, a step per input and one for the assembly (see
        :mod:`geo.progress`); None follows ``geo.progress.DEFAULT``, off in Python.

    Returns
    -------
    MergeResult
        ``events``, ``matches`` and ``counts``.
    """
    labels = _check(frames, names, days, km)
    days, km = float(days), float(km)
    taxonomy = taxonomy or default_taxonomy()
    frames = tuple(f if f.crs is not None and f.crs.equals("EPSG:4326") else f.to_crs("EPSG:4326") for f in frames)
    rec = _Records(frames, labels)
    clusters = _Clusters(rec)
    matched: list[tuple[_Edges, str]] = []

    def join(edges: _Edges, kind: str) -> int:
        taken = edges.take(one_to_one(edges.a, edges.b, edges.score))
        clusters.join(taken.a, taken.b)
        matched.append((taken, kind))
        return len(taken.a)

    with bar("merging", len(frames) + 1, unit="steps", enabled=progress) as step:
        for k in range(len(frames)):
            rows = np.arange(rec.starts[k], rec.starts[k + 1])
            while within:
                chosen = clusters.chosen[np.unique(clusters.label[rows])]
                if not join(_candidates(rec, chosen, None, km, days, taxonomy), "within input"):
                    break
                clusters.chosen = _chosen_records(rec, clusters.label)
            if k:
                before = clusters.chosen[np.unique(clusters.label[: rec.starts[k]])]
                new = clusters.chosen[np.unique(clusters.label[rows])]
                join(_candidates(rec, before, new, km, days, taxonomy), "across inputs")
                clusters.chosen = _chosen_records(rec, clusters.label)
            step.advance()
        unplaced = ~(np.isfinite(rec.lon) & np.isfinite(rec.day))
        if unplaced.any():
            logger.info("%d record(s) without a whole-day date or a location matched nothing and pass through",
                        int(unplaced.sum()))
        merged = _assemble(frames, rec, clusters, matched)
        step.advance()
    return merged


def merge(
    *frames: gpd.GeoDataFrame,
    days: float = 1,
    km: float = 5,
    taxonomy: Taxonomy | None = None,
    within: bool = False,
    names: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """Merge incident frames into one record per event (:func:`merge_sources`' ``events``).

    The parameters are those of :func:`merge_sources`; the module notes give the rules.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> one = gpd.GeoDataFrame({"id": ["a"], "date": ["2024-01-16"]}, geometry=[Point(63.0, 27.0)], crs=4326)
    >>> two = gpd.GeoDataFrame({"id": ["b"], "date": ["2024-01-17"]}, geometry=[Point(63.03, 27.0)], crs=4326)
    >>> merge(one, two)["source_ids"].tolist(), merge(one, two, days=0)["source_ids"].tolist()
    (['a;b'], ['a', 'b'])
    """
    return merge_sources(*frames, days=days, km=km, taxonomy=taxonomy, within=within, names=names).events


def _chosen_records(rec: _Records, label: np.ndarray) -> np.ndarray:
    """For every event name, its member of the best precedence (others: the name itself)."""
    chosen = np.arange(len(label))
    order = np.lexsort((rec.rank, label))
    first = _run_starts(label[order])
    chosen[label[order][first]] = order[first]
    return chosen


def _whole(values: pd.Series) -> pd.Series:
    """Whole numbers as Int64, others as they are."""
    finite = values.dropna()
    return values.astype("Int64") if (finite == np.floor(finite)).all() else values


def _run_starts(values: np.ndarray) -> np.ndarray:
    """True where a run of equal values begins, in a sorted array."""
    first = np.ones(len(values), dtype=bool)
    first[1:] = values[1:] != values[:-1]
    return first


def _joined(values: np.ndarray, start: np.ndarray, size: np.ndarray) -> pd.Series:
    """``values`` of each run ``start[k] .. start[k] + size[k]`` joined by ';', vectorised."""
    text = pd.Series(values, dtype="string").fillna("")
    out = text.iloc[start].reset_index(drop=True)
    for r in range(1, int(size.max()) if len(size) else 0):
        more = size > r
        out[more] = out[more] + ";" + text.iloc[start[more] + r].to_numpy()
    return out


def _lists(values: np.ndarray, start: np.ndarray, size: np.ndarray) -> pd.Series:
    """``values`` of each run ``start[k] .. start[k] + size[k]`` as a list (Arrow, from offsets)."""
    index = np.repeat(start, size) + (np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size))
    offsets = pa.array(np.r_[0, np.cumsum(size)].astype(np.int32))
    lists = pa.ListArray.from_arrays(offsets, pa.array(values[index], type=pa.string()))
    return pd.Series(lists, dtype=pd.ArrowDtype(lists.type))


@dataclass(frozen=True)
class _Events:
    """The merged events: members grouped by event, in the order of each event's first record."""

    members: np.ndarray  # stacked record numbers, grouped by event
    start: np.ndarray  # where each event's members begin in ``members``
    size: np.ndarray  # how many members each event has
    name: np.ndarray  # each event's cluster label
    pick: np.ndarray  # the record each event takes its fields from


def _events(rec: _Records, label: np.ndarray) -> _Events:
    chosen = _chosen_records(rec, label)
    order = np.lexsort((np.arange(len(label)), label))
    start = np.flatnonzero(_run_starts(label[order]))
    size = np.diff(np.r_[start, len(order)])
    event_order = np.argsort(order[start], kind="stable")
    start, size = start[event_order], size[event_order]
    name = label[order[start]]
    return _Events(members=order, start=start, size=size, name=name, pick=chosen[name])


def _merged_records(frames: Sequence[gpd.GeoDataFrame], rec: _Records, ev: _Events) -> gpd.GeoDataFrame:
    """One record per event: the chosen record's fields, every member's ids, sources and fatalities."""
    stacked = pd.concat([pd.DataFrame(f) for f in frames], ignore_index=True) if frames else pd.DataFrame()
    geometry_name = frames[0].geometry.name if frames else "geometry"
    geoms = pd.concat([f.geometry.rename("geometry").reset_index(drop=True) for f in frames], ignore_index=True)
    stacked = stacked.drop(columns=[c for c in {f.geometry.name for f in frames} if c in stacked.columns])
    events = stacked.iloc[ev.pick].reset_index(drop=True)
    if "sources" in events.columns:
        events = events.rename(columns={"sources": "citations"})
    names = np.array(rec.names, dtype=object)
    fatal = _whole(rec.fatalities).astype("string")
    ids = pd.Series(rec.ids[ev.pick], dtype="string")
    clash = ids.duplicated(keep=False)
    ids = ids.where(~clash, pd.Series(names[rec.input_no[ev.pick]], dtype="string") + ":" + ids)
    extra = {
        "id": ids,
        "source_ids": _joined(rec.ids[ev.members], ev.start, ev.size),
        "sources": _lists(names[rec.input_no[ev.members]], ev.start, ev.size),
        "fatalities": _whole(rec.fatalities).iloc[ev.pick].reset_index(drop=True),
        "fatalities_by_source": _joined(fatal.to_numpy(dtype=object)[ev.members], ev.start, ev.size),
    }
    rest = [c for c in events.columns if c not in extra]
    out = pd.concat([pd.DataFrame(extra), events[rest]], axis=1)
    out_geometry = gpd.GeoSeries(geoms.iloc[ev.pick].to_numpy(), crs="EPSG:4326")
    result = gpd.GeoDataFrame(out, geometry=out_geometry, crs="EPSG:4326")
    return result.rename_geometry(geometry_name) if geometry_name != "geometry" else result


def _match_table(rec: _Records, label: np.ndarray, ev: _Events, merged_ids: np.ndarray,
                 matched: list[tuple[_Edges, str]]) -> pd.DataFrame:
    """Every pair of records matched, with the id of the output record they went to."""
    names = np.array(rec.names, dtype=object)
    output_of = np.empty(len(label), dtype=np.int64)  # which output record each event name went to
    output_of[ev.name] = np.arange(len(ev.name))
    tables = []
    for edges, kind in matched:
        if not len(edges.a):
            continue
        tables.append(pd.DataFrame({
            "id_a": rec.ids[edges.a], "source_a": names[rec.input_no[edges.a]],
            "id_b": rec.ids[edges.b], "source_b": names[rec.input_no[edges.b]],
            "km": edges.km, "days": edges.days.astype(np.int64), "window_km": edges.window,
            "score": edges.score, "rule": edges.rule, "kind": kind,
            "merged_id": merged_ids[output_of[label[edges.a]]],
        }))
    return (pd.concat(tables, ignore_index=True) if tables
            else pd.DataFrame({c: pd.Series(dtype=object) for c in MATCH_COLUMNS}))[list(MATCH_COLUMNS)]


def _input_counts(rec: _Records, label: np.ndarray, pick: np.ndarray) -> pd.DataFrame:
    """Per input: records read, matched, passed through, written and merged away."""
    in_group = np.bincount(label, minlength=len(label))[label] > 1
    k = len(rec.names)
    read = np.bincount(rec.input_no, minlength=k)
    out_k = np.bincount(rec.input_no[pick], minlength=k)
    matched_k = np.bincount(rec.input_no[in_group], minlength=k)
    return pd.DataFrame({"input": rec.names, "read": read, "matched": matched_k, "passed_through": read - matched_k,
                         "out": out_k, "merged_away": read - out_k})[list(COUNT_COLUMNS)]


def _assemble(frames: Sequence[gpd.GeoDataFrame], rec: _Records, clusters: _Clusters,
              matched: list[tuple[_Edges, str]]) -> MergeResult:
    label = clusters.label
    ev = _events(rec, label)
    result = _merged_records(frames, rec, ev)
    matches = _match_table(rec, label, ev, result["id"].to_numpy(dtype=object), matched)
    return MergeResult(result, matches, _input_counts(rec, label, ev.pick))
