from __future__ import annotations

import click

from paperkg.kg.commands._options import echo_json, store_option
from paperkg.kg.push import DEFAULT_BATCH_SIZE


@click.command()
@store_option
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The server's SPARQL 1.1 Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph).",
)
@click.option("--graph", metavar="IRI", default=None, help="Load into this named graph [default: the default graph].")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Triples per request.",
)
@click.option(
    "--query-endpoint",
    metavar="URL",
    default=None,
    help="SPARQL query endpoint for the count check [default: next to --endpoint: /store -> /query, "
    "/data -> /query, /sparql-graph-crud -> /sparql].",
)
@click.option("--append", is_flag=True, help="Add to the graph on the server instead of replacing it.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def push(
    store, endpoint: str, graph: str | None, batch_size: int, query_endpoint: str | None, append: bool, as_json: bool
) -> None:
    """Copy the graph into a running SPARQL server over the SPARQL 1.1 Graph Store HTTP Protocol.

    The graph is sent as N-Triples in batches; the first request replaces the target graph (unless
    --append) and the rest add to it. Transient failures (connection reset, HTTP 429 and 5xx) are
    retried with backoff. A COUNT query through the server's SPARQL endpoint then checks that the
    server's graph holds every triple. For very large graphs, bulk-load `kg export` output with
    the server's own loader instead (docs/deploy.md).

    \b
    Examples:
      oxigraph serve --location ./oxdata &
      kg push --endpoint http://localhost:7878/store
      kg push --endpoint http://localhost:7878/store --graph https://example.org/papers
      kg push --endpoint http://localhost:3030/papers/data --batch-size 20000 --json
      kg query --endpoint http://localhost:7878/query --named entities-per-type
    """
    from paperkg.kg.progress import progress_bar
    from paperkg.kg.push import push as run_push

    def warn(reason: str) -> None:
        click.echo(f"warning: {reason}", err=True)

    report = run_push(
        store,
        endpoint,
        graph=graph,
        batch_size=batch_size,
        query_endpoint=query_endpoint,
        append=append,
        on_retry=warn,
        progress=(lambda it, total: it) if as_json else progress_bar("pushing"),
    )
    if as_json:
        echo_json(report.to_json())
        return
    click.echo(
        f"pushed {report.triples:,} triples in {report.batches} batch{'es' if report.batches != 1 else ''} "
        f"to {endpoint} ({graph or 'default graph'}) in {report.seconds:.1f}s; "
        f"the server's graph holds {report.server_triples:,} triples"
    )
