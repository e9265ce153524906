"""`kg extract`: typed entities of each paper as JSON Lines, without touching the store."""

from __future__ import annotations

import json
import sys

import click

from paperkg.kg.commands._options import fast_option
from paperkg.kg.terminal import printable


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=str),
    default=None,
    help="Write the JSON Lines here instead of standard output.",
)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Extraction processes.")
@click.option(
    "--model",
    type=click.Path(exists=True, file_okay=False, path_type=str),
    default=None,
    help="A spaCy pipeline made by `kg train` [default: the one shipped with paperkg].",
)
@fast_option
def extract(inputs, output: str | None, workers: int, model: str | None, members: int | None) -> None:
    """Extract the methods, models, datasets, tasks, metrics and concepts of each paper.

    INPUT is a file or directory of paper listings (the formats `kg build` reads). Prints one
    JSON object per paper: {"id", "title", "entities": [{"name", "type", "aliases",
    "mentions": [{"text", "field", "start", "end", "sentence"}]}]}, with character offsets into
    the title or abstract and the text of the sentence each mention is in. Unreadable records are
    reported on stderr as FILE:LINE: MESSAGE and skipped.

    \b
    Examples:
      kg extract data/demo/
      kg extract listing.txt more.jsonl -o entities.jsonl
      kg extract papers.csv --workers 2
      kg extract big.jsonl --accurate -o entities.jsonl
    """
    from paperkg.extract.pipeline import load_extractor
    from paperkg.extract.readers import ReadProblem, read_inputs, unique_papers

    papers = []
    for item in read_inputs(inputs):
        if isinstance(item, ReadProblem):
            click.echo(f"warning: {printable(str(item))}", err=True)
        else:
            papers.append(item)
    extractor = load_extractor(model, members)
    lines = (
        json.dumps(extraction.to_json(), ensure_ascii=False) + "\n"
        for extraction in extractor.extract(unique_papers(papers), n_process=workers)
    )
    if output:
        from paperkg.kg.files import cannot_write, write_text

        try:
            write_text(output, lines)
        except OSError as exc:
            raise cannot_write(output, exc) from exc
    else:
        sys.stdout.writelines(lines)
