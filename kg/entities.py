"""What an entity is, decided from all of its mentions: type, preferred label, aliases and why they merged.

Everything here is a pure function of the entity's key, its mentions' texts and types, and the
acronyms papers defined for it. So an entity reads the same however its papers were split into
builds: the graph built from A then B equals the graph built from A and B together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from paperkg.extract.naming import head_type
from paperkg.kg.names import (
    american,
    based_free,
    is_acronym_like,
    is_acronym_plural,
    latex_to_unicode,
    lookup_key,
    singular_surface,
    strip_accents,
    strip_possessive,
)
from paperkg.kg.quality import Quality, load_quality

# Ties between types go to the more specific one: a name that is as often a model as a method
# is most likely a named model; "Concept" is what the extractor says when it knows least.
TYPE_PRECEDENCE = ("Model", "Dataset", "Metric", "Task", "Method", "Concept")

MERGE_RULES = (
    "case",
    "plural",
    "hyphen-space",
    "spelling",
    "possessive",
    "latex",
    "accent",
    "acronym",
    "maker",
    "based",
    "kind-head",
    "curated",
    "extractor-group",
)
# Types whose names are proper names, kept in the number and case the field writes them
# (`Natural Questions`, `Open Images`), never given a made-up singular
_AS_WRITTEN = ("Dataset", "Model")
_TITLE_CASE = re.compile(r"^(?:[^\w\s]*[A-Z0-9][^\s]*\s*)+$")  # every word begins with a capital or digit

_WORD = re.compile(r"\w+")


class EntitySummary(NamedTuple):  # not a frozen dataclass: a build makes one for each entity it describes
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
    links: tuple[tuple[str, str], ...] = ()  # ("exactMatch" or "closeMatch", external IRI)


def majority_type(type_counts: Mapping[str, int]) -> str:
    """The type most mentions give, ties going to the earlier type in TYPE_PRECEDENCE."""
    if not type_counts:
        return "Concept"
    if len(type_counts) == 1:  # most entities: every mention gives one type, no tie to break
        ((only, n),) = type_counts.items()
        if n > 0 and only in TYPE_PRECEDENCE:
            return only
    return max(TYPE_PRECEDENCE, key=lambda t: (type_counts.get(t, 0), -TYPE_PRECEDENCE.index(t)))


def preferred_label(
    key: str,
    form_counts: Mapping[str, int],
    acronyms: Iterable[str] = (),
    as_written: bool = False,
    known: Iterable[str] = (),
    form_keys: Mapping[str, str] | None = None,
) -> str:
    """The name researchers use most: the entity's own name or, when it is written more often, its
    acronym (`CLIP` rather than `Contrastive Language-Image Pretraining`, whose long form stays an alias).

    Forms are compared by key, so `Sparse Autoencoders` counts towards `sparse autoencoder`'s
    entity; when a name is only ever written in the plural, its singular is made up from the
    most frequent plural. Ties go to the smaller string, so the choice never depends on order.
    A proper name (`as_written`: a dataset's or model's) keeps its number and case when most mentions
    write it in capitals or some write it as a vocabulary names it (`known`). `form_keys` holds
    the forms' keys when the caller has them (`form_keys_of`).
    """
    if len(form_counts) == 1 and not acronyms and not as_written:
        # most entities (86 % of a build's): the one form is the label whatever its key, in the
        # singular; nothing below can choose otherwise
        return singular_surface(_as_unicode(next(iter(form_counts))))
    form_keys = form_keys if form_keys is not None else form_keys_of(form_counts)
    short_keys = {lookup_key(a) for a in acronyms}
    own: dict[str, int] = {}  # dicts, not Counters: a build makes two for each entity it describes
    short: dict[str, int] = {}
    for form, n in form_counts.items():
        form_key = form_keys[form]
        if form_key == key:
            _tally(own, _as_unicode(form), n)
        elif form_key in short_keys:
            _tally(short, _as_unicode(form), n)
    if sum(short.values()) > sum(own.values()):
        own = short
    if not own:  # only ever named by a name the extractor grouped in
        for form, n in form_counts.items():
            _tally(own, _as_unicode(form), n)
    # a proper name: written as a vocabulary names it (`Natural Questions`, however often papers write
    # "natural questions"), or in most mentions with every word capitalised (`Open Images`, not
    # `chat logs` or a title's `Chat Logs`); it is named as written
    if as_written:
        known = set(known)
        named = {f: n for f, n in own.items() if f in known}
        proper = named or {f: n for f, n in own.items() if _TITLE_CASE.match(f)}
        if proper and (named or 2 * sum(proper.values()) >= sum(own.values())):
            best = _most(proper)
            return singular_surface(best) if is_acronym_plural(best.split()[-1]) else best  # `ViTs` is still ViT
    singular_forms = {f: n for f, n in own.items() if singular_surface(f) == f}
    if singular_forms:
        return _most(singular_forms)
    return singular_surface(_most(own))


def _tally(counts: dict[str, int], name: str, n: int) -> None:
    counts[name] = counts.get(name, 0) + n


def _as_unicode(form: str) -> str:
    """`latex_to_unicode(form)`, read once for most names: plain ASCII holds no LaTeX to turn into letters."""
    if form.isascii() and "\\" not in form and "{" not in form and "}" not in form:
        return form
    return latex_to_unicode(form)


def _most(form_counts: Mapping[str, int]) -> str:
    """The form written most often, ties going to the smaller string."""
    if len(form_counts) == 1:  # most entities have one form: nothing to compare
        return next(iter(form_counts))
    return min(form_counts, key=lambda f: (-form_counts[f], f))


# One token with letters then a number is a model or dataset name (GPT-4o, Qwen2.5, ResNet50, X-v2-7B).
_VERSIONED = re.compile(r"^[A-Za-z][\w.-]*[A-Za-z]-?\d[\w.-]*$")
# Where a coined one-token name may end in another name: a capital after a lower-case letter or a
# hyphen (Med|SAM, Tiny|Llama, Mental|LLaMA, Face-|LLaVA, m|BERT).
_NAME_JOINT = re.compile(r"(?<=[a-z-])(?=[A-Z])")


def _derived_model(label: str, quality: Quality) -> bool:
    """A coined name ending in a curated model's name is a model made from it (MedSAM, TinyLlama),
    whatever its mentions say: a paper writes "we train MentalLLaMA" as it writes a method."""
    if " " in label:
        return False
    return any(
        quality.curated_type(key) == "Model"
        for joint in _NAME_JOINT.finditer(label)
        if len(key := lookup_key(label[joint.start() :])) >= 3
    )


def resolve_entity_type(
    key: str, label: str, type_counts: Mapping[str, int], quality: Quality, label_key: str | None = None
) -> str:
    """The curated gazetteers' type; else the mentions' majority type, corrected by the vocabularies
    for named artefacts (PSNR is a Metric, nuScenes a Dataset) and for methods the mentions call a
    Concept (`long short-term memory`), by the shape of versioned names
    (`GPT-4o` is a Model) and of names made from a curated model (`MedSAM`), and by a head that says
    the type (`HEAD_TYPES`: in-context learning is a Method, latent representation a Concept).
    `label_key` is the label's key, when the caller has it."""
    label_key = label_key if label_key is not None else lookup_key(label)
    curated = quality.curated_type(key) or quality.curated_type(label_key)
    if curated:
        return curated
    voted = majority_type(type_counts)
    corrected = _corrected_type(key, label, label_key, voted, type_counts, quality)
    # asked last: most entities keep their vote, and then need not ask
    if corrected != voted and _unresolved_acronym(key, label, label_key, quality):
        return voted  # `SSL` is not the dataset the vocabulary spells so
    return corrected


