"""Vocabulary IRIs as pyoxigraph terms, for code that talks to the store directly."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from schema.vocab import FABIO, OA, PKG, PRISM, SDO


class _Terms:
    """Attribute access to a namespace's terms as `pyoxigraph.NamedNode`s, created once."""

    def __init__(self, namespace):
        self._ns = str(namespace)

    def __getattr__(self, name: str) -> ox.NamedNode:
        node = ox.NamedNode(self._ns + name)
        setattr(self, name, node)
        return node


pkg = _Terms(PKG._NS)
dcterms = _Terms(DCTERMS)
rdf = _Terms(RDF)
skos = _Terms(SKOS)
prov = _Terms(PROV)
xsd = _Terms(XSD)
sdo = _Terms(SDO)
fabio = _Terms(FABIO)
prism = _Terms(PRISM)
oa = _Terms(OA)

PREFIXES = {
    "pkg": str(PKG._NS),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": str(SKOS),
    "prov": str(PROV),
    "xsd": str(XSD),
    "sdo": str(SDO),
    "fabio": str(FABIO),
    "prism": str(PRISM),
    "oa": str(OA),
}
