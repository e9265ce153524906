"""Named-query latency on a ~1M-triple graph: paperkg's store beside plain rdflib in-memory SPARQL.

Generates a reproducible synthetic graph in the shape of docs/graph.md (papers, entities with a
Zipf-like popularity so that hub entities exist, sentences, mentions, roles, typed relations with
evidence), or takes an N-Triples file; loads the same triples into a
paperkg store and into an rdflib `Graph()`; then runs every named query in both with the same
bound parameters (the most-mentioned entity, task, method and dataset: the worst case), reading
every row, and prints the median latency of several runs and the ratio.

Targets (issue 5/8): every named query under 300 ms in paperkg's store, and at least 20x faster
than rdflib. Absolute numbers are for the machine that ran it.

    python bench/query_speed.py                                   # ~1M triples
    python bench/query_speed.py --triples 100000 --rdflib-runs 1  # a quick look
    python bench/query_speed.py --graph export.nt                 # your own graph
    python bench/query_speed.py --json bench/out/query/speed.json
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path

import pyoxigraph as ox

from paperkg.kg.names import lookup_key
from paperkg.kg.queries import named_queries
from paperkg.kg.query import StoreBackend, run
from paperkg.kg.sparql import prefixes
from paperkg.kg.store import Store
from paperkg.schema.vocab import base_iri

OUT = Path(__file__).parent / "out" / "query"
TYPES = {"Method": 41, "Concept": 34, "Task": 11, "Dataset": 8, "Metric": 3, "Model": 3}  # as in the seeds
WORDS = (
    "sparse dense causal linear neural latent contrastive attention probe circuit feature layer "
    "gradient saliency token graph retrieval memory reward policy diffusion vision language"
).split()
NOUNS = ("autoencoder", "network", "transformer", "benchmark", "corpus", "score", "analysis", "model", "method")


# -- the synthetic graph -------------------------------------------------------------------------


@cache
def term(prefix: str, name: str) -> ox.NamedNode:
    """`term("pkg", "Paper")`: a vocabulary IRI by its predeclared prefix."""
    return ox.NamedNode(prefixes()[prefix] + name)


def integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=term("xsd", "integer"))


def label(e: int) -> str:
    """A name, capitalised as one: the dataset questions answer only labels written as names."""
    r = random.Random(e)
    return f"{r.choice(WORDS)} {r.choice(WORDS)} {r.choice(NOUNS)} {e}".title()


class SyntheticGraph:
    """Papers drawn one by one: each mentions `per_paper` entities picked by popularity."""

    def __init__(self, out, per_paper: int, vocabulary: int, seed: int):
        self.out, self.per_paper, self.base = out, per_paper, base_iri()
        self.rng = random.Random(seed)
        self.vocabulary = vocabulary
        self.cumulative = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(vocabulary)))
        self.type_of = [self.rng.choices(list(TYPES), weights=list(TYPES.values()))[0] for _ in range(vocabulary)]
        self.papers_of, self.mentions_of = Counter(), Counter()
        self.papers = self.entity_triples = 0
        self.build = ox.NamedNode(f"{self.base}build/1")
        out(self.build, term("rdf", "type"), term("pkg", "Build"))
        out(self.build, term("rdf", "type"), term("prov", "Activity"))
        out(self.build, term("pkg", "extractorVersion"), ox.Literal("synthetic 1"))

    def size(self) -> int:
        """Triples once the entities of the papers so far are written too."""
        return self.out.count + self.entity_triples

    def entity(self, e: int) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}entity/e{e}")

    def add_paper(self) -> None:
        i, out, rdf_type = self.papers, self.out, term("rdf", "type")
        self.papers += 1
        picked: list[int] = []
        while len(picked) < self.per_paper:
            e = self.rng.choices(range(self.vocabulary), cum_weights=self.cumulative)[0]
            if e not in picked:
                picked.append(e)
        for e in picked:
            if self.papers_of[e] == 0:
                self.entity_triples += 12 + (7 if e % 7 == 0 else 0)  # what add_entity writes
            self.papers_of[e] += 1

        paper = ox.NamedNode(f"{self.base}paper/synth-{i}")
        issued = date(2021, 1, 1) + timedelta(days=i // 4)  # a daily listing: four papers a day
        arxiv_id = f"{issued:%y%m}.{i:05d}"
        out(paper, rdf_type, term("pkg", "Paper"))
        out(paper, rdf_type, term("sdo", "ScholarlyArticle"))
        out(paper, term("dcterms", "title"), ox.Literal(f"On {label(picked[0])} and {label(picked[1])} ({i})"))
        out(paper, term("dcterms", "abstract"), ox.Literal(" ".join(label(e) for e in picked) + "."))
        if i % 3:  # as in the seeds, a third of the papers have no year
            out(paper, term("dcterms", "issued"), ox.Literal(issued.isoformat(), datatype=term("xsd", "date")))
            out(paper, term("pkg", "year"), integer(issued.year))
        out(paper, term("pkg", "dateText"), ox.Literal(f"{issued:%b %d}"))
        out(paper, term("fabio", "hasArXivId"), ox.Literal(arxiv_id))
        out(paper, term("sdo", "url"), ox.NamedNode(f"https://arxiv.org/abs/{arxiv_id}"))
        if i % 5 == 0:
            out(paper, term("sdo", "codeRepository"), ox.NamedNode(f"https://github.com/lab{i % 97}/repo{i}"))
        for _ in range(3):
            out(paper, term("dcterms", "creator"), ox.Literal(f"Author {self.rng.randrange(5000)}"))
        out(paper, term("pkg", "authorCount"), integer(3))
        out(paper, term("pkg", "sourceLocation"), ox.Literal(f"synthetic.jsonl:{i + 1}"))
        out(paper, term("prov", "wasGeneratedBy"), self.build)
        sentences = self.add_sentences(paper, i)
        by_type: dict[str, list[int]] = {}
        for e in picked:
            by_type.setdefault(self.type_of[e], []).append(e)
            out(paper, term("pkg", "mentions"), self.entity(e))
        methods = by_type.get("Method", []) + by_type.get("Model", [])
        roles = [("proposes", methods[0])] if methods and i % 5 < 3 else []
        roles += [("uses", e) for e in methods[1:3]]
        roles += [("evaluatesOn", e) for e in by_type.get("Dataset", [])[:2]]
        roles += [("reports", e) for e in by_type.get("Metric", [])[:2]]
        roles += [("addresses", e) for e in by_type.get("Task", [])[:1]]
        role_of: dict[int, str] = {}
        for role, e in roles:
            out(paper, term("pkg", role), self.entity(e))
            role_of.setdefault(e, role)
        for m, e in enumerate(p for p in picked for _ in range(1 + (p % 3 == 0))):
            self.add_mention(paper, m, e, sentences[m % len(sentences)], role_of.get(e, "mentions"))
        relations = [("usedFor", m, t) for m in methods[:1] for t in by_type.get("Task", [])[:1]]
        relations += [("evaluatedOn", m, d) for m in methods[:1] for d in by_type.get("Dataset", [])[:1]]
        for r, (predicate, a, b) in enumerate(relations):
            self.add_relation(ox.NamedNode(f"{self.base}rel/p{i}-{r}"), a, predicate, b, sentences[1][0])

    def add_sentences(self, paper: ox.NamedNode, i: int) -> list[tuple[ox.NamedNode, str]]:
        sentences = []
        for field, count in (("title", 1), ("abstract", 6)):
            for k in range(count):
                s = ox.NamedNode(f"{paper.value}/{field}/s{k}")
                sentences.append((s, field))
                self.out(s, term("rdf", "type"), term("pkg", "Sentence"))
                self.out(s, term("pkg", "paper"), paper)
                self.out(s, term("pkg", "field"), ox.Literal(field))
                self.out(s, term("pkg", "sentenceIndex"), integer(k))
                self.out(s, term("rdf", "value"), ox.Literal(f"Sentence {k} of the {field} of paper {i}."))
                self.out(s, term("oa", "start"), integer(40 * k))
                self.out(s, term("oa", "end"), integer(40 * k + 39))
        return sentences

    def add_mention(self, paper, m: int, e: int, sentence, role: str) -> None:
        node, (sentence_node, _), out = ox.NamedNode(f"{paper.value}/m{m}"), sentence, self.out
        self.mentions_of[e] += 1
        out(node, term("rdf", "type"), term("pkg", "Mention"))
        out(node, term("oa", "hasBody"), self.entity(e))
        out(node, term("pkg", "paper"), paper)
        out(node, term("pkg", "sentence"), sentence_node)
        out(node, term("oa", "exact"), ox.Literal(label(e)))
        out(node, term("oa", "start"), integer(3 * m))
        out(node, term("oa", "end"), integer(3 * m + 10))
        out(node, term("pkg", "role"), term("pkg", role))
        out(node, term("pkg", "extractor"), ox.Literal("ner"))

    def add_relation(self, node, a: int, predicate: str, b: int, sentence) -> None:
        out = self.out
        out(self.entity(a), term("pkg", predicate), self.entity(b))
        out(node, term("rdf", "type"), term("rdf", "Statement"))
        out(node, term("rdf", "subject"), self.entity(a))
        out(node, term("rdf", "predicate"), term("pkg", predicate))
        out(node, term("rdf", "object"), self.entity(b))
        out(node, term("prov", "wasDerivedFrom"), sentence)
        out(node, term("prov", "wasGeneratedBy"), self.build)

    def add_entities(self) -> None:
        out = self.out
        for e in self.papers_of:
            node, name = self.entity(e), label(e)
            out(node, term("rdf", "type"), term("pkg", self.type_of[e]))
            out(node, term("skos", "prefLabel"), ox.Literal(name))
            out(node, term("skos", "altLabel"), ox.Literal(name + "s"))
            out(node, term("pkg", "key"), ox.Literal(name))
            out(node, term("pkg", "lookupKey"), ox.Literal(lookup_key(name)))
            out(node, term("pkg", "paperCount"), integer(self.papers_of[e]))
            out(node, term("pkg", "mentionCount"), integer(self.mentions_of[e]))
            self.add_merge(node, "plural", name + "s")
            if e % 7 == 0:
                acronym = "".join(w[0] for w in name.split()[:3]).upper() + str(e)
                out(node, term("pkg", "acronym"), ox.Literal(acronym))
                out(node, term("skos", "altLabel"), ox.Literal(acronym))
                out(node, term("pkg", "lookupKey"), ox.Literal(lookup_key(acronym)))
                self.add_merge(node, "acronym", acronym)

    def add_merge(self, node, rule: str, alias: str) -> None:
        merge = ox.NamedNode(f"{node.value}/merge/{rule}")
        self.out(node, term("pkg", "hasMerge"), merge)
        self.out(merge, term("rdf", "type"), term("pkg", "AliasMerge"))
        self.out(merge, term("pkg", "alias"), ox.Literal(alias))
        self.out(merge, term("pkg", "mergeRule"), ox.Literal(rule))


class Writer:
    """N-Triples out, counted; terms are pyoxigraph objects, so escaping is the library's."""

    def __init__(self, fh):
        self.fh, self.count = fh, 0

    def __call__(self, s, p, o) -> None:
        self.fh.write(f"{s} {p} {o} .\n")
        self.count += 1


