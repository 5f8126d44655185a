"""The interactive map: one self-contained, safe and deterministic Folium HTML file.

The map is a :class:`folium.Map` whose Leaflet, plugin code and styles are inlined from
installed packages (see :mod:`geo.webmap.assets`), so the saved file renders with the network
off. All data (boundaries, corridors, incidents) travel in one JSON blob inside a
``<script type="application/json">`` element with ``<``, ``>``, ``&``, U+2028 and U+2029
escaped; ``geo/static/webmap.js`` builds the layers, popups, legend and controls from it
with DOM APIs (``textContent``), never by pasting data into HTML or JavaScript source.
That makes the page safe with hostile text and keeps it small and fast: above
:data:`CANVAS_THRESHOLD` incidents the markers are drawn on a canvas, and above
:data:`AGGREGATE_THRESHOLD` the map shows a grid of counts instead of points. The data
side (encoding, aggregation, boundary counts and labels) lives in :mod:`geo.webmap.payload`.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> incidents = gpd.GeoDataFrame(
...     {"id": ["a"], "date": ["2024-01-16"], "event_type": ["Air/drone strike"]},
...     geometry=[Point(63.0, 26.9)], crs="EPSG:4326",
... )
>>> m = incident_map(incidents, boundaries=False)
>>> import folium
>>> isinstance(m, folium.Map)
True
>>> html = m.get_root().render()
>>> html == incident_map(incidents, boundaries=False).get_root().render()
True
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import geopandas as gpd
import pandas as pd

from geo import settings
from geo.errors import GeoError, GeoValueError
from geo.legend import COUNT_SCALE, CREDITS, MAP_COLORS, SIDE_COLORS, SIDE_NAMES, credit_line
from geo.webmap.explore import band_order, opening_view, pairs_payload, search_places
from geo.webmap.outlines import SIMPLIFY_DEG, boundary_payload
from geo.webmap.payload import (
    MAP_DECIMALS,
    date_texts,
    grid_payload,
    incident_points,
    point_payload,
    text_values,
    type_payload,
)

if TYPE_CHECKING:
    import folium

logger = logging.getLogger("geo")

__all__ = ["AGGREGATE_THRESHOLD", "DATA_SOURCES", "MAP_DECIMALS", "MARKER_LIMIT", "SIMPLIFY_DEG",
           "embed_json", "incident_map", "save_map"]

#: At most this many incidents in view are drawn as markers; more become counts per hexagon.
MARKER_LIMIT: int = 2_000

#: Above this many incidents the page carries a grid of counts per cell and month, not points.
AGGREGATE_THRESHOLD: int = 250_000

#: Data larger than this many characters travel gzip-compressed (see :func:`payload_element`).
COMPRESS_ABOVE: int = 1_000_000

#: Fill opacity of the focus provinces and of the distance bands (the legend's swatches match).
PROVINCE_OPACITY: float = 0.45
BAND_OPACITY: float = 0.13

DEFAULT_TITLE = "Border incidents: Balochistan and Sistan and Baluchestan"

#: Data sources and licences named in the map's information box (from :data:`geo.legend.CREDITS`).
DATA_SOURCES: tuple[dict[str, str], ...] = tuple(
    {"what": c.what, "source": c.source, "licence": c.licence, "url": c.url} for c in CREDITS
)


def embed_json(data: Any) -> str:
    """Serialise ``data`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (so no text can
    close the element or open a comment), and U+2028 and U+2029 are escaped too.

    Examples
    --------
    >>> embed_json({"t": "</script><b>&"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (
        ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
        ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


#: Text columns that a large map loads just after its first frame (popups and export use them).
LATER_FIELDS: tuple[str, ...] = (
    "title", "summary", "sub_event_type", "date_precision", "fatalities_note", "injured",
    "location_variants", "admin2", "geocoding", "admin1_snapped", "admin1_mismatch", "admin1_code",
    "outside_provinces", "place",
)


def _packed(data: Any, element_id: str) -> str:
    text = embed_json(data)
    packed = base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)).decode("ascii")
    return (f'<script type="application/octet-stream" data-encoding="gzip-base64" id="{element_id}">'
            f"{packed}</script>\n")


def payload_element(payload: Any, element_id: str, compress_above: int | None = None) -> str:
    """The ``<script>`` elements that carry the page's data, never executed as code.

    Up to :data:`COMPRESS_ABOVE` characters the data are one JSON element (escaped by
    :func:`embed_json`). Above, they are gzip in base64, which the page inflates with the
    browser's own ``DecompressionStream`` (a 60,000-event export shrinks about sixfold),
    in two elements: what the first frame needs, and ``<id>_more`` with the long texts of
    :data:`LATER_FIELDS` and the sources, read just after the first frame.

    Examples
    --------
    >>> payload_element({"a": 1}, "x")
    '<script type="application/json" id="x">{"a":1}</script>\\n'
    >>> payload_element({"a": "b" * 50}, "x", compress_above=10).split(" id=")[0]
    '<script type="application/octet-stream" data-encoding="gzip-base64"'
    """
    limit = COMPRESS_ABOVE if compress_above is None else compress_above
    text = embed_json(payload)
    if len(text) <= limit:
        return f'<script type="application/json" id="{element_id}">{text}</script>\n'
    incidents = payload.get("incidents") if isinstance(payload, Mapping) else None
    if not incidents:
        return _packed(payload, element_id)
    first = {k: v for k, v in incidents.items() if k != "sources"}
    first["text"] = {k: v for k, v in incidents["text"].items() if k not in LATER_FIELDS}
    later = {"text": {k: v for k, v in incidents["text"].items() if k in LATER_FIELDS},
             "sources": incidents.get("sources")}
    return _packed({**payload, "incidents": first}, element_id) + _packed(later, f"{element_id}_more")


# ------------------------------------------------------------------------ boundaries


def _load_boundaries(border: str, bands_km: Sequence[float]) -> dict[str, Any]:
    """Read provinces, countries, the border line and its corridors (bundled data: never optional)."""
    from geo.geodesy.corridor import border_corridor
    from geo.reference import boundaries

    return {
        "provinces": boundaries.provinces(),
        "countries": boundaries.countries(),
        "border": boundaries.border(source=border),
        "corridors": [(float(km), border_corridor(km, side=None, border=border)) for km in bands_km],
    }


# --------------------------------------------------------------------------- folium glue


#: The environment variable read for a tile key when ``tiles_key`` is not given.
TILES_KEY_VARIABLE = "GEO_TILES_KEY"


def _tiles(tiles: str | None, key: str | None = None) -> dict[str, Any] | None:
    if tiles is None:
        return None
    import xyzservices

    aliases = {"openstreetmap": "OpenStreetMap.Mapnik", "osm": "OpenStreetMap.Mapnik",
               "cartodb positron": "CartoDB.Positron", "cartodb": "CartoDB.Positron"}
    name = aliases.get(tiles.strip().lower(), tiles)
    try:
        provider = xyzservices.providers.query_name(name)
    except ValueError:
        msg = f"unknown tiles {tiles!r}; use a name from xyzservices such as 'OpenStreetMap.Mapnik'"
        raise GeoValueError(msg) from None
    fill: dict[str, str] = {}
    if provider.requires_token():
        key = key or os.environ.get(TILES_KEY_VARIABLE) or None
        if not key:
            msg = (f"tiles {tiles!r} need an access key; pass it with --tiles-key (tiles_key=) "
                   f"or the environment variable {TILES_KEY_VARIABLE}, or choose tiles that do not")
            raise GeoValueError(msg)
        # the placeholder fields ("<insert your ... here>") take the key
        fill = {k: key for k, v in provider.items() if isinstance(v, str) and v.startswith("<insert")}
    return {
        "name": str(provider.name),
        "url": provider.build_url(fill_subdomain=False, scale_factor="{r}", **fill),
        "subdomains": provider.get("subdomains", "abc"),
        "attribution": str(provider.get("attribution", provider.name)),
        "maxZoom": int(provider.get("max_zoom", 18)),
    }


def _raw_element(text: str) -> Any:
    """A branca element that renders ``text`` as it is, never as a Jinja template."""
    from branca.element import Element

    class _Raw(Element):
        def __init__(self, body: str) -> None:
            super().__init__()
            self._name = "geo_raw"
            self.body = body

        def render(self, **kwargs: Any) -> str:
            return self.body

    return _Raw(text)


def _layers_element(payload: Mapping[str, Any]) -> Any:
    from branca.element import Figure, MacroElement

    from geo.webmap import assets as _assets

    class _IncidentLayers(MacroElement):
        # folium re-parses a MacroElement's output as a Jinja template; data containing
        # "{{" would be evaluated there, so this element writes raw text instead.
        def __init__(self) -> None:
            super().__init__()
            self._name = "geo_layers"

        # branca's MacroElement.render returns nothing; only its base is annotated as str
        def render(self, **kwargs: Any) -> None:  # type: ignore[override]
            figure = self.get_root()
            if not isinstance(figure, Figure) or self._parent is None:
                raise GeoError("the incident layers must be added to a folium map before it is rendered")
            name = self.get_name()
            head = "".join((
                "<title>", html.escape(str(payload.get("title", ""))), "</title>\n",
                "<style>", _assets.leaflet_css(), "</style>\n",
                "<style>", _assets.markercluster_css(), "</style>\n",
                "<style>", _assets.static_text("webmap.css"), "</style>\n",
                "<script>", _assets.leaflet_js(), "</script>\n",
                "<script>", _assets.markercluster_js(), "</script>\n",
                "<script>", _assets.heat_js(), "</script>\n",
                "<script>", _assets.scripts(), "</script>\n",
            ))
            figure.header.add_child(_raw_element(head), name="geo_assets", index=0)
            figure.html.add_child(_raw_element(payload_element(payload, f"{name}_data")), name=name)
            call = f"geoWebmap.start({self._parent.get_name()}, \"{name}_data\");\n"
            figure.script.add_child(_raw_element(call), name=name)

    return _IncidentLayers()


def _assign_ids(root: Any) -> None:
    """Replace branca's random element ids with a counter, so the output is reproducible."""
    counter = 0
    stack = [root]
    while stack:
        element = stack.pop(0)
        element._id = f"{counter:04d}"
        counter += 1
        stack.extend(element._children.values())


class _Map:
    """Namespace for the folium subclass, created lazily so ``import geo.webmap.render`` is light."""

    cls: type | None = None

    @classmethod
    def get(cls) -> type:
        if cls.cls is None:
            import folium

            class IncidentMap(folium.Map):
                """A folium map without CDN links that renders with fixed element ids."""

                # no CDN links: the layers element inlines Leaflet and the plugin instead
                # folium declares these per instance; a class-wide empty list is what we mean
                default_js: ClassVar[list[tuple[str, str]]] = []  # type: ignore[misc]
                default_css: ClassVar[list[tuple[str, str]]] = []  # type: ignore[misc]

                def render(self, **kwargs: Any) -> None:  # type: ignore[override]
                    # number this map's own elements before they print their names; the
                    # figure's header children never print theirs
                    _assign_ids(self)
                    super().render(**kwargs)

            cls.cls = IncidentMap
        return cls.cls


# ------------------------------------------------------------------------------ public


def incident_map(
    result: gpd.GeoDataFrame,
    *,
    tiles: str | None = None,
    tiles_key: str | None = None,
    border: str = settings.DEFAULT_BORDER,
    bands_km: Sequence[float] = settings.DEFAULT_BANDS_KM,
    title: str | None = None,
    boundaries: bool | Mapping[str, Any] = True,
    pairs: gpd.GeoDataFrame | None = None,
    province_shading: str = "density",
    marker_limit: int = MARKER_LIMIT,
    aggregate_threshold: int = AGGREGATE_THRESHOLD,
) -> folium.Map:
    """Draw incidents, provinces, the border and its distance bands on an interactive map.

    The page is an offline exploration tool: counts per hexagon where too many incidents
    are in view, markers (clustered where they overlap) where few are; a time histogram
    with a brush and playback; filters by event type, side, distance band, actor and
    fatalities; a linked summary; a search over the bundled gazetteer and the incidents;
    export of the selection; and the view and filters in the URL hash.

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        Incidents, ideally the output of :func:`geo.analyze` (points in EPSG:4326). Missing
        columns and missing values are tolerated: a popup shows what is known.
    tiles : str, optional
        Web tiles under the boundaries, an xyzservices name such as ``"OpenStreetMap.Mapnik"``.
        By default there are none and the page makes no network request; with tiles the
        tiles are the selected base layer and the country fills turn translucent.
    tiles_key : str, optional
        Access key for tiles that need one; else the environment variable
        :data:`TILES_KEY_VARIABLE`. The key is written into the page's tile address.
    border : str
        Border source for the border line and the distance corridors.
    bands_km : sequence of float
        Upper limits of the distance bands drawn as corridors along the border.
    title : str, optional
        Title shown in the information box.
    boundaries : bool or mapping
        False draws the incidents only; a mapping with keys ``"provinces"``,
        ``"countries"``, ``"border"`` (GeoDataFrames) and ``"corridors"`` (a list of
        ``(km, polygon)``) replaces the bundled boundaries.
    pairs : geopandas.GeoDataFrame, optional
        LineStrings (such as cross-border pairs of incidents) drawn as an optional layer,
        off by default; their other columns show in each arc's tooltip.
    province_shading : {"density", "count"}
        Shade the two provinces by incidents per 10,000 km² (geodesic areas), so that a
        large and a small province compare fairly, or by their raw counts.
    marker_limit : int
        At most this many incidents in view are drawn as markers; more become counts per
        hexagon, so the page never draws more than a few thousand marks at once.
    aggregate_threshold : int
        Above this many incidents the page carries a grid of counts per cell and month
        instead of the points (only the time window filters it).

    Returns
    -------
    folium.Map
        Save it with ``m.save(path)`` or :func:`save_map`; its HTML has no link to a CDN.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame({"date": ["2018-12-06"]}, geometry=[Point(60.64, 25.29)],
    ...                          crs="EPSG:4326")
    >>> html = incident_map(frame, boundaries=False).get_root().render()
    >>> "https://cdn" in html
    False
    """
    if not isinstance(result, gpd.GeoDataFrame):
        msg = f"result must be a GeoDataFrame, not {type(result).__name__}"
        raise GeoValueError(msg)
    if province_shading not in ("density", "count"):
        msg = f"province_shading must be 'density' or 'count', not {province_shading!r}"
        raise GeoValueError(msg)
    if int(marker_limit) < 1:
        raise GeoValueError(f"marker_limit must be at least 1, not {marker_limit!r}")
    rows, lon, lat = incident_points(result)
    if len(rows) < len(result):
        logger.warning("%d incidents without coordinates are not on the map", len(result) - len(rows))
    if boundaries is True:
        context: Mapping[str, Any] = _load_boundaries(border, bands_km)
    elif boundaries is False:
        context = {}
    else:
        context = boundaries
    payload = _payload(rows, lon, lat, context, bands_km, aggregate_threshold, province_shading)
    payload.update({
        "title": title or DEFAULT_TITLE,
        "border_name": border,
        "tiles": _tiles(tiles, tiles_key),
        "pairs": pairs_payload(pairs),
        "markerLimit": int(marker_limit),
    })
    view = payload["view"] or [[23.5, 56.0], [32.5, 71.0]]  # the two provinces, roughly
    center = [(view[0][0] + view[1][0]) / 2, (view[0][1] + view[1][1]) / 2]
    m: folium.Map = _Map.get()(location=center, zoom_start=6, tiles=None, zoom_snap=0.25, zoom_delta=0.5)
    m.add_child(_layers_element(payload), name="geo_layers")
    _assign_ids(m)
    return m


def _payload(rows: gpd.GeoDataFrame, lon: Any, lat: Any, context: Mapping[str, Any],
             bands_km: Sequence[float], aggregate_threshold: int, shading: str) -> dict[str, Any]:
    """Everything the page draws, as one JSON-ready dict (see :mod:`geo.webmap.payload`)."""
    type_texts = text_values(rows["event_type"]) if "event_type" in rows.columns else [None] * len(rows)
    styles = type_payload(type_texts)
    payload: dict[str, Any] = boundary_payload(context, rows, lon, lat, bands_km, shading)
    region = payload.pop("region", None)
    grid = len(rows) > aggregate_threshold
    payload.update({
        "mode": "grid" if grid else "points",
        "types": [{"name": name, **style} for name, style in styles.items()],
        "sources": list(DATA_SOURCES),
        "credit": credit_line(),
        "sides": dict(SIDE_NAMES),
        "sideColors": dict(SIDE_COLORS),
        "colors": dict(MAP_COLORS),
        "countScale": list(COUNT_SCALE),
        "provinceOpacity": PROVINCE_OPACITY,
        "bandOpacity": BAND_OPACITY,
        "borderTitle": "Iran–Pakistan border",
        "bands": band_order(rows["distance_band"]) if "distance_band" in rows.columns else [],
        "places": search_places(region),
    })
    opening = opening_view(lon, lat, region)
    payload["view"] = opening["bounds"]
    if grid:
        payload.pop("incidentProvince", None)
        payload["grid"] = grid_payload(rows, lon, lat)
        periods = [p for p in payload["grid"]["periods"] if p]
        payload["dateRange"] = None
        if periods:
            end = pd.Period(periods[-1], freq="M" if len(periods[-1]) == 7 else "Y").end_time.date().isoformat()
            payload["dateRange"] = [(periods[0] + "-01-01")[:10], end]
        payload["outliers"] = []
    else:
        payload["incidents"] = point_payload(rows, lon, lat, styles)
        payload["outliers"] = opening["outliers"]
        dates = [d for d in date_texts(rows["date"]) if d] if "date" in rows.columns else []
        payload["dateRange"] = [min(dates), max(dates)] if dates else None
    return payload


def save_map(result: gpd.GeoDataFrame, path: str | os.PathLike[str], *, progress: bool | None = None,
             **kwargs: Any) -> Path:
    """Write the interactive map of ``result`` to one self-contained HTML file, atomically.

    Keyword arguments go to :func:`incident_map`. ``progress`` shows a bar "building the
    map NAME" over its three steps (the data, the page, the file) on a terminal (see
    :mod:`geo.progress`; None follows ``geo.progress.DEFAULT``, off in Python).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame({"date": ["2024-01-18"]}, geometry=[Point(62.3, 27.4)],
    ...                          crs="EPSG:4326")
    >>> out = save_map(frame, pathlib.Path(tempfile.mkdtemp()) / "map.html", boundaries=False)
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    from geo.files import atomic_write
    from geo.progress import bar

    path = Path(path)
    with bar(f"building the map {path.name}", 3, unit="steps", enabled=progress) as step:
        page_map = incident_map(result, **kwargs)
        step.advance()
        page = page_map.get_root().render()
        step.advance()
        with atomic_write(path) as handle:
            handle.write(page)
        step.advance()
    return path
