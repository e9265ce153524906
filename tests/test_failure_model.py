"""Issue 17's reproductions, fixed: one bad record never costs the build, queries can be stopped and
stay off the network, hostile text never reaches terminals or other tools raw, and each failure is
one clear line with the right exit code while everything else lands. (Readers racing a writer and
the store's own refusals are in test_store_safety.py; the readers' fuzz test in test_readers_fuzz.py.)"""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from graph_papers import build, ent, extraction, paper

from paperkg.extract.pipeline import as_extracted
from paperkg.extract.readers import read_papers
from paperkg.extract.readers.limits import MAX_ABSTRACT_CHARS
from paperkg.kg.cli import main
from paperkg.kg.store import Store
from paperkg.kg.terminal import printable
from paperkg.kg.terms import PREFIXES
from paperkg.schema.errors import InputError

GOOD = [
    {"title": "Sparse Autoencoders Find Interpretable Features", "abstract": "We train sparse autoencoders on GPT-2."},
    {"title": "Probing Transformers", "abstract": "We probe BERT with linear probes on the Pile."},
]


def kg(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def stats(store: Path) -> dict:
    return json.loads(kg("stats", "--store", store, "--json").stdout)


# -- 1. one bad record -------------------------------------------------------------------------


@pytest.fixture
def hostile_folder(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.jsonl").write_text("".join(json.dumps(r) + "\n" for r in GOOD))
    (folder / "nested.json").write_text("[" * 5000 + "]" * 5000)
    (folder / "surrogate.json").write_text('[{"title": "A lone \\ud800 surrogate", "abstract": "Text \\udfff here."}]')
    long = {"title": "A very long abstract", "abstract": "Transformers learn features. " * 40_000}
    (folder / "long.jsonl").write_text(json.dumps(long) + "\n")
    return folder


def test_a_folder_with_hostile_records_builds_everything_else(hostile_folder, tmp_path):
    store = tmp_path / "store"
    result = kg("build", hostile_folder, "--store", store, env={"PAPERKG_MAX_ABSTRACT_CHARS": "3000"})
    assert result.exit_code == 0, result.output
    warnings = result.stderr.splitlines()[:-1]  # the last line is the summary
    assert warnings == [
        f"warning: {hostile_folder / 'long.jsonl'}:1: abstract of 1,159,999 characters cut to the first 2,999 "
        "(the limit is PAPERKG_MAX_ABSTRACT_CHARS=3,000)",
        f"warning: {hostile_folder / 'nested.json'}:1: not valid JSON (nested too deeply)",
    ]
    assert "4 papers read (4 records, 1 skipped)" in result.stderr
    assert stats(store)["papers"] == 4
    titles = kg("query", "SELECT ?t WHERE { ?p a pkg:Paper ; dcterms:title ?t }", "--store", store, "--format", "csv")
    assert "A lone \ufffd surrogate" in titles.stdout


def test_the_summary_of_a_one_paper_build_speaks_of_one_paper(tmp_path):
    listing = tmp_path / "one.jsonl"
    listing.write_text(json.dumps(GOOD[0]) + "\n")
    result = kg("build", listing, "--store", tmp_path / "store")
    assert result.exit_code == 0, result.output
    assert "1 paper read (1 record, 0 skipped), 1 new;" in result.stderr


def test_strict_stops_at_the_bad_record_but_not_at_a_cut_abstract(hostile_folder, tmp_path):
    store = tmp_path / "store"
    (hostile_folder / "nested.json").unlink()
    (hostile_folder / "surrogate.json").unlink()
    env = {"PAPERKG_MAX_ABSTRACT_CHARS": "3000"}
    result = kg("build", hostile_folder, "--store", store, "--strict", env=env)
    assert result.exit_code == 0, result.output
    (hostile_folder / "nested.json").write_text("[" * 5000 + "]" * 5000)
    result = kg("build", hostile_folder, "--store", tmp_path / "other", "--strict", env=env)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {hostile_folder / 'nested.json'}:1: not valid JSON (nested too deeply) "
        "(--strict: stopped at the first bad record; the store is unchanged)"
    )
    assert not (tmp_path / "other" / "CURRENT").exists()


def test_the_default_abstract_limit_cuts_at_a_word_with_a_warning(tmp_path):
    listing = tmp_path / "long.jsonl"
    listing.write_text(json.dumps({"title": "Long", "abstract": "word " * 300_000}) + "\n")
    result = read_papers([listing])
    (p,) = result.papers
    assert MAX_ABSTRACT_CHARS - 5 <= len(p.abstract) <= MAX_ABSTRACT_CHARS and p.abstract.endswith("word")
    (warning,) = result.problems
    assert not warning.skipped and "cut to the first" in warning.message


def test_gzip_inputs_read_like_the_plain_files(tmp_path):
    import gzip

    plain = tmp_path / "papers.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in GOOD))
    for name, body in (("papers.jsonl.gz", plain.read_bytes()), ("papers.csv.gz", b"title,abstract\nT,A b c\n")):
        (tmp_path / name).write_bytes(gzip.compress(body))
    assert [p.title for p in read_papers([tmp_path / "papers.jsonl.gz"]).papers] == [r["title"] for r in GOOD]
    assert [p.title for p in read_papers([tmp_path / "papers.csv.gz"]).papers] == ["T"]
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(gzip.compress(plain.read_bytes() * 50)[:100])
    (problem,) = read_papers([truncated]).problems
    assert str(problem) == f"{truncated}: not a readable gzip file (the archive ends early)"


# -- 4. queries: a time limit, Ctrl-C, no federation -------------------------------------------

_SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def wide_store(tmp_path_factory) -> Store:
    """300 triples: the four-way cross join of _SLOW is 8e9 rows, minutes of work."""
    store = Store(tmp_path_factory.mktemp("wide") / "store")
    with store.transaction() as db:
        p = ox.NamedNode("http://example.org/p")
        db.extend([ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(str(i))) for i in range(300)])
    return store


