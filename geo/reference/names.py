"""Matching keys for place names: exact and transliteration-folded, and country hints.

Names are matched on two keys. The *exact* key ignores case, punctuation and diacritics;
the *variant* key also folds the usual transliteration differences (o/u, e/i, w/v, a
final -eh, a silent h, doubled letters, the ezafe and "and"), so that "Chah Bahar" finds
Chabahar and "Sistan-Balochistan" finds Sistan and Baluchestan.

Examples
--------
>>> normalize("Chāh Bahār")
'chah bahar'
>>> variant_key("Chah Bahar") == variant_key("Chabahar")
True
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from geo.errors import GeocodeError

__all__ = ["COUNTRY_ALIASES", "country_code", "normalize", "normalize_series", "variant_key", "variant_series"]

#: Country hints understood, by normalized spelling.
COUNTRY_ALIASES = {
    "pak": "PAK",
    "pk": "PAK",
    "pakistan": "PAK",
    "irn": "IRN",
    "ir": "IRN",
    "iran": "IRN",
    "islamic republic of iran": "IRN",
    "afg": "AFG",
    "af": "AFG",
    "afghanistan": "AFG",
}

# words that carry no identity in a place name: the ezafe, "and", administrative words
_STOPWORDS = (
    "and",
    "va",
    "wa",
    "o",
    "e",
    "i",
    "ye",
    "y",
    "the",
    "of",
    "province",
    "ostan",
    "district",
    "county",
    "tehsil",
    "city",
    "town",
    "village",
    "shahrestan",
)
_QUOTES = r"['’‘`ʼʻ]"


def normalize(name: str) -> str:
    """Return the exact matching key: lower case, no diacritics, no punctuation.

    Examples
    --------
    >>> normalize("  Koh-e-Sabz ")
    'koh e sabz'
    >>> normalize("Qal‘eh-ye Nāşerī")
    'qaleh ye naseri'
    """
    return str(normalize_series(pd.Series([name], dtype=object)).iloc[0])


def normalize_series(names: pd.Series) -> pd.Series:
    """Vectorised :func:`normalize` over a Series of names (missing values give ``""``).

    Examples
    --------
    >>> normalize_series(pd.Series(["Mīrjāveh", None])).tolist()
    ['mirjaveh', '']
    """
    text = names.astype(object).where(names.notna(), "").astype(str)
    return (
        text.str.normalize("NFKD")
        .str.replace(r"[\u0300-\u036f]", "", regex=True)  # the combining marks NFKD split off
        .str.casefold()
        .str.replace(_QUOTES, "", regex=True)  # ayn and hamza marks: Qal`eh = Qaleh
        .str.replace(r"[^0-9a-z]+", " ", regex=True)
        .str.strip()
    )


def variant_key(name: str) -> str:
    """Return the transliteration-folded key of one name.

    Examples
    --------
    >>> variant_key("Mirjaveh") == variant_key("Mirjawa")
    True
    >>> variant_key("Baluchistan") == variant_key("Balochistan")
    True
    >>> variant_key("Kouh-Sabz") == variant_key("Koh-e-Sabz")
    True
    """
    return str(variant_series(normalize_series(pd.Series([name], dtype=object))).iloc[0])


def variant_series(keys: pd.Series) -> pd.Series:
    """Vectorised :func:`variant_key` over Series of exact keys (from :func:`normalize_series`)."""
    stop = "|".join(_STOPWORDS)
    folded = (
        (" " + keys.astype(str) + " ")
        .str.replace(rf"(?<= )(?:{stop})(?= )", " ", regex=True)
        .str.replace(r"eh(?= )", "a", regex=True)  # Persian final -eh is written -a too
        .str.replace(" ", "", regex=False)
        .str.replace("ou", "u", regex=False)
        .str.replace("oo", "u", regex=False)
        .str.replace("ee", "i", regex=False)
        .str.translate(str.maketrans({"o": "u", "e": "i", "w": "v", "q": "k"}))
        .str.replace(r"(?<=[aiu])h(?![aiu])", "", regex=True)  # Chah Bahar = Chabahar
        .str.replace(r"(.)\1+", r"\1", regex=True)  # Panjgoor, Mirjawa(h)
    )
    return folded


def country_code(hint: Any) -> str | None:
    """Return the ISO3 code for a country hint, or None when the hint is empty.

    Raises
    ------
    GeocodeError
        When the hint names no country of the gazetteer.

    Examples
    --------
    >>> country_code("Pakistan"), country_code("ir"), country_code(None)
    ('PAK', 'IRN', None)
    """
    if hint is None or (isinstance(hint, float) and math.isnan(hint)) or str(hint).strip() == "":
        return None
    code = COUNTRY_ALIASES.get(normalize(str(hint)))
    if code is None:
        allowed = ", ".join(sorted({v for v in COUNTRY_ALIASES.values()}))
        msg = f"unknown country hint {hint!r}; the gazetteer covers {allowed} (or their names)"
        raise GeocodeError(msg)
    return code
