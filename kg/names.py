"""Normalised forms of names: `paperkg.extract.naming`, the one normaliser extraction also uses.

Linking merges variants by `lookup_key`; lookup uses the very same function on what the user
typed, so whatever the graph merged, a lookup finds.
"""

from __future__ import annotations

from paperkg.extract.naming import (
    american,
    based_free,
    is_acronym_like,
    is_acronym_plural,
    latex_to_unicode,
    lookup_key,
    singular,
    singular_surface,
    singular_word,
    spacing_keys,
    strip_accents,
    strip_latex,
    strip_possessive,
    surface_words,
)

__all__ = [
    "american",
    "based_free",
    "is_acronym_like",
    "is_acronym_plural",
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
