"""``geo summary``: incidents and fatalities by year, side and distance band."""

from __future__ import annotations

import click

from geo import settings
from geo.cli._common import finish, load_incidents, reading_options


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


@click.command(name="summary")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "csv"]), default="markdown", show_default=True,
    help="Table format.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to a file instead of standard output; rejected records go to OUTPUT.rejects.csv "
              "(beside INPUT when there is no OUTPUT).")
@click.option("--border", default=settings.DEFAULT_BORDER, show_default=True, help="Border source, when INPUT is not yet analyzed.")
@reading_options
def cli(input_path: str, fmt: str, output: str | None, border: str, allow_rejects: bool, fix_swapped: bool,
        input_format: str | None) -> None:
    """Count incidents and fatalities in INPUT by year, side and distance band.

    INPUT may be raw incidents (they are analyzed first) or the output of `geo analyze`.
    Records that cannot be used are written with their reasons to a rejects file and the
    command exits 1, unless --allow-rejects is given.
    """
    from geo.analysis.core import analyzed, summarize
    from geo.files import atomic_write

    result = load_incidents(input_path, fix_swapped, input_format)
    frame = analyzed(result.frame, border)
    table = summarize(frame)
    text = to_markdown(table) + "\n" if fmt == "markdown" else table.to_csv(index=False, lineterminator="\n")
    if output is None:
        click.echo(text, nl=False)
    else:
        with atomic_write(output) as handle:
            handle.write(text)
    finish(result, output, allow_rejects, len(frame), wrote=output)
