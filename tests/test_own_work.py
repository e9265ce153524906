""" "Our method" in a sentence is the method the paper proposes (extract.own_work, kg.relations)."""

from __future__ import annotations

from dataclasses import replace

from graph_papers import build, ent, extraction, paper

from paperkg.extract.own_work import with_own_work
from paperkg.extract.records import PaperExtraction, ScoredRelation
from paperkg.kg.iris import entity_iri, statement_iri
from paperkg.kg.linking import link_locally
from paperkg.kg.names import lookup_key
from paperkg.kg.terms import pkg, prov, rdf

ABSTRACT = "Our method outperforms SAM by a wide margin. We test the proposed framework on COCO."


def xnet(title: str = "XNet: Fast Segmentation") -> PaperExtraction:
    p = paper("title:" + title.lower(), title, ABSTRACT)
    ex = extraction(p, ent("XNet", "Method"), ent("SAM", "Model"), ent("COCO", "Dataset"))
    own, coco = ABSTRACT.index("the proposed framework"), ABSTRACT.index("COCO")
    # what the scorer found for the second sentence's reference to the paper's own work
    found = ScoredRelation("abstract", (own, own + len("the proposed framework")), (coco, coco + 4), "evaluatedOn", 0.8)
    return replace(ex, relations=(found,))


def statement(store, subject: str, relation: str, obj: str):
    node = statement_iri(entity_iri(lookup_key(subject)), getattr(pkg, relation), entity_iri(lookup_key(obj)))
    return node if any(store.oxigraph.quads_for_pattern(node, rdf.type, rdf.Statement)) else None


def test_references_to_the_papers_own_work_are_found_where_no_mention_is():
    text = "Our approach beats SAM. The proposed framework (XNet) is fast."
    sam, xnet_at = text.index("SAM"), text.index("XNet")
    found = with_own_work(text, [(sam, sam + 3, "Model"), (xnet_at, xnet_at + 4, "Method")])
    assert [text[s:e] for s, e, _ in found] == ["Our approach", "SAM", "The proposed framework", "XNet"]
    assert with_own_work(text, [(0, 12, "Method")])[0] == (0, 12, "Method")  # a mention already there
    text = "Our network beats SAM; our novel scheme is fast, though our encoder is small."
    found = with_own_work(text, [])
    assert [text[s:e] for s, e, _ in found] == ["Our network", "our novel scheme"]


def test_our_method_attaches_to_the_entity_the_paper_proposes(tmp_path):
    store = build(tmp_path / "g", [xnet()])
    # the patterns' "outperforms" (SAM is the corpus's acronym of segment anything model)
    compared = statement(store, "XNet", "comparedWith", "segment anything model")
    evaluated = statement(store, "XNet", "evaluatedOn", "COCO")  # the scorer's
    assert compared is not None and evaluated is not None
    sentences = [q.object for q in store.oxigraph.quads_for_pattern(evaluated, prov.wasDerivedFrom, None)]
    assert len(sentences) == 1 and sentences[0].value.endswith("/abstract/s1")


def test_our_method_is_nothing_when_the_paper_proposes_nothing(tmp_path):
    store = build(tmp_path / "g", [xnet(title="A Study of Segmentation")])
    assert statement(store, "XNet", "evaluatedOn", "COCO") is None
    assert not any(store.oxigraph.quads_for_pattern(None, rdf.type, rdf.Statement))


def test_the_roles_of_a_sentence_about_the_papers_work_relate_its_proposal(tmp_path):
    """ "We evaluate on COCO" evaluates the proposal on COCO; a sentence naming another model, a
    sentence about other work and the part of a title before its "for" relate nothing to it."""
    title = "XNet: Mask Pooling for Image Segmentation"
    abstract = (
        "Current methods ignore Cityscapes, resulting in low accuracy. "
        "We evaluate XNet on COCO and report BoundaryScore. "
        "We also evaluate SAM on ADE20K."
    )
    p = paper("title:xnet", title, abstract)
    ex = extraction(
        p,
        ent("XNet", "Method"),
        ent("SAM", "Model"),
        ent("Mask Pooling", "Task"),
        ent("Image Segmentation", "Task"),
        *(ent(name, "Dataset") for name in ("COCO", "ADE20K", "Cityscapes")),
        ent("BoundaryScore", "Metric"),
        ent("accuracy", "Metric"),
    )
    store = build(tmp_path / "g", [ex])
    assert statement(store, "XNet", "evaluatedOn", "COCO") is not None
    assert statement(store, "XNet", "evaluatedWith", "BoundaryScore") is not None
    assert statement(store, "XNet", "usedFor", "Image Segmentation") is not None
    assert statement(store, "XNet", "evaluatedOn", "ADE20K") is None  # SAM's evaluation
    assert statement(store, "XNet", "evaluatedOn", "Cityscapes") is None  # not the paper's work
    assert statement(store, "XNet", "evaluatedWith", "accuracy") is None
    assert statement(store, "XNet", "usedFor", "Mask Pooling") is None  # what XNet is, not what it is for


def related(ex: PaperExtraction, *found: tuple[str, str, str]) -> set[tuple[str, str, str]]:
    """(subject, relation, object) as the linked mentions' text, of `ex` with the relation scorer
    having found each of `found` (the first occurrence of each argument in the abstract)."""
    text = ex.paper.abstract
    scored = []
    for subject, relation, obj in found:
        s, o = text.index(subject), text.index(obj)
        scored.append(ScoredRelation("abstract", (s, s + len(subject)), (o, o + len(obj)), relation, 0.8))
    links = link_locally(replace(ex, relations=tuple(scored)))
    name = {lm.iri: lm.mention.text for lm in links.paper.mentions}
    return {(name[r.subject], r.relation, name[r.object]) for r in links.paper.relations}


def test_a_generic_phrase_in_apposition_to_a_name_is_that_name():
    abstract = (
        "We present DraftNet for speed. DraftNet, a training-free framework, speeds up video generation. "
        "Hence Knowledge Distillation is a natural approach that helps model compression. "
        "We solve it with SPECTRAL, our iterative method with closed-form updates. "
        "Agents for Video Question Answering, a novel framework that uses depth maps, are slow."
    )
    ex = extraction(
        paper("title:d", "DraftNet", abstract),
        ent("DraftNet", "Method"),
        ent("training-free framework", "Method"),
        ent("video generation", "Task"),
        ent("Knowledge Distillation", "Method"),
        ent("natural approach", "Method"),
        ent("model compression", "Task"),
        ent("SPECTRAL", "Method"),
        ent("iterative method", "Method"),
        ent("closed-form updates", "Concept"),
        ent("Video Question Answering", "Task"),
        ent("novel framework", "Method"),
        ent("depth maps", "Concept"),
    )
    # the scorer's relations of the phrases, and what each is in the graph
    apposed = {
        ("training-free framework", "usedFor", "video generation"): ("DraftNet", "usedFor", "video generation"),
        ("natural approach", "usedFor", "model compression"): (
            "Knowledge Distillation",
            "usedFor",
            "model compression",
        ),
        ("closed-form updates", "featureOf", "iterative method"): ("closed-form updates", "featureOf", "SPECTRAL"),
        ("depth maps", "usedFor", "novel framework"): None,
    }
    found = related(ex, *apposed)
    assert {relation for relation in apposed.values() if relation} <= found
    # a task is not what an appositive after it describes: the agents are
    assert not any("Video Question Answering" in (s, o) for s, _, o in found)
    # the phrases themselves stay no entity: linking left them out
    assert not any(o.endswith(("framework", "approach", "method")) for _, _, o in found)
