"""Tests of geo.synthetic: layout, taxonomy, realism, country consistency and read-back.

Expectations come from ACLED's documentation (typed here), from the generator's stated
laws computed independently (Rayleigh medians, town weights), from GeographicLib-grade
geodesics (pyproj Geod) and from the package's own boundaries and readers.
"""

from __future__ import annotations

import ast
import cProfile
import importlib.util
import math
import pstats
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

import geo
from geo import synthetic
from geo.errors import GeoValueError
from geo.geodesy import distance
from geo.io import formats
from geo.reference import boundaries

REPO = Path(__file__).resolve().parent.parent
GEOD = Geod(ellps="WGS84")

# ACLED Codebook (2023-2025): the export's columns, in order
ACLED_CODEBOOK_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]
# ACLED Codebook: event types and their sub-event types
ACLED_TAXONOMY = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
# ACLED's inter labels with their numeric codes (API interaction codes: 12 = "State forces-Rebel group")
INTER_CODES = {"State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4,
               "Rioters": 5, "Protesters": 6, "Civilians": 7, "External/Other forces": 8}


@pytest.fixture(scope="module")
def export() -> pd.DataFrame:
    return synthetic.acled_export(20_000, seed=11)


@pytest.fixture(scope="module")
def town_of(export: pd.DataFrame) -> pd.DataFrame:
    return synthetic.towns().set_index("name").loc[export["location"]].reset_index()