_AS_IN_A_TERMINAL = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "


def kg_process(*args) -> subprocess.Popen:
    return subprocess.Popen(
        # a shell that starts a job in the background sets it to ignore Ctrl-C, and Python then keeps
        # ignoring it: the child takes back the handler an interactive `kg` has
        [sys.executable, "-c", _AS_IN_A_TERMINAL + "from paperkg.kg.cli import main; main()", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_runaway_query_stops_at_its_time_limit(wide_store):
    child = kg_process("query", _SLOW, "--store", wide_store.path, "--timeout", "1")
    out, err = child.communicate(timeout=120)
    assert child.returncode == 1
    assert out == ""
    assert err == "Error: the query was stopped after 1 s (give more time with --timeout SECONDS, 0 for no limit)\n"


def test_ctrl_c_stops_a_running_query(wide_store):
    child = kg_process("query", _SLOW, "--store", wide_store.path)
    time.sleep(3)  # let it get into the query: the assertion is on the outcome, not the time
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 130
    assert err == "Error: interrupted; the query was stopped\n"


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server name)
        _Recorder.requests.append(self.path)
        body = b'{"head": {"vars": ["o"]}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


def test_service_is_refused_unless_allowed(wide_store):
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Recorder.requests.clear()
    text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{server.server_port}/sparql> {{ ?s ?p ?o }} }}"
    try:
        refused = kg("query", text, "--store", wide_store.path)
        assert refused.exit_code == 1
        assert refused.stderr.startswith("Error: refused: the query uses SERVICE") and refused.stderr.count("\n") == 1
        assert _Recorder.requests == []
        allowed = kg("query", text, "--store", wide_store.path, "--allow-service", "--format", "csv")
        assert allowed.exit_code == 0, allowed.output
        assert len(_Recorder.requests) == 1  # the check above was not vacuous
    finally:
        server.shutdown()


# -- 5. hostile bytes --------------------------------------------------------------------------

ESCAPES = "\x1b[2J\x1b]8;;http://evil.example/\x07"
HOSTILE_TITLE = "=cmd|' /C calc'!A0 with a NUL\x00 and " + ESCAPES + "escapes"


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Store:
    p = paper(
        "title:hostile",
        HOSTILE_TITLE,
        "We present EvilNet" + ESCAPES + " and train EvilNet" + ESCAPES + " on data. EvilNet" + ESCAPES + " wins.",
    )
    return build(tmp_path_factory.mktemp("hostile") / "store", [extraction(p, ent("EvilNet" + ESCAPES, "Model"))])


