"""``geo analyze``: border distance, side, band and province for every incident."""

from __future__ import annotations

import logging
import re

import click

from geo import settings
from geo.cli._common import (
    border_option,
    check_output,
    check_output_folder,
    finish,
    keep_existing,
    no_clobber_option,
    reading_options,
    region_only_flag,
    report_read,
)

logger = logging.getLogger("geo")


def parse_bands(value: str) -> tuple[float, ...]:
    """Parse ``"10,25,50,100"`` into band edges.

    Examples
    --------
    >>> parse_bands("10, 25,50")
    (10.0, 25.0, 50.0)
    """
    from geo.analysis.core import check_bands
    from geo.errors import GeoValueError

    try:
        return check_bands([float(part) for part in value.split(",") if part.strip()])
    except (ValueError, GeoValueError):
        raise click.BadParameter(f"{value!r} is not a comma-separated list of increasing km such as 10,25,50,100",
                                 param_hint="'--bands'") from None


@click.command(name="analyze")
@click.argument("input_path", metavar="INPUT", type=click.Path())
@click.option(
    "-o", "--output", required=True, type=click.Path(),
    help="Output file: .geojson, .csv, .parquet, .gpkg or .fgb (the format follows the extension); "
    "rejected records go to OUTPUT.rejects.csv beside it (out.geojson.rejects.csv). With "
    "--engine dask, a folder of GeoParquet files, one per partition.",
)
@border_option("Border source (see `geo boundaries`).")
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

    A file of any size is read, measured and written a chunk at a time, so memory does not
    grow with it: CSV, GeoParquet (by row group) and xlsx stream. GeoJSON, GeoPackage and
    FlatGeobuf cannot be read in parts and are read whole; GeoPackage and FlatGeobuf
    outputs are written whole at the end. Either way the output appears only when
    complete: an error or an interrupt leaves no output file.
    """
    from geo.analysis.stream import analyze_file

    if engine == "dask":
        check_output_folder(output, inputs=[input_path], no_clobber=no_clobber, what="partitions of an analysis",
                            replaceable=_is_partition)
        region_only = bool(click.get_current_context().meta.get("geo.region_only"))
        _analyze_on_dask(input_path, output, border, parse_bands(bands), scheduler, workers,
                         fix_swapped or region_only or input_format is not None)
        return
    if scheduler is not None or workers is not None:
        raise click.UsageError("--scheduler and --workers need --engine dask")
    check_output(output, inputs=[input_path], no_clobber=no_clobber)  # before any work
    edges = parse_bands(bands)
    with keep_existing(no_clobber):
        result = analyze_file(input_path, output, border=border, bands=edges, format=input_format,
                              fix_swapped=fix_swapped, region_only=region_only_flag())
        report_read(result)
        finish(result, output, allow_rejects, wrote=output)


def _is_partition(name: str) -> bool:
    """A file the Dask engine writes into its output folder."""
    return re.fullmatch(r"part\.\d+\.parquet", name) is not None


def _analyze_on_dask(input_path: str, output: str, border: str, edges: tuple[float, ...],
                     scheduler: str | None, workers: int | None, reading_options_given: bool) -> None:
    """The dask engine: :func:`geo.analysis.dask_engine.analyze_partitioned` on a local or remote cluster."""
    if reading_options_given:
        raise click.UsageError("--fix-swapped, --region-only and --input-format need --engine memory; "
                               "the dask engine reads GeoParquet as it is")
    if scheduler is not None and workers is not None:
        raise click.UsageError("--workers sizes a local cluster; the cluster at --scheduler has its own")
    from geo.analysis.dask_engine import analyze_partitioned, connect

    with connect(scheduler, workers) as client:
        logger.info("geo: running on %s", scheduler or f"a local cluster of {len(client.nthreads())} workers")
        written = analyze_partitioned(input_path, output, border=border, bands=edges, progress=None)
    click.echo(f"read {written}, processed {written}, rejected 0; wrote {output}")
