"""geo.io.chunks: a file read chunk by chunk, every record in a chunk or in the rejects."""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.errors import InputFileError
from geo.io import readers
from geo.io.chunks import STREAMED_FORMATS, IncidentChunks
from geo.io.reading import read_incidents_checked
from geo.synthetic import acled_export

ROWS = 1_000


@pytest.fixture()
def export_csv(tmp_path: Path) -> Path:
    table = acled_export(ROWS, seed=11)
    table["latitude"] = table["latitude"].astype(object)
    table.loc[[10, 555, 999], "latitude"] = "north"  # rejected, at known lines
    path = tmp_path / "events.csv"
    table.to_csv(path, index=False)
    return path


def _lines_of_rows(path: Path, rows: list[int]) -> list[int]:
    """The physical line each data row starts on, counted with the csv module (header is line 1)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        starts = []
        line = 2
        for row in reader:
            starts.append(line)
            line = reader.line_num + 1
    return [starts[r] for r in rows]


def test_csv_chunks_hold_a_fixed_number_of_records(export_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "CHUNK_ROWS", 300)
    chunks = IncidentChunks(export_csv)
    sizes = [len(c) for c in chunks]
    result = chunks.result()
    assert chunks.total == ROWS
    assert sizes == [299, 299, 300, 99]  # 300 records a chunk, less the rejected (rows 10, 555, 999)
    assert result.summary() == f"read {ROWS}, processed {ROWS - 3}, rejected 3"
    assert result.rejects["record"].tolist() == _lines_of_rows(export_csv, [10, 555, 999])
    assert set(result.rejects["field"]) == {"latitude"}  # the field as the file names it


def test_a_quoted_line_break_falls_back_to_the_csv_module_with_the_same_records(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "CHUNK_ROWS", 300)
    table = acled_export(ROWS, seed=12)
    table.loc[700, "notes"] = 'two\nlines, "quoted"'
    table.loc[701, "latitude"] = np.nan
    path = tmp_path / "events.csv"
    table.to_csv(path, index=False)
    chunks = IncidentChunks(path)
    streamed = pd.concat(list(chunks))
    whole = read_incidents_checked(path)
    assert chunks.result().summary() == whole.summary() == f"read {ROWS}, processed {ROWS - 1}, rejected 1"
    assert streamed["id"].tolist() == whole.frame["id"].tolist()
    assert streamed.loc[700, "summary"] == whole.frame.loc[700, "summary"] == 'two\nlines, "quoted"'
    assert chunks.result().rejects["record"].tolist() == _lines_of_rows(path, [701])


def test_parquet_is_read_a_row_group_batch_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "CHUNK_ROWS", 250)
    table = acled_export(ROWS, seed=13)
    frame = gpd.GeoDataFrame(table.drop(columns=["latitude", "longitude"]),
                             geometry=gpd.points_from_xy(table["longitude"], table["latitude"]), crs="EPSG:4326")
    path = tmp_path / "events.parquet"
    frame.to_parquet(path, index=False, row_group_size=400)
    chunks = IncidentChunks(path)
    assert chunks.total == ROWS  # from the metadata, before reading
    sizes = [len(c) for c in chunks]
    assert sum(sizes) == ROWS and max(sizes) <= 250 and len(sizes) >= 4
    assert chunks.result().summary() == f"read {ROWS}, processed {ROWS}, rejected 0"


def test_chunks_are_read_once(export_csv: Path) -> None:
    chunks = IncidentChunks(export_csv)
    list(chunks)
    with pytest.raises(RuntimeError, match="read already"):
        list(chunks)


def test_a_missing_file_is_refused_on_creation(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="missing.csv"):
        IncidentChunks(tmp_path / "missing.csv")


def test_geojson_is_not_streamed_but_read_as_one_chunk() -> None:
    from geo.datasets import data_path

    chunks = IncidentChunks(data_path("incidents.geojson"))
    assert "geojson" not in STREAMED_FORMATS and not chunks.streamed
    assert [len(c) for c in chunks] == [8]
