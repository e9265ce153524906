"""Namespace IRIs and entity class names as plain strings.

Free of rdflib on purpose: fast commands (`kg lookup`, `kg query`) name vocabulary terms through
these without paying for importing it. `schema.vocab` builds its rdflib namespaces from them.
"""

import os
from collections.abc import Iterable

from paperkg.schema.errors import InputError

DEFAULT_BASE = "https://w3id.org/paperkg/id/"
"""Base IRI for minted resources (papers, entities, mentions); ``PAPERKG_BASE`` overrides it."""


def base_iri() -> str:
    base = os.environ.get("PAPERKG_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


PKG_NS = "https://w3id.org/paperkg/ns#"
SDO_NS = "https://schema.org/"
FABIO_NS = "http://purl.org/spar/fabio/"
PRISM_NS = "http://prismstandard.org/namespaces/basic/2.0/"
OA_NS = "http://www.w3.org/ns/oa#"
DCTERMS_NS = "http://purl.org/dc/terms/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
PROV_NS = "http://www.w3.org/ns/prov#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SH_NS = "http://www.w3.org/ns/shacl#"
PKGSH_NS = "https://w3id.org/paperkg/shapes#"  # the shapes of schema/shapes.ttl

# The six entity classes (local names in PKG_NS), in the order used for display.
ENTITY_TYPES = ("Method", "Model", "Dataset", "Task", "Metric", "Concept")

# paper -> entity roles (local names in PKG_NS), most telling first: a paper is listed under its
# best role, and `mentions` only when it gives the entity no other
ROLES = ("proposes", "evaluatesOn", "uses", "addresses", "reports", "mentions")
# entity -> entity typed relations, each read from one sentence (kg.relations), in the order used
# for display; each has a SciERC counterpart in ontology.ttl (`schema.relations`)
RELATIONS = (
    "usedFor",
    "evaluatedOn",
    "evaluatedWith",
    "comparedWith",
    "partOf",
    "hyponymOf",
    "featureOf",
    "conjunctionWith",
)
# entity -> entity: the papers two entities share (not a typed relation)
CO_OCCURRENCE = "coOccursWith"
# relations whose direction carries no meaning: (a, b) states what (b, a) does
SYMMETRIC_RELATIONS = frozenset({CO_OCCURRENCE, "comparedWith", "conjunctionWith"})


def parse_entity_type(name: str, known: Iterable[str] = ENTITY_TYPES) -> str:
    """The class of `known` called `name` in any case (`dataset` -> "Dataset"); an `InputError`
    naming the choices when none is."""
    choices = tuple(known)
    for t in choices:
        if t.casefold() == name.strip().casefold():
            return t
    raise InputError(f"unknown type {name}: use one of {', '.join(choices)}")


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Every term paperkg writes or reads, by namespace: the one declaration of the vocabulary in Python.
# paperkg's own terms are each described (label and comment) in schema/ontology.ttl; a test holds
# the two equal, and checks the reused ones against rdflib's closed namespaces where it has them.
TERMS: dict[str, frozenset[str]] = {
    PKG_NS: _names(
        """
        Paper Entity Method Model Dataset Task Metric Concept Mention Sentence AliasMerge SurfaceForm Build
        RelationMention subjectMention objectMention relation score pattern
        YearSupport yearSupport supportPapers agreementPapers reliable confidence
        PeriodCount Corpus
        dateText year authorCount upvotes sourceLocation
        mentions proposes uses evaluatesOn reports addresses
        usedFor evaluatedOn evaluatedWith comparedWith partOf hyponymOf featureOf conjunctionWith coOccursWith variantOf
        sciercLabel sciercArguments sciercFirstArgumentType
        key lookupKey acronym paperCount mentionCount
        alias mergeRule hasMerge surfaceForm
        paper field sentence sentenceIndex role extractor entityType acronymKey
        extractorVersion genericDropped
        periodCount period papersInPeriod undatedPapers firstSeen firstPaper q1Month medianMonth q3Month
        """
    ),
    DCTERMS_NS: _names("title abstract issued creator"),
    RDF_NS: _names("type value subject predicate object Statement"),
    SKOS_NS: _names("prefLabel altLabel exactMatch closeMatch"),
    PROV_NS: _names("wasGeneratedBy wasDerivedFrom startedAtTime endedAtTime Activity"),
    XSD_NS: _names("integer decimal double boolean date gMonthDay gYearMonth gYear dateTime string"),
    SDO_NS: _names("ScholarlyArticle url codeRepository"),
    FABIO_NS: _names("hasArXivId"),
    PRISM_NS: _names("doi"),
    OA_NS: _names("hasBody exact start end"),
}
