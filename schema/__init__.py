"""paperkg's vocabulary: the ontology, the SHACL shapes, and the Python names for both.

Vocabulary terms live in one fixed namespace (`PKG`); the IRIs minted for papers, entities and
mentions live under a configurable base (`DEFAULT_BASE`, overridden by ``PAPERKG_BASE``).

The names below are loaded from `schema.vocab` on first use, so that importing
`schema.namespaces` alone (the lookup and query paths) does not import rdflib.
"""

from pathlib import Path

ONTOLOGY_PATH = Path(__file__).with_name("ontology.ttl")
SHAPES_PATH = Path(__file__).with_name("shapes.ttl")

__all__ = ["DEFAULT_BASE", "ENTITY_TYPES", "FABIO", "OA", "PKG", "PRISM", "SDO", "base_iri"]


def __getattr__(name: str):
    if name in __all__:
        from paperkg.schema import vocab

        return getattr(vocab, name)
    raise AttributeError(f"module 'schema' has no attribute {name!r}")
