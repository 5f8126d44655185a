"""geo.analysis.stream: a file analyzed a chunk at a time equals the file analyzed whole."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from geo.analysis import core, stream
from geo.analysis.stream import analyze_file
from geo.io import read_incidents_checked, readers, write_incidents
from geo.synthetic import acled_export

ROWS = 2_400
CHUNK = 700  # chunks that cut across the Parquet row groups
ROW_GROUP = 500


def _export() -> pd.DataFrame:
    """An ACLED export with bad records spread over every chunk, and columns typed by late chunks."""
    table = acled_export(ROWS, seed=7)
    rng = np.random.default_rng(7)
    bad = rng.choice(ROWS, 60, replace=False)
    table.loc[bad[:20], "latitude"] = np.nan  # missing coordinates
    table.loc[bad[20:35], "event_date"] = "2024-02-30"  # no such day
    table.loc[bad[35:50], "event_id_cnty"] = table.loc[rng.choice(ROWS, 15), "event_id_cnty"].to_numpy()  # duplicates
    table.loc[bad[50:], "latitude"] = 95.0  # beyond the pole
    table.loc[[2, ROWS - 3], "event_id_cnty"] = table.loc[ROWS // 2, "event_id_cnty"]  # a duplicate across chunks
    # an extra column of whole numbers until a late chunk holds a fraction; one empty until the last chunk
    table["rank"] = np.arange(ROWS).astype(float)
    table.loc[ROWS - 10, "rank"] = 0.5
    table["late"] = None
    table.loc[ROWS - 5, "late"] = "7"
    return table


@pytest.fixture(scope="module")
def export() -> pd.DataFrame:
    return _export()


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "CHUNK_ROWS", CHUNK)


def _csv(export: pd.DataFrame, folder: Path) -> Path:
    path = folder / "events.csv"
    text = export.copy()
    text["rank"] = text["rank"].map(lambda v: f"{v:g}")  # whole numbers as a CSV writes them
    text.to_csv(path, index=False)
    return path


def _geoparquet(export: pd.DataFrame, folder: Path) -> Path:
    path = folder / "events.parquet"
    frame = gpd.GeoDataFrame(export.drop(columns=["latitude", "longitude"]),
                             geometry=gpd.points_from_xy(export["longitude"], export["latitude"]), crs="EPSG:4326")
    frame.loc[frame.index[:20], "geometry"] = None
    frame.to_parquet(path, index=False, row_group_size=ROW_GROUP)
    assert pq.ParquetFile(path).metadata.num_row_groups == -(-ROWS // ROW_GROUP)
    return path


def _in_memory(path: Path, output: Path) -> pd.DataFrame:
    result = read_incidents_checked(path)
    write_incidents(core.analyze(result.frame), output)
    return result


@pytest.mark.parametrize("source", [_csv, _geoparquet])
@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".parquet"])
def test_streamed_output_equals_the_in_memory_output(tmp_path: Path, export: pd.DataFrame, source, suffix: str) -> None:
    path = source(export, tmp_path)
    whole, streamed = tmp_path / f"whole{suffix}", tmp_path / f"streamed{suffix}"
    expected = _in_memory(path, whole)
    calls = []
    real = stream.analyze

    def counting(chunk, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(chunk))
        return real(chunk, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "analyze", counting)
        got = analyze_file(path, streamed)
    assert len(calls) == -(-ROWS // CHUNK) >= 4  # several chunks, each analyzed alone
    assert got.summary() == expected.summary()
    assert got.n_rejected == expected.n_rejected > 40  # every kind of bad record, in every chunk
    assert got.n_processed == ROWS - got.n_rejected
    rejected_chunks = {int(r) // CHUNK for r in got.rejects["record"]}
    assert len(rejected_chunks) >= 4  # the rejects are spread over the chunks
    pd.testing.assert_frame_equal(got.rejects, expected.rejects)
    assert got.warnings == expected.warnings
    if suffix == ".parquet":
        pd.testing.assert_frame_equal(gpd.read_parquet(streamed).to_wkt(), gpd.read_parquet(whole).to_wkt())
    else:
        assert streamed.read_bytes() == whole.read_bytes()


def test_a_csv_column_is_typed_by_the_whole_file_in_every_chunk(tmp_path: Path, export: pd.DataFrame) -> None:
    path = _csv(export, tmp_path)
    out = tmp_path / "out.parquet"
    analyze_file(path, out)
    schema = pq.read_schema(out)
    assert schema.field("rank").type == pa.float64()  # a fraction in the last chunk makes every chunk float
    assert schema.field("late").type == pa.int64()  # empty until the last chunk, then a whole number
    table = pq.read_table(out).to_pandas()
    assert table["late"].dropna().tolist() == [7]


def test_a_duplicate_id_in_a_later_chunk_is_rejected(tmp_path: Path, export: pd.DataFrame) -> None:
    path = _csv(export, tmp_path)
    result = analyze_file(path, tmp_path / "out.csv")
    ident = export.loc[ROWS // 2, "event_id_cnty"]
    reasons = result.rejects.loc[result.rejects["id"] == ident, ["record", "reason"]].values.tolist()
    first_line = 2 + 2  # the header is line 1; the first record with the id is the third
    assert [ROWS - 3 + 2, f"duplicate id {ident!r} (first at line {first_line})"] in reasons


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_stream_leaves_no_output(tmp_path: Path, export: pd.DataFrame, failure: type) -> None:
    path = _geoparquet(export, tmp_path)
    out = tmp_path / "out.csv"
    out.write_text("an earlier output\n")
    seen = []
    real = stream.analyze

    def failing(chunk, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(len(chunk))
        if len(seen) == 3:
            raise failure("stop")
        return real(chunk, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "analyze", failing)
        with pytest.raises(failure):
            analyze_file(path, out)
    assert out.read_text() == "an earlier output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.parquet", "out.csv"]


def test_an_empty_input_gives_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("id,lat,lon\n")
    out = tmp_path / "out.csv"
    assert analyze_file(path, out).summary() == "read 0, processed 0, rejected 0"
    header = out.read_text().splitlines()
    assert len(header) == 1 and "border_distance_km" in header[0]


@pytest.mark.parametrize("suffix", [".gpkg", ".fgb"])
def test_outputs_that_cannot_be_appended_are_written_whole(tmp_path: Path, export: pd.DataFrame, suffix: str) -> None:
    path = _csv(export, tmp_path)
    out = tmp_path / f"out{suffix}"
    whole = tmp_path / f"whole{suffix}"
    expected = _in_memory(path, whole)
    result = analyze_file(path, out)
    assert result.summary() == expected.summary()
    written, reference = gpd.read_file(out), gpd.read_file(whole)
    assert len(written) == result.n_processed > 0
    pd.testing.assert_frame_equal(pd.DataFrame(written.drop(columns="geometry")),
                                  pd.DataFrame(reference.drop(columns="geometry")))
    assert shapely.equals_exact(written.geometry.to_numpy(), reference.geometry.to_numpy(), tolerance=0).all()
