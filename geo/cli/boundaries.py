"""``geo boundaries``: the bundled border lines and border provinces, measured."""

from __future__ import annotations

import json
import math

import click

from geo import settings


@click.command(name="boundaries")
@click.option(
    "--reference",
    default=settings.DEFAULT_BORDER,
    show_default=True,
    help="Border source the others are measured against.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of tables.")
def cli(reference: str, as_json: bool) -> None:
    """List the border sources and the focus provinces, measured geodesically (WGS84).

    For each border line: its length, vertex count and licence, and how far it strays
    from the reference line (mean, 95th percentile and maximum distance in km). Then the
    areas of Balochistan and Sistan and Baluchestan.
    """
    from geo.geodesy.deviation import border_summary
    from geo.reference.boundaries import BORDER_SOURCES, geodesic_area_km2, provinces

    table = border_summary(reference)
    focus = provinces().query("focus")
    areas = geodesic_area_km2(focus)
    if as_json:
        doc = {
            "reference": reference,
            "borders": {
                source: {
                    key: (None if isinstance(value, float) and math.isnan(value) else value)
                    for key, value in row.items()
                }
                | {"description": BORDER_SOURCES[source]}
                for source, row in table.astype(object).to_dict(orient="index").items()
            },
            "focus_provinces": [
                {"iso_3166_2": code, "name": name, "area_km2": round(float(area), 1)}
                for code, name, area in zip(focus["iso_3166_2"], focus["name"], areas, strict=True)
            ],
        }
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False, default=int))
        return

    click.echo(f"Border sources (geodesic, WGS84); deviation from {reference!r} in km")
    click.echo(f"{'source':<14}{'length_km':>10}{'vertices':>10}{'mean_km':>9}{'p95_km':>8}{'max_km':>8}  licence")
    for source, row in table.iterrows():
        dev = (
            f"{'-':>9}{'-':>8}{'-':>8}"
            if source == reference
            else f"{row.mean_km:>9.2f}{row.p95_km:>8.2f}{row.max_km:>8.2f}"
        )
        click.echo(f"{source:<14}{row.length_km:>10.1f}{row.vertices:>10d}{dev}  {row.licence}")
    click.echo("")
    click.echo("Focus provinces (geodesic area)")
    for code, name, area in zip(focus["iso_3166_2"], focus["name"], areas, strict=True):
        click.echo(f"{code:<7}{name:<26}{area:>12,.0f} km²")
