"""Names and their keys: the one normaliser that extraction, linking, lookup and the page share.

A leaf module (the standard library only), so both `extract` and `kg` import it: the key that
groups a paper's mentions (`grouping_key`) is the key linking merges entities by and `kg lookup`
indexes (`lookup_key`), and `singular` makes the same plural rule visible in surface forms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "ARTEFACT_HEADS",
    "BASED_HEADS",
    "DATASET_HEADS",
    "GENERIC_MODIFIERS",
    "GENERIC_NOUNS",
    "HEAD_KINDS",
    "HEAD_TYPES",
    "head_type",
    "KIND_HEADS",
    "NAME_HEADS",
    "TASK_HEAD_KINDS",
    "american",
    "based_free",
    "grouping_key",
    "is_acronym_like",
    "is_acronym_plural",
    "is_generic_reference",
    "latex_to_unicode",
    "lookup_key",
    "singular",
    "singular_surface",
    "singular_word",
    "spacing_keys",
    "strip_accents",
    "strip_latex",
    "strip_possessive",
    "surface_words",
]

_LATEX_BRACES = re.compile(r"[{}]")
_WORD_RUN = re.compile(r"\w+")
# plural-looking endings of singular words (corpus, analysis, loss)
_KEEP_S = ("ss", "us", "is")
# singular words that end like plurals, and -ics fields that are not plurals of anything
_INVARIANT = frozenset(
    "alias atlas bias canvas gas pandas keras bayes hermes series species news chaos cosmos ethos "
    "physics mathematics robotics linguistics semantics dynamics economics ethics graphics "
    "analytics genomics proteomics mechanics kinetics optics logistics".split()
)


# LaTeX accent commands as they appear in abstracts (Na\"ive, {\'e}, \^{o}) and the Unicode
# combining marks they stand for
_COMBINING = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    '"': "\u0308",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "b": "\u0331",
    "d": "\u0323",
}
_LATEX_ACCENT_CMD = re.compile(r"""\\([`'"^~=.uvHckbd])\s*\{?\s*([A-Za-z])\s*\}?""")
# an acronym in the plural: SAEs, LMs, GNNs, T5s, and any word whose `s` follows a capital (ReLUs)
_ACRONYM_PLURAL = re.compile(r"^(?:[A-Z][A-Z0-9]+|.+[A-Z])s$")


def is_acronym_plural(word: str) -> bool:
    """An acronym with a plural `s`: `SAEs`, `GNNs`, `T5s`, `ReLUs`; the one rule for dropping it."""
    return bool(_ACRONYM_PLURAL.match(word))


def strip_latex(text: str) -> str:
    if "\\" not in text and "{" not in text and "}" not in text:  # most names: nothing to strip, read once
        return text
    return _LATEX_BRACES.sub("", _LATEX_ACCENT_CMD.sub(r"\2", text))


def latex_to_unicode(text: str) -> str:
    """LaTeX accents as the letters they make: `Na\\"ive` -> `Naïve`."""
    text = _LATEX_ACCENT_CMD.sub(lambda m: m.group(2) + _COMBINING[m.group(1)], text)
    return unicodedata.normalize("NFC", _LATEX_BRACES.sub("", text))


def strip_accents(text: str) -> str:
    if text.isascii():  # most names: NFKD leaves ASCII as it is and it has no combining marks
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


# a word written with a capital inside or a digit is a name and never made singular (`FinePhys`)
_NAME_WORD = re.compile(r"^.[^A-Z]*[A-Z]|\d")


@lru_cache(maxsize=65536)  # every last word of every key and name; words repeat far more than names do
def singular_word(word: str) -> str:
    """The English singular of a word, keeping its case: `autoencoders` -> `autoencoder`,
    `SAEs` -> `SAE`, `biases` -> `bias`, `analyses` -> `analysis`; names as written (`FinePhys`)."""
    if is_acronym_plural(word):
        return word[:-1]
    lower = word.lower()
    if (
        len(word) <= 3
        or not word.isalpha()
        or _NAME_WORD.search(word)
        or not lower.endswith("s")
        or lower in _INVARIANT
        or lower.endswith(_KEEP_S)
    ):
        return word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("yses", "theses")):  # analyses, hypotheses
        return word[:-2] + "is"
    if lower.endswith(("ches", "shes", "xes", "sses")) or (
        lower.endswith("es") and (lower[:-2] in _INVARIANT or lower[:-2].endswith(_KEEP_S))
    ):
        return word[:-2]
    return word[:-1]


def singular(text: str) -> str:
    """`text` with its last word made singular, keeping its case: `Sparse Autoencoders` -> `Sparse Autoencoder`."""
    if not _ends_in_s(text):  # most names: no plural ending to look for (half of the label work of a build)
        return text
    return _singular_last_word(text)


def _ends_in_s(text: str) -> bool:
    """Whether the last word character of `text` is an `s`: `singular_word` drops a plural ending
    from such a word only."""
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] == "_"):  # what the pattern's `\W*$` skips
        end -= 1
    return bool(end) and text[end - 1] in "sS"


