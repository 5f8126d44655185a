"""Writing files and folders atomically: a failed or interrupted run leaves the old ones.

Every output goes through :func:`atomic_write`: the bytes land in a temporary file in the
destination folder and are renamed over the target only when complete, so an interrupted
run never leaves a partial file or spoils a good one. :func:`replace_dir` does the same
for a folder of outputs. :func:`check_output_path` and :func:`check_output_dir` say, before
any work, whether an output can be written where asked.

Interruptions: Ctrl-C raises :class:`KeyboardInterrupt`, and after
:func:`raise_on_sigterm` a SIGTERM raises :class:`Terminated` (a ``KeyboardInterrupt``),
so that the temporary files are removed on the way out in both cases. The last renames
and the clean-up run with both signals held back, so a signal never lands between them.

This module is in the base layer: writing a figure or a map does not pull in the reading
stack.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from geo.errors import GeoValueError, OutputPathError

__all__ = [
    "Terminated", "atomic_write", "check_output_dir", "check_output_path", "no_clobber",
    "raise_on_sigterm", "replace_dir", "staging_dir", "temp_prefix",
]

#: The longest file name most file systems allow, in bytes, when the folder does not say.
NAME_MAX: int = 255
#: The longest path the operating system takes, in bytes, when it does not say.
PATH_MAX: int = 4096

# mkstemp and mkdtemp add 8 random characters; every temporary name ends in ".tmp"
_RANDOM = 8
_SUFFIX = ".tmp"

_clobber: contextvars.ContextVar[bool] = contextvars.ContextVar("geo_clobber", default=True)


class Terminated(KeyboardInterrupt):
    """The process was sent SIGTERM; raised like Ctrl-C so that temporary files go."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated(f"terminated by signal {signum}")


def raise_on_sigterm() -> None:
    """Turn SIGTERM into :class:`Terminated` in the main thread (exit code 143 by convention).

    Without this, SIGTERM ends Python at once and a file being written stays behind as
    its hidden temporary file. Does nothing outside the main thread.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_terminated)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back (in this thread) until the block is done."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def no_clobber(enabled: bool = True) -> Iterator[None]:
    """Within the block, :func:`atomic_write` refuses to replace an existing file.

    The refusal is atomic (a hard link, which fails when the name exists), so a file that
    appears while the work runs is not replaced either.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> _ = target.write_text("mine")
    >>> with no_clobber():
    ...     with atomic_write(target) as f:
    ...         _ = f.write("new")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.OutputPathError: cannot write '...out.txt': it exists and --no-clobber keeps it
    >>> target.read_text()
    'mine'
    """
    token = _clobber.set(not enabled)
    try:
        yield
    finally:
        _clobber.reset(token)


def name_max(folder: str | os.PathLike[str]) -> int:
    """The longest file name ``folder``'s file system takes, in bytes."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return NAME_MAX


def temp_prefix(name: str, folder: str | os.PathLike[str]) -> str:
    """A hidden prefix for a temporary sibling of ``name`` that keeps within the name limit.

    The user's name is never shortened; the temporary one is, byte-wise, so that
    ``prefix + 8 random characters + ".tmp"`` fits the file system.

    Examples
    --------
    >>> temp_prefix("out.csv", "/tmp")
    '.out.csv.'
    >>> len(temp_prefix("a" * 250 + ".geojson", "/tmp").encode()) + 8 + 4 <= 255
    True
    """
    room = name_max(folder) - _RANDOM - len(_SUFFIX) - 2
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) > room:
        name = encoded[:room].decode("utf-8", "ignore")
    return f".{name}."


def _publish(tmp_name: str, path: Path) -> None:
    """Rename the finished temporary file to ``path``; without clobbering, only if new."""
    if _clobber.get():
        os.replace(tmp_name, path)
        return
    try:
        os.link(tmp_name, path)  # fails if the name exists, atomically
    except FileExistsError:
        raise OutputPathError("it exists and --no-clobber keeps it", path=path) from None
    except OSError:  # a file system without hard links
        if os.path.lexists(path):
            raise OutputPathError("it exists and --no-clobber keeps it", path=path) from None
        os.replace(tmp_name, path)
        return
    os.unlink(tmp_name)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path`` and rename it over ``path`` on success.

    The temporary file is removed when the block fails or is interrupted (Ctrl-C, and
    SIGTERM after :func:`raise_on_sigterm`). Inside :func:`no_clobber`, an existing
    ``path`` is kept and :class:`~geo.errors.OutputPathError` raised.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as f:
    ...     _ = f.write("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "")
    tmp_name: str | None = None
    try:
        # a signal between creating the file and knowing its name would leave it behind
        with _signals_held():
            fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path.name, path.parent), suffix=_SUFFIX,
                                            dir=path.parent)
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with _signals_held():
            os.chmod(tmp_name, 0o644)
            _publish(tmp_name, path)
    except BaseException:
        if tmp_name is not None:
            with _signals_held(), contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(done == 0)


