from __future__ import annotations

import click

from paperkg.kg.commands._options import echo_json, store_option


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--quality",
    is_flag=True,
    help="Also report entity quality: share linked to a vocabulary, generic names dropped, "
    "acronyms resolved and ambiguous, the top hubs.",
)
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True, help="Hubs to list with --quality.")
def stats(store, as_json: bool, quality: bool, top: int) -> None:
    """Count papers, entities by type, and triples in the store.

    \b
    Examples:
      kg stats
      kg stats --json | jq .by_type
      kg stats --quality --top 100
      kg stats --quality --json | jq .hubs
    """
    from paperkg.kg.stats import graph_stats, quality_stats

    numbers = quality_stats(store.require(), top) if quality else graph_stats(store.require())
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
    if not quality:
        return
    click.echo(
        f"linked to a vocabulary  {numbers['linked']:>9,} ({numbers['linked_share']:.1%}; "
        f"{numbers['linked_exactly']:,} by exactMatch)"
    )
    click.echo(f"generic names dropped   {numbers['generic_dropped']:>9,}")
    click.echo(f"acronyms resolved       {numbers['acronyms_resolved']:>9,}")
    click.echo(f"acronyms ambiguous      {numbers['acronyms_ambiguous']:>9,}")
    if numbers["hubs"]:
        click.echo("top hubs (papers, type, label):")
    for hub in numbers["hubs"]:
        click.echo(f"  {hub['papers']:>6,}  {hub['type']:<8}{_printable(hub['label'])}")


def _printable(text: str) -> str:
    """Labels come from papers: control characters are shown escaped, never sent to the terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
