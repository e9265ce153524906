"""Canonical names and grouping keys for mentions: singular forms, acronym plurals, generic phrases."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["grouping_key", "is_generic", "singular", "singular_word"]

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

# Words in front of a generic noun that still leave it generic ("our proposed approach").
GENERIC_MODIFIERS = frozenset(
    """the a an this that these those our their its his her my your such proposed existing previous
    new novel same other each both several many various current present above following former latter
    given whole entire first second prior standard conventional traditional typical simple general
    different two three multiple all any some own related corresponding alternative original resulting
    underlying particular specific final overall main key basic popular common recent earlier""".split()
)


def is_generic(words: list[str], also_generic: frozenset[str] = frozenset()) -> bool:
    """True for phrases like "this method", "our proposed approach", "the model", "it", "Table 2",
    "part 15344": generic nouns with modifiers and numbers around them name nothing."""
    content = [w.lower() for w in words if w.lower() not in GENERIC_MODIFIERS and any(c.isalpha() for c in w)]
    return all(w in GENERIC_NOUNS or w in also_generic for w in content)


_NO_SINGULAR = re.compile(r"(ss|us|is|ics|sis|ous|ws|news|series|species|data)$")


def singular_word(word: str) -> str:
    """`autoencoders` -> `autoencoder`, `SAEs` -> `SAE`; everything else as written."""
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        return word[:-1]  # acronym plural
    if len(word) <= 3 or not word.isalpha() or word.isupper() or _NO_SINGULAR.search(word.lower()):
        return word
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if lower.endswith("s"):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def singular(phrase: str) -> str:
    """The phrase with its last word made singular (the head of an English noun phrase)."""
    m = re.search(r"([A-Za-z]+)$", phrase)
    if not m:
        return phrase
    return phrase[: m.start()] + singular_word(m.group(1))


_NAME_HEADS = frozenset("dataset datasets corpus benchmark model models".split())


@lru_cache(maxsize=65536)  # called several times per mention; a pure function of the text
def grouping_key(text: str) -> str:
    """Mentions with the same key are one entity within a paper: case, hyphens and plurals ignored."""
    words = re.sub(r"[-_/\s]+", " ", text.strip()).split(" ")
    if len(words) > 1 and words[-1].lower() in _NAME_HEADS:  # "the SCTD dataset" is SCTD
        words.pop()
    if words:
        words[-1] = singular_word(words[-1])
    return " ".join(words).lower()
