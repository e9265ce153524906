"""SPARQL as text: the predeclared prefixes, the form of a query, and the one lexer that reads it.

The lexer skips strings and comments and reads an IRI as one token, so a keyword or a variable
is only ever found where it is one (`SERVICE` in a title, `?x` in a string or an IRI do not count).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from paperkg.kg.terms import PREFIXES
from paperkg.schema.namespaces import base_iri


def prefixes() -> dict[str, str]:
    """Prefixes every query may use without declaring: the vocabularies and the minted IRIs."""
    base = base_iri()
    return {**PREFIXES, "id": base, "paper": f"{base}paper/", "entity": f"{base}entity/"}


def prefix_declarations() -> str:
    """`prefixes()` as SPARQL PREFIX declarations on one line (so line numbers do not move)."""
    return " ".join(f"PREFIX {name}: <{iri}>" for name, iri in prefixes().items())


@dataclass(frozen=True)
class QueryForm:
    kind: str  # "select", "ask", "construct", "describe" or "update"
    keyword: str  # the keyword that decided it, upper-case (e.g. "DROP")


_QUERY_KEYWORDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "describe"}
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_SPACE = re.compile(r"(?:\s+|#[^\n]*)*")
# what a prologue line is made of after its keyword: PREFIX name: <iri>, BASE <iri>
_PROLOGUE = {"PREFIX": ("pname", "iri"), "BASE": ("iri",)}


def query_form(text: str) -> QueryForm | None:
    """What the text is, judged by the first keyword after its prologue (BASE/PREFIX lines).

    That keyword decides in SPARQL's grammar: queries start with SELECT/ASK/CONSTRUCT/DESCRIBE and
    every update operation with one of `UPDATE_KEYWORDS`. None when the text is neither.
    """
    pos = 0
    expected: tuple[str, ...] = ("word",)
    for token in tokens(text):
        # nothing but spaces and comments may come between the tokens of the prologue
        if token.kind != expected[0] or not _SPACE.fullmatch(text, pos, token.start):
            return None
        pos, expected = token.end, expected[1:] or ("word",)
        if token.kind == "pname" and not token.text.endswith(":"):
            return None
        if token.kind == "word":
            keyword = token.text.upper()
            if keyword not in _PROLOGUE:
                break
            expected = _PROLOGUE[keyword]
    else:
        return None
    if keyword in _QUERY_KEYWORDS:
        return QueryForm(_QUERY_KEYWORDS[keyword], keyword)
    if keyword in UPDATE_KEYWORDS:
        return QueryForm("update", keyword)
    return None


# strings (long ones first) and comments, which the lexer skips; then the tokens it reads. A
# prefixed name is one token, so `ex:SERVICE` is not the keyword.
_TOKEN = re.compile(
    r"(?P<skip>'''(?:[^\\]|\\.)*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|#[^\n]*)|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)|(?P<pname>[\w.-]*:[\w.:-]*)|(?P<word>[A-Za-z][\w-]*)"
    r"|(?P<punct>[{}()*])",
    re.S,
)


class Token(NamedTuple):
    kind: str  # "iri", "var", "pname", "word" or "punct"
    text: str
    start: int
    end: int
    braces: int  # depth of { } the token is in
    parens: int  # depth of ( ) the token is in


def tokens(text: str) -> Iterator[Token]:
    """IRIs, variables, prefixed names, words and brackets of a query, with their nesting, read
    as they are asked for (`query_form` reads only the prologue of a long update)."""
    braces = parens = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        assert kind is not None  # every alternative of the pattern is a named group
        if kind == "skip":
            continue
        token = m.group()
        if token in "})":
            braces, parens = braces - (token == "}"), parens - (token == ")")
        yield Token(kind, token, m.start(), m.end(), braces, parens)
        if token in "{(":
            braces, parens = braces + (token == "{"), parens + (token == "(")


def uses_service(text: str) -> bool:
    """Whether the query holds the keyword SERVICE (not inside a string, IRI, comment or name)."""
    return any(t.kind == "word" and t.text.upper() == "SERVICE" for t in tokens(text))
