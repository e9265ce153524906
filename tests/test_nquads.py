"""The end of a build writes descriptions, support and time data as N-Quads text (`kg.nquads`):
what Oxigraph reads back must be the terms the text was written from, and replacing a stored
summary must leave exactly the new one."""

from collections import Counter

import pyoxigraph as ox

from paperkg.extract.records import Mention, Sentence
from paperkg.kg.entities import EntitySummary
from paperkg.kg.iris import (
    build_iri,
    entity_iri,
    form_iri_text,
    mention_iri,
    merge_iri_text,
    paper_iri,
    relation_mention_iri,
    sentence_iri,
    statement_iri,
)
from paperkg.kg.linking import LinkedMention, LinkedPaper
from paperkg.kg.nquads import replace_nquads, serialized
from paperkg.kg.rdf import (
    entity_nquads,
    link_nquads,
    mention_nquads,
    relation_mention_nquads,
    sentence_nquads,
    statement_nquads,
    statement_quads,
)
from paperkg.kg.relations import RelationMention
from paperkg.kg.store import bulk_write_nquads, load_nquads_file
from paperkg.kg.support import Support, stored_support, support_nquads
from paperkg.kg.terms import oa, pkg, rdf, skos, xsd

HOSTILE = 'a "quoted" C:\\path\nnext line\r\ttab \u2028 \x00 \x7f 😀 <script> {node} {0} }{'


def _summary(label: str) -> EntitySummary:
    return EntitySummary(
        key="hostile",
        type="Method",
        label=label,
        aliases=(label + " v2",),
        acronyms=("H\\A",),
        lookup_keys=("hostile",),
        merges=((label + " v2", ("plural", 'a "rule"')),),
        papers=3,
        mentions=5,
        forms=((label, "Method", 4), (label + " v2", "Concept", 1)),
        links=(("exactMatch", "https://example.org/id/1"),),
    )


def test_a_description_with_hostile_text_reads_back_as_the_terms_it_was_written_from():
    db, entity = ox.Store(), entity_iri("hostile")
    bulk_write_nquads(db, entity_nquads(entity, _summary(HOSTILE)))
    assert [q.object for q in db.quads_for_pattern(entity, skos.prefLabel, None)] == [ox.Literal(HOSTILE)]
    assert [q.object for q in db.quads_for_pattern(entity, pkg.acronym, None)] == [ox.Literal("H\\A")]
    assert [q.object for q in db.quads_for_pattern(entity, pkg.paperCount, None)] == [
        ox.Literal("3", datatype=xsd.integer)
    ]
    forms = {q.object.value for q in db.quads_for_pattern(None, oa.exact, None)}
    assert forms == {HOSTILE, HOSTILE + " v2"}
    rules = {q.object.value for q in db.quads_for_pattern(None, pkg.mergeRule, None)}
    assert rules == {"plural", 'a "rule"'}
    assert next(db.quads_for_pattern(entity, skos.exactMatch, None)).object == ox.NamedNode("https://example.org/id/1")


