"""IRIs for what the graph holds, derived from stable keys so rebuilding gives the same graph."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import pyoxigraph as ox

from paperkg.extract.paper_keys import slug
from paperkg.schema.namespaces import base_iri

_fixed_base: list[str] = []


@contextmanager
def one_base() -> Iterator[None]:
    """Mint the IRIs of the block under the base IRI as it is on entry: a build mints millions,
    and reading the environment for each was a twentieth of a build's write."""
    _fixed_base.append(base_iri())
    try:
        yield
    finally:
        _fixed_base.pop()


def _base() -> str:
    return _fixed_base[-1] if _fixed_base else base_iri()


def paper_iri(paper_key: str) -> ox.NamedNode:
    return ox.NamedNode(f"{_base()}paper/{slug(paper_key)}")


def entity_iri(entity_key: str) -> ox.NamedNode:
    return _entity_iri(_base(), entity_key)


# An entity's IRI is made for each of its mentions, in every paper that names it: the term is made
# (and its IRI checked) once per key and base. A term is immutable, so mentions may share one.
@lru_cache(maxsize=65536)
def _entity_iri(base: str, entity_key: str) -> ox.NamedNode:
    return ox.NamedNode(f"{base}entity/{slug(entity_key)}")


_SHA1 = hashlib.sha1()  # copied: `hashlib.sha1()` looks the digest up in OpenSSL at every call (a fifth of its time)


def _digest(*parts: str) -> str:
    digest = _SHA1.copy()
    digest.update("\n".join(parts).encode("utf-8"))
    return digest.hexdigest()[:16]


def sentence_iri(paper: ox.NamedNode, field: str, index: int) -> ox.NamedNode:
    return ox.NamedNode(sentence_iri_text(paper.value, field, index))


def sentence_iri_text(paper: str, field: str, index: int) -> str:
    """`sentence_iri` as a string, for N-Quads written without terms (`kg.rdf.sentence_nquads`)."""
    return f"{paper}/{field}/s{index}"


def mention_iri(paper: ox.NamedNode, n: int) -> ox.NamedNode:
    return ox.NamedNode(f"{paper.value}/m{n}")


def relation_mention_iri(paper: ox.NamedNode, n: int) -> ox.NamedNode:
    return ox.NamedNode(relation_mention_iri_text(paper.value, n))


def relation_mention_iri_text(paper: str, n: int) -> str:
    """`relation_mention_iri` as a string, for N-Quads written without terms (`sentence_iri_text`)."""
    return f"{paper}/r{n}"


def merge_iri_text(entity: str, alias: str) -> str:
    """The explanation node of one alias of the entity whose IRI is `entity`, as a string: the
    entities' descriptions are written as N-Quads without terms (`kg.rdf.entity_nquads`)."""
    return f"{entity}/merge/{_digest(alias)[:12]}"


def form_iri_text(entity: str, text: str, type_: str) -> str:
    """The tally node of the mentions of the entity whose IRI is `entity` written `text` and typed
    `type_` by the extractor, as a string (`merge_iri_text`)."""
    return f"{entity}/form/{_digest(text, type_)[:12]}"


def corpus_iri() -> ox.NamedNode:
    """The store's papers as a whole: their counts per month and without a year."""
    return ox.NamedNode(f"{_base()}corpus")


def period_iri(entity: ox.NamedNode, period: str) -> ox.NamedNode:
    """The count of `entity`'s (or the corpus's) papers in one month (``YYYY-MM``) or year (``YYYY``)."""
    return ox.NamedNode(period_iri_text(entity.value, period))


def period_iri_text(entity: str, period: str) -> str:
    """`period_iri`'s IRI as text, for lines written as N-Quads without a node made."""
    return f"{entity}/papers/{period}"


def statement_iri(subject: ox.NamedNode, predicate: ox.NamedNode, obj: ox.NamedNode) -> ox.NamedNode:
    """The evidence node of one typed relation between two entities."""
    return ox.NamedNode(f"{_base()}rel/{_digest(subject.value, predicate.value, obj.value)}")


def year_support_iri(statement: ox.NamedNode, year: int) -> ox.NamedNode:
    return ox.NamedNode(f"{statement.value}/y{year}")


def build_iri(n: int) -> ox.NamedNode:
    return ox.NamedNode(f"{_base()}build/{n}")
