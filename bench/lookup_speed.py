"""Wall time of `kg lookup` from the shell, on a synthetic store in the shape of docs/graph.md.

    python bench/lookup_speed.py                  # 50,000 papers (the store is built once, then reused)
    python bench/lookup_speed.py --papers 300     # a quick check
    python bench/lookup_speed.py --store PATH     # time an existing store (e.g. the seed graph)

The synthetic graph is written with pyoxigraph quads directly: papers with dates and authors,
sentences, mentions with offsets and roles, entities with preferred and alternative labels,
acronyms and lookup keys, and typed relations with evidence statements.
Entity names come from a realistic pool: the project's gazetteers (data/gazetteers), SciERC's
annotated spans when ../shared/data/scierc (or $PAPERKG_SCIERC) is present, and modifiers on
those for the long tail. Popularity is Zipf-like, so "sparse autoencoder" is a hub found in a
large share of the papers: the worst case for a lookup.

Each command runs --runs times as a subprocess; the table shows the median, min and max wall
seconds and the median CPU seconds (user + system), against `python -c pass` and `kg --help`.
Targets (issue 6): under 1 s wall on the seed graph and under 1.5 s at 50,000 papers.
`--compact` first lets RocksDB merge the files a bulk write leaves (as a new generation).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.process import run_measured  # noqa: E402
from paperkg.extract.scierc import SCIERC_TO_GRAPH  # noqa: E402
from paperkg.kg.iris import entity_iri, paper_iri  # noqa: E402
from paperkg.kg.names import lookup_key  # noqa: E402
from paperkg.kg.store import Store  # noqa: E402
from paperkg.kg.terms import PREFIXES, dcterms, fabio, oa, pkg, prov, rdf, sdo, skos, xsd  # noqa: E402
from paperkg.schema.vocab import base_iri  # noqa: E402

HUB = ("sparse autoencoder", "Method", ("sparse autoencoders", "SAE", "SAEs"))
# a few names every interpretability listing has, ahead of the pool in popularity
CORE = [
    HUB,
    ("large language model", "Concept", ("large language models", "LLM", "LLMs")),
    ("transformer", "Method", ("transformers", "Transformer")),
    ("GPT-2", "Model", ("GPT2", "GPT-2 small")),
    ("Pythia-70M", "Model", ()),
    ("SAE Bench", "Dataset", ("SAEBench",)),
    ("mechanistic interpretability", "Task", ()),
    ("activation patching", "Method", ()),
    ("linear probe", "Method", ("linear probes", "probing classifier")),
    ("transcoder", "Method", ("transcoders",)),
]
MODIFIERS = [
    "sparse",
    "deep",
    "hierarchical",
    "contrastive",
    "multilingual",
    "graph",
    "recurrent",
    "variational",
    "adversarial",
    "causal",
    "efficient",
    "robust",
    "neural",
    "probabilistic",
    "low-rank",
    "multimodal",
    "self-supervised",
    "federated",
    "quantized",
    "distilled",
    "gated",
    "attention-based",
    "Bayesian",
    "incremental",
    "cross-lingual",
    "hybrid",
    "structured",
    "latent",
    "dynamic",
    "unsupervised",
]
TEMPLATES = {
    "proposes": ["We propose {x}, a new approach to this problem.", "This paper introduces {x}."],
    "uses": ["Our method builds on {x} to learn compact representations.", "We rely on {x} throughout."],
    "evaluatesOn": [
        "We evaluate on {x} and compare against strong baselines.",
        "Experiments on {x} confirm the gains.",
    ],
    "reports": ["Results are reported in terms of {x}.", "Our approach improves {x} by a wide margin."],
    "addresses": ["This work addresses {x} in a realistic setting.", "We study {x} at scale."],
    "mentions": ["Prior work has studied {x} extensively.", "Unlike {x}, our analysis needs no labels."],
}
FILLERS = [
    "Experiments show consistent gains over prior methods.",
    "Code and models are publicly available.",
    "We discuss limitations and directions for future work.",
    "The analysis reveals several failure modes.",
]
RELATION = {
    ("Method", "Dataset"): "evaluatedOn",
    ("Model", "Dataset"): "evaluatedOn",
    ("Method", "Task"): "usedFor",
    ("Model", "Task"): "usedFor",
    ("Model", "Method"): "partOf",
    ("Concept", "Concept"): "hyponymOf",
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def name_pool(size: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """`size` distinct (name, type, aliases), most popular first."""
    pool, seen = [], set()

    def add(name, type_, aliases=()):
        key = lookup_key(name)
        if key and key not in seen:
            seen.add(key)
            pool.append((name, type_, tuple(aliases)))

    for entry in CORE:
        add(*entry)
    for tsv in sorted((ROOT / "data" / "gazetteers").glob("*.tsv")):
        for line in tsv.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if line.startswith("#") or len(cols) < 2:
                continue
            add(cols[0], cols[1], [a for a in (cols[2].split("|") if len(cols) > 2 else []) if a])
    scierc = Path(os.environ.get("PAPERKG_SCIERC", ROOT.parent / "shared" / "data" / "scierc")) / "train.jsonl"
    base = list(pool)
    if scierc.is_file():
        for line in scierc.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            words = [w for sentence in doc["sentences"] for w in sentence]
            for spans in doc["ner"]:
                for start, end, label in spans:
                    if label in SCIERC_TO_GRAPH:
                        name = " ".join(words[start : end + 1]).replace("-LRB- ", "(").replace(" -RRB-", ")")
                        words_in = name.split()
                        acronym = "".join(w[0] for w in words_in).upper() if 2 <= len(words_in) <= 5 else None
                        add(name, SCIERC_TO_GRAPH[label], [acronym] if acronym and acronym.isalpha() else [])
        base = list(pool)
    i = 0
    while len(pool) < size:  # the long tail: modified forms of the names above
        name, type_, _ = base[i % len(base)]
        add(f"{MODIFIERS[(i // len(base)) % len(MODIFIERS)]} {name}", type_)
        i += 1
    return pool[:size]


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=xsd.integer)


def _hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


def synthetic_quads(n_papers: int, seed: int = 6):
    """Quads of a graph of `n_papers` papers in the docs/graph.md shape (deterministic)."""
    rng = np.random.default_rng(seed)
    pool = name_pool(max(200, int(n_papers * 0.8)))
    iris = [entity_iri(lookup_key(name)) for name, _, _ in pool]
    cumulative = np.cumsum(1.0 / np.arange(1, len(pool) + 1) ** 1.05)
    cumulative /= cumulative[-1]
    base = base_iri()
    build = ox.NamedNode(base + "build/1")
    yield from (ox.Quad(build, rdf.type, pkg.Build), ox.Quad(build, pkg.extractorVersion, ox.Literal("bench")))
    papers_of: Counter = Counter()
    mentions_of: Counter = Counter()
    for i in range(n_papers):
        chosen = list(dict.fromkeys(int(e) for e in np.searchsorted(cumulative, rng.random(int(rng.integers(5, 11))))))
        arxiv = f"{18 + i % 8}{1 + i % 12:02d}.{i:05d}"
        p = paper_iri(f"arxiv:{arxiv}")
        roles = {}
        items = []  # (sentence, entity, role, surface, offset of the surface in the sentence)
        for j, e in enumerate(chosen):
            name, type_, aliases = pool[e]
            role = {"Dataset": "evaluatesOn", "Metric": "reports", "Task": "addresses"}.get(type_)
            if role is None:
                role = "proposes" if j == 0 and rng.random() < 0.4 else ("uses" if rng.random() < 0.5 else "mentions")
            roles[e] = role
            surface = aliases[int(rng.integers(len(aliases)))] if aliases and rng.random() < 0.4 else name
            options = TEMPLATES[role]
            template = options[int(rng.integers(len(options)))]
            items.append((template.format(x=surface), e, role, surface, template.index("{x}")))
        for filler in rng.choice(len(FILLERS), 2, replace=False):
            items.insert(int(rng.integers(len(items) + 1)), (FILLERS[filler], None, None, None, None))
        sentences = [item[0] for item in items]
        starts, pos = [], 0
        for text in sentences:
            starts.append(pos)
            pos += len(text) + 1
        abstract = " ".join(sentences)
        first_name = pool[chosen[0]][0]
        title = f"{first_name[0].upper()}{first_name[1:]} for {pool[chosen[-1]][0]} at scale"
        year, month, day = 2018 + i % 8, i % 12, 1 + i % 28
        yield from (
            ox.Quad(p, rdf.type, pkg.Paper),
            ox.Quad(p, rdf.type, sdo.ScholarlyArticle),
            ox.Quad(p, dcterms.title, ox.Literal(title)),
            ox.Quad(p, dcterms.abstract, ox.Literal(abstract)),
            ox.Quad(p, fabio.hasArXivId, ox.Literal(arxiv)),
            ox.Quad(p, pkg.authorCount, _int(3)),
            ox.Quad(p, pkg.sourceLocation, ox.Literal(f"bench.jsonl:{i + 1}")),
            ox.Quad(p, prov.wasGeneratedBy, build),
        )
        for a in range(3):
            yield ox.Quad(p, dcterms.creator, ox.Literal(f"Author {(i * 7 + a) % 9973}"))
        if i % 5:
            yield ox.Quad(p, dcterms.issued, ox.Literal(f"{year}-{month + 1:02d}-{day:02d}", datatype=xsd.date))
            yield ox.Quad(p, pkg.year, _int(year))
            yield ox.Quad(p, pkg.dateText, ox.Literal(f"{MONTHS[month]} {day}, {year}"))
        else:
            yield ox.Quad(p, pkg.dateText, ox.Literal(f"{MONTHS[month]} {day}"))
        sentence_nodes = []
        for k, (start, text) in enumerate(zip(starts, sentences)):
            node = ox.NamedNode(f"{p.value}/abstract/s{k}")
            sentence_nodes.append(node)
            yield from (
                ox.Quad(node, rdf.type, pkg.Sentence),
                ox.Quad(node, pkg.paper, p),
                ox.Quad(node, pkg.field, ox.Literal("abstract")),
                ox.Quad(node, pkg.sentenceIndex, _int(k)),
                ox.Quad(node, rdf.value, ox.Literal(text)),
                ox.Quad(node, oa.start, _int(start)),
                ox.Quad(node, oa.end, _int(start + len(text))),
            )
        sentence_of = {item[1]: k for k, item in enumerate(items) if item[1] is not None}
        for n, (e, k) in enumerate(sentence_of.items()):
            _, _, role, surface, at = items[k]
            offset = starts[k] + at
            m = ox.NamedNode(f"{p.value}/m{n}")
            yield from (
                ox.Quad(m, rdf.type, pkg.Mention),
                ox.Quad(m, oa.hasBody, iris[e]),
                ox.Quad(m, pkg.paper, p),
                ox.Quad(m, pkg.sentence, sentence_nodes[k]),
                ox.Quad(m, oa.exact, ox.Literal(surface)),
                ox.Quad(m, oa.start, _int(offset)),
                ox.Quad(m, oa.end, _int(offset + len(surface))),
                ox.Quad(m, pkg.role, getattr(pkg, role)),
                ox.Quad(m, pkg.extractor, ox.Literal("ner")),
            )
            mentions_of[e] += 1
        for e, role in roles.items():
            papers_of[e] += 1
            yield ox.Quad(p, pkg.mentions, iris[e])
            if role != "mentions":
                yield ox.Quad(p, getattr(pkg, role), iris[e])
        if len(chosen) > 1 and rng.random() < 0.3:
            a, b = chosen[0], chosen[1 + int(rng.integers(len(chosen) - 1))]
            rel = getattr(pkg, RELATION.get((pool[a][1], pool[b][1]), "comparedWith"))
            st = ox.NamedNode(f"{base}rel/{_hash(iris[a].value, rel.value, iris[b].value)}")  # one per relation
            yield from (
                ox.Quad(iris[a], rel, iris[b]),
                ox.Quad(st, rdf.type, rdf.Statement),
                ox.Quad(st, rdf.subject, iris[a]),
                ox.Quad(st, rdf.predicate, rel),
                ox.Quad(st, rdf.object, iris[b]),
                ox.Quad(st, prov.wasDerivedFrom, sentence_nodes[sentence_of[b]]),
                ox.Quad(st, prov.wasGeneratedBy, build),
            )
    for e, count in papers_of.items():
        name, type_, aliases = pool[e]
        x = iris[e]
        yield from (
            ox.Quad(x, rdf.type, getattr(pkg, type_)),
            ox.Quad(x, skos.prefLabel, ox.Literal(name)),
            ox.Quad(x, pkg.key, ox.Literal(lookup_key(name))),
            ox.Quad(x, pkg.paperCount, _int(count)),
            ox.Quad(x, pkg.mentionCount, _int(mentions_of[e])),
        )
        for alias in aliases:
            yield ox.Quad(x, skos.altLabel, ox.Literal(alias))
            if alias.isalpha() and alias.isupper():
                yield ox.Quad(x, pkg.acronym, ox.Literal(alias))
        for key in {lookup_key(n) for n in (name, *aliases)}:
            yield ox.Quad(x, pkg.lookupKey, ox.Literal(key))


def build(path: Path, n_papers: int) -> float:
    """Write the synthetic graph through `Store.transaction`, as `kg build` writes a first build."""
    started = time.perf_counter()
    with Store(path).transaction(compact=True) as db:
        db.bulk_extend(synthetic_quads(n_papers))
    return time.perf_counter() - started


def compact(path: Path) -> float:
    """Let RocksDB merge its files (a new generation, like any write)."""
    started = time.perf_counter()
    with Store(path).transaction() as db:
        db.optimize()
    return time.perf_counter() - started


def timed(argv: list[str], runs: int, before=None) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run of `argv` (exit status 1, "nothing matched", is a result too)."""
    walls, cpus = [], []
    for _ in range(runs):
        if before:
            before()
        run = run_measured(argv)
        if run.returncode not in (0, 1):
            sys.exit(f"{' '.join(map(str, argv))} failed: {run.stderr.strip()}")
        walls.append(run.wall_s)
        cpus.append(run.cpu_s)
    return walls, cpus


