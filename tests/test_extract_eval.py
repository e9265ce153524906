"""The SciERC scorer and `kg eval`, on a tiny hand-made SciERC file with known counts."""

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