@lru_cache(maxsize=65536)  # called several times per mention; a pure function of the text
def _singular_last_word(text: str) -> str:
    match = re.search(r"([^\W\d_]+)(\W*)$", text)
    if match is None or (match.start(1) and text[match.start(1) - 1].isdigit()):
        return text
    return text[: match.start(1)] + singular_word(match.group(1)) + match.group(2)


singular_surface = singular  # the name linking and the label code have always used


# Head nouns: the last words of a phrase that say what kind of thing it is, not which one; every
# list of them is declared here (KIND_HEADS, built on GENERIC_NOUNS, is below).

# Heads that only say what kind of thing a name is (`the SCTD dataset`, `the GPT-4 model`), each
# with the type of that kind: linking drops one only when the name is known to be of that type
# (`kg.quality`), as `RAG datasets` are datasets for RAG and `AI models` are not AI; keys keep it.
HEAD_KINDS = {"dataset": "Dataset", "corpus": "Dataset", "benchmark": "Dataset", "model": "Model"}
NAME_HEADS = frozenset(HEAD_KINDS)
# The same for a task: `the object detection task`, `text classification problems` name the task
# (not artefact heads: a task's name is no artefact's).
TASK_HEAD_KINDS = {"task": "Task", "problem": "Task"}
# Heads that say which type a name of common words is, whatever the recogniser's mentions vote: a
# kind of learning or augmentation is a technique (`in-context learning` was a Task in 633 of 1,141
# mentions on the whole corpus, `data augmentation` in 199 of 396), a representation is what a model
# holds, not a technique (`latent representation` a Method in all 288), and a kind of reasoning is a
# capability papers evaluate and improve, as mathematical reasoning is (`LLM reasoning` a Method in
# 298 papers, `logical reasoning` in 47 of the 20k sample's). Read from the key's end, so an acronym
# the key spells out (`ICL`) is typed by its long form.
HEAD_TYPES = {"learning": "Method", "augmentation": "Method", "representation": "Concept", "reasoning": "Task"}


_HEAD_ENDINGS = tuple(HEAD_TYPES)


def head_type(key: str) -> str | None:
    """The type `HEAD_TYPES` gives the name keyed `key` (`logicalreasoning`: Task), None for a key
    that is only the head itself or has none of them."""
    if not key.endswith(_HEAD_ENDINGS):  # most keys: one test in C, not a generator's four
        return None
    return next((t for head, t in HEAD_TYPES.items() if key.endswith(head) and key != head), None)


# Heads that make a phrase a dataset (`the PASCAL VOC 2007 dataset`, `Penn Treebank`), as written.
DATASET_HEADS = frozenset("dataset datasets benchmark benchmarks corpus corpora treebank".split())
# Words that may wrap a named model or dataset without changing what it names
# (`the Pythia-70M transformer`, `SST-2 and AGNews datasets`).
ARTEFACT_HEADS = NAME_HEADS | frozenset(
    "models datasets benchmarks transformer transformers checkpoint checkpoints family families series suite "
    "lm lms variant variants architecture network and or".split()
)


# Things built on what names them: `an LLM-based agent` is an LLM agent, `a Transformer-based
# encoder` a Transformer encoder. Not activities (`LLM-based inference` is inference by an LLM,
# `LLM inference` serving one) nor models (`agent-based models` simulate agents).
BASED_HEADS = frozenset(
    """agent system evaluator judge encoder decoder simulator detector classifier retriever planner
    controller""".split()
)
_BASED = re.compile(r"^(?P<what>.+?)(?:-| +)based +(?P<rest>.+)$", re.IGNORECASE)


def based_free(text: str) -> str | None:
    """`text` without the `based` of "X-based Y" when Y is a thing built on X (`BASED_HEADS`):
    `LLM-based agents` -> `LLM agents`, `LLM based search agent` -> `LLM search agent`; else None."""
    match = _BASED.match(text.strip())
    if not match:
        return None
    rest = match.group("rest")
    head = singular_word(rest.split()[-1]).lower()
    return f"{match.group('what')} {rest}" if head in BASED_HEADS else None


