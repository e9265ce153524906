from __future__ import annotations

import csv
import sys

import click

from paperkg.kg.commands._options import echo_json, store_option
from paperkg.schema.namespaces import ENTITY_TYPES, parse_entity_type


@click.command()
@click.option("--rising", "select", flag_value="rising", help="Entities whose share of each month's papers rises.")
@click.option("--falling", "select", flag_value="falling", help="Entities whose share falls.")
@click.option("--bursts", "select", flag_value="bursts", help="Entities with a burst (Kleinberg), strongest first.")
@click.option(
    "--new",
    "select",
    flag_value="new",
    help="Entities not there before they first appeared (or first seen in --since or later), most papers first.",
)
@click.option(
    "--since",
    metavar="YYYY-MM",
    help="With --new: the first month that counts as new [default: any month, if the months before it would have "
    "named the entity at least once with 99% probability at its share since].",
)
@click.option(
    "--type", "type_", type=click.Choice(ENTITY_TYPES, case_sensitive=False), help="Only entities of this type."
)
@click.option(
    "--min-papers", type=click.IntRange(min=1), default=10, show_default=True, help="Only entities in this many papers."
)
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show the first N only [default: all].")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per entity, one column per month.")
@store_option
def trends(
    select: str | None,
    since: str | None,
    type_: str | None,
    min_papers: int,
    top: int | None,
    as_json: bool,
    as_csv: bool,
    store,
) -> None:
    """When each entity appeared, what is rising or falling, what burst, what is new.

    Each entity's papers per month are divided by the month's papers (months hold different
    numbers of papers). A trend is the Mann-Kendall test of that share over the store's months
    (p < 0.05), its slope the Theil-Sen slope; --rising and --falling put the most consistent
    first (largest |tau|, the share of pairs of months that agree), then the smallest p. A burst
    is a run of months where Kleinberg's two-state model (s = 2, gamma = 1) puts the entity in its
    burst state; its weight is how much better that state explains those months. Papers without a
    year are counted in no month: every output says how many (the table at its foot, --json in
    "papers_without_year", TSV and CSV on stderr).

    --new without --since lists an entity only if its absence before it first appeared means
    something: at its share of each month's papers since then, the months before would have
    named it at least once with probability 0.99. A name that is merely rare, first seen a few
    weeks after the store's first paper, is not new; it was not looked for long enough.

    With no selector, every entity in at least --min-papers papers, most papers first. On a
    terminal, a table with a sparkline of the monthly share; piped, tab-separated values.

    \b
    Examples:
      kg trends --rising --top 20
      kg trends --new --type Model --since 2025-09
      kg trends --bursts --min-papers 20
      kg trends --json | jq '.entities[] | select(.bursts != [])'
    """
    from paperkg.kg.trend_report import trend_report

    if as_json and as_csv:
        raise click.UsageError("--json and --csv contradict each other")
    wanted = parse_entity_type(type_) if type_ else None
    report = trend_report(store, select=select, type=wanted, min_papers=min_papers, since=since, top=top)
    if as_json:
        echo_json(report.to_dict())
    elif as_csv or not sys.stdout.isatty():
        _write_rows(report, "csv" if as_csv else "tsv")
        click.echo(report.left_out, err=True)
    else:
        _print_table(report, select)


def _columns(report) -> list[str]:
    fixed = ["label", "type", "papers", "first_seen", "first_paper", "q1", "median", "q3"]
    return [*fixed, "trend", "slope", "relative_slope", "p", "bursts", "iri", *report.months]


def _row(record, report) -> list:
    from paperkg.kg.trend_report import relative_slope

    trend = record.trend
    bursts = " ".join(f"{b.start}..{b.end}:{b.weight:.1f}" for b in record.bursts)
    return [
        record.label,
        record.type,
        record.papers,
        record.first_seen or "",
        record.first_paper or "",
        record.q1 or "",
        record.median or "",
        record.q3 or "",
        trend.direction if trend else "",
        f"{trend.slope:.6g}" if trend else "",
        f"{relative_slope(record):.4g}" if trend else "",
        f"{trend.p:.3g}" if trend else "",
        bursts,
        record.iri,
        *record.counts,
    ]


def _write_rows(report, fmt: str) -> None:
    from paperkg.kg.export import spreadsheet_safe

    rows = [_columns(report), *(_row(r, report) for r in report.records)]
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\r\n")
        writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
        return
    for row in rows:
        sys.stdout.write("\t".join(_tsv_cell(cell) for cell in row) + "\n")


def _tsv_cell(value) -> str:
    """Tabs, newlines and backslashes escaped, so one record stays one line of its columns."""
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _print_table(report, select: str | None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from paperkg.kg.terminal import printable

    console = Console(highlight=False, markup=False, emoji=False)
    span = f"{report.months[0]} to {report.months[-1]}" if report.months else "no dated papers"
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for name, justify in (
        ("entity", "left"),
        ("type", "left"),
        ("papers", "right"),
        ("first seen", "left"),
        ("Q1-median-Q3", "left"),
        ("trend", "left"),
        ("bursts", "left"),
        ("share by month", "left"),
    ):
        table.add_column(name, justify=justify, no_wrap=name != "entity")  # type: ignore[arg-type]
    for r in report.records:
        trend = ""
        if r.trend is not None:
            arrow = {"rising": "↑", "falling": "↓"}.get(r.trend.direction, "·")
            trend = f"{arrow} {r.trend.slope * 100:+.3f} pt/mo p={r.trend.p:.1g}"
        bursts = ", ".join(b.start if b.start == b.end else f"{b.start}..{b.end}" for b in r.bursts)
        table.add_row(
            Text(printable(r.label), style="bold"),
            Text(r.type, style="cyan"),
            f"{r.papers:,}",
            r.first_seen or "",
            f"{r.q1} {r.median} {r.q3}" if r.median else "",
            trend,
            bursts,
            Text(r.sparkline, style="green"),
        )
    what = {None: "entities", "rising": "rising", "falling": "falling", "bursts": "bursting", "new": "new"}[select]
    table.caption = (
        f"{len(report.records):,} {what}; months {span}, {sum(report.totals):,} dated papers; {report.left_out}"
    )
    console.print(table)
