"""The interactive map: one self-contained HTML file that works with the network off.

:mod:`geo.webmap.render` is the folium glue, :mod:`geo.webmap.payload` turns the
analysis into the compact data the page draws, :mod:`geo.webmap.assets` inlines Leaflet
and the page's own script and style from ``static/``.
"""

from geo.webmap.render import incident_map, save_map

__all__ = ["incident_map", "save_map"]
