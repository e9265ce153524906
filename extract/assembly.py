"""Putting the paperkg pipeline together around trained recognisers, and refreshing its rules.

`assemble` wraps recognisers (one, or several voting members) with paperkg's components;
`add_accurate` adds a vote beside a single recogniser (`--accurate`); `refresh_rules` compiles
today's gazetteers and tokenizer rules into an assembled pipeline without retraining
(`kg train rules`). Training itself is extract/training.py's.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from paperkg.schema.errors import InputError

__all__ = [
    "add_accurate",
    "add_paperkg_components",
    "assemble",
    "combine_recognisers",
    "refresh_rules",
    "save_in_place",
]

PIPELINE_NAME = "scierc_ner"
PIPELINE_VERSION = "3.0.0"


def add_paperkg_components(nlp, gazetteer_dir: str | Path | None = None):
    """Wrap a trained recogniser (tok2vec + ner) with paperkg's rule-based components, in place."""
    from paperkg.extract.gazetteers import load_gazetteers
    from paperkg.extract.tokenizer import make_tokenizer
    from paperkg.extract.vocabulary import vocabulary_names

    nlp.tokenizer = make_tokenizer(nlp)  # today's rules, not the ones saved with the recogniser
    nlp.add_pipe("paperkg_sentences", first=True)
    nlp.add_pipe("paperkg_abbreviations")
    nlp.add_pipe("paperkg_rules").initialize(entries=load_gazetteers(gazetteer_dir), names=vocabulary_names())
    nlp.add_pipe("paperkg_refine")
    return nlp


def combine_recognisers(recogniser_dirs: Sequence[str | Path]):
    """One spaCy pipeline in which every trained recogniser is a voting member.

    Each member's NER gets its own copy of its tok2vec (`ner_0`, `ner_1`, ...), followed by a
    `paperkg_ballot`; `paperkg_vote` sets the entities. A single recogniser is `ner_0` alone.
    The members must share one static vectors table, which the pipeline keeps once.
    """
    import hashlib

    import spacy

    members = [spacy.load(d) for d in recogniser_dirs]
    digests = [hashlib.sha256(m.vocab.vectors.to_bytes(exclude=["strings"])).hexdigest() for m in members]
    for directory, digest in zip(recogniser_dirs, digests):
        if digest != digests[0]:
            raise InputError(
                f"{directory}: its static vectors differ from {recogniser_dirs[0]}'s; "
                "the members of one pipeline must be trained with the same vectors"
            )
    for member in members:
        member.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    nlp = members[0]
    nlp.remove_pipe("tok2vec")
    nlp.rename_pipe("ner", "ner_0")
    if len(members) == 1:  # a single recogniser: its entities are the entities, nothing to vote on
        return nlp
    nlp.add_pipe("paperkg_ballot", name="ballot_0")
    for i, member in enumerate(members[1:], 1):
        nlp.add_pipe("ner", name=f"ner_{i}", source=member)
        nlp.add_pipe("paperkg_ballot", name=f"ballot_{i}")
    nlp.add_pipe("paperkg_vote")
    return nlp


def assemble(
    recogniser_dirs: Sequence[str | Path],
    out_dir: str | Path,
    gazetteer_dir: str | Path | None = None,
    *,
    vectors_source: str,
    training_data: str = "SciERC",
) -> Path:
    """The full pipeline: paperkg sentences, the voting recognisers, abbreviations, rules, refinement."""
    nlp = add_paperkg_components(combine_recognisers(recogniser_dirs), gazetteer_dir)
    for key in ("train", "dev", "vectors"):  # the training run's file names, not this machine's paths
        if nlp.config["paths"][key]:
            nlp.config["paths"][key] = Path(nlp.config["paths"][key]).name
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = PIPELINE_VERSION
    nlp.meta["members"] = len(recogniser_dirs)
    models = "one NER model" if len(recogniser_dirs) == 1 else f"{len(recogniser_dirs)} voting NER models"
    nlp.meta["description"] = (
        f"paperkg extractor: {models} trained on {training_data} with {vectors_source}, "
        "abbreviations, gazetteer and pattern rules, type refinement to Method/Model/Dataset/Task/Metric/Concept"
    )
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    return out


