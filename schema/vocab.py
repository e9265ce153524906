"""Python names for the paperkg vocabulary (`ontology.ttl`) and the namespaces it reuses."""

from __future__ import annotations

import os

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from paperkg.schema.namespaces import (
    ENTITY_TYPES,  # noqa: F401  (public here too)
    FABIO_NS,
    OA_NS,
    PKG_NS,
    PRISM_NS,
    SDO_NS,
)

DEFAULT_BASE = "https://w3id.org/paperkg/id/"
"""Base IRI for minted resources (papers, entities, mentions); ``PAPERKG_BASE`` overrides it."""


def base_iri() -> str:
    base = os.environ.get("PAPERKG_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


class PKG(DefinedNamespace):
    """paperkg's own terms; each is described (label and comment) in schema/ontology.ttl."""

    _NS = Namespace(PKG_NS)
    _fail = True

    # classes
    Paper: URIRef
    Entity: URIRef
    Method: URIRef
    Model: URIRef
    Dataset: URIRef
    Task: URIRef
    Metric: URIRef
    Concept: URIRef
    Mention: URIRef
    Sentence: URIRef
    AliasMerge: URIRef
    SurfaceForm: URIRef
    Build: URIRef
    # paper properties
    dateText: URIRef
    year: URIRef
    authorCount: URIRef
    upvotes: URIRef
    sourceLocation: URIRef
    # paper -> entity roles
    mentions: URIRef
    proposes: URIRef
    uses: URIRef
    evaluatesOn: URIRef
    reports: URIRef
    addresses: URIRef
    # entity -> entity relations
    usedFor: URIRef
    evaluatedOn: URIRef
    comparedWith: URIRef
    partOf: URIRef
    hyponymOf: URIRef
    coOccursWith: URIRef
    # entity bookkeeping
    key: URIRef
    lookupKey: URIRef
    acronym: URIRef
    paperCount: URIRef
    mentionCount: URIRef
    # alias merges
    alias: URIRef
    mergeRule: URIRef
    hasMerge: URIRef
    surfaceForm: URIRef
    # mentions and sentences
    paper: URIRef
    field: URIRef
    sentence: URIRef
    sentenceIndex: URIRef
    role: URIRef
    extractor: URIRef
    entityType: URIRef
    acronymKey: URIRef
    # builds
    extractorVersion: URIRef
    genericDropped: URIRef


SDO = Namespace(SDO_NS)
FABIO = Namespace(FABIO_NS)
PRISM = Namespace(PRISM_NS)
OA = Namespace(OA_NS)