# a possessive at the end of a name: `Large Language Model's`, `Transformers'`
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019]s?$")


def strip_possessive(text: str) -> str:
    """`text` without a closing possessive: `Group-relative Policy Optimization's` -> `... Optimization`."""
    if "'" not in text and "\u2019" not in text:  # most names: the pattern would try every position for none
        return text
    return _POSSESSIVE.sub("", text)


# a hyphen inside a lower-case word, as a line break leaves it: `mod-els`, `mod- els`
_BROKEN_WORD = re.compile(r"(?<=[a-z])-\s+(?=[a-z])")
# a plural's last letters broken off a word at a line end (`mod-els`, `lay-ers`): too short to be a
# word the plural rule reads, and no word that ends like a plural (`multi-gas`, `omni-bus`)
_BROKEN_END = re.compile(r"(?<=[a-z]-)[a-z]{1,2}s$")
# British spellings and their American forms, in keys only (`Optimisation` = `Optimization`)
_IZE = re.compile(r"(?<=[a-z]{3})is(ation|ations|e|ed|es|er|ers|ing)$")
# words whose -ise is American too (`noise`, `pairwise`, `supervised`): their keys keep it
_ISE_STEMS = """wise nois precis concis rais prais promis premis surpris exercis expertis advis devis revis
supervis televis improvis advertis compris despis excis incis chastis disguis cruis franchis merchandis
paradis treatis demis pois repris appris apprais compromis enterpris"""
_ISE_WORDS = re.compile("|".join(_ISE_STEMS.split()))
_BRITISH = (
    (re.compile(r"(?<=[a-z]{3})ys(e|ed|es|er|ers|ing)$"), r"yz\1"),  # analyse
    (re.compile(r"(behavi|col|neighb|fav|lab|hon|rum|vap|flav|harb|hum|arm|od|vig)our"), r"\1or"),
    (re.compile(r"(model|label|level|travel|tunnel|channel|cancel|signal|fuel|marvel)l(ing|ed|er|ers)$"), r"\1\2"),
    (re.compile(r"(cent|met|theat|fib)re(s?)$"), r"\1er\2"),
    (re.compile(r"programme(s?)$"), r"program\1"),
)


@lru_cache(maxsize=65536)  # every word of every key; words repeat far more than names do
def american(word: str) -> str:
    """The American spelling of a lower-case word where the British one differs; others as they are."""
    if not _ISE_WORDS.search(word):
        word = _IZE.sub(r"iz\1", word)
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    return word


def surface_words(text: str) -> list[str]:
    """Words of a name as written, with accents, LaTeX escapes, hyphens, punctuation and a closing
    possessive removed, line-broken words joined (`mod-els`) and the last word made singular.
    A `+` is a word (`LoRA+` is not LoRA)."""
    text = strip_possessive(strip_accents(strip_latex(text)).strip())
    if "-" in text:  # only a hyphen can break a word
        text = _BROKEN_WORD.sub("-", text)
    # the runs of word characters: what splitting at the runs of other characters leaves, in one pass
    words = _WORD_RUN.findall(text.replace("+", " plus ").replace("_", " "))
    if len(words) > 1 and _BROKEN_END.search(text) and words[-1] not in _INVARIANT and not words[-1].endswith(_KEEP_S):
        words[-2:] = [words[-2] + words[-1]]  # the plural rule reads the word the line break cut
    if words:
        words[-1] = singular_word(words[-1])
    return words


@lru_cache(maxsize=65536)  # called several times per mention; a pure function of the text
def lookup_key(text: str) -> str:
    """The key under which a name is grouped, merged and looked up.

    Case, hyphens, spacing, LaTeX escapes and a plural last word do not matter:
    `GPT-2` = `GPT2`, `ResNet-50` = `ResNet50`, `sparse autoencoders` = `Sparse Autoencoder`,
    `SAEs` = `SAE`, `Na\\"ive Bayes` = `Naive Bayes`, `gender biases` = `gender bias`; `vSAE` and
    `SAE` stay apart. Numbers stay apart from each other (`Gemma 2 2B` is not `Gemma 22B`,
    `Llama 3.1` is not `Llama 31`).
    """
    words = list(map(american, map(str.casefold, surface_words(text))))  # the loop in C: a new name's key
    if not words:
        return ""
    key = words[0]
    for word in words[1:]:
        key += "." + word if key[-1].isdigit() and word[0].isdigit() else word
    return key


