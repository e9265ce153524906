"""Writing the graph: idempotent rebuilds, incremental adds equal to one build, crash safety."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from graph_papers import (
    all_papers,
    anchored,
    build,
    probe,
    probe_undefined,
    protopnet,
    sa_undefined,
    self_explain,
    sonar,
    sonar_variant,
    transcoders,
    triples,
    tsetlin,
    tsetlin_plain,
    vsae,
)

from paperkg.extract.pipeline import as_extracted
from paperkg.kg.build import build as build_listings
from paperkg.kg.ingest import add_extractions
from paperkg.kg.iris import entity_iri
from paperkg.kg.names import lookup_key
from paperkg.kg.stats import graph_stats
from paperkg.kg.store import Store, StoreError
from paperkg.kg.terms import oa, pkg, rdf

LISTING = Path(__file__).parent / "fixtures" / "graph" / "papers.jsonl"


def count(store, predicate, obj=None) -> int:
    return sum(1 for _ in store.oxigraph.quads_for_pattern(None, predicate, obj))


# -- idempotence -----------------------------------------------------------------------------------


def test_adding_the_same_papers_again_changes_nothing(tmp_path):
    store = build(tmp_path / "g", all_papers())
    before = triples(store, without_builds=False)
    build(store.path, all_papers())
    assert triples(store, without_builds=False) == before
    assert count(store, rdf.type, pkg.Build) == 1  # a build with nothing new writes nothing


def test_a_rebuild_from_scratch_is_the_same_graph(tmp_path):
    first = build(tmp_path / "a", all_papers())
    second = build(tmp_path / "b", all_papers())
    assert triples(first) == triples(second)
    assert len(first) == len(second)


# -- incremental add -------------------------------------------------------------------------------

SPLITS = {
    # the first definition of SAE(s) arrives after papers that use it undefined (0 -> 1), and
    # SA becomes ambiguous after an undefined use was linked to its one long form (1 -> 2)
    "definitions arrive late": lambda: [
        [probe_undefined(), sa_undefined()],
        [protopnet()],
        [vsae(), transcoders(), anchored(), sonar(), sonar_variant(), tsetlin(), tsetlin_plain()],
        [self_explain(), probe()],
    ],
    "one paper per build": lambda: [[ex] for ex in all_papers()],
    "reversed, one paper per build": lambda: [[ex] for ex in reversed(all_papers())],
}


@pytest.mark.parametrize("split", SPLITS)
def test_adding_papers_build_by_build_equals_building_them_at_once(tmp_path, split):
    at_once = build(tmp_path / "once", all_papers())
    batches = SPLITS[split]()
    assert sorted(ex.paper.key for b in batches for ex in b) == sorted(ex.paper.key for ex in all_papers())
    bit_by_bit = build(tmp_path / "bits", *batches)
    assert triples(bit_by_bit) == triples(at_once)
    builds = count(bit_by_bit, rdf.type, pkg.Build)
    assert builds == len(batches)
    # the only difference in size: the extra build nodes (6 triples each: 2 types, 2 times, version,
    # generic names dropped)
    assert len(bit_by_bit) - len(at_once) == 6 * (builds - 1)
    assert graph_stats(bit_by_bit)["by_type"] == graph_stats(at_once)["by_type"]


@pytest.mark.parametrize("split", SPLITS)
def test_a_build_describes_each_entity_by_the_keys_of_its_forms(tmp_path, split, monkeypatch):
    """The keys the workers computed, kept for forms whose key is not their entity's, stand for
    `lookup_key` of every form: new entities, stored ones and relinked acronyms alike."""
    from paperkg.kg import ingest

    described = []

    def checked(key, tallies, acronyms, papers, form_keys=None):
        forms = {text for text, _ in tallies}
        assert form_keys == {text: lookup_key(text) for text in forms}, key
        described.append(any(lookup_key(text) != key for text in forms))
        return summarise(key, tallies, acronyms, papers, form_keys)

    summarise = ingest.summarise
    monkeypatch.setattr(ingest, "summarise", checked)
    build(tmp_path / "g", *SPLITS[split]())
    assert any(described) and not all(described)  # forms keyed as their entity, and others


def test_small_chunks_give_the_same_graph(tmp_path):
    at_once = build(tmp_path / "once", all_papers())
    chunked = build(tmp_path / "chunked", all_papers(), chunk_size=2)
    assert triples(chunked) == triples(at_once)


def test_counts_follow_an_incremental_add(tmp_path):
    papers = [vsae(), transcoders(), probe()]
    store = build(tmp_path / "g", papers[:1], papers[1:])
    e = entity_iri("sparseautoencoder")
    expected = sum(len(x.mentions) for ex in papers for x in ex.entities if lookup_key(x.name) == "sparseautoencoder")
    assert count(store, oa.hasBody, e) == expected
    assert next(store.oxigraph.quads_for_pattern(e, pkg.mentionCount, None)).object.value == str(expected)
    assert next(store.oxigraph.quads_for_pattern(e, pkg.paperCount, None)).object.value == "3"


# -- the build API over a listing ------------------------------------------------------------------


class HandExtractor:
    """Stands in for the model: the hand-made extraction of each paper, matched by title."""

    name = "hand-made"

    def __init__(self):
        self.by_title = {ex.paper.title: ex for ex in all_papers()}
        self.calls = 0

    def extract(self, papers, n_process=1, finish=as_extracted):
        for p in papers:
            self.calls += 1
            yield finish(replace(self.by_title[p.title], paper=p))


def test_building_a_listing_twice_adds_nothing_the_second_time(tmp_path):
    store = Store(tmp_path / "g")
    extractor = HandExtractor()
    first = build_listings(store, [str(LISTING)], extractor=extractor)
    assert first.new_papers == 12 and first.triples_after > 0
    second = build_listings(store, [str(LISTING)], extractor=extractor)
    assert second.new_papers == 0
    assert second.triples_after == first.triples_after
    assert extractor.calls == 12


def test_a_build_leaves_the_readers_caches_of_its_generation(tmp_path, monkeypatch):
    from paperkg.kg import label_index, trend_report

    store = Store(tmp_path / "g")
    build_listings(store, [str(LISTING)], extractor=HandExtractor())
    built = Store(store.path)
    assert label_index.cache_path(built).is_file()

    def no_reading(*args):
        raise AssertionError("the build should have kept the trend rows")

    monkeypatch.setattr(trend_report, "_read_rows", no_reading)
    trend_report.read_trends(built)  # answered from what the build kept


def test_the_caches_a_build_derives_before_its_switch_are_those_a_reader_derives_after(tmp_path, monkeypatch):
    from paperkg.kg import lookup
    from paperkg.kg.build import keep_reader_caches

    monkeypatch.setattr(lookup, "HUB_PAPERS", 2)
    store = Store(tmp_path / "g")
    build_listings(store, [str(LISTING)], extractor=HandExtractor())
    cache = store.path / "cache"
    derived = {f.name: f.read_bytes() for f in cache.iterdir()}
    assert {name.split("-gen-")[0] for name in derived} == {"triples", "labels", "trends", "lookup-hubs"}
    for f in cache.iterdir():
        f.unlink()
    keep_reader_caches(Store(store.path))
    assert {f.name: f.read_bytes() for f in cache.iterdir()} == derived


def test_the_hubs_a_build_keeps_are_renewed_by_an_incremental_build_as_one_build_keeps_them(tmp_path, monkeypatch):
    from paperkg.kg import lookup

    monkeypatch.setattr(lookup, "HUB_PAPERS", 2)
    lines = LISTING.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "first.jsonl").write_text("".join(lines[:6]), encoding="utf-8")
    (tmp_path / "second.jsonl").write_text("".join(lines[6:]), encoding="utf-8")
    added = Store(tmp_path / "added")
    build_listings(added, [str(tmp_path / "first.jsonl")], extractor=HandExtractor())
    first = Store(added.path).kept_json("lookup-hubs")
    build_listings(added, [str(tmp_path / "second.jsonl")], extractor=HandExtractor())
    once = Store(tmp_path / "once")
    build_listings(once, [str(LISTING)], extractor=HandExtractor())
    kept = Store(added.path).kept_json("lookup-hubs")
    assert first["entities"] and kept != first
    assert kept == Store(once.path).kept_json("lookup-hubs")


# -- crash safety ----------------------------------------------------------------------------------


def test_an_exception_in_the_middle_of_a_write_leaves_the_previous_graph(tmp_path):
    store = build(tmp_path / "g", [vsae()])
    before = triples(store, without_builds=False)

    def dying():
        yield transcoders()
        yield probe()  # both written to the new generation, chunk by chunk, before the failure
        raise RuntimeError("extractor died")

    with pytest.raises(RuntimeError, match="extractor died"):
        with store.transaction() as db:
            add_extractions(db, dying(), chunk_size=1)
    reopened = Store(store.path)
    assert triples(reopened, without_builds=False) == before
    build(store.path, [transcoders(), probe()])  # and the store takes the next write
    assert triples(Store(store.path)) == triples(build(tmp_path / "ref", [vsae(), transcoders(), probe()]))


def test_a_store_without_mention_tallies_is_refused_and_left_as_it_was(tmp_path):
    store = build(tmp_path / "g", [vsae()])
    with store.transaction() as db:  # the shape an earlier paperkg wrote: entities without tallies
        for q in list(db.quads_for_pattern(None, pkg.surfaceForm, None)):
            db.remove(q)
    before = triples(Store(store.path), without_builds=False)
    with pytest.raises(StoreError, match="earlier paperkg"):
        build(store.path, [transcoders()])
    assert triples(Store(store.path), without_builds=False) == before


_KILLED_WRITER = """
import os, signal, sys
sys.path.insert(0, sys.argv[2])
from graph_papers import probe, transcoders
from paperkg.kg.ingest import add_extractions
from paperkg.kg.names import lookup_key
from paperkg.kg.store import Store

