"""A paper's description as N-Quads text (`kg.rdf.paper_nquads`): byte for byte what Oxigraph's
writer makes of the quads it stands for, so an extraction worker makes no terms for it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from graph_papers import all_papers

from paperkg.extract.records import Paper
from paperkg.kg.iris import paper_iri
from paperkg.kg.nquads import literal, serialized
from paperkg.kg.rdf import location_quads, paper_nquads
from paperkg.kg.terms import dcterms, fabio, integer, pkg, prism, rdf, sdo, xsd

# every character Oxigraph escapes in a literal, and neighbours it does not
HOSTILE = 'a "quoted" \\ back\tslash\nline\r\x00\x08\x0b\x0c\x1f\x7f\x80\xad\u2028\ufeff\ufffe\uffff\U0001f600 end'
S = ox.NamedNode("https://example.org/s")


def written(value: str) -> str:
    """`value` as a literal, as Oxigraph writes it."""
    return serialized([ox.Quad(S, S, ox.Literal(value))]).decode()[len(f"<{S.value}> <{S.value}> ") : -len(" .\n")]


def test_a_literal_is_written_as_oxigraph_writes_it_for_every_character():
    everything = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]  # no lone surrogates in a str sent
    for start in range(0, len(everything), 0x8000):
        text = "".join(everything[start : start + 0x8000])
        assert literal(text) == written(text)
    for ch in everything[:0x3000]:  # one alone: the test for "needs escaping" is per text
        assert literal(f"x{ch}") == written(f"x{ch}"), hex(ord(ch))
    for ch in "\ufffe\uffff":
        assert literal(ch) == written(ch)


def test_a_typed_literal_names_its_datatype():
    assert literal("2025-01-02", xsd.date) == '"2025-01-02"^^<http://www.w3.org/2001/XMLSchema#date>'


def description(paper: Paper) -> list[ox.Quad]:
    """The quads a paper's description stands for (docs/graph.md), made as terms."""
    s = paper_iri(paper.key)
    objects = [
        (rdf.type, pkg.Paper),
        (rdf.type, sdo.ScholarlyArticle),
        (dcterms.title, ox.Literal(paper.title)),
    ]
    if paper.abstract:
        objects.append((dcterms.abstract, ox.Literal(paper.abstract)))
    if paper.date:
        datatype = xsd.gMonthDay if paper.date.startswith("--") else xsd.date
        objects.append((dcterms.issued, ox.Literal(paper.date, datatype=datatype)))
    if paper.date_text:
        objects.append((pkg.dateText, ox.Literal(paper.date_text)))
    if paper.year is not None:
        objects.append((pkg.year, integer(paper.year)))
    if paper.arxiv_id:
        objects.append((fabio.hasArXivId, ox.Literal(paper.arxiv_id)))
    if paper.doi:
        objects.append((prism.doi, ox.Literal(paper.doi)))
    objects += [(sdo.url, ox.NamedNode(u)) for u in paper.urls]
    objects += [(sdo.codeRepository, ox.NamedNode(u)) for u in paper.code_urls]
    objects += [(dcterms.creator, ox.Literal(a)) for a in paper.authors]
    count = paper.author_count if paper.author_count is not None else (len(paper.authors) or None)
    if count is not None:
        objects.append((pkg.authorCount, integer(count)))
    if paper.upvotes is not None:
        objects.append((pkg.upvotes, integer(paper.upvotes)))
    return [ox.Quad(s, p, o) for p, o in objects] + list(location_quads(paper))


FULL = Paper(
    key="doi:10.1/x",
    title=HOSTILE,
    abstract=f"An abstract with {HOSTILE}",
    source="/data/listing.jsonl",
    line=7,
    date="--10-16",
    date_text='Oct 16 "late"',
    year=2025,
    authors=('Ada "A" Lovelace', "Alan\tTuring", 'Ada "A" Lovelace'),
    author_count=None,
    upvotes=0,
    arxiv_id="2510.00001",
    doi="10.1/x",
    urls=("https://example.org/a?b=c#d", "https://example.org/a?b=c#d"),
    code_urls=("https://github.com/o/r",),
    merged_from=("/data/other.jsonl:3", "/data/other.jsonl:9"),
)
BARE = Paper(key="title:untitled", title="", abstract="", source="s", line=1, author_count=0, upvotes=None)
PAPERS = [
    FULL,
    BARE,
    Paper(
        key="arxiv:2501.00001",
        title="T",
        abstract="A.",
        source="s",
        line=2,
        date="2025-01-02",
        year=2025,
        authors=("X",),
        author_count=12,
    ),
]


@pytest.mark.parametrize("paper", PAPERS + [ex.paper for ex in all_papers()], ids=lambda p: p.key)
def test_a_papers_description_is_written_as_oxigraph_writes_its_quads(paper):
    quads = description(paper)
    text = paper_nquads(paper, paper_iri(paper.key).value)
    assert text.encode() == serialized(quads)
    assert list(ox.parse(text.encode(), ox.RdfFormat.N_QUADS)) == quads


def test_a_url_that_is_no_iri_is_refused_as_a_term_would_be():
    paper = Paper(key="title:x", title="x", abstract="", source="s", line=1, urls=("not an iri",))
    with pytest.raises(ValueError):
        ox.NamedNode("not an iri")
    with pytest.raises(ValueError):
        paper_nquads(paper, paper_iri(paper.key).value)
