"""The SciERC scorer and `kg eval`, on a tiny hand-made SciERC file with known counts."""

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperkg.extract.evaluation import score
from paperkg.extract.scierc import read_scierc
from paperkg.kg.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "extract" / "tiny_scierc.jsonl"
REPO = Path(__file__).resolve().parent.parent


def scierc_dir() -> Path:
    return Path(os.environ.get("PAPERKG_SCIERC", REPO.parent / "shared" / "data" / "scierc"))


def test_reader_unescapes_brackets_and_keeps_nested_spans():
    docs = list(read_scierc(FIXTURE))
    assert [d.key for d in docs] == ["tiny-1", "tiny-2"]
    assert docs[1].words[3:6] == ("(", "CNNs", ")")
    assert docs[0].sentence_starts == (0, 10)
    assert (7, 12, "Task") in docs[1].spans and (10, 12, "Task") in docs[1].spans


def test_scores_with_known_counts():
    gold = [{s for s in d.spans if s[2] != "Generic"} for d in read_scierc(FIXTURE)]
    predicted = [
        # right, right, right, a Generic span called Method (wrong), right span with the wrong label
        {(3, 5, "Method"), (7, 9, "Material"), (11, 12, "Metric"), (13, 15, "Method"), (16, 17, "Method")},
        # both methods right; the features called a Task (wrong)
        {(0, 3, "Method"), (4, 5, "Method"), (7, 9, "Task")},
    ]
    result = score(zip(gold, predicted)).to_json()
    assert result["documents"] == 2
    assert (result["micro"]["tp"], result["micro"]["predicted"], result["micro"]["gold"]) == (5, 8, 9)
    assert result["micro"]["precision"] == 0.625
    assert result["micro"]["recall"] == pytest.approx(5 / 9, abs=1e-4)
    assert result["micro"]["f1"] == pytest.approx(2 * 0.625 * (5 / 9) / (0.625 + 5 / 9), abs=1e-4)
    method = result["per_label"]["Method"]
    assert (method["tp"], method["predicted"], method["gold"]) == (3, 5, 3)
    assert result["per_label"]["OtherScientificTerm"]["recall"] == 0.0
    assert set(result["per_label"]) == {"Task", "Method", "Metric", "Material", "OtherScientificTerm"}


