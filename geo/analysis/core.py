"""Border proximity analysis: province, distance, side, band and uncertainty per incident.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> points = gpd.GeoDataFrame(
...     {"id": ["a", "b"], "precision_km": [5.0, 0.0]},
...     geometry=[Point(63.4, 27.0), Point(60.86, 29.50)], crs="EPSG:4326",
... )
>>> result = analyze(points)
>>> result[["country", "admin1", "border_side", "distance_band"]].values.tolist()
[['PAK', 'Balochistan', 'PAK', '10–25 km'], ['IRN', 'Sistan and Baluchestan', 'IRN', '25–50 km']]
>>> result[["border_distance_km", "border_distance_min_km", "border_distance_max_km"]].round(1).values.tolist()
[[14.7, 9.7, 19.7], [25.4, 25.4, 25.4]]
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import settings
from geo.errors import GeoValueError
from geo.geodesy.distance import PreparedLine, nearest_border_table, point_coordinates
from geo.geodesy.region import check_margin, in_region, may_be_within

logger = logging.getLogger("geo")

#: Columns that ``analyze`` adds, in order.
ANALYSIS_COLUMNS = (
    "country",
    "admin1",
    "admin1_code",
    "admin1_snapped",
    "outside_provinces",
    "admin1_mismatch",
    "border_distance_km",
    "border_side",
    "side_basis",
    "in_region",
    "nearest_border_lon",
    "nearest_border_lat",
    "border_bearing_deg",
    "distance_band",
    "border_distance_min_km",
    "border_distance_max_km",
    "border_source_spread_km",
    "analysis_border",
)

#: ISO3 of the country on each side of the border walked from the tripoint to Gwatar Bay.
LEFT_SIDE, RIGHT_SIDE = "PAK", "IRN"

#: ``border_side`` of a point in neither country (Afghanistan, the open sea, elsewhere).
OUTSIDE = "outside"

#: Values of ``side_basis``: inside the country's land, or at sea within its coastal reach.
LAND, NEAREST_COAST = "land", "nearest coast"


def band_labels(bands: Sequence[float]) -> list[str]:
    """Labels of the distance bands, from the band edges in km.

    Examples
    --------
    >>> band_labels((10, 25))
    ['0–10 km', '10–25 km', '25+ km']
    """
    edges = [0, *bands]
    labels = [f"{_fmt(lo)}–{_fmt(hi)} km" for lo, hi in itertools.pairwise(edges)]
    return [*labels, f"{_fmt(edges[-1])}+ km"]


def _fmt(value: float) -> str:
    return f"{value:g}"


def check_bands(bands: Sequence[float]) -> tuple[float, ...]:
    """The band edges as increasing positive floats, or a GeoValueError naming ``bands``."""
    try:
        values = tuple(float(b) for b in bands)
    except (TypeError, ValueError):
        raise GeoValueError(f"bands must be numbers of km, not {bands!r}") from None
    if not values or any(not np.isfinite(v) or v <= 0 for v in values) or list(values) != sorted(set(values)):
        raise GeoValueError(f"bands must be increasing positive km such as (10, 25, 50, 100), not {bands!r}")
    return values


def distance_band(distance_km: pd.Series, bands: Sequence[float] = settings.DEFAULT_BANDS_KM) -> pd.Series:
    """Label each distance with its band: '0–10 km', ..., '100+ km'.

    A distance on a band's edge belongs to the lower band. Missing distances stay missing.

    Examples
    --------
    >>> distance_band(pd.Series([0.0, 10.0, 10.5, 250.0])).tolist()
    ['0–10 km', '0–10 km', '10–25 km', '100+ km']
    """
    edges = check_bands(bands)
    labels = np.array(band_labels(edges), dtype=object)
    values = distance_km.to_numpy(dtype=float)
    index = np.searchsorted(np.asarray(edges), values, side="left")
    out = np.where(np.isnan(values), None, labels[np.minimum(index, len(labels) - 1)])
    return pd.Series(out, index=distance_km.index, name="distance_band", dtype=object)


def _normalize_name(value: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value).lower())


class _ProvinceIndex:
    """Prepared provinces for vectorised point-in-polygon tests and near-miss snapping."""

    def __init__(self, table: gpd.GeoDataFrame) -> None:
        self.table = table
        self.geoms = table.geometry.to_numpy()
        for geom in self.geoms:
            shapely.prepare(geom)
        self.bounds = shapely.bounds(self.geoms)
        self._rings: dict[int, list[PreparedLine]] = {}

    def rings(self, k: int) -> list[PreparedLine]:
        """The boundary rings of province ``k``, prepared for exact geodesic distances."""
        if k not in self._rings:
            parts = getattr(self.geoms[k], "geoms", [self.geoms[k]])
            coords = [np.asarray(r.coords) for poly in parts for r in (poly.exterior, *poly.interiors)]
            self._rings[k] = [PreparedLine(c[:, 0], c[:, 1]) for c in coords]
        return self._rings[k]

    def containing(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index of the province holding each point, or -1."""
        found = np.full(len(lon), -1, dtype=np.int64)
        for k, geom in enumerate(self.geoms):
            xmin, ymin, xmax, ymax = self.bounds[k]
            idx = np.flatnonzero((found < 0) & (lon >= xmin) & (lon <= xmax) & (lat >= ymin) & (lat <= ymax))
            found[idx[shapely.contains_xy(geom, lon[idx], lat[idx])]] = k
        return found


