"""geo.analysis.taxonomy: which categories are compatible, and user taxonomies from CSV."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis.taxonomy import DEFAULT_TAXONOMY, default_taxonomy, read_taxonomy
from geo.errors import DataError, InputFileError
from geo.io.formats import UCDP_VIOLENCE

ACLED_TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments"]


def test_default_names_every_ucdp_type_as_geo_reads_it():
    members = {m for group in DEFAULT_TAXONOMY.values() for m in group}
    assert set(UCDP_VIOLENCE.values()) <= members
    assert {"Battles", "Explosions/Remote violence", "Violence against civilians"} <= members


def test_default_pairs_of_acled_and_ucdp():
    acled, ucdp = zip(*[(a, u) for a in ACLED_TYPES for u in UCDP_VIOLENCE.values()], strict=True)
    ok, _ = default_taxonomy().compatible(pd.Series(acled), pd.Series(ucdp))
    allowed = {(a, u) for a, u, good in zip(acled, ucdp, ok, strict=True) if good}
    assert allowed == {
        ("Battles", "State-based conflict"), ("Battles", "Non-state conflict"),
        ("Explosions/Remote violence", "State-based conflict"), ("Explosions/Remote violence", "Non-state conflict"),
        ("Explosions/Remote violence", "One-sided violence"), ("Violence against civilians", "One-sided violence"),
    }


def test_rules_in_order_of_precedence():
    ok, rule = default_taxonomy().compatible(
        pd.Series(["Battles", " battles ", None, "Protests", "One-sided violence"]),
        pd.Series(["Battles", "BATTLES", "Protests", "Riots", "Violence against civilians"]),
    )
    assert ok.tolist() == [True, True, True, False, True]
    assert rule.tolist() == ["same event type", "same event type", "no event type", None,
                             "taxonomy: violence against civilians"]


def test_read_taxonomy_replaces_the_default(tmp_path):
    path = tmp_path / "tax.csv"
    path.write_text("event_type,class\nProtests,unrest\nRiots,unrest\n", encoding="utf-8")
    tax = read_taxonomy(path)
    ok, rule = tax.compatible(pd.Series(["Protests", "Battles"]), pd.Series(["Riots", "State-based conflict"]))
    assert ok.tolist() == [True, False] and rule.tolist() == ["taxonomy: unrest", None]
    assert _round_trip(tmp_path) == dict(DEFAULT_TAXONOMY)


def _round_trip(tmp_path) -> dict:
    path = tmp_path / "default.csv"
    default_taxonomy().to_frame().to_csv(path, index=False)
    return dict(read_taxonomy(path).classes)


def test_bad_taxonomy_files(tmp_path):
    with pytest.raises(InputFileError, match="no such taxonomy file"):
        read_taxonomy(tmp_path / "none.csv")
    (tmp_path / "cols.csv").write_text("type,group\nBattles,x\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="missing event_type, class"):
        read_taxonomy(tmp_path / "cols.csv")
    (tmp_path / "blank.csv").write_text("event_type,class\nBattles,x\n,y\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"blank.csv: record 3: field 'event_type': empty cell"):
        read_taxonomy(tmp_path / "blank.csv")
