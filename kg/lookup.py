"""Find an entity by any of its names and describe it: the API behind `kg lookup`.

The term is normalised with `kg.names.lookup_key`, the function linking used to merge names, so
case, hyphens, a plural, the acronym or the long form all find the same entity. Exact matches
come from the label index in the store (`kg.label_index`); only when there is none are fuzzy
"did you mean" candidates ranked. What the user typed reaches the store only as a bound literal,
and entity and paper IRIs reach SPARQL only through `substitutions=`: no query text is built
from data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from paperkg.kg import label_index
from paperkg.kg.external import Link, entity_links
from paperkg.kg.label_index import EntityRef, entity_ref, which
from paperkg.kg.names import lookup_key, spacing_keys
from paperkg.kg.store import Store
from paperkg.kg.terms import PREFIXES, dcterms, named, pkg, skos, term_value
from paperkg.schema.errors import InputError
from paperkg.schema.namespaces import CO_OCCURRENCE, PKG_NS, RELATIONS, ROLES, SYMMETRIC_RELATIONS, parse_entity_type

DEFAULT_LIMIT = 10
SUGGESTIONS = 5


class BadTerm(InputError):
    """A term or type that cannot be looked up; the message is meant for the user."""


@dataclass
class Paper:
    iri: str
    title: str | None
    date: str | None  # ISO date when the year is known, else the date as written
    roles: list[str]  # local names of pkg: roles; ["mentions"] when no sharper role is known


@dataclass
class Evidence:
    paper: str
    sentence: str
    start: int | None  # the mention's offsets in `sentence` (end exclusive); None if not found
    end: int | None


@dataclass
class Related:
    iri: str
    name: str
    type: str
    relation: str  # "usedFor", ...; "^usedFor" when the other entity is the subject; or "coOccursWith"
    count: int  # papers that state a typed relation; papers shared, for "coOccursWith" (of
    # COOCCURRENCE_PAPERS of the entity's papers, a sample in the store's order)
    reliable: bool = False  # a typed relation two papers state, or scorer and pattern agree on (kg.support)


@dataclass
class Named:
    """Another entity, named only: offered beside a match, or its model family or a variant."""

    iri: str
    name: str
    type: str
    papers: int


@dataclass
class Match:
    iri: str
    name: str
    type: str
    aliases: list[str]
    paper_count: int | None
    papers: list[Paper] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)  # to reference vocabularies, exact matches first
    family: Named | None = None  # the model family it is a variant of (pkg:variantOf)
    variants: list[Named] = field(default_factory=list)  # its own variants, most papers first
    family_papers: int | None = None  # papers naming it or any variant (through variants of variants)
    time: dict | None = None  # first appearance, papers per month, trend and bursts (`EntityTrend.to_dict`)

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["paper_count"]  # not part of the documented JSON shape
        return data


@dataclass
class Suggestion:
    iri: str
    name: str
    type: str
    score: float  # rapidfuzz ratio of the keys, 0-100


@dataclass
class LookupResult:
    term: str
    matches: list[Match]  # the entity the term means (`kg.label_index.which`), or none
    suggestions: list[Suggestion]
    others: list[Named] = field(default_factory=list)  # other entities so named, most papers first
    # entities of one paper each named so only by an alias (its paper's definition of the term as
    # an acronym of another long form): the definitions that conflict with the main entity,
    # folded under it
    definitions: list[Named] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "matches": [m.to_dict() for m in self.matches],
            "others": [asdict(n) for n in self.others],
            "definitions": [asdict(n) for n in self.definitions],
            "suggestions": [asdict(s) for s in self.suggestions],
        }


def entity_type(name: str | None) -> str | None:
    """The class name for a user's `--type` (any case), or None for no filter."""
    if name is None:
        return None
    try:
        return parse_entity_type(name)
    except InputError as exc:
        raise BadTerm(str(exc)) from exc


def lookup(store: Store, term: str, type: str | None = None, limit: int = DEFAULT_LIMIT) -> LookupResult:
    """The entity `term` means (of `type`, if given), with up to `limit` papers, typed relations
    and co-occurring entities, and the other entities so named beside it; when none is named so,
    up to `SUGGESTIONS` close names instead."""
    key = lookup_key(term)
    if not key:
        raise BadTerm(f"nothing to look up in {term!r}: it has no letters or digits")
    if limit < 1:
        raise BadTerm(f"limit must be at least 1, not {limit}")
    wanted = entity_type(type)
    store.require()
    refs: list[EntityRef] = []
    for spaced in spacing_keys(term):  # `Open Images` finds `OpenImages`
        refs = [r for r in label_index.entities_with_key(store, spaced) if wanted is None or r.type == wanted]
        if refs:
            break
    if refs:
        main, *rest = which(refs)
        defining = {r.iri for r in rest if r.paper_count == 1 and _defines(store, r, key)}
        return LookupResult(
            term,
            [describe(store, main, limit)],
            [],
            others=[_named(r) for r in rest if r.iri not in defining],
            definitions=[_named(r) for r in rest if r.iri in defining],
        )
    close = label_index.load(store).suggest(store, key, wanted, SUGGESTIONS)
    return LookupResult(term, [], [Suggestion(r.iri, r.name, r.type, score) for r, score in close])


