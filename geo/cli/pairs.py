"""``geo pairs``: incidents on opposite sides of the border that answer each other."""

from __future__ import annotations

import click

from geo import settings
from geo.cli._common import check_output, finish, load_incidents, reading_options

# geo.analysis.exchanges.PAIR_DAYS and PAIR_KM, written out so that `geo pairs --help` stays quick
PAIR_DAYS, PAIR_KM = 3, 50


def parse_event_types(values: tuple[str, ...]) -> list[str] | None:
    """Event types from repeated or comma-separated ``--event-types`` values.

    Examples
    --------
    >>> parse_event_types(("Battles, Explosions/Remote violence", "Riots"))
    ['Battles', 'Explosions/Remote violence', 'Riots']
    >>> parse_event_types(()) is None
    True
    """
    types = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return types or None


@click.command(name="pairs")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False),
    help="Output: .csv, one row per pair; .geojson or .parquet, the same rows with each pair's "
    "geodesic arc as a line. Rejected records go to OUTPUT.rejects.csv beside it.",
)
@click.option("--days", type=click.FloatRange(min=0), default=PAIR_DAYS, show_default=True,
              help="The answer comes at most this many days after the first incident.")
@click.option("--km", type=click.FloatRange(min=0, min_open=True), default=PAIR_KM, show_default=True,
              help="Both incidents lie within this many km of the border.")
@click.option("--event-types", multiple=True, metavar="TYPES",
              help="Only these event types, comma-separated or repeated (any case); default: all.")
@click.option("--apart-km", type=click.FloatRange(min=0, min_open=True), default=None,
              help="The two incidents also lie within this many km of each other (geodesic).")
@click.option("--border", default=settings.DEFAULT_BORDER, show_default=True,
              help="Border source, when INPUT is not yet analysed (see `geo boundaries`).")
@reading_options
def cli(input_path: str, output: str, days: float, km: float, event_types: tuple[str, ...],
        apart_km: float | None, border: str, allow_rejects: bool, fix_swapped: bool,
        input_format: str | None) -> None:
    """Find cross-border exchanges in INPUT: pairs on opposite sides within DAYS.

    A pair is two incidents on opposite sides of the border, each within --km of it, the
    second at most --days after the first. Chains (A answered by B, answered by C) give a
    pair per link and share an exchange_id. INPUT may be raw incidents (they are
    analysed first) or the output of `geo analyze`.
    """
    from geo.analysis.exchanges import pair_arcs, pairs
    from geo.files import atomic_write
    from geo.io import output_format, write_incidents

    check_output(output)
    result = load_incidents(input_path, fix_swapped, input_format)
    table = pairs(result.frame, days=days, km=km, event_types=parse_event_types(event_types),
                  apart_km=apart_km, border=border)
    if output_format(output) == "csv":
        with atomic_write(output) as handle:
            table.to_csv(handle, index=False, lineterminator="\n")
    else:
        write_incidents(pair_arcs(table), output)
    exchanges = table["exchange_id"].nunique()
    click.echo(f"{len(table)} pair(s) in {exchanges} exchange(s): opposite sides, each within {km:g} km "
               f"of the border, at most {days:g} day(s) apart" + (f", within {apart_km:g} km of each other"
                                                                  if apart_km is not None else ""))
    finish(result, output, allow_rejects, wrote=output)
