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
  `MRI datasets` are kinds of data), in a list a kind word introduces or ends (`benchmarks such as
  MME, POPE and AMBER`, `POPE and MME benchmarks`), or in a list evaluated on beside a known dataset
  (`on MMLU, GSM8K and MathVista`; `benchmark_names`), by at least `MIN_BENCHMARK_SHARE` of the
  papers writing the name (`COVID-19 datasets` are about COVID-19), which neither the reference
  vocabularies give another type nor papers define as an acronym: the field's new benchmarks
  (LIBERO, OSWorld, GenEval, MMMU, MME, MathVista) that no vocabulary lists yet, read as Datasets
  (`extract.vocabulary.vocabulary_rows`).
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
from collections.abc import Iterable
from pathlib import Path

from paperkg.extract.abbreviations import find_abbreviations
from paperkg.extract.naming import lookup_key, singular
from paperkg.extract.vocabulary import NAME_WORD, TOPIC_FAMILIES, entries_by_key, vocabulary_type

MIN_WORD_DF = 20  # abstracts
MIN_DEFINITIONS = 3  # papers defining a short form before it is listed
MIN_NAME = 2
MIN_BENCHMARK_PAPERS = 3
MIN_BENCHMARK_SHARE = 0.1  # of the papers writing a name, those naming it a benchmark
_RESOLUTION = re.compile(r"\d+x\d+")  # `ImageNet 256x256` is ImageNet at a resolution, not a dataset of its own
_BENCHMARK = re.compile(r"\b(?:the|on) ([A-Z][\w.+-]*(?: [A-Z0-9][\w.+-]*)?) (?:benchmark|dataset|corpus)\b")
# Lists of names (`MathVista, MathVerse, and MathVision`; `POPE and MME`): a kind word before them
# (`benchmarks such as`, `datasets including`, `benchmarks (`) or after them (`POPE, CHAIR, and MME
# benchmarks`) says each is a benchmark; after `on` or `across` alone (`67.5 on MathVista`, `on MMLU,
# GSM8K and MATH`) a list is read as benchmarks only where a member is a known dataset.
_NAME = r"[A-Z](?:[\w+-]|\.(?=\w))*(?: [A-Z0-9](?:[\w+-]|\.(?=\w))*)?"
_LIST = rf"(?<![\w.+-]){_NAME}(?:, {_NAME})*(?:,? (?:and|or) {_NAME})?"
_KINDS = r"(?:benchmarks|datasets|corpora)"
_KIND_BEFORE = re.compile(
    rf"\b{_KINDS}(?: such as|,? including|,? like|,? e\.g\.,?|,? namely|:| --| \((?:e\.g\.,? )?)\s*(?:the )?({_LIST})"
)
_KIND_AFTER = re.compile(rf"({_LIST}) {_KINDS}\b")
_ON_LIST = re.compile(rf"\b(?:[Oo]n|[Aa]cross) (?:the )?({_LIST})")
_LIST_SEPARATOR = re.compile(r",? (?:and|or) |, ")
# what a list of names evaluated on may be instead (`on LLaDA and Dream models`)
_OTHER_KIND = re.compile(r" (?:models?|series|famil(?:y|ies)|architectures?|backbones?|variants?|LLMs|MLLMs|VLMs)\b")
_TOKEN = re.compile(r"[\w+-]+(?:\.[\w+-]+)*")  # a word as `_NAME` reads one
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


def benchmark_names(text: str) -> tuple[set[str], list[list[str]]]:
    """The names `text` says are benchmarks by a kind word (`_BENCHMARK`, `_KIND_BEFORE`,
    `_KIND_AFTER`), and the lists of two or more names it evaluates on (`_ON_LIST`) without one."""
    named = {m.group(1) for m in _BENCHMARK.finditer(text)}
    named.update(name for m in _KIND_BEFORE.finditer(text) for name in _LIST_SEPARATOR.split(m.group(1)))
    for m in _KIND_AFTER.finditer(text):
        members = _LIST_SEPARATOR.split(m.group(1))
        if len(members) > 1:  # `MRI datasets` are kinds of data
            named.update(members)
    lists = [
        members
        for m in _ON_LIST.finditer(text)
        if len(members := _LIST_SEPARATOR.split(m.group(1))) > 1 and not _OTHER_KIND.match(text, m.end())
    ]
    return named, lists


