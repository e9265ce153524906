"""A synthetic corpus of any size made of real abstract sentences, written as a user's JSON Lines.

The sentences come from the demo listings in data/demo and, when present, from SciERC
(``../shared/data/scierc/*.jsonl`` or ``$PAPERKG_SCIERC``), detokenised back to running text.
Each synthetic paper draws the sentence count of a real abstract and that many sentences from the
pool, so lengths follow the real distribution; every paper has its own title and arXiv-style id.
The same seed gives the same corpus, and a smaller corpus is a prefix of a larger one.

The entity vocabulary is bounded by the sentence pool (a few thousand sentences), so a large
synthetic corpus repeats entities more often than a real one of the same size would.

    python -m bench.corpus 10000 corpus.jsonl [--seed 0]
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCIERC_ENV = "PAPERKG_SCIERC"
ARXIV_ENV = "PAPERKG_ARXIV"
ARXIV_FILE = "arxiv-ai-2025-2026.jsonl.gz"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}]|'s\b|n't\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{]) ")
_TRAILING = re.compile(r"[\s,.;:]+$")


@dataclass(frozen=True)
class Pool:
    """Sentences to recombine, the sentence counts of real abstracts, and title stems."""

    sentences: tuple[str, ...]
    lengths: tuple[int, ...]
    titles: tuple[str, ...]
    sources: dict[str, int]  # where the abstracts came from -> how many


def scierc_dir() -> Path:
    return Path(os.environ.get(SCIERC_ENV) or ROOT.parent / "shared" / "data" / "scierc")


def detokenise(words) -> str:
    """SciERC's tokens (brackets already un-escaped) back to running text."""
    text = _NO_SPACE_BEFORE.sub(r"\1", " ".join(words))
    return _NO_SPACE_AFTER.sub(r"\1", text)


def _title_from(sentence: str, max_words: int = 10) -> str:
    return _TRAILING.sub("", " ".join(sentence.split()[:max_words]))


def load_pool(scierc: Path | None = None) -> Pool:
    from paperkg.extract.readers import read_inputs
    from paperkg.extract.records import Paper
    from paperkg.extract.resources import data_dir

    abstracts: list[list[str]] = []
    titles: list[str] = []
    demo = [p for p in read_inputs([str(data_dir() / "demo")]) if isinstance(p, Paper) and p.abstract]
    for paper in demo:
        abstracts.append([s for s in _SENTENCE_END.split(paper.abstract) if s.strip()])
        titles.append(paper.title)
    sources = {"demo": len(demo)}
    folder = scierc if scierc is not None else scierc_dir()
    if folder.is_dir():
        from paperkg.extract.scierc import read_scierc

        n = 0
        for path in sorted(folder.glob("*.jsonl")):
            for doc in read_scierc(path):
                bounds = [*doc.sentence_starts, len(doc.words)]
                sentences = [detokenise(doc.words[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]
                abstracts.append(sentences)
                titles.append(_title_from(sentences[0]))
                n += 1
        sources["scierc"] = n
    sentences = tuple(dict.fromkeys(s for a in abstracts for s in a))
    return Pool(sentences, tuple(len(a) for a in abstracts), tuple(dict.fromkeys(titles)), sources)


def papers(n: int, pool: Pool, seed: int = 0, start: int = 0) -> list[dict]:
    """Papers `start` .. `start + n - 1` of the corpus for `seed` (JSON objects a reader accepts)."""
    out = []
    for i in range(start, start + n):
        rng = random.Random(f"{seed}:{i}")  # per paper, so any slice is the same papers
        count = rng.choice(pool.lengths)
        abstract = " ".join(rng.sample(pool.sentences, min(count, len(pool.sentences))))
        month, number = 1 + (i // 99_999) % 12, 1 + i % 99_999
        out.append(
            {
                "id": f"24{month:02d}.{number:05d}",
                "title": f"{rng.choice(pool.titles)}, part {i + 1}",
                "abstract": abstract,
                "date": f"2024-{month:02d}-{1 + i % 28:02d}",
                "author_count": 1 + i % 9,
            }
        )
    return out


def arxiv_path() -> Path:
    """The shared corpus of real 2025-26 arXiv abstracts (``$PAPERKG_ARXIV`` or ../shared)."""
    return Path(os.environ.get(ARXIV_ENV) or ROOT.parent / "shared" / "data" / "arxiv-ai" / ARXIV_FILE)


def real_papers(n: int, seed: int = 0, path: Path | None = None) -> list[dict] | None:
    """`n` real papers of the shared arXiv corpus, a seeded random sample (the same seed, the same
    papers, and a smaller sample is a prefix of a larger one), as JSON objects a reader accepts;
    None when the corpus is absent. Fewer than `n` when the corpus holds fewer."""
    import gzip

    path = path or arxiv_path()
    if not path.is_file():
        return None
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            if obj.get("abstract") and obj.get("title"):
                records.append(
                    {"id": obj["arxiv_id"], "title": obj["title"], "abstract": obj["abstract"], "date": obj.get("date")}
                )
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    return [records[i] for i in order[:n]]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    os.replace(tmp, path)
    return path


def word_count(records: list[dict]) -> int:
    return sum(len(r["title"].split()) + len(r["abstract"].split()) for r in records)


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    pool = load_pool()
    records = papers(args.papers, pool, args.seed)
    write_jsonl(args.output, records)
    print(
        f"{len(records):,} papers, {word_count(records):,} words, from {len(pool.sentences):,} sentences "
        f"of {pool.sources} abstracts -> {args.output}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
