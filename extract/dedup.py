"""One record per paper when the same paper was read more than once."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from paperkg.extract.records import Paper

__all__ = ["unique_papers"]

# Fields taken as a group, so that a merged paper never pairs one listing's date text with
# another listing's parsed date.
_DATE = ("date", "date_text", "year")
_UNION = ("urls", "code_urls")
_BOOKKEEPING = ("key", "source", "line", "merged_from")


def unique_papers(papers: Iterable[Paper]) -> list[Paper]:
    """Papers merged by `key`, in order of first appearance.

    The first record read wins for every field it has; a field it lacks (None, empty) is filled
    from the next duplicate that has it, the date fields as one group. URLs are the union, first
    record's first. The merged paper keeps the first record's `source` and `line`, and every
    other place it was read in `merged_from` (so `locations` lists them all, without repeats).
    """
    merged: dict[str, Paper] = {}
    for paper in papers:
        first = merged.get(paper.key)
        merged[paper.key] = paper if first is None else _merge(first, paper)
    return list(merged.values())


def _merge(first: Paper, other: Paper) -> Paper:
    changes: dict[str, Any] = {}  # field name -> value; the fields have different types
    if first.date_text is None and other.date_text is not None:
        changes.update({name: getattr(other, name) for name in _DATE})
    for f in dataclasses.fields(Paper):
        name = f.name
        if name in _DATE or name in _BOOKKEEPING:
            continue
        mine, theirs = getattr(first, name), getattr(other, name)
        if name in _UNION:
            changes[name] = tuple(dict.fromkeys((*mine, *theirs)))
        elif mine in (None, "", ()) and theirs not in (None, "", ()):
            changes[name] = theirs
    seen = set(first.locations)
    extra = tuple(loc for loc in other.locations if loc not in seen)
    changes["merged_from"] = first.merged_from + tuple(dict.fromkeys(extra))
    return dataclasses.replace(first, **changes)
