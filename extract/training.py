"""Training the statistical recogniser on SciERC and assembling the shipped pipeline.

`train()` converts SciERC-format files to spaCy's binary corpus (on the dataset's own tokens),
trains `extract/config/ner.cfg` once per recogniser member (seeds `seed`, `seed + 1`, ...), and
assembles the full paperkg pipeline around the members' best models:

    OUT/corpus/{train,dev}.spacy     the converted data
    OUT/vectors                      the pruned static vectors (see extract/vectors.py), shared
    OUT/training[-N]/model-best      spaCy's training output per member (tokenizer + tok2vec + ner)
    OUT/model                        the paperkg pipeline: copy it to extract/model to ship it

The members vote on every span (see `paperkg_vote` in extract/components/voting.py); putting the
pipeline together is extract/assembly.py's.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from paperkg.extract.assembly import assemble
from paperkg.extract.scierc import gold_to_doc, read_scierc
from paperkg.extract.silver import retype_shard, silver_rules
from paperkg.schema.errors import InputError

__all__ = ["DEFAULT_CONFIG", "VECTOR_SOURCES", "convert", "train"]

DEFAULT_CONFIG = Path(__file__).resolve().parent / "config" / "ner.cfg"
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
    silver: Sequence[str | Path] = (),
    gold_copies: int = 1,
    retype_silver: bool = True,
) -> Path:
    """Train on `train_path`, select on `dev_path`; returns the assembled pipeline's directory.

    `silver` are directories of DocBin shards labelled by a teacher (`paperkg.extract.silver.label_corpus`,
    `kg label`): they are trained on next to the gold documents, which are repeated `gold_copies`
    times so that the gold keeps its weight among many more silver abstracts. With
    `retype_silver`, the silver's entities are typed as the graph types them first
    (`paperkg.extract.silver.retype`); without, the teacher's labels are learnt as they are.

    With `vectors`, static vectors feed the recogniser's embeddings: the word table from
    extract/distill.py when `vectors_table` is given, otherwise GloVe (the `train` extra).
    `members` recognisers are trained, member i with seed `seed + i`, and vote in the pipeline.
    """
    from spacy.cli.train import train as spacy_train

    out = Path(out_dir)
    corpus = out / "corpus"
    convert(train_path, corpus / "train.spacy")
    convert(dev_path, corpus / "dev.spacy")
    train_data = corpus / "train.spacy"
    if silver or gold_copies > 1:
        train_data = _mixed_corpus(
            corpus / "train.spacy",
            corpus / "train-mixed",
            silver,
            gold_copies,
            silver_rules(gazetteer_dir) if silver and retype_silver else None,
        )
    settings: dict[str, object] = {
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
    if silver:
        data = f"SciERC (x{gold_copies}) and corpus abstracts labelled by a teacher"
    return assemble(runs, out / "model", gazetteer_dir, vectors_source=source, training_data=data)


def _mixed_corpus(gold: Path, out: Path, silver: Sequence[str | Path], gold_copies: int, rules=None) -> Path:
    """A directory spaCy's corpus reader takes whole: `gold_copies` copies of the gold DocBin and
    every silver shard (`*.spacy` in each directory of `silver`), retyped by the `rules` pipeline
    (`silver_rules`) when given."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for i in range(gold_copies):
        shutil.copyfile(gold, out / f"gold-{i:02d}.spacy")
    for i, directory in enumerate(silver):
        shards = sorted(Path(directory).glob("*.spacy"))
        if not shards:
            raise InputError(f"{directory}: no silver shards (*.spacy); make them with `kg label`")
        for shard in shards:
            target = out / f"silver-{i:02d}-{shard.name}"
            if rules is None:
                shutil.copyfile(shard, target)
                continue
            total, changed = retype_shard(shard, target, rules)
            print(f"{shard}: {changed} of {total} entities retyped as the graph types them")
    return out
