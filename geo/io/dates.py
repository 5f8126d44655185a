"""Dates of incidents: ISO or ACLED-style text to ISO dates, with impossible ones found.

A date is kept as its ISO day (``YYYY-MM-DD``). Rejected: text that is no date
("Tuesday evening", ``2024-02-30``), an ISO date-time whose time is no time of day
(``2024-02-29T25:99``), and years before :data:`FIRST_YEAR` or after next year (``0001``,
``3024``, ``9999``: typing errors that would stretch a timeline over millennia).

Examples
--------
>>> iso, reason = date_problems(pd.Series(["16 January 2024", "0001-01-01", "2024-02-29T25:99"]))
>>> iso.tolist()
['2024-01-16', nan, nan]
>>> reason.notna().tolist(), reason[2]
([False, True, True], "impossible time of day in date '2024-02-29T25:99'; expected HH:MM or HH:MM:SS with hours 00-23 and minutes 00-59")
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

__all__ = ["DATE_FORMATS", "FIRST_YEAR", "date_problems", "dates_out_of_range", "last_year", "parse_dates"]

# Date formats tried in turn; ACLED writes both "16 January 2024" and "2024-01-16".
DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d-%b-%Y")  # never 01/02/2024: day or month?
_ISO_DATE = r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?"
# the time of an ISO date-time: hours, minutes, optional seconds and fraction, optional zone
_ISO_TIME = r"[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2})?)?"

#: The earliest year a date may have; earlier ones are typing errors (0001, 1024).
FIRST_YEAR: int = 1900


def last_year() -> int:
    """The latest year a date may have: next year (a report may be dated ahead of time zones)."""
    return datetime.date.today().year + 1


def _text(values: pd.Series) -> pd.Series:
    """Values as trimmed nullable text, blanks missing."""
    text = values.astype("str").str.strip()
    return text.mask(text == "")


def _bad_times(text: pd.Series) -> np.ndarray:
    """True where an ISO date-time's time is not a time of day (25:99, 12:60:00, a zone of +15:00)."""
    rest = text.str.slice(10)
    has_time = rest.str.len().fillna(0).to_numpy() > 0
    bad = np.zeros(len(text), dtype=bool)
    if not has_time.any():
        return bad
    parts = rest[has_time].str.extract(f"^{_ISO_TIME}$")
    numbers = parts.apply(pd.to_numeric, errors="coerce")
    malformed = parts[0].isna().to_numpy()
    hour, minute, second, zone_hour, zone_minute = (numbers[k].to_numpy(dtype=float) for k in range(5))
    with np.errstate(invalid="ignore"):
        impossible = (hour > 23) | (minute > 59) | (second > 60) | (zone_hour > 14) | (zone_minute > 59)
    bad[has_time] = malformed | impossible
    return bad


def parse_dates(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """ISO dates (text) from ISO or ACLED-style dates, and a mask of unparseable ones.

    ISO values (with or without a time) keep their first ten characters once they are
    known to be a real date and, when a time is given, a real time of day; the others are
    tried against :data:`DATE_FORMATS` in turn. Missing values stay missing and are not
    flagged. Years outside :data:`FIRST_YEAR` .. :func:`last_year` are checked by
    :func:`dates_out_of_range`.

    Examples
    --------
    >>> iso, bad = parse_dates(pd.Series(["2024-01-16", "16 January 2024", "2019-02-13 00:00:00.000", "2024-02-30", None]))
    >>> iso.tolist(), bad.tolist()
    (['2024-01-16', '2024-01-16', '2019-02-13', nan, nan], [False, False, False, True, False])
    >>> parse_dates(pd.Series(["2024-02-29T25:99", "2024-02-29T23:59:59+05:00"]))[1].tolist()
    [True, False]
    """
    text = _text(values)
    out = pd.Series(np.nan, index=values.index, dtype="str")
    is_iso = text.str.fullmatch(_ISO_DATE).fillna(False).astype(bool).to_numpy()
    if is_iso.any():
        head = text[is_iso].str.slice(0, 10)
        parsed = pd.to_datetime(head, format="%Y-%m-%d", errors="coerce")
        good = parsed.notna().to_numpy() & ~_bad_times(text[is_iso])
        out[is_iso] = head.where(good).astype("str")
    todo = (~is_iso) & text.notna().to_numpy()
    for fmt in DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        hit = parsed.notna()
        if hit.any():
            index = parsed.index[hit.to_numpy()]
            out[index] = parsed[hit].dt.strftime("%Y-%m-%d").astype("str")
            todo[values.index.get_indexer(index)] = False
    bad = text.notna().to_numpy() & out.isna().to_numpy()
    return out, bad


def dates_out_of_range(iso: pd.Series) -> np.ndarray:
    """True where an ISO date's year is before :data:`FIRST_YEAR` or after next year.

    Examples
    --------
    >>> dates_out_of_range(pd.Series(["0001-01-01", "2024-01-16", "9999-12-31", None])).tolist()
    [True, False, True, False]
    """
    head = iso.str.slice(0, 4)
    try:  # the years of parse_dates' output are digits: cast at once
        years = head.astype(float).to_numpy(dtype=float)
    except (TypeError, ValueError):
        years = pd.to_numeric(head, errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        out: np.ndarray = (years < FIRST_YEAR) | (years > last_year())
    return out


def date_problems(values: pd.Series, expected: str = "; expected YYYY-MM-DD or '16 January 2024'",
                  ) -> tuple[pd.Series, pd.Series]:
    """ISO dates, and for each value that cannot be one the reason (else missing).

    The reason names the value: an unparseable date (followed by ``expected``), an
    impossible time of day, or a year outside :data:`FIRST_YEAR` .. :func:`last_year`.
    """
    iso, bad = parse_dates(values)
    reason = pd.Series(None, index=values.index, dtype=object)
    early = dates_out_of_range(iso)
    if not (bad.any() or early.any()):
        return iso, reason
    text = _text(values)
    quoted = text.astype(str).map(repr)  # the values as written, for the messages
    if bad.any():
        day = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce").notna().to_numpy()
        clock = bad & day & text.str.fullmatch(_ISO_DATE).fillna(False).astype(bool).to_numpy()
        reason[clock] = ("impossible time of day in date " + quoted[clock]
                         + "; expected HH:MM or HH:MM:SS with hours 00-23 and minutes 00-59")
        other = bad & ~clock
        reason[other] = "unparseable date " + quoted[other] + expected
    if early.any():
        reason[early] = ("date " + quoted[early] + f" is outside the years {FIRST_YEAR}..{last_year()}; "
                         "check the year")
        iso = iso.mask(early)
    return iso, reason
