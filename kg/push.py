"""`kg push` as an API: copy the store's graph into a running SPARQL server.

It speaks the SPARQL 1.1 Graph Store HTTP Protocol, so any server that implements it works
(Oxigraph `/store`, Fuseki `/DATASET/data`, Virtuoso `/sparql-graph-crud`). The graph goes in
N-Triples batches: by default the first request PUTs (replacing the target graph, so a push can be
repeated) and the rest POST (adding). Ground triples are batched freely; triples that touch a blank
node all travel in one last request, because a blank node label only means the same node within
one request. Then a COUNT through the server's SPARQL endpoint checks that every triple arrived.

For graphs of many millions of triples the server's own bulk loader is faster: see docs/deploy.md.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass

import pyoxigraph as ox

from paperkg.kg.http import HttpError, RetryPolicy, request
from paperkg.kg.store import Store
from paperkg.schema.errors import PaperkgError

DEFAULT_BATCH_SIZE = 10_000  # measured fastest into Oxigraph of 10k/50k/200k (bench/push_speed.py)
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NT = "application/n-triples"

# Graph Store endpoint path -> the same server's SPARQL query endpoint path
_QUERY_PATH_FOR = {
    "/store": "/query",  # Oxigraph
    "/data": "/query",  # Fuseki
    "/sparql-graph-crud": "/sparql",  # Virtuoso
    "/sparql-graph-crud-auth": "/sparql",
}


class PushError(PaperkgError):
    """A push that cannot be done or did not arrive whole; the message is meant for the user."""


@dataclass
class PushReport:
    endpoint: str
    graph: str | None  # None: the server's default graph
    triples: int  # triples sent
    batches: int  # requests that carried them
    server_triples: int  # what the server's graph holds afterwards
    seconds: float

    def to_json(self) -> dict:
        return asdict(self)


def push(
    store: Store,
    endpoint: str,
    *,
    graph: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    query_endpoint: str | None = None,
    append: bool = False,
    policy: RetryPolicy = RetryPolicy(),
    on_retry: Callable[[str], None] = lambda reason: None,
    progress: Callable[[Iterable, int], Iterable] = lambda it, total: it,
) -> PushReport:
    """Send the store's graph to the Graph Store `endpoint` (into `graph`, else the default graph)."""
    started = time.perf_counter()
    _check_http_url(endpoint, "--endpoint")
    if graph is not None:
        _check_iri(graph)
    query_endpoint = query_endpoint or query_endpoint_for(endpoint)
    _check_http_url(query_endpoint, "--query-endpoint")
    if batch_size < 1:
        raise PushError("--batch-size must be at least 1")
    db = store.require().oxigraph
    if next(iter(db.named_graphs()), None) is not None:
        raise PushError(
            "the store has named graphs; kg push copies the default graph only (use kg export and the server's loader)"
        )

    target = _target_url(endpoint, graph)
    sent = batches = 0
    total = len(db)
    try:
        for triples in progress(_batches(db, batch_size), max(1, -(-total // batch_size))):
            method = "POST" if append or batches else "PUT"
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            request(method, target, body=body, headers={"Content-Type": NT}, policy=policy, on_retry=on_retry)
            sent += len(triples)
            batches += 1
        if not batches and not append:  # an empty store still replaces the target graph
            request("PUT", target, body=b"", headers={"Content-Type": NT}, policy=policy, on_retry=on_retry)
    except HttpError as exc:
        partial = f" after {sent:,} of {total:,} triples; the server's graph is partial, push again" if sent else ""
        raise PushError(f"{exc}{partial}") from exc
    try:
        server = count_triples(query_endpoint, graph, policy=policy, on_retry=on_retry)
    except HttpError as exc:
        raise PushError(f"pushed {sent:,} triples, but the count check failed: {exc}") from exc
    if server < sent or (not append and server != sent):
        raise PushError(f"count check failed: sent {sent:,} triples, the server's graph holds {server:,}")
    return PushReport(endpoint, graph, sent, batches, server, time.perf_counter() - started)


def query_endpoint_for(endpoint: str) -> str:
    """The SPARQL query endpoint next to a Graph Store endpoint, for the servers that name them so."""
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for suffix, query_path in _QUERY_PATH_FOR.items():
        if path.endswith(suffix):
            return urllib.parse.urlunsplit(parts._replace(path=path[: -len(suffix)] + query_path, query=""))
    raise PushError(f"cannot tell the SPARQL query endpoint that goes with {endpoint}; pass --query-endpoint URL")


def count_triples(
    query_endpoint: str, graph: str | None, *, policy: RetryPolicy = RetryPolicy(), on_retry=lambda r: None
) -> int:
    """COUNT(*) of a graph on a SPARQL server; a named graph is chosen with `default-graph-uri`,
    so no IRI is ever written into the query text."""
    params = [("query", COUNT_QUERY)] + ([("default-graph-uri", graph)] if graph else [])
    url = f"{query_endpoint}?{urllib.parse.urlencode(params)}"
    body = request("GET", url, headers={"Accept": "application/sparql-results+json"}, policy=policy, on_retry=on_retry)
    try:
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise HttpError(f"{query_endpoint} did not answer the COUNT query with SPARQL JSON results") from exc


def _batches(db: ox.Store, batch_size: int) -> Iterator[list[ox.Triple]]:
    batch: list[ox.Triple] = []
    with_blank_nodes: list[ox.Triple] = []
    for quad in db.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        triple = quad.triple
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            with_blank_nodes.append(triple)
            continue
        batch.append(triple)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
    if with_blank_nodes:
        yield with_blank_nodes


def _target_url(endpoint: str, graph: str | None) -> str:
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    return f"{endpoint}?{query}"


def _check_http_url(url: str, option: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{option} must be an http:// or https:// URL, not {url!r}")
    if parts.query:
        raise PushError(
            f"{option} takes the endpoint without a query string (use --graph IRI to choose the graph): {url}"
        )


def _check_iri(iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise PushError(f"--graph must be an absolute IRI: {exc}") from exc
    if ":" not in iri:
        raise PushError(f"--graph must be an absolute IRI, not {iri!r}")
