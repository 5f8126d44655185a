"""``geo figure``: draw one report figure of an incident file as PNG, SVG or PDF."""

from __future__ import annotations

import click

from geo.cli._common import (
    border_option,
    check_output,
    finish,
    keep_existing,
    load_incidents,
    no_clobber_option,
    reading_options,
)

KINDS = ("overview", "distance", "timeline", "bands", "trend")

#: Which kinds take which of the kind-specific options.
KIND_OPTIONS: dict[str, tuple[str, ...]] = {
    "by": ("distance",),
    "freq": ("timeline",),
    "focus": ("timeline",),
    "shade": ("overview",),
    "value": ("bands",),
    "style": ("overview", "distance", "timeline"),
    "label_column": ("overview", "distance", "timeline"),
}


@click.command(name="figure")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(KINDS), default="overview", show_default=True,
              help="Which figure: the map, the distances to the border, the timeline, the heat-table by band "
                   "and year, or the trend near the border against the interior.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="File to write; the extension (.png, .svg or .pdf) picks the format.")
@click.option("--dpi", type=click.FloatRange(min=30, max=1200), default=300, show_default=True,
              help="Resolution of a PNG.")
@border_option("Border source.")
@click.option("--style", "style_", type=click.Choice(["auto", "points", "aggregate"]), default=None,
              help="Force one mark per incident or the aggregate form (default: from the number of incidents).")
@click.option("--by", type=click.Choice(["event_type", "year"]), default=None,
              help="distance: small multiples, one histogram per event type or year.")
@click.option("--freq", type=click.Choice(["week", "month", "year"]), default=None,
              help="timeline: the period counted by (default: from the span).")
@click.option("--focus", metavar="YYYY-MM", default=None, help="timeline: add a close-up of this month.")
@click.option("--shade", type=click.Choice(["provinces"]), default=None,
              help="overview: shade provinces by incidents per 10,000 km² instead of hexagons.")
@click.option("--value", type=click.Choice(["events", "fatalities"]), default=None,
              help="bands: what the cells count.")
@click.option("--width", type=click.Choice(["single", "double", "slide"]), default=None,
              help="Width preset: 3.5 in, 7.2 in or 13.3 in (default: the kind's own).")
@click.option("--title", default=None, help="The figure's title (default: from the data).")
@click.option("--label-column", default=None, help="The column whose text labels incidents (default: place names).")
@click.option("--source", default=None, help="Name of the incident data in the source line (default: INPUT's name).")
@reading_options
@no_clobber_option
def cli(input_path: str, kind: str, output: str, dpi: float, border: str, style_: str | None, by: str | None,
        freq: str | None, focus: str | None, shade: str | None, value: str | None, width: str | None,
        title: str | None, label_column: str | None, source: str | None,
        allow_rejects: bool, fix_swapped: bool, input_format: str | None, no_clobber: bool) -> None:
    """Draw one report figure of INPUT (GeoJSON, CSV or GeoParquet) to a PNG, SVG or PDF.

    INPUT is analyzed on the fly when it lacks the border-distance columns. Each figure
    picks its form from the number of incidents (``--style`` forces one). The same input
    always gives the same bytes.
    """
    chosen = {"by": by, "freq": freq, "focus": focus, "shade": shade, "value": value, "style": style_,
              "label_column": label_column}
    for name, given in chosen.items():
        if given is not None and kind not in KIND_OPTIONS[name]:
            flag = "--" + name.replace("_", "-")
            raise click.UsageError(f"{flag} applies to --kind {' or '.join(KIND_OPTIONS[name])}, not {kind!r}")
    from geo.analysis.core import analyzed
    from geo.plot.api import plot_figure

    check_output(output, inputs=[input_path], no_clobber=no_clobber, kind="figure")  # before the work
    result = load_incidents(input_path, fix_swapped, input_format)
    frame = analyzed(result.frame, border)
    with keep_existing(no_clobber):
        plot_figure(frame, kind, output, dpi=dpi, border=border, width=width, title=title,
                    source=source or input_path, progress=None, **chosen)
        finish(result, output, allow_rejects, len(frame), wrote=f"{output} ({kind})")
