"""`geo analyze` and `geo summary` on the bad-input corpus in tests/data/bad/.

Each case gives its message (file, record, field), its exit code, and leaves no temporary
file behind; when the input cannot be read at all, a good output already in place is
untouched.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from geo.cli.main import main
from geo.io import rejects_path_for

BAD = Path(__file__).resolve().parent.parent / "data" / "bad"
GOOD_OUTPUT = '{"type":"FeatureCollection","features":[]}\n'


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _analyze(tmp_path: Path, name: str, *options: str, output: str = "out.geojson") -> tuple[Result, Path]:
    out = tmp_path / output
    return _run("analyze", str(BAD / name), "-o", str(out), *options), out


def _no_temp_files(folder: Path) -> None:
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


def _rejects(out: Path) -> list[dict[str, str]]:
    with rejects_path_for(out).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# file-level failures: one line, exit 1, nothing written, a good output untouched
FILE_ERRORS = [
    ("nothing-here.csv", "no such file"),
    ("malformed.geojson", "malformed JSON at line 6, column 4: Expecting ',' delimiter"),
    ("incidents.kml", "unknown format for extension '.kml'"),
    ("not_utf8.csv", "not UTF-8 text (byte 34 of the file)"),
    ("not_a_collection.geojson", "not a GeoJSON FeatureCollection or Feature (type 'Point')"),
    ("missing_columns.csv", "no coordinate columns"),
    ("duplicate_header.csv", "field 'lat': the header names column 'lat' twice (columns 3 and 5); rename or remove one"),
    ("deep_nesting.geojson", "not GeoJSON: arrays or objects nested too deeply to read"),
    ("empty.csv", "empty file (0 bytes), most likely a failed download; nothing was written"),
    ("empty.geojson", "empty file (0 bytes), most likely a failed download; nothing was written"),
    ("binary.csv", "binary data, not text (a NUL byte at byte 8); nothing was written"),
]


@pytest.mark.parametrize(("name", "message"), FILE_ERRORS, ids=[n for n, _ in FILE_ERRORS])
def test_unreadable_input_is_one_line_and_leaves_the_output_alone(tmp_path: Path, name: str, message: str) -> None:
    out = tmp_path / "out.geojson"
    out.write_text(GOOD_OUTPUT, encoding="utf-8")
    result, _ = _analyze(tmp_path, name)
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"geo: error: {BAD / name}: ") and message in line
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == GOOD_OUTPUT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.geojson"]


def test_verbose_shows_the_traceback_for_bad_input(tmp_path: Path) -> None:
    result = _run("-v", "analyze", str(BAD / "malformed.geojson"), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 1 and "Traceback" in result.stderr


# record-level problems: (file, rejected records as "record id field", reason fragments)
REJECTS = [
    ("missing_coords.csv", ["3 C-2 latitude", "4 C-3 longitude"], ["missing latitude", "non-numeric longitude 'east'"]),
    ("bad_geometry.geojson", ["2 B-2 geometry", "3 B-3 geometry", "4 B-4 geometry"],
     ["missing geometry (null)", 'non-numeric coordinates ["63.1", "north"]', "missing coordinates"]),
    ("out_of_range.csv", ["3 R-2 lat", "4 R-3 lng"], ["latitude -95.5 is outside -90..90", "longitude 262.33 is outside -180..180"]),
    ("swapped.csv", ["4 S-3 y"], ["latitude 120.5 is outside -90..90"]),
    ("bad_dates.csv", ["4 T-3 date", "5 T-4 date"], ["unparseable date 'Tuesday evening'", "unparseable date '2024-02-30'"]),
    ("bad_numbers.csv", ["3 N-2 fatalities", "4 N-3 fatalities", "5 N-4 precision_km"],
     ["not a number: 'nine'", "negative: -1", "not a number: 'wide'"]),
    ("duplicate_ids.geojson", ["3 D-1 id"], ["duplicate id 'D-1' (first at feature 1)"]),
    ("ragged.csv", ["3 W-2 (row)", "5 W-3 (row)"], ["5 fields where the header has 4", "3 fields where the header has 4"]),
    ("odd_fatalities.csv", [f"{n + 1} K-{n} fatalities" for n in range(1, 6)],
     ["not a number: 'many'", "negative: -3", "not a finite number: 'inf'", "not a number: 'NaN'",
      "larger than 9,007,199,254,740,992: '99999999999999999999999'"]),
]


@pytest.mark.parametrize(("name", "records", "reasons"), REJECTS, ids=[r[0] for r in REJECTS])
def test_rejected_records_are_named_written_and_exit_1(tmp_path: Path, name: str, records: list[str],
                                                       reasons: list[str]) -> None:
    result, out = _analyze(tmp_path, name)
    assert result.exit_code == 1, result.output
    unit = "feature" if name.endswith(".geojson") else "line"
    rows = _rejects(out)
    assert [f"{r['record']} {r['id']} {r['field']}" for r in rows] == records
    for row, reason in zip(rows, reasons, strict=True):
        assert reason in row["reason"]
        # the message on stderr names the file, the record and the field
        assert f"geo: rejected: {BAD / name}: {unit} {row['record']}" in result.stderr
        assert f"field {row['field']!r}: {row['reason']}" in result.stderr
    n_read = int(result.stdout.split()[1].rstrip(","))
    assert f"read {n_read}, processed {n_read - len(rows)}, rejected {len(rows)}" in result.stdout
    assert f"{len(rows)} of {n_read} records rejected" in result.stderr and "--allow-rejects" in result.stderr
    # the good records were analyzed and written
    written = json.loads(out.read_text(encoding="utf-8"))
    assert len(written["features"]) == n_read - len(rows)
    _no_temp_files(tmp_path)


def test_allow_rejects_exits_0_and_still_writes_them(tmp_path: Path) -> None:
    result, out = _analyze(tmp_path, "missing_coords.csv", "--allow-rejects")
    assert result.exit_code == 0, result.output
    assert len(_rejects(out)) == 2
    assert "read 3, processed 1, rejected 2 (see " in result.stdout


def test_rejects_keep_the_original_fields(tmp_path: Path) -> None:
    _, out = _analyze(tmp_path, "missing_coords.csv")
    rows = _rejects(out)
    assert rows[1] == {"record": "4", "id": "C-3", "field": "longitude", "reason": "non-numeric longitude 'east'",
                       "date": "2024-01-18", "latitude": "27.37", "longitude": "east"}


def test_a_clean_rerun_removes_a_stale_rejects_file(tmp_path: Path) -> None:
    stale = tmp_path / "out.geojson.rejects.csv"
    stale.write_text("record,id,field,reason\n", encoding="utf-8")
    result, _ = _analyze(tmp_path, "bom_urdu_persian.csv")
    assert result.exit_code == 0 and not stale.exists()


def test_fix_swapped_swaps_and_says_so(tmp_path: Path) -> None:
    result, out = _analyze(tmp_path, "swapped.csv")
    assert "line 3: field 'y/x': outside the study region" in result.stderr and "kept as given" in result.stderr
    result, out = _analyze(tmp_path, "swapped.csv", "--fix-swapped")
    assert result.exit_code == 1, result.output
    assert "read 4, processed 3, rejected 1" in result.stdout
    assert "swapped (--fix-swapped)" in result.stderr
    # S-3 swapped would be at latitude 25.29, longitude 120.5 (Taiwan): not in the region, not swapped
    assert "line 4 (id 'S-3'): field 'y/x': latitude 120.5 is outside -90..90, and swapped" in result.stderr
    features = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in json.loads(out.read_text())["features"]}
    assert features["S-2"] == [62.33, 27.37] and "S-3" not in features


def test_non_point_geometries_are_kept_with_a_warning(tmp_path: Path) -> None:
    result, out = _analyze(tmp_path, "non_point.geojson")
    assert result.exit_code == 0, result.output
    path = BAD / "non_point.geojson"
    assert f"{path}: feature 2: field 'geometry': a Polygon, not a point: used a representative point" in result.stderr
    assert f"{path}: feature 3: field 'geometry': a LineString, not a point" in result.stderr
    assert len(json.loads(out.read_text())["features"]) == 3


def test_projected_crs_is_reprojected_with_a_warning(tmp_path: Path) -> None:
    result, out = _analyze(tmp_path, "projected.geojson")
    assert result.exit_code == 0, result.output
    assert "declared CRS EPSG:32641 (WGS 84 / UTM zone 41N); reprojected" in result.stderr
    coords = [f["geometry"]["coordinates"] for f in json.loads(out.read_text())["features"]]
    assert coords == [[62.3342, 27.3709], [60.643, 25.2919]]


def test_bom_urdu_and_persian_text_come_through_intact(tmp_path: Path) -> None:
    for output in ("out.geojson", "out.csv", "out.parquet"):
        result, out = _analyze(tmp_path, "bom_urdu_persian.csv", output=output)
        assert result.exit_code == 0, result.output
        again = _run("summary", str(out), "--format", "csv")
        assert again.exit_code == 0, again.output
    from geo.io import read_incidents

    frame = read_incidents(tmp_path / "out.parquet")
    assert frame["id"].tolist() == ["P-1", "P-2"]  # the BOM is not part of the first column's name
    assert frame["title"].tolist() == ["پنجگور کے قریب حملہ", "حمله در نزدیکی سراوان"]
    assert frame["location"].tolist() == ["کوہ سبز", "سراوان"]


@pytest.mark.parametrize("name", ["header_only.csv", "empty_collection.geojson"])
@pytest.mark.parametrize("output", ["out.geojson", "out.csv", "out.parquet"])
def test_empty_input_gives_a_valid_empty_output_and_a_warning(tmp_path: Path, name: str, output: str) -> None:
    result, out = _analyze(tmp_path, name, output=output)
    assert result.exit_code == 0, result.output
    assert f"{BAD / name}: no records (empty input)" in result.stderr
    assert "read 0, processed 0, rejected 0" in result.stdout
    from geo.io import read_incidents_checked

    assert read_incidents_checked(out).n_read == 0
    _no_temp_files(tmp_path)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run("analyze", str(BAD / "swapped.csv"), "-o", str(tmp_path / "out.txt")).exit_code == 2
    assert _run("analyze", str(BAD / "swapped.csv")).exit_code == 2
    assert _run("analyze", str(BAD / "swapped.csv"), "-o", str(tmp_path / "o.csv"), "--input-format", "kml").exit_code == 2
    assert list(tmp_path.iterdir()) == []


SOURCE = str(BAD / "bom_urdu_persian.csv")
USAGE_ERRORS = [
    (["analyze", SOURCE, "-o", "x.geojson", "--border", "bogus"], "'--border': 'bogus' is not one of 'gshhg', 'naturalearth', 'osm'"),
    (["summary", SOURCE, "--border", "bogus"], "'--border': 'bogus' is not one of"),
    (["map", SOURCE, "-o", "m.html", "--border", "bogus"], "'--border': 'bogus' is not one of"),
    (["figure", SOURCE, "-o", "f.png", "--border", "bogus"], "'--border': 'bogus' is not one of"),
    (["build", "--out", "b", "--border", "bogus"], "'--border': 'bogus' is not one of"),
    (["build", "--out", "b", "--jobs", "0"], "'--jobs': 0 is not in the range x>=1"),
    (["analyze", SOURCE, "-o", "x.xlsx"], "unknown extension '.xlsx'"),
    (["map", SOURCE, "-o", "t.jpg"], "cannot write 't.jpg': unknown extension '.jpg'; use one of .htm, .html"),
    (["figure", SOURCE, "-o", "t.jpg"], "unknown extension '.jpg'; use one of .pdf, .png, .svg"),
    (["geocode", str(BAD / "header_only.csv"), "-o", "t.jpg"], "unknown extension '.jpg'"),
    (["analyze", SOURCE, "-o", "x.geojson", "--bands", "10,5"], "'--bands': '10,5' is not a comma-separated list"),
    (["analyze", SOURCE, "-o", "x.geojson", "--bands", "ten"], "'--bands': 'ten' is not a comma-separated list"),
]


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS, ids=[" ".join(a[:1] + a[3:]) for a, _ in USAGE_ERRORS])
def test_every_usage_error_exits_2_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_nested_properties_are_json_text_and_nulls_missing(tmp_path: Path) -> None:
    result, out = _analyze(tmp_path, "nested_properties.geojson")
    assert result.exit_code == 0, result.output
    features = [f["properties"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    assert features[0]["title"] == '{"en": "Strike", "ur": "حملہ"}'
    assert features[0]["meta"] == '{"a": 1, "b": [1, 2]}' and features[0]["tags"] == '["x", "y"]'
    assert features[0]["note"] is None and features[0]["fatalities"] is None
    assert features[1]["meta"] is None and features[1]["tags"] == "[]"
    assert features[2]["id"] is None and features[2]["border_side"] == "PAK"
    for output in ("out.csv", "out.parquet"):  # every writer takes them
        assert _analyze(tmp_path, "nested_properties.geojson", output=output)[0].exit_code == 0


def test_input_format_option_reads_an_unknown_extension(tmp_path: Path) -> None:
    source = tmp_path / "export.dat"
    source.write_bytes((Path(__file__).resolve().parent.parent / "data" / "acled_sample.csv").read_bytes())
    result = _run("analyze", str(source), "-o", str(tmp_path / "o.csv"), "--input-format", "acled")
    assert result.exit_code == 0, result.output


def test_a_failure_while_writing_leaves_the_old_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.geojson"
    out.write_text(GOOD_OUTPUT, encoding="utf-8")

    def broken(frame, decimals=6, *, first=True):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr("geo.io.geojson_text.feature_bytes", broken)
    result = _run("analyze", str(BAD / "bom_urdu_persian.csv"), "-o", str(out))
    assert result.exit_code == 130
    assert "no partial output" in result.stderr
    assert out.read_text(encoding="utf-8") == GOOD_OUTPUT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.geojson"]


def test_interrupted_parquet_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import geopandas as gpd

    out = tmp_path / "out.parquet"

    def half_written(self, handle, **kwargs):  # type: ignore[no-untyped-def]
        handle.write(b"PAR1 partial")
        raise OSError("disk full")

    def half_a_row_group(self, table, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")  # the writer has put the file's header in the temporary file

    import pyarrow.parquet as pq

    monkeypatch.setattr(gpd.GeoDataFrame, "to_parquet", half_written)  # a whole frame at once
    monkeypatch.setattr(pq.ParquetWriter, "write_table", half_a_row_group)  # a chunk at a time (geo analyze)
    result = _run("analyze", str(BAD / "bom_urdu_persian.csv"), "-o", str(out))
    assert result.exit_code != 0
    assert "disk full" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_summary_reports_counts_and_writes_rejects(tmp_path: Path) -> None:
    out = tmp_path / "table.md"
    result = _run("summary", str(BAD / "bad_dates.csv"), "-o", str(out))
    assert result.exit_code == 1
    assert "read 4, processed 2, rejected 2" in result.stdout
    assert (tmp_path / "table.md.rejects.csv").exists() and out.read_text().startswith("| year |")
    result = _run("summary", str(BAD / "bad_dates.csv"), "-o", str(out), "--allow-rejects")
    assert result.exit_code == 0


def test_summary_to_stdout_keeps_the_counts_on_stderr(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes((BAD / "bad_dates.csv").read_bytes())
    result = _run("summary", str(source), "--allow-rejects")
    assert result.exit_code == 0
    assert result.stdout.startswith("| year |") and "read 4" not in result.stdout
    assert "read 4, processed 2, rejected 2" in result.stderr
    assert (tmp_path / "in.csv.summary.rejects.csv").exists()


def test_points_outside_the_study_region_are_named_and_rejected_with_region_only(tmp_path: Path) -> None:
    # Zahedan; Paris; lat 62.3, lon 27.1, in Finland, which swapped is in Sistan and Baluchestan
    path = BAD / "far_away.csv"
    result, out = _analyze(tmp_path, "far_away.csv")
    assert result.exit_code == 0, result.output
    assert f"{path}: line 3: field 'lat/lon': outside the study region" in result.stderr
    assert f"{path}: line 4: field 'lat/lon': outside the study region" in result.stderr and "may be swapped" in result.stderr
    written = {f["properties"]["id"]: f["properties"] for f in json.loads(out.read_text())["features"]}
    assert {k: v["in_region"] for k, v in written.items()} == {"F-1": True, "F-2": False, "F-3": False}
    assert written["F-2"]["border_side"] == "outside"

    result, out = _analyze(tmp_path, "far_away.csv", "--region-only")
    assert result.exit_code == 1
    assert [f"{r['record']} {r['id']}" for r in _rejects(out)] == ["3 F-2", "4 F-3"]
    assert all(r["reason"].endswith("rejected by --region-only") for r in _rejects(out))
    result, out = _analyze(tmp_path, "far_away.csv", "--region-only", "--fix-swapped")
    assert [f"{r['record']} {r['id']}" for r in _rejects(out)] == ["3 F-2"]
    assert "line 4: field 'lat/lon': outside the study region" in result.stderr and "swapped (--fix-swapped)" in result.stderr


def test_a_header_only_csv_without_coordinate_columns_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("id,date,place\n", encoding="utf-8")
    result = _run("analyze", str(source), "-o", str(tmp_path / "out.geojson"))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"geo: error: {source}: no coordinate columns")
    assert not (tmp_path / "out.geojson").exists()