def _corrected_type(
    key: str, label: str, label_key: str, voted: str, type_counts: Mapping[str, int], quality: Quality
) -> str:
    """`resolve_entity_type` of an entity that no curated gazetteer types and whose label is no
    unresolved acronym: the mentions' vote `voted`, or what corrects it."""
    known = quality.type_of(key, label)
    # an acronym's entries are trusted only over a guess (PSNR)
    if known is None and voted == "Concept" and label_key != key:
        known = quality.type_of(label_key, label)
    if known in ("Model", "Dataset", "Metric"):
        return known
    if known == "Method" and voted == "Concept":
        # a method spelled out in words, which the recogniser often calls a term (`long short-term
        # memory`, `Naive Bayes`, `gradient descent`): the vocabularies' Method pages over the
        # least specific type; not their Task pages, half of which name topics (`time series`)
        return known
    if known is None and voted in ("Method", "Concept") and _VERSIONED.match(label):
        return "Dataset" if type_counts.get("Dataset") else "Model"
    if known is None and voted in ("Method", "Concept") and _derived_model(label, quality):
        return "Model"
    by_head = head_type(key)
    if by_head and known in (None, by_head) and voted in ("Method", "Task", "Concept"):
        return by_head  # with the vocabularies' Task pages when they agree (`logical reasoning`)
    return voted