def test_lookup_and_query_tables_show_control_characters_escaped(hostile_store):
    looked = kg("lookup", "EvilNet[2J]8;;http://evil.example/", "--store", hostile_store.path)
    assert looked.exit_code == 0, looked.output
    table = kg("query", "SELECT ?t WHERE { ?p dcterms:title ?t }", "--store", hostile_store.path, "--format", "table")
    assert table.exit_code == 0, table.output
    for output in (looked.stdout, table.stdout):
        assert "\x1b" not in output and "\x07" not in output and "\x00" not in output
    assert "\\x1b[2J" in looked.stdout and "\\x1b[2J" in table.stdout
    assert printable("a\x1bb\x9bc\u202ed\ne") == "a\\x1bb\\x9bc\\u202ed\\x0ae"


def test_csv_export_defuses_formulas_and_xml_exports_stay_well_formed(hostile_store, tmp_path):
    result = kg("export", "--format", "csv", "--papers", "-o", tmp_path / "g", "--store", hostile_store.path)
    assert result.exit_code == 0, result.output
    with open(tmp_path / "g.nodes.csv", encoding="utf-8", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert any(cell.startswith("'=cmd|") for cell in cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"g.{fmt}"
        assert kg("export", "--format", fmt, "--papers", "-o", out, "--store", hostile_store.path).exit_code == 0
        graph = read(str(out))
        labels = [str(d.get("label", "")) for _, d in graph.nodes(data=True)]
        assert any(label.startswith("=cmd|' /C calc'!A0 with a NUL and ") for label in labels)


# -- 6 and 7. one line for what goes wrong on disk; small surprises ----------------------------


def test_a_full_disk_during_kg_build_is_one_line_and_the_old_graph_stays(tmp_path, monkeypatch):
    import errno

    from paperkg.kg import store as store_module

    listing = tmp_path / "p.jsonl"
    listing.write_text(json.dumps(GOOD[0]) + "\n")
    store = tmp_path / "store"
    assert kg("build", listing, "--store", store).exit_code == 0
    before = stats(store)
    listing.write_text(json.dumps(GOOD[1]) + "\n")

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module._Writer, "flush", full, raising=False)
    result = kg("build", listing, "--store", store)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {store}: cannot write the store (No space left on device); the graph is unchanged\n"
    )
    monkeypatch.undo()
    assert stats(store) == before


def test_kg_extract_to_an_unwritable_path_is_one_line(tmp_path):
    listing = tmp_path / "p.jsonl"
    listing.write_text(json.dumps(GOOD[0]) + "\n")
    target = tmp_path / "missing" / "out.jsonl"
    result = kg("extract", listing, "-o", target)
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {target}: No such file or directory; nothing was written\n"
    assert not target.parent.exists()


