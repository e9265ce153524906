"""The graph in files other tools read: RDF from the store, GraphML/GEXF/CSV from the networkx view.

RDF formats are written by Oxigraph's own serialisers straight from the store (streaming, so a
large graph never sits in Python); JSON-LD is compacted with rdflib, a slice of subjects at a
time, into one document with one `@context`. Every file is written to a temporary name next to
the target and renamed into place, so a failed export never leaves a half-written file.

Text from papers is untrusted, so the view formats defuse it for the tools that read them: a CSV
cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) gets a leading ``'`` (OWASP's advice against CSV injection), and characters XML
cannot hold (NUL and most other C0 controls, lone surrogates) are left out of GraphML and GEXF,
which stay well-formed.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from paperkg.kg.files import replacing
from paperkg.kg.terms import PREFIXES
from paperkg.schema.errors import PaperkgError

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
}
VIEW_FORMATS = ("graphml", "gexf", "csv")
FORMATS = (*RDF_FORMATS, "jsonld", *VIEW_FORMATS)
_JSONLD_SLICE = 50_000


class ExportError(PaperkgError):
    """An export that cannot be written; the message is meant for the user."""


def export(store, fmt: str, path: str | os.PathLike, **view_options) -> list[Path]:
    """Write the graph of `store` as `fmt` to `path`; returns the files written.

    `csv` writes two files next to each other: `<stem>.nodes.csv` and `<stem>.edges.csv`.
    `view_options` go to `kg.view.graph_view` for the graphml/gexf/csv formats.
    """
    db = store.oxigraph if hasattr(store, "oxigraph") else store
    path = Path(path)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose one of: {', '.join(FORMATS)})")
    if path.is_dir():
        raise ExportError(f"{path}: is a directory; give a file name")
    if not path.parent.is_dir():
        raise ExportError(f"{path.parent}: no such directory")
    if fmt in RDF_FORMATS:
        with replacing(path) as tmp:
            db.dump(
                str(tmp),
                RDF_FORMATS[fmt],
                from_graph=None if fmt == "nquads" else ox.DefaultGraph(),
                prefixes=PREFIXES if fmt == "turtle" else None,
            )
        return [path]
    if fmt == "jsonld":
        with replacing(path) as tmp:
            _write_jsonld(db, tmp)
        return [path]
    from paperkg.kg.view import graph_view

    g = graph_view(db, **view_options)
    if fmt == "csv":
        nodes, edges = export_files(fmt, path)
        with replacing(nodes) as tmp:
            _write_csv(tmp, _node_rows(g))
        with replacing(edges) as tmp:
            _write_csv(tmp, _edge_rows(g))
        return [nodes, edges]
    flat = _flat(g)
    import networkx as nx

    writer: Callable = nx.write_graphml if fmt == "graphml" else nx.write_gexf
    with replacing(path) as tmp:
        writer(flat, str(tmp))
    return [path]


def export_files(fmt: str, path: str | os.PathLike) -> list[Path]:
    """The files `export` writes for `fmt` at `path`."""
    path = Path(path)
    if fmt != "csv":
        return [path]
    stem = path.with_suffix("") if path.suffix == ".csv" else path
    return [Path(f"{stem}.nodes.csv"), Path(f"{stem}.edges.csv")]


def _write_jsonld(db: ox.Store, path: Path) -> None:
    """One JSON-LD document: the shared `@context` and a `@graph` of every subject, compacted."""
    import rdflib

    context = dict(PREFIXES)
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"@context": ')
        json.dump(context, out, ensure_ascii=False, sort_keys=True)
        out.write(',\n "@graph": [')
        first = True
        for ntriples in _subject_slices(db, _JSONLD_SLICE):
            g = rdflib.Graph()
            g.parse(data=ntriples, format="nt")
            doc = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
            nodes = doc.get("@graph", [doc] if "@id" in doc else [])
            for node in nodes:
                node.pop("@context", None)
                out.write("\n  " if first else ",\n  ")
                json.dump(node, out, ensure_ascii=False, sort_keys=True)
                first = False
        out.write("\n ]\n}\n")


def _subject_slices(db: ox.Store, limit: int) -> Iterator[str]:
    """The default graph as N-Triples text, cut between subjects about every `limit` triples."""
    batch: list[ox.Quad] = []
    current = None
    for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if q.subject != current and len(batch) >= limit:
            yield _ntriples(batch)
            batch = []
        current = q.subject
        batch.append(q)
    if batch:
        yield _ntriples(batch)


def _ntriples(quads: list[ox.Quad]) -> str:
    data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # serialize returns the bytes when given no output
    return data.decode("utf-8")


# -- the view as flat tables ---------------------------------------------------------------------

_NODE_COLUMNS = (
    "id",
    "kind",
    "type",
    "label",
    "key",
    "aliases",
    "acronyms",
    "papers",
    "mentions",
    "year",
    "paper_titles",
)
_EDGE_COLUMNS = ("source", "target", "relation", "weight")


def _scalar(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return "" if value is None else value


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _xml_safe(value):
    """`value` without the characters XML 1.0 cannot contain (strings only)."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def spreadsheet_safe(value):
    """A string a spreadsheet would evaluate as a formula, quoted so it stays text."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _flat(g):
    """A copy of the view whose attributes are all XML-safe strings or numbers (GraphML/GEXF need it)."""
    import networkx as nx

    flat = nx.MultiDiGraph()
    for n, data in g.nodes(data=True):
        flat.add_node(n, **{k: _xml_safe(_scalar(v)) for k, v in data.items()})
    for u, v, k, data in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **{a: _xml_safe(_scalar(b)) for a, b in data.items()})
    return flat


def _node_rows(g) -> Iterator[list]:
    yield list(_NODE_COLUMNS)
    for n, data in sorted(g.nodes(data=True)):
        yield [n, *(_scalar(data.get(c)) for c in _NODE_COLUMNS[1:])]


def _edge_rows(g) -> Iterator[list]:
    yield list(_EDGE_COLUMNS)
    for u, v, _k, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        yield [u, v, data["relation"], data["weight"]]


def _write_csv(path: Path, rows: Iterator[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
