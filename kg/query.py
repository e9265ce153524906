"""SPARQL over the graph: predeclared prefixes, values bound as RDF terms, typed results.

    >>> from paperkg.kg.query import StoreBackend, run
    >>> result = run(StoreBackend(Store(path)), "SELECT ?e WHERE { ?e a pkg:Method }")
    >>> [row[0] for row in result.rows]

A backend answers queries: `StoreBackend` (the local Oxigraph store, read-only) or
`kg.endpoint.EndpointBackend` (any SPARQL 1.1 Protocol server). Bound values are RDF terms handed
to the engine's own substitution (SEP-0007) and never become query text; see kg/bindings.py for
how `--bind VAR=VALUE` strings become terms. Updates are refused by `run`; `run_update` applies
one inside a store transaction.

Local queries run in a worker thread (Oxigraph releases the GIL while it evaluates), so the
caller stays responsive: Ctrl-C interrupts at once, and a query still computing after `timeout`
seconds of waiting raises `QueryTimeout`. Oxigraph cannot cancel an evaluation, so the worker
thread finishes in the background; the CLI ends the process instead. `SERVICE` (federation,
which makes the engine fetch URLs) is refused unless `allow_service`.
"""

from __future__ import annotations

import gc
import re
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Protocol, TypeVar, Union

import pyoxigraph as ox

from paperkg.kg.store import Store
from paperkg.kg.terms import PREFIXES
from paperkg.schema.errors import PaperkgError
from paperkg.schema.namespaces import base_iri

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple]  # noqa: UP007 (a runtime alias on Python 3.10)

ENDPOINT_TIMEOUT = 30.0
"""Seconds to wait for a SPARQL endpoint (kg.endpoint) before giving up."""

QUERY_TIMEOUT = 60.0
"""Seconds a local query may compute before it is stopped (`kg query --timeout`)."""


# -- errors ------------------------------------------------------------------------------------


class QueryError(PaperkgError):
    """A query that cannot be run; the message is meant for the user."""


class QuerySyntaxError(QueryError):
    """Malformed SPARQL, with the 1-based line and column where the parser stopped."""

    exit_code = 2

    def __init__(self, message: str, text: str, line: int | None, column: int | None, *, undeclared_prefix=False):
        super().__init__(message)
        self.message, self.text, self.line, self.column = message, text, line, column
        self.undeclared_prefix = undeclared_prefix

    @property
    def source_line(self) -> str | None:
        lines = self.text.splitlines()
        if self.line is None or not 1 <= self.line <= len(lines):
            return None
        return lines[self.line - 1]

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line else ""
        report = f"syntax error at {where}{self.message}"
        if self.source_line is not None:
            before = self.source_line[: max(0, (self.column or 1) - 1)]
            caret = "".join("\t" if ch == "\t" else " " for ch in before) + "^"
            report += f"\n  {self.source_line}\n  {caret}"
        return report


class QueryTimeout(QueryError):
    def __init__(self, seconds: float):
        super().__init__(
            f"the query was stopped after {seconds:g} s (give more time with --timeout SECONDS, 0 for no limit)"
        )


class ServiceRefused(QueryError):
    def __init__(self) -> None:
        super().__init__(
            "refused: the query uses SERVICE, which makes the engine fetch another server's data over "
            "the network; pass --allow-service to allow federation"
        )


class UpdateRefused(QueryError):
    def __init__(self, operation: str):
        super().__init__(
            f"refused: this is a SPARQL update ({operation}) and kg query is read-only; "
            "nothing was changed (pass --allow-update to apply it to the store)"
        )
        self.operation = operation


_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def syntax_error(exc: SyntaxError, text: str) -> QuerySyntaxError:
    """Oxigraph's "error at L:C: expected one of ..." as a `QuerySyntaxError`."""
    message = str(exc)
    match = _OXIGRAPH_POSITION.match(message)
    line = column = None
    if match:
        line, column, message = int(match[1]), int(match[2]), match[3]
    undeclared = "Prefix not found" in message
    if undeclared:
        message = "undeclared prefix (the predeclared ones are listed by `kg query --prefixes`)"
    message = " ".join(message.split())
    if len(message) > 200:  # Oxigraph lists every token it could have accepted
        message = message[:200].rsplit(" ", 1)[0] + " ..."
    return QuerySyntaxError(message, text, line, column, undeclared_prefix=undeclared)


# -- prefixes and query forms ------------------------------------------------------------------


def prefixes() -> dict[str, str]:
    """Prefixes every query may use without declaring: the vocabularies and the minted IRIs."""
    base = base_iri()
    return {**PREFIXES, "id": base, "paper": f"{base}paper/", "entity": f"{base}entity/"}