def add_accurate(model_dir: str | Path, vote_dir: str | Path, out_dir: str | Path | None = None) -> Path:
    """The single-recogniser pipeline at `model_dir` with the voting members of the pipeline at
    `vote_dir` added as its accurate recogniser (`--accurate`, `load_nlp(members=ALL_MEMBERS)`).

    The single model becomes `ner`, the members keep their names (`ner_0`, `ballot_0`, ...,
    `paperkg_vote`); `load_nlp` runs one or the other. Both must use the same static vectors.
    Written to `out_dir` (default: in place).
    """
    import hashlib

    import spacy

    vote = spacy.load(vote_dir)
    # the vote's vocab (the same vectors): not the strings of every silver abstract the model saw
    nlp = spacy.load(model_dir, vocab=vote.vocab, exclude=["vocab"])
    digests = {hashlib.sha256(p.vocab.vectors.to_bytes(exclude=["strings"])).hexdigest() for p in (nlp, vote)}
    if len(digests) != 1:
        raise InputError(f"{vote_dir}: its static vectors differ from {model_dir}'s")
    single = [n for n in nlp.pipe_names if _MEMBER_NAME.match(n) and n.startswith("ner")]
    if len(single) != 1 or any(n.startswith("ballot") for n in nlp.pipe_names):
        raise InputError(f"{model_dir}: not a single-recogniser pipeline")
    nlp.rename_pipe(single[0], "ner")
    voters = [n for n in vote.pipe_names if _MEMBER_NAME.match(n) or n == "paperkg_vote"]
    if "paperkg_vote" not in voters:
        raise InputError(f"{vote_dir}: no voting recogniser members")
    for name in voters:
        nlp.add_pipe(name, name=name, source=vote, before="paperkg_abbreviations")
    nlp.meta["members"] = sum(1 for n in voters if n.startswith("ner_"))
    nlp.meta["single_recogniser"] = True
    nlp.meta["description"] = nlp.meta["description"].replace(
        "one NER model", f"one NER model (and, with --accurate, {nlp.meta['members']} voting NER models)", 1
    )
    out = Path(out_dir or model_dir)
    staged = out.with_name(out.name + ".new")
    shutil.rmtree(staged, ignore_errors=True)
    nlp.to_disk(staged)
    if out.exists():
        shutil.rmtree(out)
    staged.rename(out)
    return out


_MEMBER_NAME = re.compile(r"^(?:ner|ballot)_\d+$")


def refresh_rules(model_dir: str | Path, gazetteer_dir: str | Path | None = None) -> Path:
    """Compile today's rule-based parts into an assembled pipeline, in place, so that editing
    them needs no retraining: the gazetteers (default: data/gazetteers), the reference
    vocabularies' names (data/quality, `vocabulary_names`) and the tokenizer's rules
    (extract/tokenizer.py), which the pipeline keeps a saved copy of.

    The recognisers' directories are copied, not saved again: a re-save writes equal weights in
    different bytes, which would put megabytes of unchanged model into every gazetteer commit.
    """
    import spacy

    from paperkg.extract.components.rules import ArtefactRules
    from paperkg.extract.gazetteers import load_gazetteers
    from paperkg.extract.tokenizer import make_tokenizer
    from paperkg.extract.vocabulary import vocabulary_names

    model = Path(model_dir)
    nlp = spacy.load(model)
    nlp.tokenizer = make_tokenizer(nlp)
    rules = nlp.get_pipe("paperkg_rules")
    assert isinstance(rules, ArtefactRules)
    rules.initialize(entries=load_gazetteers(gazetteer_dir), names=vocabulary_names())
    return save_in_place(nlp, model, "paperkg_rules")


def save_in_place(nlp, model_dir: str | Path, changed: str) -> Path:
    """Save `nlp`, loaded from `model_dir`, back there with only component `changed` (and the
    config, meta and tokenizer) written anew: the other components' directories are copied, since
    a re-save writes equal weights in different bytes. Staged beside, then renamed into place."""
    model = Path(model_dir)
    staged = model.with_name(model.name + ".new")
    shutil.rmtree(staged, ignore_errors=True)  # left by an interrupted run
    unchanged = [name for name in nlp.pipe_names if (model / name).is_dir() and name != changed]
    nlp.to_disk(staged, exclude=unchanged)
    for name in unchanged:
        shutil.copytree(model / name, staged / name)
    shutil.rmtree(model)
    staged.rename(model)
    return model
