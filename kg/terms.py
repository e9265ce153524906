"""Vocabulary IRIs as pyoxigraph terms, for code that talks to the store directly.

Built from plain namespace strings (`schema.namespaces`) so that importing this module stays cheap.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Union

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

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple]  # noqa: UP007 (a runtime alias on Python 3.10)


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


@lru_cache(maxsize=4096)  # a build writes millions of counts, nearly all of them small numbers
def integer(value: int) -> ox.Literal:
    """`value` as an `xsd:integer` literal."""
    return ox.Literal(str(value), datatype=xsd.integer)


# Turtle's short forms of typed literals (`2024`, `1.5`, `1.0e3`, `true`), by their datatype: what
# `--bind` reads as a number or a boolean, and what SPARQL TSV results may write bare
SHORT_LITERALS = {
    xsd.integer: re.compile(r"[+-]?\d+"),
    xsd.decimal: re.compile(r"[+-]?\d*\.\d+"),
    xsd.double: re.compile(r"[+-]?(?:\d+\.\d*|\.?\d+)[eE][+-]?\d+"),
    xsd.boolean: re.compile(r"true|false"),
}

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


# -- reading terms back ------------------------------------------------------------------------
# pyoxigraph types a quad's object as any term, RDF-star triples included, and a query's result
# as any of the three query forms. paperkg's graph holds no triple as a term, and its code knows
# the form of the queries it writes: these say so to the type checker, and fail loudly if not.


def term_value(term: Term) -> str:
    """The string of an IRI, a blank node or a literal (never an RDF-star triple in this graph)."""
    assert not isinstance(term, ox.Triple), term
    return term.value


def named(term: Term | None) -> ox.NamedNode:
    """`term`, where the graph always holds an IRI (a paper, an entity, a statement's object)."""
    assert isinstance(term, ox.NamedNode), term
    return term


def solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """The rows of a SELECT query's result."""
    assert isinstance(result, ox.QuerySolutions), result
    return result
