"""Column layouts of ACLED and UCDP GED exports, and their mapping to the incident schema.

The incident schema is that of ``data/incidents.geojson`` (:data:`SCHEMA`). A table in one
of the known layouts is recognized by its columns (:func:`detect_layout`) and mapped by
:func:`from_acled` or :func:`from_ucdp`: the source's own fields are renamed or derived into
the schema, and every column the schema has no place for is kept under its own name. The
mapping is vectorised (pandas and pyarrow compute), so it runs on millions of rows without
a per-row Python loop.

Precision choices (documented here because users will compare them):

- ACLED ``geo_precision`` 1 (the named town), 2 (near it, part of a district), 3 (a larger
  region, the district or province capital stands in) become ``precision_km`` 2, 25 and 50
  (:data:`ACLED_PRECISION_KM`): a town's extent; about the radius of a Balochistan tehsil;
  about the radius of a district or county there.
- UCDP ``where_prec`` 1 (exact place) to 7 (international waters or airspace) become
  ``geo_precision`` 1, 2 or 3 (ACLED's scale, so that maps treat both alike) and the radii of
  :data:`UCDP_PRECISION_KM`: 1 km, 25 km (UCDP's own "within 25 km"), 50 km (a
  second-order division), 150 km (a province here), 50 km (a linear feature such as a road
  or border stretch), 500 km (the country only) and 500 km (waters or airspace).
- ACLED ``time_precision`` 1/2/3 and UCDP ``date_prec`` 1-5 become the schema's
  ``date_precision`` words (:data:`ACLED_DATE_PRECISION`, :data:`UCDP_DATE_PRECISION`).

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({c: [""] for c in ACLED_COLUMNS}, dtype="str")
>>> detect_layout(table.columns)
'acled'
>>> detect_layout(["id", "latitude", "longitude"]) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import InputFileError

#: Properties of an incident, in the order of ``data/incidents.geojson``.
SCHEMA = (
    "id", "date", "date_precision", "event_type", "sub_event_type", "title", "summary",
    "actor1", "actor2", "fatalities", "fatalities_note", "injured", "country", "admin1",
    "admin2", "location", "location_variants", "geo_precision", "precision_km", "geocoding",
    "sources",
)

#: Schema fields held as whole numbers (nullable) and as floats.
INTEGER_FIELDS = ("fatalities", "injured", "geo_precision")
FLOAT_FIELDS = ("precision_km",)
#: Schema fields holding lists (JSON arrays in CSV cells).
LIST_FIELDS = ("location_variants", "sources")

# The 31 columns of an ACLED export (data export tool and API, 2023-2025), in order, as
# listed in the ACLED Codebook and in the API's `fields` parameter; older exports add
# data_id, event_id_no_cnty and iso3 and lack disorder_type, civilian_targeting and tags.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)

# The 49 columns of the UCDP Georeferenced Event Dataset (GED) global CSV, in order, as in
# the GED codebook (versions 20.1 to 25.1, "GEDEvent_vXX_1.csv").
UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)

#: The columns that identify each layout (all must be present).
ACLED_REQUIRED = ("event_id_cnty", "event_date", "latitude", "longitude")
UCDP_REQUIRED = ("id", "date_start", "where_prec", "best", "latitude", "longitude")

ACLED_PRECISION_KM = {1: 2.0, 2: 25.0, 3: 50.0}
UCDP_PRECISION_KM = {1: 1.0, 2: 25.0, 3: 50.0, 4: 150.0, 5: 50.0, 6: 500.0, 7: 500.0}
UCDP_GEO_PRECISION = {1: 1, 2: 2, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}
ACLED_DATE_PRECISION = {1: "day", 2: "week", 3: "month"}
# UCDP date_prec: 1 exact day, 2 within 2-6 days, 3 the week, 4 within 8-30 days or the
# month, 5 more than a month (the year)
UCDP_DATE_PRECISION = {1: "day", 2: "days", 3: "week", 4: "month", 5: "year"}
UCDP_VIOLENCE = {1: "State-based conflict", 2: "Non-state conflict", 3: "One-sided violence"}

# Countries of the region and its neighbours, by the names ACLED and UCDP use and by the
# ISO 3166 numeric code in ACLED's `iso`; others keep their name in `country_name`.
COUNTRY_ISO3 = {
    "pakistan": "PAK", "iran": "IRN", "iran (islamic republic of)": "IRN", "afghanistan": "AFG",
    "india": "IND", "iraq": "IRQ", "turkey": "TUR", "türkiye": "TUR", "oman": "OMN",
    "united arab emirates": "ARE", "turkmenistan": "TKM", "tajikistan": "TJK", "china": "CHN",
    "azerbaijan": "AZE", "armenia": "ARM", "saudi arabia": "SAU", "qatar": "QAT",
    "bahrain": "BHR", "kuwait": "KWT",
}
ISO_NUMERIC_ISO3 = {
    "586": "PAK", "364": "IRN", "4": "AFG", "356": "IND", "368": "IRQ", "792": "TUR",
    "512": "OMN", "784": "ARE", "795": "TKM", "762": "TJK", "156": "CHN", "31": "AZE",
    "51": "ARM", "682": "SAU", "634": "QAT", "48": "BHR", "414": "KWT",
}

_SOURCE_TYPE = pa.struct([("title", pa.string()), ("publisher", pa.string()),
                          ("date", pa.string()), ("url", pa.string())])


#: The coordinate columns of an export, which a file with geometries does not need.
COORDINATE_COLUMNS = ("latitude", "longitude")


def _required(layout: str, located: bool) -> tuple[str, ...]:
    required = ACLED_REQUIRED if layout == "acled" else UCDP_REQUIRED
    return tuple(c for c in required if c not in COORDINATE_COLUMNS) if located else required


def detect_layout(columns: Iterable[object], *, located: bool = False) -> str | None:
    """Name the export layout that ``columns`` belong to: "acled", "ucdp" or None.

    ``located=True`` is for a file whose records carry geometries (GeoParquet, GeoJSON,
    GeoPackage): an export converted to one keeps its fields but may drop the latitude
    and longitude columns its points were made from.

    Examples
    --------
    >>> detect_layout(UCDP_COLUMNS)
    'ucdp'
    >>> acled_points = [c for c in ACLED_COLUMNS if c not in ("latitude", "longitude")]
    >>> detect_layout(acled_points), detect_layout(acled_points, located=True)
    (None, 'acled')
    """
    names = {str(c).strip().lower() for c in columns}
    if set(_required("acled", located)) <= names:
        return "acled"
    if set(_required("ucdp", located)) <= names:
        return "ucdp"
    return None


def require_layout(columns: Iterable[object], layout: str, path: str, *, located: bool = False) -> None:
    """Raise :class:`~geo.errors.InputFileError` unless ``columns`` hold ``layout``'s keys
    (the coordinate columns not needed when ``located``, see :func:`detect_layout`)."""
    required = _required(layout, located)
    names = {str(c).strip().lower() for c in columns}
    missing = [c for c in required if c not in names]
    if missing:
        msg = f"not a {layout.upper()} export: missing the column(s) {', '.join(missing)}"
        raise InputFileError(msg, path=path)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as nullable text with blanks as missing (absent columns are all missing)."""
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="str")
    values = frame[column]
    if values.dtype != "str":
        values = values.astype("str")  # pyarrow-backed: compact at 10M rows
    blank = (values == "").to_numpy(dtype=bool, na_value=False)
    return values.mask(blank) if blank.any() else values  # CSV blanks are already missing


