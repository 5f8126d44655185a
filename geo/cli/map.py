"""``geo map``: write the interactive map of an incident file as one HTML file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from geo import settings
from geo.cli._common import (
    border_option,
    check_output,
    finish,
    keep_existing,
    load_incidents,
    no_clobber_option,
    reading_options,
)

if TYPE_CHECKING:
    import geopandas as gpd


def read_pairs(path: str) -> gpd.GeoDataFrame:
    """Read a file of LineStrings for the pairs layer, with a one-line error on a bad file."""
    import geopandas as gpd

    from geo.errors import GeoValueError

    try:
        frame = gpd.read_parquet(path) if path.endswith(".parquet") else gpd.read_file(path)
    except Exception as err:  # noqa: BLE001 - any reader failure becomes one line naming the file
        msg = f"cannot read the pairs file {path!r}: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
        raise GeoValueError(msg) from None
    return frame


@click.command(name="map")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=f"{settings.DEFAULT_OUT_DIR}/incidents.html",
    show_default=True, help="HTML file to write.",
)
@click.option(
    "--tiles", default=None, metavar="NAME",
    help="Web tiles under the boundaries, such as OpenStreetMap.Mapnik (needs a network "
    "to show; by default the map has no tiles and makes no request).",
)
@click.option("--tiles-key", default=None, metavar="KEY",
              help="Access key for tiles that need one (else the environment variable GEO_TILES_KEY); "
              "it is written into the page.")
@border_option("Border source.")
@click.option("--title", default=None, help="Title shown on the map.")
@click.option("--pairs", "pairs_path", default=None, type=click.Path(exists=True, dir_okay=False),
              help="LineStrings (GeoJSON, GeoPackage or GeoParquet), such as cross-border pairs of "
              "incidents, drawn as an optional layer that is off by default.")
@click.option("--province-shading", type=click.Choice(["density", "count"]), default="density", show_default=True,
              help="Shade the two provinces by incidents per 10,000 km² or by raw counts.")
@click.option("--marker-limit", type=click.IntRange(min=1), default=2_000, show_default=True,
              help="At most this many incidents in view are markers; more are counts per hexagon.")
@reading_options
@no_clobber_option
def cli(input_path: str, output: str, tiles: str | None, tiles_key: str | None, border: str, title: str | None,
        pairs_path: str | None, province_shading: str, marker_limit: int,
        allow_rejects: bool, fix_swapped: bool, input_format: str | None, no_clobber: bool) -> None:
    """Write the interactive map of INPUT (GeoJSON, CSV or GeoParquet) to one HTML file.

    INPUT is analyzed on the fly when it lacks the border-distance columns. The file
    holds every script and style it needs and opens with the network off. Records that
    cannot be used go with their reasons to OUTPUT.rejects.csv beside the map
    (incidents.html.rejects.csv); the command then exits 1 unless --allow-rejects is given.
    """
    from geo.analysis.core import analyzed
    from geo.webmap.render import save_map

    check_output(output, inputs=[input_path], no_clobber=no_clobber, kind="map")
    result = load_incidents(input_path, fix_swapped, input_format)
    frame = analyzed(result.frame, border)
    pairs = read_pairs(pairs_path) if pairs_path else None
    with keep_existing(no_clobber):
        path = save_map(frame, output, tiles=tiles, tiles_key=tiles_key, border=border, title=title, pairs=pairs,
                        province_shading=province_shading, marker_limit=marker_limit)
        finish(result, output, allow_rejects, len(frame), wrote=f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
