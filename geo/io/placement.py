"""Where each record lies: swapped latitude and longitude, and the study region.

Both checks go record by record against the study region of :mod:`geo.geodesy.region`
(Balochistan, Sistan and Baluchestan and :data:`geo.settings.REGION_MARGIN_KM` around
them), so they do not depend on what else the file holds:

* a latitude beyond ±90 whose longitude is a valid latitude is rejected as swapped; with
  ``fix_swapped`` it is swapped, but only when the swapped point lies in the region
  (``lat 95, lon 63`` swapped is in Siberia: it stays rejected as out of range);
* a possible point outside the region whose swap lies inside it (``lat 62.3, lon 27.1`` is
  in Finland, swapped it is in Sistan and Baluchestan) is kept with a warning; with
  ``fix_swapped`` it is swapped;
* any other point outside the region is kept with a warning, or rejected with
  ``region_only``.

:func:`check_swaps` and :func:`check_region` return what to reject and what to note; the
record checks of :mod:`geo.io.validate` apply them.

Examples
--------
>>> import numpy as np
>>> lon, lat = np.array([63.4, 27.1, 63.0]), np.array([27.0, 62.3, 95.0])
>>> pending = np.ones(3, dtype=bool)
>>> out = check_swaps(lon, lat, pending, fix_swapped=True)
>>> out.lon.tolist(), out.lat.tolist(), out.reject.tolist()
([63.4, 62.3, 63.0], [27.0, 27.1, 95.0], [False, False, True])
>>> print(out.reason[2])
latitude 95.0 is outside -90..90, and swapped (latitude 63.0, longitude 95.0) it lies outside the study region: not swapped
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from geo import settings
from geo.geodesy.region import check_margin, in_region, region_distance_km

__all__ = ["Placement", "check_region", "check_swaps", "region_label"]


@dataclass
class Placement:
    """What :func:`check_swaps` or :func:`check_region` found, per record."""

    lon: np.ndarray
    lat: np.ndarray
    reject: np.ndarray  # records to reject
    reason: np.ndarray  # their reasons (None elsewhere)
    notes: list[tuple[np.ndarray, str]] = field(default_factory=list)  # (records, message) to warn about
    suspected: np.ndarray | None = None  # kept, outside the region, and their swap is inside
    inside: np.ndarray | None = None  # in the region, as (possibly) swapped


def region_label(margin_km: float) -> str:
    """The region in words, for messages.

    Examples
    --------
    >>> region_label(100)
    'the study region (Balochistan, Sistan and Baluchestan and 100 km around them)'
    """
    return f"the study region (Balochistan, Sistan and Baluchestan and {margin_km:g} km around them)"


def _margin(margin_km: float | None) -> float:
    return check_margin(settings.REGION_MARGIN_KM if margin_km is None else margin_km)


def check_swaps(lon: np.ndarray, lat: np.ndarray, pending: np.ndarray, *, fix_swapped: bool = False,
                margin_km: float | None = None) -> Placement:
    """Find (and with ``fix_swapped`` swap) latitudes and longitudes given the wrong way round.

    Parameters
    ----------
    lon, lat : ndarray
        WGS84 coordinates as read.
    pending : ndarray of bool
        The records with no problem found so far; the others are left alone.
    fix_swapped : bool
        Swap where the swapped point lies in the study region.
    margin_km : float, optional
        The region's margin; default :data:`geo.settings.REGION_MARGIN_KM`.
    """
    margin = _margin(margin_km)
    lon, lat = np.array(lon, dtype=float), np.array(lat, dtype=float)
    n = len(lon)
    finite = np.isfinite(lon) & np.isfinite(lat)
    lat_out, lon_out = np.abs(lat) > 90, np.abs(lon) > 180
    by_range = pending & finite & lat_out & (np.abs(lat) <= 180) & (np.abs(lon) <= 90)
    possible = pending & finite & ~lat_out & ~lon_out
    inside = np.zeros(n, dtype=bool)
    inside[possible] = in_region(lon[possible], lat[possible], margin)
    candidates = by_range | (possible & ~inside)
    swap_inside = np.zeros(n, dtype=bool)
    swap_inside[candidates] = in_region(lat[candidates], lon[candidates], margin)
    by_region = possible & ~inside & swap_inside
    fixable = by_range & swap_inside
    reason = np.full(n, None, dtype=object)
    notes: list[tuple[np.ndarray, str]] = []
    if fix_swapped:
        hopeless = by_range & ~swap_inside
        for i in np.flatnonzero(hopeless):
            reason[i] = (f"latitude {float(lat[i])!r} is outside -90..90, and swapped (latitude {float(lon[i])!r}, "
                         f"longitude {float(lat[i])!r}) it lies outside the study region: not swapped")
        swap = fixable | by_region
        lon[swap], lat[swap] = lat[swap], lon[swap].copy()
        fixed_range = "latitude outside -90..90, and the swapped point lies in the study region; swapped (--fix-swapped)"
        fixed_region = f"outside {region_label(margin)} while the swapped point is inside it; swapped (--fix-swapped)"
        if _most_of_the_file(by_region, possible):
            fixed_region = (f"{{count}} records lie outside {region_label(margin)} while their swapped points lie "
                            "inside it: latitude and longitude are the wrong way round in most of the file; "
                            "swapped (--fix-swapped)")
        notes.extend([(fixable, fixed_range), (by_region, fixed_region)])
        return Placement(lon, lat, hopeless, reason, notes, np.zeros(n, dtype=bool), inside | swap)
    for i in np.flatnonzero(fixable):
        reason[i] = (f"latitude {float(lat[i])!r} is outside -90..90 but longitude {float(lon[i])!r} is a valid "
                     "latitude and the swapped point lies in the study region: latitude and longitude look "
                     "swapped; fix the file or rerun with --fix-swapped")
    suspect = (f"outside {region_label(margin)} while the swapped point is inside it: latitude and longitude "
               "may be swapped; kept as given (--fix-swapped swaps them)")
    if _most_of_the_file(by_region, possible):  # one warning with the count, not a list of lines
        suspect = (f"{{count}} records lie outside {region_label(margin)} while their swapped points lie inside "
                   "it: latitude and longitude look the wrong way round in most of the file; kept as given "
                   "(--fix-swapped swaps them)")
    notes.append((by_region, suspect))
    return Placement(lon, lat, fixable, reason, notes, by_region, inside)


def _most_of_the_file(suspected: np.ndarray, possible: np.ndarray) -> bool:
    """True when most readable records look swapped: the file, not a few records, is wrong."""
    n = int(np.count_nonzero(possible))
    return n >= 2 and int(np.count_nonzero(suspected)) > n / 2


def check_region(lon: np.ndarray, lat: np.ndarray, pending: np.ndarray, *, region_only: bool = False,
                 suspected: np.ndarray | None = None, inside: np.ndarray | None = None,
                 margin_km: float | None = None) -> Placement:
    """Warn about, or with ``region_only`` reject, the pending records outside the region.

    ``suspected`` records (likely swapped, already warned about) get no second warning,
    but ``region_only`` rejects them too. ``inside``, when given, marks records already
    known to lie in the region (from :func:`check_swaps`), which are not measured again.

    Examples
    --------
    >>> import numpy as np
    >>> out = check_region(np.array([63.4, 2.35]), np.array([27.0, 48.86]), np.ones(2, dtype=bool),
    ...                    region_only=True)
    >>> out.reject.tolist(), out.reason[1]  # doctest: +ELLIPSIS
    ([False, True], 'outside the study region (... 100 km around them): ... km away; rejected by --region-only')
    """
    margin = _margin(margin_km)
    n = len(lon)
    outside = np.zeros(n, dtype=bool)
    todo = pending & ~inside if inside is not None else pending
    outside[todo] = ~in_region(lon[todo], lat[todo], margin)
    reason = np.full(n, None, dtype=object)
    if region_only:
        where = np.flatnonzero(outside)
        km = region_distance_km(lon[where], lat[where])
        reason[where] = [f"outside {region_label(margin)}: {d:,.0f} km away; rejected by --region-only" for d in km]
        return Placement(lon, lat, outside, reason)
    quiet = np.zeros(n, dtype=bool) if suspected is None else suspected
    note = f"outside {region_label(margin)}; kept (--region-only rejects such records)"
    return Placement(lon, lat, np.zeros(n, dtype=bool), reason, [(outside & ~quiet, note)])