def _code_key(value: object) -> object:
    """'2', '2.0' and 2 are the same code."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _coded(frame: pd.DataFrame, column: str, mapping: dict, dtype: str = "str") -> pd.Series:
    """Map a numeric code column through ``mapping``; text that is not a code stays missing."""
    values = _text(frame, column)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    looked_up = np.array([mapping.get(_code_key(u)) for u in uniques] + [None], dtype=object)
    out = pd.Series(looked_up[codes], index=values.index)
    return out.astype(dtype) if dtype != "float" else out.astype(float)


def _country_iso3(names: pd.Series, numeric: pd.Series | None = None) -> pd.Series:
    lookup = {**COUNTRY_ISO3}
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    iso3 = [u if isinstance(u, str) and len(u) == 3 and u.isupper() else lookup.get(str(u).lower()) for u in uniques]
    out = pd.Series(np.array([*iso3, None], dtype=object)[codes], index=names.index)
    if numeric is not None:
        by_code = {k: v for k, v in ISO_NUMERIC_ISO3.items()}
        numbers = _coded(pd.DataFrame({"iso": numeric}), "iso", {int(k): v for k, v in by_code.items()}, "object")
        out = out.where(out.notna(), numbers)
    return out.astype("str")


def _sources(texts: pd.Series, field: str) -> pd.Series:
    """Split "A; B" into a list of source objects ``{title, publisher, date, url}``.

    Built with pyarrow compute, so ten million rows take seconds and little memory.
    """
    array = pa.array(texts.astype(object).where(texts.notna(), None), type=pa.string())
    parts = pc.split_pattern(array, ";")
    flat = pc.utf8_trim(pc.list_flatten(parts), characters=' \t\n"')  # UCDP quotes each article
    flat = pc.if_else(pc.equal(flat, ""), pa.scalar(None, pa.string()), flat)
    blank = pa.nulls(len(flat), pa.string())
    children = {"title": blank, "publisher": blank, "date": blank, "url": blank}
    children[field] = flat
    items = pa.StructArray.from_arrays(list(children.values()), names=list(children))
    lists = pa.ListArray.from_arrays(parts.offsets, items, mask=pc.is_null(array))
    return pd.Series(lists, index=texts.index, dtype=pd.ArrowDtype(lists.type))


def _keep_rest(out: pd.DataFrame, frame: pd.DataFrame, used: set[str]) -> pd.DataFrame:
    """Append the source's own columns that the schema has no place for."""
    extra = {}
    for column in frame.columns:
        if column in used or column in out.columns:
            continue
        extra[column] = frame[column]
    return pd.concat([out, pd.DataFrame(extra, index=frame.index)], axis=1) if extra else out


