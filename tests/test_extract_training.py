"""`kg train` end to end on a tiny SciERC-format file: a loadable paperkg pipeline comes out.

Without static vectors, so the tests need no `train` extra.
"""
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "extract" / "tiny_scierc.jsonl"


def train(out: Path, seed: int = 0):
    args = ["train", "--train", str(FIXTURE), "--dev", str(FIXTURE), "--out", str(out), "--seed", str(seed),
            "--max-steps", "4", "--no-vectors"]
    return CliRunner().invoke(main, args)


def test_kg_train_writes_a_full_pipeline(tmp_path):
    result = train(tmp_path / "run")
    assert result.exit_code == 0, result.output
    from extract.pipeline import load_nlp

    nlp = load_nlp(tmp_path / "run" / "model")
    assert nlp.pipe_names == ["paperkg_sentences", "tok2vec", "ner", "paperkg_abbreviations", "paperkg_rules",
                              "paperkg_refine"]
    assert set(nlp.get_pipe("ner").labels) >= {"Task", "Method", "Material"}
    assert (tmp_path / "run" / "corpus" / "train.spacy").is_file()


def test_kg_train_bad_input(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    result = CliRunner().invoke(main, ["train", "--train", str(bad), "--dev", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "bad.jsonl:1: not a SciERC record" in result.output


def test_kg_train_vectors_table_without_vectors_is_refused(tmp_path):
    table = tmp_path / "t.npz"
    table.write_bytes(b"")
    result = CliRunner().invoke(main, ["train", "--train", str(FIXTURE), "--dev", str(FIXTURE), "--out",
                                       str(tmp_path / "o"), "--no-vectors", "--vectors-table", str(table)])
    assert result.exit_code == 2 and "contradict" in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_same_seed_same_model(tmp_path):
    assert train(tmp_path / "a", seed=3).exit_code == 0
    assert train(tmp_path / "b", seed=3).exit_code == 0
    a = (tmp_path / "a" / "model" / "ner" / "model").read_bytes()
    b = (tmp_path / "b" / "model" / "ner" / "model").read_bytes()
    assert a == b