def test_a_papers_own_nquads_with_hostile_text_read_back_as_the_terms_they_were_written_from():
    # the worker writes them with the predicates rendered once (`kg.rdf.mention_nquads`): a text,
    # braces, quotes and line breaks included, is the literal's text
    paper = paper_iri("arxiv:2501.00001")
    mention = Mention(HOSTILE, "abstract", 3, 9, 1, "Method", 'rule:"x"')
    linked = LinkedMention(mention_iri(paper, 0), mention, "Dataset", "evaluatesOn", entity_iri("e"), HOSTILE)
    patterns = frozenset({"b", "a"})
    relation = RelationMention(linked.iri, "usedFor", mention_iri(paper, 1), ("abstract", 1), 0.12345, patterns)
    lines = sentence_nquads(paper.value, Sentence("abstract", 1, 2, 40, HOSTILE)) + mention_nquads(paper.value, linked)
    lines += "".join(relation_mention_nquads(LinkedPaper(paper, {}, [linked], [relation])))
    db = ox.Store()
    bulk_write_nquads(db, [lines])
    sentence, node, stated = sentence_iri(paper, "abstract", 1), linked.iri, relation_mention_iri(paper, 0)
    integer = xsd.integer

    def objects(subject: ox.NamedNode) -> dict:
        return {q.predicate: q.object for q in db.quads_for_pattern(subject, None, None)}

    assert objects(sentence) == {
        rdf.type: pkg.Sentence,
        pkg.paper: paper,
        pkg.field: ox.Literal("abstract"),
        pkg.sentenceIndex: ox.Literal("1", datatype=integer),
        rdf.value: ox.Literal(HOSTILE),
        oa.start: ox.Literal("2", datatype=integer),
        oa.end: ox.Literal("40", datatype=integer),
    }
    assert objects(node) == {
        rdf.type: pkg.Mention,
        pkg.paper: paper,
        pkg.sentence: sentence,
        oa.exact: ox.Literal(HOSTILE),
        oa.start: ox.Literal("3", datatype=integer),
        oa.end: ox.Literal("9", datatype=integer),
        pkg.role: pkg.evaluatesOn,
        pkg.extractor: ox.Literal('rule:"x"'),
        pkg.entityType: pkg.Dataset,
        pkg.acronymKey: ox.Literal(HOSTILE),
    }
    assert objects(stated) == {
        rdf.type: pkg.RelationMention,
        pkg.paper: paper,
        pkg.sentence: sentence,
        pkg.subjectMention: node,
        pkg.relation: pkg.usedFor,
        pkg.objectMention: mention_iri(paper, 1),
        pkg.score: ox.Literal("0.123", datatype=xsd.decimal),
        pkg.pattern: ox.Literal("a b"),
    }


def test_replacing_a_stored_summary_leaves_exactly_the_new_one_and_writes_only_what_changed():
    db = ox.Store()
    node = statement_iri(entity_iri("a"), pkg.evaluatedOn, entity_iri("b"))
    bulk_write_nquads(db, support_nquads(node, Support(1, 0, Counter({2024: 1}), 0.5, {"p1"})))
    before, stored = stored_support(db, node)
    after = Support(2, 1, Counter({2024: 1, 2025: 1}), 0.9, {"p1"})
    written = replace_nquads(db, stored, support_nquads(node, after))
    # the 2024 year node and the pattern were stored already: not written again
    assert not any("2024" in line for line in written)
    assert not any("#pattern>" in line for line in written)
    bulk_write_nquads(db, written)
    support, quads = stored_support(db, node)
    assert (support.papers, support.agreement, support.years, support.confidence, support.patterns) == (
        2,
        1,
        Counter({2024: 1, 2025: 1}),
        0.9,
        {"p1"},
    )
    assert len(db) == len(quads) == len(support_nquads(node, after))


def test_a_summary_replaced_by_nothing_is_removed():
    db, entity = ox.Store(), entity_iri("gone")
    bulk_write_nquads(db, entity_nquads(entity, _summary("gone")))
    stored = set(db)
    assert replace_nquads(db, stored, []) == []
    assert len(db) == 0


class _Unreadable:
    """An open file on disk whose contents Python must not read (a loader reading them through
    the file object holds the GIL for every read)."""

    def __init__(self, file):
        self._file = file

    def fileno(self) -> int:
        return self._file.fileno()

    def flush(self) -> None:
        self._file.flush()

    def seek(self, *args) -> int:
        return self._file.seek(*args)

    def read(self, *args):
        raise AssertionError("read through Python")

    readinto = read


