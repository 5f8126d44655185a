"""Drawing figures in worker processes, so that a build's fifteen files use every core.

Saving is most of a build's time (PDF font subsetting is pure Python), and the figures are
independent, so :func:`geo.plot.api.save_figures` can hand each kind to a worker. Workers
are forked from a *forkserver*, a clean process that has already imported matplotlib and
this package and runs no threads: unlike a plain fork of the caller, which may run a
progress bar's thread, a worker can never inherit a lock held by another thread. Where
there is no forkserver (Windows), or none can start, figures are drawn in the calling
process.

Each task carries the caller's environment variables and :mod:`geo.settings` values, so a
worker draws with the caller's settings (a figure threshold, the cache folder) even when
they changed after the forkserver started.

Examples
--------
>>> n = default_jobs()
>>> 1 <= n <= 2
True
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from geo.errors import GeoValueError

__all__ = ["caller_state", "check_jobs", "default_jobs", "draw_and_save", "figure_context", "start_workers"]

logger = logging.getLogger("geo")

#: What a forkserver imports once, before it forks any worker.
PRELOAD = ["geo.plot.api"]


def default_jobs() -> int:
    """Worker processes a build draws its figures with: 2 on a machine of 2 cores or more, else 1."""
    return max(1, min(2, os.cpu_count() or 1))


def check_jobs(jobs: object) -> int:
    """``jobs`` as a whole number of worker processes >= 1, or a GeoValueError naming it.

    Examples
    --------
    >>> check_jobs(2)
    2
    >>> check_jobs(0)
    Traceback (most recent call last):
    ...
    geo.errors.GeoValueError: jobs must be a whole number of worker processes >= 1, not 0
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        msg = f"jobs must be a whole number of worker processes >= 1, not {jobs!r}"
        raise GeoValueError(msg)
    return jobs


def figure_context() -> BaseContext | None:
    """The forkserver context with :data:`PRELOAD` imported, or None where there is none."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start_workers() -> None:
    """Start the forkserver now, so its imports overlap the caller's reading and measuring.

    A no-op where there is no forkserver or it is already running; a failure to start is
    logged and left to :func:`draw_and_save`, which then draws in this process.
    """
    if figure_context() is None:
        return
    from multiprocessing import forkserver

    try:
        forkserver.ensure_running()
    except OSError as err:  # no /dev/shm, process limit: draw here instead
        logger.debug("figure workers could not start: %s", err)


def caller_state() -> tuple[dict[str, str], dict[str, Any]]:
    """The environment variables and the :mod:`geo.settings` values a worker should use."""
    from geo import settings

    values = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
    return dict(os.environ), values


SaveKind = Callable[..., list[Path]]


def _draw_kind(state: tuple[dict[str, str], dict[str, Any]], save_kind: SaveKind, result: Any, kind: str,
               out: Path, options: dict[str, Any]) -> list[Path]:
    """In a worker: draw one kind and save it in every format, in the caller's state."""
    from geo import settings

    environ, values = state
    os.environ.clear()
    os.environ.update(environ)
    for name, value in values.items():
        setattr(settings, name, value)
    return save_kind(result, kind, out, **options)


def draw_and_save(save_kind: SaveKind, result: Any, kinds: list[str], out: Path, jobs: int,
                  done: Callable[[int], None], **options: Any) -> list[Path]:
    """Call ``save_kind(result, kind, out, **options)`` for every kind, on up to ``jobs`` workers.

    ``save_kind`` (:func:`geo.plot.api.save_kind`) must be importable by name, as workers
    receive it by reference; it returns the files it wrote.

    ``done(n)`` is called with the number of files written so far as each kind is saved.
    A worker's error is raised here, as it was raised there, once the other workers have
    stopped (so nothing is still writing when the caller cleans up). When the workers
    cannot be used (no forkserver, or the pool breaks), the kinds not yet saved are drawn
    in this process.
    """
    context = figure_context() if jobs > 1 and len(kinds) > 1 else None
    written: list[Path] = []
    todo = list(kinds)
    if context is not None:
        try:
            pool = ProcessPoolExecutor(min(jobs, len(kinds)), mp_context=context)
        except OSError as err:
            logger.debug("figure workers could not start (%s); drawing here", err)
        else:
            try:
                state = caller_state()
                futures: dict[str, Future[list[Path]]] = {
                    kind: pool.submit(_draw_kind, state, save_kind, result, kind, out, options) for kind in kinds
                }
                for kind, future in futures.items():
                    written.extend(future.result())
                    todo.remove(kind)
                    done(len(written))
            except (BrokenProcessPool, OSError) as err:
                logger.debug("figure workers failed (%s); drawing %s here", err, ", ".join(todo))
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
    for kind in todo:
        written.extend(save_kind(result, kind, out, **options))
        done(len(written))
    return written
