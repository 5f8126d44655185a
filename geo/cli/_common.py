"""What every command that reads incidents shares: options, reading and the closing report.

A command reads with :func:`load_incidents`, does its work on ``result.frame``, writes its
output, then calls :func:`finish`, which writes the rejected records next to the output
(``OUTPUT.rejects.csv``, the rule of ``geo geocode``), prints ``read N, processed M,
rejected K`` and exits 1 when something was rejected, unless ``--allow-rejects``::

    @click.command()
    @click.argument("input_path")
    @click.option("-o", "--output", required=True)
    @reading_options
    def cli(input_path, output, allow_rejects, fix_swapped, input_format):
        check_output(output)
        result = load_incidents(input_path, fix_swapped, input_format)
        write_incidents(do_the_work(result.frame), output)
        finish(result, output, allow_rejects)

Examples
--------
>>> import click
>>> @click.command()
... @reading_options
... def demo(allow_rejects, fix_swapped, input_format):
...     pass
>>> [p.name for p in demo.params]
['allow_rejects', 'fix_swapped', 'input_format']
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from geo.errors import DataError

logger = logging.getLogger("geo")

F = TypeVar("F", bound=Callable[..., Any])

#: Warnings printed per run; the rest are counted.
MAX_WARNINGS = 20

allow_rejects_option = click.option(
    "--allow-rejects", is_flag=True,
    help="Exit 0 even when records were rejected (they still go to OUTPUT.rejects.csv).",
)
fix_swapped_option = click.option(
    "--fix-swapped", is_flag=True,
    help="Swap latitude and longitude where they look swapped, instead of rejecting or warning.",
)
input_format_option = click.option(
    "--input-format", type=click.Choice(["geojson", "csv", "parquet", "acled", "ucdp"]), default=None,
    help="Format of INPUT when its extension does not say (ACLED and UCDP are also recognized by their columns).",
)


def reading_options(function: F) -> F:
    """Add ``--allow-rejects``, ``--fix-swapped`` and ``--input-format`` to a command."""
    return allow_rejects_option(fix_swapped_option(input_format_option(function)))


def check_output(output: str | os.PathLike[str] | None) -> None:
    """Fail with a usage error (exit 2) on an output extension no writer knows.

    Examples
    --------
    >>> check_output("out.geojson")
    >>> check_output("out.txt")
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: cannot write 'out.txt': unknown extension '.txt'; use one of .csv, .geojson, .json, .parquet
    """
    if output is None:
        return
    from geo.errors import GeoValueError
    from geo.io import output_format

    try:
        output_format(output)
    except GeoValueError as err:
        raise click.BadParameter(str(err), param_hint="'-o' / '--output'") from None


def load_incidents(path: str | os.PathLike[str], fix_swapped: bool = False, input_format: str | None = None) -> Any:
    """Read INPUT with :func:`geo.io.read_incidents_checked`; log its warnings.

    Returns the :class:`geo.io.ReadResult`. File-level failures raise
    :class:`~geo.errors.InputFileError`, which the command line prints as one line (exit 1).
    """
    from geo.io import read_incidents_checked

    result = read_incidents_checked(path, input_format, fix_swapped=fix_swapped)
    for warning in result.warnings[:MAX_WARNINGS]:
        logger.warning("geo: warning: %s", warning)
    if len(result.warnings) > MAX_WARNINGS:
        logger.warning("geo: warning: and %d more warnings", len(result.warnings) - MAX_WARNINGS)
    for message in result.reject_messages(MAX_WARNINGS):
        logger.warning("geo: rejected: %s", message)
    if result.n_rejected > MAX_WARNINGS:
        logger.warning("geo: rejected: and %d more (all are in the rejects file)", result.n_rejected - MAX_WARNINGS)
    return result


def finish(
    result: Any,
    output: str | os.PathLike[str] | None,
    allow_rejects: bool,
    processed: int | None = None,
    *,
    wrote: str | os.PathLike[str] | None = None,
) -> Path | None:
    """Write the rejects next to ``output``, print the counts, exit 1 on rejects.

    Parameters
    ----------
    result : geo.io.ReadResult
        What :func:`load_incidents` returned.
    output : path-like or None
        The command's output; the rejects go to ``OUTPUT.rejects.csv`` beside it. With no
        output file (a table on standard output) they go beside the input instead, and
        the counts go to standard error.
    allow_rejects : bool
        When false and something was rejected, raise :class:`~geo.errors.DataError`
        (one line on standard error, exit 1) after everything is written.
    processed : int, optional
        The records the command processed; defaults to the good records read.
    wrote : path-like, optional
        A file to name in the closing line ("; wrote ...").

    Returns
    -------
    pathlib.Path or None
        The rejects file, or None when nothing was rejected (a stale one is removed).
    """
    beside = output if output is not None else result.path
    rejects_path = result.write_rejects(beside)
    line = result.summary(processed)
    if rejects_path is not None:
        line += f" (see {rejects_path})"
    if wrote is not None:
        line += f"; wrote {wrote}"
    click.echo(line, err=output is None)
    if rejects_path is not None and not allow_rejects:
        msg = (f"{result.n_rejected} of {result.n_read} records rejected (see {rejects_path}); "
               "fix them or pass --allow-rejects")
        raise DataError(msg, path=str(result.path))
    return rejects_path
