"""`kg query --endpoint` against a real Oxigraph server on 127.0.0.1, loaded from the store's export."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from query_support import FIXTURE_TRIPLES, HOSTILE_TITLE, NAMED_BINDINGS, PAPER, bindings_of, kg

from paperkg.kg.queries import named_queries

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
pytestmark = pytest.mark.skipif(
    not Path(OXIGRAPH).is_file(), reason="the `oxigraph` server (PyPI package `oxigraph`, test extra) is not installed"
)
HOSTILE = "SELECT ?paper ?title WHERE { ?paper dcterms:title ?title } ORDER BY ?title"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(process: subprocess.Popen, url: str) -> bool:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def endpoint(shared_store, tmp_path_factory):
    """The query URL of an Oxigraph server holding the fixture graph, bulk-loaded from N-Triples."""
    work = tmp_path_factory.mktemp("server")
    export = work / "graph.nt"
    shared_store.oxigraph.dump(str(export), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(work / "db"), "--file", str(export)], check=True, capture_output=True
    )
    for _ in range(5):  # another process may take the free port before the server binds it
        address = f"127.0.0.1:{free_port()}"
        url = f"http://{address}/query"
        process = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(work / "db"), "--bind", address],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if wait_until_serving(process, url):
            break
        process.kill()
        process.wait()
    else:
        pytest.fail("the Oxigraph server did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)


def remote(url, *args):
    return kg("query", "--endpoint", url, *args)


def local(store, *args):
    return kg("query", "--store", str(store.path), *args)


def canonical(document: dict):
    """A results document as a comparable value (rows as a multiset: ties may order either way)."""
    if "boolean" in document:
        return document
    rows = sorted(json.dumps(row, sort_keys=True) for row in document["results"]["bindings"])
    return document["head"], rows


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_answer_the_same_through_the_endpoint(endpoint, shared_store, name):
    binds = [arg for bind in NAMED_BINDINGS.get(name, []) for arg in ("--bind", bind)]
    for args in ([], binds):
        there = remote(endpoint, "--named", name, *args, "--json")
        here = local(shared_store, "--named", name, *args, "--json")
        assert there.exit_code == 0, there.stderr
        assert canonical(json.loads(there.stdout)) == canonical(json.loads(here.stdout))


def test_the_triple_count_matches(endpoint):
    result = remote(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert result.stdout == f"?n\n{FIXTURE_TRIPLES}\n"


def test_hostile_values_reach_the_server_as_terms(endpoint):
    exact = remote(endpoint, HOSTILE, "--bind", f"title={HOSTILE_TITLE}", "--json")
    rows = bindings_of(exact.stdout)
    assert [r["paper"]["value"] for r in rows] == [f"{PAPER}arxiv-2311.00003-aaaa0003"]
    assert [r["title"]["value"] for r in rows] == [HOSTILE_TITLE]
    for hostile in ('x" } DROP ALL ; SELECT * { "', "a\n} }\n# b", "\\", '"""'):
        result = remote(endpoint, HOSTILE, "--bind", f"title={hostile}", "--json")
        assert result.exit_code == 0, result.stderr
        assert bindings_of(result.stdout) == []
    assert remote(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").stdout == f"?n\n{FIXTURE_TRIPLES}\n"


def test_graph_results_and_limit(endpoint, shared_store):
    describe = "DESCRIBE entity:mse"
    there = remote(endpoint, describe, "--format", "ntriples").stdout
    assert sorted(there.splitlines()) == sorted(
        local(shared_store, describe, "--format", "ntriples").stdout.splitlines()
    )
    assert "@prefix pkg:" in remote(endpoint, describe).stdout
    assert len(remote(endpoint, "SELECT * WHERE { ?s ?p ?o }", "--limit", "3").stdout.splitlines()) == 4


def test_syntax_errors_are_reported_before_sending(endpoint):
    result = remote(endpoint, "SELECT * WHERE { ?s ?p ?o ")
    assert result.exit_code == 2 and result.stderr.startswith("Error: syntax error at line 1, column ")


def test_updates_are_refused(endpoint):
    assert "refused" in remote(endpoint, "DROP ALL").stderr
    assert remote(endpoint, "DROP ALL", "--allow-update").exit_code == 2
    assert remote(endpoint, "ASK { ?s ?p ?o }").stdout == "true\n"


def test_server_errors_are_one_line(endpoint):
    result = remote(endpoint.replace("/query", "/nowhere"), "ASK {}")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "answered HTTP 404" in result.stderr


def test_an_unreachable_endpoint_is_one_line():
    result = remote(f"http://127.0.0.1:{free_port()}/query", "ASK {}")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot reach SPARQL endpoint http://127.0.0.1:")
    assert result.stderr.count("\n") == 1


def test_a_silent_endpoint_times_out():
    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        started = time.monotonic()
        result = remote(url, "ASK {}", "--timeout", "0.5")
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert result.stderr == f"Error: SPARQL endpoint {url} did not answer within 0.5 s\n"


def test_store_and_endpoint_exclude_each_other(shared_store, endpoint):
    result = kg("query", "--store", str(shared_store.path), "--endpoint", endpoint, "ASK {}")
    assert result.exit_code == 2
