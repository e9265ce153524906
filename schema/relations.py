"""The typed relations' counterparts in SciERC, as `ontology.ttl` declares them.

Each relation term in the ontology names the SciERC label it stands for (`pkg:sciercLabel`),
where its subject and object stand in SciERC's argument order (`pkg:sciercArguments`) and, for
a label that maps to two terms, the type of SciERC's first argument that selects this one
(`pkg:sciercFirstArgumentType`). The bench scores graphs against SciERC with these, and the
relation scorer learns graph relations from SciERC through them, so the mapping is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from paperkg.schema.namespaces import PKG_NS, RELATIONS

ONTOLOGY = Path(__file__).resolve().parent / "ontology.ttl"
SCIERC_RELATION_LABELS = ("USED-FOR", "EVALUATE-FOR", "COMPARE", "PART-OF", "HYPONYM-OF", "FEATURE-OF", "CONJUNCTION")
ARGUMENT_ORDERS = ("subject object", "object subject", "either")


@dataclass(frozen=True)
class SciercCounterpart:
    relation: str  # local name in PKG_NS
    label: str  # SciERC's relation label
    arguments: str  # one of ARGUMENT_ORDERS
    first_type: str | None = None  # graph entity class of SciERC's first argument, when it selects the term


@cache
def scierc_counterparts() -> dict[str, SciercCounterpart]:
    """Relation local name -> its SciERC counterpart, read from the ontology."""
    import pyoxigraph as ox

    values: dict[str, dict[str, str]] = {}
    wanted = {PKG_NS + name: name for name in ("sciercLabel", "sciercArguments", "sciercFirstArgumentType")}
    for triple in ox.parse(path=ONTOLOGY, format=ox.RdfFormat.TURTLE):
        if triple.predicate.value in wanted and triple.subject.value.startswith(PKG_NS):
            relation = triple.subject.value[len(PKG_NS) :]
            value = triple.object.value
            values.setdefault(relation, {})[wanted[triple.predicate.value]] = (
                value[len(PKG_NS) :] if value.startswith(PKG_NS) else value
            )
    return {
        relation: SciercCounterpart(relation, v["sciercLabel"], v["sciercArguments"], v.get("sciercFirstArgumentType"))
        for relation, v in values.items()
    }


def graph_relation(label: str, first_type: str) -> tuple[str, bool]:
    """The graph relation for SciERC's `label` whose first argument has graph class `first_type`,
    and whether SciERC's first argument is the relation's object (the arguments swap)."""
    candidates = [c for c in scierc_counterparts().values() if c.label == label]
    chosen = next((c for c in candidates if c.first_type == first_type), None) or next(
        c for c in candidates if c.first_type is None
    )
    return chosen.relation, chosen.arguments == "object subject"


def scierc_relation(relation: str) -> tuple[str, bool]:
    """SciERC's label for the graph `relation`, and whether the graph's object is SciERC's first
    argument (the arguments swap)."""
    c = scierc_counterparts()[relation]
    return c.label, c.arguments == "object subject"


__all__ = [
    "ARGUMENT_ORDERS",
    "RELATIONS",
    "SCIERC_RELATION_LABELS",
    "SciercCounterpart",
    "graph_relation",
    "scierc_counterparts",
    "scierc_relation",
]
