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
   - `paper`: the paper with that arXiv id or DOI, normalised as the readers normalise them
     (`2310.01234v2`, `arXiv:2310.01234`, `doi:10.1234/ABC` all work), else the paper with exactly
     that title.
   - `type`: one of the entity classes by name (`Method` -> `pkg:Method`).
5. An integer, decimal, double or `true`/`false` as Turtle writes them -> a typed literal
   (`2024` is `"2024"^^xsd:integer`), so it equals the numbers stored in the graph.
6. Anything else -> a plain string literal, exactly as given (quotes, braces, newlines and all).

Whatever the value, it becomes a term object, written into a query only by Oxigraph's
serialiser (`kg.query.leading_values`), never from the user's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from paperkg.extract.paper_keys import normalise_arxiv_id, normalise_doi
from paperkg.kg import sparql
from paperkg.kg.answers import Result, Solutions
from paperkg.kg.label_index import EntityRef, which
from paperkg.kg.names import lookup_key
from paperkg.kg.query import Backend, run
from paperkg.kg.query_errors import QueryError
from paperkg.kg.sparql import Token, prefixes
from paperkg.kg.terms import SHORT_LITERALS, Term, named, pkg, term_value
from paperkg.schema.errors import InputError
from paperkg.schema.namespaces import ENTITY_TYPES, parse_entity_type

ENTITY_VARIABLES = frozenset({"entity", *(t.lower() for t in ENTITY_TYPES)})
_CLASSES = (*ENTITY_TYPES, "Entity", "Paper")  # what `type=NAME` names

_VARIABLE = re.compile(r"[?$]?([A-Za-z_][A-Za-z0-9_]*)")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:(\S*)")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?', re.S)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


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
    if name == "type":
        try:
            return getattr(pkg, parse_entity_type(value, _CLASSES))
        except InputError:
            pass  # not a class name: a literal, as any other value
    for datatype, pattern in SHORT_LITERALS.items():
        if pattern.fullmatch(value):
            return ox.Literal(value, datatype=datatype)
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
            next((t for t in ENTITY_TYPES if getattr(pkg, t).value in seen["types"]), "Entity"),
            max(map(int, seen["papers"]), default=None),
        )
        for iri, seen in found.items()
    ]
    chosen, *others = which(refs, None if name == "entity" else parse_entity_type(name))
    if others and notes is not None:
        listing = "; ".join(f"<{r.iri}> {r.described()}" for r in others[:5])
        more = f"; {len(others) - 5} more" if len(others) > 5 else ""
        notes.append(
            f"--bind {name}={value}: {chosen.described()}, the entity"
            f" in the most papers of {len(others) + 1} so named; to bind another, give its IRI: {listing}{more}"
        )
    return ox.NamedNode(chosen.iri)


def resolve_paper(value: str, backend: Backend) -> ox.NamedNode:
    # the graph holds ids as the readers normalised them: arXiv's without a version, DOIs lower-case
    ids = dict.fromkeys(i for i in (normalise_arxiv_id(value), normalise_doi(value)) if i)
    for query, variable, text in (
        *((_PAPERS_BY_ID, "id", i) for i in ids),
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


def select_bound(text: str, names: Iterable[str]) -> tuple[str, list[str]]:
    """The query with every bound variable it uses but does not select added to its SELECT (and
    GROUP BY) clause, so the engine can substitute it (Oxigraph substitutes projected variables
    only), and the names so added, whose columns the caller drops again. Only `?name`, already a
    checked variable name, is added to the text; the value stays a term. A bound variable the query
    never uses is an error: binding it could change nothing."""
    tokens = list(sparql.tokens(text))
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


def _projects(projection: list[Token], k: int) -> bool:
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
