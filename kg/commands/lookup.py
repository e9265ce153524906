from __future__ import annotations

import click

from paperkg.kg.commands._options import echo_json, store_option
from paperkg.kg.lookup import COOCCURRENCE_PAPERS
from paperkg.kg.lookup import lookup as find
from paperkg.kg.terminal import plural, printable
from paperkg.schema.errors import NothingFound
from paperkg.schema.namespaces import CO_OCCURRENCE, ENTITY_TYPES

# How roles and relations read in the terminal (the JSON keeps the vocabulary's local names).
ROLE_WORDS = {"evaluatesOn": "evaluates on"}
# entities named beside the main one (other meanings, folded definitions) listed by name
FOLDED = 8
RELATION_WORDS = {  # relation -> (this entity is the subject, the related entity is the subject)
    "usedFor": ("used for", "uses"),
    "evaluatedOn": ("evaluated on", "evaluates"),
    "comparedWith": ("compared with", "compared with"),
    "partOf": ("part of", "has part"),
    "hyponymOf": ("a kind of", "has kind"),
    "evaluatedWith": ("evaluated with", "evaluates"),
    "featureOf": ("a feature of", "has feature"),
    "conjunctionWith": ("together with", "together with"),
}


@click.command()
@click.argument("term", nargs=-1, required=True)
@click.option(
    "--type", "type_", type=click.Choice(ENTITY_TYPES, case_sensitive=False), help="Only entities of this type."
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Papers, typed relations and co-occurring entities shown per entity.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@store_option
def lookup(term: tuple[str, ...], type_: str | None, limit: int, as_json: bool, store) -> None:
    """Find an entity by any of its names: which papers use it, where, and what comes with it.

    TERM may be the name, an alias, the acronym or the long form, in any case, with or without
    hyphens, singular or plural. Several words need no quotes. A name several entities share
    means the one seen in the most papers (as for kg query --bind and kg viz --focus): it is
    shown, and the others are named after it; one-paper definitions of an acronym that conflict
    with it are folded into one line. A model shows its family and variants. When no name
    matches exactly, close names are suggested; the exit status is 1 only when nothing matches
    at all.

    \b
    Examples:
      kg lookup SAE
      kg lookup sparse autoencoders --limit 3
      kg lookup MAE --type Metric
      kg lookup gpt2 --json | jq '.matches[0].papers[].title'

    \b
    --json prints {"matches": [{"iri", "name", "type", "aliases",
      "papers": [{"iri", "title", "date", "roles"}],
      "evidence": [{"paper", "sentence", "start", "end"}],
      "related": [{"iri", "name", "type", "relation", "count", "reliable"}],
      "links": [{"iri", "match", "source"}],
      "family": {"iri", "name", "type", "papers"} or null, "variants": [...], "family_papers",
      "time": {"first_seen", "first_paper", "q1", "median", "q3", "monthly", "trend",
               "bursts", "sparkline", "papers_without_year"} or null}],
      "others": [{"iri", "name", "type", "papers"}], "definitions": [...],
      "suggestions": [{"iri", "name", "type", "score"}]}.
    Evidence offsets mark the mention in the sentence (end exclusive). A relation written
    "^usedFor" has the related entity as its subject, and counts the papers stating it
    ("reliable" when two or more do, or the relation scorer and a pattern agree, as "unconfirmed"
    marks the others; reliable relations come first); "coOccursWith" counts shared papers (of
    1,000 of the entity's papers, taken in the store's order: a sample blind to date and topic).
    Links are the entity's entries in Papers with Code, the AI Ontology or CSO; "match" is
    "exact" (same name and type) or "close". "time" is what `kg trends --json` says of the
    entity: its first paper, its papers per month, its trend and bursts.
    """
    text = " ".join(term)
    result = find(store, text, type=type_, limit=limit)
    if as_json:
        echo_json(result.to_dict())
    else:
        _print(result)
    if not result.matches and not result.suggestions:
        what = f"no {type_} matches" if type_ else "nothing matches"
        raise NothingFound(f"{what} {text!r}, not even approximately")


def _print(result) -> None:
    from rich.console import Console
    from rich.text import Text

    # markup off: names, titles and the term itself may contain [brackets]
    console = Console(highlight=False, markup=False)
    if result.suggestions:
        console.print(f"No entity is named {result.term!r}. Did you mean:")
        for s in result.suggestions:
            console.print(Text.assemble("  ", (printable(s.name), "bold"), f"  ({printable(s.type)})"))
        return
    for match in result.matches:
        _print_match(console, match)
    if result.definitions:
        papers = plural(sum(d.papers for d in result.definitions), "paper")
        console.print(Text(f"also defined in {papers} as: " + _listing(result.definitions, FOLDED, counts=False)))
    if result.others:
        console.print(
            Text(f"{printable(result.term)!r} also names: " + _listing(result.others, FOLDED)), soft_wrap=False
        )
        console.print(Text("(kg lookup --type TYPE narrows the name; kg query --bind takes an IRI)", style="dim"))


def _print_match(console, match) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    count = match.paper_count if match.paper_count is not None else len(match.papers)
    head = Text.assemble(
        (printable(match.name), "bold"), "  ", (printable(match.type), "cyan"), f"  {plural(count, 'paper')}"
    )
    console.print(head)
    if match.aliases:
        console.print(Text("also: " + ", ".join(map(printable, match.aliases))))
    if match.family:
        console.print(Text(f"variant of: {_listing([match.family], 1)}"))
    if match.variants:
        console.print(
            Text(
                f"variants: {_listing(match.variants, len(match.variants))}; the family in all: "
                + plural(match.family_papers or 0, "paper")
            )
        )
    console.print(Text(match.iri, style="dim"), soft_wrap=True)  # an IRI is copied whole, never broken
    if match.time:
        console.print(_time_line(match.time))
    if match.links:
        # one line however long: IRIs cut by wrapping could not be copied
        console.print(Text("links: " + " ".join(printable(link.iri) for link in match.links)), soft_wrap=True)
    console.print()

    if match.papers:
        shown = f" ({len(match.papers)} of {count:,})" if len(match.papers) < count else ""
        papers = Table(title=f"Papers{shown}", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, expand=True)
        papers.add_column("date", no_wrap=True)
        papers.add_column("role")
        papers.add_column("paper and evidence", ratio=1)
        evidence = {ev.paper: ev for ev in match.evidence}
        plain = console.color_system is None
        for paper in match.papers:
            cell = Text.assemble((printable(paper.title or paper.iri), "bold"))
            if paper.iri in evidence:
                cell.append("\n")
                cell.append_text(_highlighted(evidence[paper.iri], plain))
            roles = ", ".join(ROLE_WORDS.get(r, r) for r in paper.roles)
            papers.add_row(Text(printable(paper.date or "")), Text(roles), cell)
        console.print(papers)
        console.print()

    if match.related:
        counted = (
            f" (co-occurrence in {COOCCURRENCE_PAPERS:,} of its papers)"
            if count > COOCCURRENCE_PAPERS and any(r.relation == CO_OCCURRENCE for r in match.related)
            else ""
        )
        related = Table(title=f"Related{counted}", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
        related.add_column("relation")
        related.add_column("entity", style="bold")
        related.add_column("type", style="cyan")
        related.add_column("seen in", justify="right")
        for r in match.related:
            if r.relation == CO_OCCURRENCE:
                words, seen = "co-occurs", plural(r.count, "paper")
            else:
                out, inverse = RELATION_WORDS.get(r.relation.lstrip("^"), (r.relation, r.relation))
                words = inverse if r.relation.startswith("^") else out
                seen = plural(r.count, "paper") + ("" if r.reliable else ", unconfirmed")
            related.add_row(Text(words), Text(printable(r.name)), Text(printable(r.type)), Text(seen))
        console.print(related)


def _time_line(time: dict):
    """First seen, the monthly share as a sparkline over the store's months, trend and bursts."""
    from rich.text import Text

    months = list(time["monthly"])
    line = Text.assemble(
        f"first seen {time['first_seen']}, median {time['median']}  ",
        (time["sparkline"], "green"),
        f"  {months[0]} to {months[-1]}",
    )
    trend = time["trend"]
    if trend and trend["direction"] != "flat":
        line.append(f"  {trend['direction']} (p={trend['p']:.1g})")
    for burst in time["bursts"]:
        span = burst["start"] if burst["start"] == burst["end"] else f"{burst['start']} to {burst['end']}"
        line.append(f"  burst {span}")
    return line


def _highlighted(evidence, plain: bool):
    """The sentence with the mention marked when the terminal can show it; as it is in plain text."""
    from rich.text import Text

    if evidence.start is None:
        return Text(printable(evidence.sentence), style="italic")
    # escaped piece by piece, so the mention's offsets still mark the mention
    s, e = evidence.start, evidence.end
    before, mention, after = (
        printable(part) for part in (evidence.sentence[:s], evidence.sentence[s:e], evidence.sentence[e:])
    )
    text = Text(before + mention + after, style="italic")
    if not plain:
        text.stylize("bold underline yellow", len(before), len(before) + len(mention))
    return text


def _listing(entities, most: int, counts: bool = True) -> str:
    """`most` entities by name (with their type and papers when `counts`), then how many more."""
    shown = [
        printable(e.name) + (f" ({printable(e.type)}, {plural(e.papers, 'paper')})" if counts else "")
        for e in entities[:most]
    ]
    more = f"; {len(entities) - most:,} more" if len(entities) > most else ""
    return "; ".join(shown) + more
