"""Writing files and folders atomically: a failed or interrupted run leaves the old ones.

Every output goes through :func:`atomic_write`: the bytes land in a temporary file in the
destination folder and are renamed over the target only when complete, so an interrupted
run never leaves a partial file or spoils a good one. :func:`replace_dir` does the same
for a folder of outputs. This module is in the base layer: writing a figure or a map
does not pull in the reading stack.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from geo.errors import GeoValueError

__all__ = ["atomic_write", "replace_dir"]


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path`` and rename it over ``path`` on success.

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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise



def replace_dir(new: Path, target: Path) -> None:
    """Put the folder ``new`` at ``target``: two renames, so ``target`` is never half written.

    A previous ``target`` folder is moved aside and removed only after ``new`` took its
    place, so a failure leaves either the old folder or the new one, never a mix.

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
    if not target.exists():
        os.replace(new, target)
        return
    if not target.is_dir():
        raise GeoValueError(f"cannot write to {str(target)!r}: it is a file, not a folder")
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.replace(target, old / target.name)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
