"""`paperkg_sentences`: sentence boundaries for titles and abstracts."""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from paperkg.extract.doc_text import token_texts

_ENDS = {".", "?", "!"}
_NOT_START = numpy.iinfo("uint64").max  # SENT_START -1 as Doc.from_array reads it
_NOT_ENDS = {"al", "fig", "figs", "eq", "eqs", "sec", "vs", "cf", "approx", "resp", "no", "e.g", "i.e", "etc"}


@Language.component("paperkg_sentences")
def sentence_boundaries(doc: Doc) -> Doc:
    """Sentence starts after `.`/`?`/`!` before a capital or digit; never inside `$...$` or after
    `e.g.`-like abbreviations; always after a blank line (the title/abstract break, which also
    closes any `$` a title left open)."""
    if doc.has_annotation("SENT_START") or not len(doc):
        return doc
    words = token_texts(doc)
    starts = numpy.full((len(doc), 1), _NOT_START, dtype="uint64")
    starts[0, 0] = 1
    in_math = False
    for i, word in enumerate(words[:-1]):
        if "\n\n" in word and not word.strip():  # a token's own whitespace is one space at most
            starts[i + 1, 0] = 1
            in_math = False
            continue
        # a token may hold a dollar of its own: "MoS$_2" opens what the next "$" closes; "\\$13" is money
        if "$" in word and (word.count("$") - word.count("\\$")) % 2:
            in_math = not in_math
        if in_math:
            continue
        if word in _ENDS:
            prev = words[i - 1].lower() if i else ""
            nxt = words[i + 1][:1]
            if prev not in _NOT_ENDS and (nxt.isupper() or nxt.isdigit() or nxt in "\"'([`"):
                starts[i + 1, 0] = 1
    doc.from_array([SENT_START], starts)  # type: ignore[arg-type]  # numpy uint64 is what Doc reads
    return doc
