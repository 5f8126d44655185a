"""geo.merge: duplicates across ACLED and UCDP found, one to one, best score first, nothing lost."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from _helpers import planted_exports
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

import geo
from geo.analysis.matching import MATCH_COLUMNS, merge_sources, one_to_one
from geo.analysis.taxonomy import Taxonomy
from geo.errors import GeoValueError
from geo.io.formats import ACLED_COLUMNS, UCDP_COLUMNS

WGS84 = Geodesic.WGS84
PANJGUR = (63.3316, 27.0296)


def _offset(lon_lat: tuple[float, float], km: float, azimuth: float = 90.0) -> tuple[float, float]:
    end = WGS84.Direct(lon_lat[1], lon_lat[0], azimuth, km * 1000.0)
    return end["lon2"], end["lat2"]


def _acled(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame({c: [""] * len(rows) for c in ACLED_COLUMNS})
    for k, row in enumerate(rows):
        for key, value in row.items():
            table.loc[k, key] = str(value)
    return table


def _ucdp(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame({c: [""] * len(rows) for c in UCDP_COLUMNS})
    for k, row in enumerate(rows):
        for key, value in row.items():
            table.loc[k, key] = str(value)
    return table


def _read(table: pd.DataFrame, path) -> gpd.GeoDataFrame:
    table.to_csv(path, index=False)
    return geo.read_incidents(path)


def _a(event_id: str, date: str, event_type: str, where: tuple[float, float], precision: int = 1,
       fatalities: int = 0) -> dict:
    return {"event_id_cnty": event_id, "event_date": date, "event_type": event_type, "longitude": where[0],
            "latitude": where[1], "geo_precision": precision, "fatalities": fatalities, "time_precision": 1}


def _u(event_id: str, date: str, violence: int, where: tuple[float, float], precision: int = 1,
       best: int = 0) -> dict:
    return {"id": event_id, "date_start": f"{date} 00:00:00.000", "type_of_violence": violence,
            "longitude": where[0], "latitude": where[1], "where_prec": precision, "best": best, "date_prec": 1}


@pytest.fixture
def hand_built(tmp_path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Three ACLED and three UCDP records: two known duplicates, two of each source alone."""
    quetta = (66.99, 30.18)
    acled = _read(_acled([
        _a("PAK1", "16 January 2024", "Explosions/Remote violence", PANJGUR, 1, 2),
        _a("PAK2", "2024-03-05", "Battles", quetta, 1, 4),
        _a("PAK3", "2024-03-05", "Protests", _offset(quetta, 0.5), 1, 0),   # beside PAK2, but a protest
    ]), tmp_path / "acled.csv")
    ucdp = _read(_ucdp([
        _u("9001", "2024-01-17", 3, _offset(PANJGUR, 2.5), 1, 3),           # PAK1, a day later
        _u("9002", "2024-03-04", 1, _offset(quetta, 1.0, 200), 1, 5),        # PAK2, a day earlier
        _u("9003", "2024-03-05", 3, _offset(quetta, 40.0), 1, 1),           # too far from all
    ]), tmp_path / "ucdp.csv")
    return acled, ucdp


def test_hand_built_duplicates(hand_built):
    acled, ucdp = hand_built
    result = merge_sources(acled, ucdp, names=["acled.csv", "ucdp.csv"])
    events = result.events
    assert events["source_ids"].tolist() == ["PAK1;9001", "PAK2;9002", "PAK3", "9003"]
    assert events["sources"].tolist() == [["acled.csv", "ucdp.csv"], ["acled.csv", "ucdp.csv"], ["acled.csv"],
                                          ["ucdp.csv"]]
    # the most precise location wins (UCDP where_prec 1 is 1 km, ACLED geo_precision 1 is 2 km)
    assert events["id"].tolist() == ["9001", "9002", "PAK3", "9003"]
    assert events["fatalities"].tolist() == [3, 5, 0, 1]
    assert events["fatalities_by_source"].tolist() == ["2;3", "4;5", "0", "1"]
    assert events.geometry.iloc[0].equals(ucdp.geometry.iloc[0])
    matches = result.matches
    assert list(matches.columns) == list(MATCH_COLUMNS)
    assert matches[["id_a", "id_b", "days", "rule", "kind", "merged_id"]].values.tolist() == [
        ["PAK1", "9001", 1, "taxonomy: remote violence", "across inputs", "9001"],
        ["PAK2", "9002", 1, "taxonomy: armed clash", "across inputs", "9002"],
    ]
    assert matches["km"].tolist() == pytest.approx([2.5, 1.0], abs=1e-6)
    assert (matches["window_km"] == 5 + 2 + 1).all()
    assert result.counts.to_dict("list") == {
        "input": ["acled.csv", "ucdp.csv"], "read": [3, 3], "matched": [2, 2], "passed_through": [1, 1],
        "out": [1, 3], "merged_away": [2, 0],
    }


