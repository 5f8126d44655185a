"""Record checks for incident tables: coordinates, dates, numbers and ids.

Every check is vectorised and returns, instead of raising, the records it rejects: a
DataFrame with the columns of :data:`REJECT_COLUMNS` (``record``, ``id``, ``field``,
``reason``) followed by the record's original fields. ``record`` is a number as the file
shows it: the line number for CSV (the header is line 1; a quoted value spanning lines is
counted), the 1-based feature number for GeoJSON and the 1-based row for GeoParquet.

Problems that do not cost a record (a polygon replaced by a representative point, a point
that looks swapped but is possible as given) are collected as :class:`Notes` and reported as
warnings that name the file, the records and the field.

Examples
--------
>>> import numpy as np, pandas as pd
>>> table = pd.DataFrame({"id": ["a", "b", "c"], "date": ["2024-01-16", "16 January 2024", "soon"]})
>>> checked = check_records(table, np.array([62.1, 170.0, 62.3]), np.array([27.0, 95.0, 27.1]),
...                         record=np.array([2, 3, 4]), unit="line", path="in.csv")
>>> checked.frame["date"].tolist()
['2024-01-16']
>>> checked.rejects[["record", "id", "field", "reason"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[[3, 'b', 'latitude', 'latitude 95.0 is outside -90..90'],
 [4, 'c', 'date', "unparseable date 'soon'; expected YYYY-MM-DD or '16 January 2024'"]]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyproj

from geo.io import placement
from geo.io.dates import (
    DATE_FORMATS,
    FIRST_YEAR,
    date_problems,
    dates_out_of_range,
    last_year,
    parse_dates,
)
from geo.io.formats import FLOAT_FIELDS, INTEGER_FIELDS, LIST_FIELDS, SCHEMA

__all__ = [
    "DATE_FORMATS", "FIRST_YEAR", "LAT_NAMES", "LON_NAMES", "REJECT_COLUMNS", "Checked", "Notes",
    "check_records", "dates_out_of_range", "duplicate_ids", "empty_rejects", "find_coordinate_columns",
    "join_original", "last_year", "normalize", "parse_coordinates", "parse_dates", "reproject", "to_float",
]

#: The first columns of every rejects table.
REJECT_COLUMNS = ("record", "id", "field", "reason")

#: The largest count a whole-number field (fatalities, injured) may hold: 2**53, beyond
#: which a float no longer holds every whole number.
MAX_WHOLE_NUMBER = 2**53

#: Column names recognized as latitude and longitude, in order of preference.
LAT_NAMES = ("latitude", "lat", "y")
LON_NAMES = ("longitude", "lon", "lng", "long", "x")

# Checks run in a fixed order and a record keeps the reason of the first one it fails:
# geometry, coordinates (missing, non-numeric, swapped, out of range), then fields in
# schema order (date, numbers, lists).


@dataclass
class Notes:
    """Warnings about kept records, counted per kind with a few example records.

    A message may hold ``{count}``, which the rendering replaces with the number of records.

    Examples
    --------
    >>> notes = Notes()
    >>> notes.add(np.array([True, False, True]), np.array([2, 3, 4]), "geometry",
    ...           "a Polygon, replaced by a representative point")
    >>> print(*notes.render("in.geojson", "feature"))
    in.geojson: feature 2, feature 4: field 'geometry': a Polygon, replaced by a representative point
    """

    found: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    examples: int = 5

    def add(self, mask: np.ndarray, record: np.ndarray, field_name: str, message: str) -> None:
        """Count the records in ``mask`` under ``(field_name, message)``."""
        count = int(np.count_nonzero(mask))
        if not count:
            return
        entry = self.found.setdefault((field_name, message), [0, []])
        entry[0] += count
        room = self.examples - len(entry[1])
        if room > 0:
            entry[1].extend(int(r) for r in record[mask][:room])

    def merge(self, other: Notes) -> None:
        """Add another chunk's notes to these."""
        for key, (count, examples) in other.found.items():
            entry = self.found.setdefault(key, [0, []])
            entry[0] += count
            entry[1].extend(examples[: self.examples - len(entry[1])])

    def render(self, path: str, unit: str) -> list[str]:
        """One line per kind: file, records (the first few), field and message."""
        lines = []
        ordered = sorted(self.found.items(), key=lambda item: min(item[1][1], default=0))
        for (field_name, message), (count, examples) in ordered:
            where = ", ".join(f"{unit} {r}" for r in examples)
            if count > len(examples):
                where += f" and {count - len(examples)} more"
            lines.append(f"{path}: {where}: field {field_name!r}: {message.replace('{count}', f'{count:,}')}")
        return lines


