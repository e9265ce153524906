"""The named queries: commented SPARQL files shipped with the package.

Each `<name>.rq` starts with a comment block that describes it::

    # name: papers-using
    # description: Papers that mention an entity, with the role they give it, newest first.
    # param entity: the entity (an IRI, a prefixed name, or a name matched by lookup key)

followed by free comments and the query. Parameters are variables the query projects, so that the
engine can bind them (`kg query --named NAME --bind VAR=VALUE`); an unbound parameter matches
anything. Each parameter is bound by a triple pattern inside the query (never only in a FILTER),
so a binding means the same whether the engine substitutes it or a server joins a VALUES clause.

Oxigraph plans a query before it sees the bound values, and its planner starts from the triple
pattern it guesses to be the smallest: one with a constant object (`?x a pkg:Dataset`) beats any
pattern with only a constant predicate. A query that starts anywhere but at its parameter scans
far more than it returns (evidence for a hub entity: 600 ms instead of 25 ms on 1M triples), so
in a query with parameters:

- the parameter's own pattern comes first, and no pattern has a constant object: a class test is
  `?x a ?xType` with `FILTER(?xType = pkg:Dataset)`;
- OPTIONAL parts come after every required pattern of their group (an OPTIONAL in the middle
  splits the group, and the part after it is planned on its own);
- each UNION branch starts from the parameter again, repeating what it needs;
- ORDER BY on a label costs a storage read per comparison: a query with many rows breaks ties
  in no particular order rather than by label.

A query without parameters that joins large patterns (every proposal with its entity's type and
its paper's date) is the other way round: as triple patterns, Oxigraph looks up the second
pattern once per row of the first, about 10 µs each on the whole corpus; with each pattern in a
sub-SELECT of its own, it reads each once and joins them in a hash table (papers-proposing-methods:
1.7 s of CPU against 0.4 s).

bench/query_speed.py measures every named query on a 1M-triple graph.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from paperkg.schema.errors import PaperkgError

_HEADER = re.compile(r"#\s*(name|description|param\s+(\w+))\s*:\s*(.*\S)")


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "parameters": [{"name": p.name, "description": p.description} for p in self.parameters],
            "query": self.text,
        }


class UnknownQuery(PaperkgError):
    """No named query by that name; the message suggests close names."""

    exit_code = 2  # a wrong value for an option, as click's own usage errors


def parse_named_query(text: str) -> NamedQuery:
    """Read a `.rq` file's leading comment block into a `NamedQuery`."""
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.fullmatch(line.strip())
        if match is None:
            continue
        key, param, value = match.groups()
        if param:
            params.append(Parameter(param, value))
        else:
            fields[key] = value
    missing = {"name", "description"} - fields.keys()
    if missing:
        raise ValueError(f"named query header lacks {', '.join(sorted(missing))}")
    return NamedQuery(fields["name"], fields["description"], tuple(params), text)


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every named query shipped in this package, by name, in name order."""
    found = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            query = parse_named_query(entry.read_text(encoding="utf-8"))
            found[query.name] = query
    return found


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    try:
        return queries[name]
    except KeyError:
        close = difflib.get_close_matches(name, queries, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownQuery(f"no named query {name!r} (list them with `kg queries`){hint}") from None
