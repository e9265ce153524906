"""SPARQL over the graph: run a query on a backend, or apply an update to the local store.

    >>> from paperkg.kg.query import StoreBackend, run
    >>> result = run(StoreBackend(Store(path)), "SELECT ?e WHERE { ?e a pkg:Method }")
    >>> [row[0] for row in result.rows]

A backend answers queries: `StoreBackend` (the local Oxigraph store, read-only) or
`kg.endpoint.EndpointBackend` (any SPARQL 1.1 Protocol server). Every query may use the
predeclared prefixes (kg/sparql.py) and returns a typed result (kg/answers.py). Bound values are
RDF terms handed to the engine's substitution (SEP-0007) and, in a SELECT query, also written
as a VALUES block by Oxigraph's serialiser (`leading_values`); see
kg/bindings.py for how `--bind VAR=VALUE` strings become terms. Updates are refused by `run`;
`run_update` applies one inside a store transaction.

Local queries run in a worker thread (kg/worker.py), so Ctrl-C interrupts at once and a query
still computing after `timeout` seconds raises `QueryTimeout`. `SERVICE` (federation, which makes
the engine fetch URLs) is refused unless `allow_service`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from paperkg.kg.answers import Boolean, Result, Triples, from_oxigraph, guarded
from paperkg.kg.query_errors import QueryError, ServiceRefused, UpdateRefused, syntax_error
from paperkg.kg.sparql import prefixes, query_form, tokens, uses_service
from paperkg.kg.store import Store
from paperkg.kg.terms import Term
from paperkg.kg.worker import in_worker

ENDPOINT_TIMEOUT = 30.0
"""Seconds to wait for a SPARQL endpoint (kg.endpoint) before giving up."""

QUERY_TIMEOUT = 60.0
"""Seconds a local query may compute before it is stopped (`kg query --timeout`)."""


class Backend(Protocol):
    def query(self, text: str, bindings: Mapping[str, Term]) -> Result:
        """Evaluate a SPARQL query with `bindings` substituted for the variables they name."""


def substitutions(bindings: Mapping[str, Term]) -> dict[ox.Variable, Term]:
    return {ox.Variable(name): term for name, term in bindings.items()}


def leading_values(text: str, bindings: Mapping[str, Term]) -> str | None:
    """The SELECT query with the bound terms in a VALUES block that opens its WHERE group, or None
    for another form or a blank node: Oxigraph's substitutions alone let `entity-relations --bind
    entity=SAM` read every statement of the whole corpus (6 s of CPU, against 0.25 s for the same
    rows). The terms are written by Oxigraph's N-Triples serialiser (as `kg.endpoint` writes its
    VALUES), never from the user's text."""
    if any(isinstance(term, ox.BlankNode) for term in bindings.values()):
        return None
    found = list(tokens(text))
    select = next((i for i, t in enumerate(found) if t.braces == 0 and t.text.upper() == "SELECT"), None)
    opening = next((t for t in found[select:] if t.text == "{"), None) if select is not None else None
    if opening is None:
        return None
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"{text[: opening.end]} VALUES ({names}) {{ ({terms}) }} {text[opening.end :]}"


def evaluate(db: ox.Store, text: str, bindings: Mapping[str, Term]):
    """`db.query` with the predeclared prefixes, translating its errors for the user.

    The bound terms go to the engine as substitutions, which Oxigraph applies only where the query
    projects the variable (SEP-0007; the message says so instead of the engine's), and a SELECT
    query also gets them as `leading_values`: substituted, a variable inside a sub-SELECT is bound
    (`cooccurring-entities` 60 s with the VALUES block alone), and bound first, a plain group
    starts from them (`entity-relations` 6 s with substitutions alone); both, 0.6 s and 0.25 s.
    """
    bound = leading_values(text, bindings) if bindings else None
    try:
        if bound is not None:
            with contextlib.suppress(SyntaxError):  # the user's own text says where its error is
                return db.query(bound, prefixes=prefixes(), substitutions=substitutions(bindings))
        return db.query(text, prefixes=prefixes(), substitutions=substitutions(bindings))
    except SyntaxError as exc:
        raise syntax_error(exc, text) from exc
    except RuntimeError as exc:
        match = re.search(r"variable \?(\S+) in its SELECT projection", str(exc))
        if match:
            raise QueryError(
                f"--bind {match[1]}: the query does not select ?{match[1]}; a bound variable must be "
                f"in the SELECT clause (add ?{match[1]} to it, or use SELECT *)"
            ) from exc
        raise QueryError(f"query failed: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc


class StoreBackend:
    """The local store, read-only; `timeout` seconds of computing at most (None: no limit)."""

    def __init__(self, store: Store, timeout: float | None = QUERY_TIMEOUT, allow_service: bool = False):
        self.store = store
        self.timeout = timeout
        self.allow_service = allow_service

    def query(self, text: str, bindings: Mapping[str, Term]) -> Result:
        if not self.allow_service and uses_service(text):
            raise ServiceRefused()
        db = self.store.oxigraph
        answer = in_worker(lambda: _evaluated(db, text, bindings), self.timeout)
        if isinstance(answer, Boolean):
            return answer
        kind, data = answer
        if kind == "solutions":
            return from_oxigraph(ox.parse_query_results(data, ox.QueryResultsFormat.TSV), _failed)
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, ox.RdfFormat.N_TRIPLES))
        return Triples(guarded(triples, _failed))


def _failed(exc: Exception) -> QueryError:
    return QueryError(f"query failed: {exc}")


def _evaluated(db: ox.Store, text: str, bindings: Mapping[str, Term]) -> Boolean | tuple[str, bytes]:
    """The whole answer, evaluated: a `Boolean`, or serialised as ("solutions", SPARQL results TSV,
    which is lossless) or ("triples", N-Triples). Serialised, because pyoxigraph's result iterators
    may only be used and dropped by the thread that made them."""
    raw = evaluate(db, text, bindings)
    if isinstance(raw, ox.QueryBoolean):
        return Boolean(bool(raw))
    if isinstance(raw, ox.QuerySolutions):
        return "solutions", raw.serialize(format=ox.QueryResultsFormat.TSV) or b""
    return "triples", raw.serialize(format=ox.RdfFormat.N_TRIPLES) or b""


def run(backend: Backend, text: str, bindings: Mapping[str, Term] | None = None) -> Result:
    """Run a read-only query; an update is refused before anything reaches the backend."""
    form = query_form(text)
    if form is not None and form.kind == "update":
        raise UpdateRefused(form.keyword)
    return backend.query(text, bindings or {})


@dataclass(frozen=True)
class UpdateReport:
    triples_before: int
    triples_after: int


def run_update(store: Store, text: str) -> UpdateReport:
    """Apply a SPARQL update in one store transaction: all of it, or (on any error) nothing."""
    before = len(store) if store.exists() else 0
    try:
        with store.transaction() as db:
            try:
                db.update(text, prefixes=prefixes())
            finally:
                del db  # the transaction closes the writer by dropping it: no reference may outlive it
    except SyntaxError as exc:
        raise syntax_error(exc, text) from exc
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"update failed, nothing was changed: {exc}") from exc
    return UpdateReport(before, len(store))
