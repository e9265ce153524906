"""`kg push`: the store into a real Oxigraph server over the Graph Store Protocol, and retries."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from paperkg.extract.pipeline import as_extracted
from paperkg.extract.records import PaperExtraction
from paperkg.extract.resources import data_dir
from paperkg.kg.build import build
from paperkg.kg.cli import main
from paperkg.kg.http import RetryPolicy
from paperkg.kg.push import DEFAULT_BATCH_SIZE, PushError, push, query_endpoint_for
from paperkg.kg.queries import named_queries
from paperkg.kg.store import Store

EX = "https://example.org/"


class PapersOnly:
    """Used when no trained pipeline is shipped: the seed graph then holds the papers alone."""

    def extract(self, papers, n_process=1, finish=as_extracted):
        return (finish(PaperExtraction(p, ())) for p in papers)


def seed_extractor():
    from paperkg.extract.pipeline import load_extractor

    try:
        return load_extractor()
    except FileNotFoundError:
        return PapersOnly()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def no_sleep_policy(sleeps: list[float]) -> RetryPolicy:
    return RetryPolicy(retries=3, backoff=0.5, timeout=5, sleep=sleeps.append)


# -- a real Oxigraph server ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    exe = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not start: {proc.stderr.read().decode(errors='replace')}")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("seed") / "store")
    build(store, [str(data_dir() / "demo")], extractor=seed_extractor())
    return store


@pytest.fixture
def small_store(tmp_path) -> Store:
    store = Store(tmp_path / "store")
    with store.transaction() as db:
        db.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i))) for i in range(10))
    return store


@pytest.fixture(scope="module")
def pushed(oxigraph_server, seed_store):
    """The seed graph pushed once into the server's default graph."""
    return push(seed_store, f"{oxigraph_server}/store")


def test_push_then_count_matches(pushed, seed_store):
    assert pushed.triples == len(seed_store) == pushed.server_triples
    assert pushed.batches == -(-len(seed_store) // DEFAULT_BATCH_SIZE)


def test_named_queries_give_the_same_rows_through_the_endpoint(oxigraph_server, seed_store, pushed):
    queries = named_queries()
    runner = CliRunner()
    nonempty = 0
    for name in queries:
        local = runner.invoke(main, ["query", "--named", name, "--store", str(seed_store.path), "--json"])
        remote = runner.invoke(main, ["query", "--named", name, "--endpoint", f"{oxigraph_server}/query", "--json"])
        assert local.exit_code == 0, (name, local.output)
        assert remote.exit_code == 0, (name, remote.output)
        local_rows, remote_rows = _rows(local.output), _rows(remote.output)
        assert remote_rows == local_rows, name
        nonempty += bool(local_rows)
    assert nonempty > 0


def test_push_twice_replaces_rather_than_duplicates(oxigraph_server, small_store):
    graph = f"{EX}twice"
    push(small_store, f"{oxigraph_server}/store", graph=graph, batch_size=3)
    report = push(small_store, f"{oxigraph_server}/store", graph=graph, batch_size=7)
    assert report.server_triples == len(small_store) == 10


def test_append_adds_to_what_is_there(oxigraph_server, small_store, tmp_path):
    graph = f"{EX}append"
    push(small_store, f"{oxigraph_server}/store", graph=graph)
    other = Store(tmp_path / "other")
    with other.transaction() as db:
        db.add(ox.Quad(ox.NamedNode(f"{EX}x"), ox.NamedNode(f"{EX}p"), ox.Literal("new")))
    report = push(other, f"{oxigraph_server}/store", graph=graph, append=True)
    assert (report.triples, report.server_triples) == (1, 11)


def _rows(output: str) -> list[str]:
    # Ties under ORDER BY may come back in another order from another store: compare as multisets.
    answer = json.loads(output)
    if "boolean" in answer:  # ASK
        return [str(answer["boolean"])]
    return sorted(json.dumps(b, sort_keys=True) for b in answer["results"]["bindings"])


def test_blank_nodes_keep_their_identity_across_batches(oxigraph_server, tmp_path):
    store = Store(tmp_path / "store")
    merge, entity = ox.BlankNode(), ox.NamedNode(f"{EX}entity")
    with store.transaction() as db:
        db.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i))) for i in range(5))
        db.add(ox.Quad(entity, ox.NamedNode(f"{EX}hasMerge"), merge))
        db.add(ox.Quad(merge, ox.NamedNode(f"{EX}alias"), ox.Literal("SAE")))
        db.add(ox.Quad(merge, ox.NamedNode(f"{EX}rule"), ox.Literal("acronym")))
    graph = f"{EX}bnodes"
    report = push(store, f"{oxigraph_server}/store", graph=graph, batch_size=1)
    assert (report.triples, report.batches, report.server_triples) == (8, 6, 8)
    ask = urllib.parse.urlencode(
        {
            "query": f"ASK {{ GRAPH <{graph}> {{ <{EX}entity> <{EX}hasMerge> ?m . "
            f"?m <{EX}alias> 'SAE' ; <{EX}rule> 'acronym' }} }}"
        }
    )
    with urllib.request.urlopen(f"{oxigraph_server}/query?{ask}") as answer:
        assert json.load(answer)["boolean"] is True


