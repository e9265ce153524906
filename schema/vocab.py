"""Python names for the paperkg vocabulary (`ontology.ttl`) and the namespaces it reuses."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, DefinedNamespaceMeta, Namespace

from paperkg.schema.namespaces import (
    DEFAULT_BASE,  # noqa: F401  (public here too)
    ENTITY_TYPES,  # noqa: F401  (public here too)
    FABIO_NS,
    OA_NS,
    PKG_NS,
    PRISM_NS,
    SDO_NS,
    TERMS,
    base_iri,  # noqa: F401  (public here too)
)

# paperkg's own terms, each described (label and comment) in schema/ontology.ttl. Built from the one
# declaration in `schema.namespaces.TERMS`; closed like rdflib's own vocabularies (`_fail`).
PKG = DefinedNamespaceMeta(
    "PKG",
    (DefinedNamespace,),
    {
        "__doc__": "paperkg's own terms; each is described (label and comment) in schema/ontology.ttl.",
        "__annotations__": {name: URIRef for name in sorted(TERMS[PKG_NS])},
        "_NS": Namespace(PKG_NS),
        "_fail": True,
    },
)


SDO = Namespace(SDO_NS)
FABIO = Namespace(FABIO_NS)
PRISM = Namespace(PRISM_NS)
OA = Namespace(OA_NS)
