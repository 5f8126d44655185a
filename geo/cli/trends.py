"""``geo trends``: events per period, side and distance band, with Trendfinder's flags."""

from __future__ import annotations

from pathlib import Path

import click

from geo import settings
from geo.cli._common import finish, load_incidents, reading_options
from geo.cli.analyze import parse_bands


def excluded_path_for(output: str | Path) -> Path:
    """Where the records left out of ``output`` are listed: ``OUTPUT.excluded.csv``.

    Examples
    --------
    >>> excluded_path_for("out/trends.csv").as_posix()
    'out/trends.excluded.csv'
    """
    output = Path(output)
    return output.with_name(f"{output.stem}.excluded.csv")


@click.command(name="trends")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The table, CSV. Records left out (outside the two provinces, no date) are listed "
              "in OUTPUT.excluded.csv, rejected ones in OUTPUT.rejects.csv.")
@click.option("--freq", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True,
              help="The period; the norm is the mean of the previous 12 months, 4 quarters or 3 years.")
@click.option("--bands", default=",".join(str(b) for b in settings.DEFAULT_BANDS_KM), show_default=True,
              help="Distance band edges in km, comma-separated; 'interior' lies beyond the last.")
@click.option("--border", default=settings.DEFAULT_BORDER, show_default=True,
              help="Border source for the band areas and for raw INPUT (see `geo boundaries`).")
@reading_options
def cli(input_path: str, output: str, freq: str, bands: str, border: str, allow_rejects: bool,
        fix_swapped: bool, input_format: str | None) -> None:
    """Count events and fatalities in INPUT per period, side and distance band.

    Each row gives the band's geodesic land area within its province, events per
    1,000 km², the norm (the mean of the previous periods), the change against it and
    ACLED Trendfinder's flag: above +25% a large increase, +10% to +25% moderate, below
    -25% a large decrease, else limited change; a norm of 2 or fewer with 5 or fewer
    events is limited change (low baseline). INPUT may be raw incidents (they are
    analysed first) or the output of `geo analyze`.
    """
    import pandas as pd

    from geo.analysis import analyzed
    from geo.analysis.band_trends import trend_exclusions, trends
    from geo.files import atomic_write

    if Path(output).suffix.lower() != ".csv":
        raise click.BadParameter(f"cannot write {output!r}: the trends table is CSV; use a .csv name",
                                 param_hint="'-o' / '--output'")
    edges = parse_bands(bands)
    result = load_incidents(input_path, fix_swapped, input_format)
    frame = analyzed(result.frame, border)
    table = trends(frame, freq=freq, bands=edges, border=border)
    with atomic_write(output) as handle:
        table.to_csv(handle, index=False, lineterminator="\n")
    reasons = trend_exclusions(frame)
    left_out = reasons.notna()
    excluded = excluded_path_for(output)
    if left_out.any():
        ids = frame["id"] if "id" in frame.columns else pd.Series(pd.NA, index=frame.index)
        listing = pd.DataFrame({"record": frame.index[left_out], "id": ids[left_out].to_numpy(),
                                "reason": reasons[left_out].to_numpy()})
        with atomic_write(excluded) as handle:
            listing.to_csv(handle, index=False, lineterminator="\n")
    elif excluded.exists():
        excluded.unlink()
    counted = int(len(frame) - left_out.sum())
    line = f"counted {counted} of {len(frame)} record(s) in {len(table)} row(s)"
    if left_out.any():
        why = "; ".join(f"{n} {reason}" for reason, n in reasons[left_out].value_counts().sort_index().items())
        line += f"; left out {int(left_out.sum())} ({why}; see {excluded})"
    click.echo(line)
    finish(result, output, allow_rejects, wrote=output)