def staging_dir(target: str | os.PathLike[str]) -> Path:
    """A new hidden folder beside ``target`` to build its replacement in (see :func:`replace_dir`).

    It has the permissions a plain ``mkdir`` would give, not the owner-only ones of
    :func:`tempfile.mkdtemp`, since it becomes ``target``.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=temp_prefix(target.name, target.parent), suffix=_SUFFIX,
                                    dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)
    return staging


def replace_dir(new: Path, target: Path) -> None:
    """Put the folder ``new`` at ``target`` in one step, so ``target`` is never half written.

    Where the system can (Linux), the two folders are exchanged atomically; elsewhere the
    previous ``target`` is renamed aside and ``new`` renamed into its place, with SIGINT
    and SIGTERM held back between the two. The previous folder is then removed. A failure
    leaves either the old folder or the new one, never a mix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "new").mkdir(); _ = (root / "new" / "a.txt").write_text("new")
    >>> (root / "out").mkdir(); _ = (root / "out" / "b.txt").write_text("old")
    >>> replace_dir(root / "new", root / "out")
    >>> sorted(p.name for p in (root / "out").iterdir())
    ['a.txt']
    """
    new, target = Path(new), Path(target)
    with _signals_held():
        if not os.path.lexists(target):
            os.replace(new, target)
            return
        if target.is_symlink() or not target.is_dir():
            raise GeoValueError(f"cannot write to {str(target)!r}: it is a file, not a folder")
        if _exchange(new, target):
            shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the previous folder
            return
        old = Path(tempfile.mkdtemp(prefix=temp_prefix(target.name, target.parent), suffix=_SUFFIX,
                                    dir=target.parent))
        os.replace(target, old / "previous")
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- checks


def _stat(path: Path) -> os.stat_result | None:
    """``os.stat`` of ``path``, or None when nothing is there (or a parent is a file)."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _nearest_existing(path: Path) -> tuple[Path, os.stat_result]:
    folder = path.parent
    while True:
        found = _stat(folder)
        if found is not None:
            return folder, found
        if folder.parent == folder:
            raise OutputPathError("no part of its folder exists", path=path)
        folder = folder.parent


def _check_lengths(path: Path, raw: str) -> None:
    size = len(os.fsencode(raw))
    if size >= PATH_MAX:
        raise OutputPathError(f"the path is {size:,} bytes; the system takes at most {PATH_MAX - 1:,}", path=raw)
    for part in path.parts:
        length = len(os.fsencode(part))
        if length > NAME_MAX:
            raise OutputPathError(f"the name {part[:40]!r}… is {length} bytes; file systems take at most "
                                  f"{NAME_MAX}", path=raw)


def _probe(folder: Path, path: Path | str) -> None:
    """Create and remove a temporary file in ``folder``: the only sure test of writing."""
    try:
        fd, name = tempfile.mkstemp(prefix=".geo-probe.", suffix=_SUFFIX, dir=folder)
    except OSError as err:
        raise OutputPathError(f"cannot write in {str(folder)!r}: {err.strerror or err}", path=path) from None
    os.close(fd)
    os.unlink(name)


