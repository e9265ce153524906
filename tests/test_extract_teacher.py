"""The contextual teacher (extract/teacher.py): tags, partial annotation, decoding, chunking and
the held-out split run without PyTorch; the classifier itself only where PyTorch is installed
(the default test venv has none: those tests skip).

Building the demo graph must never import PyTorch: a stand-in `torch` package that fails
loudly on import sits first on the path of that build."""

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import paperkg.extract
import paperkg.kg
import paperkg.schema
import paperkg.viz
from paperkg.extract.teacher import (
    TAGS,
    allowed_tags,
    chunk_words,
    decode,
    split_gold,
    to_scierc_labels,
    word_tags,
)
from paperkg.kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "extract" / "tiny_scierc.jsonl"


def test_tags_are_o_then_begin_and_inside_of_each_scierc_label():
    assert TAGS[0] == "O"
    assert len(TAGS) == 13 and "B-Material" in TAGS and "I-Generic" in TAGS


def test_word_tags_mark_spans_and_the_longer_of_overlapping_spans_wins():
    tags = word_tags(6, {(0, 2, "Method"), (1, 4, "Task"), (5, 6, "Metric")})
    assert tags == ["O", "B-Task", "I-Task", "I-Task", "O", "B-Metric"]


def test_paperkg_type_names_map_back_to_scierc_labels_and_scierc_names_stay():
    assert to_scierc_labels({(0, 1, "Dataset"), (2, 3, "Task")}) == {(0, 1, "Material"), (2, 3, "Task")}
    assert to_scierc_labels({(0, 1, "Material"), (2, 3, "Generic")}) == {(0, 1, "Material"), (2, 3, "Generic")}


def test_an_outside_word_may_take_any_tag_of_a_label_the_file_does_not_annotate():
    mask = allowed_tags(["B-Task", "O"], {"Task", "Material", "Metric"})
    assert [TAGS[i] for i in np.flatnonzero(mask[0])] == ["B-Task"]
    free = {TAGS[i] for i in np.flatnonzero(mask[1])}
    assert "O" in free and "B-Method" in free and "I-OtherScientificTerm" in free
    assert not free & {"B-Task", "I-Task", "B-Material", "I-Metric"}


def test_fully_annotated_outside_words_are_o_only():
    mask = allowed_tags(["O"], set(t[2:] for t in TAGS if t != "O"))
    assert [TAGS[i] for i in np.flatnonzero(mask[0])] == ["O"]


def _log_probs(*rows):
    """(words x TAGS) log probabilities with each row's named tag at 0.9."""
    lp = np.full((len(rows), len(TAGS)), np.log(0.1 / (len(TAGS) - 1)))
    for i, tag in enumerate(rows):
        lp[i, TAGS.index(tag)] = np.log(0.9)
    return lp


def test_decode_reads_spans_of_the_best_tags():
    spans = decode(_log_probs("B-Method", "I-Method", "O", "B-Task", "B-Task"))
    assert spans == [(0, 2, "Method"), (3, 4, "Task"), (4, 5, "Task")]


def test_decode_never_lets_inside_follow_outside_or_another_label():
    # argmax alone would read I-Method after O and after B-Task: the decoder may not
    spans = decode(_log_probs("O", "I-Method", "B-Task", "I-Method"))
    assert spans and all(0 <= start < end <= 4 for start, end, _ in spans)
    tags = word_tags(4, spans)
    assert all(not tag.startswith("I-") or prev[2:] == tag[2:] for prev, tag in zip(["O", *tags], tags))
    lp = _log_probs("B-Task", "I-Method")
    lp[1, TAGS.index("B-Method")] = np.log(0.4)  # I-Method best alone, B-Method best after B-Task
    assert decode(lp) == [(0, 1, "Task"), (1, 2, "Method")]
    assert decode(np.zeros((0, len(TAGS)))) == []