def prefix_declarations() -> str:
    """`prefixes()` as SPARQL PREFIX declarations on one line (so line numbers do not move)."""
    return " ".join(f"PREFIX {name}: <{iri}>" for name, iri in prefixes().items())


@dataclass(frozen=True)
class QueryForm:
    kind: str  # "select", "ask", "construct", "describe" or "update"
    keyword: str  # the keyword that decided it, upper-case (e.g. "DROP")


_QUERY_KEYWORDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "describe"}
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_SPACE = re.compile(r"(?:\s+|#[^\n]*)*")
_WORD = re.compile(r"[A-Za-z]+")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_PNAME_NS = re.compile(r"[^\s:<>#]*:")


def query_form(text: str) -> QueryForm | None:
    """What the text is, judged by the first keyword after its prologue (BASE/PREFIX lines).

    That keyword decides in SPARQL's grammar: queries start with SELECT/ASK/CONSTRUCT/DESCRIBE and
    every update operation with one of `UPDATE_KEYWORDS`. None when the text is neither.
    """
    pos = _SPACE.match(text, 0).end()
    while True:
        word = _WORD.match(text, pos)
        if word is None:
            return None
        keyword = word[0].upper()
        pos = _SPACE.match(text, word.end()).end()
        if keyword == "PREFIX":
            name = _PNAME_NS.match(text, pos)
            if name is None:
                return None
            pos = _SPACE.match(text, name.end()).end()
        elif keyword != "BASE":
            break
        iri = _IRIREF.match(text, pos)
        if iri is None:
            return None
        pos = _SPACE.match(text, iri.end()).end()
    if keyword in _QUERY_KEYWORDS:
        return QueryForm(_QUERY_KEYWORDS[keyword], keyword)
    if keyword in UPDATE_KEYWORDS:
        return QueryForm("update", keyword)
    return None


_LEXEME = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"  # an IRI
    r"|#[^\n]*"  # a comment
    r"|[?$]\w+"  # a variable
    r"|[\w.-]*:[\w.:-]*"  # a prefixed name
    r"|[A-Za-z]+",
    re.S,
)


def uses_service(text: str) -> bool:
    """Whether the query holds the keyword SERVICE (not inside a string, IRI, comment or name)."""
    return any(m[0].upper() == "SERVICE" for m in _LEXEME.finditer(text))


# -- typed results -----------------------------------------------------------------------------


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


# -- backends ----------------------------------------------------------------------------------


class Backend(Protocol):
    def query(self, text: str, bindings: Mapping[str, Term]) -> Result:
        """Evaluate a SPARQL query with `bindings` substituted for the variables they name."""


def substitutions(bindings: Mapping[str, Term]) -> dict[ox.Variable, Term]:
    return {ox.Variable(name): term for name, term in bindings.items()}


def evaluate(db: ox.Store, text: str, bindings: Mapping[str, Term]):
    """`db.query` with the predeclared prefixes, translating its errors for the user.

    Oxigraph substitutes a bound variable only where the query projects it (SEP-0007); the
    message says so instead of the engine's.
    """
    try:
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


T = TypeVar("T")


def in_worker(task: Callable[[], T], timeout: float | None) -> T:
    """`task()` run in a daemon thread while this one waits in short steps.

    Waiting this way lets Ctrl-C (KeyboardInterrupt) through at once, and a task still running
    after `timeout` seconds raises `QueryTimeout` (the thread runs on: Oxigraph cannot be
    cancelled). The cyclic garbage collector is paused while this thread only waits, so that it
    never runs in the worker, where it would drop pyoxigraph objects made by this thread.
    """
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["value"] = task()
        except BaseException as exc:  # handed to the caller, who raises it
            outcome["error"] = _without_locals(exc)

    worker = threading.Thread(target=work, name="paperkg-query", daemon=True)
    collecting = gc.isenabled()
    gc.disable()
    try:
        worker.start()
        waited = 0.0
        while worker.is_alive():
            if timeout is not None and waited >= timeout:
                raise QueryTimeout(timeout)
            step = 0.05 if timeout is None else min(0.05, timeout - waited)
            worker.join(step)
            waited += step
    finally:
        if collecting:
            gc.enable()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _without_locals(exc: BaseException) -> BaseException:
    """`exc` with the local variables of its frames dropped, so that no pyoxigraph object made
    in the worker travels with it to the thread that raises it."""
    seen: BaseException | None = exc
    while seen is not None:
        traceback.clear_frames(seen.__traceback__)
        seen = seen.__cause__ or seen.__context__
    return exc


# -- running -----------------------------------------------------------------------------------


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