# The vocabulary types that describe an entity of each type: a Papers with Code dataset page for a
# Dataset, a method page for a Method or Model, ...; a Concept has no such page.
_LINKABLE = {
    "Dataset": ("Dataset",),
    "Method": ("Method", "Model"),
    "Model": ("Model", "Method"),
    "Task": ("Task",),
    "Metric": ("Metric",),
    "Concept": (),
}
# topic and class vocabularies: related pages, never the thing itself
_TOPICS = ("cso", "aio")


def _unresolved_acronym(key: str, label: str, label_key: str, quality: Quality) -> bool:
    """An entity named by an acronym that papers use for other words, which no definition resolved."""
    return _short_name(key, label, label_key) and quality.abbreviates(label)


def _short_name(key: str, label: str, label_key: str) -> bool:
    """An entity known by its acronym only: no long form papers define is its key."""
    return label_key == key and is_acronym_like(label)


def _own_pages(entries: list, key: str) -> list:
    """The entries whose page is about the name itself. A vocabulary lists a name under narrower
    pages too (Papers with Code gives "Domain Adaptation" to task/universal-domain-adaptation, and
    "Action Recognition" to task/early-action-prediction): in each vocabulary, the pages whose address
    spells the name, else those whose address holds it (`imdb-movie-reviews` for IMDB), else the one
    page there is; several that do not say which is the name's own link to none."""
    own = []
    for family in sorted({e.family for e in entries}):
        pages = [e for e in entries if e.family == family]
        spelled = [e for e in pages if _address_key(e.iri) == key] or [e for e in pages if key in _address_key(e.iri)]
        own += spelled or (pages if len({e.iri for e in pages}) == 1 else [])
    return own


def _address_key(iri: str) -> str:
    """The key of the name an IRI's last segment spells: `task/domain-adaptation` -> `domainadaptation`."""
    return lookup_key(re.split(r"[/#]", iri.rstrip("/"))[-1].replace("_", " ").replace("-", " "))


def external_links(
    key: str, type_: str, label: str, quality: Quality, label_key: str | None = None
) -> tuple[tuple[str, str], ...]:
    """`skos:exactMatch` to vocabulary entries of the entity's own name (its key: the long form when
    papers define one) whose type describes the entity's; `closeMatch` to a CSO topic or AI Ontology
    class of that name, unless the entity is known by a short name only, which says too little. An
    acronym alone never links: `MLLM` is not the dataset "MLM", and an acronym papers use for other
    words (`SSL`), left unresolved, links nowhere. `label_key` is the label's key, when the caller has it."""
    listed = quality.vocabulary(key)
    entries = [e for e in listed if e.iri] if listed else []  # most keys have none: no comprehension run
    if not entries:
        return ()
    short_name = _short_name(key, label, label_key if label_key is not None else lookup_key(label))
    if short_name and quality.abbreviates(label):  # `_unresolved_acronym`
        return ()
    links: dict[str, str] = {}
    for entry in _own_pages(entries, key):
        if entry.family in _TOPICS:
            if not short_name:
                links.setdefault(entry.iri, "closeMatch")
        elif entry.type in _LINKABLE.get(type_, ()):
            links[entry.iri] = "exactMatch"
    return tuple(sorted((relation, iri) for iri, relation in links.items()))[:MAX_LINKS]


