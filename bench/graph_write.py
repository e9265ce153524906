"""The graph's write step alone (linking, relations, entity descriptions) at scale.

    python -m bench.graph_write                  # 50,000 papers, then 1,000 more: about 30 min
    python -m bench.graph_write --papers 5000 --add 500

The model is left out: papers come with synthetic extractions (`synthetic_extractions`), so the
numbers are those of `kg.ingest.add_extractions` inside `Store.transaction()`, which is what
`kg build` runs after extraction. It measures

1. a build of N papers into a fresh store: wall and CPU time, peak resident memory of this
   process, triples and size on disk;
2. an incremental add of A more papers to that store, against
3. a rebuild of all N + A papers into a fresh store (the baseline the add must beat 10x).

Synthetic papers: 20 distinct entities each (the seeds average 20), drawn from 100,000 names with
Zipf-like frequencies, so a few entities are in most papers and most are rare; about a tenth of
the mentions are acronyms, defined in the paper ("long form (LF)") or used bare, and initials
collide, so some acronyms have several long forms. Sentences are built from templates that the
role and relation patterns react to. The same seed gives the same papers.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import time
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path

from paperkg.extract.records import ExtractedEntity, Mention, Paper, PaperExtraction, Sentence

WORDS = (
    "sparse neural graph latent causal contrastive robust adaptive deep linear attention residual "
    "variational recurrent convolutional probabilistic semantic visual temporal spectral hybrid "
    "federated generative discriminative hierarchical modular efficient scalable interpretable "
    "autoencoder transformer network model probe circuit dictionary kernel embedding encoder "
    "decoder classifier regression detection segmentation retrieval reasoning translation "
    "summarization benchmark corpus dataset accuracy precision recall perplexity"
).split()
TYPES = ("Method", "Method", "Method", "Concept", "Concept", "Task", "Model", "Dataset", "Metric")
TEMPLATES = (
    "We propose {0} for {1}.",
    "Our {0} outperforms {1} on {2}.",
    "{0}, such as {1} and {2}, are widely used.",
    "We evaluate {0} on {1} and report {2}.",
    "Experiments show that {0} improves {1} using {2}.",
    "This study of {0} and {1} reveals limits of {2}.",
)
VOCABULARY = 100_000


def entity_name(rank: int) -> str:
    rng = random.Random(rank)
    return " ".join(rng.sample(WORDS, 3)) + ("" if rank < 1000 else f" v{rank}")


def acronym_of(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isalpha()).upper()


def synthetic_extractions(n: int, *, seed: int = 0, offset: int = 0) -> Iterator[PaperExtraction]:
    rng = random.Random(seed)
    cumulative = list(accumulate(1 / (r + 1) ** 1.05 for r in range(VOCABULARY)))
    population = range(VOCABULARY)
    for i in range(offset, offset + n):
        ranks = set()
        while len(ranks) < 20:
            ranks.update(rng.choices(population, cum_weights=cumulative, k=20 - len(ranks)))
        names = []
        abbreviations = []
        for r in sorted(ranks):
            name = entity_name(r)
            roll = rng.random()
            if roll < 0.05:  # defined: "long form (LF)"
                names.append((r, f"{name} ({acronym_of(name)})", name, acronym_of(name)))
                abbreviations.append((acronym_of(name), name))
            elif roll < 0.08:  # used bare
                names.append((r, acronym_of(name), acronym_of(name), None))
            else:
                names.append((r, name, name, None))
        yield _paper(i, names, abbreviations, rng)


def _paper(i: int, names, abbreviations, rng: random.Random) -> PaperExtraction:
    title = f"Synthetic study {i} of {names[0][2]}"
    sentences, text = [], ""
    mentions: dict[int, list[Mention]] = {r: [] for r, *_ in names}
    queue = list(names) + rng.sample(names, 6)  # a few entities mentioned twice
    index = 0
    while queue:
        template = TEMPLATES[index % len(TEMPLATES)]
        slots, queue = queue[:3], queue[3:]
        while len(slots) < 3:
            slots.append(names[rng.randrange(len(names))])
        start = len(text) + (1 if text else 0)
        sentence = ""
        pieces = template.split("{")
        sentence = pieces[0]
        spans = []
        for piece in pieces[1:]:
            slot, rest = int(piece[0]), piece[2:]
            r, surface, name, acronym = slots[slot]
            spans.append((r, start + len(sentence), surface, name, acronym))
            sentence += surface + rest
        text += (" " if text else "") + sentence
        sentences.append(Sentence("abstract", index, start, start + len(sentence), sentence))
        for r, at, surface, name, acronym in spans:
            if acronym and surface.endswith(")"):  # the long form and the acronym in parentheses
                mentions[r].append(Mention(name, "abstract", at, at + len(name), index, _type(r), "synthetic"))
                a = at + len(name) + 2
                mentions[r].append(Mention(acronym, "abstract", a, a + len(acronym), index, _type(r), "synthetic"))
            else:
                mentions[r].append(Mention(surface, "abstract", at, at + len(surface), index, _type(r), "synthetic"))
        index += 1
    paper = Paper(key=f"arxiv:2501.{i:05d}", title=title, abstract=text, source="synthetic", line=i + 1)
    entities = tuple(
        ExtractedEntity(name, _type(r), (), tuple(mentions[r]), acronym) for r, _, name, acronym in names if mentions[r]
    )
    return PaperExtraction(paper, entities, tuple(sentences), tuple(abbreviations), "synthetic 1")


def _type(rank: int) -> str:
    return TYPES[rank % len(TYPES)]


def corpus(parts: list[tuple[int, int]]) -> Iterator[PaperExtraction]:
    """The papers of (offset, count) parts; a part's papers are always the same papers."""
    for offset, n in parts:
        yield from synthetic_extractions(n, offset=offset, seed=offset)