def test_a_file_of_nquads_is_loaded_by_its_path_not_read_through_python(tmp_path):
    with open(tmp_path / "q.nq", "w+b") as file:
        file.write(b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
        db = ox.Store()
        load_nquads_file(db, _Unreadable(file))
    assert len(db) == 1


def test_a_papers_links_are_written_once_each_whatever_its_mentions_repeat():
    paper = ox.NamedNode("https://example.org/paper/p")
    a, b = entity_iri("a"), entity_iri("b")
    mention = Mention("A", "abstract", 0, 1, 0, "Method", "test")
    mentions = [
        LinkedMention(ox.NamedNode(f"{paper.value}/m{n}"), mention, "Method", role, entity)
        for n, (role, entity) in enumerate([("uses", a), ("uses", a), ("mentions", a), ("mentions", b)])
    ]
    lines = link_nquads(LinkedPaper(paper, {}, mentions))
    assert len(lines) == len(set(lines)) == 4 + 3  # a body a mention; mentions a, uses a, mentions b
    assert set(ox.parse("".join(lines).encode(), ox.RdfFormat.N_QUADS)) == {
        *(ox.Quad(m.iri, oa.hasBody, m.entity) for m in mentions),
        ox.Quad(paper, pkg.mentions, a),
        ox.Quad(paper, pkg.uses, a),
        ox.Quad(paper, pkg.mentions, b),
    }


def test_a_relations_evidence_lines_are_the_bytes_oxigraph_writes_for_its_quads():
    """The build spools a relation's evidence as lines, and takes one back (`PaperSpool.kill`) by
    the bytes Oxigraph serializes its quad to: both must be the same text."""
    s, o, build = entity_iri("sparse autoencoder"), entity_iri("interpretability"), build_iri(1)
    lines = statement_nquads(s, "usedFor", o, build)
    assert [serialized([q]).decode() for q in statement_quads(s, "usedFor", o, build)] == lines
    assert ox.Quad(s, pkg.usedFor, o) in statement_quads(s, "usedFor", o, build)
    # the build has made the evidence node already: the same lines from it
    assert statement_nquads(s, "usedFor", o, build, statement_iri(s, pkg.usedFor, o)) == lines


def test_a_descriptions_lines_are_its_quads_as_oxigraph_writes_them_one_a_line():
    """`entity_nquads` renders its lines from strings made once (the predicates, the entity's IRI):
    on hostile text they must still hold exactly the description's quads, one a line."""
    entity, s = entity_iri("hostile"), _summary(HOSTILE)
    alias = HOSTILE + " v2"
    merge = ox.NamedNode(merge_iri_text(entity.value, alias))
    forms = {(text, t): ox.NamedNode(form_iri_text(entity.value, text, t)) for text, t, _ in s.forms}
    expected = {
        ox.Quad(entity, rdf.type, pkg.Method),
        ox.Quad(entity, skos.prefLabel, ox.Literal(HOSTILE)),
        ox.Quad(entity, pkg.key, ox.Literal("hostile")),
        ox.Quad(entity, pkg.paperCount, ox.Literal("3", datatype=xsd.integer)),
        ox.Quad(entity, pkg.mentionCount, ox.Literal("5", datatype=xsd.integer)),
        ox.Quad(entity, pkg.lookupKey, ox.Literal("hostile")),
        ox.Quad(entity, skos.altLabel, ox.Literal(alias)),
        ox.Quad(entity, pkg.acronym, ox.Literal("H\\A")),
        ox.Quad(entity, skos.exactMatch, ox.NamedNode("https://example.org/id/1")),
        ox.Quad(entity, pkg.hasMerge, merge),
        ox.Quad(merge, rdf.type, pkg.AliasMerge),
        ox.Quad(merge, pkg.alias, ox.Literal(alias)),
        ox.Quad(merge, pkg.mergeRule, ox.Literal("plural")),
        ox.Quad(merge, pkg.mergeRule, ox.Literal('a "rule"')),
    }
    for (text, t), form in forms.items():
        n = 4 if t == "Method" else 1
        expected |= {
            ox.Quad(entity, pkg.surfaceForm, form),
            ox.Quad(form, rdf.type, pkg.SurfaceForm),
            ox.Quad(form, oa.exact, ox.Literal(text)),
            ox.Quad(form, pkg.entityType, getattr(pkg, t)),
            ox.Quad(form, pkg.mentionCount, ox.Literal(str(n), datatype=xsd.integer)),
        }
    lines = entity_nquads(entity, s)
    quads = list(ox.parse("".join(lines).encode(), ox.RdfFormat.N_QUADS))
    assert set(quads) == expected and len(quads) == len(lines) == len(expected)
    assert [len(list(ox.parse(line.encode(), ox.RdfFormat.N_QUADS))) for line in lines] == [1] * len(lines)
