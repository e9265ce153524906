"""`paperkg_ballot` and `paperkg_vote`: the recogniser ensemble's majority vote.

The recogniser is an ensemble: members trained alike from different seeds each label the Doc
(`ner_0`, `ner_1`, ...); the ballot after each one keeps its entities and clears them for the
next member; the vote keeps the spans a majority of the members agree on, label included.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

from paperkg.extract.keys import BALLOTS_KEY


def ballot(doc: Doc, weight: int = 1) -> Doc:
    """Moves the preceding recogniser member's entities into the ballot box, as `weight` members'
    votes (a stronger member, such as a contextual teacher among the vote's members, counts twice)."""
    box = doc.spans.get(BALLOTS_KEY)
    members = box.attrs["members"] if box is not None else 0  # an empty ballot still counts
    doc.spans[BALLOTS_KEY] = [*(box or ()), *(list(doc.ents) * weight)]
    doc.spans[BALLOTS_KEY].attrs["members"] = members + weight
    doc.set_ents([], default="missing")  # the next member must not take these as preset
    return doc


@Language.factory("paperkg_ballot", default_config={"weight": 1})
def make_ballot(nlp: Language, name: str, weight: int) -> Callable[[Doc], Doc]:
    return functools.partial(ballot, weight=weight)


@Language.component("paperkg_vote")
def vote(doc: Doc) -> Doc:
    """Entities: the spans (with their label) that a strict majority of the members that ran
    proposed. With one member this is its own output. Such spans never overlap: each member's
    entities do not, so two overlapping spans cannot both have more than half the votes."""
    if BALLOTS_KEY not in doc.spans:
        return doc
    box = doc.spans[BALLOTS_KEY]
    needed = box.attrs.get("members", 1) // 2 + 1
    votes: dict[tuple[int, int, str], int] = {}
    for span in box:
        key = (span.start, span.end, span.label_)
        votes[key] = votes.get(key, 0) + 1
    ents = [Span(doc, start, end, label=label) for (start, end, label), n in sorted(votes.items()) if n >= needed]
    del doc.spans[BALLOTS_KEY]
    doc.set_ents(ents, default="outside")
    return doc