def _name_shaped(name: str) -> bool:
    return any(map(NAME_WORD.search, name.split()))


def corpus_counts(texts) -> tuple[int, Counter, dict[str, Counter], Counter, list[tuple[set[str], list[list[str]]]]]:
    """Abstracts read, word document frequencies, long-form keys per short form (one vote a
    paper), the papers a kind word says write each name as a benchmark, and each paper's lists
    of names it evaluates on without a kind word, beside its kind-word names (`benchmark_names`)."""
    n = 0
    df: Counter = Counter()
    benchmarks: Counter = Counter()
    on_lists: list[tuple[set[str], list[list[str]]]] = []
    definitions: dict[str, Counter] = defaultdict(Counter)
    forms: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        n += 1
        df.update(set(_WORDS.findall(text.lower())))
        named, lists = benchmark_names(text)
        benchmarks.update(filter(_name_shaped, named))
        if lists:
            on_lists.append((named, lists))
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
    return n, df, longs, benchmarks, on_lists


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


def benchmark_papers(
    benchmarks: Counter,
    longs: dict[str, Counter],
    vocabulary: set[tuple[str, ...]],
    on_lists: list[tuple[set[str], list[list[str]]]],
) -> Counter:
    """The names `benchmarks.tsv` may list, each with the papers naming it a benchmark (kind word
    or list, one vote a paper): see the module's docstring; `write_benchmarks` keeps those that
    enough of the papers writing the name name a benchmark."""
    acronyms = {short for short, counts in longs.items() if sum(counts.values()) >= MIN_DEFINITIONS}
    typed = {key for key, _, type_, family, _ in vocabulary if type_ != "Dataset" and family not in TOPIC_FAMILIES}
    datasets = {key for key, found in entries_by_key(vocabulary).items() if vocabulary_type(found) == "Dataset"}
    datasets.update(lookup_key(name) for name, papers in benchmarks.items() if papers >= MIN_BENCHMARK_PAPERS)
    papers = Counter(benchmarks)
    for named, lists in on_lists:
        listed = {
            name
            for members in lists
            for name in members
            if any(lookup_key(other) in datasets for other in members if other != name)
        }
        papers.update(name for name in listed - named if _name_shaped(name))
    return Counter(
        {
            name: n
            for name, n in papers.items()
            if n >= MIN_BENCHMARK_PAPERS
            and singular(name) not in acronyms
            and lookup_key(name) not in typed
            and not _RESOLUTION.search(name)
        }
    )


def papers_writing(texts, names: Iterable[str]) -> Counter:
    """How many of `texts` write each of `names` (of one or two words, as `_NAME` reads them)."""
    singles = {name for name in names if " " not in name}
    pairs = set(names) - singles
    found: Counter = Counter()
    for text in texts:
        tokens = _TOKEN.findall(text)
        found.update(singles.intersection(tokens) | pairs.intersection(map(" ".join, zip(tokens, tokens[1:]))))
    return found


def write_benchmarks(path: Path, papers: Counter, writers: Counter) -> None:
    """`benchmarks.tsv`: the names of `benchmark_papers` that at least `MIN_BENCHMARK_SHARE` of the
    papers writing them (`writers`, `papers_writing`) name a benchmark."""
    rows = [f"{name}\t{n}" for name, n in sorted(papers.items()) if n >= MIN_BENCHMARK_SHARE * writers[name]]
    header = "# name\tarXiv AI abstracts writing it as a benchmark, dataset or corpus, or in a list with one\n"
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
    n, df, longs, benchmarks, on_lists = corpus_counts(_abstracts(shared))
    write_words(out / "words.tsv", n, df)
    write_acronyms(out / "acronyms.tsv", longs)
    vocabulary = write_vocabulary(out / "vocabulary.tsv.gz", shared, set(df))
    papers = benchmark_papers(benchmarks, longs, vocabulary, on_lists)
    write_benchmarks(out / "benchmarks.tsv", papers, papers_writing(_abstracts(shared), papers))
    print(f"{n} abstracts -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
