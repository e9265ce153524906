"""`kg query --endpoint URL`: the same queries against any SPARQL 1.1 Protocol server.

Plain HTTP with the standard library: the query goes as an `application/x-www-form-urlencoded`
POST, the answer is read in whichever standard format the server chose (results JSON, TSV or
XML; N-Triples, Turtle or RDF/XML) and parsed as it streams, so `--limit` stops reading early.

Every query is first parsed locally by Oxigraph, so a syntax error is reported exactly as for the
store (exit 2, with the line and column of the user's text); the server's own errors are passed
on in one line.

The protocol has no way to send bindings, so here, and only here, bound terms travel in the query
text: a trailing `VALUES` clause whose terms are written by Oxigraph's N-Triples serialiser from
validated term objects (an IRI cannot contain `>` or spaces; a literal's quotes, backslashes and
newlines are escaped), and the result is parsed again before it is sent. A trailing VALUES clause
joins before ORDER BY and LIMIT, so for the named queries, whose parameters are always bound by a
triple pattern, it selects the same rows as the local store's substitution.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping

import pyoxigraph as ox

from paperkg.kg.answers import Boolean, Result, Solutions, Triples, from_oxigraph, guarded
from paperkg.kg.query import ENDPOINT_TIMEOUT, evaluate
from paperkg.kg.query_errors import QueryError, QuerySyntaxError
from paperkg.kg.sparql import prefix_declarations, query_form
from paperkg.kg.terms import Term

_ACCEPT_RESULTS = (
    "application/sparql-results+json, text/tab-separated-values;q=0.9, application/sparql-results+xml;q=0.8"
)
_ACCEPT_RDF = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


class EndpointError(QueryError):
    """The endpoint could not be reached or did not answer with SPARQL results."""


class EndpointBackend:
    def __init__(self, url: str, timeout: float = ENDPOINT_TIMEOUT):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https") or not urllib.parse.urlsplit(url).netloc:
            raise EndpointError(f"--endpoint {url}: not an http(s) URL")
        self.url, self.timeout = url, timeout

    def query(self, text: str, bindings: Mapping[str, Term]) -> Result:
        form = query_form(text)
        check_locally(text, bindings)
        if bindings:
            text = with_values(text, bindings)
        if form is None:
            accept = f"{_ACCEPT_RESULTS}, {_ACCEPT_RDF}"
        else:
            accept = _ACCEPT_RDF if form.kind in ("construct", "describe") else _ACCEPT_RESULTS
        response = self._post(f"{prefix_declarations()} {text}", accept)
        try:
            return self._read(response)
        except BaseException:
            response.close()
            raise

    def _post(self, text: str, accept: str):
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode({"query": text}).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": accept,
                "User-Agent": "paperkg",
            },
            method="POST",
        )
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            body = exc.read(2000).decode("utf-8", "replace").strip()
            detail = " ".join(body.split())[:300] or exc.reason
            raise EndpointError(f"{self.url} answered HTTP {exc.code}: {detail}") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._timed_out() from exc
            raise EndpointError(f"cannot reach SPARQL endpoint {self.url}: {_reason(exc.reason)}") from exc
        except TimeoutError as exc:
            raise self._timed_out() from exc
        except OSError as exc:
            raise EndpointError(f"cannot reach SPARQL endpoint {self.url}: {_reason(exc)}") from exc

    def _timed_out(self) -> EndpointError:
        return EndpointError(f"SPARQL endpoint {self.url} did not answer within {self.timeout:g} s")

    def _read(self, response) -> Result:
        media_type = response.headers.get_content_type()

        def describe(exc: Exception) -> QueryError:
            return EndpointError(f"{self.url}: unreadable {media_type} answer: {_reason(exc)}")

        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        if results_format is not None:
            try:
                result = from_oxigraph(ox.parse_query_results(response, results_format), describe)
            except (SyntaxError, OSError, ValueError) as exc:
                raise describe(exc) from exc
            if isinstance(result, Boolean):
                response.close()
            elif isinstance(result, Solutions):
                result.rows = _closing(result.rows, response)
            return result
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        if rdf_format is not None:
            quads = ox.parse(response, rdf_format)
            return Triples(_closing(guarded((q.triple for q in quads), describe), response))
        raise EndpointError(f"{self.url} answered {media_type}, not SPARQL results")


def check_locally(text: str, bindings: Mapping[str, Term]) -> None:
    """Fail as a local query would (syntax error with its position).

    Nothing is evaluated: the query runs on an empty in-memory store. A prefix Oxigraph does not
    know is left to the server, which may predeclare it (Virtuoso's `bif:`), unless terms are
    bound, where the query must parse here to take its VALUES clause.
    """
    try:
        evaluate(ox.Store(), text, bindings)
    except QuerySyntaxError as exc:
        if bindings or not exc.undeclared_prefix:
            raise


def with_values(text: str, bindings: Mapping[str, Term]) -> str:
    """The query with a trailing VALUES clause holding the bound terms, checked by a local parse."""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    bound = f"{text.rstrip()}\nVALUES ({names}) {{ ({terms}) }}\n"
    try:
        evaluate(ox.Store(), bound, {})
    except QueryError as exc:
        raise QueryError(
            "--bind with --endpoint adds a VALUES clause at the end of the query, and this query "
            f"cannot take one (does it end with its own?): {exc}"
        ) from exc
    return bound


def _closing(items: Iterator, response) -> Iterator:
    try:
        yield from items
    finally:
        response.close()


def _reason(exc) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return " ".join(str(text).split())