def _same_file(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output_path(
    path: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    clobber: bool = True,
) -> Path:
    """Raise :class:`~geo.errors.OutputPathError` unless a file can be written at ``path``.

    Run before the work, so that a run never fails at its end: the path and each name in
    it fit the system's limits; ``path`` is no folder; the nearest existing folder above
    it is a folder (not a regular file) that can be written; ``path`` is none of
    ``inputs`` (after following links); an existing ``path`` is a regular file, and with
    ``clobber=False`` it must not exist. Nothing is created.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "in.csv").write_text("id\\n")
    >>> check_output_path(folder / "in.csv", inputs=[folder / "in.csv"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.OutputPathError: cannot write '...in.csv': it is the input; choose another name
    >>> check_output_path(folder / "in.csv" / "out.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.OutputPathError: cannot write '...out.csv': '...in.csv' is a file, not a folder
    """
    raw = os.fspath(path)
    if raw.endswith(("/", os.sep)) or os.path.basename(raw) in ("", ".", ".."):
        raise OutputPathError("it names a folder; give a file name", path=raw)
    target = Path(raw)
    _check_lengths(target, raw)
    for given in inputs:
        if _same_file(target, Path(given)):
            raise OutputPathError("it is the input; choose another name", path=raw)
    try:
        found = _stat(target)
    except OSError as err:
        raise OutputPathError(err.strerror or str(err), path=raw) from None
    if found is not None:
        if stat.S_ISDIR(found.st_mode):
            raise OutputPathError("it is a folder; give a file name", path=raw)
        if not stat.S_ISREG(found.st_mode):
            raise OutputPathError("it exists and is not a regular file", path=raw)
        if not clobber:
            raise OutputPathError("it exists and --no-clobber keeps it", path=raw)
    folder, folder_stat = _nearest_existing(target)
    if not stat.S_ISDIR(folder_stat.st_mode):
        raise OutputPathError(f"{str(folder)!r} is a file, not a folder", path=raw)
    _probe(folder, raw)
    return target


def _survey(folder: Path, replaceable: Callable[[str], bool], limit: int = 6) -> tuple[list[str], list[str]]:
    """The files under ``folder``, and the first few that ``replaceable`` refuses."""
    entries: list[str] = []
    foreign: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            relative = (Path(root) / name).relative_to(folder).as_posix()
            entries.append(relative)
            if not replaceable(relative):
                foreign.append(relative)
                if len(foreign) >= limit:  # a home folder: no need to walk it all
                    return entries, foreign
    return entries, foreign


def check_output_dir(
    path: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    clobber: bool = True,
    replaceable: Callable[[str], bool] = lambda name: False,
    what: str = "outputs",
) -> Path:
    """Raise :class:`~geo.errors.OutputPathError` unless :func:`replace_dir` may replace ``path``.

    A folder of outputs is replaced whole, so it must be new, empty, or hold only files
    for which ``replaceable(relative_posix_path)`` is true (the outputs of an earlier
    run). It must not hold an input, nor the current folder; its parent must be
    writable, as the new folder is built beside it. With ``clobber=False`` a non-empty
    folder is refused.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> home = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (home / "thesis.tex").write_text("years of work")
    >>> check_output_dir(home, what="geo build outputs")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.OutputPathError: cannot write '...': it holds files that are not geo build outputs (thesis.tex); ...
    """
    raw = os.fspath(path)
    target = Path(os.path.abspath(raw))
    _check_lengths(target, raw)
    if target == Path(target.anchor) or Path(os.getcwd()).is_relative_to(target):
        raise OutputPathError("it is the current folder or holds it; choose a folder below it", path=raw)
    for given in inputs:
        if Path(os.path.realpath(given)).is_relative_to(os.path.realpath(target)):
            raise OutputPathError(f"it holds the input {os.fspath(given)!r}, which replacing the folder "
                                  "would delete; choose another folder", path=raw)
    found = _stat(target)
    if found is not None:
        if os.path.islink(target) or not stat.S_ISDIR(found.st_mode):
            raise OutputPathError("it exists and is not a folder", path=raw)
        entries, foreign = _survey(target, replaceable)
        if foreign:
            shown = ", ".join(foreign[:5]) + (" and more" if len(foreign) > 5 else "")
            raise OutputPathError(f"it holds files that are not {what} ({shown}); the folder is replaced "
                                  "whole, so choose a new or empty folder", path=raw)
        if entries and not clobber:
            raise OutputPathError("it holds earlier outputs and --no-clobber keeps them", path=raw)
    folder, folder_stat = _nearest_existing(target)
    if not stat.S_ISDIR(folder_stat.st_mode):
        raise OutputPathError(f"{str(folder)!r} is a file, not a folder", path=raw)
    _probe(folder, raw)
    return target

