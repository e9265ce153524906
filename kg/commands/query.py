from __future__ import annotations

import os
import sys

import click
from click.core import ParameterSource

from paperkg.kg.commands._options import echo_json, store_option
from paperkg.kg.query import ENDPOINT_TIMEOUT, QUERY_TIMEOUT

FORMATS = ("table", "csv", "tsv", "json", "turtle", "ntriples")


@click.command()
@click.argument("text", metavar="[QUERY]", required=False)
@click.option(
    "--file", "-f", "file", type=click.File("r", encoding="utf-8"), help="Read the query from FILE ('-': stdin)."
)
@click.option("--named", "-n", metavar="NAME", help="Run a named query (`kg queries` lists them).")
@click.option(
    "--bind",
    "-b",
    "binds",
    multiple=True,
    metavar="VAR=VALUE",
    help="Bind ?VAR to VALUE as an RDF term (repeatable; the rule is above).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="SELECT/ASK: table, csv, tsv or json [default: table on a terminal, else tsv]. "
    "CONSTRUCT/DESCRIBE: turtle or ntriples [default: turtle].",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--csv", "as_csv", is_flag=True, help="Same as --format csv.")
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="Print at most N rows (or triples).")
@click.option(
    "--min-support",
    type=click.IntRange(min=1),
    metavar="N",
    help="Only rows that N or more papers support (queries with a ?papers column, as the named questions have).",
)
@store_option
@click.option("--endpoint", metavar="URL", help="Query this SPARQL 1.1 Protocol endpoint instead of the store.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help=f"Stop a query still computing after SECONDS; 0: no limit [default: {QUERY_TIMEOUT:g} on the store, "
    f"{ENDPOINT_TIMEOUT:g} for --endpoint].",
)
@click.option("--allow-update", is_flag=True, help="Apply a SPARQL update to the store (one transaction).")
@click.option(
    "--allow-service", is_flag=True, help="Allow SERVICE (federation: the engine fetches other servers' data)."
)
@click.option("--prefixes", "show_prefixes", is_flag=True, help="List the predeclared prefixes and exit.")
def query(
    text,
    file,
    named,
    binds,
    fmt,
    as_json,
    as_csv,
    limit,
    min_support,
    store,
    endpoint,
    timeout,
    allow_update,
    allow_service,
    show_prefixes,
):
    """Ask the graph a question in SPARQL.

    The query is QUERY, the contents of --file, or a named query (--named). Common prefixes (pkg:,
    dcterms:, skos:, entity:, paper:, ...) are predeclared: see --prefixes. SELECT and ASK print
    results (json, csv and tsv are the SPARQL 1.1 results formats); CONSTRUCT and DESCRIBE print
    Turtle or N-Triples.

    The store is only read: INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE and COPY are
    refused unless --allow-update is given, and SERVICE (which reaches the network) unless
    --allow-service. A syntax error exits with code 2. A query still computing after --timeout
    seconds (60 by default) is stopped with exit code 1; Ctrl-C stops it at once (exit code 130).

    \b
    --bind VAR=VALUE makes VALUE an RDF term, first match wins:
      <IRI> or scheme://...        an IRI
      prefix:local                 an IRI, with a predeclared prefix
      "text", "text"@en, "1"^^xsd:integer   that literal
      a name, for VAR entity/method/model/dataset/task/metric/concept:
                                   the entity with that lookup key (SAE = SAEs = sae)
      an arXiv id, DOI or title, for VAR paper: that paper
      Method, Dataset, ..., for VAR type: pkg:Method, pkg:Dataset, ...
      2024, 0.5, 1e-3, true        a typed number or boolean
      anything else                a plain string
    The term goes to the engine as a term, never pasted into the query.

    \b
    Examples:
      kg query 'SELECT ?type (COUNT(*) AS ?n) WHERE { ?e a ?type } GROUP BY ?type'
      kg query --named papers-using --bind entity=SAE
      kg query --named method-datasets --bind method='sparse autoencoder' --json
      kg query --named methods-for-task --bind task='image classification' --min-support 2
      kg query --file question.rq --format csv --limit 100 > answer.csv
      kg query 'DESCRIBE ?e WHERE { ?e pkg:lookupKey "sae" }' --format ntriples
      kg query --named most-used-datasets --endpoint http://localhost:7878/query
      kg query --file slow.rq --timeout 600
      kg query --prefixes
    """
    from paperkg.kg.query_errors import QueryTimeout
    from paperkg.kg.sparql import prefixes

    if show_prefixes:
        _print_prefixes(prefixes(), as_json)
        return
    fmt = _output_format(fmt, as_json, as_csv)
    text, parameters = _query_text(text, file, named)
    if endpoint and click.get_current_context().get_parameter_source("store") is ParameterSource.COMMANDLINE:
        raise click.UsageError("give --store or --endpoint, not both")
    if parameters is not None:
        unknown = sorted({b.partition("=")[0].lstrip("?$") for b in binds} - set(parameters))
        if unknown:
            takes = ", ".join(parameters) or "no parameters"
            raise click.UsageError(f"--named {named} takes {takes}; not {', '.join(unknown)}")
    if timeout is None:
        timeout = ENDPOINT_TIMEOUT if endpoint else QUERY_TIMEOUT
    try:
        _run(text, binds, fmt, limit, min_support, store, endpoint, timeout or None, allow_update, allow_service)
    except BrokenPipeError:  # `kg query ... | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except (QueryTimeout, KeyboardInterrupt) as exc:
        # The engine cannot be cancelled and computes on in its thread: end the process now.
        message = str(exc) if isinstance(exc, QueryTimeout) else "interrupted; the query was stopped"
        click.echo(f"Error: {message}", err=True)
        sys.stdout.flush()
        os._exit(1 if isinstance(exc, QueryTimeout) else 130)


def _run(text, binds, fmt, limit, min_support, store, endpoint, timeout, allow_update, allow_service) -> None:
    from paperkg.kg.answers import Boolean, Solutions, limited
    from paperkg.kg.bindings import bind_terms, parse_assignment, run_bound
    from paperkg.kg.query import Backend, StoreBackend, run_update
    from paperkg.kg.results import SUPPORT_COLUMN, in_query_order, supported, write_solutions
    from paperkg.kg.sparql import prefixes, query_form

    form = query_form(text)
    if form is not None and form.kind == "update" and allow_update:
        if endpoint:
            raise click.UsageError("--allow-update applies to a local --store, not to --endpoint")
        if binds:
            raise click.UsageError("--bind applies to queries, not to updates")
        report = run_update(store, text)
        click.echo(f"update applied: {report.triples_before:,} -> {report.triples_after:,} triples", err=True)
        return
    graph_form = form is not None and form.kind in ("construct", "describe")
    if fmt is not None and form is not None and form.kind != "update" and (fmt in ("turtle", "ntriples")) != graph_form:
        wanted = "turtle or ntriples" if graph_form else "table, csv, tsv or json"
        raise click.UsageError(f"--format {fmt} does not fit a {form.keyword} query (use {wanted})")
    backend: Backend
    if endpoint:
        from paperkg.kg.endpoint import EndpointBackend

        backend = EndpointBackend(endpoint, timeout)
    else:
        backend = StoreBackend(store.require(), timeout=timeout, allow_service=allow_service)
    assignments = [parse_assignment(b) for b in binds]
    notes: list[str] = []
    terms = bind_terms(assignments, backend, notes)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    result = in_query_order(run_bound(backend, text, terms), text)
    if min_support is not None and not (isinstance(result, Solutions) and SUPPORT_COLUMN in result.variables):
        raise click.UsageError(f"--min-support needs a SELECT query with a ?{SUPPORT_COLUMN} column")
    result = limited(supported(result, min_support), limit)
    if isinstance(result, (Solutions, Boolean)):
        write_solutions(result, fmt or ("table" if sys.stdout.isatty() else "tsv"), sys.stdout, prefixes())
    else:
        from paperkg.kg.results import write_graph

        sys.stdout.flush()
        write_graph(result, fmt or "turtle", sys.stdout.buffer, prefixes())


def _output_format(fmt, as_json: bool, as_csv: bool) -> str | None:
    chosen = {f for f, on in ((fmt, fmt), ("json", as_json), ("csv", as_csv)) if on}
    if len(chosen) > 1:
        raise click.UsageError("choose one output format")
    return chosen.pop() if chosen else None


def _query_text(text, file, named) -> tuple[str, list[str] | None]:
    """The query from exactly one source, and a named query's parameter names (else None)."""
    given = [name for name, value in (("QUERY", text), ("--file", file), ("--named", named)) if value]
    if len(given) != 1:
        raise click.UsageError("give exactly one of QUERY, --file or --named (or --prefixes)")
    if text:
        return text, None
    if file:
        return file.read(), None
    from paperkg.kg.queries import UnknownQuery, named_query

    try:
        found = named_query(named)
    except UnknownQuery as exc:
        raise click.BadParameter(str(exc), param_hint="--named") from None
    return found.text, [p.name for p in found.parameters]


def _print_prefixes(table: dict[str, str], as_json: bool) -> None:
    if as_json:
        echo_json(table)
        return
    width = max(map(len, table)) + 1
    for name, iri in table.items():
        click.echo(f"{name + ':':<{width}} {iri}")