@functools.lru_cache(maxsize=1)
def province_lookup() -> _ProvinceIndex:
    from geo.reference.boundaries import provinces

    return _ProvinceIndex(provinces().reset_index(drop=True))


def assign_provinces(points: gpd.GeoSeries, snap_km: float = settings.SNAP_KM) -> pd.DataFrame:
    """Country and province of each point, snapping near misses to the nearest province.

    Points inside a province take it. Points outside every province but within
    ``snap_km`` (geodesic) of one, such as coastal towns on a coarse coastline, take the
    nearest with ``admin1_snapped=True``. The rest get missing values and
    ``outside_provinces=True``.

    Returns
    -------
    pandas.DataFrame
        Index-aligned: ``country``, ``admin1``, ``admin1_code``, ``admin1_snapped``,
        ``outside_provinces``.
    """
    lon, lat, valid = point_coordinates(points)
    return _assign_provinces(lon, lat, valid, points.index, snap_km)


class _SideIndex:
    """Pakistan's and Iran's land, and the coasts of the two border provinces."""

    def __init__(self) -> None:
        from geo.reference.boundaries import countries, provinces

        land = countries().set_index("iso3").geometry
        self.land = {iso: land[iso] for iso in (LEFT_SIDE, RIGHT_SIDE, "AFG")}
        for geom in self.land.values():
            shapely.prepare(geom)
        table = provinces()
        focus = table[table["focus"]].set_index("country").geometry
        # a coast is the part of a border province's outline that touches no other land
        # polygon: neighbouring provinces, Afghanistan, the other border province
        others = shapely.union_all([*table.loc[~table["focus"], "geometry"], land["AFG"]])
        self.coast: dict[str, list[PreparedLine]] = {}
        self.coast_lines: dict[str, BaseGeometry] = {}
        for iso in (LEFT_SIDE, RIGHT_SIDE):
            other_side = focus[RIGHT_SIDE if iso == LEFT_SIDE else LEFT_SIDE]
            line = shapely.line_merge(focus[iso].boundary.difference(shapely.union(others, other_side).buffer(1e-4)))
            self.coast_lines[iso] = line
            self.coast[iso] = [PreparedLine(*np.asarray(part.coords).T) for part in getattr(line, "geoms", [line])]

    @functools.cached_property
    def coasts(self) -> BaseGeometry:
        """Both coasts as one geometry, for the reach prefilter."""
        return shapely.union_all(list(self.coast_lines.values()))


@functools.lru_cache(maxsize=1)
def side_lookup() -> _SideIndex:
    return _SideIndex()


