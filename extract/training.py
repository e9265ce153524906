"""Training the statistical recogniser on SciERC and assembling the shipped pipeline.

`train()` converts SciERC-format files to spaCy's binary corpus (on the dataset's own tokens),
trains `extract/config/ner.cfg` once per recogniser member (seeds `seed`, `seed + 1`, ...), and
assembles the full paperkg pipeline around the members' best models:

    OUT/corpus/{train,dev}.spacy     the converted data
    OUT/vectors                      the pruned static vectors (see extract/vectors.py), shared
    OUT/training[-N]/model-best      spaCy's training output per member (tokenizer + tok2vec + ner)
    OUT/model                        the paperkg pipeline: copy it to extract/model to ship it

The members vote on every span (see `paperkg_vote` in extract/components.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from paperkg.extract.scierc import gold_to_doc, read_scierc
from paperkg.schema.errors import InputError

__all__ = [
    "DEFAULT_CONFIG",
    "add_accurate",
    "add_paperkg_components",
    "assemble",
    "combine_recognisers",
    "convert",
    "refresh_rules",
    "train",
]

DEFAULT_CONFIG = Path(__file__).resolve().parent / "config" / "ner.cfg"
PIPELINE_NAME = "scierc_ner"
PIPELINE_VERSION = "3.0.0"
VECTOR_SOURCES = {
    "table": "static word vectors distilled from all-MiniLM-L6-v2 (extract/distill.py)",
    "glove": "GloVe 6B 50d static vectors",
}


def _blank():
    import spacy

    from paperkg.extract.tokenizer import make_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = make_tokenizer(nlp)
    return nlp


def convert(scierc_path: str | Path, out_path: str | Path) -> int:
    """SciERC JSON Lines -> spaCy DocBin; returns the number of documents."""
    from spacy.tokens import DocBin

    nlp = _blank()
    db = DocBin()
    for gold in read_scierc(scierc_path):
        db.add(gold_to_doc(nlp, gold))
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(out_path)
    return len(db)


def train(
    train_path: str | Path,
    dev_path: str | Path,
    out_dir: str | Path,
    seed: int = 0,
    config: str | Path = DEFAULT_CONFIG,
    overrides: dict | None = None,
    gazetteer_dir: str | Path | None = None,
    vectors: bool = True,
    vectors_table: str | Path | None = None,
    members: int = 1,
    silver: str | Path | None = None,
    gold_copies: int = 1,
) -> Path:
    """Train on `train_path`, select on `dev_path`; returns the assembled pipeline's directory.

    `silver` is a directory of DocBin shards labelled by a teacher (`paperkg.extract.silver.label_corpus`,
    `kg label`): they are trained on next to the gold documents, which are repeated `gold_copies`
    times so that the gold keeps its weight among many more silver abstracts.

    With `vectors`, static vectors feed the recogniser's embeddings: the word table from
    extract/distill.py when `vectors_table` is given, otherwise GloVe (the `train` extra).
    `members` recognisers are trained, member i with seed `seed + i`, and vote in the pipeline.
    """
    from spacy.cli.train import train as spacy_train

    from paperkg.extract import components  # noqa: F401  (the config names paperkg's tokenizer and encoder)

    out = Path(out_dir)
    corpus = out / "corpus"
    convert(train_path, corpus / "train.spacy")
    convert(dev_path, corpus / "dev.spacy")
    train_data = corpus / "train.spacy"
    if silver is not None or gold_copies > 1:
        train_data = _mixed_corpus(corpus / "train.spacy", corpus / "train-mixed", silver, gold_copies)
    settings = {
        "paths.train": str(train_data),
        "paths.dev": str(corpus / "dev.spacy"),
    }
    if vectors:
        from paperkg.extract.vectors import build_vectors

        words = {w for path in (train_path, dev_path) for gold in read_scierc(path) for w in gold.words}
        settings["paths.vectors"] = str(build_vectors(out / "vectors", words, table=vectors_table))
    else:
        settings["components.tok2vec.model.embed.include_static_vectors"] = False
    settings.update(overrides or {})
    runs = []
    for member in range(members):
        run = out / ("training" if member == 0 else f"training-{member}")
        spacy_train(Path(config), run, overrides={**settings, "system.seed": seed + member}, use_gpu=-1)
        runs.append(run / "model-best")
    source = "no static vectors" if not vectors else VECTOR_SOURCES["table" if vectors_table else "glove"]
    data = "SciERC"
    if silver is not None:
        data = f"SciERC (x{gold_copies}) and corpus abstracts labelled by a teacher"
    return assemble(runs, out / "model", gazetteer_dir, vectors_source=source, training_data=data)


def _mixed_corpus(gold: Path, out: Path, silver: str | Path | None, gold_copies: int) -> Path:
    """A directory spaCy's corpus reader takes whole: `gold_copies` copies of the gold DocBin and
    every silver shard (`*.spacy` in `silver`)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for i in range(gold_copies):
        shutil.copyfile(gold, out / f"gold-{i:02d}.spacy")
    if silver is not None:
        shards = sorted(Path(silver).glob("*.spacy"))
        if not shards:
            raise InputError(f"{silver}: no silver shards (*.spacy); make them with `kg label`")
        for shard in shards:
            shutil.copyfile(shard, out / f"silver-{shard.name}")
    return out


