"""Records -> quads, following docs/graph.md."""
from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from extract.records import Paper
from kg.identity import paper_iri
from kg.terms import dcterms, fabio, pkg, prism, rdf, sdo, xsd


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=xsd.integer)


def paper_quads(paper: Paper) -> Iterator[ox.Quad]:
    """The bibliographic description of one paper (not its entities)."""
    s = paper_iri(paper.key)

    def q(p, o):
        return ox.Quad(s, p, o)

    yield q(rdf.type, pkg.Paper)
    yield q(rdf.type, sdo.ScholarlyArticle)
    yield q(dcterms.title, ox.Literal(paper.title))
    if paper.abstract:
        yield q(dcterms.abstract, ox.Literal(paper.abstract))
    if paper.date:
        yield q(dcterms.issued, ox.Literal(paper.date, datatype=xsd.date))
    if paper.date_text:
        yield q(pkg.dateText, ox.Literal(paper.date_text))
    if paper.year is not None:
        yield q(pkg.year, _int(paper.year))
    if paper.arxiv_id:
        yield q(fabio.hasArXivId, ox.Literal(paper.arxiv_id))
    if paper.doi:
        yield q(prism.doi, ox.Literal(paper.doi))
    for url in paper.urls:
        yield q(sdo.url, ox.NamedNode(url))
    for url in paper.code_urls:
        yield q(sdo.codeRepository, ox.NamedNode(url))
    for name in paper.authors:
        yield q(dcterms.creator, ox.Literal(name))
    count = paper.author_count if paper.author_count is not None else (len(paper.authors) or None)
    if count is not None:
        yield q(pkg.authorCount, _int(count))
    if paper.upvotes is not None:
        yield q(pkg.upvotes, _int(paper.upvotes))
    yield q(pkg.sourceLocation, ox.Literal(f"{paper.source}:{paper.line}"))
