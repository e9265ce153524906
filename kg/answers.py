"""What a query returns, typed by query form: `Solutions` (SELECT), `Boolean` (ASK) and `Triples`
(CONSTRUCT, DESCRIBE), read lazily so that a large result streams.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Union

import pyoxigraph as ox

from paperkg.kg.query_errors import QueryError
from paperkg.kg.terms import Term


@dataclass
class Solutions:
    """SELECT results: variable names, then rows of terms (None where a variable is unbound)."""

    variables: list[str]
    rows: Iterator[tuple[Term | None, ...]]


@dataclass
class Boolean:
    """An ASK answer."""

    value: bool


@dataclass
class Triples:
    """CONSTRUCT or DESCRIBE results."""

    triples: Iterator[ox.Triple]


Result = Union[Solutions, Boolean, Triples]  # noqa: UP007 (a runtime alias on Python 3.10)


def limited(result: Result, limit: int | None) -> Result:
    """At most `limit` rows or triples (None: all); what lies beyond is never read."""
    if limit is None or isinstance(result, Boolean):
        return result
    if isinstance(result, Solutions):
        return Solutions(result.variables, islice(result.rows, limit))
    return Triples(islice(result.triples, limit))


def guarded(items: Iterable, describe: Callable[[Exception], QueryError]) -> Iterator:
    """Iterate `items`, turning the engine's evaluation errors into `QueryError`s."""
    try:
        yield from items
    except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
        raise describe(exc) from exc


def from_oxigraph(raw, describe: Callable[[Exception], QueryError]) -> Result:
    """Wrap what pyoxigraph returns for a query or a parsed results document."""
    if isinstance(raw, ox.QueryBoolean):
        return Boolean(bool(raw))
    if isinstance(raw, ox.QuerySolutions):
        return Solutions([v.value for v in raw.variables], guarded((tuple(s) for s in raw), describe))
    return Triples(guarded(raw, describe))