def _assign_sides(lon: np.ndarray, lat: np.ndarray, valid: np.ndarray, row_index: pd.Index,
                  reach_km: float) -> pd.DataFrame:
    index = side_lookup()
    n = len(lon)
    side = np.full(n, None, dtype=object)
    basis = np.full(n, None, dtype=object)
    todo = np.flatnonzero(valid)
    for iso, geom in index.land.items():
        hit = shapely.contains_xy(geom, lon[todo], lat[todo])
        side[todo[hit]] = iso if iso in (LEFT_SIDE, RIGHT_SIDE) else OUTSIDE
        basis[todo[hit]] = LAND
        todo = todo[~hit]
    side[todo] = OUTSIDE
    near = todo[may_be_within(index.coasts, lon[todo], lat[todo], reach_km)] if reach_km > 0 else todo[:0]
    if len(near):
        km = np.column_stack([
            np.min([ring.nearest(lon[near], lat[near]).distance_m for ring in index.coast[iso]], axis=0) / 1000.0
            for iso in (LEFT_SIDE, RIGHT_SIDE)
        ])
        nearer = np.where(km[:, 0] <= km[:, 1], LEFT_SIDE, RIGHT_SIDE)
        reached = km.min(axis=1) <= reach_km
        side[near[reached]] = nearer[reached]
        basis[near[reached]] = NEAREST_COAST
    return pd.DataFrame({"border_side": side, "side_basis": basis}, index=row_index)


def assign_sides(points: gpd.GeoSeries, reach_km: float = settings.COASTAL_REACH_KM) -> pd.DataFrame:
    """The side of the border each point is on: the country it lies in, from the spatial join.

    ``border_side`` is ``"PAK"`` or ``"IRN"`` for a point on that country's land, and
    ``"outside"`` for a point in neither (Afghanistan, the sea, anywhere else). A point at
    sea within ``reach_km`` (geodesic) of the coast of Balochistan or of Sistan and
    Baluchestan, such as the mouth of Gwatar Bay, takes the side of the nearer coast.
    ``side_basis`` says which rule gave the side: ``"land"`` (inside Pakistan, Iran or
    Afghanistan), ``"nearest coast"``, or missing (in none of them and beyond the reach).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> points = gpd.GeoSeries([Point(61.50, 31.03), Point(65.71, 31.61), Point(61.55, 25.10), None],
    ...                        crs="EPSG:4326")   # Zabol, Kandahar, Gwatar Bay mouth, missing
    >>> assign_sides(points).values.tolist()
    [['IRN', 'land'], ['outside', 'land'], ['IRN', 'nearest coast'], [nan, nan]]
    """
    lon, lat, valid = point_coordinates(points)
    return _assign_sides(lon, lat, valid, points.index, check_margin(reach_km))


def _assign_provinces(
    lon: np.ndarray, lat: np.ndarray, valid: np.ndarray, row_index: pd.Index, snap_km: float
) -> pd.DataFrame:
    index = province_lookup()
    table = index.table
    n = len(lon)
    found = np.full(n, -1, dtype=np.int64)
    found[valid] = index.containing(lon[valid], lat[valid])
    snapped = np.zeros(n, dtype=bool)
    loose = np.flatnonzero(valid & (found < 0))
    if len(loose) and snap_km > 0:
        best = np.full(len(loose), np.inf)
        for k in range(len(table)):
            members = np.flatnonzero(may_be_within(index.geoms[k], lon[loose], lat[loose], snap_km))
            if not len(members):
                continue
            distance = np.min([ring.nearest(lon[loose][members], lat[loose][members]).distance_m for ring in index.rings(k)], axis=0)
            closer = (distance <= snap_km * 1000.0) & (distance < best[members])
            best[members[closer]] = distance[closer]
            found[loose[members[closer]]] = k
        snapped[loose[np.isfinite(best)]] = True
    has = found >= 0
    pick = np.where(has, found, 0)
    out = pd.DataFrame(index=row_index)
    out["country"] = np.where(has, table["country"].to_numpy()[pick], None)
    out["admin1"] = np.where(has, table["name"].to_numpy()[pick], None)
    out["admin1_code"] = np.where(has, table["iso_3166_2"].to_numpy()[pick], None)
    out["admin1_snapped"] = snapped
    out["outside_provinces"] = valid & ~has
    return out


