"""What every command that reads incidents shares: options, output checks, reading, the report.

A command checks its output with :func:`check_output` before any work (a usage error,
exit 2, when the path cannot be written or would destroy an input), reads with
:func:`load_incidents`, does its work on ``result.frame``, writes its output, then calls
:func:`finish`, which writes the rejected records next to the output
(``OUTPUT.rejects.csv``: ``out.geojson`` -> ``out.geojson.rejects.csv``), prints ``read N,
processed M, rejected K`` and exits 1 when something was rejected, unless
``--allow-rejects``::

    @click.command()
    @click.argument("input_path")
    @click.option("-o", "--output", required=True)
    @reading_options
    @no_clobber_option
    def cli(input_path, output, allow_rejects, fix_swapped, input_format, no_clobber):
        check_output(output, inputs=[input_path], no_clobber=no_clobber)
        result = load_incidents(input_path, fix_swapped, input_format)
        with keep_existing(no_clobber):
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
['allow_rejects', 'fix_swapped', 'region_only', 'input_format']
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from geo.errors import DataError, GeoValueError, OutputPathError
from geo.files import no_clobber as keep_existing

__all__ = [
    "SUMMARY_REJECTS_STEM", "check_output", "check_output_folder", "conclude", "finish",
    "keep_existing", "load_incidents", "no_clobber_option", "output_kinds", "reading_options", "region_only_flag",
    "report_read",
]

logger = logging.getLogger("geo")

F = TypeVar("F", bound=Callable[..., Any])

#: Warnings printed per run; the rest are counted.
MAX_WARNINGS = 20

#: The kinds of output a command writes, each with the extensions it may have.
OUTPUT_KINDS = ("incidents", "map", "figure", "summary")


def output_kinds(kind: str) -> tuple[str, ...]:
    """The extensions an output of ``kind`` (one of :data:`OUTPUT_KINDS`) may have.

    Incident tables and figures take theirs from their writers, imported only for the
    kind asked: ``geo --help`` loads neither pandas nor matplotlib, and ``geo analyze``
    not matplotlib.

    Examples
    --------
    >>> output_kinds("map")
    ('.htm', '.html')
    """
    if kind == "incidents":
        from geo.io.writing import OUTPUT_FORMATS

        return tuple(sorted(OUTPUT_FORMATS))
    if kind == "figure":
        from geo.plot.style import FIGURE_FORMATS

        return tuple(sorted(f".{ext}" for ext in FIGURE_FORMATS))
    fixed = {"map": (".htm", ".html"), "summary": (".csv", ".markdown", ".md", ".txt")}
    if kind not in fixed:
        raise ValueError(f"output kind must be one of {list(OUTPUT_KINDS)}, not {kind!r}")
    return fixed[kind]

#: With no output file (a summary on standard output), the rejects go beside INPUT as
#: ``INPUT.summary.rejects.csv``: no command writes an output ending in ``.summary``, so
#: this name is no other output's rejects file.
SUMMARY_REJECTS_STEM = ".summary"

allow_rejects_option = click.option(
    "--allow-rejects", is_flag=True,
    help="Exit 0 even when records were rejected (they still go to OUTPUT.rejects.csv).",
)
fix_swapped_option = click.option(
    "--fix-swapped", is_flag=True,
    help="Swap latitude and longitude where they look swapped and the swapped point lies in the "
    "study region, instead of rejecting or warning.",
)


def _remember_region_only(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    ctx.meta["geo.region_only"] = bool(value)
    return value


# not passed to the command function: load_incidents reads it from the click context
region_only_option = click.option(
    "--region-only", is_flag=True, expose_value=False, callback=_remember_region_only,
    help="Reject records outside the study region (Balochistan, Sistan and Baluchestan and "
    "geo.settings.REGION_MARGIN_KM, 100 km by default, around them) instead of warning about them.",
)
input_format_option = click.option(
    "--input-format", type=click.Choice(["geojson", "csv", "parquet", "gpkg", "fgb", "xlsx", "acled", "ucdp"]), default=None,
    help="Format of INPUT when its extension does not say (ACLED and UCDP are also recognized by their columns).",
)
no_clobber_option = click.option(
    "--no-clobber", is_flag=True,
    help="Refuse to replace an existing output or its rejects file (without it, they are replaced atomically).",
)


class BorderChoice(click.Choice):
    """The border sources as a choice list, read from :mod:`geo.reference.boundaries` when first needed.

    Lazy, so that listing the commands (``geo --help``) does not import geopandas.
    """

    def __init__(self) -> None:
        super().__init__([], case_sensitive=True)

    @property  # type: ignore[override, unused-ignore]  # click < 8.5 types choices as a plain attribute
    def choices(self) -> tuple[str, ...]:
        from geo.reference.boundaries import BORDER_SOURCES

        return tuple(sorted(BORDER_SOURCES))

    @choices.setter
    def choices(self, value: Any) -> None:  # click's __init__ sets it; the list is fixed
        pass


def border_option(help: str = "Border source (see `geo boundaries`).") -> Callable[[F], F]:
    """``--border``: one of the border sources, default :data:`geo.settings.DEFAULT_BORDER`."""
    from geo import settings

    return click.option("--border", type=BorderChoice(), default=settings.DEFAULT_BORDER, show_default=True,
                        help=help)


def usage_check(check: Callable[[Any], Any], value: Any, param_hint: str) -> None:
    """Run ``check(value)``; turn its :class:`~geo.errors.GeoValueError` into a usage error (exit 2).

    Examples
    --------
    >>> from geo.plot.style import figure_format
    >>> usage_check(figure_format, "out.jpg", "'-o' / '--output'")
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: cannot write figure 'out.jpg': extension 'jpg' is not one of ['png', 'svg', 'pdf']
    """
    from geo.errors import GeoValueError

    try:
        check(value)
    except GeoValueError as err:
        raise click.BadParameter(str(err), param_hint=param_hint) from None


def reading_options(function: F) -> F:
    """Add ``--allow-rejects``, ``--fix-swapped``, ``--region-only`` and ``--input-format`` to a command.

    ``--region-only`` is not passed to the command: :func:`load_incidents` reads it.
    """
    return allow_rejects_option(fix_swapped_option(region_only_option(input_format_option(function))))


def _usage_error(err: GeoValueError, hint: str) -> click.BadParameter:
    return click.BadParameter(str(err), param_hint=hint)


def check_output(
    output: str | os.PathLike[str] | None,
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    no_clobber: bool = False,
    kind: str = "incidents",
    hint: str = "'-o' / '--output'",
) -> None:
    """Fail with a usage error (exit 2) before any work when ``output`` cannot be written.

    The extension must be one of ``output_kinds(kind)``; then
    :func:`geo.io.writing.check_output` checks the path and its rejects file: not an input,
    not a folder, not inside a regular file, writable, within the name limits, not named
    like a rejects file, and with ``no_clobber`` not there yet. With no output (standard
    output), the rejects file beside the first input must not be an input or a folder
    (it is written only when something is rejected).

    Examples
    --------
    >>> check_output("out.geojson")
    >>> check_output("out.txt")
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: cannot write 'out.txt': unknown extension '.txt'; use one of .csv, .fgb, .geojson, .gpkg, .json, .parquet
    """
    from geo.io.writing import check_output as check_paths
    from geo.io.writing import rejects_path_for

    inputs = [Path(p) for p in inputs]
    try:
        if output is None:  # only written when something is rejected: the input's folder may be read-only
            if inputs:
                rejects = rejects_path_for(f"{inputs[0]}{SUMMARY_REJECTS_STEM}")
                if any(os.path.realpath(rejects) == os.path.realpath(p) for p in inputs) or rejects.is_dir():
                    raise OutputPathError("it is an input or a folder; write the summary with -o", path=rejects)
                if no_clobber and os.path.lexists(rejects):
                    raise OutputPathError("it exists and --no-clobber keeps it", path=rejects)
            return
        allowed = output_kinds(kind)
        suffix = Path(output).suffix.lower()
        if suffix not in allowed:
            raise GeoValueError(f"cannot write {str(output)!r}: unknown extension {suffix!r}; use one of "
                                f"{', '.join(allowed)}")
        check_paths(output, inputs=inputs, clobber=not no_clobber)
    except GeoValueError as err:
        raise _usage_error(err, hint) from None


def check_output_folder(
    output: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    no_clobber: bool = False,
    replaceable: Callable[[str], bool],
    what: str,
    hint: str = "'-o' / '--output'",
) -> None:
    """Fail with a usage error (exit 2) unless a folder of outputs may be replaced at ``output``.

    See :func:`geo.files.check_output_dir`: the folder is new, empty, or holds only
    earlier outputs (``replaceable``), holds no input, and its parent can be written.
    """
    from geo.files import check_output_dir

    try:
        check_output_dir(output, inputs=inputs, clobber=not no_clobber, replaceable=replaceable, what=what)
    except OutputPathError as err:
        raise _usage_error(err, hint) from None


def load_incidents(path: str | os.PathLike[str], fix_swapped: bool = False, input_format: str | None = None,
                   region_only: bool | None = None) -> Any:
    """Read INPUT with :func:`geo.io.read_incidents_checked`; log its warnings.

    ``region_only`` defaults to the command's ``--region-only`` flag, when it has one.

    Returns the :class:`geo.io.ReadResult`. File-level failures raise
    :class:`~geo.errors.InputFileError`, which the command line prints as one line (exit 1).
    """
    from geo.io import read_incidents_checked

    if region_only is None:
        region_only = region_only_flag()
    result = read_incidents_checked(path, input_format, fix_swapped=fix_swapped, region_only=region_only,
                                    progress=None)  # a bar on a terminal unless -q
    report_read(result)
    return result


def region_only_flag() -> bool:
    """The running command's ``--region-only`` flag (False outside a command or without one)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx.meta.get("geo.region_only", False)) if ctx is not None else False


