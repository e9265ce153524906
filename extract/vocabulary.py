"""The quality tables in `data/quality/` (built by `python -m paperkg.extract.corpus_tables`): how
they are read, what type the reference vocabularies give a name, and which of their names the
rules component may find in text on its own.

The graph's quality layer (`kg.quality`) reads the tables for its decisions; the extractor's rules
(`paperkg_rules`) carry `vocabulary_names`, compiled into the pipeline by `kg train rules`, so that
a named dataset or model the recogniser gives no span (`ScanNet`, `Kinetics-400`, `DeBERTa` in a
list of names) is still a mention, typed by the vocabularies.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from paperkg.extract.gazetteers import GazetteerEntry
from paperkg.extract.naming import lookup_key

__all__ = [
    "COMMON_DF",
    "COMMON_ZIPF",
    "NAME_WORD",
    "TOPIC_FAMILIES",
    "VocabularyEntry",
    "default_quality_dir",
    "read_rows",
    "vocabulary_names",
    "vocabulary_rows",
    "vocabulary_type",
]

COMMON_ZIPF = 3.0  # general English (wordfreq)
COMMON_DF = 200  # arXiv AI abstracts per 10,000

# CSO's topics and the AI Ontology's classes are categories ("pretrained model", "computational
# cost"): evidence for links, not that a phrase names something or what type it is
TOPIC_FAMILIES = ("cso", "aio")


@dataclass(frozen=True)
class VocabularyEntry:
    name: str
    type: str
    family: str  # pwc, epoch, modelsdev, aio, cso
    iri: str  # "" when the source has no IRI for it


def default_quality_dir() -> Path:
    from paperkg.extract.resources import data_dir

    return data_dir() / "quality"


def read_rows(path: Path) -> Iterator[list[str]]:
    """The tab-separated rows of a table, without comment and blank lines; `.gz` read as gzip."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def vocabulary_rows(root: Path) -> Iterator[tuple[str, str, str, str, str]]:
    """`(key, name, type, family, iri)` of every name the reference vocabularies give, and of the
    benchmarks arXiv papers name that no vocabulary lists yet (`benchmarks.tsv`, family "arxiv",
    type Dataset)."""
    for key, name, type_, family, iri in read_rows(root / "vocabulary.tsv.gz"):
        yield key, name, type_, family, iri
    for name, _papers in read_rows(root / "benchmarks.tsv"):
        yield lookup_key(name), name, "Dataset", "arxiv", ""


def entries_by_key(rows: Iterable[Sequence[str]]) -> dict[str, list[VocabularyEntry]]:
    """`(key, name, type, family, iri)` rows (`vocabulary_rows`) as the entries of each key."""
    by_key: dict[str, list[VocabularyEntry]] = {}
    for key, name, type_, family, iri in rows:
        by_key.setdefault(key, []).append(VocabularyEntry(name, type_, family, iri))
    return by_key


def vocabulary_type(entries: Iterable[VocabularyEntry]) -> str | None:
    """The type Papers with Code, Epoch AI and models.dev give a name, when more than half their
    entries agree (CSO's types are guesses from topic names, the AI Ontology's classes are not types).

    An even split between Method and Model still says the name names a method or a model, and the
    rules should find it. Inside Papers with Code, MLSea copies the method list typing every entry
    Method where pwc_methods types some by their collection (CodeT5, UNet++, but also Logistic
    Regression, a "Generalized Linear Model"): a Model when a word of the name is written in mixed
    case with a capital inside or with a digit (`_MODEL_WORD`: CodeT5, UNet++, GPT-3), a Method when
    it is words (Logistic Regression), undecided when it is capitals (PCA and CAM are acronyms as
    often as BART is a model). Between sources it is Papers with Code's Method against the blanket
    Model of a catalogue of systems (Epoch AI lists PointNet, ReLU, BPE): a Method."""
    entries = [e for e in entries if e.family not in TOPIC_FAMILIES]
    votes = Counter(e.type for e in entries)
    if not votes:
        return None
    type_, n = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    if 2 * n > sum(votes.values()):
        return type_
    if votes["Method"] == votes["Model"] == n and 2 * n == sum(votes.values()):
        if len({e.family for e in entries}) > 1:
            return "Method"
        if any(_MODEL_WORD.search(w) for e in entries for w in e.name.split()):
            return "Model"
        return None if any(_CAPITALS.match(w.replace("-", "")) for e in entries for w in e.name.split()) else "Method"
    return None


# A word of a name: a capital after its first letter (ScanNet, DeBERTa, iNaturalist, RGB-D), or a
# capital first and a digit (Kinetics-400); "Breakfast", "Replica" and "data2vec" are not names by shape.
NAME_WORD = re.compile(r"^.+[A-Z]|^[A-Z].*\d")
# A model's API identifier: lower case with a digit (o3, o4-mini, gpt-oss-120b, claude-sonnet-4-5), as
# papers write the model they called; 131 of them occur in the arXiv corpus, and every occurrence read
# named the model.
_MODEL_ID = re.compile(r"^(?=.*\d)[a-z][a-z0-9.-]*$")
_CAPITALS = re.compile(r"^[A-Z]+$")
_MODEL_WORD = re.compile(r"^(?=.*[a-z]).+[A-Z]|^[A-Z].*\d")
# names written with brackets, commas, colons or slashes are table rows ("CIFAR-10, 1000 Labels",
# "OpenAI: GPT-5.4"), not what an abstract writes
_PLAIN = re.compile(r"^[\w.+-]+(?: [\w.+-]+)*$")
_NAMED_TYPES = ("Dataset", "Model", "Method")


def vocabulary_names(directory: str | Path | None = None) -> list[GazetteerEntry]:
    """The Dataset, Model and Method names of the reference vocabularies that text cannot write by
    chance, typed by `vocabulary_type`: a name with a word of a name's shape (`NAME_WORD`) which,
    if it is one word, is not an English or arXiv word in other case (`GitHub`, `YouTube`, `PaLM`;
    a hyphenated one is: the field writes `u-net`, `ms-coco`, `office-home` in lower case too),
    nor an acronym arXiv papers define (`SAR`, `E2E`, `NeRF`: a paper may mean something else by
    it, and defines it when it does not), nor capitals of fewer than four letters; and a Model's
    identifier in lower case with a digit (`_MODEL_ID`) that is no common word. Sorted by name."""
    root = Path(directory) if directory else default_quality_dir()
    common = {w for w, zipf, df in read_rows(root / "words.tsv") if float(zipf) >= COMMON_ZIPF or int(df) >= COMMON_DF}
    acronyms = {row[0] for row in read_rows(root / "acronyms.tsv")}
    names: dict[str, str] = {}
    for entries in entries_by_key(vocabulary_rows(root)).values():
        voted = vocabulary_type(entries)
        if voted not in _NAMED_TYPES:
            continue
        for entry in entries:
            if entry.family not in TOPIC_FAMILIES and _distinctive(entry.name, voted, common, acronyms):
                names.setdefault(entry.name, voted)
    return [GazetteerEntry(name, type_) for name, type_ in sorted(names.items())]


def _distinctive(name: str, type_: str, common: set[str], acronyms: set[str]) -> bool:
    words = name.split()
    if type_ == "Model" and _MODEL_ID.match(name) and name not in common:
        return True
    if len(name) < 3 or not _PLAIN.match(name) or not any(NAME_WORD.search(w) for w in words):
        return False
    if len(words) > 1:
        return True
    word = words[0]
    if "-" not in word and word.lower() in common:
        return False
    return word not in acronyms and not (_CAPITALS.match(word) and len(word) < 4)
