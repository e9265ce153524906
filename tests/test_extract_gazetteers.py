"""The curated gazetteers: a malformed file is a user error naming its line, and reading them
(or grouping mentions) does not import rdflib."""

from __future__ import annotations

import subprocess
import sys

import pytest

from paperkg.extract.gazetteers import load_gazetteers
from paperkg.schema.errors import PaperkgError


def test_gazetteers_read_name_type_and_aliases(tmp_path):
    (tmp_path / "models.tsv").write_text("# name\ttype\taliases\nGPT-2\tModel\tGPT2 | gpt-2\n\nSQuAD\tDataset\n")
    entries = load_gazetteers(tmp_path)
    assert [(e.name, e.type, e.aliases) for e in entries] == [
        ("GPT-2", "Model", ("GPT2", "gpt-2")),
        ("SQuAD", "Dataset", ()),
    ]


@pytest.mark.parametrize("bad_line", ["GPT-2", "GPT-2\tLanguageModel\tGPT2"])
def test_a_malformed_gazetteer_line_is_a_user_error_naming_file_and_line(tmp_path, bad_line):
    path = tmp_path / "models.tsv"
    path.write_text(f"# name\ttype\taliases\nBERT\tModel\n{bad_line}\n")
    with pytest.raises(PaperkgError) as error:
        load_gazetteers(tmp_path)
    assert str(error.value).startswith(f"{path}:3: ")
    assert "Model, Dataset" in str(error.value)


def test_gazetteers_and_grouping_import_without_rdflib():
    code = "import sys\nimport paperkg.extract.gazetteers, paperkg.extract.grouping\nprint('rdflib' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