def report_read(result: Any) -> None:
    """Log a read's warnings and rejects (the first :data:`MAX_WARNINGS` of each, then a count)."""
    for warning in result.warnings[:MAX_WARNINGS]:
        logger.warning("geo: warning: %s", warning)
    if len(result.warnings) > MAX_WARNINGS:
        logger.warning("geo: warning: and %d more warnings", len(result.warnings) - MAX_WARNINGS)
    for message in result.reject_messages(MAX_WARNINGS):
        logger.warning("geo: rejected: %s", message)
    if result.n_rejected > MAX_WARNINGS:
        logger.warning("geo: rejected: and %d more (all are in the rejects file)", result.n_rejected - MAX_WARNINGS)


def conclude(
    line: str,
    *,
    n_rejected: int,
    n_read: int,
    rejects_path: Path | None,
    input_path: str | os.PathLike[str],
    allow_rejects: bool,
    err: bool = False,
) -> None:
    """Print the closing line; raise :class:`~geo.errors.DataError` (exit 1) on rejects unless allowed."""
    click.echo(line, err=err)
    if rejects_path is not None and n_rejected and not allow_rejects:
        msg = (f"{n_rejected} of {n_read} records rejected (see {rejects_path}); "
               "fix them or pass --allow-rejects")
        raise DataError(msg, path=str(input_path))


