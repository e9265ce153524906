"""`kg train` end to end on a tiny SciERC-format file: a loadable paperkg pipeline comes out.

Without static vectors, so the tests need no `train` extra.
"""

from pathlib import Path

import pytest
from click.testing import CliRunner

from paperkg.kg.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "extract" / "tiny_scierc.jsonl"
FIXTURE_LISTING = Path(__file__).resolve().parents[1] / "data" / "demo" / "hf-daily-papers-interpretability-2.txt"


def train(out: Path, seed: int = 0, members: int = 2):
    args = [
        "train",
        "--train",
        str(FIXTURE),
        "--dev",
        str(FIXTURE),
        "--out",
        str(out),
        "--seed",
        str(seed),
        "--max-steps",
        "4",
        "--no-vectors",
        "--members",
        str(members),
    ]
    return CliRunner().invoke(main, args)


def test_kg_train_writes_a_full_pipeline(tmp_path):
    result = train(tmp_path / "run")
    assert result.exit_code == 0, result.output
    from paperkg.extract.pipeline import load_nlp

    nlp = load_nlp(tmp_path / "run" / "model")
    assert nlp.pipe_names == [
        "paperkg_sentences",
        "ner_0",
        "ballot_0",
        "ner_1",
        "ballot_1",
        "paperkg_vote",
        "paperkg_abbreviations",
        "paperkg_rules",
        "paperkg_refine",
    ]
    assert set(nlp.get_pipe("ner_1").labels) >= {"Task", "Method", "Material"}
    # each member is its own training run, with its own seed
    assert (tmp_path / "run" / "training" / "model-best").is_dir()
    assert (tmp_path / "run" / "training-1" / "model-best").is_dir()
    assert nlp.get_pipe("ner_0").model.to_bytes() != nlp.get_pipe("ner_1").model.to_bytes()


def test_fewer_members_run_when_asked(tmp_path):
    from paperkg.extract.pipeline import load_extractor
    from paperkg.extract.records import Paper

    assert train(tmp_path / "run", members=3).exit_code == 0
    model = tmp_path / "run" / "model"
    fast = load_extractor(model, members=1)
    assert [n for n in fast.nlp.pipe_names if n[:4] in ("ner_", "ball")] == ["ner_0", "ballot_0"]
    assert fast.version == "2.0.0 (1 of 3 recogniser members)"
    assert load_extractor(model).version == "2.0.0"
    paper = Paper("t:1", "Parsing with LSTMs", "We evaluate a parser on the Penn Treebank.", "x", 1)
    assert list(fast.extract([paper]))[0].paper == paper
    result = CliRunner().invoke(main, ["extract", "--model", str(model), "--fast", str(FIXTURE_LISTING)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "run" / "corpus" / "train.spacy").is_file()


def test_kg_train_bad_input(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    result = CliRunner().invoke(main, ["train", "--train", str(bad), "--dev", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "bad.jsonl:1: not a SciERC record" in result.output


def test_kg_train_vectors_table_without_vectors_is_refused(tmp_path):
    table = tmp_path / "t.npz"
    table.write_bytes(b"")
    result = CliRunner().invoke(
        main,
        [
            "train",
            "--train",
            str(FIXTURE),
            "--dev",
            str(FIXTURE),
            "--out",
            str(tmp_path / "o"),
            "--no-vectors",
            "--vectors-table",
            str(table),
        ],
    )
    assert result.exit_code == 2 and "contradict" in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_same_seed_same_model(tmp_path):
    assert train(tmp_path / "a", seed=3).exit_code == 0
    assert train(tmp_path / "b", seed=3).exit_code == 0
    for member in ("ner_0", "ner_1"):
        a = (tmp_path / "a" / "model" / member / "model").read_bytes()
        b = (tmp_path / "b" / "model" / member / "model").read_bytes()
        assert a == b


def test_rules_recompile_into_a_pipeline_without_retraining(tmp_path):
    import spacy

    from paperkg.extract.pipeline import load_nlp
    from paperkg.extract.training import refresh_rules

    assert train(tmp_path / "run", members=1).exit_code == 0
    spacy.blank("en").tokenizer.to_disk(tmp_path / "run" / "model" / "tokenizer")  # stale rules: hyphens split
    gazetteers = tmp_path / "gaz"
    gazetteers.mkdir()
    (gazetteers / "models.tsv").write_text("# name\ttype\taliases\nZorblatt-9B\tModel\tZB9\n", encoding="utf-8")
    weights = (tmp_path / "run" / "model" / "ner_0" / "model").read_bytes()
    model = refresh_rules(tmp_path / "run" / "model", gazetteers)
    assert not model.with_name("model.new").exists()
    assert (model / "ner_0" / "model").read_bytes() == weights  # the recogniser is not rewritten
    nlp = load_nlp(model)
    doc = nlp("We fine-tune ZB9 on a new corpus.")
    assert [(s.text, s.label_) for s in doc.spans["paperkg_rules"]] == [("ZB9", "Model")]
    assert [t.text for t in nlp.make_doc("Pythia-70M (SAE)-based")] == ["Pythia-70M", "(", "SAE", ")", "-", "based"]