grouping_key = lookup_key  # one key: a paper's mentions group as the graph merges them

# a word boundary written as a capital inside a word: `OpenImages`, `ImageNet`
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


def spacing_keys(text: str) -> list[str]:
    """The keys `text` may be stored under, its own first, with the spacing inside it ignored:
    `Open Images` is also `OpenImages`, and `OpenImages` also `Open Images`. (The plural rule reads
    only the last word, so the two forms of one name can differ in key.)"""
    keys = [lookup_key(text), lookup_key(re.sub(r"\s+", "", text)), lookup_key(_CAMEL.sub(" ", text))]
    return [k for k in dict.fromkeys(keys) if k]


def is_acronym_like(text: str) -> bool:
    """One token with at least two capitals making up half its letters: `SAE`, `vSAE`, `GPT-2`, `LoRA`.

    Only such names are resolved against acronyms that other papers define; `ResNet50` or
    `Pythia-70M` are names in their own right.
    """
    text = strip_latex(text).strip()
    if not text or len(text) > 15 or any(map(str.isspace, text)):
        return False
    letters = list(filter(str.isalpha, text))
    upper = sum(map(str.isupper, letters))
    return upper >= 2 and 2 * upper >= len(letters)


# Nouns that name no particular thing on their own ("this method", "the model", "it").
GENERIC_NOUNS = frozenset(
    """method methods approach approaches model models system systems framework frameworks technique
    techniques algorithm algorithms task tasks problem problems work works paper papers study studies
    result results it its they them one ones which this that these those dataset datasets procedure
    procedures scheme schemes strategy strategies solution solutions tool tools metric metrics measure
    measures benchmark benchmarks baseline baselines experiment experiments idea ideas way ways we
    version versions variant variants thing things kind kinds part parts section sections figure
    figures fig table tables step steps stage stages case cases example examples equation equations
    eq""".split()
)

# Heads that say what kind of thing a phrase is, not which: the nouns "this method" is made of
# (GENERIC_NOUNS) and the measures, settings and resources abstracts qualify ("computational
# overhead", "real-world application", "synthetic data", and the whole corpus's hubs "visual input",
# "3D scene", "external knowledge", "human annotation", "human judgment", "failure mode", "visual
# cue", "global context", and accuracy qualified by what it measures: "detection accuracy",
# "average accuracy"; the curated gazetteers name the accuracies that are metrics of their own;
# and the 20k sample's hubs 151-400: what data holds or says, "textual description", "user query",
# "LLM output", "LLM response", "visual content", "video frame", "imaging modality", "high-level
# semantics", "QA pair", its shapes and parts, "3D object", "3D shape", "graph structure", "image
# region", and "human behavior", "human cognition", "evaluation methodology", "architectural
# modification"); kg.quality drops such phrases.
KIND_HEADS = GENERIC_NOUNS | frozenset(
    """application applications scenario setting environment overhead cost efficiency performance quality
    capability ability data information time evaluation analysis process pipeline module component
    architecture feature resource domain device condition level aspect issue challenge factor property
    limitation advantage improvement mechanism design paradigm protocol scale size parameter deployment
    page fidelity image video text language input scene knowledge annotation judgment judgement mode cue context
    accuracy description query output content frame modality semantics object structure behavior behaviour
    cognition methodology modification response region pair shape""".split()
)

# Words in front of a generic noun that still leave it generic ("our proposed approach").
GENERIC_MODIFIERS = frozenset(
    """the a an this that these those our their its his her my your such proposed existing previous
    new novel same other each both several many various current present above following former latter
    given whole entire first second prior standard conventional traditional typical simple general
    different two three multiple all any some own related corresponding alternative original resulting
    underlying particular specific final overall main key basic popular common recent earlier""".split()
)


def is_generic_reference(words: list[str], also_generic: frozenset[str] = frozenset()) -> bool:
    """True for phrases like "this method", "our proposed approach", "the model", "it", "Table 2",
    "part 15344": generic nouns with modifiers and numbers around them name nothing."""
    # word by word, stopping at the first that names something (most recognised spans' first
    # content word); a whole word of letters needs no look at each character
    for word in words:
        lower = word.lower()
        if lower in GENERIC_MODIFIERS or not (word.isalpha() or any(c.isalpha() for c in word)):
            continue
        if lower not in GENERIC_NOUNS and lower not in also_generic:
            return False
    return True
