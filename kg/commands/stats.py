from __future__ import annotations

import click

from paperkg.kg.commands._options import echo_json, store_option


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats(store, as_json: bool) -> None:
    """Count papers, entities by type, and triples in the store.

    \b
    Examples:
      kg stats
      kg stats --json | jq .by_type
    """
    from paperkg.kg.stats import graph_stats

    numbers = graph_stats(store.require())
    leftovers = store.leftovers()
    if leftovers:
        names = ", ".join(gen.name for gen in leftovers)
        click.echo(f"note: {names} left by an interrupted write; the next write removes it", err=True)
    if as_json:
        echo_json(numbers)
        return
    click.echo(f"papers    {numbers['papers']:>9,}")
    click.echo(f"entities  {numbers['entities']:>9,}")
    for name, n in numbers["by_type"].items():
        click.echo(f"  {name:<8}{n:>9,}")
    click.echo(f"triples   {numbers['triples']:>9,}")
