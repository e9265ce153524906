from __future__ import annotations

import click

from paperkg.kg.commands._options import fast_option, store_option
from paperkg.kg.terminal import plural, printable
from paperkg.schema.errors import InputError


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))
@store_option
@click.option("--strict", is_flag=True, help="Stop at the first bad record; the store is left as it was.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Extraction processes (local engine), or workers of the local Dask cluster.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where extraction runs: this machine, or a Dask cluster (pip install 'paperkg[distributed]').",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Dask scheduler to use with --engine dask, e.g. tcp://10.0.0.5:8786 [default: a local cluster].",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@fast_option
def build(
    inputs, store, strict: bool, workers: int, engine: str, scheduler: str | None, quiet: bool, members: int | None
) -> None:
    """Read paper listings, extract their entities, and add them to the graph store.

    INPUT is a file or a directory (every readable file inside it is read): Hugging Face Daily
    Papers listings pasted as text, JSON Lines or JSON arrays, CSV with a header, or arXiv API
    Atom XML. Papers already in the store are kept as they are; only new papers are extracted
    and linked, so building the same input twice changes nothing.

    Any of them may be gzip-compressed (papers.jsonl.gz). A malformed record is reported as
    FILE:LINE: MESSAGE on stderr and skipped; with --strict the first one stops the build with
    exit code 1 and nothing is written. An abstract over 20,000 characters is cut with a warning
    ($PAPERKG_MAX_ABSTRACT_CHARS changes the limit). --store must be a new or empty directory or
    a paperkg store; the build is atomic (docs/failure.md). On Linux the build runs under
    mimalloc, a faster allocator for its bulk loads ($PAPERKG_ALLOCATOR=system keeps glibc's).

    \b
    Examples:
      kg build data/demo/
      kg build listing.txt more.jsonl --store ./mygraph
      kg build export.jsonl.gz
      kg build papers.csv --strict
      kg build big/ --workers 2
      kg build big/ --workers 2 --accurate
      kg build big/ --engine dask --scheduler tcp://scheduler:8786
    """
    from paperkg.kg.build import build as run_build
    from paperkg.kg.build import skipped
    from paperkg.kg.engines import make_engine
    from paperkg.kg.progress import progress_bar

    def report_problem(problem) -> None:
        click.echo(f"warning: {printable(str(problem))}", err=True)

    report = run_build(
        store,
        inputs,
        strict=strict,
        workers=workers,
        engine=make_engine(engine, workers=workers, scheduler=scheduler, members=members),
        on_problem=report_problem,
        progress=(lambda it, total: it) if quiet else progress_bar("extracting"),
    )
    if report.papers == 0:
        raise InputError("no paper could be read from the input; nothing was added")
    if not quiet:
        click.echo(
            f"{plural(report.papers, 'paper')} read ({plural(report.records, 'record')}, "
            f"{skipped(report.problems)} skipped), "
            f"{report.new_papers} new; {report.triples_after - report.triples_before:+,} triples "
            f"({report.triples_after:,} in all) in {report.seconds:.1f}s -> {store.path}",
            err=True,
        )
