"""Quads written as N-Quads text, for Oxigraph to parse when it loads them.

A pyoxigraph quad whose object is a literal takes about 5 µs to make (one whose object is an IRI
0.4 µs), and most of what a build writes are literals: a paper's sentences and mentions (written by
the extraction workers, `kg.rdf.sentence_nquads`), the entities' descriptions and time data
(written at the build's end). Oxigraph parses the same quads from text in less time than Python
makes them. Every line holds one quad.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

# What Oxigraph's writer escapes in a literal (checked over all of Unicode by a test): a control
# character or U+FFFE/U+FFFF as `\uXXXX`, or its short form; lines written here are then byte for
# byte the lines `serialized` writes
_ESCAPES = str.maketrans(
    {
        **{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)},
        **{"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"},
    }
)


PAPERS_NEEDED = ""
"""Yielded in a stream of N-Quads lines where the rest of the stream reads the papers a build loads
meanwhile (`kg.ingest`): nothing where it is written as a line."""


def iri(node: ox.NamedNode) -> str:
    return f"<{node.value}>"


def literal(value: str, datatype: ox.NamedNode | None = None) -> str:
    """A literal as N-Quads writes it, byte for byte as Oxigraph's writer does (`serialized`):
    quotes, backslashes and control characters escaped."""
    # each of those characters is not printable: most texts are read three times in C to find none
    if '"' in value or "\\" in value or not value.isprintable():
        value = value.translate(_ESCAPES)
    quoted = '"' + value + '"'
    return quoted if datatype is None else f"{quoted}^^<{datatype.value}>"


def literal_end(datatype: ox.NamedNode) -> str:
    """What ends a line whose object is a literal of `datatype`, from its closing quote: many lines
    of a large build are written as `f'{s} {p} "{value}{end}'`, with `end` made once, for values that
    need no escaping (numbers, dates)."""
    return f'"^^<{datatype.value}> .\n'


def nquad(s: str, p: ox.NamedNode, o: str) -> str:
    return f"{s} <{p.value}> {o} .\n"


def replace_nquads(db: ox.Store, stored: set[ox.Quad], lines: list[str]) -> list[str]:
    """Make a stored summary (`stored`, as read) the one `lines` write: remove from `db` what
    `lines` no longer hold; return the lines yet to be written."""
    if not stored:
        return lines
    new = dict(zip(ox.parse("".join(lines).encode(), ox.RdfFormat.N_QUADS), lines))  # one quad a line
    for q in stored - new.keys():
        db.remove(q)
    return [line for q, line in new.items() if q not in stored]


def serialized(quads: Iterable[ox.Quad]) -> bytes:
    """`quads` as N-Quads, one a line, as Oxigraph writes them (and `kg.spool` matches them)."""
    data = ox.serialize(quads, None, ox.RdfFormat.N_QUADS)
    assert data is not None  # serialize returns the bytes when given no output
    return data
