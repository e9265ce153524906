"""`paperkg_abbreviations`: the acronym definitions `extract.abbreviations` finds in the text, and
the later uses of each short form, as span groups."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from paperkg.extract.abbreviations import find_abbreviations, find_short_form_uses
from paperkg.extract.doc_text import doc_text
from paperkg.extract.keys import ABBR_LONG_KEY, ABBR_SHORT_KEY


@Language.component("paperkg_abbreviations")
def abbreviations(doc: Doc) -> Doc:
    """Long form <-> short form pairs defined in the text, and the later uses of each short form.

    Both span groups are labelled with the short form as defined, which ties them together.
    """
    shorts: dict[tuple[int, int], Span] = {}
    longs = []
    text = doc_text(doc)
    for abbr in find_abbreviations(text):
        long_span = doc.char_span(abbr.long_start, abbr.long_end, label=abbr.short, alignment_mode="expand")
        short_span = doc.char_span(abbr.short_start, abbr.short_end, label=abbr.short, alignment_mode="expand")
        if long_span is None or short_span is None:
            continue
        longs.append(long_span)
        uses = [doc.char_span(s, e, label=abbr.short) for s, e in find_short_form_uses(text, abbr)]
        for span in [short_span, *uses]:
            if span is not None:
                shorts.setdefault((span.start, span.end), span)
    doc.spans[ABBR_SHORT_KEY] = sorted(shorts.values(), key=lambda s: s.start)
    doc.spans[ABBR_LONG_KEY] = longs
    return doc
