"""``geo analyze``: border distance, side, band and province for every incident."""

from __future__ import annotations

import logging
import re

import click

from geo import settings
from geo.cli._common import (
    check_output,
    check_output_folder,
    finish,
    keep_existing,
    load_incidents,
    no_clobber_option,
    reading_options,
)

logger = logging.getLogger("geo")


def parse_bands(value: str) -> tuple[float, ...]:
    """Parse ``"10,25,50,100"`` into band edges.

    Examples
    --------
    >>> parse_bands("10, 25,50")
    (10.0, 25.0, 50.0)
    """
    try:
        return tuple(float(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a comma-separated list of km such as 10,25,50,100") from None


@click.command(name="analyze")
@click.argument("input_path", metavar="INPUT", type=click.Path())
@click.option(
    "-o", "--output", required=True, type=click.Path(),
    help="Output file: .geojson, .csv or .parquet (the format follows the extension); "
    "rejected records go to OUTPUT.rejects.csv beside it (out.geojson.rejects.csv). With "
    "--engine dask, a folder of GeoParquet files, one per partition.",
)
@click.option("--border", default=settings.DEFAULT_BORDER, show_default=True, help="Border source (see `geo boundaries`).")
@click.option(
    "--bands", default=",".join(str(b) for b in settings.DEFAULT_BANDS_KM), show_default=True,
    help="Distance band edges in km, comma-separated.",
)
@click.option(
    "--engine", type=click.Choice(["memory", "dask"]), default="memory", show_default=True,
    help="memory: INPUT is one file, analyzed in this process. dask: INPUT is a folder, a glob "
    "or one large file of GeoParquet, analyzed partition by partition on a Dask cluster "
    "(pip install 'geo[dask]').",
)
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="With --engine dask: the scheduler to run on, such as tcp://10.0.0.5:8786; "
              "by default a local cluster.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="With --engine dask: worker processes of the local cluster; default: one per core.")
@reading_options
@no_clobber_option
def cli(input_path: str, output: str, border: str, bands: str, engine: str, scheduler: str | None,
        workers: int | None, allow_rejects: bool, fix_swapped: bool, input_format: str | None,
        no_clobber: bool) -> None:
    """Measure every incident in INPUT against the provinces and the border.

    INPUT is GeoJSON, CSV with coordinate columns, an ACLED or UCDP GED export, or
    GeoParquet. Adds country and province (spatial join), the geodesic distance to the
    border in km, the side, the nearest border point and bearing, the distance band, the
    distance range allowed by each location's precision, and the spread across border
    sources.

    Records that cannot be used are written with their reasons to OUTPUT.rejects.csv;
    the command then exits 1 unless --allow-rejects is given.
    """
    from geo.analysis.core import analyze
    from geo.io import write_incidents

    if engine == "dask":
        check_output_folder(output, inputs=[input_path], no_clobber=no_clobber, what="partitions of an analysis",
                            replaceable=_is_partition)
        _analyze_on_dask(input_path, output, border, parse_bands(bands), scheduler, workers,
                         fix_swapped or input_format is not None)
        return
    if scheduler is not None or workers is not None:
        raise click.UsageError("--scheduler and --workers need --engine dask")
    check_output(output, inputs=[input_path], no_clobber=no_clobber)  # before any work
    edges = parse_bands(bands)
    result = load_incidents(input_path, fix_swapped, input_format)
    measured = analyze(result.frame, border=border, bands=edges)
    with keep_existing(no_clobber):
        write_incidents(measured, output)
        finish(result, output, allow_rejects, len(measured), wrote=output)


def _is_partition(name: str) -> bool:
    """A file the Dask engine writes into its output folder."""
    return re.fullmatch(r"part\.\d+\.parquet", name) is not None


def _analyze_on_dask(input_path: str, output: str, border: str, edges: tuple[float, ...],
                     scheduler: str | None, workers: int | None, reading_options_given: bool) -> None:
    """The dask engine: :func:`geo.analysis.dask_engine.analyze_partitioned` on a local or remote cluster."""
    if reading_options_given:
        raise click.UsageError("--fix-swapped and --input-format need --engine memory; "
                               "the dask engine reads GeoParquet as it is")
    if scheduler is not None and workers is not None:
        raise click.UsageError("--workers sizes a local cluster; the cluster at --scheduler has its own")
    from geo.analysis.dask_engine import analyze_partitioned, connect

    with connect(scheduler, workers) as client:
        logger.info("geo: running on %s", scheduler or f"a local cluster of {len(client.nthreads())} workers")
        written = analyze_partitioned(input_path, output, border=border, bands=edges, progress=True)
    click.echo(f"read {written}, processed {written}, rejected 0; wrote {output}")
