"""`kg train` end to end on a tiny SciERC-format file: a loadable paperkg pipeline comes out.

Without static vectors, so the tests need no `train` extra.
"""

from pathlib import Path

import pytest
from click.testing import CliRunner

from paperkg.kg.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "extract" / "tiny_scierc.jsonl"
FIXTURE_LISTING = Path(__file__).resolve().parents[1] / "data" / "demo" / "hf-daily-papers-interpretability-2.txt"


def train(out: Path, *extra: str, seed: int = 0, members: int = 2):
    """`kg train` on the tiny fixture, 4 steps, no vectors, then `extra` options."""
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
        *extra,
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
    assert fast.version == "3.0.0 (1 of 3 recogniser members)"
    assert load_extractor(model).version == "3.0.0"
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

    from paperkg.extract.assembly import refresh_rules
    from paperkg.extract.pipeline import load_nlp

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


# ------------------------------------------------------------ silver data: kg label, kg train --silver
ARXIV = Path(__file__).resolve().parents[2] / "shared" / "data" / "arxiv-ai" / "arxiv-ai-2025-2026.jsonl.gz"


def _tiny_corpus(path: Path) -> Path:
    import gzip
    import json

    papers = [
        {
            "arxiv_id": "2501.00001",
            "title": "Sparse Autoencoders for Vision Transformers",
            "abstract": "We train sparse autoencoders (SAEs) on ViT-B/16 features and evaluate them on ImageNet.",
        },
        {
            "arxiv_id": "2501.00002",
            "title": "Parsing with LSTMs",
            "abstract": "We evaluate a dependency parser on the Penn Treebank and report labelled attachment score.",
        },
        {"arxiv_id": "2501.00003", "title": "No abstract here", "abstract": ""},
        {
            "arxiv_id": "2501.00004",
            "title": "Retrieval for question answering",
            "abstract": "A dense retriever improves open-domain question answering on Natural Questions.",
        },
    ]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(p) + "\n" for p in papers)
    return path


def _label_and_train(tmp_path: Path, corpus: Path, n: int, *more_silver: Path):
    silver = tmp_path / "silver"
    label = CliRunner().invoke(
        main, ["label", str(corpus), "--out", str(silver), "--abstracts", str(n), "--seed", "1", "--shard-size", "2"]
    )
    assert label.exit_code == 0, label.output
    more = [arg for directory in more_silver for arg in ("--silver", str(directory))]
    result = train(tmp_path / "run", "--silver", str(silver), *more, "--gold-copies", "3", members=1)
    assert result.exit_code == 0, result.output
    return silver


def _labelled_shard(corpus: Path) -> bytes:
    """One abstract of `corpus` labelled by the shipped teacher, as a DocBin's bytes."""
    from spacy.tokens import DocBin

    from paperkg.extract.pipeline import ALL_MEMBERS, load_nlp
    from paperkg.extract.silver import corpus_sample

    teacher = load_nlp(None, ALL_MEMBERS)
    return DocBin(docs=[teacher(corpus_sample(corpus, 1, seed=2)[0])]).to_bytes()


def test_label_then_train_on_silver(tmp_path):
    import spacy
    from spacy.tokens import DocBin

    from paperkg.extract.pipeline import ALL_MEMBERS, load_nlp
    from paperkg.extract.silver import corpus_sample

    corpus = _tiny_corpus(tmp_path / "tiny.jsonl.gz")
    # a seeded sample of the three papers with an abstract; a smaller sample is a prefix
    sample = corpus_sample(corpus, 3, seed=1)
    assert sorted(t.split("\n\n")[0] for t in sample) == [
        "Parsing with LSTMs",
        "Retrieval for question answering",
        "Sparse Autoencoders for Vision Transformers",
    ]
    assert corpus_sample(corpus, 2, seed=1) == sample[:2]
    more = tmp_path / "more"  # a second --silver directory, whose shard has the same name as the first's
    more.mkdir()
    (more / "silver-000.spacy").write_bytes(_labelled_shard(corpus))
    silver = _label_and_train(tmp_path, corpus, 3, more)
    shards = sorted(p.name for p in silver.glob("*.spacy"))
    assert shards == ["silver-000.spacy", "silver-001.spacy"]
    docs = [d for s in shards for d in DocBin().from_disk(silver / s).get_docs(spacy.blank("en").vocab)]
    assert [d.text for d in docs] == sample  # the teacher's tokens reproduce the text exactly
    teacher = load_nlp(None, ALL_MEMBERS)  # the shipped pipeline's most accurate recogniser: the vote
    expected = [[(e.start, e.end, e.label_) for e in teacher(t).ents] for t in sample]
    assert [[(e.start, e.end, e.label_) for e in d.ents] for d in docs] == expected
    mixed = sorted(p.name for p in (tmp_path / "run" / "corpus" / "train-mixed").iterdir())
    assert mixed == [
        "gold-00.spacy",
        "gold-01.spacy",
        "gold-02.spacy",
        "silver-00-silver-000.spacy",
        "silver-00-silver-001.spacy",
        "silver-01-silver-000.spacy",
    ]
    nlp = load_nlp(tmp_path / "run" / "model")
    # one recogniser: no ballot, no vote
    assert nlp.pipe_names == ["paperkg_sentences", "ner_0", "paperkg_abbreviations", "paperkg_rules", "paperkg_refine"]
    assert "teacher" in nlp.meta["description"] and nlp.meta["members"] == 1


