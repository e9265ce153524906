"""SHACL validation of the store against schema/shapes.ttl (with schema/ontology.ttl for classes).

pyshacl works on in-memory rdflib graphs, which would not hold a large store, so the core
constraints are checked a slice of subjects at a time: each slice carries the subjects' own triples
plus the types of the nodes they point to (for `sh:class`). Results are kept only for the slice's
own subjects, so every node is judged once, on complete data. The shapes' SPARQL constraints
(`sh:sparql`) run in Oxigraph over the whole graph at once, with `$this` ranging over the shape's
targets - the same results pyshacl would give, without parsing one query per node."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from paperkg.kg.terms import PREFIXES, rdf, solutions, xsd
from paperkg.schema import ONTOLOGY_PATH, SHAPES_PATH
from paperkg.schema.namespaces import PKGSH_NS, SH_NS

SLICE_TRIPLES = 200_000


@dataclass(frozen=True)
class Violation:
    focus: str
    shape: str
    path: str
    message: str
    value: str | None
    severity: str


@dataclass
class ValidationReport:
    conforms: bool = True
    triples: int = 0
    focus_nodes: int = 0
    violations: list[Violation] = field(default_factory=list)

    def text(self, examples: int = 3) -> str:
        """A readable summary: one line per kind of violation, with a few example nodes."""
        if self.conforms:
            return f"valid: {self.triples:,} triples, {self.focus_nodes:,} nodes conform to the shapes"
        groups: dict[tuple[str, str, str], list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[(v.shape, v.path, v.message)].append(v)
        lines = [f"invalid: {len(self.violations):,} violations in {self.triples:,} triples"]
        for (shape, path, message), found in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            lines.append(f"  {len(found):>6} x {shape} {path}: {message}")
            for v in found[:examples]:
                value = f" (value {v.value})" if v.value else ""
                lines.append(f"           {v.focus}{value}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "conforms": self.conforms,
            "triples": self.triples,
            "focus_nodes": self.focus_nodes,
            "violations": [v.__dict__ for v in self.violations],
        }


def validate_store(
    store, *, slice_triples: int = SLICE_TRIPLES, progress: Callable[[int, int], None] | None = None
) -> ValidationReport:
    """Check the graph of `store` (a `kg.store.Store` or `pyoxigraph.Store`) against the shapes.

    `progress(triples checked, triples in all)` is called after each slice."""
    import rdflib
    from pyshacl import validate

    db = store.oxigraph if hasattr(store, "oxigraph") else store
    shapes = rdflib.Graph().parse(SHAPES_PATH, format="turtle")
    core, sparql_checks = _split_sparql(shapes)
    ontology = rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")
    report = ValidationReport()
    for subjects, triples in _slices(db, slice_triples):
        data = rdflib.Graph()
        for t in triples:
            data.add(t)
        for t in _context(db, subjects, triples):
            data.add(t)
        report.triples += len(triples)
        report.focus_nodes += len(subjects)
        conforms, results, _ = validate(
            data, shacl_graph=core, ont_graph=ontology, inference="none", allow_warnings=True
        )
        if not conforms:
            report.violations.extend(v for v in _violations(results, shapes) if rdflib.URIRef(v.focus) in subjects)
        if progress is not None:
            progress(report.triples, len(db))
    for check in sparql_checks:
        report.violations.extend(check.run(db))
    report.conforms = not report.violations
    report.violations.sort(key=lambda v: (v.shape, v.path, v.focus, v.value or ""))
    return report


@dataclass(frozen=True)
class _SparqlCheck:
    """One `sh:sparql` constraint of a node shape, run over all of the shape's targets at once."""

    shape: str
    message: str
    targets: tuple[str, ...]
    select: str

    def run(self, db: ox.Store) -> Iterator[Violation]:
        body = self.select.replace("$this", "?this")
        query = "SELECT ?this ?value WHERE {{ VALUES ?cls {{ {} }} ?this a ?cls . {{ {} }} }}".format(
            " ".join(f"<{t}>" for t in self.targets),
            body,
        )
        for row in solutions(db.query(query, prefixes=PREFIXES)):
            value = row["value"]
            yield Violation(
                row["this"].value,
                _short(self.shape),
                "-",
                self.message,
                None if value is None else value.value,
                "sh:Violation",
            )


def _split_sparql(shapes):
    """The shapes without their SPARQL constraints, and those constraints as `_SparqlCheck`s."""
    import rdflib
    from rdflib.namespace import SH

    core = rdflib.Graph()
    for t in shapes:
        core.add(t)
    checks = []
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        targets = tuple(sorted(str(t) for t in shapes.objects(shape, SH.targetClass)))
        checks.append(
            _SparqlCheck(
                str(shape), str(shapes.value(constraint, SH.message)), targets, str(shapes.value(constraint, SH.select))
            )
        )
        core.remove((shape, SH.sparql, constraint))
        core.remove((constraint, None, None))
    return core, sorted(checks, key=lambda c: (c.shape, c.select))


def _slices(db: ox.Store, limit: int) -> Iterator[tuple[set, list]]:
    """The default graph's triples as rdflib terms, cut between subjects every `limit` triples."""
    subjects: set = set()
    triples: list = []
    current = None
    for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if q.subject != current:
            if len(triples) >= limit:
                yield subjects, triples
                subjects, triples = set(), []
            current = q.subject
            subjects.add(_term(q.subject))
        triples.append((_term(q.subject), _term(q.predicate), _term(q.object)))
    if triples:
        yield subjects, triples


def _context(db: ox.Store, subjects: set, triples: list) -> Iterator[tuple]:
    """The types of the nodes outside the slice that the slice points to (for sh:class)."""
    import rdflib

    outside = {o for _, _, o in triples if isinstance(o, rdflib.URIRef) and o not in subjects}
    for node in outside:
        for q in db.quads_for_pattern(_ox(node), rdf.type, None):
            yield node, rdflib.RDF.type, _term(q.object)


def _term(term):
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == xsd.string.value:
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))


def _ox(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _violations(results, shapes) -> Iterator[Violation]:
    import rdflib
    from rdflib.namespace import SH

    def one(node, predicate) -> str | None:
        value = results.value(node, predicate)
        return None if value is None else str(value)

    for node in results.subjects(SH.resultSeverity, None):
        shape = results.value(node, SH.sourceShape)
        if isinstance(shape, rdflib.BNode):  # a property shape: name the node shape holding it
            shape = shapes.value(None, SH.property, shape) or shape
        yield Violation(
            focus=one(node, SH.focusNode) or "",
            shape=_short(str(shape) if shape is not None else None),
            path=_short(one(node, SH.resultPath)),
            message=one(node, SH.resultMessage) or "",
            value=one(node, SH.value),
            severity=_short(one(node, SH.resultSeverity)),
        )


# the graph's prefixes, and those of the shapes file
_SHORT = {iri: f"{name}:" for name, iri in {**PREFIXES, "pkgsh": PKGSH_NS, "sh": SH_NS}.items()}


def _short(iri: str | None) -> str:
    if not iri:
        return "-"
    for long, short in _SHORT.items():
        if iri.startswith(long):
            return short + iri[len(long) :]
    return iri