def describe(store: Store, ref: EntityRef, limit: int = DEFAULT_LIMIT) -> Match:
    entity = ox.NamedNode(ref.iri)
    kept = _kept_hub(store, ref, limit)
    papers = _papers(store, entity, limit)
    evidence = [ev for p in papers if (ev := _evidence(store, entity, ox.NamedNode(p.iri)))]
    db = store.oxigraph
    family = [r for q in db.quads_for_pattern(entity, pkg.variantOf, None) if (r := entity_ref(store, named(q.object)))]
    variants = [
        r for q in db.quads_for_pattern(None, pkg.variantOf, entity) if (r := entity_ref(store, named(q.subject)))
    ]
    return Match(
        ref.iri,
        ref.name,
        ref.type,
        _aliases(store, entity, ref.name),
        ref.paper_count,
        papers,
        evidence,
        [Related(**r) for r in kept["related"]] if kept else _related(store, entity, limit),
        entity_links(store.oxigraph, entity),
        family=_named(family[0]) if family else None,
        variants=[_named(r) for r in which(variants)[:limit]],
        family_papers=_family_papers(store, entity) if variants else None,
        time=kept["time"] if kept else _time(store, ref.iri),
    )


# What `describe` reads longest for the entities in the most papers: their typed relations and
# co-occurrences (LLM on the whole corpus: 0.2 s of CPU of a 0.7 s lookup) and their time line
# (numpy's import alone takes 0.1 s). The build keeps both for every entity in at least
# HUB_PAPERS papers, as `describe` shows them at the default limit, in a file of the store's
# generation (`keep_hubs`, from `kg.build.keep_reader_caches`), so a lookup of a hub reads them
# from there; every other entity, another --limit, or a store without the file reads the store.
# A generation is never written again, so the file never goes stale. (22 hubs on the whole
# corpus, about 5 s of CPU at the end of a build; an entity in fewer papers counts its
# co-occurrences in fewer of them, and a lookup of CNN, in 978, takes about 0.5 s of CPU.)
HUB_PAPERS = 1000
_HUBS = "lookup-hubs"
_HUBS_FORMAT = 1
_HUB_ENTITIES = "SELECT ?e WHERE { ?e pkg:paperCount ?n FILTER(?n >= %d) }"


def keep_hubs(store: Store) -> None:
    """Keep the related entities and the time line of every entity in at least HUB_PAPERS
    papers, for this generation of the store."""
    hubs = {}
    for row in _select(store, _HUB_ENTITIES % HUB_PAPERS):
        entity = named(row["e"])
        related = _related(store, entity, DEFAULT_LIMIT)
        hubs[entity.value] = {"related": [asdict(r) for r in related], "time": _time(store, entity.value)}
    store.keep_json(_HUBS, {"format": _HUBS_FORMAT, "limit": DEFAULT_LIMIT, "entities": hubs})


def _kept_hub(store: Store, ref: EntityRef, limit: int) -> dict | None:
    """What `keep_hubs` kept of `ref` for this generation, if it is a hub shown at the limit kept."""
    if (ref.paper_count or 0) < HUB_PAPERS or limit != DEFAULT_LIMIT:
        return None  # not kept: no need to read the file
    data = store.kept_json(_HUBS)
    try:
        if data["format"] == _HUBS_FORMAT and data["limit"] == limit:
            return data["entities"].get(ref.iri)
    except (KeyError, TypeError, AttributeError):
        pass  # missing or unreadable: read the store
    return None


def _named(ref: EntityRef) -> Named:
    return Named(ref.iri, ref.name, ref.type, ref.paper_count or 0)


def _defines(store: Store, ref: EntityRef, key: str) -> bool:
    """Whether `ref` has the name keyed `key` only as an alias (an acronym its paper defined for
    it, or wrote beside it), not as its own name."""
    return all(own != key for own in _values(store, ox.NamedNode(ref.iri), pkg.key))


# the papers that name a family or any of its variants, however deep
_FAMILY_PAPERS = """
SELECT ?e (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?member pkg:variantOf* ?e .
  ?p pkg:mentions ?member .
}
GROUP BY ?e"""


