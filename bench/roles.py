"""Paper-entity roles against a hand-labelled set: precision and recall of `kg.roles`.

The fixture (tests/fixtures/roles/roles.jsonl) holds 30 abstracts, 15 from the demo listings and
15 from the arXiv sample, with every entity the extractor found in each, the mentions the role
cues read (sentence, offsets, type), and the role a reader gives the entity in that paper, labelled
by hand. Scoring reads only the fixture and `kg.roles`, so it needs no model:

    python bench/roles.py                 # precision, recall and F1 per role and overall
    python bench/roles.py make OUT.jsonl  # candidates for a new fixture (needs the shipped model)

A paper-entity pair gets the best role among its mentions' roles (the order of `PRIORITY`, as
`kg lookup` shows it); `mentions` is the absence of a role. Precision: of the pairs given a role,
how many got the labelled one; recall: of the pairs labelled with a role, how many got it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path

from paperkg.kg.roles import mention_role
from paperkg.schema.namespaces import ROLES

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "roles" / "roles.jsonl"
ARXIV = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "arxiv-ai" / "arxiv-ai-2025-2026.jsonl.gz"
NONE = "mentions"


def predicted_role(entity: dict) -> str:
    """The best role any of the entity's mentions gets."""
    roles = {
        mention_role(m["sentence"], m["start"], m["end"], m["type"], in_title=m["in_title"]) for m in entity["mentions"]
    }
    return min(roles, key=ROLES.index)  # ROLES: most telling first


def score(papers: list[dict]) -> dict:
    """{"pairs", "precision", "recall", "f1", "per_role": {role: {"gold", "predicted", "correct"}}}."""
    counts = {role: Counter() for role in ROLES if role != NONE}
    for paper in papers:
        for entity in paper["entities"]:
            gold, guess = entity["role"], predicted_role(entity)
            if gold != NONE:
                counts[gold]["gold"] += 1
            if guess != NONE:
                counts[guess]["predicted"] += 1
                counts[guess]["correct"] += guess == gold
    correct = sum(c["correct"] for c in counts.values())
    predicted = sum(c["predicted"] for c in counts.values())
    gold = sum(c["gold"] for c in counts.values())
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": sum(len(p["entities"]) for p in papers),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "per_role": {role: dict(c) for role, c in counts.items()},
    }


def load(path: Path = FIXTURE) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def candidates(out: Path, seed: int = 19) -> None:
    """Extract 15 demo and 15 arXiv abstracts and write them with every role left to label."""
    from paperkg.extract.pipeline import load_extractor
    from paperkg.extract.readers import read_papers
    from paperkg.extract.records import Paper
    from paperkg.extract.resources import data_dir
    from paperkg.kg.linking import link_locally

    rng = random.Random(seed)
    demo = sorted(read_papers([data_dir() / "demo"]).papers, key=lambda p: p.key)
    chosen = rng.sample(demo, 15)
    with gzip.open(ARXIV, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    short = [r for r in records if len(r["abstract"]) < 1100]
    for r in rng.sample(short, 15):
        source = f"arXiv:{r['arxiv_id']}"
        chosen.append(
            Paper(key=source, title=r["title"], abstract=r["abstract"], source=source, line=0, arxiv_id=r["arxiv_id"])
        )
    with open(out, "w", encoding="utf-8") as fh:
        for ex in load_extractor().extract(chosen):
            fh.write(json.dumps(_candidate(link_locally(ex)), ensure_ascii=False) + "\n")


def _candidate(links) -> dict:
    paper = links.record
    sentences = links.paper.sentences
    entities: dict[str, dict] = {}
    for lm in links.paper.mentions:
        sentence = next(s for s in sentences.values() if s.field == lm.mention.field and s.index == lm.mention.sentence)
        entry = entities.setdefault(str(lm.entity.value), {"name": lm.mention.text, "role": "?", "mentions": []})
        entry["mentions"].append(
            {
                "text": lm.mention.text,
                "sentence": sentence.text,
                "start": lm.mention.start - sentence.start,
                "end": lm.mention.end - sentence.start,
                "type": lm.type,
                "in_title": lm.mention.field == "title",
            }
        )
    return {
        "id": f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else f"data/demo/{Path(paper.source).name}",
        "title": paper.title,
        "abstract": paper.abstract,
        "entities": list(entities.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=("score", "make"), default="score")
    parser.add_argument("out", nargs="?", type=Path)
    args = parser.parse_args(argv)
    if args.command == "make":
        candidates(args.out or Path("roles-candidates.jsonl"))
        return 0
    result = score(load())
    print(f"{result['pairs']} paper-entity pairs in {FIXTURE.name}")
    print(f"{'role':<12} {'gold':>5} {'predicted':>9} {'correct':>7}")
    for role, c in result["per_role"].items():
        print(f"{role:<12} {c.get('gold', 0):>5} {c.get('predicted', 0):>9} {c.get('correct', 0):>7}")
    print(f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