def test_chunks_keep_sentences_whole_and_cut_only_an_overlong_one():
    pieces = [1] * 10 + [3] * 5  # sentences at 0, 4, 10
    chunks = chunk_words(pieces, [0, 4, 10], max_pieces=7)
    assert chunks == [(0, 4), (4, 10), (10, 12), (12, 14), (14, 15)]
    for a, b in chunks:
        assert sum(pieces[a:b]) <= 7
    assert chunk_words([2, 2, 2], [0], max_pieces=10) == [(0, 3)]
    assert chunk_words([], [0], max_pieces=10) == []


def test_split_holds_out_a_seeded_share_and_loses_no_record(tmp_path):
    records = [json.dumps({"doc_key": f"d{i}", "sentences": [["w"]], "ner": [[]]}) for i in range(20)]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(records) + "\n")
    train, held = split_gold(gold, tmp_path / "a", 0.25, seed=3)
    kept, out = train.read_text().splitlines(), held.read_text().splitlines()
    assert len(out) == 5 and sorted(kept + out) == sorted(records)
    again = split_gold(gold, tmp_path / "b", 0.25, seed=3)[1].read_text().splitlines()
    other = split_gold(gold, tmp_path / "c", 0.25, seed=4)[1].read_text().splitlines()
    assert again == out and other != out


def test_kg_train_split_writes_both_files(tmp_path):
    result = CliRunner().invoke(main, ["train", "split", str(FIXTURE), "--out", str(tmp_path), "--fraction", "0.5"])
    assert result.exit_code == 0, result.output
    lines = FIXTURE.read_text().strip().splitlines()
    held = (tmp_path / "held-out.jsonl").read_text().splitlines()
    assert len(held) == round(len(lines) * 0.5)
    assert len((tmp_path / "train.jsonl").read_text().splitlines()) == len(lines) - len(held)


FAKE_TORCH = """\
import os, traceback
frames = [f.filename for f in traceback.extract_stack()[:-1] if not f.filename.startswith("<frozen")]
with open(os.environ["TORCH_IMPORTS"], "a") as fh:
    fh.write(frames[-1] + "\\n")  # who asked for torch
raise ImportError("no torch here")
"""


@pytest.mark.parametrize(
    "command",
    [
        ["build", str(ROOT / "data" / "demo"), "--store", "store", "-q"],
        ["eval", "--gold", str(FIXTURE), "--gold", str(FIXTURE), "--compare"],  # the table the teacher joins
    ],
    ids=["build-demo", "eval-compare"],
)
def test_paperkg_never_imports_torch(tmp_path, command):
    """spaCy's thinc probes for torch (`try: import torch`), so in a venv that has PyTorch it is
    loaded by thinc whatever paperkg does; the stand-in records who asked, and only a probe of a
    library paperkg depends on may; nothing in paperkg."""
    fake = tmp_path / "fake" / "torch"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(FAKE_TORCH)
    log = tmp_path / "torch-imports.txt"
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(fake.parent)!r})\n"
        "from paperkg.kg.cli import main\n"
        f"try:\n    main({command!r})\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('loaded:', *sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers')))\n"
    )
    env = {**os.environ, "TORCH_IMPORTS": str(log)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "loaded:"
    askers = set(log.read_text().splitlines()) if log.exists() else set()
    ours = [Path(p.__file__).resolve().parent for p in (paperkg.extract, paperkg.kg, paperkg.schema, paperkg.viz)]
    assert not {a for a in askers if any(Path(a).resolve().is_relative_to(d) for d in ours)}, askers


needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("transformers") is None,
    reason="the teacher needs PyTorch and transformers (the training venv, not paperkg's install)",
)


