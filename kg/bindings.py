"""`--bind VAR=VALUE`: command-line strings made into RDF terms for the engine to substitute.

The rule, first match wins:

1. `<IRI>`, or an absolute `scheme://...` IRI -> that IRI.
2. `prefix:local` with a predeclared prefix (`kg query --prefixes`), e.g. `pkg:Method`,
   `entity:sparse-autoencoder-1a2b3c4d` -> the IRI it abbreviates.
3. `"text"`, `"text"@lang` or `"text"^^datatype` (Turtle's escapes inside) -> that literal.
   Quoting is how to force a literal where rule 4 would look something up.
4. By the variable's name:
   - `entity`, `method`, `model`, `dataset`, `task`, `metric`, `concept`: the entity whose
     `pkg:lookupKey` equals `kg.names.lookup_key(VALUE)`, the key linking and `kg lookup` use,
     so `SAE`, `SAEs` and `sparse autoencoders` all find the entity they were merged into. When
     several entities share the key, the name means what it means for `kg lookup`
     (`kg.label_index.which`): the one in the most papers, and among as many one of the
     variable's type (`method=PE` prefers a pkg:Method). The others are offered in `notes`,
     never an error.
   - `paper`: the paper with that arXiv id or DOI (an `arXiv:`/`doi:` prefix is allowed), else
     the paper with exactly that title.
   - `type`: one of the entity classes by name (`Method` -> `pkg:Method`).
5. An integer, decimal, double or `true`/`false` as Turtle writes them -> a typed literal
   (`2024` is `"2024"^^xsd:integer`), so it equals the numbers stored in the graph.
6. Anything else -> a plain string literal, exactly as given (quotes, braces, newlines and all).

Whatever the value, it reaches the engine as a term object; it is never pasted into query text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

import pyoxigraph as ox

from paperkg.kg.label_index import EntityRef, which
from paperkg.kg.names import lookup_key
from paperkg.kg.query import Backend, QueryError, Result, Solutions, Term, prefixes, run
from paperkg.kg.terms import named, term_value
from paperkg.schema.vocab import ENTITY_TYPES

ENTITY_VARIABLES = frozenset({"entity", *(t.lower() for t in ENTITY_TYPES)})
_TYPE_NAMES = {t.lower(): t for t in (*ENTITY_TYPES, "Entity", "Paper")}

_VARIABLE = re.compile(r"[?$]?([A-Za-z_][A-Za-z0-9_]*)")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:(\S*)")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?', re.S)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_NUMBERS = (
    (re.compile(r"[+-]?\d+"), "integer"),
    (re.compile(r"[+-]?\d*\.\d+"), "decimal"),
    (re.compile(r"[+-]?(?:\d+\.\d*|\.?\d+)[eE][+-]?\d+"), "double"),
    (re.compile(r"true|false"), "boolean"),
)
_XSD = "http://www.w3.org/2001/XMLSchema#"
_PKG = prefixes()["pkg"]


class BindingError(QueryError):
    """A `--bind` value that cannot become a term (bad IRI, unknown name, ambiguous name)."""


def parse_assignment(text: str) -> tuple[str, str]:
    """`VAR=VALUE` (VAR may start with `?` or `$`) -> `(VAR, VALUE)`."""
    name, sep, value = text.partition("=")
    match = _VARIABLE.fullmatch(name.strip())
    if not sep or match is None:
        raise BindingError(f"--bind {text!r}: expected VAR=VALUE, e.g. --bind entity=SAE")
    return match[1], value


def bind_terms(
    assignments: Iterable[tuple[str, str]], backend: Backend, notes: list[str] | None = None
) -> dict[str, Term]:
    """Each `(VAR, VALUE)` as a term, by the rule in this module's docstring; what the user may
    want to know about a choice made (other entities a name could mean) is added to `notes`."""
    terms: dict[str, Term] = {}
    for name, value in assignments:
        if name in terms:
            raise BindingError(f"--bind {name}: given twice")
        terms[name] = to_term(name, value, backend, notes)
    return terms


def to_term(name: str, value: str, backend: Backend, notes: list[str] | None = None) -> Term:
    term = explicit_term(name, value)
    if term is not None:
        return term
    if name in ENTITY_VARIABLES:
        return resolve_entity(name, value, backend, notes)
    if name == "paper":
        return resolve_paper(value, backend)
    if name == "type" and value.strip().lower() in _TYPE_NAMES:
        return ox.NamedNode(_PKG + _TYPE_NAMES[value.strip().lower()])
    for pattern, datatype in _NUMBERS:
        if pattern.fullmatch(value):
            return ox.Literal(value, datatype=ox.NamedNode(_XSD + datatype))
    return ox.Literal(value)


def explicit_term(name: str, value: str) -> Term | None:
    """Rules 1-3: a value written as an IRI, a prefixed name or a quoted literal."""
    if value.startswith("<") and value.endswith(">"):
        return _iri(name, value[1:-1])
    if _ABSOLUTE_IRI.fullmatch(value):
        return _iri(name, value)
    prefixed = _PREFIXED.fullmatch(value)
    if prefixed and prefixed[1] in prefixes():
        return _iri(name, prefixes()[prefixed[1]] + prefixed[2])
    quoted = _QUOTED.fullmatch(value)
    if quoted:
        text, language, datatype = quoted.groups()
        text = _unescape(name, text)
        if language:
            return ox.Literal(text, language=language)
        if datatype:
            iri = explicit_term(name, datatype)
            if not isinstance(iri, ox.NamedNode):
                raise BindingError(f"--bind {name}: datatype {datatype!r} is not an IRI or a prefixed name")
            return ox.Literal(text, datatype=iri)
        return ox.Literal(text)
    return None


def _iri(name: str, text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise BindingError(f"--bind {name}: not a valid absolute IRI: {text!r} ({exc})") from exc


def _unescape(name: str, text: str) -> str:
    def replace(match: re.Match) -> str:
        code = match[1] or match[2]
        if code:
            return chr(int(code, 16))
        if match[3] in _ECHARS:
            return _ECHARS[match[3]]
        raise BindingError(f"--bind {name}: unknown escape \\{match[3]} in a quoted literal")

    return _ESCAPE.sub(replace, text)


# -- names -> nodes ------------------------------------------------------------------------------

_ENTITIES_BY_KEY = """
SELECT ?entity ?key ?type ?label ?papers WHERE {
  ?entity pkg:lookupKey ?key .
  OPTIONAL { ?entity a ?type }
  OPTIONAL { ?entity skos:prefLabel ?label }
  OPTIONAL { ?entity pkg:paperCount ?papers }
}"""

_PAPERS_BY_ID = """
SELECT ?paper ?id WHERE {
  { ?paper fabio:hasArXivId ?id } UNION { ?paper prism:doi ?id }
}"""

_PAPERS_BY_TITLE = """
SELECT ?paper ?title WHERE { ?paper dcterms:title ?title ; a pkg:Paper }"""


def resolve_entity(name: str, value: str, backend: Backend, notes: list[str] | None = None) -> ox.NamedNode:
    key = lookup_key(value)
    if not key:
        raise BindingError(f"--bind {name}: {value!r} is not a name (it has no letters or digits)")
    found: dict[str, dict] = {}  # IRI -> its labels, types and paper counts
    for entity, _, type_, label, papers in _rows(backend, _ENTITIES_BY_KEY, {"key": ox.Literal(key)}):
        seen = found.setdefault(named(entity).value, {"labels": set(), "types": set(), "papers": set()})
        for slot, term in (("labels", label), ("types", type_), ("papers", papers)):
            if term is not None:
                seen[slot].add(term_value(term))
    if not found:
        raise BindingError(f"--bind {name}: no entity is called {value!r} (lookup key {key!r})")
    refs = [
        EntityRef(
            iri,
            min(seen["labels"], default=iri),
            next((t for t in ENTITY_TYPES if _PKG + t in seen["types"]), "Entity"),
            max(map(int, seen["papers"]), default=None),
        )
        for iri, seen in found.items()
    ]
    chosen, *others = which(refs, _TYPE_NAMES.get(name))
    if others and notes is not None:
        listing = "; ".join(f"<{r.iri}> {r.name} ({r.type}, {r.paper_count or 0} papers)" for r in others[:5])
        more = f"; {len(others) - 5} more" if len(others) > 5 else ""
        notes.append(
            f"--bind {name}={value}: {chosen.name} ({chosen.type}, {chosen.paper_count or 0} papers), the entity"
            f" in the most papers of {len(others) + 1} so named; to bind another, give its IRI: {listing}{more}"
        )
    return ox.NamedNode(chosen.iri)


def resolve_paper(value: str, backend: Backend) -> ox.NamedNode:
    wanted = re.sub(r"^(?:arxiv|doi):", "", value.strip(), flags=re.I)
    for query, variable, text in (
        (_PAPERS_BY_ID, "id", wanted),
        (_PAPERS_BY_ID, "id", value),
        (_PAPERS_BY_TITLE, "title", value),
    ):
        rows = _rows(backend, query, {variable: ox.Literal(text)})
        papers = sorted({named(row[0]) for row in rows}, key=str)
        if len(papers) == 1:
            return papers[0]
        if papers:
            raise BindingError(
                f"--bind paper: {value!r} matches {len(papers)} papers, bind one by IRI: "
                + "; ".join(f"<{p.value}>" for p in papers[:5])
            )
    raise BindingError(f"--bind paper: no paper has the arXiv id, DOI or title {value!r}")


def _rows(backend: Backend, select: str, bindings: Mapping[str, Term]) -> Iterator[tuple[Term | None, ...]]:
    """The rows of one of this module's SELECT queries."""
    result = backend.query(select, bindings)
    assert isinstance(result, Solutions)
    return result.rows