def add_paperkg_components(nlp, gazetteer_dir: str | Path | None = None):
    """Wrap a trained recogniser (tok2vec + ner) with paperkg's rule-based components, in place."""
    from paperkg.extract import components  # noqa: F401  (registers the factories)
    from paperkg.extract.gazetteers import load_gazetteers
    from paperkg.extract.tokenizer import make_tokenizer

    nlp.tokenizer = make_tokenizer(nlp)  # today's rules, not the ones saved with the recogniser
    nlp.add_pipe("paperkg_sentences", first=True)
    nlp.add_pipe("paperkg_abbreviations")
    nlp.add_pipe("paperkg_rules").set_entries(load_gazetteers(gazetteer_dir))
    nlp.add_pipe("paperkg_refine")
    return nlp


def combine_recognisers(recogniser_dirs: list[str | Path]):
    """One spaCy pipeline in which every trained recogniser is a voting member.

    Each member's NER gets its own copy of its tok2vec (`ner_0`, `ner_1`, ...), followed by a
    `paperkg_ballot`; `paperkg_vote` sets the entities. A single recogniser is `ner_0` alone.
    The members must share one static vectors table, which the pipeline keeps once.
    """
    import hashlib

    import spacy

    from paperkg.extract import components  # noqa: F401  (ballot and vote; the configs name paperkg's tokenizer)

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
    recogniser_dirs: list[str | Path],
    out_dir: str | Path,
    gazetteer_dir: str | Path | None = None,
    vectors_source: str = VECTOR_SOURCES["glove"],
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

    from paperkg.extract import components  # noqa: F401  (the pipelines' factories)

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
    them needs no retraining: the gazetteers (default: data/gazetteers) and the tokenizer's
    rules (extract/tokenizer.py), which the pipeline keeps a saved copy of.

    The recognisers' directories are copied, not saved again: a re-save writes equal weights in
    different bytes, which would put megabytes of unchanged model into every gazetteer commit.
    """
    import spacy

    from paperkg.extract import components  # noqa: F401  (the pipeline's factories)
    from paperkg.extract.gazetteers import load_gazetteers
    from paperkg.extract.tokenizer import make_tokenizer

    model = Path(model_dir)
    nlp = spacy.load(model)
    nlp.tokenizer = make_tokenizer(nlp)
    nlp.get_pipe("paperkg_rules").set_entries(load_gazetteers(gazetteer_dir))
    staged = model.with_name(model.name + ".new")
    shutil.rmtree(staged, ignore_errors=True)  # left by an interrupted run
    unchanged = [name for name in nlp.pipe_names if (model / name).is_dir() and name != "paperkg_rules"]
    nlp.to_disk(staged, exclude=unchanged)
    for name in unchanged:
        shutil.copytree(model / name, staged / name)
    shutil.rmtree(model)
    staged.rename(model)
    return model


if __name__ == "__main__":
    import argparse

    from paperkg.extract.pipeline import MODEL_DIR

    parser = argparse.ArgumentParser(
        description="Recompile data/gazetteers and the tokenizer rules into a pipeline (default: the shipped one)."
    )
    parser.add_argument("command", choices=["rules"])
    parser.add_argument("model", nargs="?", default=str(MODEL_DIR))
    parser.add_argument("--gazetteers", default=None, help="gazetteer directory [default: data/gazetteers]")
    args = parser.parse_args()
    print(f"gazetteers and tokenizer rules compiled into {refresh_rules(args.model, args.gazetteers)}")
