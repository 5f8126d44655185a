"""The ``geo`` command group: version, log level, and one-line errors for user mistakes.

Commands live one per module in this package and are imported only when used, so that
``geo --help`` is quick. A module ``geo.cli.<name>`` defines a click command ``cli``.
"""

from __future__ import annotations

import importlib
import logging
import sys
import traceback
from typing import Any

import click

from geo import __version__
from geo.errors import GeoError
from geo.files import Terminated, raise_on_sigterm

# command name -> module holding its ``cli``; listed in the order of a typical session
COMMANDS = {
    "build": "geo.cli.build",
    "geocode": "geo.cli.geocode",
    "analyze": "geo.cli.analyze",
    "summary": "geo.cli.summary",
    "pairs": "geo.cli.pairs",
    "merge": "geo.cli.merge",
    "trends": "geo.cli.trends",
    "map": "geo.cli.map",
    "figure": "geo.cli.figure",
    "boundaries": "geo.cli.boundaries",
}

logger = logging.getLogger("geo")


class _GeoGroup(click.Group):
    """A group whose commands are imported lazily and whose user errors print one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        # a command module that fails to import is a broken install: let it fail loudly
        command = importlib.import_module(module_name).cli
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}.cli is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GeoError as err:
            if logger.isEnabledFor(logging.DEBUG):
                traceback.print_exc()
            click.echo(f"geo: error: {err}", err=True)
            ctx.exit(1)
        except Terminated:
            click.echo("geo: terminated; no partial output was left behind", err=True)
            ctx.exit(143)
        except KeyboardInterrupt:
            click.echo("geo: interrupted; no partial output was left behind", err=True)
            ctx.exit(130)
        except OSError as err:  # a full disk, a file gone: the system's reason, without a traceback
            if logger.isEnabledFor(logging.DEBUG):
                traceback.print_exc()
            where = f"{err.filename}: " if err.filename else ""
            click.echo(f"geo: error: {where}{err.strerror or err}; no partial output was left behind", err=True)
            ctx.exit(1)


def _configure_logging(verbose: int, quiet: int) -> None:
    level = logging.INFO - 10 * verbose + 10 * quiet
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(max(logging.DEBUG, min(level, logging.CRITICAL)))
    logger.propagate = False


@click.group(cls=_GeoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="geo")
@click.option("-v", "--verbose", count=True, help="More log output; -v also shows tracebacks.")
@click.option("-q", "--quiet", count=True, help="Less log output; -q shows warnings and errors only.")
def main(verbose: int, quiet: int) -> None:
    """Map and measure border incidents in Balochistan and Sistan and Baluchestan.

    Run `geo build` to write the interactive map, the analysis table and the report
    figures for the bundled incidents into maps/. Every command works offline.
    """
    _configure_logging(verbose, quiet)
    from geo import progress  # here, not at the top: `geo --help` never runs this

    progress.DEFAULT = quiet == 0  # bars on a terminal unless -q (none in a pipe, whatever this says)
    raise_on_sigterm()  # SIGTERM cleans up like Ctrl-C, then exits 143
