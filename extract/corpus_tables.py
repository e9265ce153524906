"""Build the quality layer's shipped tables (`data/quality/`) from the shared corpus and vocabularies.

    python -m paperkg.extract.corpus_tables ../shared/data [data/quality]

needs `pip install wordfreq` (build time only; what ships is the derived tables):

- `words.tsv`: `word, zipf, df`: each lower-case word in at least `MIN_WORD_DF` arXiv abstracts,
  its general-English Zipf frequency (wordfreq) and the share of arXiv AI abstracts that use it,
  in papers per 10,000: how common a word is in English and in the field's own writing.
- `acronyms.tsv`: `acronym, long form, papers, defined`: for each short form (case-sensitive)
  that arXiv abstracts define, the long form most of them give, in how many papers, and how
  many papers define the short form at all.
- `benchmarks.tsv`: `name, papers`: names of a name's shape that at least `MIN_BENCHMARK_PAPERS`
  arXiv abstracts write as `the NAME benchmark`, `on NAME dataset` or `the NAME corpus` (singular:
  `MRI datasets` are kinds of data), which neither the reference vocabularies give another type
  nor papers define as an acronym: the field's new benchmarks (LIBERO, OSWorld, GenEval, MMMU)
  that no vocabulary lists yet, read as Datasets (`extract.vocabulary.vocabulary_rows`).
- `vocabulary.tsv.gz`: `key, name, type, family, iri`: the reference vocabularies' names (Papers
  with Code, Epoch AI, models.dev, the AI Ontology, CSO topics) under `naming.lookup_key`, with
  their identifiers. Names of fewer than `MIN_NAME` characters, short forms that are English
  words written in lower case (`use`, `run`), the AI Ontology's synonyms (unreliable) and the
  Papers with Code archive's metric names without an acronym or a number (table headers such as
  "model size") are left out.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from paperkg.extract.abbreviations import find_abbreviations
from paperkg.extract.naming import lookup_key, singular
from paperkg.extract.vocabulary import NAME_WORD

MIN_WORD_DF = 20  # abstracts
MIN_DEFINITIONS = 3  # papers defining a short form before it is listed
MIN_NAME = 2
MIN_BENCHMARK_PAPERS = 3
_RESOLUTION = re.compile(r"\d+x\d+")  # `ImageNet 256x256` is ImageNet at a resolution, not a dataset of its own
_BENCHMARK = re.compile(r"\b(?:the|on) ([A-Z][\w.+-]*(?: [A-Z0-9][\w.+-]*)?) (?:benchmark|dataset|corpus)\b")
_WORDS = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
_ACRONYM = re.compile(r"[A-Z]{2}|\d")

# vocabulary file -> the family its names come from (the four Papers with Code files are one source)
FAMILIES = {
    "pwc_methods": "pwc",
    "mlsea_pwc_openml": "pwc",
    "pwc_archive_worldsnapshot": "pwc",
    "pwc_datasets_datafinder": "pwc",
    "epoch_ai_models": "epoch",
    "modelsdev_llms": "modelsdev",
    "aio": "aio",
    "cso_topics": "cso",
}


def _abstracts(shared: Path):
    with gzip.open(shared / "arxiv-ai" / "arxiv-ai-2025-2026.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            yield f"{record.get('title') or ''}\n\n{record.get('abstract') or ''}"


def corpus_counts(texts) -> tuple[int, Counter, dict[str, Counter], Counter]:
    """Abstracts read, word document frequencies, long-form keys per short form (one vote a
    paper) and the papers writing each name as a benchmark (`_BENCHMARK`)."""
    n = 0
    df: Counter = Counter()
    benchmarks: Counter = Counter()
    definitions: dict[str, Counter] = defaultdict(Counter)
    forms: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        n += 1
        df.update(set(_WORDS.findall(text.lower())))
        named = {m.group(1) for m in _BENCHMARK.finditer(text)}
        benchmarks.update(name for name in named if any(map(NAME_WORD.search, name.split())))
        seen = set()
        for abbr in find_abbreviations(text):
            short = singular(abbr.short)
            long_key = lookup_key(abbr.long)
            if (short, long_key) in seen or not long_key:
                continue
            seen.add((short, long_key))
            definitions[short][long_key] += 1
            forms[long_key][singular(abbr.long.lower()) if not abbr.long.isupper() else abbr.long] += 1
    longs = {
        short: Counter({forms[k].most_common(1)[0][0]: c for k, c in counts.items()})
        for short, counts in definitions.items()
    }
    return n, df, longs, benchmarks


def write_words(path: Path, n: int, df: Counter) -> None:
    from wordfreq import zipf_frequency  # build time only

    rows = [
        f"{w}\t{zipf_frequency(w, 'en'):.2f}\t{round(10000 * c / n)}" for w, c in sorted(df.items()) if c >= MIN_WORD_DF
    ]
    path.write_text("# word\tzipf (wordfreq, English)\tarXiv AI abstracts per 10,000\n" + "\n".join(rows) + "\n")


def write_acronyms(path: Path, longs: dict[str, Counter]) -> None:
    rows = []
    for short, counts in sorted(longs.items()):
        total = sum(counts.values())
        if total < MIN_DEFINITIONS or not any(ch.isupper() for ch in short):
            continue
        long, papers = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append(f"{short}\t{long}\t{papers}\t{total}")
    path.write_text("# acronym\tlong form most papers give\tpapers giving it\tpapers defining the acronym\n")
    with path.open("a") as f:
        f.write("\n".join(rows) + "\n")


def write_benchmarks(
    path: Path, benchmarks: Counter, longs: dict[str, Counter], vocabulary: set[tuple[str, ...]]
) -> None:
    """`benchmarks.tsv`: see the module's docstring."""
    acronyms = {short for short, counts in longs.items() if sum(counts.values()) >= MIN_DEFINITIONS}
    typed = {key for key, _, type_, family, _ in vocabulary if type_ != "Dataset" and family not in ("aio", "cso")}
    rows = [
        f"{name}\t{papers}"
        for name, papers in sorted(benchmarks.items())
        if papers >= MIN_BENCHMARK_PAPERS
        and singular(name) not in acronyms
        and lookup_key(name) not in typed
        and not _RESOLUTION.search(name)
    ]
    header = "# name\tarXiv AI abstracts writing 'the NAME benchmark', 'dataset' or 'corpus'\n"
    path.write_text(header + "\n".join(rows) + "\n")


