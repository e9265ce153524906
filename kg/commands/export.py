from __future__ import annotations

import click

from paperkg.kg.commands._options import echo_json, store_option
from paperkg.kg.export import FORMATS


@click.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Output format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    required=True,
    help="File to write, '-' for standard output (for csv: <stem>.nodes.csv and <stem>.edges.csv are written).",
)
@click.option(
    "--min-papers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="graphml/gexf/csv: only entities mentioned by at least this many papers.",
)
@click.option(
    "--max-nodes", type=click.IntRange(min=1), default=None, help="graphml/gexf/csv: only the most-mentioned entities."
)
@click.option("--papers", "include_papers", is_flag=True, help="graphml/gexf/csv: include paper nodes and role edges.")
@click.option("--json", "as_json", is_flag=True, help="Print the files written as JSON.")
def export(
    store, fmt: str, output: str, min_papers: int, max_nodes: int | None, include_papers: bool, as_json: bool
) -> None:
    """Write the graph to a file: RDF from the store, or the entity graph for Gephi, Cytoscape
    and spreadsheets.

    \b
    turtle, ntriples, nquads, jsonld   the whole RDF graph (every triple in the store)
    graphml, gexf                      the networkx view: entities, typed relations and
                                       co-occurrences (weight = papers), optionally papers
    csv                                the same view as node and edge tables

    Files are written to a temporary name and renamed into place; an existing file is replaced,
    and the command says so. Text a spreadsheet would run as a formula is quoted in csv, and
    characters XML cannot hold are left out of graphml and gexf.

    \b
    Examples:
      kg export --format turtle -o graph.ttl
      kg export --format gexf -o graph.gexf --min-papers 2
      kg export --format csv -o graph          # graph.nodes.csv, graph.edges.csv
      kg export --format ntriples -o - | gzip > graph.nt.gz
    """
    from paperkg.kg.export import export as run_export
    from paperkg.kg.export import export_files
    from paperkg.kg.files import cannot_write

    options = {"min_papers": min_papers, "max_nodes": max_nodes, "include_papers": include_papers}
    if output == "-":
        if fmt == "csv" or as_json:
            raise click.UsageError("-o - (standard output) takes one file: not --format csv, not --json")
        _to_stdout(lambda path: run_export(store.require(), fmt, path, **options))
        return
    existing = {path for path in export_files(fmt, output) if path.exists()}
    try:
        written = run_export(store.require(), fmt, output, **options)
    except OSError as exc:
        raise cannot_write(output, exc) from exc
    if as_json:
        echo_json({"format": fmt, "files": [str(p) for p in written], "replaced": [str(p) for p in sorted(existing)]})
    else:
        for path in written:
            click.echo(f"wrote {path}" + (" (replaced the file that was there)" if path in existing else ""), err=True)


def _to_stdout(write) -> None:
    """Export into a temporary file, then copy it to standard output."""
    import shutil
    import sys
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="kg-export-") as tmp:
        path = Path(tmp, "graph")
        write(path)
        with open(path, "rb") as fh:
            shutil.copyfileobj(fh, sys.stdout.buffer)
        sys.stdout.flush()