def kg_executable() -> str:
    beside = Path(sys.executable).with_name("kg")
    found = str(beside) if beside.exists() else shutil.which("kg")
    if not found:
        sys.exit("the `kg` command is not installed (pip install -e .)")
    return found


def sample_terms(store: Store) -> dict[str, str]:
    """A key that names several entities, and the name of an entity seen in a single paper."""
    found = {}
    rows = store.query(
        "SELECT ?key (COUNT(?e) AS ?n) WHERE { ?e pkg:lookupKey ?key } GROUP BY ?key HAVING (COUNT(?e) > 1) LIMIT 1",
        prefixes=PREFIXES,
    )
    for row in rows:
        found["ambiguous"] = row["key"].value
    for row in store.query(
        "SELECT ?name WHERE { ?e pkg:paperCount 1 ; skos:prefLabel ?name } LIMIT 1", prefixes=PREFIXES
    ):
        found["one paper"] = row["name"].value
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=50_000, help="size of the synthetic store [50000]")
    parser.add_argument("--store", type=Path, help="time this existing store instead of a synthetic one")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="where synthetic stores are kept")
    parser.add_argument("--runs", type=int, default=5, help="runs per command [5]")
    parser.add_argument("--rebuild", action="store_true", help="build the synthetic store again")
    parser.add_argument("--compact", action="store_true", help="compact the store (RocksDB) before timing")
    args = parser.parse_args()

    if args.store:
        path, target = args.store, 1.0
    else:
        path = args.out / f"lookup-{args.papers}"
        target = 1.5 if args.papers >= 50_000 else 1.0
        if args.rebuild or not Store(path).exists():
            shutil.rmtree(path, ignore_errors=True)
            print(f"building a synthetic store of {args.papers:,} papers in {path} ...", flush=True)
            print(f"built in {build(path, args.papers):.1f} s")
    if args.compact:
        print(f"compacted in {compact(path):.1f} s")
    store = Store(path).require()
    print(f"store {path}: {len(store):,} triples, {store.size_on_disk() / 2**20:,.0f} MiB on disk")
    samples = sample_terms(store)
    store.close()

    kg = kg_executable()
    lookup = [kg, "lookup", "--store", str(path)]

    def drop_cache():
        shutil.rmtree(path / "cache", ignore_errors=True)

    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("kg --help", [kg, "--help"], None),
        ("kg lookup SAE", lookup + ["SAE"], None),
        ("kg lookup sparse autoencoders --json", lookup + ["sparse autoencoders", "--json"], None),
        ("kg lookup Pythia-70M", lookup + ["Pythia-70M"], None),
    ]
    cases += [(f"kg lookup {term!r} ({what})", lookup + [term], None) for what, term in samples.items()]
    cases += [
        ("kg lookup sparse autoencder (no cache yet)", lookup + ["sparse autoencder"], drop_cache),
        ("kg lookup sparse autoencder (cached)", lookup + ["sparse autoencder"], None),
        ("kg lookup zzqx (cached)", lookup + ["zzqx"], None),
    ]
    print(f"\n{'command':<50}{'wall median':>12}{'min':>7}{'max':>7}{'cpu median':>12}   (seconds, {args.runs} runs)")
    for label, argv, before in cases:
        walls, cpus = timed(argv, args.runs, before)
        wall = statistics.median(walls)
        verdict = ("  ok" if wall < target else "  over target") if label.startswith("kg lookup") else ""
        print(f"{label:<50}{wall:>12.3f}{min(walls):>7.3f}{max(walls):>7.3f}{statistics.median(cpus):>12.3f}{verdict}")
    print(f"\ntarget for `kg lookup`: median under {target} s wall. On a busy machine wall time is mostly")
    print("waiting for a core: compare with the `python -c pass` line, and see the CPU column.")


if __name__ == "__main__":
    main()