@dataclass
class Checked:
    """The outcome of :func:`check_records` for one table (or chunk of a file)."""

    frame: pd.DataFrame
    lon: np.ndarray
    lat: np.ndarray
    rejects: pd.DataFrame
    notes: Notes


def find_coordinate_columns(columns: Any) -> tuple[Any, Any]:
    """Return the latitude and longitude columns (or None), matched case-insensitively.

    Examples
    --------
    >>> find_coordinate_columns(["ID", "Lat", "Lng"])
    ('Lat', 'Lng')
    """
    lowered = {str(c).strip().lower(): c for c in columns}
    lat = next((lowered[n] for n in LAT_NAMES if n in lowered), None)
    lon = next((lowered[n] for n in LON_NAMES if n in lowered), None)
    return lat, lon


def _text(values: pd.Series) -> pd.Series:
    """Values as trimmed nullable text, blanks missing."""
    text = values.astype("str").str.strip()
    return text.mask(text == "")


def _blank_as_missing(values: pd.Series) -> pd.Series:
    """Values as text with empty strings missing (CSV blanks already are: a cheap check)."""
    text = values if values.dtype == "str" else values.astype("str")
    blank = (text == "").to_numpy(dtype=bool, na_value=False)
    return text.mask(blank) if blank.any() else text


def to_float(values: pd.Series) -> pd.Series:
    """Numbers from text or numbers; what is not a number becomes NaN.

    pyarrow casts clean text in C++; text with stray spaces or words falls back to pandas.

    Examples
    --------
    >>> to_float(pd.Series(["27.5", " 62 ", "east", None])).tolist()
    [27.5, 62.0, nan, nan]
    """
    if values.dtype.kind in "fiub":
        return values.astype(float)
    if values.dtype == "str":
        try:
            cast = pc.cast(pa.array(values), pa.float64())
            return pd.Series(cast.to_numpy(zero_copy_only=False), index=values.index, dtype=float)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            pass
    return pd.to_numeric(_text(values), errors="coerce").astype(float)


