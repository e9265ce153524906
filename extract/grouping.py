"""A paper's mentions grouped into entities, each under one canonical name with its aliases."""

from __future__ import annotations

from paperkg.extract.naming import grouping_key, singular
from paperkg.extract.records import ExtractedEntity, Mention
from paperkg.schema.namespaces import ENTITY_TYPES

__all__ = ["group_mentions"]

# Named artefacts keep their names exactly as written ("20 Newsgroups" is not a plural).
_AS_WRITTEN = {"Model", "Dataset"}


class _Groups:
    """Union-find over grouping keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_mentions(
    mentions: list[tuple[Mention, str | None]], abbreviations: tuple[tuple[str, str], ...] = ()
) -> tuple[ExtractedEntity, ...]:
    """Entities in order of first mention.

    `mentions` pairs each mention with the gazetteer's canonical name for it, if any;
    `abbreviations` are (short form, long form) pairs defined in the paper: both forms become one
    entity named by the long form, with the short form as its acronym.
    """
    groups = _Groups()
    pairs: dict[str, tuple[str, str]] = {}  # short form's key -> (short form, long form)
    for short_form, long_form in abbreviations:
        groups.union(grouping_key(short_form), grouping_key(long_form))
        pairs.setdefault(grouping_key(short_form), (short_form, long_form))
    keys = [grouping_key(mention.text) for mention, _ in mentions]  # one key a mention, read thrice below
    for key, (_, canonical) in zip(keys, mentions):
        groups.find(key)
        if canonical:
            groups.union(key, grouping_key(canonical))

    members: dict[str, list[tuple[Mention, str | None]]] = {}
    for key, (mention, canonical) in sorted(
        zip(keys, mentions), key=lambda km: (km[1][0].field != "title", km[1][0].start)
    ):
        members.setdefault(groups.find(key), []).append((mention, canonical))

    # each group's first pair, once: asking every pair's group for every entity made entities x pairs finds
    pair_of: dict[str, tuple[str, str]] = {}
    for short_key, pair in pairs.items():
        pair_of.setdefault(groups.find(short_key), pair)
    entities = []
    for root, items in members.items():
        type_ = _vote_type([m for m, _ in items])
        short, long = pair_of.get(root, (None, None))
        canonical = next((c for _, c in items if c), None)
        if long:
            name = long if type_ in _AS_WRITTEN else singular(long)
        elif canonical:
            name = canonical
        else:
            first = items[0][0].text
            name = first if type_ in _AS_WRITTEN else singular(first)
        acronym = singular(short) if short else None
        texts = [m.text for m, _ in items]
        aliases = tuple(t for t in dict.fromkeys([*texts, *([acronym] if acronym else [])]) if t != name)
        entities.append(ExtractedEntity(name, type_, aliases, tuple(m for m, _ in items), acronym))
    return tuple(entities)


_SPECIFIC_FIRST = {t: i for i, t in enumerate(("Model", "Dataset", "Metric", "Task", "Method", "Concept"))}


def _vote_type(mentions: list[Mention]) -> str:
    """Rules count double; ties go to the more specific type (Model before Method, ...)."""
    if len(mentions) == 1:  # most entities: one mention
        return mentions[0].type
    votes: dict[str, int] = {}
    for m in mentions:
        votes[m.type] = votes.get(m.type, 0) + (2 if m.source.startswith("rule") else 1)
    if len(votes) == 1:  # most entities: one type
        return next(iter(votes))
    return min(votes, key=lambda t: (-votes[t], _SPECIFIC_FIRST.get(t, len(ENTITY_TYPES))))
