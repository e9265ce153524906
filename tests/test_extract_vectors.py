"""Static word-vector tables: the MiniLM distillation's pure parts and their use in training.

The distillation itself needs PyTorch (a separate venv, README "Training and evaluating the extractor"); these
tests cover what runs in paperkg's own environment: vocabulary, PCA, and reading the table.
"""

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from paperkg.extract.distill import pca, scierc_words, vocabulary
from paperkg.extract.vectors import build_vectors
from paperkg.kg.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "extract" / "tiny_scierc.jsonl"


def test_scierc_words_are_lower_case():
    words = scierc_words([FIXTURE])
    assert {"penn", "treebank", "accuracy"} <= words
    assert "Penn" not in words


def test_vocabulary_keeps_whole_words_then_corpus_words(tmp_path):
    (tmp_path / "vocab.txt").write_text("[PAD]\n[unused0]\nthe\n##ing\n!\nparse\n2011\n")
    assert vocabulary(tmp_path, {"treebank", "the", ",", "cub-200"}) == ["the", "parse", "2011", "cub-200", "treebank"]


def test_pca_keeps_the_main_axes_with_fixed_signs():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(200, 8)) * np.array([10, 5, 1, 1, 1, 1, 1, 1])
    reduced = pca(data, 2)
    assert reduced.shape == (200, 2) and reduced.dtype == np.float32
    assert reduced[:, 0].var() > reduced[:, 1].var() > 2 * data[:, 2].var()
    assert np.array_equal(pca(-data, 2), pca(-data, 2))
    assert np.allclose(np.abs(pca(-data, 2)), np.abs(reduced), atol=1e-4)


def write_table(path: Path, words, dims: int = 4) -> Path:
    vectors = np.arange(len(words) * dims, dtype=np.float32).reshape(len(words), dims)
    np.savez(path, words=np.array(words), vectors=vectors)
    return path


def test_build_vectors_from_a_table_keeps_every_word(tmp_path):
    import spacy

    table = write_table(tmp_path / "t.npz", ["sparse", "autoencoder", "treebank"])
    nlp = spacy.load(build_vectors(tmp_path / "vec", ["TreeBank", "Sparse"], table=table))
    assert nlp.vocab.vectors.shape == (3, 4)
    for form in ("treebank", "Treebank", "TREEBANK", "TreeBank"):  # every form the corpus may spell
        assert list(nlp.vocab[form].vector) == [8.0, 9.0, 10.0, 11.0], form
    assert not nlp.vocab["tReebank"].has_vector


def test_a_broken_table_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not numpy")
    with pytest.raises(ValueError, match="not a word-vector table"):
        build_vectors(tmp_path / "vec", table=bad)
    np.savez(tmp_path / "short.npz", words=np.array(["a", "b"]), vectors=np.zeros((3, 4), dtype=np.float32))
    with pytest.raises(ValueError, match="2 words but vectors of shape"):
        build_vectors(tmp_path / "vec", table=tmp_path / "short.npz")


def test_kg_train_with_a_vectors_table(tmp_path):
    import spacy

    words = sorted(scierc_words([FIXTURE]))
    table = write_table(tmp_path / "t.npz", words, dims=6)
    out = tmp_path / "run"
    result = CliRunner().invoke(
        main,
        [
            "train",
            "--train",
            str(FIXTURE),
            "--dev",
            str(FIXTURE),
            "--out",
            str(out),
            "--max-steps",
            "4",
            "--vectors-table",
            str(table),
        ],
    )
    assert result.exit_code == 0, result.output
    assert spacy.load(out / "model", exclude=["paperkg_rules"]).vocab.vectors.shape == (len(words), 6)


def test_members_with_different_vectors_are_refused(tmp_path):
    from paperkg.extract.assembly import combine_recognisers

    words = sorted(scierc_words([FIXTURE]))
    table = write_table(tmp_path / "t.npz", words, dims=6)
    common = ["train", "--train", str(FIXTURE), "--dev", str(FIXTURE), "--max-steps", "4", "--members", "1"]
    runs = {"table": ["--vectors-table", str(table)], "none": ["--no-vectors"]}
    for name, extra in runs.items():
        result = CliRunner().invoke(main, [*common, "--out", str(tmp_path / name), *extra])
        assert result.exit_code == 0, result.output
    members = [tmp_path / name / "training" / "model-best" for name in runs]
    with pytest.raises(ValueError, match="static vectors differ"):
        combine_recognisers(members)
    assert combine_recognisers([members[0], members[0]]).pipe_names[-1] == "paperkg_vote"


def test_export_table_gives_back_the_table_a_pipeline_was_built_from(tmp_path):
    from paperkg.extract.vectors import export_table

    words = ["the", "parser", "lstm", "penn"]
    table = write_table(tmp_path / "in.npz", words)
    built = build_vectors(tmp_path / "vectors", {"Penn", "LSTM", "Parser"}, table=table)
    assert export_table(built, tmp_path / "out.npz") == 4
    with np.load(table) as a, np.load(tmp_path / "out.npz") as b:
        assert list(b["words"]) == words and np.array_equal(a["vectors"].astype("float32"), b["vectors"])
