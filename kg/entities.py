"""What an entity is, decided from all of its mentions: type, preferred label, aliases and why they merged.

Everything here is a pure function of the entity's key, its mentions' texts and types, and the
acronyms papers defined for it. So an entity reads the same however its papers were split into
builds: the graph built from A then B equals the graph built from A and B together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from paperkg.kg.names import latex_to_unicode, lookup_key, singular_surface, strip_accents

# Ties between types go to the more specific one: a name that is as often a model as a method
# is most likely a named model; "Concept" is what the extractor says when it knows least.
TYPE_PRECEDENCE = ("Model", "Dataset", "Metric", "Task", "Method", "Concept")

MERGE_RULES = ("case", "plural", "hyphen-space", "latex", "accent", "acronym", "extractor-group")

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class EntitySummary:
    key: str
    type: str
    label: str
    aliases: tuple[str, ...]  # every other surface form, sorted
    acronyms: tuple[str, ...]
    lookup_keys: tuple[str, ...]
    merges: tuple[tuple[str, tuple[str, ...]], ...]  # (alias, rules) for every alias
    papers: int
    mentions: int
    forms: tuple[tuple[str, str, int], ...]  # (text, extractor type, mentions) for every pair seen


def majority_type(type_counts: Counter) -> str:
    """The type most mentions give, ties going to the earlier type in TYPE_PRECEDENCE."""
    if not type_counts:
        return "Concept"
    return max(TYPE_PRECEDENCE, key=lambda t: (type_counts.get(t, 0), -TYPE_PRECEDENCE.index(t)))


def preferred_label(key: str, form_counts: Counter) -> str:
    """The most frequent singular surface form of the entity's own name (not of its acronyms).

    Forms are compared by key, so `Sparse Autoencoders` counts towards `sparse autoencoder`'s
    entity; when a name is only ever written in the plural, its singular is made up from the
    most frequent plural. Ties go to the smaller string, so the choice never depends on order.
    """
    own: Counter = Counter()
    for form, n in form_counts.items():
        if lookup_key(form) == key:
            own[latex_to_unicode(form)] += n
    if not own:  # only ever named by an acronym or a name the extractor grouped in
        for form, n in form_counts.items():
            own[latex_to_unicode(form)] += n
    singular_forms = {f: n for f, n in own.items() if singular_surface(f) == f}
    if singular_forms:
        return min(singular_forms, key=lambda f: (-singular_forms[f], f))
    return singular_surface(min(own, key=lambda f: (-own[f], f)))


def merge_rules(alias: str, label: str, acronyms: Iterable[str]) -> tuple[str, ...]:
    """Why `alias` names the same entity as `label`: the rules that make the two equal."""
    alias_key = lookup_key(alias)
    if alias_key == lookup_key(label):
        return surface_differences(alias, label) or ("hyphen-space",)
    for acronym in sorted(acronyms):
        if lookup_key(acronym) == alias_key:
            return ("acronym",) + surface_differences(alias, acronym)
    return ("extractor-group",)


def surface_differences(a: str, b: str) -> tuple[str, ...]:
    """The normalisations (in MERGE_RULES order) that two forms with the same key differ by."""
    rules = []
    a1, b1 = latex_to_unicode(a), latex_to_unicode(b)
    latex = a1 != a or b1 != b
    a2, b2 = strip_accents(a1), strip_accents(b1)
    accent = (a2 != a1) != (b2 != b1)
    sa, sb = singular_surface(a2), singular_surface(b2)
    plural = (sa != a2) != (sb != b2)
    words_a, words_b = _WORD.findall(sa), _WORD.findall(sb)
    if "".join(words_a) != "".join(words_b) and "".join(words_a).casefold() == "".join(words_b).casefold():
        rules.append("case")
    if plural:
        rules.append("plural")
    if [w.casefold() for w in words_a] != [w.casefold() for w in words_b] or _WORD.sub("", sa) != _WORD.sub("", sb):
        rules.append("hyphen-space")
    if latex:
        rules.append("latex")
    if accent:
        rules.append("accent")
    return tuple(rules)


def summarise(key: str, tallies: Counter, acronyms: Iterable[str], papers: int) -> EntitySummary:
    """The entity's description from its mentions, tallied by (text, extractor type), and its
    defined acronyms."""
    form_counts: Counter = Counter()
    type_counts: Counter = Counter()
    for (text, type_), n in tallies.items():
        form_counts[text] += n
        type_counts[type_] += n
    acronyms = tuple(sorted(set(acronyms)))
    label = preferred_label(key, form_counts)
    aliases = tuple(sorted((set(form_counts) | set(acronyms)) - {label}))
    keys = {lookup_key(name) for name in (label, *aliases)} - {""}
    return EntitySummary(
        key=key,
        type=majority_type(type_counts),
        label=label,
        aliases=aliases,
        acronyms=acronyms,
        lookup_keys=tuple(sorted(keys)),
        merges=tuple((alias, merge_rules(alias, label, acronyms)) for alias in aliases),
        papers=papers,
        mentions=sum(form_counts.values()),
        forms=tuple(sorted((text, type_, n) for (text, type_), n in tallies.items())),
    )