def from_acled(frame: pd.DataFrame) -> pd.DataFrame:
    """Map an ACLED export (all columns as text) to the incident schema.

    ``latitude`` and ``longitude`` stay as they are for :mod:`geo.io.validate` to check; dates
    stay as written (both "16 January 2024" and "2024-01-16" are parsed later).

    Examples
    --------
    >>> row = {c: "" for c in ACLED_COLUMNS}
    >>> row.update(event_id_cnty="PAK1", event_date="16 January 2024", time_precision="1",
    ...            iso="586", country="Pakistan", geo_precision="2", source="Dawn; Geo News",
    ...            notes="Invented example.", fatalities="2", latitude="26.9", longitude="63.1")
    >>> out = from_acled(pd.DataFrame([row], dtype="str"))
    >>> out.loc[0, ["id", "date", "date_precision", "country"]].tolist()
    ['PAK1', '16 January 2024', 'day', 'PAK']
    >>> float(out.loc[0, "precision_km"])
    25.0
    >>> [s["publisher"] for s in out.loc[0, "sources"]]
    ['Dawn', 'Geo News']
    """
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    out = pd.DataFrame(index=frame.index)
    out["id"] = _text(frame, "event_id_cnty")
    out["date"] = _text(frame, "event_date")
    out["date_precision"] = _coded(frame, "time_precision", ACLED_DATE_PRECISION)
    out["event_type"] = _text(frame, "event_type")
    out["sub_event_type"] = _text(frame, "sub_event_type")
    out["summary"] = _text(frame, "notes")
    out["actor1"] = _text(frame, "actor1")
    out["actor2"] = _text(frame, "actor2")
    out["fatalities"] = _text(frame, "fatalities")
    out["country"] = _country_iso3(_text(frame, "country"), _text(frame, "iso"))
    out["admin1"] = _text(frame, "admin1")
    out["admin2"] = _text(frame, "admin2")
    out["location"] = _text(frame, "location")
    out["geo_precision"] = _text(frame, "geo_precision")
    out["precision_km"] = _coded(frame, "geo_precision", ACLED_PRECISION_KM, "float")
    out["sources"] = _sources(_text(frame, "source"), "publisher")
    for column in COORDINATE_COLUMNS:  # absent where geometries locate the records
        if column in frame.columns:
            out[column] = frame[column]
    out["country_name"] = _text(frame, "country")
    used = {"event_id_cnty", "event_date", "time_precision", "notes", "source", "iso", "country"}
    return _keep_rest(out, frame, used)


