from __future__ import annotations

import click

from paperkg.kg.commands._options import echo_json


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {name, description, parameters, query}.")
def queries(as_json: bool) -> None:
    """List the named queries that `kg query --named NAME` runs.

    Each is a commented SPARQL file shipped with paperkg; its parameters are bound with
    --bind VAR=VALUE and match anything when left unbound.

    \b
    Examples:
      kg queries
      kg queries --json | jq -r '.[].name'
      kg query --named cooccurring-entities --bind entity=SAE
    """
    from paperkg.kg.queries import named_queries

    found = named_queries().values()
    if as_json:
        echo_json([q.to_json() for q in found])
        return
    width = max(len(q.name) for q in found)
    for q in found:
        params = " ".join(f"--bind {p.name}=..." for p in q.parameters)
        click.echo(f"{q.name:<{width}}  {q.description}")
        if params:
            click.echo(f"{'':<{width}}    {params}")
