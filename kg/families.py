"""Model families: `Qwen3-8B`, `Qwen3-VL` and `Qwen3-VL-8B-Instruct` belong to `Qwen3`.

Variants stay entities of their own (papers compare Qwen3-8B with Qwen3-4B), and each is linked by
`pkg:variantOf` to its nearest family: the longest front part of its name, cut at a hyphen,
underscore or space, whose cut-off tail holds only sizes and release words (`8B`, `A3B`, `2507`,
`Instruct`, `VL`, `base`) and which is itself the name of a model in the graph. So
`Qwen3-VL-8B-Instruct` is a variant of `Qwen3-VL`, which is a variant of `Qwen3`; `Llama-2-7B`
of `Llama-2`, never of `Llama` (a version number is not a size). When several models share the
family's name, the one the name means wins (`kg.label_index.which`).

The links are a pure function of the models' names and paper counts, recomputed from all of the
graph's models at the end of every build, so a family first seen in a later build links the
variants stored before it, as one build of everything would.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Container, Iterable
from itertools import chain

import pyoxigraph as ox

from paperkg.kg.label_index import EntityRef, which
from paperkg.kg.names import lookup_key
from paperkg.kg.nquads import serialized
from paperkg.kg.terms import PREFIXES, pkg, solutions

_SEPARATOR = re.compile(r"[-_ ]+")
# a size (8B, 0.5B, 8x7B, 128k), the active parameters of a mixture (A3B), a release tag (2507)
_SIZE = re.compile(r"(?:\d+x)?\d+(?:\.\d+)?[kmbt]|a\d+(?:\.\d+)?b|\d{4}", re.I)
_RELEASE_WORDS = frozenset(
    """instruct chat base it vl vision coder code math preview turbo omni thinking reasoning distill hf
    tiny mini nano small medium large xl xxl""".split()
)

_MODELS = "SELECT ?e ?label ?papers WHERE { ?e a pkg:Model ; skos:prefLabel ?label ; pkg:paperCount ?papers }"
_MODEL_KEYS = "SELECT ?e ?key WHERE { ?e a pkg:Model ; pkg:lookupKey ?key }"


def family_names(name: str) -> list[str]:
    """The names `name`'s family could have, nearest first (see the module's docstring)."""
    names = []
    cuts = [m for m in _SEPARATOR.finditer(name) if m.start() > 0]
    for cut in reversed(cuts):
        word = name[cut.end() : next((c.start() for c in cuts if c.start() > cut.start()), len(name))]
        if not (_SIZE.fullmatch(word) or word.casefold() in _RELEASE_WORDS):
            break
        names.append(name[: cut.start()])
    return names


def family_links(models: Iterable[EntityRef], keys: Iterable[tuple[str, str]]) -> dict[str, str]:
    """variant IRI -> family IRI for `models` (all of a graph's), given each model's lookup keys
    as (IRI, key) pairs."""
    models = list(models)
    by_iri = {m.iri: m for m in models}
    named: dict[str, list[EntityRef]] = defaultdict(list)
    for iri, key in keys:
        if iri in by_iri:
            named[key].append(by_iri[iri])
    links = {}
    for model in models:
        for name in family_names(model.name):
            found = [f for f in named.get(lookup_key(name), ()) if f.iri != model.iri]
            if found:
                links[model.iri] = which(found)[0].iri
                break
    return links


def refresh_families(
    db: ox.Store,
    models: Iterable[EntityRef] = (),
    keys: Iterable[tuple[str, str]] = (),
    described: Container[ox.NamedNode] = frozenset(),
) -> str:
    """Make the store's `pkg:variantOf` links those `family_links` gives for its models now: the
    links no longer given are removed, the new ones returned as N-Quads (`kg.nquads.serialized`) for the
    caller to load (a build loads them with its last quads, `kg.ingest`).

    A caller that holds descriptions the store does not have yet (a build's, loaded with the links)
    gives the entities it `described`, and the `models` among them with their lookup `keys` (as
    `family_links` takes them); the store's models are read for every other entity."""
    stored_models = [
        EntityRef(row["e"].value, row["label"].value, "Model", int(row["papers"].value))
        for row in solutions(db.query(_MODELS, prefixes=PREFIXES))
        if row["e"] not in described
    ]
    stored_keys = (
        (row["e"].value, row["key"].value)
        for row in solutions(db.query(_MODEL_KEYS, prefixes=PREFIXES))
        if row["e"] not in described
    )
    links = family_links(chain(stored_models, models), chain(stored_keys, keys))
    wanted = {ox.Quad(ox.NamedNode(v), pkg.variantOf, ox.NamedNode(f)) for v, f in links.items()}
    stored = set(db.quads_for_pattern(None, pkg.variantOf, None))
    for q in stored - wanted:
        db.remove(q)
    return serialized(sorted(wanted - stored, key=str)).decode()
