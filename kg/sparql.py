"""SPARQL as text: the predeclared prefixes, the form of a query, and the one lexer that reads it.

The lexer skips strings, IRIs and comments, so a keyword or a variable is only ever found where
it is one (`SERVICE` in a title, `?x` in a string do not count).
"""

from __future__ import annotations

import re
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
_WORD = re.compile(r"[A-Za-z]+")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_PNAME_NS = re.compile(r"[^\s:<>#]*:")


def _after_space(text: str, pos: int) -> int:
    """Where the spaces and comments starting at `pos` end (`_SPACE` matches anywhere, if only empty)."""
    space = _SPACE.match(text, pos)
    assert space is not None
    return space.end()


def query_form(text: str) -> QueryForm | None:
    """What the text is, judged by the first keyword after its prologue (BASE/PREFIX lines).

    That keyword decides in SPARQL's grammar: queries start with SELECT/ASK/CONSTRUCT/DESCRIBE and
    every update operation with one of `UPDATE_KEYWORDS`. None when the text is neither.
    """
    pos = _after_space(text, 0)
    while True:
        word = _WORD.match(text, pos)
        if word is None:
            return None
        keyword = word[0].upper()
        pos = _after_space(text, word.end())
        if keyword == "PREFIX":
            name = _PNAME_NS.match(text, pos)
            if name is None:
                return None
            pos = _after_space(text, name.end())
        elif keyword != "BASE":
            break
        iri = _IRIREF.match(text, pos)
        if iri is None:
            return None
        pos = _after_space(text, iri.end())
    if keyword in _QUERY_KEYWORDS:
        return QueryForm(_QUERY_KEYWORDS[keyword], keyword)
    if keyword in UPDATE_KEYWORDS:
        return QueryForm("update", keyword)
    return None


# strings (long ones first), IRIs and comments, which the lexer skips; then the tokens it reads.
# A prefixed name is one token, so `ex:SERVICE` is not the keyword.
_TOKEN = re.compile(
    r"(?P<skip>'''(?:[^\\]|\\.)*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*)"
    r"|(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)|(?P<pname>[\w.-]*:[\w.:-]*)|(?P<word>[A-Za-z][\w-]*)"
    r"|(?P<punct>[{}()*])",
    re.S,
)


class Token(NamedTuple):
    kind: str  # "var", "pname", "word" or "punct"
    text: str
    start: int
    end: int
    braces: int  # depth of { } the token is in
    parens: int  # depth of ( ) the token is in


def tokens(text: str) -> list[Token]:
    """Variables, prefixed names, words and brackets of a query, with their nesting."""
    found, braces, parens = [], 0, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        assert kind is not None  # every alternative of the pattern is a named group
        if kind == "skip":
            continue
        token = m.group()
        if token in "})":
            braces, parens = braces - (token == "}"), parens - (token == ")")
        found.append(Token(kind, token, m.start(), m.end(), braces, parens))
        if token in "{(":
            braces, parens = braces + (token == "{"), parens + (token == "(")
    return found


def uses_service(text: str) -> bool:
    """Whether the query holds the keyword SERVICE (not inside a string, IRI, comment or name)."""
    return any(t.kind == "word" and t.text.upper() == "SERVICE" for t in tokens(text))
