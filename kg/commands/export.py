from __future__ import annotations

import click

from paperkg.kg.commands._options import echo_json, store_option, user_errors
from paperkg.kg.export import FORMATS


@click.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Output format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    required=True,
    help="File to write (for csv: <stem>.nodes.csv and <stem>.edges.csv are written).",
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
@user_errors
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

    Files are written to a temporary name and renamed into place.

    \b
    Examples:
      kg export --format turtle -o graph.ttl
      kg export --format gexf -o graph.gexf --min-papers 2
      kg export --format csv -o graph          # graph.nodes.csv, graph.edges.csv
    """
    from paperkg.kg.export import ExportError
    from paperkg.kg.export import export as run_export

    options = {"min_papers": min_papers, "max_nodes": max_nodes, "include_papers": include_papers}
    try:
        written = run_export(store.require(), fmt, output, **options)
    except (ExportError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json({"format": fmt, "files": [str(p) for p in written]})
    else:
        for path in written:
            click.echo(f"wrote {path}", err=True)