def _family_papers(store: Store, entity: ox.NamedNode) -> int:
    return next((int(row["n"].value) for row in _select(store, _FAMILY_PAPERS, e=entity)), 0)


def _time(store: Store, iri: str) -> dict | None:
    """The entity's time data over the store's months, with the papers left out; None when the
    store has no dated paper or the entity none with a date."""
    from paperkg.kg.trend_report import entity_trend  # numpy: imported only when the time is not kept

    report = entity_trend(store, iri)
    if not report.records or not report.months or report.records[0].first_seen is None:
        return None
    record = report.records[0]
    time = record.to_dict(report.months)
    for repeated in ("iri", "label", "type", "papers"):
        del time[repeated]
    time["sparkline"] = record.sparkline
    time["papers_without_year"] = report.no_year
    return time


# Every query below starts from the entity (bound with `substitutions=`) and keeps to one basic
# graph pattern with OPTIONALs last, so Oxigraph walks out from the bound node. Lists that can be
# long for a hub entity (its papers, its co-occurrences) are cut to the top rows in SPARQL, sorted
# on literals only: ordering by an IRI costs a dictionary read per row. (Ties at the cut are
# therefore broken by the store's own order.) The few rows kept are completed by index lookups.


def _select(store: Store, query: str, **terms):
    """Run a SELECT with `terms` bound to its variables (each must be in its projection)."""
    return store.query(query, prefixes=PREFIXES, substitutions={ox.Variable(k): v for k, v in terms.items()})