@pytest.fixture
def tiny_encoder(tmp_path):
    """A 2-layer BERT of random weights over the fixture's words (made here, nothing downloaded)."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    words = sorted(
        {w.lower() for line in FIXTURE.read_text().splitlines() for s in json.loads(line)["sentences"] for w in s}
    )
    encoder = tmp_path / "encoder"
    encoder.mkdir()
    (encoder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n")
    BertTokenizerFast(str(encoder / "vocab.txt")).save_pretrained(str(encoder))
    config = BertConfig(
        vocab_size=len(words) + 5, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32
    )
    BertModel(config).save_pretrained(str(encoder))
    return encoder


@needs_torch
def test_a_tiny_classifier_trains_and_its_pipeline_labels_text(tmp_path, tiny_encoder):
    """The tiny encoder trained for one epoch."""
    from paperkg.extract.pipeline import MODEL_DIR, load_nlp
    from paperkg.extract.teacher import train_teacher

    encoder = tiny_encoder
    model = train_teacher(
        [FIXTURE], FIXTURE, tmp_path / "run", epochs=1, encoder_dir=encoder, vote_from=MODEL_DIR, log=lambda _: None
    )
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    assert len(history["epochs"]) == 1 and 0 <= history["epochs"][0]["dev"]["f1"] <= 1
    assert math.isfinite(history["epochs"][0]["loss"])  # padding words must not reach the loss
    nlp = load_nlp(model)
    assert nlp.pipe_names[:2] == ["paperkg_sentences", "ner"]
    doc = nlp("We train a parser on the treebank.\n\nIt improves parsing accuracy.")
    assert all(ent.label_ in {t[2:] for t in TAGS[1:]} for ent in doc.ents)
    voting = load_nlp(tmp_path / "run" / "model-vote")  # the classifier as a fourth member, counting twice
    assert [p for p in voting.pipe_names if p.startswith(("ner", "ballot"))] == [
        *(f"{kind}_{i}" for i in range(4) for kind in ("ner", "ballot"))
    ]
    assert voting.get_pipe("ballot_3").keywords == {"weight": 2}
    assert all(ent.label_ in {t[2:] for t in TAGS[1:]} for ent in voting("A parser for parsing.").ents)


@needs_torch
def test_the_same_seed_gives_the_same_weights(tmp_path, tiny_encoder):
    """The README's training steps rebuild the teacher: head initialisation, dropout and batch
    order all come from the seed, and torch runs on one thread."""
    import torch
    from safetensors.torch import load_file

    from paperkg.extract.teacher import train_teacher

    def weights(seed: int, run: str) -> list:
        train_teacher(
            [FIXTURE], FIXTURE, tmp_path / run, seed=seed, epochs=2, encoder_dir=tiny_encoder, log=lambda _: None
        )
        best = tmp_path / run / "best"
        encoder = load_file(str(best / "encoder" / "model.safetensors"))
        return [*encoder.values(), *torch.load(best / "head.pt", weights_only=True).values()]

    first, again, other = weights(0, "a"), weights(0, "b"), weights(1, "c")
    assert len(first) == len(again) and all(torch.equal(x, y) for x, y in zip(first, again))
    assert not all(torch.equal(x, y) for x, y in zip(first, other))


def test_kg_train_teacher_passes_its_options_on(tmp_path, monkeypatch):
    """The command only parses: every option reaches `train_teacher` under its name."""
    import paperkg.extract.teacher as teacher

    seen = {}
    monkeypatch.setattr(teacher, "train_teacher", lambda **kw: seen.update(kw) or tmp_path / "model")
    args = ["train", "teacher", "--train", str(FIXTURE), "--train", str(FIXTURE), "--dev", str(FIXTURE)]
    args += ["--out", str(tmp_path), "--epochs", "2", "--batch-size", "4", "--vote-from", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert seen["train_paths"] == (str(FIXTURE), str(FIXTURE)) and seen["dev_path"] == str(FIXTURE)
    assert (seen["epochs"], seen["batch_size"], seen["seed"], seen["threads"]) == (2, 4, 0, 1)
    assert seen["vote_from"] == str(tmp_path) and seen["out_dir"] == str(tmp_path) and callable(seen["log"])
