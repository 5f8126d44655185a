"""Progress bars for long steps: on a terminal only, and only for steps that take a while.

Every long step (reading, measuring, writing, drawing, Dask partitions) runs inside
:func:`bar`. A bar appears on standard error once its step has run for
:data:`DELAY_S` seconds, with the records done, the rate and the time left, and vanishes
when the step ends. Nothing is drawn when standard error is not a terminal (a pipe, a
file, a test runner) or when bars are off, so logs and the closing ``read N, processed
M, rejected K`` line stay as they are. ``rich`` draws the bars and is imported only when
one is about to appear.

Functions that run long take ``progress: bool | None = None``: True asks for a bar,
False refuses one, None follows :data:`DEFAULT` (off in Python; the ``geo`` command
turns it on unless ``-q`` is given).

Examples
--------
>>> with bar("measuring", total=3, enabled=True) as step:  # not a terminal: draws nothing
...     for _ in range(3):
...         step.advance()
>>> step.completed
3.0
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["DEFAULT", "DELAY_S", "Bar", "asked", "bar", "wanted"]

#: Whether long steps show a bar when their caller passes ``progress=None``.
DEFAULT: bool = False

#: Seconds a step runs before its bar appears (``$GEO_PROGRESS_DELAY`` overrides).
DELAY_S: float = 2.0

_lock = threading.Lock()
_display: Any = None  # the rich Progress while any bar is on screen
_shown = 0


def asked(progress: bool | None) -> bool:
    """Whether progress was asked for: ``progress``, or :data:`DEFAULT` when it is None.

    Examples
    --------
    >>> asked(True), asked(False)
    (True, False)
    """
    return DEFAULT if progress is None else bool(progress)


def wanted(progress: bool | None) -> bool:
    """Whether a bar may be drawn: asked for (or :data:`DEFAULT`) and stderr a terminal.

    Examples
    --------
    >>> wanted(False)
    False
    """
    if not asked(progress):
        return False
    if "ipykernel" in sys.modules:  # a notebook draws rich's bars as widgets
        return True
    stream = sys.stderr
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


def _delay() -> float:
    try:
        return float(os.environ.get("GEO_PROGRESS_DELAY", DELAY_S))
    except ValueError:
        return DELAY_S


def _new_display() -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Count(ProgressColumn):
        def render(self, task: Any) -> Text:
            unit = task.fields.get("unit", "")
            done = f"{task.completed:,.0f}"
            text = f"{done}/{task.total:,.0f} {unit}" if task.total is not None else f"{done} {unit}"
            return Text(text.strip(), style="progress.download")

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            unit = task.fields.get("unit", "")
            return Text("" if speed is None else f"{speed:,.0f} {unit}/s", style="progress.data.speed")

    console = Console(file=sys.stderr)
    return Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), TaskProgressColumn(),
        Count(), Rate(), TextColumn("elapsed"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
        console=console, transient=True, redirect_stderr=True, redirect_stdout=False,
    )


class Bar:
    """One step's progress: call :meth:`advance` as work is done.

    The counts are kept whether or not anything is drawn, so code can read them back.
    """

    def __init__(self, description: str, total: float | None, unit: str, enabled: bool) -> None:
        self.description = description
        self.total = None if total is None else float(total)
        self.unit = unit
        self.completed = 0.0
        self._enabled = enabled
        self._task: Any = None
        self._timer: threading.Timer | None = None

    def _start(self) -> None:
        if self._enabled:
            self._timer = threading.Timer(_delay(), self._show)
            self._timer.daemon = True
            self._timer.start()

    def _show(self) -> None:
        global _display, _shown
        with _lock:
            if not self._enabled or self._task is not None:
                return
            if _display is None:
                _display = _new_display()
                _display.start()
            self._task = _display.add_task(self.description, total=self.total, completed=self.completed,
                                           unit=self.unit)
            _shown += 1
            _display.refresh()  # drawn now, not at the next tick: a bar once shown is seen

    def _stop(self) -> None:
        global _display, _shown
        if self._timer is not None:
            self._timer.cancel()
        with _lock:
            self._enabled = False
            if self._task is None:
                return
            _display.remove_task(self._task)
            self._task = None
            _shown -= 1
            if _shown == 0:
                _display.stop()
                _display = None

    def advance(self, amount: float = 1) -> None:
        """Count ``amount`` more units done."""
        self.completed += amount
        task = self._task
        if task is not None:
            _display.update(task, completed=self.completed)

    def update(self, *, total: float | None = None, completed: float | None = None,
               description: str | None = None) -> None:
        """Change the total (an estimate that improves, say), the count or the text."""
        if total is not None:
            self.total = float(total)
        if completed is not None:
            self.completed = float(completed)
        if description is not None:
            self.description = description
        task = self._task
        if task is not None:
            _display.update(task, total=self.total, completed=self.completed, description=self.description)


@contextlib.contextmanager
def bar(description: str, total: float | None = None, *, unit: str = "records",
        enabled: bool | None = None) -> Iterator[Bar]:
    """A progress bar for one step, drawn only on a terminal and after :data:`DELAY_S`.

    Parameters
    ----------
    description : str
        What the step does ("reading events.parquet").
    total : float, optional
        Units the step will do; without it the bar shows the count and rate only.
    unit : str
        What is counted ("records", "partitions").
    enabled : bool, optional
        The caller's ``progress`` argument; None follows :data:`DEFAULT`.

    Yields
    ------
    Bar
    """
    step = Bar(description, total, unit, wanted(enabled))
    step._start()
    try:
        yield step
    finally:
        step._stop()