def _teacher_doc(vocab):
    """A sentence as the teacher of several labels it: a model name and kinds of data as Material,
    a benchmark as Method, a named dataset as OtherScientificTerm."""
    from spacy.tokens import Doc, Span

    words = (
        "We tune BERT on the IMHI evaluation benchmark , on ImageNet , on histopathology images "
        "and on WSJ test data ; the benchmark helps ."
    ).split()
    doc = Doc(vocab, words=words, sent_starts=[i == 0 for i in range(len(words))])
    labels = {
        (2, 3): "Material",  # BERT
        (5, 8): "Method",  # IMHI evaluation benchmark
        (10, 11): "OtherScientificTerm",  # ImageNet
        (13, 15): "Material",  # histopathology images
        (17, 20): "Material",  # WSJ test data
        (22, 23): "Generic",  # the benchmark
    }
    doc.set_ents([Span(doc, s, e, label=label) for (s, e), label in labels.items()], default="outside")
    return doc


def test_silver_is_retyped_as_the_graph_types_it(tmp_path):
    from spacy.tokens import DocBin

    from paperkg.extract.silver import retype_shard, silver_rules

    rules = silver_rules()
    shard = tmp_path / "silver-000.spacy"
    DocBin(docs=[_teacher_doc(rules.vocab)]).to_disk(shard)
    assert retype_shard(shard, tmp_path / "retyped.spacy", rules) == (6, 4)
    (doc,) = DocBin().from_disk(tmp_path / "retyped.spacy").get_docs(rules.vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("BERT", "Method"),  # the rules' model name
        ("IMHI evaluation benchmark", "Material"),  # a benchmark is a dataset
        ("ImageNet", "Material"),  # the gazetteer's dataset
        ("histopathology images", "OtherScientificTerm"),  # a kind of data
        ("WSJ test data", "Material"),  # a name among the words
        ("benchmark", "Generic"),
    ]
    assert [t.text for t in doc] == [t.text for t in _teacher_doc(rules.vocab)]


def test_silver_leaves_the_defined_collections_to_the_run_time_rule(tmp_path):
    """`paperkg_rules` marks `LONG (ACRONYM) dataset` phrases at run time; the silver keeps the
    teacher's spans there, so `kg train --silver` learns the silver the shipped student learnt."""
    from spacy.tokens import DocBin

    from paperkg.extract.silver import retype_shard, silver_rules

    rules = silver_rules()
    doc = rules.make_doc(
        "We build the interpretable mental health instruction (IMHI) dataset from social media posts. "
        "We test on the IMHI evaluation benchmark. "
        "The Fields of The World (FTW) benchmark covers farms."
    )
    labels = {  # as the teacher of several labelled such abstracts
        "interpretable mental health instruction": "OtherScientificTerm",
        "social media posts": "Material",
        "Fields of The World": "OtherScientificTerm",
        "FTW": "Method",
    }
    doc.set_ents(
        [doc.char_span(doc.text.index(t), doc.text.index(t) + len(t), label=label) for t, label in labels.items()]
    )
    shard = tmp_path / "silver-000.spacy"
    DocBin(docs=[doc]).to_disk(shard)
    assert retype_shard(shard, tmp_path / "retyped.spacy", rules) == (4, 0)
    (out,) = DocBin().from_disk(tmp_path / "retyped.spacy").get_docs(rules.vocab)
    assert [(e.text, e.label_) for e in out.ents] == list(labels.items())


