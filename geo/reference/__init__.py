"""Reference data: the bundled boundaries (provinces, countries, border lines) and gazetteer.

Examples
--------
>>> sorted(BORDER_SOURCES)
['gshhg', 'naturalearth', 'osm']
"""

from geo.reference import boundaries, gazetteer
from geo.reference.boundaries import BORDER_SOURCES, border, countries, provinces

__all__ = ["BORDER_SOURCES", "border", "boundaries", "countries", "gazetteer", "provinces"]
