"""ACLED's Excel export (.xlsx): read with the checks and the rejects of a CSV."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from geo.cli.main import main
from geo.errors import InputFileError
from geo.io import read_incidents_checked

DATA = Path(__file__).resolve().parent.parent / "data"
ACLED = DATA / "acled_sample.csv"


def _number(text: str) -> object:
    """A cell as Excel holds it: numbers as numbers, the rest as text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _xlsx_from_csv(source: Path, target: Path, *, dates: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    with source.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.reader(handle)):
            cells = row if i == 0 else [None if c == "" else _number(c) for c in row]
            if dates and i:  # ACLED's tool writes event_date as a date cell
                cells[1] = pd.Timestamp(row[1]).to_pydatetime()
            sheet.append(cells)
    book.save(target)
    return target


@pytest.mark.parametrize("dates", [False, True], ids=["text dates", "date cells"])
def test_an_acled_workbook_reads_like_the_acled_csv(tmp_path: Path, dates: bool) -> None:
    from_csv = read_incidents_checked(ACLED)
    from_xlsx = read_incidents_checked(_xlsx_from_csv(ACLED, tmp_path / "acled.xlsx", dates=dates))
    assert (from_xlsx.layout, from_xlsx.unit, from_xlsx.n_read, from_xlsx.n_rejected) == ("acled", "row", 5, 0)
    for column in ("id", "date", "date_precision", "country", "admin1", "location", "fatalities", "geo_precision",
                   "precision_km", "event_type"):
        assert from_xlsx.frame[column].astype(str).tolist() == from_csv.frame[column].astype(str).tolist(), column
    np.testing.assert_allclose(from_xlsx.frame.geometry.x, from_csv.frame.geometry.x)
    np.testing.assert_allclose(from_xlsx.frame.geometry.y, from_csv.frame.geometry.y)


def test_bad_rows_are_rejected_by_their_sheet_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for row in (["id", "date", "lat", "lon", "fatalities"], ["X-1", dt.date(2024, 1, 16), 26.9, 63.1, 2],
                [None, None, None, None, None], ["X-2", "2024-01-17", "north", 63.0, 1],
                ["X-3", "2024-01-18", 27.0, 63.0, "many"], ["X-4", "2024-01-19", 27.0, 63.0, 0, "stray"]):
        book.active.append(row)
    path = tmp_path / "bad.xlsx"
    book.save(path)
    result = read_incidents_checked(path)
    assert result.summary() == "read 4, processed 1, rejected 3"
    assert result.rejects[["record", "id", "field"]].values.tolist() == [
        [4, "X-2", "lat"], [5, "X-3", "fatalities"], [6, "X-4", "(row)"]]
    assert result.reject_messages()[0].endswith("row 4 (id 'X-2'): field 'lat': non-numeric latitude 'north'")
    assert result.frame["date"].tolist() == ["2024-01-16"]


def test_a_header_only_workbook_is_a_valid_empty_table(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["id", "date", "lat", "lon"])
    book.save(tmp_path / "empty.xlsx")
    result = read_incidents_checked(tmp_path / "empty.xlsx")
    assert result.n_read == 0 and "no records" in result.warnings[-1]


def test_a_repeated_header_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["id", "lat", "lon", "lat"])
    book.save(tmp_path / "dup.xlsx")
    with pytest.raises(InputFileError, match="the header names column 'lat' twice"):
        read_incidents_checked(tmp_path / "dup.xlsx")


def test_a_file_that_is_not_a_workbook_is_one_line_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("event_id_cnty,event_date\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(path), "-o", str(tmp_path / "out.geojson")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"geo: error: {path}: not a readable Excel .xlsx workbook: File is not a zip file"
    assert not (tmp_path / "out.geojson").exists()


def test_analyze_reads_an_acled_workbook(tmp_path: Path) -> None:
    source = _xlsx_from_csv(ACLED, tmp_path / "acled.xlsx")
    result = CliRunner().invoke(main, ["analyze", str(source), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    assert "read 5, processed 5, rejected 0" in result.stdout
