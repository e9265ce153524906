"""paperkg's vocabulary: the ontology, the SHACL shapes, and the Python names for both.

Vocabulary terms live in one fixed namespace (`PKG`); the IRIs minted for papers, entities and
mentions live under a configurable base (`DEFAULT_BASE`, overridden by ``PAPERKG_BASE``).
"""
from schema.vocab import (
    DEFAULT_BASE,
    ENTITY_TYPES,
    FABIO,
    OA,
    PKG,
    PRISM,
    SDO,
    base_iri,
)

__all__ = ["DEFAULT_BASE", "ENTITY_TYPES", "FABIO", "OA", "PKG", "PRISM", "SDO", "base_iri"]
