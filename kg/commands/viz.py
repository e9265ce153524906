from __future__ import annotations

import os
import sys

import click

from paperkg.kg.commands._options import echo_json, store_option
from paperkg.schema.errors import InputError, NothingFound, WriteError
from paperkg.viz import DEFAULT_MAX_NODES, SHARED_ENOUGH


def _types(ctx, param, value: str | None) -> list[str] | None:
    """`Method,model` -> ["Method", "Model"]; unknown names are a usage error."""
    if not value:
        return None
    from paperkg.schema.errors import InputError
    from paperkg.schema.namespaces import parse_entity_type

    try:
        return [parse_entity_type(v) for v in value.split(",") if v.strip()]
    except InputError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command()
@click.option(
    "-o",
    "--output",
    default="graph.html",
    show_default=True,
    metavar="FILE",
    help="HTML file to write (replaced atomically); - writes to stdout.",
)
@click.option("--focus", metavar="TERM", help="Show only the neighbourhood of this entity (name or alias).")
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="With --focus: how many links away from it to go.",
)
@click.option(
    "--types", callback=_types, metavar="T,...", help="Entity types to show, e.g. Method,Dataset (default: all)."
)
@click.option(
    "--min-papers",
    type=click.IntRange(min=0),
    help="Leave out entities seen in fewer papers. Default without --focus: 2 when at least "
    f"{SHARED_ENOUGH} entities are seen in two or more papers, else none; "
    "--min-papers 1 shows the entities of one paper too.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_NODES,
    show_default=True,
    help="Keep at most this many nodes, those seen in the most papers; 0 for no limit.",
)
@click.option(
    "--papers/--no-papers",
    default=False,
    show_default=True,
    help="Also draw paper nodes, linked to their entities by role.",
)
@click.option(
    "--color-by",
    type=click.Choice(["type", "community", "time"]),
    default="type",
    show_default=True,
    help="Colour nodes by entity type, by community (Louvain), named by their top entities, or by the "
    "median month of their papers (old dark blue to new yellow).",
)
@click.option(
    "--title",
    metavar="TEXT",
    help="The page's title (default: what the graph was built from, e.g. 'data/demo · paperkg graph').",
)
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary of what was written.")
def viz(output, focus, depth, types, min_papers, max_nodes, papers, color_by, title, store, as_json) -> None:
    """Write an interactive map of the graph as one self-contained HTML file.

    The page works offline by double-click: search an entity by name or alias, hide types,
    hover for details. The map is laid out by community (Louvain), each a region named after its
    leading entities. By default it shows what papers share: the entities of one paper only are
    left out when enough entities are seen in two or more papers (--min-papers 1 shows them). Big
    graphs are cut to the --max-nodes nodes seen in the most papers; the page and this command say
    what was left out.

    \b
    Examples:
      kg viz                                  # graph.html: up to 300 entities seen in 2+ papers
      kg viz --min-papers 1 -o all-terms.html # the entities of single papers too
      kg viz --focus SAE --depth 2 -o sae.html
      kg viz --types Method,Dataset --min-papers 2 --color-by community
      kg viz --color-by time -o when.html
      kg viz --papers --max-nodes 0 --min-papers 1 -o everything.html
      kg viz --title "Interpretability papers, autumn" -o graph.html
      kg viz -o - > graph.html
    """
    from paperkg.kg.files import cannot_write, write_text
    from paperkg.kg.names import lookup_key
    from paperkg.kg.page_graph import page_graph
    from paperkg.viz.html import page_html
    from paperkg.viz.select import select

    if as_json and output == "-":
        raise click.UsageError("--json prints to stdout, so it cannot be combined with -o -")
    if output != "-" and not os.path.isdir(os.path.dirname(output) or "."):  # never create it
        raise WriteError(f"cannot write {output}: {os.path.dirname(output)} is not a directory")
    # the filters and the cap already apply while reading the store: only what is shown is read
    # (with paper nodes, which the cap counts too, every entity of the filters is read)
    center = _focus_entity(store.require(), focus) if focus is not None else None
    graph = page_graph(
        store.require(),
        papers=papers,
        types=types,
        min_papers=min_papers or 0,
        name=title,
        max_nodes=None if papers else max_nodes or None,
        focus=center,
        depth=depth,
    )
    selection = select(
        graph,
        focus=center,
        depth=depth,
        types=types,
        min_papers=min_papers,
        max_nodes=max_nodes,
        papers=papers,
        key=lookup_key,
    )
    html = page_html(selection, color_by=color_by)
    if output == "-":
        sys.stdout.write(html)
    else:
        try:
            write_text(output, html)
        except OSError as exc:
            raise cannot_write(output, exc) from exc
    summary = {
        "output": output,
        "title": graph.graph["name"],
        "bytes": len(html.encode("utf-8")),
        "entities_shown": selection.entities,
        "entities_total": selection.total_entities,
        "papers_shown": selection.papers_shown,
        "papers_total": selection.total_papers,
        "links_shown": selection.graph.number_of_edges(),
        "filtered_out": selection.filtered_out,
        "left_out_single_paper": selection.single_paper_left_out,
        "left_out_by_cap": selection.left_out_count,
        "left_out_examples": selection.left_out_labels[:10],
    }
    if as_json:
        echo_json(summary)
        return
    where = "stdout" if output == "-" else output
    click.echo(
        f"wrote {where}: {selection.entities:,} of {selection.total_entities:,} entities"
        + (f", {selection.papers_shown:,} papers" if papers else "")
        + f" ({summary['bytes'] / 1e6:.1f} MB)",
        err=True,
    )
    if selection.single_paper_left_out:
        click.echo(
            f"note: left out {selection.single_paper_left_out:,} entities seen in one paper only, to show what"
            " papers share; --min-papers 1 shows them",
            err=True,
        )
    if selection.left_out_count:
        click.echo(
            f"note: kept the {max_nodes:,} nodes {selection.ranked_by}; {selection.left_out_count:,} others left out"
            f" (e.g. {', '.join(selection.left_out_labels[:3])})",
            err=True,
        )


def _focus_entity(store, term: str) -> str:
    """The entity `term` names, by the rule kg lookup and --bind follow (`kg.label_index.which`);
    the others so named are told on stderr."""
    from paperkg.kg import label_index
    from paperkg.kg.names import lookup_key

    key = lookup_key(term)
    if not key:
        raise InputError(f"nothing to look for in {term!r}")
    found = label_index.entities_with_key(store, key)
    if not found:
        close = label_index.load(store).suggest(store, key, limit=5)
        hint = f"; did you mean: {', '.join(ref.name for ref, _ in close)}" if close else ""
        raise NothingFound(f"no entity named {term!r} in the graph{hint}")
    main, *others = found
    if others:
        names = "; ".join(o.described() for o in others[:5])
        click.echo(
            f"note: {term!r} means {main.described()}, the entity in the"
            f" most papers of {len(found)} so named; also: {names} (kg lookup {term} lists them)",
            err=True,
        )
    return main.iri