def write_vocabulary(path: Path, shared: Path, english: set[str]) -> set[tuple[str, ...]]:
    rows: set[tuple[str, ...]] = set()
    for file in sorted((shared / "vocab").glob("*.jsonl.gz")):
        family = FAMILIES.get(file.name.split(".")[0])
        if family is None:
            continue
        with gzip.open(file, "rt", encoding="utf-8") as f:
            for line in f:
                entry = json.loads(line)
                iri = entry.get("pwc_url_derived") or entry["id"]
                if not iri.startswith("http"):
                    iri = ""  # epoch:/models.dev: ids are not IRIs: the name still counts as evidence
                if (
                    entry["type"] == "Metric"
                    and file.name.startswith("pwc_archive")
                    and not _ACRONYM.search(entry["name"])
                ):
                    continue  # the archive's metric columns are mostly headers ("model size"); PSNR, FID-10k are names
                # the AI Ontology's synonyms name other things ("catastrophic forgetting" for ContinualLearningLLM)
                aliases = [] if family == "aio" else entry.get("aliases") or []
                for name in [entry["name"], *aliases]:
                    name = " ".join(str(name).split())
                    key = lookup_key(name)
                    short_word = name.islower() and " " not in name and len(name) <= 4 and key in english
                    if len(key) < MIN_NAME or short_word:
                        continue
                    rows.add((key, name, entry["type"], family, iri))
    header = "# key\tname\ttype\tfamily\tiri\n"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(header + "\n".join("\t".join(r) for r in sorted(rows)) + "\n")
    return rows


def main(argv: list[str]) -> None:
    shared = Path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("data") / "quality"
    out.mkdir(parents=True, exist_ok=True)
    n, df, longs, benchmarks = corpus_counts(_abstracts(shared))
    write_words(out / "words.tsv", n, df)
    write_acronyms(out / "acronyms.tsv", longs)
    vocabulary = write_vocabulary(out / "vocabulary.tsv.gz", shared, set(df))
    write_benchmarks(out / "benchmarks.tsv", benchmarks, longs, vocabulary)
    print(f"{n} abstracts -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
