"""Per-paper extractions -> graph entities and relations, linked to what the store already holds."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from extract.records import PaperExtraction
from kg.identity import entity_iri, paper_iri
from kg.terms import pkg, rdf, skos


def entity_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def link_quads(db: ox.Store, extractions: Iterable[PaperExtraction]) -> Iterator[ox.Quad]:
    """Quads that add the extractions' entities and paper-entity links to `db`."""
    for ex in extractions:
        paper = paper_iri(ex.paper.key)
        for ent in ex.entities:
            key = entity_key(ent.name)
            e = entity_iri(key)
            yield ox.Quad(e, rdf.type, getattr(pkg, ent.type))
            yield ox.Quad(e, skos.prefLabel, ox.Literal(ent.name))
            yield ox.Quad(e, pkg.key, ox.Literal(key))
            for alias in ent.aliases:
                yield ox.Quad(e, skos.altLabel, ox.Literal(alias))
            yield ox.Quad(paper, pkg.mentions, e)
