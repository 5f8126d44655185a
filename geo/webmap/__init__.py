"""The interactive map: one self-contained HTML file that works with the network off.

* :mod:`geo.webmap.render`: the folium glue, the public :func:`incident_map` and :func:`save_map`,
  and the data element (JSON, or gzip in base64 for large maps);
* :mod:`geo.webmap.payload`: the incidents as compact columns (text dictionary-encoded,
  numbers rounded, links kept only for http and https) and the grid of counts for huge inputs;
* :mod:`geo.webmap.outlines`: provinces (counted, shaded per 10,000 km²), countries, the
  border and its distance bands;
* :mod:`geo.webmap.explore`: the opening view and its outliers, the search index of the
  bundled gazetteer, the distance-band order and the optional layer of pairs;
* :mod:`geo.webmap.assets`: Leaflet, Leaflet.markercluster, Leaflet.heat and the page's own
  scripts and style from ``static/`` (one file per part; ``webmap.js`` lists them), inlined.

Every color, shape, side name and credit comes from :mod:`geo.legend` through the payload.
"""

from geo.webmap.render import incident_map, save_map

__all__ = ["incident_map", "save_map"]
