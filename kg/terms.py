"""Vocabulary IRIs as pyoxigraph terms, for code that talks to the store directly.

Built from plain namespace strings (`schema.namespaces`) so that importing this module stays cheap.
"""

from __future__ import annotations

import pyoxigraph as ox

from paperkg.schema.namespaces import (
    DCTERMS_NS,
    FABIO_NS,
    OA_NS,
    PKG_NS,
    PRISM_NS,
    PROV_NS,
    RDF_NS,
    RDFS_NS,
    SDO_NS,
    SKOS_NS,
    TERMS,
    XSD_NS,
)


class _Terms:
    """A namespace's declared terms (`schema.namespaces.TERMS`) as `pyoxigraph.NamedNode`s.

    Closed, as rdflib's `DefinedNamespace` with `_fail = True` is: a name nobody declared is an
    AttributeError, so a typo can never mint a new predicate in the graph.
    """

    def __init__(self, namespace: str):
        self._ns = namespace
        self._names = TERMS[namespace]

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name not in self._names:
            raise AttributeError(f"{name!r} is not a declared term of <{self._ns}> (schema/namespaces.py TERMS)")
        node = ox.NamedNode(self._ns + name)
        setattr(self, name, node)
        return node


pkg = _Terms(PKG_NS)
dcterms = _Terms(DCTERMS_NS)
rdf = _Terms(RDF_NS)
skos = _Terms(SKOS_NS)
prov = _Terms(PROV_NS)
xsd = _Terms(XSD_NS)
sdo = _Terms(SDO_NS)
fabio = _Terms(FABIO_NS)
prism = _Terms(PRISM_NS)
oa = _Terms(OA_NS)

PREFIXES = {
    "pkg": PKG_NS,
    "dcterms": DCTERMS_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "skos": SKOS_NS,
    "prov": PROV_NS,
    "xsd": XSD_NS,
    "sdo": SDO_NS,
    "fabio": FABIO_NS,
    "prism": PRISM_NS,
    "oa": OA_NS,
}