def test_each_record_matches_at_most_one_of_another_input_best_score_first():
    day = "2024-01-16"
    a1, a2 = PANJGUR, _offset(PANJGUR, 4.0)
    u1 = _offset(PANJGUR, 1.0)            # a1-u1 1 km: the best; a2-u1 3 km
    u2 = _offset(PANJGUR, 6.0)            # a2-u2 2 km, a1-u2 6 km
    u3 = _offset(PANJGUR, 0.5, 270)       # a1-u3 0.5 km, but only on the next day: score below a1-u1
    acled = _schema(["a1", "a2"], [day, day], [a1, a2])
    ucdp = _schema(["u1", "u2", "u3"], [day, day, "2024-01-17"], [u1, u2, u3])
    result = merge_sources(acled, ucdp)
    assert sorted(result.matches[["id_a", "id_b"]].itertuples(index=False, name=None)) == [("a1", "u1"), ("a2", "u2")]
    assert result.events["source_ids"].tolist() == ["a1;u1", "a2;u2", "u3"]


def _schema(ids, dates, where, event_type=None, precision_km=None) -> gpd.GeoDataFrame:
    n = len(ids)
    return gpd.GeoDataFrame({
        "id": ids, "date": dates, "event_type": event_type or ["Battles"] * n,
        "precision_km": precision_km or [0.0] * n, "fatalities": list(range(n)),
    }, geometry=[Point(*w) for w in where], crs="EPSG:4326")


def test_precision_widens_the_spatial_window():
    acled = _schema(["a"], ["2024-01-16"], [PANJGUR], precision_km=[25.0])
    ucdp = _schema(["u"], ["2024-01-16"], [_offset(PANJGUR, 20.0)], precision_km=[1.0])
    assert len(merge_sources(acled, ucdp).matches) == 1          # 20 km <= 5 + 25 + 1
    precise = acled.assign(precision_km=[2.0])
    assert merge_sources(precise, ucdp).matches.empty            # 20 km > 5 + 2 + 1
    capped = acled.assign(precision_km=[500.0])                  # counts as MAX_PRECISION_KM
    far = ucdp.set_geometry([Point(*_offset(PANJGUR, 60.0))], crs="EPSG:4326")
    assert merge_sources(capped, far).matches.empty              # 60 km > 5 + 50 + 1


def test_taxonomy_decides_and_can_be_replaced():
    acled = _schema(["a"], ["2024-01-16"], [PANJGUR], event_type=["Protests"])
    ucdp = _schema(["u"], ["2024-01-16"], [PANJGUR], event_type=["One-sided violence"])
    assert merge_sources(acled, ucdp).matches.empty
    mine = Taxonomy({"any": ("Protests", "One-sided violence")})
    assert merge_sources(acled, ucdp, taxonomy=mine).matches["rule"].tolist() == ["taxonomy: any"]


def test_planted_duplicates_recall_and_precision(tmp_path):
    raw_acled, raw_ucdp, truth = planted_exports(300, 100, 100, seed=1)
    acled = _read(raw_acled, tmp_path / "acled.csv")
    ucdp = _read(raw_ucdp, tmp_path / "ucdp.csv")
    assert (acled["precision_km"] == 2.0).all() and (ucdp["precision_km"] == 1.0).all()
    result = merge_sources(acled, ucdp, names=["acled.csv", "ucdp.csv"])
    found = set(result.matches[["id_a", "id_b"]].itertuples(index=False, name=None))
    hits = len(found & truth)
    assert hits / len(truth) >= 0.95, "recall"
    assert hits / len(found) >= 0.95, "precision"
    _check_invariants([acled, ucdp], result, ["acled.csv", "ucdp.csv"])


def _check_invariants(frames, result, names, one_to_one_across=True):
    """Every input id in exactly one output source_ids; at most one record per input per event."""
    listed = result.events["source_ids"].str.split(";").explode()
    sources = result.events["sources"].explode()
    pairs = sorted(zip(sources, listed, strict=True))
    expected = sorted((name, i) for name, f in zip(names, frames, strict=True) for i in f["id"])
    assert pairs == expected
    if one_to_one_across:
        per_event = pd.DataFrame({"event": sources.index, "source": sources.to_numpy()})
        assert not per_event.duplicated().any()
    counts = result.counts
    assert (counts["read"] == counts["out"] + counts["merged_away"]).all()
    assert (counts["read"] == counts["matched"] + counts["passed_through"]).all()
    assert counts["out"].sum() == len(result.events)
    assert counts["read"].tolist() == [len(f) for f in frames]