def finish(
    result: Any,
    output: str | os.PathLike[str] | None,
    allow_rejects: bool,
    processed: int | None = None,
    *,
    wrote: str | os.PathLike[str] | None = None,
    rejects_written: bool = False,
) -> Path | None:
    """Write the rejects next to ``output``, print the counts, exit 1 on rejects.

    Parameters
    ----------
    result : geo.io.ReadResult
        What :func:`load_incidents` returned.
    output : path-like or None
        The command's output; the rejects go to ``OUTPUT.rejects.csv`` beside it. With no
        output file (a table on standard output) they go beside the input instead, as
        ``INPUT.summary.rejects.csv``, and the counts go to standard error.
    allow_rejects : bool
        When false and something was rejected, raise :class:`~geo.errors.DataError`
        (one line on standard error, exit 1) after everything is written.
    processed : int, optional
        The records the command processed; defaults to the good records read.
    wrote : path-like, optional
        A file to name in the closing line ("; wrote ...").
    rejects_written : bool
        The rejects are already in place beside ``output`` (``geo build`` writes them with
        its other outputs); only report them.

    Returns
    -------
    pathlib.Path or None
        The rejects file, or None when nothing was rejected (a stale one is removed).
    """
    from geo.io.writing import rejects_path_for

    beside = output if output is not None else f"{result.path}{SUMMARY_REJECTS_STEM}"
    if rejects_written:
        rejects_path = rejects_path_for(beside) if result.n_rejected else None
    else:
        try:
            rejects_path = result.write_rejects(beside)
        except OSError as err:  # beside a read-only input (a summary on standard output)
            raise OutputPathError(f"cannot write the rejected records: {err.strerror or err}",
                                  path=rejects_path_for(beside)) from None
    line = result.summary(processed)
    if rejects_path is not None:
        line += f" (see {rejects_path})"
    if wrote is not None:
        line += f"; wrote {wrote}"
    conclude(line, n_rejected=result.n_rejected, n_read=result.n_read, rejects_path=rejects_path,
             input_path=result.path, allow_rejects=allow_rejects, err=output is None)
    return rejects_path