def generate(path: Path, target: int, per_paper: int = 12, seed: int = 0) -> dict:
    """Write about `target` triples to `path`; returns what was generated."""
    with open(path, "w", encoding="utf-8") as fh:
        graph = SyntheticGraph(Writer(fh), per_paper, vocabulary=max(1000, target // 250), seed=seed)
        while graph.size() < target:
            graph.add_paper()
        graph.add_entities()
    return {
        "triples_written": graph.out.count,
        "papers": graph.papers,
        "entities": len(graph.papers_of),
        "hub_entity_papers": max(graph.papers_of.values()),
    }


# -- timing --------------------------------------------------------------------------------------


def parameters(backend) -> dict[str, ox.NamedNode | ox.Literal]:
    """Values for the parameter names: the most-mentioned of each kind (the slow case).

    A kind the graph has none of is left out, and the queries taking it run unbound.
    """

    def first(query: str, bindings=None):
        return next((row[0] for row in run(backend, query, bindings).rows), None)

    def top(pattern: str):
        return first(f"SELECT ?x WHERE {{ {pattern} }} ORDER BY DESC(?n) ?x LIMIT 1")

    entity = top("?x pkg:paperCount ?n")
    chosen = {
        "entity": entity,
        "method": top("?x a pkg:Method ; pkg:paperCount ?n"),
        "task": top("?x a pkg:Task ; pkg:paperCount ?n"),
        "dataset": top("?x a pkg:Dataset ; pkg:paperCount ?n"),
        "model": top("?x a pkg:Model ; pkg:paperCount ?n"),
        "acronym": top("?e pkg:acronym ?x ; pkg:paperCount ?n"),
        "type": ox.NamedNode(prefixes()["pkg"] + "Method"),
    }
    if entity is not None:  # a paper about the hub entity that proposes something, else any that does
        chosen["paper"] = first("SELECT ?p ?e WHERE { ?p pkg:mentions ?e ; pkg:proposes ?x } LIMIT 1", {"e": entity})
    if chosen.get("paper") is None:
        chosen["paper"] = first("SELECT ?p WHERE { ?p pkg:proposes ?x } ORDER BY ?p LIMIT 1")
    return {name: value for name, value in chosen.items() if value is not None}


def median_ms(call, runs: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        rows = call()
        times.append((time.perf_counter() - started) * 1000)
        if times[-1] > 30_000:  # one very slow run is measurement enough
            break
    return statistics.median(times), rows


def paperkg_call(backend, text, bound):
    def call():
        result = run(backend, text, bound)
        return len(list(result.rows)) if hasattr(result, "rows") else 1

    return call


def rdflib_call(graph, text, bound):
    import rdflib

    def term(t):
        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        plain = t.datatype.value == prefixes()["xsd"] + "string"
        return rdflib.Literal(
            t.value, lang=t.language, datatype=None if plain or t.language else rdflib.URIRef(t.datatype.value)
        )

    init = {rdflib.Variable(k): term(v) for k, v in bound.items()}

    def call():
        result = graph.query(text, initNs=prefixes(), initBindings=init)
        return 1 if result.type == "ASK" else len(list(result))

    return call


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the generated graph")
    parser.add_argument("--graph", type=Path, help="time this N-Triples file instead of generating one")
    parser.add_argument("--runs", type=int, default=7, help="runs per query in paperkg's store")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="runs per query in rdflib (0: skip rdflib)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"work directory [{OUT}]")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    graph_path, summary = args.graph, {}
    if graph_path is None:
        graph_path = args.out / "graph.nt"
        started = time.perf_counter()
        summary = generate(graph_path, args.triples)
        summary["generate_s"] = round(time.perf_counter() - started, 1)
    shutil.rmtree(args.out / "store", ignore_errors=True)
    store = Store(args.out / "store")
    started = time.perf_counter()
    with store.transaction() as db:
        db.bulk_load(path=str(graph_path), format=ox.RdfFormat.N_TRIPLES)
        del db  # the transaction closes the writer by dropping it
    summary["paperkg_load_s"] = round(time.perf_counter() - started, 1)
    store = Store(args.out / "store")
    summary["triples"] = len(store)
    backend = StoreBackend(store)
    chosen = parameters(backend)

    graph = None
    if args.rdflib_runs:
        import rdflib

        started = time.perf_counter()
        graph = rdflib.Graph()
        graph.parse(graph_path, format="nt")
        summary["rdflib_load_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(summary), file=sys.stderr)

    rows = []
    for query in named_queries().values():
        bound = {p.name: chosen[p.name] for p in query.parameters if p.name in chosen}
        ours, n = median_ms(paperkg_call(backend, query.text, bound), args.runs)
        theirs = median_ms(rdflib_call(graph, query.text, bound), args.rdflib_runs)[0] if graph is not None else None
        rows.append(
            {
                "query": query.name,
                "rows": n,
                "paperkg_ms": round(ours, 1),
                "rdflib_ms": None if theirs is None else round(theirs, 1),
                "ratio": None if theirs is None else round(theirs / ours, 1),
            }
        )
        print_row(rows[-1], first=len(rows) == 1)
    if args.json:
        args.json.write_text(json.dumps({"graph": summary, "queries": rows}, indent=2) + "\n")


def print_row(row: dict, first: bool) -> None:
    if first:
        print(f"{'query':<30} {'rows':>7} {'paperkg ms':>11} {'rdflib ms':>11} {'ratio':>7}  targets (<300 ms, >=20x)")
    rdflib_ms = "-" if row["rdflib_ms"] is None else f"{row['rdflib_ms']:,.1f}"
    ratio = "-" if row["ratio"] is None else f"{row['ratio']:,.0f}x"
    ok = ("ok" if row["paperkg_ms"] < 300 else "SLOW") + (
        "" if row["ratio"] is None else (" ok" if row["ratio"] >= 20 else " LOW")
    )
    print(
        f"{row['query']:<30} {row['rows']:>7,} {row['paperkg_ms']:>11,.1f} {rdflib_ms:>11} {ratio:>7}  {ok}", flush=True
    )


if __name__ == "__main__":
    main()