@pytest.mark.parametrize("types, expected", [("paperkg", "Material"), ("teacher", "Method")])
def test_kg_train_silver_types(tmp_path, types, expected):
    import spacy
    from spacy.tokens import DocBin

    silver = tmp_path / "silver"
    silver.mkdir()
    DocBin(docs=[_teacher_doc(spacy.blank("en").vocab)]).to_disk(silver / "silver-000.spacy")
    result = train(tmp_path / "run", "--silver", str(silver), "--silver-types", types, members=1)
    assert result.exit_code == 0, result.output
    mixed = tmp_path / "run" / "corpus" / "train-mixed" / "silver-00-silver-000.spacy"
    (doc,) = DocBin().from_disk(mixed).get_docs(spacy.blank("en").vocab)
    assert {e.text: e.label_ for e in doc.ents}["IMHI evaluation benchmark"] == expected


def test_train_refuses_an_empty_silver_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    result = train(tmp_path / "run", "--silver", str(tmp_path / "empty"), members=1)
    assert result.exit_code == 1 and "no silver shards" in result.output


def test_label_and_train_on_the_shared_arxiv_corpus(tmp_path):
    if not ARXIV.is_file():
        pytest.skip(f"the shared arXiv corpus is not at {ARXIV} (../shared beside the checkout)")
    silver = _label_and_train(tmp_path, ARXIV, 4)
    assert len(list(silver.glob("*.spacy"))) == 2


def test_a_single_model_ships_with_the_vote_as_accurate(tmp_path):
    from paperkg.extract.pipeline import ALL_MEMBERS, load_extractor, load_nlp

    assert train(tmp_path / "vote", members=2).exit_code == 0
    vote = tmp_path / "vote" / "model"
    args = [
        "train",
        "--train",
        str(FIXTURE),
        "--dev",
        str(FIXTURE),
        "--out",
        str(tmp_path / "one"),
        "--max-steps",
        "4",
        "--no-vectors",
        "--accurate-from",
        str(vote),
    ]
    refused = CliRunner().invoke(main, [*args, "--members", "2"])
    assert refused.exit_code == 2 and "--members 1" in refused.output
    result = CliRunner().invoke(main, [*args, "--members", "1"])
    assert result.exit_code == 0, result.output
    model = tmp_path / "one" / "model"

    def recognisers(extractor):
        return [n for n in extractor.nlp.pipe_names if n.startswith(("ner", "ballot")) or n == "paperkg_vote"]

    default, fast = load_extractor(model), load_extractor(model, members=1)
    assert recognisers(default) == recognisers(fast) == ["ner"]
    assert default.version == "3.0.0"
    accurate = load_extractor(model, members=ALL_MEMBERS)
    assert recognisers(accurate) == ["ner_0", "ballot_0", "ner_1", "ballot_1", "paperkg_vote"]
    assert accurate.version == "3.0.0 (accurate: 2 of 2 voting recogniser members)"
    assert accurate.nlp.get_pipe("ner_1").model.to_bytes() == load_nlp(vote).get_pipe("ner_1").model.to_bytes()
    both = CliRunner().invoke(main, ["extract", "--model", str(model), "--fast", "--accurate", str(FIXTURE_LISTING)])
    assert both.exit_code == 2 and "contradict" in both.output
    ran = CliRunner().invoke(main, ["extract", "--model", str(model), "--accurate", str(FIXTURE_LISTING)])
    assert ran.exit_code == 0, ran.output


def test_kg_train_rules_compiles_gazetteers_into_a_copy_of_the_shipped_pipeline(tmp_path):
    import shutil

    from paperkg.extract.pipeline import MODEL_DIR, load_nlp

    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model)
    gazetteers = tmp_path / "gaz"
    gazetteers.mkdir()
    (gazetteers / "models.tsv").write_text("# name\ttype\taliases\nZorblatt-9B\tModel\tZB9\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["train", "rules", str(model), "--gazetteers", str(gazetteers)])
    assert result.exit_code == 0, result.output
    assert f"compiled into {model}" in result.stderr
    doc = load_nlp(model)("We fine-tune ZB9 on a new corpus.")
    assert [(s.text, s.label_) for s in doc.spans["paperkg_rules"]] == [("ZB9", "Model")]


def test_kg_train_without_data_or_a_subcommand_says_what_is_missing(tmp_path):
    result = CliRunner().invoke(main, ["train", "--train", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["train", "--out", str(tmp_path / "run")])
    assert result.exit_code == 2 and "Missing option '--train'" in result.output
