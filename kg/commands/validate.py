from __future__ import annotations

import click

from paperkg.kg.commands._options import echo_json, store_option


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--examples",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Example nodes shown per kind of violation.",
)
def validate(store, as_json: bool, examples: int) -> None:
    """Check the graph against the SHACL shapes (schema/shapes.ttl) with pyshacl.

    Prints one line per kind of violation with a few example nodes; exits with code 2 when
    the graph does not conform, 0 when it does. A graph checked in several slices (over 200,000
    triples, about 600 papers) reports its progress on stderr after each slice.

    \b
    Examples:
      kg validate
      kg validate --store ./mygraph --json | jq '.violations | length'
    """
    from paperkg.kg.validate import SLICE_TRIPLES, validate_store

    def progress(done: int, total: int) -> None:
        if total > SLICE_TRIPLES:
            click.echo(f"validating: {done:,} of {total:,} triples checked", err=True)

    report = validate_store(store.require(), progress=progress)
    if as_json:
        echo_json(report.to_json())
    else:
        click.echo(report.text(examples=examples))
    if not report.conforms:
        # not an error message: the report above is the answer, the exit code says it failed
        raise click.exceptions.Exit(2)