# -- binding a variable the query uses but does not select ------------------------------------------

# what the projection scanner skips: strings (long ones first), IRIs, comments; then the tokens it reads
_SPARQL_TOKEN = re.compile(
    r"(?P<skip>'''(?:[^\\]|\\.)*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*)"
    r"|(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)|(?P<word>[A-Za-z][\w-]*)|(?P<punct>[{}()*])",
    re.S,
)


class _Token(NamedTuple):
    kind: str
    text: str
    start: int
    end: int
    braces: int  # depth of { } the token is in
    parens: int  # depth of ( ) the token is in


def sparql_tokens(text: str) -> list[_Token]:
    """Variables, words and brackets of a query, with their nesting; strings, IRIs and comments skipped."""
    found, braces, parens = [], 0, 0
    for m in _SPARQL_TOKEN.finditer(text):
        kind = m.lastgroup
        assert kind is not None  # every alternative of the pattern is a named group
        if kind == "skip":
            continue
        token = m.group()
        if token in "})":
            braces, parens = braces - (token == "}"), parens - (token == ")")
        found.append(_Token(kind, token, m.start(), m.end(), braces, parens))
        if token in "{(":
            braces, parens = braces + (token == "{"), parens + (token == "(")
    return found


def select_bound(text: str, names: Iterable[str]) -> tuple[str, list[str]]:
    """The query with every bound variable it uses but does not select added to its SELECT (and
    GROUP BY) clause, so the engine can substitute it (Oxigraph substitutes projected variables
    only), and the names so added, whose columns the caller drops again. Only `?name`, already a
    checked variable name, is added to the text; the value stays a term. A bound variable the query
    never uses is an error: binding it could change nothing."""
    tokens = sparql_tokens(text)
    used = {t.text[1:] for t in tokens if t.kind == "var"}
    unused = [name for name in names if name not in used]
    if unused:
        raise BindingError(f"--bind {unused[0]}: the query does not use ?{unused[0]}, so there is nothing to bind")
    select = next((i for i, t in enumerate(tokens) if t.braces == 0 and t.text.upper() == "SELECT"), None)
    if select is None:  # ASK, CONSTRUCT, DESCRIBE: the engine binds any variable of the pattern
        return text, []
    body = next((i for i in range(select, len(tokens)) if tokens[i].text in ("{", "WHERE", "where")), len(tokens))
    projection = tokens[select + 1 : body]
    if any(t.text == "*" and t.parens == 0 for t in projection):
        return text, []
    selected = {t.text[1:] for k, t in enumerate(projection) if t.kind == "var" and _projects(projection, k)}
    added = [name for name in dict.fromkeys(names) if name not in selected]
    if not added:
        return text, []
    extra = "".join(f" ?{name}" for name in added)
    edits = [(projection[0].start if projection else tokens[select].end, extra + " ")]
    if projection and projection[0].text.upper() in ("DISTINCT", "REDUCED"):
        edits = [(projection[0].end, extra)]
    group = next(
        (i for i in range(body, len(tokens) - 1) if tokens[i].braces == 0 and tokens[i].text.upper() == "GROUP"),
        None,
    )
    if group is not None and tokens[group + 1].text.upper() == "BY":
        edits.append((tokens[group + 1].end, extra))
    for at, insert in sorted(edits, reverse=True):
        text = text[:at] + insert + text[at:]
    return text, added


def _projects(projection: list[_Token], k: int) -> bool:
    """Does the variable at projection[k] name a result column (`?x` or `(... AS ?x)`)?"""
    return projection[k].parens == 0 or (k > 0 and projection[k - 1].text.upper() == "AS")


def run_bound(backend: Backend, text: str, terms: dict[str, Term]) -> Result:
    """`kg.query.run` with `terms` bound wherever the query uses their variables; a variable
    added to the SELECT clause only to be bound is left out of the result again."""
    text, added = select_bound(text, terms)
    result = run(backend, text, terms)
    if not added or not isinstance(result, Solutions):
        return result
    keep = [i for i, name in enumerate(result.variables) if name not in added]
    return Solutions([result.variables[i] for i in keep], (tuple(row[i] for i in keep) for row in result.rows))