def dying():
    yield transcoders()
    yield probe()
    os.kill(os.getpid(), signal.SIGKILL)

with Store(sys.argv[1]).transaction() as db:
    add_extractions(db, dying(), chunk_size=1)
"""


def test_a_writer_killed_mid_write_leaves_the_previous_graph_readable(tmp_path):
    store = build(tmp_path / "g", [vsae()])
    before = triples(store, without_builds=False)
    store.close()
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(store.path), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert done.returncode == -9, done.stderr
    assert len(list(store.path.glob("gen-*"))) == 2  # the abandoned generation is still there
    reopened = Store(store.path)
    assert triples(reopened, without_builds=False) == before
    reopened.close()  # an open reader would keep its generation alive past the next write
    build(store.path, [transcoders()])
    assert len(list(store.path.glob("gen-*"))) == 1  # the next write cleaned it up


def test_a_new_definition_moves_the_undefined_uses_of_an_acronym(tmp_path, sa_settled):
    store = Store(tmp_path / "g")

    def add(*papers):
        with store.transaction() as db:
            return add_extractions(db, papers).relinked

    def body_of_sa():
        (m,) = [
            q.subject
            for q in store.oxigraph.quads_for_pattern(None, pkg.acronymKey, None)
            if "sa-without-definition" in q.subject.value
        ]
        return next(store.oxigraph.quads_for_pattern(m, oa.hasBody, None)).object

    assert add(sa_undefined()) == 0
    assert body_of_sa() == entity_iri("sa")  # nobody defines SA: an entity of its own
    assert add(protopnet()) == 1
    assert body_of_sa() == entity_iri("scoreaggregation")  # one definition: linked to it
    assert not any(store.oxigraph.quads_for_pattern(entity_iri("sa"), None, None))
    assert add(self_explain()) == 1
    assert body_of_sa() == entity_iri("sa")  # two definitions: on its own again
    # each entity's paper count followed the moves: it is the number of papers mentioning it
    counted = {
        r["e"]: int(r["n"].value)
        for r in store.oxigraph.query(
            f"SELECT ?e (COUNT(?p) AS ?n) WHERE {{ ?p <{pkg.mentions.value}> ?e }} GROUP BY ?e"
        )
    }
    stored = {q.subject: int(q.object.value) for q in store.oxigraph.quads_for_pattern(None, pkg.paperCount, None)}
    assert stored == counted and stored[entity_iri("sa")] == 1
    # and its surface forms tally exactly the mentions linked to it
    mentions = {
        (r["e"], r["text"].value, r["type"]): int(r["n"].value)
        for r in store.oxigraph.query(
            f"SELECT ?e ?text ?type (COUNT(?m) AS ?n) WHERE {{ ?m <{oa.hasBody.value}> ?e ; <{oa.exact.value}> ?text ; "
            f"<{pkg.entityType.value}> ?type }} GROUP BY ?e ?text ?type"
        )
    }
    tallied = {
        (r["e"], r["text"].value, r["type"]): int(r["n"].value)
        for r in store.oxigraph.query(
            f"SELECT ?e ?text ?type ?n WHERE {{ ?e <{pkg.surfaceForm.value}> ?f . ?f <{oa.exact.value}> ?text ; "
            f"<{pkg.entityType.value}> ?type ; <{pkg.mentionCount.value}> ?n }}"
        )
    }
    assert tallied == mentions and len(tallied) > 3


def test_a_known_paper_in_another_listing_gains_its_location_only(tmp_path):
    store = Store(tmp_path / "g")
    build_listings(store, [str(LISTING)], extractor=HandExtractor())
    before = len(store)
    other = tmp_path / "other.jsonl"
    other.write_text(LISTING.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    extractor = HandExtractor()
    report = build_listings(store, [str(other)], extractor=extractor)
    assert report.new_papers == 0 and extractor.calls == 0
    assert report.triples_after == before + 1
    locations = {
        q.object.value
        for q in store.oxigraph.quads_for_pattern(None, pkg.sourceLocation, None)
        if "2406.11944" in q.subject.value
    }
    assert locations == {f"{LISTING}:2", f"{other}:1"}
    assert build_listings(store, [str(other)], extractor=extractor).triples_after == before + 1