def test_same_seed_same_table_other_seed_other_table():
    a, b = synthetic.acled_export(3000, seed=5), synthetic.acled_export(3000, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(synthetic.acled_export(3000, seed=6))
    pd.testing.assert_frame_equal(synthetic.synthetic_incidents(500, seed=2), synthetic.synthetic_incidents(500, seed=2))


def test_columns_are_acleds_in_order(export):
    assert list(export.columns) == ACLED_CODEBOOK_COLUMNS == list(formats.ACLED_COLUMNS)
    integers = ["year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp"]
    assert all(export[c].dtype == np.int64 for c in integers)
    assert export["latitude"].dtype == export["longitude"].dtype == np.float64
    assert formats.detect_layout(export.columns) == "acled"


def test_taxonomy_disorder_and_interactions_follow_the_codebook(export):
    pairs = export[["event_type", "sub_event_type"]].drop_duplicates()
    assert all(sub in ACLED_TAXONOMY[event] for event, sub in pairs.itertuples(index=False))
    subs = set(export["sub_event_type"])
    for wanted in ("Air/drone strike", "Suicide bomb", "Remote explosive/landmine/IED", "Armed clash", "Attack",
                   "Abduction/forced disappearance", "Peaceful protest", "Arrests"):
        assert wanted in subs
    assert set(export["event_type"]) == set(ACLED_TAXONOMY)
    expected_disorder = np.select(
        [export["sub_event_type"] == "Excessive force against protesters", export["sub_event_type"] == "Mob violence",
         export["event_type"].isin(["Protests", "Riots"]), export["event_type"] == "Strategic developments"],
        ["Political violence; Demonstrations", "Political violence", "Demonstrations", "Strategic developments"],
        "Political violence")
    assert (export["disorder_type"] == expected_disorder).all()
    # the interaction names both actor types in code order ("... only" when alone); 78 is the exception
    for inter1, inter2, interaction in export[["inter1", "inter2", "interaction"]].drop_duplicates().itertuples(index=False):
        assert inter1 in INTER_CODES
        if pd.isna(inter2):
            assert interaction == f"{inter1} only"
            continue
        low, high = sorted((inter1, inter2), key=INTER_CODES.__getitem__)
        assert interaction == ("External/Other forces-Civilians" if (INTER_CODES[low], INTER_CODES[high]) == (7, 8)
                               else f"{low}-{high}")
    assert (export["actor2"].isna() == export["inter2"].isna()).all()
    vac = export["event_type"] == "Violence against civilians"
    assert (export.loc[vac, "civilian_targeting"] == "Civilian targeting").all()
    assert export.loc[export["event_type"] == "Battles", "civilian_targeting"].isna().all()


def test_codes_ids_dates_and_countries(export):
    assert set(export["time_precision"]) <= {1, 2, 3} and (export["time_precision"] == 1).mean() > 0.8
    assert set(export["geo_precision"]) == {1, 2, 3} and (export["geo_precision"] == 1).mean() > 0.6
    pak = export["country"] == "Pakistan"
    assert set(export["country"]) == {"Pakistan", "Iran"}
    assert (export["iso"] == np.where(pak, 586, 364)).all()
    assert (export["admin1"] == np.where(pak, "Balochistan", "Sistan and Baluchestan")).all()
    assert (export["region"] == np.where(pak, "South Asia", "Middle East")).all()
    assert export["event_id_cnty"].is_unique
    assert export["event_id_cnty"].str.fullmatch(r"(PAK|IRN)\d+").all()
    assert (export["event_id_cnty"].str[:3] == np.where(pak, "PAK", "IRN")).all()
    dates = pd.to_datetime(export["event_date"], format="%Y-%m-%d")
    assert dates.between("2016-01-01", "2024-12-31").all() and (dates.dt.year == export["year"]).all()
    assert dates.is_monotonic_decreasing  # newest first, as ACLED exports come
    assert (export["timestamp"] > dates.astype("datetime64[s]").astype(np.int64)).all()
    assert export["source"].nunique() > 10 and export["source"].str.contains("; ").any()
    assert export.loc[export["event_type"] == "Protests", "tags"].str.startswith("crowd size=").all()


def test_dates_rise_over_the_years_with_bursts(export):
    month = pd.to_datetime(export["event_date"]).dt.to_period("M")
    pak = export[export["country"] == "Pakistan"]
    per_year = pak["year"].value_counts()
    assert 2.5 < per_year[2024] / per_year[2016] < 8  # 18 % a year over 8.5 years, plus the 2024 bursts
    counts = month.value_counts()
    mean_2023 = counts[[p for p in counts.index if p.year == 2023]].mean()
    assert counts[pd.Period("2024-01", "M")] > 1.8 * mean_2023  # the strikes of 16-18 January 2024
    iran_protests = export[(export["country"] == "Iran") & (export["event_type"] == "Protests")]
    protest_months = pd.to_datetime(iran_protests["event_date"]).dt.to_period("M").value_counts()
    assert protest_months[pd.Period("2022-10", "M")] > 4 * protest_months[pd.Period("2021-10", "M")]


def test_fatalities_heavy_tailed_and_tied_to_the_event(export):
    deaths = export["fatalities"]
    assert deaths.min() == 0 and (deaths <= 2).mean() > 0.85 and deaths.max() >= 20
    mean = deaths.groupby(export["sub_event_type"]).mean()
    assert mean["Suicide bomb"] > 2 * mean["Armed clash"] > 0
    assert mean["Armed clash"] > 10 * mean["Peaceful protest"]
    assert (deaths[export["sub_event_type"] == "Arrests"] == 0).all()
    stated = export["notes"].str.extract(r"(\d+) (?:person was|people were) killed")[0].astype(float).fillna(0)
    assert (stated == deaths).all()



def test_each_note_tells_its_own_rows_date_place_and_crowd(export):
    """The note's parts, built once per distinct value, land on their own row."""
    dates = pd.to_datetime(export["event_date"], format="%Y-%m-%d")
    opening = "On " + dates.dt.day.astype(str) + " " + dates.dt.month_name() + " " + dates.dt.year.astype(str) + ", "
    assert all(n.startswith(o) for n, o in zip(export["notes"], opening, strict=True))
    place = " in " + export["location"] + ", " + export["admin2"] + " (" + export["admin1"] + ")"
    assert all(p in n for n, p in zip(export["notes"], place, strict=True))
    crowd = export["notes"].str.extract(r"\[size=([^\]]+)\]")[0]
    tagged = export["tags"].str.removeprefix("crowd size=")
    assert crowd.notna().sum() > 100
    pd.testing.assert_series_equal(crowd.fillna("-"), tagged.fillna("-").astype(object), check_names=False,
                                   check_dtype=False)


@pytest.mark.parametrize("precision", [1, 2, 3])
def test_jitter_grows_with_precision_as_a_rayleigh_law(export, town_of, precision):
    rows = (export["geo_precision"] == precision).to_numpy()
    _, _, metres = GEOD.inv(town_of["longitude"][rows].to_numpy(), town_of["latitude"][rows].to_numpy(),
                            export["longitude"][rows].to_numpy(), export["latitude"][rows].to_numpy())
    sigma_km = synthetic.JITTER_KM[precision - 1]
    rayleigh_median = sigma_km * math.sqrt(2 * math.log(2))  # 0.29, 7.1 and 23.5 km
    assert np.median(metres) / 1000 == pytest.approx(rayleigh_median, rel=0.12)
    assert np.percentile(metres, 95) / 1000 < 3.2 * sigma_km  # Rayleigh 95th percentile: 2.45 sigma


def test_towns_match_the_gazetteer_and_the_border():
    table = synthetic.towns()
    assert 30 <= len(table) <= 40 and set(table["country"]) == {"PAK", "IRN"}
    gazetteer = pd.read_csv(REPO / "data" / "gazetteer" / "gazetteer.csv").set_index("id")
    source = gazetteer.loc[table["source_id"]]
    assert np.allclose(source["latitude"], table["latitude"], atol=1e-5)
    assert np.allclose(source["longitude"], table["longitude"], atol=1e-5)
    assert (source["country"].to_numpy() == table["country"].to_numpy()).all()
    points = gpd.GeoSeries(gpd.points_from_xy(table["longitude"], table["latitude"]), crs="EPSG:4326")
    assert np.allclose(distance.border_distance(points).to_numpy(), table["border_km"], atol=0.1)
    # room_km never exceeds the geodesic distance from the town to its province's edge
    focus = boundaries.provinces().query("focus").set_index("country")
    for town in table.itertuples():
        edge = shapely.segmentize(focus.loc[town.country, "geometry"].exterior, 0.001)
        x, y = np.asarray(edge.coords).T
        _, _, metres = GEOD.inv(np.full(len(x), town.longitude), np.full(len(x), town.latitude), x, y)
        assert town.room_km <= metres.min() / 1000 + 0.01, town.name


def test_border_towns_are_drawn_more_often():
    # before the first burst, events fall on the towns in proportion to activity * exp(-border_km / 80)
    export = synthetic.acled_export(40_000, seed=3, start="2016-01-01", end="2021-12-31")
    table = synthetic.towns()
    for iso3, name in (("PAK", "Pakistan"), ("IRN", "Iran")):
        towns = table[table["country"] == iso3]
        weight = towns["activity"] * np.exp(-towns["border_km"] / 80.0)
        near = towns["border_km"] < 50
        expected = weight[near].sum() / weight.sum()
        got = export.loc[export["country"] == name, "location"].isin(towns.loc[near, "name"]).mean()
        assert got == pytest.approx(expected, abs=0.02)
        assert expected > 1.5 * (towns.loc[near, "activity"].sum() / towns["activity"].sum())
    # measured geodesically against the real border: far closer than without the border weighting
    points = gpd.GeoSeries(gpd.points_from_xy(export["longitude"], export["latitude"]), crs="EPSG:4326")
    median_km = distance.border_distance(points).median()
    by_activity = np.repeat(table["border_km"].to_numpy(), (table["activity"] * 100).astype(int))
    assert median_km < 60 < np.median(by_activity)


def test_points_stay_in_their_province_and_country(export):
    pak = (export["country"] == "Pakistan").to_numpy()
    lon, lat = export["longitude"].to_numpy(), export["latitude"].to_numpy()
    assert ((lon < 60.8) & (lat < 27) & pak).mean() == 0  # the coarse check: nothing Pakistani west of Chabahar
    focus = boundaries.provinces().query("focus").set_index("name")
    for name, polygon in focus.geometry.items():
        rows = (export["admin1"] == name).to_numpy()
        assert shapely.contains_xy(polygon, lon[rows], lat[rows]).all(), name
    south = lat < 29.8  # north of the Afghan tripoint the border's sides are not defined
    near = distance.nearest_border_points(gpd.GeoSeries(gpd.points_from_xy(lon[south], lat[south]), crs="EPSG:4326"))
    assert (near["border_left"].to_numpy(dtype=bool) == pak[south]).all()  # Pakistan lies left of the line


def test_drawing_areas_lie_inside_their_province_off_the_border():
    focus = boundaries.provinces().query("focus").set_index("country")
    for iso3, area in synthetic.drawing_areas().items():
        assert area.is_valid and area.within(focus.loc[iso3, "geometry"])
        ring = np.asarray(shapely.segmentize(area.exterior, 0.005).coords)
        points = gpd.GeoSeries(gpd.points_from_xy(ring[:, 0], ring[:, 1]), crs="EPSG:4326")
        assert distance.border_distance(points).min() > 0.3, iso3


def test_notes_carry_untrusted_text_through_the_reader(tmp_path):
    export = synthetic.acled_export(6000, seed=8)
    notes = export["notes"]
    assert notes.str.startswith("On ").all()
    for character in ('"', "&", "<", "`", "'"):
        assert notes.str.contains(character, regex=False).any(), character
    path = tmp_path / "export.csv"
    export.to_csv(path, index=False)
    assert geo.read_incidents(path)["summary"].tolist() == notes.tolist()


@pytest.mark.parametrize("n", [8, 6000])
def test_read_back_as_acled_with_zero_rejects(tmp_path, n):
    path = tmp_path / "export.csv"
    synthetic.acled_export(n, seed=n).to_csv(path, index=False)
    result = geo.read_incidents_checked(path)
    assert result.layout == "acled"
    assert result.summary() == f"read {n}, processed {n}, rejected 0"
    assert result.warnings == []


def test_synthetic_incidents_are_what_the_reader_makes_of_the_csv(tmp_path):
    path = tmp_path / "export.csv"
    synthetic.acled_export(2000, seed=4).to_csv(path, index=False)
    incidents = synthetic.synthetic_incidents(2000, seed=4)
    pd.testing.assert_frame_equal(pd.DataFrame(incidents), pd.DataFrame(geo.read_incidents(path)))
    assert list(incidents.columns[: len(formats.SCHEMA)]) == list(formats.SCHEMA)
    assert set(incidents["date_precision"]) <= {"day", "week", "month"}
    assert (incidents["precision_km"] == incidents["geo_precision"].map(formats.ACLED_PRECISION_KM)).all()


def test_empty_and_bad_arguments():
    assert synthetic.acled_export(0).columns.tolist() == ACLED_CODEBOOK_COLUMNS
    empty = synthetic.synthetic_incidents(0)
    assert len(empty) == 0 and empty.crs.to_epsg() == 4326 and "id" in empty.columns
    cases = [({"n": -1}, "n must be a whole number >= 0, not -1"), ({"n": 2.5}, "not 2.5"), ({"n": True}, "not True"),
             ({"n": 5, "seed": "x"}, "seed must be a whole number"),
             ({"n": 5, "start": "soon"}, "start must be a date such as '2016-01-01', not 'soon'"),
             ({"n": 5, "start": "2024-02-01", "end": "2024-01-01"}, "end '2024-01-01' is before start")]
    for kwargs, message in cases:
        n = kwargs.pop("n")
        with pytest.raises(GeoValueError, match=re.escape(message)):
            synthetic.acled_export(n, **kwargs)
    one_day = synthetic.acled_export(50, seed=1, start="2024-01-16", end="2024-01-16")
    assert set(one_day["event_date"]) == {"2024-01-16"}


def test_work_does_not_grow_with_the_number_of_events():
    """Vectorised: the Python function calls made are the same for 2,000 and 50,000 events."""
    synthetic.acled_export(100)  # load the tables once

    def calls(n: int) -> int:
        profile = cProfile.Profile()
        profile.runcall(synthetic.acled_export, n, seed=9)
        return pstats.Stats(profile).total_calls  # type: ignore[attr-defined]

    small, large = calls(2000), calls(50_000)
    assert abs(large - small) <= 0.02 * small


def test_module_imports_only_the_base_layer():
    tree = ast.parse((REPO / "geo" / "synthetic.py").read_text())
    top = {alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
    top |= {node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module}
    assert top <= {"__future__", "dataclasses", "functools", "tomllib", "pathlib", "typing", "geopandas", "numpy", "pandas",
                   "shapely", "geo.errors", "geo.settings"}


def test_script_writes_each_format(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("make_synthetic", REPO / "scripts" / "make_synthetic.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for suffix in ("csv", "geojson", "parquet"):
        out = tmp_path / f"events.{suffix}"
        assert script.main(["--events", "300", "--seed", "2", "-o", str(out)]) == 0
        result = geo.read_incidents_checked(out)
        assert result.summary() == "read 300, processed 300, rejected 0", suffix
        assert result.frame["id"].tolist() == synthetic.acled_export(300, seed=2)["event_id_cnty"].tolist()
    assert "wrote 300 synthetic events" in capsys.readouterr().out
    assert script.main(["--events", "-1", "-o", str(tmp_path / "x.csv")]) == 1
    with pytest.raises(SystemExit) as exit_info:
        script.main(["-o", str(tmp_path / "x.txt")])
    assert exit_info.value.code == 2
