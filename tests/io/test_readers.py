"""The one CSV reader (geo.io.readers): structure checked, never guessed; one typing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import InputFileError
from geo.io import read_incidents_checked
from geo.io.csv_table import unclosed_quote
from geo.io.readers import infer_text_columns, read_csv_table


def _write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_a_row_with_an_extra_field_is_rejected_not_shifted(tmp_path: Path) -> None:
    # every row one field longer than the header: pandas made the first field the index
    path = _write(tmp_path, "id,place,note\n1,Turbat,Panjgur,x\n2,Gwadar,y\n")
    table = read_csv_table(path)
    assert table.frame.to_dict("records") == [{"id": 2, "place": "Gwadar", "note": "y"}]
    assert table.lines.tolist() == [3]
    [odd] = table.odd_rows.to_dict("records")
    assert (odd["record"], odd["id"], odd["field"]) == (2, "1", "(row)")
    assert odd["reason"] == "4 fields where the header has 3"
    assert (odd["place"], odd["note"], odd["extra_fields"]) == ("Turbat", "Panjgur", '["x"]')


def test_a_trailing_comma_on_every_row_rejects_each_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,date,lat,lon\na,2024-01-16,27.0,63.4,\nb,2024-01-18,27.1,63.3,\n")
    result = read_incidents_checked(path)
    assert result.summary() == "read 2, processed 0, rejected 2"
    assert result.rejects["record"].tolist() == [2, 3]
    assert set(result.rejects["reason"]) == {"5 fields where the header has 4"}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # the quote is never closed: it swallowed every record after it
        ('id,date,lat,lon,summary\na,2024-01-16,27.0,63.4,"never closed\nb,2024-01-17,27.1,63.3,x\n', 2),
        # the quote is closed by the next quoted value, in the middle of a record
        (('id,date,lat,lon,summary\na,2024-01-16,27.0,63.4,ok\nb,2024-01-16,27.0,63.4,"oops\n'
          'c,2024-01-17,27.1,63.3,"quoted, yes"\nd,2024-01-17,27.1,63.3,x\n'), 3),
    ],
)
def test_an_unterminated_quote_is_an_error_naming_its_line(tmp_path: Path, text: str, line: int) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputFileError, match=rf"unterminated quote: the quoted value that begins on line {line} "
                                             r"\(field 'summary'\)"):
        read_incidents_checked(path)
    with pytest.raises(InputFileError, match=f"line {line}"):
        read_csv_table(path)


def test_stray_quotes_and_quoted_line_breaks_are_not_mistaken_for_it(tmp_path: Path) -> None:
    path = _write(tmp_path, 'id,date,lat,lon,summary\na,2024-01-16,27.0,63.4,5" tall\n'
                            'b,2024-01-17,27.1,63.3,"two\nlines, ""quoted"""\nc,2024-01-18,27.2,63.2,z\n')
    result = read_incidents_checked(path)
    assert result.summary() == "read 3, processed 3, rejected 0"
    assert result.frame["summary"].tolist() == ['5" tall', 'two\nlines, "quoted"', "z"]
    assert unclosed_quote('a,"x\nb"c\n') == (2, 1, "spans lines and is closed in the middle of a value")


def test_one_typing_for_every_reader() -> None:
    table = pd.DataFrame({"id": ["007", "012"], "n": ["1", None], "big": [str(2**60), "1"], "plus": ["+5", "6"],
                          "x": ["0.5", "1e3"], "ok": ["TRUE", "false"], "tags": ['["a", "b"]', '{"k": 1}'],
                          "word": ["[citation needed]", "[1]"]}, dtype="str")
    typed = infer_text_columns(table.copy())
    assert typed["id"].tolist() == ["007", "012"]  # an id with a leading zero stays text
    assert typed["n"].dtype == "Int64" and typed["n"].tolist()[0] == 1
    assert typed["big"].dtype == "str" and typed["plus"].dtype == "str"
    assert typed["x"].tolist() == [0.5, 1000.0]
    assert typed["ok"].tolist() == [True, False]
    assert typed["tags"].tolist() == [["a", "b"], {"k": 1}]
    assert typed["word"].tolist() == ["[citation needed]", "[1]"]  # not JSON: text


# --------------------------------------------------------------------------- property

CELL = st.text(alphabet=st.sampled_from(list('ab ,"\n\r;é1.-')), max_size=8)
COLUMNS = ["id", "lat", "lon", "note", "other"]


@st.composite
def csv_text(draw: st.DrawFn) -> tuple[str, list[list[str]]]:
    """A CSV written by the csv module: the header, then rows of random width and cells."""
    rows = []
    for i in range(draw(st.integers(0, 8))):
        width = draw(st.sampled_from([5, 5, 5, 4, 6]))
        cells = [f"r{i}", "27.0", "63.4", *draw(st.lists(CELL, min_size=width - 3, max_size=width - 3))]
        rows.append(cells)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # so that a lone \r is quoted too
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue(), rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(csv_text())
def test_read_is_processed_plus_rejected_and_no_field_moves(tmp_path: Path, case: tuple[str, list[list[str]]]) -> None:
    text, rows = case
    path = _write(tmp_path, text)
    result = read_incidents_checked(path)
    assert result.n_read == len(rows) == result.n_processed + result.n_rejected
    wide = {row[0] for row in rows if len(row) != len(COLUMNS)}
    assert set(result.rejects["id"]) == wide
    by_id = {row[0]: row for row in rows}
    if result.frame.empty:
        return
    for record in result.frame[["id", "note", "other"]].to_dict("records"):
        written = by_id[record["id"]]
        for column, value in (("note", written[3]), ("other", written[4])):
            got = record[column]
            if value.strip() == "":  # blanks are missing values
                assert got is None or pd.isna(got) or got.strip() == ""
            else:
                assert str(got) == value or _same_number(got, value), (column, got, value)


def _same_number(got: object, text: str) -> bool:
    try:
        return float(text) == float(got)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
