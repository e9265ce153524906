"""Silver relations for training the relation scorer: arXiv sentences labelled by the precise patterns.

    python -m paperkg.kg.relation_silver PAPERS.jsonl OUT.jsonl [--start LINE] [--papers N] [--exclude FILE...]

Each abstract runs through the pipeline without the relation scorer; every sentence with two or
more mentions (references to the paper's own work taking part as Methods, as the scorer sees
them) is written with the relations the sentence patterns (`kg.relations`) state between its
mentions, but for patterns whose audited precision on arXiv is below 0.80. One JSON object per
abstract: `text`, `sentences` (each a list of `[start, end, type]` mentions, in characters) and
`relations` (`[subject start, subject end, object start, object end, relation]`, graph terms).
`extract.relation_training --silver OUT.jsonl` trains on them beside SciERC: SciERC's abstracts
are decades older than the text the scorer reads, and the patterns, precise and starved of
recall, say how today's abstracts write the relations they find.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

from paperkg.kg.relations import Span, sentence_relation_patterns

# sentence patterns judged below 0.80 precise on arXiv rows (tests/fixtures/relations/
# audit-patterns-2.jsonl: experiments-show 6 of 8): their relations would teach the scorer mistakes
IMPRECISE_PATTERNS = frozenset({"experiments-show"})
Mention = tuple[int, int, str]


def sentence_silver(text: str, start: int, end: int, mentions: list[Mention]) -> list[tuple[int, int, int, int, str]]:
    """The relations the precise patterns state between `mentions` of the sentence `text[start:end]`
    (mentions in characters of `text`), as (subject start, end, object start, end, relation)."""
    spans = [Span(s - start, e - start, t, (s, e)) for s, e, t in mentions]
    found = sentence_relation_patterns(text[start:end], spans)
    return sorted(
        (*cast(tuple[int, int], subject), *cast(tuple[int, int], obj), relation)
        for (subject, relation, obj), patterns in found.items()
        if patterns - IMPRECISE_PATTERNS
    )


def silver(nlp, texts: Iterable[str]) -> Iterator[dict]:
    """One silver record per text, as the module's docstring says."""
    from paperkg.extract.keys import MENTIONS_KEY
    from paperkg.extract.own_work import with_own_work

    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n == "paperkg_relations"]):
        for doc in nlp.pipe(texts):
            found = with_own_work(doc.text, [(s.start_char, s.end_char, s.label_) for s in doc.spans[MENTIONS_KEY]])
            sentences, relations = [], []
            for sentence in doc.sents:
                mentions = [m for m in found if sentence.start_char <= m[0] and m[1] <= sentence.end_char]
                if len(mentions) > 1:
                    sentences.append(mentions)
                    relations.extend(sentence_silver(doc.text, sentence.start_char, sentence.end_char, mentions))
            yield {"text": doc.text, "sentences": sentences, "relations": relations}


def abstracts(path: Path, start: int, papers: int, exclude: set[str]) -> Iterator[str]:
    """The abstracts of up to `papers` papers from line `start` (1-based) of `path` whose ids are not in `exclude`."""
    taken = 0
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if lineno < start or not line.strip():
                continue
            record = json.loads(line)
            if record.get("id") in exclude or not record.get("abstract"):
                continue
            if taken == papers:
                return
            taken += 1
            yield record["abstract"]


def main(argv: list[str] | None = None) -> None:
    from paperkg.extract.pipeline import load_nlp

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="JSON Lines papers (`id`, `abstract`)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--start", type=int, default=1, help="the first line of PAPERS to read")
    parser.add_argument("--papers", type=int, default=3000, help="how many abstracts to label")
    parser.add_argument(
        "--exclude", type=Path, nargs="*", default=[], help="JSON Lines papers whose ids to leave out (held out)"
    )
    args = parser.parse_args(argv)
    held_out = {json.loads(line)["id"] for path in args.exclude for line in path.open(encoding="utf-8") if line.strip()}
    with args.out.open("w", encoding="utf-8") as out:
        for record in silver(load_nlp(None), abstracts(args.source, args.start, args.papers, held_out)):
            out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
