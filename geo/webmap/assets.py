"""Scripts and styles inlined into the interactive map, read from installed packages.

Nothing here is fetched from a network host: Leaflet comes from the ``xstatic-leaflet``
wheel, Leaflet.markercluster from ``xstatic-leaflet-markercluster``, the heat-map plugin from folium's own ``templates/leaflet_heat.min.js``, and the
map's own code from ``geo/webmap/static``. Images referenced by Leaflet's CSS become ``data:``
URIs, so that the saved HTML file renders with the network off.

Examples
--------
>>> "L.Map" in leaflet_js() or "Leaflet" in leaflet_js()
True
>>> "url(images/" in leaflet_css()
False
>>> "MarkerClusterGroup" in markercluster_js()
True
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

_STATIC = Path(__file__).resolve().parent / "static"


def _leaflet_dir() -> Path:
    from xstatic.pkg import leaflet

    return Path(leaflet.BASE_DIR)


def _checked(text: str, name: str) -> str:
    # Inlined code must never close its own <script> or <style> element early.
    if re.search(r"</(script|style)", text, flags=re.IGNORECASE):
        msg = f"asset {name!r} contains a closing script or style tag and cannot be inlined"
        raise ValueError(msg)
    return text


@functools.cache
def leaflet_js() -> str:
    """Return the minified Leaflet script (the version folium targets)."""
    return _checked((_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8"), "leaflet.js")


@functools.cache
def leaflet_css() -> str:
    """Return Leaflet's stylesheet with its images inlined as ``data:`` URIs."""
    folder = _leaflet_dir()
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = folder / "images" / match.group(1)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return _checked(re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css), "leaflet.css")


@functools.cache
def heat_js() -> str:
    """Return Leaflet.heat as bundled by folium for ``folium.plugins.HeatMap``."""
    import folium

    path = Path(folium.__file__).resolve().parent / "templates" / "leaflet_heat.min.js"
    return _checked(path.read_text(encoding="utf-8"), "leaflet_heat.min.js")


def _markercluster_dir() -> Path:
    from xstatic.pkg import leaflet_markercluster

    return Path(leaflet_markercluster.BASE_DIR)


@functools.cache
def markercluster_js() -> str:
    """Return Leaflet.markercluster (from the ``xstatic-leaflet-markercluster`` wheel)."""
    path = _markercluster_dir() / "leaflet.markercluster.js"
    # the wheel's minified file ends with a source-map comment naming a file that is not inlined
    text = re.sub(r"//# sourceMappingURL=\S+\s*$", "", path.read_text(encoding="utf-8"))
    return _checked(text, "leaflet.markercluster.js")


@functools.cache
def markercluster_css() -> str:
    """Return Leaflet.markercluster's own animation rules (the cluster colors are geo's)."""
    return _checked((_markercluster_dir() / "MarkerCluster.css").read_text(encoding="utf-8"), "MarkerCluster.css")


#: geo's own scripts in ``static/``, in the order the page loads them (see webmap.js).
SCRIPTS: tuple[str, ...] = (
    "base.js", "popup.js", "layers.js", "store.js", "incidents.js", "hexbin.js", "grid.js",
    "time.js", "panel.js", "tools.js", "webmap.js", "build.js", "start.js",
)


def scripts() -> str:
    """Return geo's own scripts joined, in load order."""
    return "\n".join(static_text(name) for name in SCRIPTS)


@functools.cache
def static_text(name: str) -> str:
    """Return one of geo's own files in ``geo/webmap/static``, such as ``webmap.js``."""
    return _checked((_STATIC / name).read_text(encoding="utf-8"), name)
