"""``geo merge``: one record per event from several exports (ACLED, UCDP GED, ...)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import click

from geo.cli._common import check_output, finish, load_incidents, reading_options

if TYPE_CHECKING:
    from geo.io import ReadResult


def matches_path_for(output: str | Path) -> Path:
    """Where the match list of ``output`` goes: ``OUTPUT.matches.csv``.

    Examples
    --------
    >>> matches_path_for("out/merged.geojson").as_posix()
    'out/merged.matches.csv'
    """
    output = Path(output)
    return output.with_name(f"{output.stem}.matches.csv")


@click.command(name="merge")
@click.argument("inputs", metavar="A B [C...]", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False),
    help="Merged events: .geojson, .csv or .parquet. Every match goes to OUTPUT.matches.csv "
    "beside it, rejected records to OUTPUT.rejects.csv.",
)
@click.option("--days", type=click.FloatRange(min=0), default=1, show_default=True,
              help="Temporal window: dates at most this many days apart.")
@click.option("--km", type=click.FloatRange(min=0, min_open=True), default=5, show_default=True,
              help="Spatial window in km (geodesic), widened by each record's location precision.")
@click.option("--taxonomy", type=click.Path(dir_okay=False), default=None,
              help="CSV with the columns event_type and class, replacing the default ACLED/UCDP mapping.")
@click.option("--within", is_flag=True, help="Also de-duplicate inside each input.")
@reading_options
def cli(inputs: tuple[str, ...], output: str, days: float, km: float, taxonomy: str | None, within: bool,
        allow_rejects: bool, fix_swapped: bool, input_format: str | None) -> None:
    """Merge A, B and more into one record per event.

    Records of different inputs match when they lie within --km (plus each one's
    location precision) and --days of each other and their event categories are
    compatible (the default taxonomy maps ACLED event types to UCDP types of violence).
    Each record matches at most one record of each other input, best score first. The
    merged record takes its attributes from the most precise location, then the first
    input; source_ids, sources and fatalities_by_source keep every record's part.
    Unmatched records pass through.
    """
    from geo.analysis.matching import merge_sources
    from geo.analysis.taxonomy import read_taxonomy
    from geo.files import atomic_write
    from geo.io import write_incidents

    if len(inputs) < 2 and not within:
        raise click.UsageError("merge needs at least two inputs, or one with --within")
    if len(set(inputs)) != len(inputs):
        raise click.UsageError(f"an input is given twice: {', '.join(inputs)}")
    check_output(output)
    chosen_taxonomy = read_taxonomy(taxonomy) if taxonomy is not None else None
    results = [load_incidents(path, fix_swapped, input_format) for path in inputs]
    merged = merge_sources(*[r.frame for r in results], days=days, km=km, taxonomy=chosen_taxonomy,
                           within=within, names=list(inputs))
    write_incidents(merged.events, output)
    matches_path = matches_path_for(output)
    with atomic_write(matches_path) as handle:
        merged.matches.to_csv(handle, index=False, lineterminator="\n")

    for row, read in zip(merged.counts.itertuples(), results, strict=True):
        click.echo(f"{row.input}: read {read.n_read}, rejected {read.n_rejected}, matched {row.matched}, "
                   f"passed through {row.passed_through}, out {row.out}, merged away {row.merged_away}")
    n_read = sum(r.n_read for r in results)
    n_rejected = sum(r.n_rejected for r in results)
    click.echo(f"read {n_read} = rejected {n_rejected} + out {len(merged.events)} + merged away "
               f"{int(merged.counts['merged_away'].sum())}; {len(merged.matches)} match(es) in {matches_path}")
    finish(_combined(results, inputs), output, allow_rejects, wrote=output)


def _combined(results: list[ReadResult], inputs: tuple[str, ...]) -> ReadResult:
    """One read result for all inputs, so that their rejects share one file with an input column."""
    import pandas as pd

    from geo.io.validate import REJECT_COLUMNS

    rejects = [r.rejects.assign(input=path) for r, path in zip(results, inputs, strict=True) if len(r.rejects)]
    table = pd.concat(rejects, ignore_index=True) if rejects else results[0].rejects
    if rejects:
        # the one rejects layout first (record, id, field, reason), then which input it was
        front = [*REJECT_COLUMNS, "input"]
        table = table[[*front, *[c for c in table.columns if c not in front]]]
    return dataclasses.replace(
        results[0], rejects=table, n_read=sum(r.n_read for r in results),
        frame=pd.concat([r.frame for r in results], ignore_index=True), path=Path(" + ".join(inputs)),
    )
