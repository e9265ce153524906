"""Are an entity's aliases and links true? Precision on hand-judged samples of a built graph.

The fixtures (tests/fixtures/aliases/, judging rules in its README) hold seeded samples of
(entity, alias) pairs and of (entity, external link) pairs drawn from builds of a 20,000-abstract
arXiv sample, each judged `same` or `different` by a reader who knows the field. Scoring reads only
the fixtures, so it needs no store and no model:

    python bench/aliases.py                          # alias and link precision of every fixture
    python bench/aliases.py sample STORE OUT.tsv     # a new alias sample to judge
    python bench/aliases.py links STORE OUT.tsv      # a new link sample, and the links per source and kind
    python bench/aliases.py links STORE OUT.tsv --recompute   # ... of the links today's rules give its entities
    python bench/aliases.py counts STORE             # entities per type, merges per rule, what the hubs name

An alias sample is 75 entities of the 300 in most papers (one non-trivial alias each) and 75
non-trivial aliases drawn from all entities in at least `MIN_PAPERS` papers; an alias is trivial
when it differs from the label only in case, punctuation (not a `+`) or a plural `s`. A link sample is up to
60 exact and 60 close links of entities in at least `MIN_LINK_PAPERS` papers.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections import Counter
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "aliases"
SEED = 30
MIN_PAPERS = 5
MIN_LINK_PAPERS = 3
HUBS = 300
PER_PART = 75
LINKS_PER_KIND = 60
VERDICTS = ("same", "different")

_ALIASES = """
SELECT ?e ?label ?type ?n ?alias (GROUP_CONCAT(?rule; separator=" ") AS ?rules) WHERE {
  ?e skos:prefLabel ?label ; pkg:paperCount ?n ; rdf:type ?type ; pkg:hasMerge ?m .
  ?m pkg:alias ?alias ; pkg:mergeRule ?rule .
  FILTER (?n >= MIN)
} GROUP BY ?e ?label ?type ?n ?alias
"""
_ENTITIES = "SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e rdf:type ?type ; skos:prefLabel ?label } GROUP BY ?type"
_RULES = "SELECT ?rule (COUNT(?m) AS ?n) WHERE { ?m pkg:mergeRule ?rule } GROUP BY ?rule"
_MERGES = "SELECT (COUNT(?m) AS ?n) WHERE { ?e pkg:hasMerge ?m }"
# names whose entity must stay one (issue 30): each should name one entity, with its long form
HUB_NAMES = (
    ("CNN", "convolutional neural network"),
    ("ViT", "Vision Transformer"),
    ("SAM", "Segment Anything Model"),
    ("GRPO", "Group Relative Policy Optimization"),
    ("LoRA", "low-rank adaptation"),
    ("CLIP", "Contrastive Language-Image Pre-training"),
)
# what the link rules read (kg.entities.external_links is a function of these alone)
_NAMED = """
SELECT ?e ?key ?label ?type ?n WHERE { ?e pkg:key ?key ; skos:prefLabel ?label ; pkg:paperCount ?n ; rdf:type ?type }
"""
_LINKS = """
SELECT ?e ?label ?type ?n ?match ?iri WHERE {
  ?e skos:prefLabel ?label ; pkg:paperCount ?n ; rdf:type ?type .
  VALUES ?match { skos:exactMatch skos:closeMatch }
  ?e ?match ?iri .
}
"""


def _trivial(alias: str, label: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"s$", "", re.sub(r"[\W_]+", "", s.casefold().replace("+", "plus")))

    return norm(alias) == norm(label)


def _rows(store_dir: Path, query: str) -> list[dict]:
    from paperkg.kg.store import Store
    from paperkg.kg.terms import PREFIXES
    from paperkg.schema.namespaces import ENTITY_TYPES, PKG_NS

    store = Store(store_dir)
    rows = []
    solutions = store.query(query, prefixes=PREFIXES)
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        row = {name: solution[name].value for name in names}
        row["type"] = row["type"].removeprefix(PKG_NS)
        if row["type"] in ENTITY_TYPES:
            rows.append(row)
    return rows


def sample_aliases(store_dir: Path, seed: int = SEED) -> list[dict]:
    rows = _rows(store_dir, _ALIASES.replace("MIN", str(MIN_PAPERS)))
    pairs = sorted((r for r in rows if not _trivial(r["alias"], r["label"])), key=lambda r: (r["e"], r["alias"]))
    rng = random.Random(seed)
    by_entity: dict[str, list[dict]] = {}
    for r in pairs:
        by_entity.setdefault(r["e"], []).append(r)
    hubs = sorted(by_entity, key=lambda e: (-int(by_entity[e][0]["n"]), e))[:HUBS]
    chosen = [rng.choice(by_entity[e]) for e in rng.sample(hubs, min(PER_PART, len(hubs)))]
    rest = [r for r in pairs if r not in chosen]
    chosen += rng.sample(rest, min(PER_PART, len(rest)))
    return chosen


def _recomputed_links(store_dir: Path) -> list[dict]:
    """The links today's rules give the store's entities, from the key, type and label each has."""
    from paperkg.kg.entities import external_links
    from paperkg.kg.quality import load_quality
    from paperkg.schema.namespaces import SKOS_NS

    quality = load_quality()
    return [
        {**r, "match": SKOS_NS + relation, "iri": iri}
        for r in _rows(store_dir, _NAMED)
        for relation, iri in external_links(r["key"], r["type"], r["label"], quality)
    ]


def sample_links(store_dir: Path, seed: int = SEED, recompute: bool = False) -> tuple[list[dict], Counter]:
    """Up to `LINKS_PER_KIND` links of each kind, and the count of every link by (source, kind)."""
    from paperkg.kg.external import source_of

    rows = _recomputed_links(store_dir) if recompute else _rows(store_dir, _LINKS)
    counts = Counter((source_of(r["iri"]), r["match"].rsplit("#", 1)[1]) for r in rows)
    rng = random.Random(seed)
    chosen = []
    for kind in ("exactMatch", "closeMatch"):
        pool = sorted(
            (r for r in rows if r["match"].endswith(kind) and int(r["n"]) >= MIN_LINK_PAPERS),
            key=lambda r: (r["e"], r["iri"]),
        )
        chosen += rng.sample(pool, min(LINKS_PER_KIND, len(pool)))
    return chosen, counts


def print_counts(store_dir: Path) -> None:
    """Entities per type, merges per rule, and the entities each hub name and its long form find."""
    from paperkg.kg.lookup import lookup
    from paperkg.kg.store import Store
    from paperkg.kg.terms import PREFIXES
    from paperkg.schema.namespaces import ENTITY_TYPES, PKG_NS

    store = Store(store_dir)
    types = {r["type"].value.removeprefix(PKG_NS): int(r["n"].value) for r in store.query(_ENTITIES, prefixes=PREFIXES)}
    types = {t: n for t, n in types.items() if t in ENTITY_TYPES}
    print(f"entities\t{sum(types.values())}\t" + " ".join(f"{t}={n}" for t, n in sorted(types.items())))
    merges = int(next(iter(store.query(_MERGES, prefixes=PREFIXES)))["n"].value)
    rules = {r["rule"].value: int(r["n"].value) for r in store.query(_RULES, prefixes=PREFIXES)}
    print(f"merges\t{merges}\t" + " ".join(f"{r}={n}" for r, n in sorted(rules.items())))
    for short, long in HUB_NAMES:
        found = {name: lookup(store, name, limit=1).matches for name in (short, long)}
        same = {m.iri for m in found[short][:1]} == {m.iri for m in found[long][:1]}
        top = found[short][0] if found[short] else None
        shown = f"{top.name} ({top.type}, {top.paper_count} papers)" if top else "-"
        print(f"hub\t{short}\t{len(found[short])} entities\tfirst: {shown}\tlong form finds it: {same}")


def _vocabulary_names() -> dict[str, str]:
    """IRI -> the names and types the shipped vocabulary table gives it, for the judge."""
    from paperkg.kg.quality import load_quality

    names: dict[str, set[str]] = {}
    for entries in load_quality()._vocabulary.values():
        for entry in entries:
            if entry.iri:
                names.setdefault(entry.iri, set()).add(f"{entry.name} ({entry.type}, {entry.family})")
    return {iri: "; ".join(sorted(found)) for iri, found in names.items()}


def write(rows: list[dict], out: Path, columns: list[str]) -> None:
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["verdict", *columns, "note"])
        for r in rows:
            writer.writerow(["", *(r.get(c, "") for c in columns), ""])


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if not r["verdict"].startswith("#")]


def precision(rows: list[dict], by: str | None = None) -> dict[str, tuple[int, int]]:
    """(same, judged) overall (key "all") and per value of column `by`."""
    found: dict[str, list[int]] = {}
    for r in rows:
        if r["verdict"] not in VERDICTS:
            raise SystemExit(f"unjudged or unknown verdict {r['verdict']!r}: {r}")
        for key in ["all", *([r[by]] if by else [])]:
            tally = found.setdefault(key, [0, 0])
            tally[0] += r["verdict"] == "same"
            tally[1] += 1
    return {k: (v[0], v[1]) for k, v in found.items()}


def report(fixtures: Path = FIXTURES) -> None:
    for path in sorted(fixtures.glob("*.tsv")):
        rows = read(path)
        by = "match" if path.name.startswith("links") else "rules"
        result = precision(rows, by)
        same, judged = result.pop("all")
        print(f"{path.name}: {same}/{judged} same = {same / judged:.1%}")
        for key, (s, n) in sorted(result.items(), key=lambda kv: -kv[1][1]):
            print(f"    {key:<40} {s}/{n}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    for name in ("sample", "links"):
        p = sub.add_parser(name)
        p.add_argument("store", type=Path)
        p.add_argument("out", type=Path)
        p.add_argument("--seed", type=int, default=SEED)
        if name == "links":
            p.add_argument("--recompute", action="store_true", help="the links today's rules give, not the stored ones")
    sub.add_parser("counts").add_argument("store", type=Path)
    args = parser.parse_args(argv)
    if args.command == "sample":
        write(sample_aliases(args.store, args.seed), args.out, ["label", "alias", "type", "n", "rules", "e"])
    elif args.command == "links":
        rows, counts = sample_links(args.store, args.seed, args.recompute)
        names = _vocabulary_names()
        for r in rows:
            r["vocabulary"] = names.get(r["iri"], "")
            r["match"] = r["match"].rsplit("#", 1)[1]
        write(rows, args.out, ["match", "label", "type", "n", "iri", "vocabulary", "e"])
        for (source, kind), n in sorted(counts.items()):
            print(f"{source}\t{kind}\t{n}")
    elif args.command == "counts":
        print_counts(args.store)
    else:
        report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
