"""`kg extract` arguments, output format and exit codes."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperkg.extract.pipeline import MODEL_DIR
from paperkg.kg.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "extract"

pytestmark = pytest.mark.skipif(not (MODEL_DIR / "config.cfg").is_file(), reason="no shipped model in extract/model")


def test_extract_prints_json_lines():
    result = CliRunner().invoke(main, ["extract", str(FIXTURES / "seed_abstracts.jsonl")])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 8  # one per paper of the fixture
    assert set(rows[0]) == {"id", "title", "entities"}
    entity = rows[0]["entities"][0]
    assert set(entity) == {"name", "type", "aliases", "mentions"}
    assert set(entity["mentions"][0]) == {"text", "field", "start", "end", "sentence"}
    assert entity["mentions"][0]["field"] in ("title", "abstract")


def test_extract_writes_file(tmp_path):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(FIXTURES / "seed_abstracts.jsonl"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    sae = next(r for r in rows if r["title"] == "Analysis of Variational Sparse Autoencoders")
    names = {e["name"]: e for e in sae["entities"]}
    assert names["Pythia-70M"]["type"] == "Model"
    assert "SAEs" in names["Sparse Autoencoder"]["aliases"]


def test_extract_missing_input_and_bad_model(tmp_path):
    missing = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    empty = tmp_path / "empty-model"
    empty.mkdir()
    bad = CliRunner().invoke(main, ["extract", str(FIXTURES / "seed_abstracts.jsonl"), "--model", str(empty)])
    assert bad.exit_code == 1 and "no spaCy pipeline" in bad.output and "Traceback" not in bad.output


def test_help_has_examples():
    for command in ("extract", "train", "eval"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Examples:" in result.output