def analyzed(frame: gpd.GeoDataFrame, border: str = settings.DEFAULT_BORDER) -> gpd.GeoDataFrame:
    """Return ``frame`` as it is when it already holds every analysis column, else analyze it.

    For commands that accept both raw incidents and the output of ``geo analyze``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> raw = gpd.GeoDataFrame(geometry=[Point(63.4, 27.0)], crs="EPSG:4326")
    >>> once = analyzed(raw)
    >>> analyzed(once) is once
    True
    """
    if set(ANALYSIS_COLUMNS) <= set(frame.columns):
        measured_with = frame["analysis_border"].dropna().unique()
        if len(frame) == 0 or list(measured_with) == [border]:
            return frame
        logger.info("the incidents were measured against the %s border; measuring them against %r",
                    " and ".join(repr(b) for b in measured_with) or "an unknown", border)
    else:
        logger.info("measuring %d incidents against the %r border", len(frame), border)
    return analyze(frame, border=border)


def without_analysis(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` without the columns of an earlier analysis, its stated columns kept.

    ``country`` and ``admin1`` as the records state them become ``country_stated`` and
    ``admin1_stated``. A frame analyzed before (it has ``analysis_border``, or
    ``admin1_code`` and ``border_distance_km`` from before that column) keeps its stated columns, and its joined ``country`` and ``admin1``
    go with the other analysis columns, so that analyzing again (against another border,
    with other bands) replaces the earlier analysis.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> raw = gpd.GeoDataFrame({"admin1": ["Baluchistan"]}, geometry=[Point(63.4, 27.0)], crs="EPSG:4326")
    >>> once = analyze(raw)
    >>> list(without_analysis(once).columns)
    ['admin1_stated', 'geometry']
    """
    measured = "analysis_border" in frame.columns or {"admin1_code", "border_distance_km"} <= set(frame.columns)
    if not measured:
        frame = frame.rename(columns={c: f"{c}_stated" for c in ("country", "admin1") if c in frame.columns})
        if frame.columns.duplicated().any():
            clash = sorted(set(frame.columns[frame.columns.duplicated()]))
            raise GeoValueError(f"incidents have both {[c.removesuffix('_stated') for c in clash]} and "
                                f"{clash}, but no other analysis columns; rename one of them")
    return frame.drop(columns=[c for c in ANALYSIS_COLUMNS if c in frame.columns])


def _admin1_mismatch(stated: pd.Series, computed_code: pd.Series) -> pd.Series:
    """True where a stated province names a different province than the computed one."""
    table = province_lookup().table
    names = {
        row.iso_3166_2: {_normalize_name(n) for n in [row.name, row.iso_3166_2, *(row.alt_names or [])]}
        for row in table.itertuples()
    }
    valid_keys = [f"{code}|{name}" for code, aliases in names.items() for name in aliases]
    stated_norm = stated.astype("string").str.lower().str.replace(r"[^a-z0-9]", "", regex=True)
    keys = computed_code.astype("string") + "|" + stated_norm
    mismatch = stated_norm.fillna("").ne("") & computed_code.notna() & ~keys.isin(valid_keys).fillna(False)
    return mismatch.astype(bool).rename("admin1_mismatch")


def points_from_table(table: pd.DataFrame) -> gpd.GeoDataFrame:
    """A plain table with latitude and longitude columns as points in EPSG:4326.

    The columns are found by the names recognised in CSV files (latitude/longitude,
    lat/lon, lat/lng, y/x, any case) and dropped; blank coordinates give a missing point.

    Examples
    --------
    >>> points_from_table(pd.DataFrame({"id": ["a"], "Lat": [27.0], "Lon": [63.4]})).to_wkt().values.tolist()
    [['a', 'POINT (63.4 27)']]
    >>> points_from_table(pd.DataFrame({"id": ["a"], "lat": ["north"], "lon": [63.4]}))
    Traceback (most recent call last):
    ...
    geo.errors.GeoValueError: column 'lat' must hold numbers; row 0 holds 'north'
    """
    from geo.io.validate import LAT_NAMES, LON_NAMES, find_coordinate_columns

    lat_col, lon_col = find_coordinate_columns(table.columns)
    if lat_col is None or lon_col is None:
        msg = (f"a DataFrame needs a latitude column (one of {', '.join(LAT_NAMES)}) and a longitude "
               f"column (one of {', '.join(LON_NAMES)}); it has {[str(c) for c in table.columns]}")
        raise GeoValueError(msg)
    coords = {}
    for column in (lon_col, lat_col):
        values = pd.to_numeric(table[column], errors="coerce")
        bad = values.isna() & table[column].notna() & table[column].astype("string").str.strip().ne("")
        if bad.any():
            row = bad.idxmax()
            raise GeoValueError(f"column {str(column)!r} must hold numbers; row {row!r} holds {table[column][row]!r}")
        coords[column] = values.to_numpy(dtype=float)
    geometry = gpd.points_from_xy(coords[lon_col], coords[lat_col])
    missing = np.isnan(coords[lon_col]) | np.isnan(coords[lat_col])
    series = gpd.GeoSeries(geometry, index=table.index, crs="EPSG:4326").where(~missing, None)
    return gpd.GeoDataFrame(table.drop(columns=[lat_col, lon_col]), geometry=series, crs="EPSG:4326")


def analyze(
    incidents: gpd.GeoDataFrame | pd.DataFrame,
    border: str = settings.DEFAULT_BORDER,
    bands: Sequence[float] = settings.DEFAULT_BANDS_KM,
    *,
    region_margin_km: float | None = None,
) -> gpd.GeoDataFrame:
    """Measure each incident against the provinces and the Iran–Pakistan border.

    Parameters
    ----------
    incidents : GeoDataFrame, DataFrame or dask_geopandas.GeoDataFrame
        Point geometries in any CRS, or a plain table with latitude and longitude columns
        (see :func:`points_from_table`); a Dask frame gives a lazy result computed partition
        by partition (see :mod:`geo.analysis.dask_engine`). An optional ``precision_km`` column gives the radius
        within which each true location lies; ``admin1`` and ``country`` columns, when
        present, are kept as ``admin1_stated`` and ``country_stated``. A frame analyzed
        before is measured afresh: its analysis columns are replaced, its stated ones kept.
    border : str
        Border source, one of ``geo.reference.boundaries.BORDER_SOURCES``.
    bands : sequence of float
        Edges of the distance bands in km.
    region_margin_km : float, optional
        Margin of the study region around the two border provinces, in km; default
        :data:`geo.settings.REGION_MARGIN_KM`.

    Returns
    -------
    GeoDataFrame
        The incidents in EPSG:4326, in their order and with their index, with the columns
        of ``ANALYSIS_COLUMNS`` added. ``border_distance_km`` is the geodesic distance on
        WGS84 to the nearest point of the border; ``border_side`` the country the point
        lies in (``PAK``, ``IRN``, or ``outside``) and ``side_basis`` the rule that gave it
        (see :func:`assign_sides`); ``in_region`` whether it lies in the two border
        provinces or within ``region_margin_km`` of them; ``border_distance_min_km`` and
        ``border_distance_max_km`` the range the distance can take anywhere within
        ``precision_km``; ``border_source_spread_km`` the largest minus the smallest
        distance over all border sources; ``analysis_border`` the border source used.
    """
    from geo.reference.boundaries import BORDER_SOURCES
    from geo.reference.boundaries import border as border_line

    border_line(border)  # unknown sources fail here with the list of known ones
    edges = check_bands(bands)
    margin = check_margin(settings.REGION_MARGIN_KM if region_margin_km is None else region_margin_km)
    if isinstance(incidents, pd.DataFrame) and not isinstance(incidents, gpd.GeoDataFrame):
        incidents = points_from_table(incidents)
    if not isinstance(incidents, gpd.GeoDataFrame):
        raise GeoValueError(f"incidents must be a GeoDataFrame or a DataFrame, not {type(incidents).__name__}")
    if incidents.crs is None:
        raise GeoValueError("incidents have no CRS; set one, for example incidents.set_crs('EPSG:4326')")
    frame = incidents.to_crs("EPSG:4326") if not incidents.crs.equals("EPSG:4326") else incidents.copy()
    frame = without_analysis(frame)  # an analyzed file is measured afresh

    lon, lat, valid = point_coordinates(frame)  # once, for the join and every border
    admin = _assign_provinces(lon, lat, valid, frame.index, settings.SNAP_KM)
    for column in admin.columns:
        frame[column] = admin[column]
    stated = frame["admin1_stated"] if "admin1_stated" in frame.columns else pd.Series(None, index=frame.index)
    frame["admin1_mismatch"] = _admin1_mismatch(stated, frame["admin1_code"])

    near = nearest_border_table(lon, lat, valid, frame.index, border)
    distance = near["border_distance_km"]
    frame["border_distance_km"] = distance
    sides = _assign_sides(lon, lat, valid, frame.index, settings.COASTAL_REACH_KM)
    frame["border_side"] = sides["border_side"]
    frame["side_basis"] = sides["side_basis"]
    frame["in_region"] = in_region(lon, lat, margin)
    for column in ("nearest_border_lon", "nearest_border_lat", "border_bearing_deg"):
        frame[column] = near[column]
    frame["distance_band"] = distance_band(distance, edges)

    radius = (
        pd.to_numeric(frame["precision_km"], errors="coerce").fillna(0.0).clip(lower=0.0)
        if "precision_km" in frame.columns
        else pd.Series(0.0, index=frame.index)
    )
    frame["border_distance_min_km"] = (distance - radius).clip(lower=0.0)
    frame["border_distance_max_km"] = distance + radius

    per_source = [
        distance if name == border else nearest_border_table(lon, lat, valid, frame.index, name)["border_distance_km"]
        for name in sorted(BORDER_SOURCES)
    ]
    stacked = np.column_stack([s.to_numpy(dtype=float) for s in per_source])
    with np.errstate(invalid="ignore"):
        frame["border_source_spread_km"] = stacked.max(axis=1) - stacked.min(axis=1)
    frame["analysis_border"] = border
    return frame


def summarize(result: gpd.GeoDataFrame | pd.DataFrame) -> pd.DataFrame:
    """Incidents and fatalities by year, side of the border and distance band.

    Parameters
    ----------
    result : DataFrame
        The output of :func:`analyze` (``date``, ``border_side``, ``distance_band`` and,
        when present, ``fatalities``).

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``border_side``, ``distance_band``, ``incidents``,
        ``fatalities``; one row per combination present, in year, side and band order.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "date": ["2024-01-16", "2024-01-18", "2023-04-01"],
    ...     "border_side": ["PAK", "IRN", "PAK"],
    ...     "distance_band": ["0–10 km", "0–10 km", "0–10 km"],
    ...     "fatalities": [2, 9, 4],
    ... })
    >>> summarize(table).values.tolist()
    [[2023, 'PAK', '0–10 km', 1, 4], [2024, 'IRN', '0–10 km', 1, 9], [2024, 'PAK', '0–10 km', 1, 2]]
    """
    missing = [c for c in ("border_side", "distance_band") if c not in result.columns]
    if missing:
        raise GeoValueError(f"summarize needs the columns of analyze(); missing {missing}")
    dates = result["date"] if "date" in result.columns else pd.Series(None, index=result.index)
    table = pd.DataFrame(
        {
            "year": pd.to_datetime(dates.astype("string").str.slice(0, 10), errors="coerce", format="%Y-%m-%d").dt.year.astype("Int64"),
            "border_side": result["border_side"].astype("string"),
            "distance_band": result["distance_band"].astype("string"),
            "fatalities": pd.to_numeric(result["fatalities"], errors="coerce")
            if "fatalities" in result.columns
            else np.nan,
        }
    )
    band_order = {label: i for i, label in enumerate(all_band_labels(table["distance_band"]))}
    grouped = (
        table.groupby(["year", "border_side", "distance_band"], dropna=False, sort=False)
        .agg(incidents=("fatalities", "size"), fatalities=("fatalities", lambda s: s.sum(min_count=1)))
        .reset_index()
    )
    grouped["fatalities"] = grouped["fatalities"].astype("Int64")
    grouped["_band"] = grouped["distance_band"].map(band_order)
    grouped = grouped.sort_values(["year", "border_side", "_band"], na_position="last", kind="stable")
    return grouped.drop(columns="_band").reset_index(drop=True)


def all_band_labels(labels: pd.Series) -> list[str]:
    """Band labels present, ordered by their lower edge."""

    def lower_edge(label: str) -> float:
        match = re.match(r"([0-9.]+)", label)
        return float(match.group(1)) if match else np.inf

    return sorted(labels.dropna().unique(), key=lower_edge)
