"""The quality layer between extraction and the graph: what names something, what an acronym
stands for, which type and external identifiers a name has, from evidence shipped in `data/quality/`
(built by `python -m paperkg.extract.corpus_tables`, see its docstring and data/quality/LICENCE.md).

Every decision here is a pure function of a name and the shipped tables, never of the papers in
one build, so the graph built from A then B still equals the graph built from A and B together,
and any recogniser's output goes through the same decisions.

- **Specificity.** A word is *common* when general English uses it often (Zipf >= 3, wordfreq)
  or the field's writing does (in at least 2% of arXiv AI abstracts). A name made only of common
  words that is one word ("image", "large-scale") or ends in a kind-of-thing head
  ("downstream task", "AI system", "computational overhead") names nothing unless evidence says
  it does: a reference vocabulary of names (not CSO's topics or the AI Ontology's classes) lists
  it (a single word needs two independent sources, since the raw lists hold words like "agent"
  or "quality" as datasets), the curated gazetteers list it, or arXiv papers define an acronym
  for it (at least `MIN_PAPERS` papers; `KIND_MIN_PAPERS` for a kind-of-thing head, since papers
  abbreviate "pre-trained model" too). A word with a digit or a
  capital inside is a name (`GPT-4o`, `ViT`), except an acronym whose long form is itself common
  words (`AI`), which counts as those words.
- **Acronyms.** The long form most arXiv papers give an acronym (case-sensitive), when at least
  `MIN_PAPERS` papers and half of those defining it agree.
- **Types and links.** The vocabularies' type for a name (Papers with Code, Epoch AI and
  models.dev voting, a type needing more than half the votes), and their identifiers for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from paperkg.extract.gazetteers import GazetteerEntry
from paperkg.extract.naming import (
    HEAD_KINDS,
    KIND_HEADS,
    TASK_HEAD_KINDS,
    head_type,
    is_acronym_like,
    lookup_key,
    singular_word,
    strip_latex,
)
from paperkg.extract.vocabulary import (
    COMMON_DF,
    COMMON_ZIPF,
    NAME_WORD,
    TOPIC_FAMILIES,
    VocabularyEntry,
    default_quality_dir,
    entries_by_key,
    read_rows,
    vocabulary_rows,
    vocabulary_type,
)

MIN_PAPERS = 5  # papers defining an acronym's long form before the corpus's reading is trusted
KIND_MIN_PAPERS = 50

_WORD = re.compile(r"[^\W_]+")
_NAME_WORD = re.compile(r"\d|^.+[A-Z]")
_DIMENSION = re.compile(r"\d[Dd]")  # 2D, 3D: as common as any word
# Organisations papers name before their models and datasets ("OpenAI o3", "Google's Gemini 2.5
# Pro", "Microsoft COCO"): the name after them is the model or dataset itself
MAKERS = (
    "Alibaba", "Amazon", "Anthropic", "Apple", "Baidu", "ByteDance", "Cohere", "DeepMind", "Google",
    "Google DeepMind", "IBM", "Meta", "Meta AI", "Microsoft", "Mistral AI", "Moonshot AI", "NVIDIA",
    "Nvidia", "OpenAI", "Tencent", "xAI", "Zhipu AI",
)  # fmt: skip
_MAKER = re.compile("(?:" + "|".join(sorted(map(re.escape, MAKERS), key=len, reverse=True)) + r")(?:['\u2019]s)?[ -]+")


@dataclass(frozen=True)
class Acronym:
    long: str
    papers: int  # arXiv papers giving this long form
    defined: int  # arXiv papers defining the acronym at all


class Quality:
    def __init__(
        self,
        words: dict[str, tuple[float, int]],
        acronyms: dict[str, Acronym],
        vocabulary,
        gazetteer,
        curated: Iterable[GazetteerEntry] = (),
    ):
        self._words = words
        self._acronyms = acronyms
        self._vocabulary: dict[str, list[VocabularyEntry]] = vocabulary
        self._gazetteer: dict[str, str] = gazetteer  # key of a curated gazetteer name or alias -> its type
        # every name's words are judged, and words repeat far more than names do (5x less time a
        # word); the tables never change
        self._common_word = lru_cache(maxsize=65536)(self._judge_word)
        # and a paper's names recur paper after paper (LLM, benchmark, downstream task): an
        # extraction worker judged each every time, a tenth of its linking's CPU
        self._named = lru_cache(maxsize=65536)(self._judge_named)
        self._common_kind = lru_cache(maxsize=65536)(self._judge_common_kind)
        self._curated_keys: dict[str, str] = {}  # key of a curated name or alias -> the key its entity has
        for entry in curated:
            names = {lookup_key(n) for n in (entry.name, *entry.aliases)}
            target = lookup_key(entry.name)
            long = self.long_form(entry.name) if is_acronym_like(entry.name) else None
            if long and lookup_key(long) in names:  # `SAM`: linking keys it by its long form, as ever
                target = lookup_key(long)
            self._curated_keys.update((k, target) for k in names if k != target)
        self._named_long = {
            lookup_key(a.long): a.long
            for a in acronyms.values()
            if a.papers >= KIND_MIN_PAPERS or (a.papers >= MIN_PAPERS and not self._has_kind_head(a.long))
        }

    # ------------------------------------------------------------ acronyms

    def long_form(self, acronym: str) -> str | None:
        """The long form the corpus establishes for `acronym` as written (`CNN`, `LoRA`), or None."""
        found = self._acronyms.get(singular_word(acronym.strip()))
        if found and found.papers >= MIN_PAPERS and 2 * found.papers >= found.defined:
            return found.long
        return None

    def is_contested(self, acronym: str) -> bool:
        """True when arXiv papers define `acronym` often (`MIN_PAPERS`) but no long form holds half
        of them (`MLM`: masked language modelling in 16 of 46): a paper's reading then holds in that
        paper only, and the acronym joins none of the long forms."""
        found = self._acronyms.get(singular_word(acronym.strip()))
        return found is not None and found.defined >= MIN_PAPERS and self.long_form(acronym) is None

    def abbreviates(self, acronym: str) -> bool:
        """True when arXiv papers define `acronym` as a short form (settled or not): a vocabulary's
        entry of that spelling (the dataset "SSL", the dataset "GraSP") says nothing about what it means."""
        return singular_word(acronym.strip()) in self._acronyms

    def is_known_name(self, text: str) -> bool:
        """True when a vocabulary or the curated gazetteers list `text` as a name of its own (`COCO`)."""
        key = lookup_key(text)
        return key in self._gazetteer or any(e.family not in TOPIC_FAMILIES for e in self._vocabulary.get(key, ()))

    # ------------------------------------------------------------ specificity

    def is_common_word(self, word: str) -> bool:
        return self._common_word(word)

    def _judge_word(self, word: str) -> bool:
        if _DIMENSION.fullmatch(word):
            return True
        if _NAME_WORD.search(word):
            long = self.long_form(word)
            return long is not None and all(map(self._common_word, _WORD.findall(long)))
        return self._frequent(word.lower())

    def _frequent(self, word: str) -> bool:
        """Whether English (`COMMON_ZIPF`) or the field's own writing (`COMMON_DF`) uses `word` often."""
        zipf, df = self._words.get(word, (0.0, 0))
        return zipf >= COMMON_ZIPF or df >= COMMON_DF

    def is_common_in_field(self, word: str) -> bool:
        """True when the field's own writing uses `word` often (`COMMON_DF`), whatever English does."""
        return self._words.get(word.lower(), (0.0, 0))[1] >= COMMON_DF

    def is_named(self, text: str) -> bool:
        """Evidence that `text` names something: a vocabulary, the gazetteers, or acronym definitions."""
        return self._named(text)

    def _judge_named(self, text: str) -> bool:
        key = lookup_key(text)
        if key in self._gazetteer or key in self._named_long or self.long_form(text):
            return True
        families = {e.family for e in self.written_entries(key, text) if e.family not in TOPIC_FAMILIES}
        if not families:  # most new names: no vocabulary lists them, whatever their number of words
            return False
        return len(families) >= (2 if len(_WORD.findall(text)) == 1 else 1)

    @staticmethod
    def _has_kind_head(text: str) -> bool:
        words = _WORD.findall(text)
        return len(words) > 1 and singular_word(words[-1]).lower() in KIND_HEADS

    def is_common_kind(self, text: str) -> bool:
        """True when `text` is made of common words only, is one word (`image`, `large-scale`) or
        ends in a head that says only what kind of thing it is (`downstream task`, `AI system`), and
        nothing says it names something. A phrase of common words with another head (`catastrophic
        forgetting`, `latent space`) is a term of art and stays."""
        return self._common_kind(text)

    def _judge_common_kind(self, text: str) -> bool:
        text = strip_latex(text)
        words = _WORD.findall(text)
        if not words or not all(map(self._common_word, words)):  # the cache mapped in C: no frame a word
            return False
        one_word = len(text.split()) == 1
        return (one_word or self._has_kind_head(text)) and not self.is_named(text)

    # ------------------------------------------------------------ types and links

    def kind_head_name(self, text: str) -> str | None:
        """The name in `text` when `text` is that name followed by a head saying what kind of thing
        it is and the vocabularies (or the name's own head, `head_type`) agree it is that kind
        (`ImageNet dataset` -> `ImageNet`, `GPT-4o model` -> `GPT-4o`, `object detection task` ->
        `object detection`, `complex reasoning task` -> `complex reasoning`); None otherwise (`RAG
        datasets` are datasets for RAG)."""
        name, _, head = text.strip().rpartition(" ")
        word = singular_word(head).lower()
        kind = HEAD_KINDS.get(word) or TASK_HEAD_KINDS.get(word)
        if not kind or not name.strip():
            return None
        key = lookup_key(name)
        return name.strip() if kind in (self.named_type(key), head_type(key)) else None

    def maker_free_name(self, text: str) -> str | None:
        """The name in `text` after the organisation that made it (`OpenAI's o3` -> `o3`, `Microsoft
        COCO` -> `COCO`), when the curated gazetteers or the vocabularies know that name (with a kind
        head after it: `OpenAI o3 model`) as a Model or Dataset; None otherwise (`Google Scholar`)."""
        text = text.strip()
        maker = _MAKER.match(text)
        if not maker:
            return None
        rest = text[maker.end() :]
        return rest if self.named_type(lookup_key(self.kind_head_name(rest) or rest)) in ("Model", "Dataset") else None

    def vocabulary(self, key: str) -> list[VocabularyEntry]:
        return self._vocabulary.get(key, [])

    def written_entries(self, key: str, text: str | None = None) -> list[VocabularyEntry]:
        """The vocabularies' entries for `key`; for a name written `text`, without the entries that
        are one English word written otherwise: the benchmarks DRIVE, STARE and CHAIR and the dataset
        "Badminton" name nothing where papers write the words `drive`, `chair` or `badminton`."""
        entries = self._vocabulary.get(key, [])
        if text is None or not entries:  # most keys have none: nothing to filter
            return entries
        return [
            e for e in entries if e.name == text or " " in e.name or not self._frequent(singular_word(e.name.lower()))
        ]

    def curated_key(self, key: str) -> str:
        """The key of the curated gazetteers' name for which `key` is an alias's key, else `key`:
        `automatic speech recognition`, `ASR` -> `speech recognition`, `MSCOCO` -> `COCO`, in every
        paper, not only where the rules found the alias and grouped it with its name."""
        return self._curated_keys.get(key, key)

    def curated_type(self, key: str) -> str | None:
        """The type the curated gazetteers (data/gazetteers) give `key`."""
        return self._gazetteer.get(key)

    def named_type(self, key: str) -> str | None:
        """The type the curated gazetteers give `key`, else the vocabularies' (`type_of`)."""
        return self.curated_type(key) or self.type_of(key)

    def type_of(self, key: str, text: str | None = None) -> str | None:
        """The type Papers with Code, Epoch AI and models.dev give `key` (written `text`, when
        given: `written_entries`), when more than half their entries agree (CSO's types are guesses
        from topic names, the AI Ontology's classes are not types)."""
        entries = self.written_entries(key, text)
        if not entries:  # most keys have none
            return None
        return None if self._epoch_words_only(entries) else vocabulary_type(entries)

    def _epoch_words_only(self, entries: list[VocabularyEntry]) -> bool:
        """True when Epoch AI's catalogue, which calls every system it lists a Model, is the only
        source of a name made of common words, none of a name's shape (`Error Propagation`,
        `Decision Tree`, `Boosting`, not `Qwen-VL`): the words name a method or an idea as often
        as the catalogue's system."""
        named = [e for e in entries if e.family not in TOPIC_FAMILIES]
        return bool(named) and all(
            e.family == "epoch"
            and not any(NAME_WORD.search(w) for w in e.name.split())
            and all(map(self._common_word, _WORD.findall(e.name)))
            for e in named
        )


@lru_cache(maxsize=4)
def load_quality(directory: str | None = None) -> Quality:
    """The shipped tables (or those in `directory`), read once per process."""
    from paperkg.extract.gazetteers import load_gazetteers

    root = Path(directory) if directory else default_quality_dir()
    words = {w: (float(z), int(df)) for w, z, df in read_rows(root / "words.tsv")}
    acronyms = {a: Acronym(long, int(p), int(d)) for a, long, p, d in read_rows(root / "acronyms.tsv")}
    vocabulary = entries_by_key(vocabulary_rows(root))
    entries = load_gazetteers()
    gazetteer = {lookup_key(n): e.type for e in entries for n in (e.name, *e.aliases)}
    return Quality(words, acronyms, vocabulary, gazetteer, entries)