def test_export_to_stdout_and_saying_what_it_replaced(hostile_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = kg("export", "--format", "ntriples", "-o", "-", "--store", hostile_store.path)
    assert result.exit_code == 0 and not (tmp_path / "-").exists()
    assert len(result.stdout_bytes.splitlines()) == len(hostile_store)
    target = tmp_path / "g.ttl"
    first = kg("export", "--format", "turtle", "-o", target, "--store", hostile_store.path)
    again = kg("export", "--format", "turtle", "-o", target, "--store", hostile_store.path)
    assert first.stderr == f"wrote {target}\n"
    assert again.stderr == f"wrote {target} (replaced the file that was there)\n"


def test_viz_into_a_missing_directory_is_refused_not_created(hostile_store, tmp_path):
    target = tmp_path / "nonexistent" / "x.html"
    result = kg("viz", "-o", target, "--store", hostile_store.path)
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {target}: {target.parent} is not a directory\n"
    assert not target.parent.exists()


@pytest.mark.parametrize("error", [ValueError("a bug"), InputError("bad \x1b[2J value")])
def test_only_paperkg_errors_become_one_line_others_keep_their_traceback(hostile_store, monkeypatch, error):
    from paperkg.kg import stats as stats_module

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(stats_module, "graph_stats", fail)
    result = CliRunner().invoke(main, ["stats", "--store", str(hostile_store.path)])
    if isinstance(error, InputError):
        assert result.exit_code == 1 and result.stderr == "Error: bad \\x1b[2J value\n"
    else:
        assert result.exception is error  # not translated: the traceback is kept


def test_a_user_failure_in_any_command_is_a_paperkg_error_shown_once(hostile_store, tmp_path):
    """Commands raise PaperkgError subclasses, never click's own; kg.cli turns each into one
    escaped ``Error:`` line and its exit code."""
    from paperkg.schema.errors import NothingFound

    lookup = CliRunner().invoke(main, ["lookup", "zz\x1b[2Jqq", "--store", str(hostile_store.path)])
    assert lookup.exit_code == 1
    assert lookup.stderr == "Error: nothing matches 'zz\\x1b[2Jqq', not even approximately\n"
    raw = CliRunner().invoke(main, ["lookup", "zzqq", "--store", str(hostile_store.path)], standalone_mode=False)
    assert isinstance(raw.exception.__cause__, NothingFound)  # kg.cli's mapping, not a click error
    empty = tmp_path / "empty.jsonl"
    empty.write_text("not json\n")
    built = CliRunner().invoke(main, ["build", str(empty), "--store", str(tmp_path / "store"), "-q"])
    assert built.exit_code == 1
    assert built.stderr.endswith("Error: no paper could be read from the input; nothing was added\n")
    raw = CliRunner().invoke(main, ["build", str(empty), "--store", str(tmp_path / "s"), "-q"], standalone_mode=False)
    assert isinstance(raw.exception.__cause__, InputError)


def test_validate_says_a_graph_does_not_conform_by_its_exit_code_only(hostile_store):
    broken = hostile_store.path.parent / "broken"
    with Store(broken).transaction() as db:
        a_paper = ox.NamedNode("https://w3id.org/paperkg/id/paper/x")
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        db.add(ox.Quad(a_paper, rdf_type, ox.NamedNode("https://w3id.org/paperkg/ns#Paper")))  # nothing else
        del db
    result = CliRunner().invoke(main, ["validate", "--store", str(broken)])
    assert result.exit_code == 2
    assert result.stdout.startswith("invalid:") and "Error" not in result.stderr


def test_validate_reports_progress_slice_by_slice(hostile_store):
    from paperkg.kg.validate import validate_store

    seen = []
    validate_store(hostile_store, slice_triples=10, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) > 2 and seen[-1][0] == seen[-1][1] == len(hostile_store)


class _PoisonedExtractor:
    """Extracts nothing from each paper, and fails on the one whose title says 'poison'."""

    name = "poisoned"

    def extract(self, papers, n_process=1, finish=as_extracted):
        from paperkg.extract.records import PaperExtraction

        for p in papers:
            if "poison" in p.title:
                raise ValueError("[E088] Text of length 1000001 exceeds maximum")
            yield finish(PaperExtraction(p, (), (), (), "poisoned 1"))


def test_a_paper_that_fails_extraction_is_skipped_and_the_rest_lands(tmp_path):
    from paperkg.kg.build import StrictModeError
    from paperkg.kg.build import build as run_build

    listing = tmp_path / "p.jsonl"
    records = [GOOD[0], {"title": "A poison paper", "abstract": "x"}, GOOD[1]]
    listing.write_text("".join(json.dumps(r) + "\n" for r in records))
    seen = []
    run_build(Store(tmp_path / "s"), [str(listing)], extractor=_PoisonedExtractor(), on_problem=seen.append)
    assert [str(p) for p in seen] == [
        f"{listing}:2: cannot extract entities (ValueError: [E088] Text of length 1000001 exceeds maximum)"
    ]
    assert len(list(Store(tmp_path / "s").query("SELECT ?p WHERE { ?p a pkg:Paper }", prefixes=PREFIXES))) == 2
    with pytest.raises(StrictModeError):
        run_build(Store(tmp_path / "t"), [str(listing)], extractor=_PoisonedExtractor(), strict=True)
    assert not (tmp_path / "t" / "CURRENT").exists()


def test_with_several_workers_a_paper_that_fails_extraction_is_skipped_too(tmp_path):
    from paperkg.kg.build import build as run_build

    listing = tmp_path / "p.jsonl"
    records = [GOOD[0], {"title": "A poison paper", "abstract": "x"}, GOOD[1]]
    listing.write_text("".join(json.dumps(r) + "\n" for r in records))
    seen = []
    run_build(Store(tmp_path / "s"), [str(listing)], extractor=_PoisonedExtractor(), workers=2, on_problem=seen.append)
    assert [str(p) for p in seen] == [
        f"{listing}:2: cannot extract entities (ValueError: [E088] Text of length 1000001 exceeds maximum)"
    ]
    assert len(list(Store(tmp_path / "s").query("SELECT ?p WHERE { ?p a pkg:Paper }", prefixes=PREFIXES))) == 2
