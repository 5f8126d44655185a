"""A disk cache for derived data: built once per input, reused by every later run.

Geometry that takes seconds to derive from a bundled file, such as the distance
corridors of a border or the candidate grid of the distance search, is stored under the
user cache folder (``platformdirs.user_cache_dir("geo")``; ``settings.CACHE_DIR`` or the
environment variable ``GEO_CACHE_DIR`` move it) as one ``.npz`` file per entry.

Entries that every user needs at once (the corridors of the default bands) are also shipped,
built by a script in the repo, in the bundled data's ``derived`` folder
(:func:`shipped_dir`); an entry missing from the cache folder is looked up there.

An entry's name is the SHA-256 of its key: the SHA-256 of the input file plus every
parameter that shapes the result, so a changed file or a changed parameter never meets a
stale entry. Each file also holds its key and a SHA-256 of its arrays; a file that does
not load, holds another key or fails its checksum is rebuilt, never trusted (a shipped
one too). Files are written with :func:`geo.files.atomic_write`, so a crash leaves no
half-written entry, and byte for byte the same for the same arrays. A
cache folder that cannot be written costs the speed, not the result.

Examples
--------
>>> import tempfile
>>> import numpy as np
>>> from geo import settings
>>> settings.CACHE_DIR = tempfile.mkdtemp()
>>> calls = []
>>> def build():
...     calls.append(1)
...     return {"squares": np.arange(4) ** 2}
>>> cached_arrays("demo", {"n": 4}, build)["squares"].tolist()
[0, 1, 4, 9]
>>> cached_arrays("demo", {"n": 4}, build)["squares"].tolist(), len(calls)
([0, 1, 4, 9], 1)
>>> settings.CACHE_DIR = None
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import os
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from geo import settings
from geo.files import atomic_write

__all__ = ["cache_dir", "cache_path", "cached_arrays", "entry_name", "file_sha256", "shipped_dir", "write_entry"]

logger = logging.getLogger("geo")

#: Environment variable that moves the cache folder (``settings.CACHE_DIR`` wins over it).
CACHE_ENV = "GEO_CACHE_DIR"

_KEY = "__key__"
_DIGEST = "__digest__"


def cache_dir() -> Path:
    """The cache folder: ``settings.CACHE_DIR``, ``$GEO_CACHE_DIR`` or the user cache folder.

    Examples
    --------
    >>> cache_dir().name in ("geo", "cache") or cache_dir().is_absolute()
    True
    """
    if settings.CACHE_DIR is not None:
        return Path(settings.CACHE_DIR)
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("geo", appauthor=False))


@functools.lru_cache(maxsize=64)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, in hex (remembered while the file is unchanged).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = target.write_bytes(b"abc")
    >>> file_sha256(target)[:16]
    'ba7816bf8f01cfea'
    """
    stat = os.stat(path)
    return _file_sha256(os.fspath(path), stat.st_size, stat.st_mtime_ns)


def _key_text(key: Mapping[str, Any]) -> str:
    return json.dumps(dict(key), sort_keys=True, separators=(",", ":"), default=str)


def shipped_dir() -> Path:
    """The folder of shipped entries: ``derived`` in the bundled data (``data/derived``)."""
    from geo.datasets import data_dir

    return data_dir() / "derived"


def entry_name(key: Mapping[str, Any]) -> str:
    """The file name of the entry with ``key``: ``<sha256 of key>.npz``, the same in every folder.

    Examples
    --------
    >>> entry_name({"n": 4}) == entry_name({"n": 4}) != entry_name({"n": 5})
    True
    """
    return hashlib.sha256(_key_text(key).encode("utf-8")).hexdigest() + ".npz"


def cache_path(name: str, key: Mapping[str, Any]) -> Path:
    """Where the entry ``name`` with ``key`` lives in the cache folder: ``CACHE/name/<entry_name>``."""
    return cache_dir() / name / entry_name(key)


def _arrays_digest(arrays: Mapping[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}|{array.dtype.str}|{array.shape}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _load(path: Path, key_text: str) -> dict[str, np.ndarray] | None:
    """The arrays of a cache file, or None when it is missing, unreadable or not genuine."""
    if not path.exists():
        return None
    try:
        with np.load(io.BytesIO(path.read_bytes()), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as err:
        logger.debug("cache file %s does not load (%s); rebuilding it", path, err)
        return None
    key = arrays.pop(_KEY, None)
    digest = arrays.pop(_DIGEST, None)
    if key is None or digest is None or str(key) != key_text or str(digest) != _arrays_digest(arrays):
        logger.debug("cache file %s is not the entry it should be; rebuilding it", path)
        return None
    return arrays


def write_entry(path: str | os.PathLike[str], key: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Path:
    """Write an entry (its arrays, key and checksum) to ``path`` atomically; return the path.

    The ``.npz`` file is reproducible: its members carry a fixed date, so the same key and
    arrays give the same bytes (a shipped entry's checksum holds across rebuilds).

    Raises
    ------
    OSError
        When ``path`` cannot be written.
    TypeError
        For arrays of Python objects, which cannot be stored safely.
    """
    path = Path(path)
    payload = {name: np.asarray(value) for name, value in arrays.items()}
    if any(value.dtype == object for value in payload.values()):
        raise TypeError(f"cache entry {path.name}: arrays of Python objects cannot be cached")
    key_text = _key_text(key)
    payload[_KEY] = np.asarray(key_text)
    payload[_DIGEST] = np.asarray(_arrays_digest({k: v for k, v in payload.items() if k != _KEY}))
    with atomic_write(path, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(payload):
            with archive.open(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), "w") as member:
                np.lib.format.write_array(member, payload[name], allow_pickle=False)
    return path


def _save(path: Path, key: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
    try:
        write_entry(path, key, arrays)
    except OSError as err:
        logger.debug("cannot write the cache file %s (%s); going on without it", path, err)


def cached_arrays(
    name: str, key: Mapping[str, Any], build: Callable[[], Mapping[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """Return the arrays cached under ``name`` and ``key``, building and storing them if needed.

    Parameters
    ----------
    name : str
        The kind of entry, a folder of the cache ("corridor", "candidate-grid").
    key : mapping
        Everything that shapes the result (a file's SHA-256, parameters, a format
        version); JSON-serializable.
    build : callable
        Returns the arrays (a mapping of names to NumPy arrays, no Python objects) when
        neither the cache folder nor the shipped entries hold a good one.

    Returns
    -------
    dict of str to ndarray
    """
    if not settings.USE_CACHE:
        return dict(build())
    key_text = _key_text(key)
    path = cache_path(name, key)
    for candidate in (path, shipped_dir() / name / path.name):
        arrays = _load(candidate, key_text)
        if arrays is not None:
            logger.debug("cache hit: %s", candidate)
            return arrays
    built = {k: np.asarray(v) for k, v in build().items()}
    _save(path, key, built)
    return built