def _values(store: Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> list[str]:
    return [term_value(q.object) for q in store.oxigraph.quads_for_pattern(subject, predicate, None)]


def _aliases(store: Store, entity: ox.NamedNode, name: str) -> list[str]:
    """Acronyms first, then the other labels; one spelling per case-insensitive form."""
    labels = sorted(_values(store, entity, skos.altLabel), key=lambda s: (s.casefold(), s))
    seen = {name.casefold()}
    aliases = []
    for alias in _values(store, entity, pkg.acronym) + labels:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    return aliases


# the newest papers that link to ?e by one role (papers without a known year come last)
_PAPERS_BY_ROLE = """
SELECT ?e ?p ?issued WHERE {
  ?p pkg:%s ?e .
  OPTIONAL { ?p dcterms:issued ?issued }
}
ORDER BY DESC(?issued)
LIMIT %d"""


def _papers(store: Store, entity: ox.NamedNode, limit: int) -> list[Paper]:
    """Up to `limit` papers of the entity: those proposing it first, then by role, newest first.

    Roles are visited in order and each gives only as many papers as are still missing, so a
    hub entity's thousands of papers are never all sorted.
    """
    chosen: list[ox.NamedNode] = []
    for role in ROLES:
        if len(chosen) == limit:
            break
        seen = set(chosen)
        # `limit` rows leave room for papers already chosen under a better role coming again
        for row in _select(store, _PAPERS_BY_ROLE % (role, limit), e=entity):
            if row["p"] not in seen and len(chosen) < limit:
                chosen.append(row["p"])
    return [_paper(store, p, entity) for p in chosen]


def _paper(store: Store, paper: ox.NamedNode, entity: ox.NamedNode) -> Paper:
    links = {q.predicate.value.removeprefix(PKG_NS) for q in store.oxigraph.quads_for_pattern(paper, None, entity)}
    roles = [r for r in ROLES if r in links and r != "mentions"] or ["mentions"]
    title = next(iter(_values(store, paper, dcterms.title)), None)
    return Paper(paper.value, title, _date(store, paper), roles)


def _date(store: Store, paper: ox.NamedNode) -> str | None:
    """The paper's date as `kg.readers.dates` writes it (2024-10-16, or --10-16 without a year),
    also for a store built before month-and-day dates were kept; else the text as written."""
    issued = _values(store, paper, dcterms.issued)
    if issued:
        return issued[0]
    written = _values(store, paper, pkg.dateText)
    if not written:
        return None
    from paperkg.extract.readers.dates import parse_date  # only for older stores: keep lookup's imports light

    return parse_date(written[0]).date or written[0]


_EVIDENCE = """
SELECT ?e ?p ?text ?sentenceStart ?start ?end ?exact ?field ?role WHERE {
  ?m pkg:paper ?p ; oa:hasBody ?e ; pkg:sentence ?s ;
     oa:exact ?exact ; oa:start ?start ; oa:end ?end .
  ?s pkg:field ?field ; rdf:value ?text ; oa:start ?sentenceStart .
  OPTIONAL { ?m pkg:role ?role }
}"""


def _evidence(store: Store, entity: ox.NamedNode, paper: ox.NamedNode) -> Evidence | None:
    """One sentence of `paper` that mentions the entity: preferably one that gives it a role,
    from the abstract (the title is shown anyway), earliest first."""

    def preference(row):
        role = row["role"]
        return (role is None or role == pkg.mentions, row["field"].value == "title", int(row["start"].value))

    rows = sorted(_select(store, _EVIDENCE, e=entity, p=paper), key=preference)
    if not rows:
        return None
    row = rows[0]
    text, exact = row["text"].value, row["exact"].value
    start = int(row["start"].value) - int(row["sentenceStart"].value)
    if text[start : start + len(exact)] != exact:  # offsets that disagree with the text: find the words
        start = text.find(exact)
    if start < 0:
        return Evidence(paper.value, text, None, None)
    return Evidence(paper.value, text, start, start + len(exact))


# typed relations of ?e as the rdf:subject or rdf:object of their evidence statements, with the
# number of papers stating each, reliable ones first, then most papers first. The sub-SELECT
# reads only what the order needs: a hub has thousands of statements (LLM on the whole corpus
# 5,100 as subject), and reading their relation and other entity too, for the 10 kept, took
# twice the time (0.25 s against 0.1 s of CPU for LLM).
_TYPED = """
SELECT ?e ?other ?rel ?n ?reliable WHERE {
  {
    SELECT ?e ?st ?n ?reliable WHERE { ?st rdf:%(this)s ?e ; pkg:supportPapers ?n ; pkg:reliable ?reliable . }
    ORDER BY DESC(?reliable) DESC(?n)
    LIMIT %(limit)d
  }
  ?st rdf:predicate ?rel ; rdf:%(that)s ?other .
}"""

# the entities that share most papers with ?e, counted from the mentions of COOCCURRENCE_PAPERS
# of its papers (faster than stored pair counts ever were: see docs/graph.md)
_CO_OCCURRING = """
SELECT ?e ?other (COUNT(?p) AS ?n) WHERE {
  {
    SELECT ?e ?p WHERE { ?p pkg:mentions ?e . }
    LIMIT %d
  }
  ?p pkg:mentions ?other .
  FILTER(?other != ?e)
}
GROUP BY ?e ?other
ORDER BY DESC(?n)
LIMIT %d"""
# Counting all of a hub's papers would cost seconds (an entity in 20,000 papers has half a million
# mentions beside it), so lookup counts this many and says so. They are the first in the store's
# index, which Oxigraph orders by a hash of each paper's IRI: a sample blind to date and topic.
# Taking the newest instead meant reading and sorting the dates of all of them: 0.55 s of the
# 0.85 s this query took for LLM (15,122 papers) on the whole corpus.
COOCCURRENCE_PAPERS = 1000


def _related(store: Store, entity: ox.NamedNode, limit: int) -> list[Related]:
    """Up to `limit` entities by typed relations (reliable ones first, then by supporting papers),
    then up to `limit` more that co-occur with it most often."""
    typed: Counter = Counter()  # (other, relation) -> supporting papers (both directions, when symmetric)
    reliable: set[tuple] = set()
    for this, that, mark in (("subject", "object", ""), ("object", "subject", "^")):
        for row in _select(store, _TYPED % {"this": this, "that": that, "limit": limit}, e=entity):
            relation = row["rel"].value.removeprefix(PKG_NS)
            if relation in RELATIONS:
                shown = relation if relation in SYMMETRIC_RELATIONS else mark + relation
                typed[row["other"], shown] += int(row["n"].value)
                if row["reliable"].value == "true":
                    reliable.add((row["other"], shown))
    best = sorted(typed.items(), key=lambda item: (item[0] not in reliable, -item[1], item[0][0].value, item[0][1]))
    related = [
        _related_entity(store, other, relation, n, (other, relation) in reliable)
        for (other, relation), n in best[:limit]
    ]
    shown = {r.iri for r in related}
    cooccurring: list[Related] = []
    for row in _select(store, _CO_OCCURRING % (COOCCURRENCE_PAPERS, limit + len(shown)), e=entity):
        if row["other"].value not in shown and len(cooccurring) < limit:
            shown.add(row["other"].value)
            cooccurring.append(_related_entity(store, row["other"], CO_OCCURRENCE, int(row["n"].value)))
    cooccurring.sort(key=lambda r: (-r.count, r.name.casefold()))
    return related + cooccurring


def _related_entity(store: Store, other: ox.NamedNode, relation: str, count: int, reliable: bool = False) -> Related:
    ref = entity_ref(store, other) or EntityRef(other.value, other.value, "Entity", None)
    return Related(ref.iri, ref.name, ref.type, relation, count, reliable)
