"""``geo geocode``: place names in a CSV or JSON table to points, with a rejects file."""

from __future__ import annotations

import click

from geo.cli._common import check_output, conclude, keep_existing, no_clobber_option


@click.command(name="geocode")
@click.argument("input", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Output file: .geojson, .csv or .parquet; rejects go to OUTPUT.rejects.csv "
    "(out.geojson.rejects.csv).",
)
@click.option(
    "--place-column", default="place", show_default=True, help="Column with the place names."
)
@click.option(
    "--country-column",
    default="country",
    show_default=True,
    help="Column with country hints (ISO3, ISO2 or name), if present.",
)
@click.option(
    "--admin1-column",
    default="admin1",
    show_default=True,
    help="Column with province hints, if present.",
)
@click.option("--allow-rejects", is_flag=True, help="Exit 0 even when some records were rejected.")
@no_clobber_option
def cli(
    input: str,
    output: str,
    place_column: str,
    country_column: str,
    admin1_column: str,
    allow_rejects: bool,
    no_clobber: bool,
) -> None:
    """Geocode INPUT (CSV or JSON) with the bundled offline gazetteer.

    Every column other than the place column is kept as a property; the place column is
    replaced by geo_precision, precision_km and geocoding. Unknown or ambiguous names are
    never guessed: they go to OUTPUT.rejects.csv with the reason and the closest candidates,
    as do CSV rows with more or fewer fields than the header, and the command exits 1
    unless --allow-rejects is given.
    """
    from geo.io.geocoding import geocode_file

    check_output(output, inputs=[input], no_clobber=no_clobber)
    with keep_existing(no_clobber):
        report = geocode_file(
            input, output, place=place_column, country=country_column, admin1=admin1_column
        )
    conclude(f"{report.summary()}; wrote {output}", n_rejected=report.rejected, n_read=report.read,
             rejects_path=report.rejects_path, input_path=input, allow_rejects=allow_rejects)
