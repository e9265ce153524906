"""An entity's links to reference vocabularies: the `skos:exactMatch` / `skos:closeMatch` IRIs a
build writes (see `kg.quality` and docs/graph.md), as `kg lookup` and the `kg viz` page show them.

The graph records only the IRI and how close the match is, so the vocabulary is named from the
IRI's address. Kept free of heavy imports: `kg lookup` uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph as ox

from paperkg.kg.terms import skos, term_value

# IRI prefix -> the vocabulary, for the ones builds link to; any other IRI is named by its host
SOURCES = (
    ("https://paperswithcode.com/", "Papers with Code"),
    ("http://w3id.org/mlso/", "Papers with Code"),  # its evaluation measures
    ("https://w3id.org/aio/", "AI Ontology"),
    ("https://cso.kmi.open.ac.uk/", "CSO"),
)
MATCHES = (("exact", skos.exactMatch), ("close", skos.closeMatch))


@dataclass(frozen=True)
class Link:
    iri: str
    match: str  # "exact" or "close"
    source: str  # the vocabulary, e.g. "Papers with Code"; else the IRI's host


def source_of(iri: str) -> str:
    for prefix, name in SOURCES:
        if iri.startswith(prefix):
            return name
    return urlsplit(iri).hostname or ""


def entity_links(db: ox.Store, entity: ox.NamedNode) -> list[Link]:
    """The entity's links, exact matches first, each group sorted by IRI."""
    links: list[Link] = []
    for match, predicate in MATCHES:
        iris = sorted(term_value(q.object) for q in db.quads_for_pattern(entity, predicate, None))
        links.extend(Link(iri, match, source_of(iri)) for iri in iris)
    return links
