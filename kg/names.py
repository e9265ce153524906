"""Normalised forms of names: the keys that decide which surface forms are the same thing.

Linking uses them to merge variants into one entity; lookup uses the very same function on what
the user typed, so whatever the graph merged, a lookup finds.
"""

from __future__ import annotations

import re
import unicodedata

_LATEX_BRACES = re.compile(r"[{}]")
_NOT_WORD = re.compile(r"[^\w]+")
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
# an acronym in the plural: SAEs, LMs, GNNs
_ACRONYM_PLURAL = re.compile(r"^[A-Z][A-Z0-9]+s$")


def strip_latex(text: str) -> str:
    return _LATEX_BRACES.sub("", _LATEX_ACCENT_CMD.sub(r"\2", text))


def latex_to_unicode(text: str) -> str:
    """LaTeX accents as the letters they make: `Na\\"ive` -> `Naïve`."""
    text = _LATEX_ACCENT_CMD.sub(lambda m: m.group(2) + _COMBINING[m.group(1)], text)
    return unicodedata.normalize("NFC", _LATEX_BRACES.sub("", text))


def strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def singular(word: str) -> str:
    """English singular of a lower-case word or acronym plural (`saes` -> `sae`), conservatively."""
    if len(word) <= 3 or not word.endswith("s") or word in _INVARIANT or word.endswith(_KEEP_S):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("yses", "theses")):  # analyses, hypotheses
        return word[:-2] + "is"
    if word.endswith(("ches", "shes", "xes", "sses")) or (
        word.endswith("es") and (word[:-2] in _INVARIANT or word[:-2].endswith(_KEEP_S))
    ):
        return word[:-2]
    return word[:-1]


def surface_words(text: str) -> list[str]:
    """Lower-case words of a name with accents, LaTeX escapes, hyphens and punctuation removed.

    An acronym plural as the last word loses its `s` here, where its case still shows it
    (`LMs` -> `lm`), since `singular` leaves short lower-case words such as `gas` alone.
    """
    words = _NOT_WORD.sub(" ", strip_accents(strip_latex(text)).replace("_", " ")).split()
    if words and _ACRONYM_PLURAL.match(words[-1]):
        words[-1] = words[-1][:-1]
    return [w.casefold() for w in words]


def lookup_key(text: str) -> str:
    """The key under which a name is indexed and merged.

    Case, hyphens, spacing, LaTeX escapes and a plural last word do not matter:
    `GPT-2` = `GPT2`, `ResNet-50` = `ResNet50`, `sparse autoencoders` = `Sparse Autoencoder`,
    `SAEs` = `SAE`, `Na\\"ive Bayes` = `Naive Bayes`; `vSAE` and `SAE` stay apart. Numbers stay
    apart from each other (`Gemma 2 2B` is not `Gemma 22B`, `Llama 3.1` is not `Llama 31`).
    """
    words = surface_words(text)
    if not words:
        return ""
    words[-1] = singular(words[-1])
    key = words[0]
    for word in words[1:]:
        key += "." + word if key[-1].isdigit() and word[0].isdigit() else word
    return key


def is_acronym_like(text: str) -> bool:
    """One token with at least two capitals making up half its letters: `SAE`, `vSAE`, `GPT-2`, `LoRA`.

    Only such names are resolved against acronyms that other papers define; `ResNet50` or
    `Pythia-70M` are names in their own right.
    """
    text = strip_latex(text).strip()
    if not text or len(text) > 15 or any(ch.isspace() for ch in text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 2 and 2 * upper >= len(letters)


def singular_surface(text: str) -> str:
    """`text` with its last word made singular, keeping its case: `Sparse Autoencoders` -> `Sparse Autoencoder`."""
    match = re.search(r"([A-Za-z]+)(\W*)$", text)
    if match is None:
        return text
    word = match.group(1)
    lower = word.lower()
    single = lower[:-1] if _ACRONYM_PLURAL.match(word) else singular(lower)
    if single == lower:
        return text
    common = 0
    while common < len(single) and single[common] == lower[common]:
        common += 1
    new_word = word[:common] + single[common:]
    return text[: match.start(1)] + new_word + match.group(2)