def parse_coordinates(table: pd.DataFrame, lat_col: Any, lon_col: Any) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Parse coordinate columns into floats, with a ``field``/``reason`` per bad record.

    Examples
    --------
    >>> t = pd.DataFrame({"lat": ["27.1", "", "north"], "lon": ["62.5", "63", "64"]})
    >>> lon, lat, problems = parse_coordinates(t, "lat", "lon")
    >>> problems.dropna().values.tolist()
    [['lat', 'missing latitude'], ['lat', "non-numeric latitude 'north'"]]
    """
    problems = pd.DataFrame({"field": pd.Series(None, index=table.index, dtype=object),
                             "reason": pd.Series(None, index=table.index, dtype=object)})
    arrays = {}
    for column, label in ((lat_col, "latitude"), (lon_col, "longitude")):
        values = table[column]
        numbers = to_float(values)
        if numbers.isna().any():  # tell missing from non-numeric only where needed
            raw = _text(values) if values.dtype.kind not in "fiu" else values
            missing = raw.isna().to_numpy()
            wrong = ~missing & numbers.isna().to_numpy()
            _first(problems, missing, str(column), f"missing {label}")
            if wrong.any():
                reason = f"non-numeric {label} " + raw.astype(str).map(repr, na_action="ignore")
                _first(problems, wrong, str(column), reason)
        arrays[label] = numbers.to_numpy()
    return arrays["longitude"], arrays["latitude"], problems


def _first(problems: pd.DataFrame, mask: np.ndarray, field_name: str, reason: Any) -> None:
    """Record ``reason`` for records in ``mask`` that have no problem yet."""
    mask = np.asarray(mask, dtype=bool) & problems["reason"].isna().to_numpy()
    if not mask.any():
        return
    problems.loc[mask, "field"] = field_name
    problems.loc[mask, "reason"] = reason[mask].to_numpy() if isinstance(reason, pd.Series) else reason


def reproject(lon: np.ndarray, lat: np.ndarray, crs: Any) -> tuple[np.ndarray, np.ndarray]:
    """Transform x/y in ``crs`` to WGS84 longitude/latitude (non-finite values stay NaN).

    Examples
    --------
    >>> lon, lat = reproject(np.array([500000.0]), np.array([2987000.0]), "EPSG:32641")
    >>> [round(float(lon[0]), 3), round(float(lat[0]), 2)]
    [63.0, 27.01]
    """
    transformer = pyproj.Transformer.from_crs(pyproj.CRS.from_user_input(crs), "EPSG:4326", always_xy=True)
    ok = np.isfinite(lon) & np.isfinite(lat)
    out_lon = np.full(len(lon), np.nan)
    out_lat = np.full(len(lat), np.nan)
    out_lon[ok], out_lat[ok] = transformer.transform(lon[ok], lat[ok])
    return out_lon, out_lat


def _check_dates(values: pd.Series, column: str, problems: pd.DataFrame, expected: str) -> pd.Series:
    """Parse a date column, noting unparseable dates, impossible times and years out of range."""
    iso, reason = date_problems(values, expected)
    _first(problems, reason.notna().to_numpy(), column, reason)
    return iso


def _decode_list(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Give a list field its lists: JSON arrays in text, one-item lists for plain text."""
    bad = np.zeros(len(values), dtype=bool)
    if isinstance(values.dtype, pd.ArrowDtype) or not values.notna().any():
        return values, bad
    out = values.astype(object).copy()
    if values.dtype == object:
        is_text = values.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool).to_numpy()
        listlike = values.map(lambda v: isinstance(v, (list, np.ndarray)), na_action="ignore").fillna(False)
        bad = values.notna().to_numpy() & ~is_text & ~listlike.astype(bool).to_numpy()  # numbers, objects
    elif values.dtype.kind in "fiub":  # numbers or booleans where a list belongs
        return values.astype(object).where(values.isna(), None), values.notna().to_numpy()
    else:  # a text column (CSV): every filled cell is text
        is_text = values.notna().to_numpy()
    if is_text.any():
        for i in np.flatnonzero(is_text):
            text = values.iat[i].strip()
            if not text:
                out.iat[i] = None
                continue
            if text.startswith("["):
                try:
                    out.iat[i] = json.loads(text)
                except json.JSONDecodeError:
                    bad[i] = True
            else:
                out.iat[i] = [text]
    arrays = (values.map(lambda v: isinstance(v, np.ndarray), na_action="ignore").fillna(False).astype(bool).to_numpy()
              if values.dtype == object else np.zeros(len(values), dtype=bool))
    for i in np.flatnonzero(arrays):  # Parquet gives numpy arrays; the schema holds lists
        out.iat[i] = [dict(v) if isinstance(v, dict) else v for v in values.iat[i].tolist()]
    return out, bad


