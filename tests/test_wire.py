"""What an extraction worker sends the writing process of a prepared paper (`kg.ingest.PreparedPaper`,
`kg.linking.links_to_wire`): what the write reads, in plain values, rebuilt the same."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pyoxigraph as ox
from graph_papers import all_papers, ent, extraction, paper

from paperkg.extract.records import PaperExtraction, ScoredRelation
from paperkg.kg.ingest import PreparedPaper, prepare
from paperkg.kg.linking import links_from_wire, links_to_wire
from paperkg.kg.relations import RelationMention

ABSTRACT = "We train XNet on COCO. XNet beats SAM on COCO."


def related() -> PaperExtraction:
    ex = extraction(paper("title:xnet", "XNet", ABSTRACT), ent("XNet", "Method"), ent("COCO", "Dataset"))
    xnet, coco = ABSTRACT.index("XNet"), ABSTRACT.index("COCO")
    return replace(ex, relations=(ScoredRelation("abstract", (xnet, xnet + 4), (coco, coco + 4), "evaluatedOn", 0.8),))


def sent() -> list[PreparedPaper]:
    return [prepare(ex) for ex in [*all_papers(), related()]]


def test_a_received_paper_is_the_prepared_one_without_its_sentences():
    papers = sent()
    received = pickle.loads(pickle.dumps(papers, pickle.HIGHEST_PROTOCOL))
    for before, after in zip(papers, received, strict=True):
        assert after.links == replace(before.links, paper=replace(before.links.paper, sentences={}))
        assert after.nquads == before.nquads
    # every part of what the write reads was sent
    assert any(p.links.paper.relations for p in papers)
    assert any(p.links.pending for p in papers)
    assert any(p.links.definitions for p in papers) and any(p.links.acronyms for p in papers)


def test_a_prepared_paper_is_sent_as_plain_values():
    assert b"pyoxigraph" not in pickle.dumps(sent(), pickle.HIGHEST_PROTOCOL)


def test_a_received_paper_holds_one_term_for_each_iri():
    received = pickle.loads(pickle.dumps(prepare(related())))
    linked = received.links.paper
    xnet = [lm for lm in linked.mentions if lm.mention.text == "XNet"]
    assert len(xnet) == 3 and xnet[0].entity is xnet[1].entity is xnet[2].entity
    assert linked.relations
    for relation in linked.relations:
        assert any(relation.subject is lm.iri for lm in linked.mentions)
    assert received.links.pending
    for mention in received.links.pending:
        assert any(mention is lm.iri for lm in linked.mentions)


def test_each_iri_is_sent_once():
    for prepared in sent():
        iris = links_to_wire(prepared.links)[-1]
        assert len(iris) == len(set(iris))
        linked = prepared.links.paper
        assert {lm.entity.value for lm in linked.mentions} | {lm.iri.value for lm in linked.mentions} <= set(iris)


def test_links_whose_keys_pending_and_relations_name_other_iris_are_received_the_same():
    # `link_locally` names only its mentions and their entities there; the wire does not rely on it
    links = prepare(related()).links
    other, stray = ox.NamedNode("https://example.org/other"), ox.NamedNode("https://example.org/stray")
    first = links.paper.mentions[0]
    relation = RelationMention(other, "usedFor", first.iri, ("abstract", 0), None, frozenset({"p"}))
    links = replace(
        links,
        paper=replace(links.paper, sentences={}, relations=[*links.paper.relations, relation]),
        keys={**links.keys, stray: "stray", first.entity: "again"},
        pending={other: "X", first.iri: "Y"},
    )
    received = links_from_wire(pickle.loads(pickle.dumps(links_to_wire(links))))
    assert received == links
    assert received.paper.relations[-1].object is received.paper.mentions[0].iri
    assert next(iter(received.pending)) is received.paper.relations[-1].subject