def write(store_path: Path, parts: list[tuple[int, int]], chunk_size: int | None = None) -> dict:
    from paperkg.kg.ingest import CHUNK_SIZE, add_extractions
    from paperkg.kg.store import Store

    store = Store(store_path)
    wall, cpu = time.perf_counter(), time.process_time()
    with store.transaction() as db:
        report = add_extractions(db, corpus(parts), chunk_size=chunk_size or CHUNK_SIZE)
    row = {
        "papers": sum(n for _, n in parts),
        "wall_s": round(time.perf_counter() - wall, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
        "relinked": report.relinked,
        "triples": len(store),
        "disk_mib": round(store.size_on_disk() / 2**20),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    store.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--add", type=int, default=1_000)
    parser.add_argument("--chunk", type=int, default=None, help="papers per chunk (default: kg.ingest's)")
    parser.add_argument("--work", type=Path, default=Path("bench/out/graph_write"))
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    print(f"build {args.papers:,} papers into a fresh store ...", flush=True)
    full = write(args.work / "store", [(0, args.papers)], args.chunk)
    print(f"  {full}", flush=True)
    print(f"add {args.add:,} more ...", flush=True)
    add = write(args.work / "store", [(args.papers, args.add)], args.chunk)
    print(f"  {add}", flush=True)
    print(f"rebuild all {args.papers + args.add:,} into a fresh store (the baseline) ...", flush=True)
    shutil.rmtree(args.work / "store")
    rebuild = write(args.work / "rebuild", [(0, args.papers), (args.papers, args.add)], args.chunk)
    print(f"  {rebuild}", flush=True)
    print(
        f"\nincremental add: {rebuild['wall_s'] / add['wall_s']:.1f}x faster than the rebuild (wall), "
        f"{rebuild['cpu_s'] / add['cpu_s']:.1f}x (CPU); target >= 10x"
    )
    print(f"peak memory of the {args.papers:,}-paper build: {full['peak_rss_mib']:,} MiB; target < 2048 MiB")


if __name__ == "__main__":
    main()