def from_ucdp(frame: pd.DataFrame) -> pd.DataFrame:
    """Map a UCDP GED CSV (all columns as text) to the incident schema.

    ``best`` becomes ``fatalities`` and ``low``/``high`` a ``fatalities_note``; ``date_end``
    and ``where_prec`` are kept beside the schema fields.

    Examples
    --------
    >>> row = {c: "" for c in UCDP_COLUMNS}
    >>> row.update(id="900001", type_of_violence="3", side_a="Jaish al-Adl",
    ...            side_b="Civilians", where_prec="2", date_prec="1", country="Iran",
    ...            date_start="2019-02-13 00:00:00.000", date_end="2019-02-13 00:00:00.000",
    ...            best="27", low="27", high="30", latitude="29.6", longitude="60.9")
    >>> out = from_ucdp(pd.DataFrame([row], dtype="str"))
    >>> out.loc[0, ["id", "event_type", "fatalities", "fatalities_note", "country"]].tolist()
    ['900001', 'One-sided violence', '27', 'UCDP estimates: best 27, low 27, high 30', 'IRN']
    """
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    best, low, high = (_text(frame, c) for c in ("best", "low", "high"))
    out = pd.DataFrame(index=frame.index)
    out["id"] = _text(frame, "id")
    out["date"] = _text(frame, "date_start")
    out["date_precision"] = _coded(frame, "date_prec", UCDP_DATE_PRECISION)
    out["event_type"] = _coded(frame, "type_of_violence", UCDP_VIOLENCE)
    out["title"] = _text(frame, "dyad_name")
    out["summary"] = _text(frame, "where_description")
    out["actor1"] = _text(frame, "side_a")
    out["actor2"] = _text(frame, "side_b")
    out["fatalities"] = best
    note = "UCDP estimates: best " + best.fillna("?") + ", low " + low.fillna("?") + ", high " + high.fillna("?")
    out["fatalities_note"] = note.where(best.notna() | low.notna() | high.notna())
    out["country"] = _country_iso3(_text(frame, "country"))
    out["admin1"] = _text(frame, "adm_1")
    out["admin2"] = _text(frame, "adm_2")
    out["location"] = _text(frame, "where_coordinates")
    out["geo_precision"] = _coded(frame, "where_prec", UCDP_GEO_PRECISION, "Int64")
    out["precision_km"] = _coded(frame, "where_prec", UCDP_PRECISION_KM, "float")
    out["sources"] = _sources(_text(frame, "source_article"), "title")
    for column in COORDINATE_COLUMNS:
        if column in frame.columns:
            out[column] = frame[column]
    out["date_end"] = _text(frame, "date_end")
    out["country_name"] = _text(frame, "country")
    used = {"id", "date_start", "date_prec", "type_of_violence", "dyad_name", "where_description",
            "side_a", "side_b", "best", "country", "adm_1", "adm_2", "where_coordinates",
            "source_article", "date_end"}
    return _keep_rest(out, frame, used)


def to_schema(frame: pd.DataFrame, layout: str | None) -> pd.DataFrame:
    """Map a table in ``layout`` ("acled", "ucdp" or None for the schema itself).

    Examples
    --------
    >>> to_schema(pd.DataFrame({"id": ["a"]}), None).columns.tolist()
    ['id']
    """
    if layout == "acled":
        return from_acled(frame)
    if layout == "ucdp":
        return from_ucdp(frame)
    return frame


__all__ = [
    "ACLED_COLUMNS", "ACLED_PRECISION_KM", "SCHEMA", "UCDP_COLUMNS", "UCDP_PRECISION_KM",
    "detect_layout", "from_acled", "from_ucdp", "to_schema",
]