def test_cli_push_json(oxigraph_server, small_store):
    result = CliRunner().invoke(
        main,
        [
            "push",
            "--store",
            str(small_store.path),
            "--endpoint",
            f"{oxigraph_server}/store",
            "--graph",
            f"{EX}cli",
            "--batch-size",
            "4",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["graph"], report["triples"], report["batches"], report["server_triples"]) == (f"{EX}cli", 10, 3, 10)


# -- failures, against a tiny local HTTP server ----------------------------------------------------


class FlakyGraphStore(BaseHTTPRequestHandler):
    """A Graph Store that answers the first `failures` writes with `status` (0: drop the connection)."""

    failures: list[tuple[int, dict]] = []
    log: list[tuple[str, int]] = []
    triples: set[bytes] = set()
    count_offset = 0

    def do_PUT(self):
        self._write(replace=True)

    def do_POST(self):
        self._write(replace=False)

    def do_GET(self):  # the COUNT query
        body = json.dumps(
            {
                "head": {"vars": ["n"]},
                "results": {
                    "bindings": [{"n": {"type": "literal", "value": str(len(self.triples) + self.count_offset)}}]
                },
            }
        ).encode()
        self._answer(200, body, {"Content-Type": "application/sparql-results+json"})

    def _write(self, replace: bool):
        data = self.rfile.read(int(self.headers["Content-Length"]))
        if self.failures:
            status, headers = self.failures.pop(0)
            self.log.append((self.command, status))
            if status == 0:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            return self._answer(status, b"try later", headers)
        self.log.append((self.command, 204))
        if replace:
            self.triples.clear()
        self.triples.update(line for line in data.splitlines() if line.strip())
        self._answer(204, b"", {})

    def _answer(self, status, body, headers):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky_server():
    handler = type("Handler", (FlakyGraphStore,), {"failures": [], "log": [], "triples": set()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_503_is_retried_with_backoff(flaky_server, small_store):
    handler, base = flaky_server
    handler.failures.append((503, {}))
    sleeps: list[float] = []
    retried: list[str] = []
    report = push(small_store, f"{base}/store", batch_size=4, policy=no_sleep_policy(sleeps), on_retry=retried.append)
    assert handler.log == [("PUT", 503), ("PUT", 204), ("POST", 204), ("POST", 204)]
    assert sleeps == [0.5] and "HTTP 503" in retried[0]
    assert report.server_triples == report.triples == 10


def test_429_waits_as_told_and_a_dropped_connection_is_retried(flaky_server, small_store):
    handler, base = flaky_server
    handler.failures += [(429, {"Retry-After": "2"}), (0, {}), (502, {})]
    sleeps: list[float] = []
    report = push(small_store, f"{base}/store", policy=no_sleep_policy(sleeps))
    assert sleeps == [2.0, 1.0, 2.0]  # Retry-After, then the backoff doubling from 0.5 s
    assert report.server_triples == 10


def test_retries_run_out_with_a_clear_error(flaky_server, small_store):
    handler, base = flaky_server
    handler.failures += [(503, {})] * 4
    with pytest.raises(PushError, match=r"HTTP 503"):
        push(small_store, f"{base}/store", policy=no_sleep_policy([]))
    assert len(handler.log) == 4


def test_client_errors_are_not_retried(flaky_server, small_store):
    handler, base = flaky_server
    handler.failures.append((400, {}))
    with pytest.raises(PushError, match=r"HTTP 400 .*try later"):
        push(small_store, f"{base}/store", policy=no_sleep_policy([]))
    assert handler.log == [("PUT", 400)]


def test_a_short_count_fails_the_check(flaky_server, small_store):
    handler, base = flaky_server
    handler.count_offset = -1
    with pytest.raises(PushError, match="count check failed: sent 10 triples, the server's graph holds 9"):
        push(small_store, f"{base}/store")


def test_unreachable_server_is_one_line_without_retries(small_store):
    sleeps: list[float] = []
    with pytest.raises(PushError, match=r"cannot reach .*connection refused \(is the server running\?\)"):
        push(small_store, f"http://127.0.0.1:{free_port()}/store", policy=no_sleep_policy(sleeps))
    assert sleeps == []


def test_cli_errors_are_one_line(tmp_path, small_store):
    runner = CliRunner()
    missing = runner.invoke(main, ["push", "--store", str(tmp_path / "none"), "--endpoint", "http://127.0.0.1:1/store"])
    assert missing.exit_code == 1 and missing.output.startswith("Error: no graph at")
    bad_url = runner.invoke(main, ["push", "--store", str(small_store.path), "--endpoint", "localhost:7878/store"])
    assert bad_url.exit_code == 1 and "must be an http:// or https:// URL" in bad_url.output
    assert len(bad_url.output.strip().splitlines()) == 1


def test_query_endpoint_is_found_next_to_the_graph_store():
    assert query_endpoint_for("http://h:7878/store") == "http://h:7878/query"
    assert query_endpoint_for("http://h:3030/papers/data") == "http://h:3030/papers/query"
    assert query_endpoint_for("http://h:8890/sparql-graph-crud") == "http://h:8890/sparql"
    with pytest.raises(PushError, match="pass --query-endpoint"):
        query_endpoint_for("http://h/elsewhere")
