"""``geo summary``: incidents and fatalities by year, side and distance band."""

from __future__ import annotations

import click

from geo import settings
from geo.cli._common import (
    check_output,
    finish,
    keep_existing,
    load_incidents,
    no_clobber_option,
    reading_options,
)


def to_markdown(table) -> str:  # type: ignore[no-untyped-def]
    """Render a DataFrame as a GitHub-flavoured Markdown table, without extra packages.

    Examples
    --------
    >>> import pandas as pd
    >>> print(to_markdown(pd.DataFrame({"a": [1], "b": ["x"]})))
    | a | b |
    |---:|:---|
    | 1 | x |
    """
    import pandas as pd

    header = "| " + " | ".join(str(c) for c in table.columns) + " |"
    align = "|" + "|".join("---:" if pd.api.types.is_numeric_dtype(table[c]) else ":---" for c in table.columns) + "|"
    rows = [
        "| " + " | ".join("" if pd.isna(v) else str(v).replace("|", "\\|") for v in row) + " |"
        for row in table.itertuples(index=False, name=None)
    ]
    return "\n".join([header, align, *rows])


def pair_count_line(frame) -> str:  # type: ignore[no-untyped-def]
    """The count of cross-border pairs (:func:`geo.pairs` with its default windows), as a sentence."""
    from geo.analysis.exchanges import PAIR_DAYS, PAIR_KM, pairs

    found = pairs(frame)
    return (f"Cross-border pairs (opposite sides, each within {PAIR_KM} km of the border, the second at most "
            f"{PAIR_DAYS} days after the first): {len(found)} in {found['exchange_id'].nunique()} exchange(s)")


@click.command(name="summary")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "csv"]), default="markdown", show_default=True,
    help="Table format.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to a file (.md, .markdown, .txt or .csv) instead of standard output; rejected "
              "records go to OUTPUT.rejects.csv (INPUT.summary.rejects.csv when there is no OUTPUT).")
@click.option("--border", default=settings.DEFAULT_BORDER, show_default=True, help="Border source, when INPUT is not yet analyzed.")
@reading_options
@no_clobber_option
def cli(input_path: str, fmt: str, output: str | None, border: str, allow_rejects: bool, fix_swapped: bool,
        input_format: str | None, no_clobber: bool) -> None:
    """Count incidents and fatalities in INPUT by year, side and distance band.

    INPUT may be raw incidents (they are analyzed first) or the output of `geo analyze`.
    Records that cannot be used are written with their reasons to a rejects file and the
    command exits 1, unless --allow-rejects is given.
    """
    from geo.analysis.core import analyzed, summarize
    from geo.files import atomic_write

    check_output(output, inputs=[input_path], no_clobber=no_clobber, kind="summary")  # before the work
    result = load_incidents(input_path, fix_swapped, input_format)
    frame = analyzed(result.frame, border)
    table = summarize(frame)
    text = to_markdown(table) + "\n" if fmt == "markdown" else table.to_csv(index=False, lineterminator="\n")
    pair_line = pair_count_line(frame)
    if fmt == "markdown":
        text += "\n" + pair_line + "\n"
    else:  # a CSV holds the table alone
        click.echo(pair_line, err=True)
    with keep_existing(no_clobber):
        if output is None:
            click.echo(text, nl=False)
        else:
            with atomic_write(output) as handle:
                handle.write(text)
        finish(result, output, allow_rejects, len(frame), wrote=output)