MAX_LINKS = 8


def merge_rules(
    alias: str,
    label: str,
    acronyms: Iterable[str],
    quality: Quality | None = None,
    keys: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """Why `alias` names the same entity as `label`: the rules that make the two equal. `keys`
    holds the `lookup_key` of names the caller knows it for (`summarise` has every alias's)."""
    if _plural_of(alias, label):  # most aliases: answered at once
        return _PLURAL
    keys = form_keys_of((alias, label, *acronyms), keys)
    alias_key = keys[alias]
    if alias_key == keys[label]:
        return surface_differences(alias, label) or ("hyphen-space",)
    if label in acronyms:  # the label is the acronym, the alias its long form
        return ("acronym",)
    for acronym in sorted(acronyms):
        if keys[acronym] == alias_key:
            return ("acronym",) + surface_differences(alias, acronym)
    if quality and quality.curated_key(alias_key) == quality.curated_key(keys[label]):
        return ("curated",)
    rules: list[str] = []
    name = alias
    if quality:
        bare_names = (("maker", quality.maker_free_name), ("based", based_free), ("kind-head", quality.kind_head_name))
        for rule, bare in bare_names:
            if shorter := bare(name):
                rules.append(rule)
                name = shorter
    if rules and lookup_key(name) == keys[label]:
        return tuple(rules)
    return ("extractor-group",)


def surface_differences(a: str, b: str) -> tuple[str, ...]:
    """The normalisations (in MERGE_RULES order) that two forms with the same key differ by."""
    rules = []
    a1, b1 = latex_to_unicode(a), latex_to_unicode(b)
    latex = a1 != a or b1 != b
    a2, b2 = strip_accents(a1), strip_accents(b1)
    accent = (a2 != a1) != (b2 != b1)
    a3, b3 = strip_possessive(a2), strip_possessive(b2)
    possessive = (a3 != a2) != (b3 != b2)
    sa, sb = singular_surface(a3), singular_surface(b3)
    plural = (sa != a3) != (sb != b3)
    words_a, words_b = _WORD.findall(sa), _WORD.findall(sb)
    if "".join(words_a) != "".join(words_b) and "".join(words_a).casefold() == "".join(words_b).casefold():
        rules.append("case")
    if plural:
        rules.append("plural")
    folded_a, folded_b = [american(w.casefold()) for w in words_a], [american(w.casefold()) for w in words_b]
    if folded_a != folded_b or _WORD.sub("", sa) != _WORD.sub("", sb):
        rules.append("hyphen-space")
    if "".join(words_a).casefold() != "".join(words_b).casefold() and "".join(folded_a) == "".join(folded_b):
        rules.append("spelling")
    if possessive:
        rules.append("possessive")
    if latex:
        rules.append("latex")
    if accent:
        rules.append("accent")
    return tuple(rules)


def form_keys_of(forms: Iterable[str], known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Form -> `lookup_key(form)`, taken from `known` where it has the form (a build's workers
    computed the key of every mention they linked; computing it again was a sixth of the
    writing process's CPU on a large build)."""
    known = known or {}
    return {f: known[f] if f in known else lookup_key(f) for f in forms}


def summarise(
    key: str, tallies: Counter, acronyms: Iterable[str], papers: int, form_keys: Mapping[str, str] | None = None
) -> EntitySummary:
    """The entity's description from its mentions, tallied by (text, extractor type), and its
    defined acronyms; `form_keys` holds the `lookup_key` of forms the caller knows it for."""
    form_counts: dict[str, int] = {}  # dicts, not Counters: a Counter's missing key is a call of its own
    type_counts: dict[str, int] = {}
    for (text, type_), n in tallies.items():
        form_counts[text] = form_counts.get(text, 0) + n
        type_counts[type_] = type_counts.get(type_, 0) + n
    keys_of = form_keys_of(form_counts, form_keys)
    acronyms = tuple(sorted(set(acronyms))) if acronyms else ()  # most entities have none
    quality = load_quality()
    label = preferred_label(key, form_counts, acronyms, form_keys=keys_of)
    if label not in keys_of:  # a singular made from a form: most often a plain one, whose key it has
        plural = next((f for f in form_counts if _plural_of(f, label)), None)
        keys_of[label] = keys_of[plural] if plural is not None else lookup_key(label)
    type_ = resolve_entity_type(key, label, type_counts, quality, _key_of(label, keys_of))
    if type_ in _AS_WRITTEN:
        names = [e.name for e in quality.vocabulary(key)]
        label = preferred_label(key, form_counts, acronyms, as_written=True, known=names, form_keys=keys_of)
    short_keys = set(map(lookup_key, acronyms))
    borrowed = {
        f for f in form_counts if keys_of[f] != key and _borrowed_acronym(f, keys_of[f], key, short_keys, quality)
    }
    aliases = tuple(sorted((form_counts.keys() | acronyms) - {label} - borrowed))
    name_keys = form_keys_of((label, *aliases), keys_of)
    # the key is a name too: the long form papers define (`Efficient Multi-Modal Adaptation`)
    keys = ({key} | set(name_keys.values())) - {""}
    return EntitySummary(
        key=key,
        type=type_,
        label=label,
        aliases=aliases,
        acronyms=acronyms,
        lookup_keys=tuple(sorted(keys)),
        merges=tuple([(alias, merge_rules(alias, label, acronyms, quality, name_keys)) for alias in aliases]),
        papers=papers,
        mentions=sum(form_counts.values()),
        forms=tuple(sorted([(text, extractor_type, n) for (text, extractor_type), n in tallies.items()])),
        links=external_links(key, type_, label, quality, _key_of(label, keys_of)),
    )


# What `surface_words` reads other than as a word's letters or a gap between words: LaTeX, a
# possessive, a `+`; a name without them (and in ASCII, which has no accents) is `_plain`
_NOT_PLAIN = re.compile(r"[\\{}'+]")


def _plain(name: str) -> bool:
    return name.isascii() and not _NOT_PLAIN.search(name)


def _plural_of(form: str, label: str) -> bool:
    """Whether `label` is the singular of `form`, a `_plain` name in the plural (`Sparse
    Autoencoders`, `LLMs`). Such a label has its form's key, and `surface_differences` finds the
    plural only between them: the singular changes the last run of letters alone, which is the last
    word `lookup_key` reads, and `singular_word` of a word it made singular keeps it as it is."""
    return label != form and _plain(form) and singular_surface(form) == label


_PLURAL = ("plural",)


def _key_of(name: str, keys: dict[str, str]) -> str:
    """`lookup_key(name)`, kept in `keys` (the label is most often one of the forms, whose keys are
    there; else its key is asked for three times)."""
    if name not in keys:
        keys[name] = lookup_key(name)
    return keys[name]


def _borrowed_acronym(form: str, form_key: str, key: str, short_keys: set[str], quality: Quality) -> bool:
    """True for an acronym written for this entity only where one paper defined it so, while the
    corpus reads it otherwise (`DM`: diffusion model, not decision-making) or several ways (`MLM`):
    its mentions stay here, in their paper, but it is no name of the entity. `summarise` asks only
    of a form whose key `form_key` is not the entity's `key` (most forms are never asked)."""
    if form_key in short_keys or not is_acronym_like(form):
        return False
    if quality.curated_key(form_key) == key:  # the curated gazetteers' own acronym (ASR)
        return False
    long = quality.long_form(form)
    return (long is not None and quality.curated_key(lookup_key(long)) != key) or quality.is_contested(form)
