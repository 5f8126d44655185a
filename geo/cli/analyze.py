"""``geo analyze``: border distance, side, band and province for every incident."""

from __future__ import annotations

import logging

import click

from geo import settings

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
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False),
    help="Output file: .geojson, .csv or .parquet (the format follows the extension).",
)
@click.option("--border", default=settings.DEFAULT_BORDER, show_default=True, help="Border source (see `geo boundaries`).")
@click.option(
    "--bands", default=",".join(str(b) for b in settings.DEFAULT_BANDS_KM), show_default=True,
    help="Distance band edges in km, comma-separated.",
)
def cli(input_path: str, output: str, border: str, bands: str) -> None:
    """Measure every incident in INPUT against the provinces and the border.

    Adds country and province (spatial join), the geodesic distance to the border in km,
    the side, the nearest border point and bearing, the distance band, the distance range
    allowed by each location's precision, and the spread across border sources.
    """
    from geo.analysis import analyze
    from geo.io import output_format, read_incidents, write_incidents

    output_format(output)  # fail on a bad extension before any work
    edges = parse_bands(bands)
    incidents = read_incidents(input_path)
    result = analyze(incidents, border=border, bands=edges)
    write_incidents(result, output)
    measured = int(result["border_distance_km"].notna().sum())
    click.echo(f"read {len(incidents)}, measured {measured}, without a location {len(result) - measured}; wrote {output}")
