"""Where the bundled data lives, for a checkout and for an installed wheel alike."""

from __future__ import annotations

from pathlib import Path

# An installed wheel carries the top-level data/ folder as geo/_bundled_data (see
# pyproject.toml); a checkout or an editable install reads data/ next to the package.
_WHEEL_DATA = Path(__file__).resolve().parent / "_bundled_data"
_CHECKOUT_DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """Return the folder that holds the bundled data.

    Examples
    --------
    >>> (data_dir() / "boundaries").is_dir()
    True
    """
    if _WHEEL_DATA.is_dir():
        return _WHEEL_DATA
    return _CHECKOUT_DATA


def data_path(*parts: str) -> Path:
    """Return the path of one bundled data file, such as ``data_path("incidents.geojson")``.

    Raises
    ------
    FileNotFoundError
        When the bundled file is missing, which means a broken installation.
    """
    path = data_dir().joinpath(*parts)
    if not path.exists():
        msg = f"bundled data file {'/'.join(parts)!r} is missing from {data_dir()}; reinstall geo"
        raise FileNotFoundError(msg)
    return path


def incidents_path() -> Path:
    """Return the bundled incidents, ``data/incidents.geojson``, wherever geo is installed.

    Examples
    --------
    >>> incidents_path().name
    'incidents.geojson'
    """
    return data_path("incidents.geojson")
