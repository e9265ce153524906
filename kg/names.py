"""Normalised forms of names: the keys that decide which surface forms are the same thing.

Linking uses them to merge variants into one entity; lookup uses the very same function on what
the user typed, so whatever the graph merged, a lookup finds.
"""
from __future__ import annotations

import re
import unicodedata

# LaTeX accent commands as they appear in abstracts: Na\"ive, {\'e}, \^{o}
_LATEX_ACCENT = re.compile(r"""\\[`'"^~=.uvHckbd]\s*\{?\s*([A-Za-z])\s*\}?""")
_LATEX_BRACES = re.compile(r"[{}]")
_NOT_WORD = re.compile(r"[^\w]+")
# plural endings that are not plurals
_KEEP_S = ("ss", "us", "is", "os", "ys", "as")


def strip_latex(text: str) -> str:
    return _LATEX_BRACES.sub("", _LATEX_ACCENT.sub(r"\1", text))


def singular(word: str) -> str:
    """English singular of a lower-case word or acronym plural (`saes` -> `sae`), conservatively."""
    if len(word) <= 3 or word.endswith(_KEEP_S) or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def surface_words(text: str) -> list[str]:
    """Lower-case words of a name with accents, LaTeX escapes, hyphens and punctuation removed."""
    text = unicodedata.normalize("NFKD", strip_latex(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return [w for w in _NOT_WORD.sub(" ", text.casefold().replace("_", " ")).split() if w]


def lookup_key(text: str) -> str:
    """The key under which a name is indexed and merged.

    Case, hyphens, spacing, LaTeX escapes and a plural last word do not matter:
    `GPT-2` = `GPT2`, `ResNet-50` = `ResNet50`, `sparse autoencoders` = `Sparse Autoencoder`,
    `SAEs` = `SAE`, `Na\\"ive Bayes` = `Naive Bayes`; `vSAE` and `SAE` stay apart.
    """
    words = surface_words(text)
    if not words:
        return ""
    words[-1] = singular(words[-1])
    return "".join(words)