def test_kg_eval_json_on_fixture():
    result = CliRunner().invoke(main, ["eval", "--gold", str(FIXTURE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 2
    assert data["micro"]["gold"] == 9
    assert set(data["settings"]) == {
        "recogniser",
        "recogniser+abbreviations",
        "recogniser+rules",
        "graph mentions",
        "extractor",
    }
    assert data["per_label"]["Task"]["gold"] == 3


def test_kg_eval_table_and_csv():
    table = CliRunner().invoke(main, ["eval", "--gold", str(FIXTURE)])
    assert table.exit_code == 0 and "recogniser" in table.output and "extractor" in table.output
    csv = CliRunner().invoke(main, ["eval", "--gold", str(FIXTURE), "--recogniser-only", "--csv"])
    lines = csv.output.strip().splitlines()
    assert lines[0] == "setting,label,precision,recall,f1" and len(lines) == 7


def test_kg_eval_bad_input(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"not": "scierc"}\n')
    result = CliRunner().invoke(main, ["eval", "--gold", str(bad)])
    assert result.exit_code == 1
    assert "bad.jsonl:1: not a SciERC record" in result.output
    assert "Traceback" not in result.output


def test_kg_eval_on_scierc_dev():
    dev = scierc_dir() / "dev.jsonl"
    if not dev.is_file():
        pytest.skip(f"SciERC dev not found at {dev} (set PAPERKG_SCIERC)")
    result = CliRunner().invoke(main, ["eval", "--gold", str(dev), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 50
    assert data["settings"]["extractor"]["micro"]["gold"] == data["settings"]["recogniser"]["micro"]["gold"]
    assert data["micro"]["f1"] > 0.45


# ------------------------------------------------------------ gold files that annotate some labels
PARTIAL = Path(__file__).parent / "fixtures" / "extract" / "tiny_partial.jsonl"


def test_label_scheme_scores_only_the_labels_a_gold_file_uses():
    from paperkg.extract.evaluation import label_scheme

    assert label_scheme({"Task", "Dataset", "Metric"}).labels == ("Dataset", "Task", "Metric")
    assert label_scheme({"Task", "Dataset", "Metric"}).name == "paperkg"
    assert label_scheme({"Task", "Method", "Generic"}).labels == ("Task", "Method")
    assert label_scheme({"Task", "Method", "Generic"}).name == "scierc"
    assert label_scheme(s[2] for d in read_scierc(FIXTURE) for s in d.spans).labels == (
        "Task",
        "Method",
        "Metric",
        "Material",
        "OtherScientificTerm",
    )
    with pytest.raises(ValueError, match="mix"):
        label_scheme({"Material", "Dataset"})
    with pytest.raises(ValueError, match="Organism"):
        label_scheme({"Organism"})


def test_partial_gold_ignores_predictions_of_unannotated_labels():
    import spacy

    from paperkg.extract.evaluation import _gold_set, _predicted, label_scheme
    from paperkg.extract.scierc import gold_to_doc

    golds = list(read_scierc(PARTIAL))
    scheme = label_scheme({s[2] for g in golds for s in g.spans})
    nlp = spacy.blank("en")
    docs = [gold_to_doc(nlp, g, with_entities=False) for g in golds]
    from spacy.tokens import Span

    # recogniser labels: BERT a Method (not scored: the file has no Method), SQuAD and ImageNet
    # Material (= Dataset), exact match and question answering right, 'accuracy' a wrong extent
    docs[0].ents = [
        Span(docs[0], 2, 3, "Method"),
        Span(docs[0], 4, 5, "Material"),
        Span(docs[0], 6, 8, "Metric"),
        Span(docs[0], 9, 11, "Task"),
    ]
    docs[1].ents = [
        Span(docs[1], 2, 3, "Material"),
        Span(docs[1], 5, 6, "Metric"),
        Span(docs[1], 6, 7, "OtherScientificTerm"),
    ]
    pairs = [(_gold_set(g, scheme), _predicted(d, None, None, scheme)) for g, d in zip(golds, docs)]
    result = score(pairs, scheme.labels).to_json()
    assert (result["micro"]["tp"], result["micro"]["predicted"], result["micro"]["gold"]) == (4, 5, 5)
    assert result["micro"]["precision"] == 0.8 and result["micro"]["recall"] == 0.8
    assert set(result["per_label"]) == {"Dataset", "Task", "Metric"}
    assert result["per_label"]["Dataset"]["tp"] == 2
    assert (result["per_label"]["Metric"]["tp"], result["per_label"]["Metric"]["predicted"]) == (1, 2)

    class Unchanged:  # the graph rows read a span group the refiner would write
        def __call__(self, doc):
            return doc

    doc = docs[0]
    doc.spans["paperkg"] = [Span(doc, 2, 3, "Model"), Span(doc, 4, 5, "Dataset"), Span(doc, 9, 11, "Concept")]
    assert _predicted(doc, (True, True, "paperkg"), Unchanged(), scheme) == {(4, 5, "Dataset")}


def test_kg_eval_names_the_scored_labels_of_a_partial_gold_file():
    result = CliRunner().invoke(main, ["eval", "--gold", str(PARTIAL), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["labels"] == ["Dataset", "Task", "Metric"] and data["scheme"] == "paperkg"
    assert set(data["per_label"]) == {"Dataset", "Task", "Metric"}
    assert data["micro"]["gold"] == 5 and data["per_label"]["Dataset"]["gold"] == 2
    for row in data["settings"].values():
        assert row["micro"]["predicted"] == sum(r["predicted"] for r in row["per_label"].values())
    table = CliRunner().invoke(main, ["eval", "--gold", str(PARTIAL)])
    assert "of the labels the gold file uses: Dataset, Task, Metric" in table.output


# ------------------------------------------------------------ kg eval --compare: one table of recognisers
def test_kg_eval_compare_rows_are_the_single_runs():
    def micro(*args):
        result = CliRunner().invoke(main, ["eval", *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["micro"]

    result = CliRunner().invoke(main, ["eval", "--gold", str(FIXTURE), "--gold", str(PARTIAL), "--compare", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["pipeline"], Path(r["gold"]).name) for r in rows] == [
        ("default", FIXTURE.name),
        ("default", PARTIAL.name),
        ("--accurate", FIXTURE.name),
        ("--accurate", PARTIAL.name),
    ]
    assert rows[0]["micro"] == micro("--gold", str(FIXTURE))
    assert rows[1]["micro"] == micro("--gold", str(PARTIAL))
    assert rows[2]["micro"] == micro("--gold", str(FIXTURE), "--accurate")
    assert rows[1]["labels"] == ["Dataset", "Task", "Metric"]
    table = CliRunner().invoke(main, ["eval", "--gold", str(FIXTURE), "--compare"])
    assert table.exit_code == 0 and table.output.count(FIXTURE.name) == 2


@pytest.mark.parametrize(
    "args",
    [
        ["--gold", str(FIXTURE), "--gold", str(PARTIAL)],
        ["--gold", str(FIXTURE), "--teacher", str(Path(__file__).parent)],
        ["--gold", str(FIXTURE), "--compare", "--accurate"],
    ],
)
def test_kg_eval_compare_options_that_need_or_contradict_it(args):
    result = CliRunner().invoke(main, ["eval", *args])
    assert result.exit_code == 2 and "--compare" in result.output


def test_kg_eval_compare_csv_quotes_a_path_with_a_comma(tmp_path):
    gold = tmp_path / "dev, held out.jsonl"
    gold.write_text(FIXTURE.read_text())
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold), "--compare", "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["pipeline", "gold", "label", "precision", "recall", "f1"]
    assert {(r[0], r[1], r[2]) for r in rows[1:] if r[2] == "micro"} == {
        ("default", str(gold), "micro"),
        ("--accurate", str(gold), "micro"),
    }