def test_three_inputs_and_within():
    day = "2024-01-16"
    one = _schema(["a1", "a2"], [day, day], [PANJGUR, _offset(PANJGUR, 0.3, 270)])  # one event twice
    two = _schema(["b1"], [day], [_offset(PANJGUR, 1.0)])
    three = _schema(["c1", "c2"], [day, day], [_offset(PANJGUR, 1.5), _offset(PANJGUR, 80)])
    plain = merge_sources(one, two, three, names=["one", "two", "three"])
    assert plain.events["source_ids"].tolist() == ["a1;b1;c1", "a2", "c2"]
    _check_invariants([one, two, three], plain, ["one", "two", "three"])
    within = merge_sources(one, two, three, within=True, names=["one", "two", "three"])
    assert within.events["source_ids"].tolist() == ["a1;a2;b1;c1", "c2"]
    assert within.matches["kind"].tolist() == ["within input", "across inputs", "across inputs"]
    _check_invariants([one, two, three], within, ["one", "two", "three"], one_to_one_across=False)


def test_records_without_date_or_location_pass_through():
    frame = _schema(["a", "b"], ["2024-01-16", None], [PANJGUR, PANJGUR])
    other = _schema(["c"], ["2024-01-16"], [PANJGUR])
    other.loc[0, "geometry"] = None
    result = merge_sources(frame, other)
    assert result.events["source_ids"].tolist() == ["a", "b", "c"]


def test_clashing_ids_are_prefixed_with_their_input():
    one = _schema(["5"], ["2024-01-16"], [PANJGUR])
    two = _schema(["5"], ["2024-05-16"], [PANJGUR])
    assert geo.merge(one, two, names=["acled", "ucdp"])["id"].tolist() == ["acled:5", "ucdp:5"]


def test_bad_arguments():
    frame = _schema(["a"], ["2024-01-16"], [PANJGUR])
    with pytest.raises(GeoValueError, match="names must be distinct"):
        geo.merge(frame, frame, names=["x", "x"])
    with pytest.raises(GeoValueError, match="km must be a positive number"):
        geo.merge(frame, frame, km=0)
    with pytest.raises(GeoValueError, match="input 2 must be a GeoDataFrame"):
        geo.merge(frame, pd.DataFrame())


def test_dask_input_says_why_merge_runs_in_memory():
    dask_geopandas = pytest.importorskip("dask_geopandas")
    frame = _schema(["a"], ["2024-01-16"], [PANJGUR])
    with pytest.raises(GeoValueError, match="merge runs in memory, because the best-first one-to-one"):
        geo.merge(frame, dask_geopandas.from_geopandas(frame, npartitions=1))


def _sequential_greedy(a, b, score):
    order = sorted(range(len(a)), key=lambda e: (-score[e], a[e], b[e]))
    used, taken = set(), [False] * len(a)
    for e in order:
        if a[e] not in used and b[e] not in used:
            taken[e] = True
            used.update((a[e], b[e]))
    return taken


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 6)), max_size=4000))
def test_one_to_one_is_the_greedy_matching(edges):
    edges = [(a, b, s) for a, b, s in edges if a != b]
    a = np.array([e[0] for e in edges], dtype=np.int64)
    b = np.array([e[1] for e in edges], dtype=np.int64)
    score = np.array([e[2] / 6 for e in edges])
    assert one_to_one(a, b, score).tolist() == _sequential_greedy(a, b, score)


def test_one_to_one_in_rounds_on_many_candidates():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3000, 20000)
    b = rng.integers(3000, 6000, 20000)
    score = rng.random(20000).round(2)  # many ties
    assert one_to_one(a, b, score).tolist() == _sequential_greedy(a.tolist(), b.tolist(), score.tolist())


record = st.tuples(st.floats(0, 0.08), st.floats(0, 0.08), st.integers(0, 3),
                   st.sampled_from(["Battles", "Protests", "One-sided violence", None]),
                   st.sampled_from([0.0, 2.0, 25.0]), st.booleans())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(record, max_size=25), min_size=1, max_size=3), st.booleans())
def test_no_record_is_lost_property(inputs, within):
    frames = []
    for k, rows in enumerate(inputs):
        frames.append(gpd.GeoDataFrame({
            "id": [f"r{k}-{i}" for i in range(len(rows))],
            "date": [None if r[5] and i % 5 == 4 else f"2024-01-{10 + r[2]:02d}" for i, r in enumerate(rows)],
            "event_type": [r[3] for r in rows], "precision_km": [r[4] for r in rows],
        }, geometry=[Point(63.0 + r[0], 27.0 + r[1]) for r in rows], crs="EPSG:4326"))
    names = [f"in{k}" for k in range(len(frames))]
    result = merge_sources(*frames, within=within, names=names)
    _check_invariants(frames, result, names, one_to_one_across=not within)
    for row in result.matches.itertuples():
        assert row.km <= row.window_km and row.days <= 1
