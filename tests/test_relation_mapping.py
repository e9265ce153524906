"""The typed relations' SciERC counterparts, as ontology.ttl declares them (schema.relations)."""

from __future__ import annotations

import pytest

from paperkg.schema.namespaces import ENTITY_TYPES, RELATIONS, SYMMETRIC_RELATIONS
from paperkg.schema.relations import (
    ARGUMENT_ORDERS,
    SCIERC_RELATION_LABELS,
    graph_relation,
    scierc_counterparts,
    scierc_relation,
)


def test_every_relation_has_one_counterpart_and_every_scierc_label_a_relation():
    counterparts = scierc_counterparts()
    assert set(counterparts) == set(RELATIONS)
    assert {c.label for c in counterparts.values()} == set(SCIERC_RELATION_LABELS)
    for c in counterparts.values():
        assert c.arguments in ARGUMENT_ORDERS
        assert (c.arguments == "either") == (c.relation in SYMMETRIC_RELATIONS)
        assert c.first_type is None or c.first_type in ENTITY_TYPES


@pytest.mark.parametrize(
    ("label", "first_type", "expected"),
    [
        ("USED-FOR", "Method", ("usedFor", False)),
        ("EVALUATE-FOR", "Dataset", ("evaluatedOn", True)),
        ("EVALUATE-FOR", "Metric", ("evaluatedWith", True)),
        ("EVALUATE-FOR", "Concept", ("evaluatedOn", True)),
        ("COMPARE", "Method", ("comparedWith", False)),
        ("PART-OF", "Concept", ("partOf", False)),
        ("HYPONYM-OF", "Task", ("hyponymOf", False)),
        ("FEATURE-OF", "Concept", ("featureOf", False)),
        ("CONJUNCTION", "Dataset", ("conjunctionWith", False)),
    ],
)
def test_scierc_labels_map_to_graph_relations_in_the_declared_argument_order(label, first_type, expected):
    assert graph_relation(label, first_type) == expected


@pytest.mark.parametrize("label", SCIERC_RELATION_LABELS)
@pytest.mark.parametrize("first_type", ENTITY_TYPES)
def test_the_mapping_goes_back_to_the_same_label_and_order(label, first_type):
    relation, swapped = graph_relation(label, first_type)
    assert scierc_relation(relation) == (label, swapped)
