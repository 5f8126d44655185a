"""Geocode place names and tables of records with the bundled offline gazetteer.

Nothing is guessed: a name that is unknown, or that several places answer to, is rejected
with the reason and the closest candidates ("did you mean …"), and a hint (country,
admin1) is what settles an ambiguity.

The bundled ``data/incidents.geojson`` is made from the human-editable table
``data/incidents.csv`` by one command, run from the checkout's top folder::

    geo geocode data/incidents.csv -o data/incidents.geojson

(its ``place`` column names the gazetteer entry; ``location_variants`` and ``sources`` are
JSON in the CSV). ``tests/test_incidents.py`` checks that the committed GeoJSON is, byte for
byte, what this command writes.

Examples
--------
>>> import geo
>>> found = geo.geocode(["Chah Bahar", "Mirjawa"])
>>> found[["gazetteer_name", "geo_precision"]].values.tolist()
[['Chabahar', 1], ['Mīrjāveh', 1]]
>>> [round(v, 2) for v in found.geometry.iloc[0].coords[0]]
[60.64, 25.29]
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import DataError, GeocodeError, InputFileError
from geo.io import validate
from geo.io.readers import read_csv_table
from geo.io.writing import check_output, output_format, write_incidents, write_rejects
from geo.progress import bar
from geo.reference import gazetteer

logger = logging.getLogger("geo")

#: Columns that ``geocode_table`` puts right after the place column.
RESULT_COLUMNS = ("geo_precision", "precision_km", "geocoding")



def geocode(
    names: Iterable[Any] | str,
    country: Any = None,
    admin1: Any = None,
    *,
    errors: Literal["reject", "raise"] = "reject",
) -> gpd.GeoDataFrame:
    """Geocode place names against the bundled gazetteer.

    Parameters
    ----------
    names : str or iterable of str
        Place names as reported; spellings such as "Chah Bahar", "Mirjawa" or "Koh-e-Sabz"
        are understood.
    country : str or sequence, optional
        Country hint (ISO3, ISO2 or English name), one for all or one per name.
    admin1 : str or sequence, optional
        Province hint in any known spelling, one for all or one per name.
    errors : {"reject", "raise"}
        "reject" keeps rejected names as rows with an empty geometry, a ``reason`` and
        ``candidates``; "raise" raises :class:`~geo.errors.GeocodeError` on the first one.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per name (index of ``names`` when it is a Series) in EPSG:4326, with the
        columns of :func:`geo.reference.gazetteer.lookup`: ``status``, ``gazetteer_id``,
        ``gazetteer_name``, ``geo_precision`` (1 the named place, 2 near it, 3 a larger
        region), ``precision_km``, ``reason``, ``candidates`` and so on.

    Raises
    ------
    GeocodeError
        With ``errors="raise"``, for the first name that cannot be geocoded without guessing;
        for an unknown country hint in any case.

    Examples
    --------
    >>> found = geocode(["Pishin", "Pishin"], admin1=[None, "Sistan and Baluchestan"])
    >>> found["status"].tolist()
    ['rejected', 'matched']
    >>> geocode("Chabaher", errors="raise")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.GeocodeError: unknown place "Chabaher"; did you mean Chabahar (...
    """
    if errors not in ("reject", "raise"):
        raise GeocodeError(f"errors={errors!r} is not one of 'reject', 'raise'")
    index = names.index if isinstance(names, pd.Series) else None
    if isinstance(names, str):
        names = [names]
    result = gazetteer.lookup(list(names), country=country, admin1=admin1)
    if errors == "raise":
        rejected = result[result["status"] == "rejected"]
        if not rejected.empty:
            first = rejected.iloc[0]
            msg = str(first["reason"]) + (f"; {first['candidates']}" if first["candidates"] else "")
            raise GeocodeError(msg)
    matched = result["status"] == "matched"
    lon = pd.to_numeric(result["longitude"].where(matched), errors="coerce")
    lat = pd.to_numeric(result["latitude"].where(matched), errors="coerce")
    points = gpd.points_from_xy(lon, lat, crs="EPSG:4326")
    geometry = gpd.GeoSeries(points, crs="EPSG:4326").where(matched.to_numpy(), None)
    frame = gpd.GeoDataFrame(result, geometry=geometry.to_numpy(), crs="EPSG:4326")
    if index is not None:
        frame.index = index
    return frame


@dataclass
class Records:
    """A table of records to geocode, as :func:`read_records` read it."""

    frame: pd.DataFrame
    record: np.ndarray  # per record, its line (CSV, the header being line 1) or position (JSON)
    odd_rows: pd.DataFrame  # CSV rows with the wrong number of fields, as rejects
    path: Path

    @property
    def n_read(self) -> int:
        """Records in the file, odd rows included."""
        return len(self.frame) + len(self.odd_rows)


def read_records(path: str | os.PathLike[str]) -> Records:
    """Read records from CSV (UTF-8, header row) or JSON (a list of objects).

    CSV goes through the one CSV reader of geo (:func:`geo.io.readers.read_csv_table`):
    rows with more or fewer fields than the header become rejects with their line, an
    unclosed quote is an error naming its line, and the columns are typed by
    :func:`geo.io.readers.infer_text_columns` (whole numbers ``Int64``, numbers ``float``,
    true/false ``boolean``, JSON arrays and objects lists and dicts; blanks missing). JSON
    keeps its own types.
    """
    path = Path(path)
    try:
        is_file = path.is_file()
    except OSError as err:
        raise InputFileError(f"cannot read: {err.strerror or err}", path=str(path)) from None
    if not is_file:
        raise InputFileError("no such file", path=str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = read_csv_table(path)
        return Records(table.frame, table.lines, table.odd_rows, path)
    if suffix == ".json":
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as err:
            msg = f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}"
            raise InputFileError(msg, path=str(path)) from None
        except UnicodeDecodeError as err:
            raise InputFileError(f"not UTF-8 text (byte {err.start} of the file); save it as UTF-8",
                                 path=str(path)) from None
        if isinstance(document, dict) and isinstance(document.get("records"), list):
            document = document["records"]
        if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
            raise InputFileError("expected a JSON list of objects (one per record)", path=str(path))
        columns: dict[str, None] = {}
        for record in document:
            columns.update(dict.fromkeys(record))
        frame = pd.DataFrame([[r.get(c) for c in columns] for r in document], columns=list(columns), dtype=object)
        return Records(frame, np.arange(1, len(frame) + 1, dtype=np.int64), validate.empty_rejects(), path)
    raise InputFileError(
        f"unknown input extension {path.suffix!r}; use .csv or .json", path=str(path)
    )


def read_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The records of a CSV or JSON file, typed as :func:`read_records` types them.

    Examples
    --------
    >>> from geo.datasets import data_path
    >>> table = read_table(data_path("incidents.csv"))
    >>> isinstance(table.loc[0, "location_variants"], list), str(table["fatalities"].dtype)
    (True, 'Int64')
    """
    return read_records(path).frame


def _listed(values: pd.Series) -> list[Any]:
    """Values as a list, missing ones as None."""
    listed: list[Any] = values.astype(object).where(values.notna(), None).tolist()
    return listed


def _describe_match(row: pd.Series) -> str:
    text = f'gazetteer {row["gazetteer_id"]} "{row["gazetteer_name"]}" ({row["source"]}'
    if row["match"] == "variant":
        text += f'; matched as a spelling variant of "{row["name"]}"'
    if row.get("resolution"):
        text += f"; {row['resolution']}"
    text += ")"
    if row["evidence"]:
        text += f": {row['evidence']}"
    return text


def geocode_table(
    table: pd.DataFrame,
    *,
    place: str = "place",
    country: str | None = "country",
    admin1: str | None = "admin1",
    source: str = "<table>",
    record: np.ndarray | None = None,
    progress: bool | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Geocode a table of records by its place column, keeping every other column.

    The place column is kept, under its own name, and followed by ``geo_precision``,
    ``precision_km`` and ``geocoding`` (the gazetteer entry matched, why, and its
    evidence). The country and admin1 columns, when present, are hints and stay as
    properties.

    ``record`` gives each row's number in its file for the rejects (what
    :func:`read_records` read); by default the 1-based position, or the line of a CSV
    without multi-line values when ``source`` ends in ``.csv``.

    ``progress`` shows a bar "geocoding" on a terminal, advanced a batch of
    :data:`GEOCODE_BATCH` names at a time (see :mod:`geo.progress`; None follows
    ``geo.progress.DEFAULT``, off in Python).

    Returns
    -------
    (geopandas.GeoDataFrame, pandas.DataFrame)
        The geocoded records, and the rejected ones with ``record`` (the line of a CSV,
        counting the header as line 1, else the record's 1-based position), ``id``,
        ``field`` (the place column), ``reason`` and ``candidates`` in front of their
        columns, the layout of every command's rejects.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["a", "b"], "place": ["Chah Bahar", "Chabaher"]})
    >>> found, rejects = geocode_table(table)
    >>> list(found.columns)
    ['id', 'place', 'geo_precision', 'precision_km', 'geocoding', 'geometry']
    >>> rejects[["record", "id", "field", "reason"]].values.tolist()
    [[2, 'b', 'place', 'unknown place "Chabaher"']]
    """
    if place not in table.columns:
        found = ", ".join(map(str, table.columns)) or "none"
        raise DataError(
            f"no place column {place!r} (columns: {found}); name it with --place-column",
            path=source,
            field=place,
        )
    hints: dict[str, Any] = {}
    for label, column in (("country", country), ("admin1", admin1)):
        if column is not None and column in table.columns:
            hints[label] = _listed(table[column])
    found = _lookup(_listed(table[place]), hints, source, progress)
    matched = (found["status"] == "matched").to_numpy()
    if record is None:
        offset = 2 if source.lower().endswith(".csv") else 1  # CSV: the header is line 1
        record = np.arange(offset, offset + len(table), dtype=np.int64)

    position = list(table.columns).index(place)
    kept = [c for c in table.columns if c not in RESULT_COLUMNS]
    before = [c for c in kept if list(table.columns).index(c) <= position]  # the place column too
    after = [c for c in kept if list(table.columns).index(c) > position]
    out = table.loc[matched, before].copy()
    hits = found[matched].set_index(out.index)
    out["geo_precision"] = hits["geo_precision"].astype(int).astype(object)
    out["precision_km"] = hits["precision_km"].astype(float).astype(object)
    out["geocoding"] = hits.apply(_describe_match, axis=1) if len(hits) else pd.Series(dtype=object)
    for column in after:
        out[column] = table.loc[matched, column]
    geometry = gpd.points_from_xy(hits["longitude"].astype(float), hits["latitude"].astype(float))
    geocoded = gpd.GeoDataFrame(out, geometry=geometry, crs="EPSG:4326").reset_index(drop=True)

    rejected = found[~matched]
    ids = table["id"][~matched].to_numpy(dtype=object) if "id" in table.columns else None
    rejects = pd.DataFrame(
        {
            "record": np.asarray(record, dtype=np.int64)[~matched],
            "id": ids if ids is not None else [None] * len(rejected),
            "field": place,
            "reason": rejected["reason"].tolist(),
            "candidates": rejected["candidates"].tolist(),
        }
    )
    rejects = validate.join_original(rejects, table[~matched].reset_index(drop=True))
    return geocoded, rejects


#: Names looked up at a time by :func:`geocode_table` (its progress bar advances per batch).
GEOCODE_BATCH: int = 20_000


def _lookup(names: list[Any], hints: dict[str, Any], source: str, progress: bool | None) -> pd.DataFrame:
    """:func:`geo.reference.gazetteer.lookup` a batch at a time, with a progress bar."""
    parts = []
    with bar("geocoding", len(names), unit="names", enabled=progress) as step:
        for start in range(0, max(len(names), 1), GEOCODE_BATCH):
            batch = slice(start, start + GEOCODE_BATCH)
            try:
                parts.append(gazetteer.lookup(names[batch], **{k: v[batch] for k, v in hints.items()}))
            except GeocodeError as err:
                raise DataError(str(err), path=source) from None
            step.advance(len(names[batch]))
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


@dataclass
class GeocodeReport:
    """What :func:`geocode_file` read and wrote."""

    read: int
    geocoded: int
    rejected: int
    output: Path
    rejects_path: Path | None
    input: Path | None = None

    def summary(self) -> str:
        """Return the line the command prints, the one of every command.

        Examples
        --------
        >>> GeocodeReport(3, 2, 1, Path("out.geojson"), Path("out.geojson.rejects.csv")).summary()
        'read 3, processed 2, rejected 1 (see out.geojson.rejects.csv)'
        """
        text = f"read {self.read}, processed {self.geocoded}, rejected {self.rejected}"
        if self.rejects_path is not None:
            text += f" (see {self.rejects_path})"
        return text


def geocode_file(
    input: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    place: str = "place",
    country: str | None = "country",
    admin1: str | None = "admin1",
    progress: bool | None = None,
) -> GeocodeReport:
    """Geocode a CSV or JSON file into GeoJSON, CSV or GeoParquet, rejects alongside.

    The output holds the geocoded records; the rejected ones (names not found without
    guessing, and CSV rows with the wrong number of fields) go to ``OUTPUT.rejects.csv``
    (``out.geojson.rejects.csv``; a stale one from an earlier run is removed when nothing
    is rejected). Both are written atomically, after the output path was checked.
    ``progress`` shows bars for the geocoding and the writing on a terminal (see
    :mod:`geo.progress`; None follows ``geo.progress.DEFAULT``, off in Python).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "in.csv").write_text("id,place,country\\n1,Chah Bahar,IRN\\n2,Chabaher,\\n")
    >>> geocode_file(tmp / "in.csv", tmp / "out.geojson").summary()  # doctest: +ELLIPSIS
    'read 2, processed 1, rejected 1 (see .../out.geojson.rejects.csv)'
    """
    output = Path(output)
    output_format(output)  # fail on a bad extension before any work
    check_output(output, inputs=[input])
    records = read_records(input)
    geocoded, rejects = geocode_table(
        records.frame, place=place, country=country, admin1=admin1, source=str(input), record=records.record,
        progress=progress,
    )
    if len(records.odd_rows):
        rejects = pd.concat([rejects, records.odd_rows], ignore_index=True)
        rejects = rejects.sort_values("record", kind="stable").reset_index(drop=True)
    write_incidents(geocoded, output, progress=progress)
    rejects_path = write_rejects(rejects, output)
    report = GeocodeReport(records.n_read, len(geocoded), len(rejects), output, rejects_path, Path(input))
    logger.debug("geocoded %s into %s", input, output)
    return report
