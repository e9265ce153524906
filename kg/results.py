"""Query results written out: SPARQL 1.1 Results JSON, CSV and TSV, a terminal table, and RDF.

Rows are written as they are read, so a large result streams instead of filling memory (the
terminal table is the exception: it needs every row to size its columns).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping
from typing import BinaryIO, TextIO

import pyoxigraph as ox

from paperkg.kg.answers import Boolean, Solutions, Triples
from paperkg.kg.sparql import tokens
from paperkg.kg.terms import SHORT_LITERALS, Term, xsd

SOLUTION_FORMATS = ("table", "csv", "tsv", "json")
_LOCAL_NAME = re.compile(r"[\w-]+(?:[\w.-]*[\w-])?")


SUPPORT_COLUMN = "papers"  # the named questions' count of the papers that support a row


def supported(result, minimum: int | None):
    """The rows of a SELECT result that `minimum` or more papers support (its `?papers` column);
    any other result, or no minimum, unchanged."""
    if minimum is None or not isinstance(result, Solutions):
        return result
    i = result.variables.index(SUPPORT_COLUMN)
    rows = (row for row in result.rows if _count(row[i]) >= minimum)
    return Solutions(result.variables, rows)


def _count(term: Term | None) -> int:
    return int(term.value) if isinstance(term, ox.Literal) else 0


def in_query_order(result, text: str):
    """SELECT * results with their columns in the order the variables first appear in the query
    (the engine returns them in an order of its own); any other result unchanged."""
    found = list(tokens(text))
    if not isinstance(result, Solutions) or not _selects_star(found):
        return result
    first: dict[str, int] = {}
    for token in found:
        if token.kind == "var":
            first.setdefault(token.text[1:], len(first))
    order = sorted(range(len(result.variables)), key=lambda i: first.get(result.variables[i], len(first) + i))
    if order == list(range(len(order))):
        return result
    return Solutions([result.variables[i] for i in order], (tuple(row[i] for i in order) for row in result.rows))


def _selects_star(found) -> bool:
    """Is the query's own (outermost) projection `SELECT *`?"""
    for i, token in enumerate(found[:-1]):
        if token.braces == 0 and token.text.upper() == "SELECT":
            following = found[i + 1 : i + 3]
            return any(t.text == "*" for t in following)
    return False


def write_solutions(result: Solutions | Boolean, fmt: str, out: TextIO, prefixes: Mapping[str, str]) -> int:
    """Write SELECT or ASK results in `fmt` (one of SOLUTION_FORMATS); returns the rows written."""
    if isinstance(result, Boolean):
        answer = "true" if result.value else "false"
        if fmt == "json":
            out.write(json.dumps({"head": {}, "boolean": result.value}) + "\n")
        else:
            out.write(answer + ("\r\n" if fmt == "csv" else "\n"))
        return 1
    return {"table": write_table, "csv": write_csv, "tsv": write_tsv, "json": write_json}[fmt](result, out, prefixes)


def write_graph(result: Triples, fmt: str, out: BinaryIO, prefixes: Mapping[str, str]) -> None:
    """Write CONSTRUCT or DESCRIBE results as Turtle (with the prefixes) or N-Triples."""
    if fmt == "turtle":
        ox.serialize(result.triples, out, ox.RdfFormat.TURTLE, prefixes=dict(prefixes))
    else:
        ox.serialize(result.triples, out, ox.RdfFormat.N_TRIPLES)


# -- SPARQL 1.1 Query Results JSON ---------------------------------------------------------------


def term_json(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: term_json(getattr(term, p)) for p in parts}}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype != xsd.string:
        found["datatype"] = term.datatype.value
    return found


def write_json(result: Solutions, out: TextIO, prefixes=None) -> int:
    out.write(f'{{"head": {{"vars": {json.dumps(result.variables)}}}, "results": {{"bindings": [')
    n = 0
    for n, row in enumerate(result.rows, 1):  # noqa: B007 (n counts the rows written)
        binding = {var: term_json(t) for var, t in zip(result.variables, row) if t is not None}
        out.write(("\n  " if n == 1 else ",\n  ") + json.dumps(binding, ensure_ascii=False))
    out.write("\n]}}\n")
    return n


# -- SPARQL 1.1 Query Results CSV and TSV --------------------------------------------------------


def csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def write_csv(result: Solutions, out: TextIO, prefixes=None) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    n = 0
    for n, row in enumerate(result.rows, 1):  # noqa: B007 (n counts the rows written)
        writer.writerow([csv_value(t) for t in row])
    return n


def tsv_value(term: Term | None) -> str:
    """A term as TSV writes it: N-Triples syntax (tabs and newlines escaped), bare numbers."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        # Turtle's short forms, which SPARQL TSV allows for these datatypes
        bare = SHORT_LITERALS.get(term.datatype)
        if bare is not None and bare.fullmatch(term.value):
            return term.value
    return str(term)


def write_tsv(result: Solutions, out: TextIO, prefixes=None) -> int:
    out.write("\t".join(f"?{v}" for v in result.variables) + "\n")
    n = 0
    for n, row in enumerate(result.rows, 1):  # noqa: B007 (n counts the rows written)
        out.write("\t".join(tsv_value(t) for t in row) + "\n")
    return n


# -- terminal table ------------------------------------------------------------------------------


def display(term: Term | None, prefixes: Mapping[str, str]) -> str:
    """A term for human eyes: IRIs abbreviated by the predeclared prefixes, literals as text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = max(
            ((name, iri) for name, iri in prefixes.items() if term.value.startswith(iri)),
            key=lambda item: len(item[1]),
            default=None,
        )
        if best is not None and _LOCAL_NAME.fullmatch(term.value[len(best[1]) :]):
            return f"{best[0]}:{term.value[len(best[1]) :]}"
        return term.value
    return csv_value(term)


def write_table(result: Solutions, out: TextIO, prefixes: Mapping[str, str]) -> int:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from paperkg.kg.terminal import printable

    # Text() cells and escaped headers: what a graph or an endpoint holds is untrusted and must
    # not be read as rich markup
    table = Table(*(escape(v) for v in result.variables), header_style="bold")
    n = 0
    for n, row in enumerate(result.rows, 1):  # noqa: B007 (n counts the rows written)
        table.add_row(*(Text(printable(_cell(display(t, prefixes)))) for t in row))
    table.caption = f"{n} row{'s' if n != 1 else ''}"
    Console(file=out, highlight=False, emoji=False).print(table)
    return n


def _cell(text: str, limit: int = 60) -> str:
    """Whitespace collapsed and long text cut short: a table row stays a few lines high."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
