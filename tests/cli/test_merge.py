"""``geo merge`` through click's CliRunner: outputs, the match list, counts and rejects."""

from __future__ import annotations

import pandas as pd
from _helpers import planted_exports
from click.testing import CliRunner

import geo
from geo.cli.main import main


def _exports(tmp_path, seed=3):
    acled, ucdp, truth = planted_exports(40, 10, 5, seed=seed)
    a, u = tmp_path / "acled.csv", tmp_path / "ucdp.csv"
    acled.to_csv(a, index=False)
    ucdp.to_csv(u, index=False)
    return a, u, truth


def test_merge_writes_events_matches_and_counts(tmp_path):
    a, u, truth = _exports(tmp_path)
    out = tmp_path / "merged.geojson"
    result = CliRunner().invoke(main, ["merge", str(a), str(u), "-o", str(out)])
    assert result.exit_code == 0, result.output
    events = geo.read_incidents(out)
    matches = pd.read_csv(tmp_path / "merged.matches.csv", dtype={"id_b": str})
    found = set(matches[["id_a", "id_b"]].itertuples(index=False, name=None))
    assert len(found & truth) >= 0.95 * len(truth)
    lines = result.output.splitlines()
    n = len(matches)
    assert lines[0] == f"{a}: read 50, rejected 0, matched {n}, passed through {50 - n}, out {50 - n}, merged away {n}"
    assert lines[1] == f"{u}: read 45, rejected 0, matched {n}, passed through {45 - n}, out 45, merged away 0"
    assert lines[2].startswith(f"read 95 = rejected 0 + out {95 - n} + merged away {n}; {n} match(es) in ")
    assert len(events) == 95 - n
    ids = events["source_ids"].str.split(";").explode()
    assert len(ids) == 95 and ids.is_unique
    assert set(events["sources"].explode()) == {str(a), str(u)}  # a list, as the schema's field


def test_merge_rejects_go_to_one_file_with_the_input(tmp_path):
    a, u, _ = _exports(tmp_path)
    table = pd.read_csv(u, dtype=str, keep_default_na=False)
    table.loc[0, "latitude"] = "not a number"
    table.to_csv(u, index=False)
    out = tmp_path / "merged.csv"
    result = CliRunner().invoke(main, ["merge", str(a), str(u), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{u}: read 45, rejected 1," in result.output
    rejects = pd.read_csv(tmp_path / "merged.rejects.csv")
    assert rejects["input"].tolist() == [str(u)] and rejects["field"].tolist() == ["latitude"]
    assert out.exists()  # written, then the exit code tells of the rejects
    again = CliRunner().invoke(main, ["merge", str(a), str(u), "-o", str(out), "--allow-rejects"])
    assert again.exit_code == 0


def test_merge_taxonomy_and_within(tmp_path):
    a, u, _ = _exports(tmp_path)
    nothing = tmp_path / "tax.csv"
    nothing.write_text("event_type,class\nProtests,unrest\n", encoding="utf-8")
    out = tmp_path / "merged.csv"
    result = CliRunner().invoke(main, ["merge", str(a), str(u), "-o", str(out), "--taxonomy", str(nothing)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(tmp_path / "merged.matches.csv").empty  # no ACLED type shares a class with UCDP's
    alone = CliRunner().invoke(main, ["merge", str(a), "-o", str(out), "--within"])
    assert alone.exit_code == 0, alone.output


def test_merge_usage_errors(tmp_path):
    a, u, _ = _exports(tmp_path)
    runner = CliRunner()
    one = runner.invoke(main, ["merge", str(a), "-o", str(tmp_path / "m.csv")])
    assert one.exit_code == 2 and "at least two inputs" in one.output
    twice = runner.invoke(main, ["merge", str(a), str(a), "-o", str(tmp_path / "m.csv")])
    assert twice.exit_code == 2 and "given twice" in twice.output
    bad_tax = runner.invoke(main, ["merge", str(a), str(u), "-o", str(tmp_path / "m.csv"),
                                   "--taxonomy", str(tmp_path / "none.csv")])
    assert bad_tax.exit_code == 1 and "no such taxonomy file" in bad_tax.output
    assert not (tmp_path / "m.csv").exists()