def _numbers(values: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers from a column, and a reason per value that is not an allowed number."""
    reason = pd.Series(None, index=values.index, dtype=object)
    if values.dtype == object and values.isna().all():  # a field the file does not have
        return pd.Series(pd.NA if integer else np.nan, index=values.index, dtype="Int64" if integer else float), reason
    numbers = to_float(values)
    array = numbers.to_numpy()
    clean = np.isfinite(array) & (array >= 0)
    if integer:
        clean &= (array == np.floor(array)) & (array <= MAX_WHOLE_NUMBER)
    if clean.all():  # the usual column: every value an allowed number, no reason to write
        return (numbers.astype("Int64") if integer else numbers), reason
    if numbers.isna().any():
        text = _text(values) if values.dtype.kind not in "fiub" else values
        wrong = text.notna() & numbers.isna()
        reason[wrong] = "not a number: " + text[wrong].astype(str).map(repr)
    def shown(mask: pd.Series) -> pd.Series:  # the value as written, for the message
        if values.dtype.kind in "fiub":
            return numbers[mask].map("{:g}".format).astype("str")
        return _text(values[mask]).astype(str).map(repr)

    infinite = numbers.notna() & ~np.isfinite(numbers)
    reason[infinite & reason.isna()] = "not a finite number: " + shown(infinite)
    if integer:
        fraction = numbers.notna() & (numbers != np.floor(numbers)) & np.isfinite(numbers)
        reason[fraction & reason.isna()] = "not a whole number: " + numbers[fraction].map("{:g}".format).astype("str")
        huge = np.isfinite(numbers) & (numbers.abs() > MAX_WHOLE_NUMBER)
        reason[huge & reason.isna()] = f"larger than {MAX_WHOLE_NUMBER:,}: " + shown(huge)
    negative = numbers < 0
    reason[negative & reason.isna()] = "negative: " + numbers[negative].map("{:g}".format).astype("str")
    good = numbers.where(reason.isna())
    return (good.astype("Int64") if integer else good), reason


def normalize(table: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """Type the schema's fields (text, Int64, float, lists, ISO dates), noting problems.

    Missing schema columns are added empty; the schema's columns come first, in its order,
    then the others as they were.
    """
    out = pd.DataFrame(index=table.index)
    for column in SCHEMA:
        values = table[column] if column in table.columns else pd.Series(None, index=table.index, dtype=object)
        if column in ("date",):
            out[column] = _check_dates(values, column, problems, "; expected YYYY-MM-DD or '16 January 2024'")
        elif column in INTEGER_FIELDS or column in FLOAT_FIELDS:
            numbers, reason = _numbers(values, integer=column in INTEGER_FIELDS)
            _first(problems, reason.notna().to_numpy(), column, reason)
            out[column] = numbers
        elif column in LIST_FIELDS:
            lists, bad = _decode_list(values)
            _first(problems, bad, column, "not a JSON array such as [\"a\", \"b\"]")
            out[column] = lists
        else:
            out[column] = _blank_as_missing(values)
    for column in table.columns:
        if column in out.columns:
            continue
        if column == "date_end":
            out[column] = _check_dates(table[column], column, problems, "")
        else:
            out[column] = table[column]
    return out


def duplicate_ids(ids: pd.Series, record: np.ndarray, unit: str) -> pd.Series:
    """A reason for each record whose id an earlier record already has (else missing).

    Examples
    --------
    >>> duplicate_ids(pd.Series(["a", "b", "a", None, None]), np.arange(2, 7), "line").tolist()
    [None, None, "duplicate id 'a' (first at line 2)", None, None]
    """
    reason = pd.Series(None, index=ids.index, dtype=object)
    present = ids.notna().to_numpy()
    if not present.any():
        return reason
    dup = ids.duplicated(keep="first").to_numpy() & present
    if dup.any():
        first = pd.Series(record, index=ids.index)[present].groupby(ids[present].to_numpy(), sort=False).transform("first")
        where = first.reindex(ids.index)[dup]
        reason[dup] = ("duplicate id " + ids[dup].astype(str).map(repr) + f" (first at {unit} "
                       + where.astype("int64").astype(str) + ")").to_numpy()
    return reason.astype(object).where(reason.notna(), None)


class SupportsRows(Protocol):
    """Fields as read that give up a boolean selection of rows (``original[mask]``)."""

    def __getitem__(self, rows: np.ndarray, /) -> pd.DataFrame: ...


def check_records(
    table: pd.DataFrame,
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    record: np.ndarray,
    unit: str,
    path: str,
    problems: pd.DataFrame | None = None,
    crs: Any = None,
    fix_swapped: bool = False,
    original: pd.DataFrame | SupportsRows | None = None,
    lat_field: str = "latitude",
    lon_field: str = "longitude",
    region_only: bool = False,
) -> Checked:
    """Check and type one table of records; split the good from the rejected.

    Parameters
    ----------
    table : DataFrame
        Properties in the incident schema (see :mod:`geo.io.formats`), any dtypes.
    lon, lat : ndarray
        Coordinates in ``crs`` (NaN where missing); index-aligned with ``table``.
    record : ndarray of int
        The record number of each row as the file shows it (see the module notes).
    unit : str
        What ``record`` counts: "line", "feature" or "row".
    path : str
        The file, for messages.
    problems : DataFrame, optional
        ``field`` and ``reason`` found by the reader (missing or non-point geometry...).
    crs : optional
        The declared CRS; a projected one is transformed to WGS84.
    fix_swapped : bool
        Swap latitude and longitude where they look swapped and the swapped point lies in
        the study region, instead of reporting it (see :mod:`geo.io.placement`).
    original : DataFrame or SupportsRows, optional
        The fields as read, written after the reason in the rejects (default ``table``);
        only its rejected rows are taken (``original[mask]``).
    region_only : bool
        Reject the records outside the study region instead of warning about them.

    Returns
    -------
    Checked
        ``frame`` (good records, typed, index kept), their ``lon``/``lat``, the ``rejects``
        and ``notes`` for warnings.
    """
    notes = Notes()
    if problems is None:
        problems = pd.DataFrame({"field": pd.Series(None, index=table.index, dtype=object),
                                 "reason": pd.Series(None, index=table.index, dtype=object)})
    lon = np.asarray(lon, dtype=float).copy()
    lat = np.asarray(lat, dtype=float).copy()
    if crs is not None:
        crs = pyproj.CRS.from_user_input(crs)
        if not crs.equals("EPSG:4326") and not crs.equals("OGC:CRS84"):
            lon, lat = reproject(lon, lat, crs)
            bad = problems["reason"].isna().to_numpy() & ~(np.isfinite(lon) & np.isfinite(lat))
            _first(problems, bad, "geometry", f"cannot transform from {crs.to_string()} to WGS84")

    both = f"{lat_field}/{lon_field}" if lat_field != lon_field else lat_field
    swaps = placement.check_swaps(lon, lat, problems["reason"].isna().to_numpy(), fix_swapped=fix_swapped)
    lon, lat = swaps.lon, swaps.lat
    _first(problems, swaps.reject, both, pd.Series(swaps.reason, index=table.index))
    for mask, message in swaps.notes:
        notes.add(mask, record, both, message)
    lat_out = np.abs(lat) > 90
    _first(problems, lat_out, lat_field,
           _describe(lat_out, table.index, lambda i: f"latitude {float(lat[i])!r} is outside -90..90"))
    lon_out = np.abs(lon) > 180
    _first(problems, lon_out, lon_field,
           _describe(lon_out, table.index, lambda i: f"longitude {float(lon[i])!r} is outside -180..180"))
    # NaN passes every comparison above: a coordinate that is not finite is not a location
    not_finite = ~(np.isfinite(lon) & np.isfinite(lat))
    _first(problems, not_finite, both, "missing or non-finite coordinates")
    region = placement.check_region(lon, lat, problems["reason"].isna().to_numpy(), region_only=region_only,
                                    suspected=swaps.suspected, inside=swaps.inside)
    _first(problems, region.reject, both, pd.Series(region.reason, index=table.index))
    for mask, message in region.notes:
        notes.add(mask, record, both, message)

    frame = normalize(table, problems)
    rejected = problems["reason"].notna().to_numpy()
    original = table if original is None else original
    ids = frame["id"]
    rejects = pd.DataFrame({
        "record": record[rejected].astype("int64"),
        "id": ids[rejected].to_numpy(dtype=object),
        "field": problems["field"][rejected].to_numpy(dtype=object),
        "reason": problems["reason"][rejected].to_numpy(dtype=object),
    }, index=table.index[rejected])
    rejects = join_original(rejects, original[rejected])
    keep = ~rejected
    if keep.all():  # the usual case: no copy of every column
        return Checked(frame, lon, lat, rejects, notes)
    return Checked(frame[keep], lon[keep], lat[keep], rejects, notes)


def _describe(mask: np.ndarray, index: pd.Index, text: Any) -> pd.Series:
    """Reasons for the records in ``mask`` only (formatting every record would be slow)."""
    reason = pd.Series(None, index=index, dtype=object)
    positions = np.flatnonzero(mask)
    if len(positions):
        reason.iloc[positions] = [text(i) for i in positions]
    return reason


def join_original(rejects: pd.DataFrame, original: pd.DataFrame) -> pd.DataFrame:
    """Append the original fields after the reject columns (renaming clashes ``_original``)."""
    # the id is already in front; other clashing names keep their value under a new name
    extra = original.drop(columns=[c for c in original.columns if c == "id"])
    extra = extra.rename(columns=lambda c: f"{c}_original" if c in REJECT_COLUMNS else c)
    return pd.concat([rejects, extra.set_axis(rejects.index)], axis=1)


def empty_rejects() -> pd.DataFrame:
    """A rejects table with no rows.

    Examples
    --------
    >>> empty_rejects().columns.tolist()
    ['record', 'id', 'field', 'reason']
    """
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "record" else object) for c in REJECT_COLUMNS})
