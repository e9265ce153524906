"""Every `kg ...` line in the README's code blocks runs on the demo store as printed.

The lines are read from README.md itself, in order, and run through click's CliRunner in a
working directory holding what they name: `data/demo` (the shipped demo listings), the demo
store as the default store (`$PAPERKG_STORE`, built by the README's own `kg build data/demo/`),
and small input files (`listing.txt`, `papers.csv`, `my.rq`, `big/`, ...) made from the demo
or from tests/fixtures/readers. A line passes when it exits 0; a piped `| jq` line must print
JSON (run through jq when jq is installed), and `> FILE` must write the page. Only lines that
need what a CI machine lacks are skipped, each with its reason in `SKIPPED`.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperkg.kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"
READERS = Path(__file__).parent / "fixtures" / "readers"

SKIPPED = {
    "kg train rules": "rewrites the shipped pipeline in place; tests/test_extract_training.py runs it on a copy",
    "kg train": "trains recognisers for 15-30 minutes on SciERC; tests/test_extract_training.py "
    "runs kg train on a tiny corpus",
    "kg label": "labels 6,000 arXiv abstracts with a teacher (10-40 minutes); "
    "tests/test_extract_training.py runs kg label on a tiny corpus and on 4 abstracts of the shared one",
    "runs/teacher/model": "needs a teacher from `kg train teacher` (PyTorch, in a venv of its own); "
    "tests/test_extract_teacher.py trains a tiny one and runs its pipeline where PyTorch is installed",
    "--scheduler tcp://HOST:8786": "needs a running Dask scheduler at a real address; tests/test_engines.py runs "
    "--engine dask on a local cluster",
    "http://localhost:7878": "needs a SPARQL server on localhost:7878 (oxigraph serve); tests/test_push.py and "
    "tests/test_query_endpoint.py run kg push and kg query --endpoint against a server they start",
}
NEEDS_SHARED = "../shared/"


def readme_commands() -> list[str]:
    """The `kg ...` commands of the README's code blocks, in order (continuation lines joined,
    `a && kg b && kg c` split into its kg commands)."""
    commands = []
    for block in re.findall(r"^```(?:sh|bash|console)?\n(.*?)^```", README.read_text("utf-8"), re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith("kg "):
                    commands.append(part)
    return commands


COMMANDS = readme_commands()


def test_the_readme_has_kg_commands_to_check():
    assert len(COMMANDS) > 25
    assert "kg build data/demo/" in {c.split("#")[0].strip() for c in COMMANDS}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A directory laid out as the README assumes, with the demo store as the default store."""
    from paperkg.extract.readers import read_papers
    from paperkg.extract.resources import data_dir

    work = tmp_path_factory.mktemp("readme")
    (work / "data").mkdir()
    (work / "data" / "demo").symlink_to(data_dir() / "demo")
    shutil.copy(READERS / "hf_daily_sample.txt", work / "listing.txt")
    shutil.copy(READERS / "arxiv_feed.xml", work / "export.atom")
    shutil.copy(READERS / "papers.jsonl", work / "papers.jsonl")
    # inputs that add to the default store hold demo papers again: the demo store stays the demo
    demo = read_papers([data_dir() / "demo"]).papers[:5]
    rows = [{"title": p.title, "abstract": p.abstract, "date": p.date_text or ""} for p in demo]
    with open(work / "papers.csv", "w", encoding="utf-8", newline="") as fh:
        import csv

        writer = csv.DictWriter(fh, fieldnames=["title", "abstract", "date"])
        writer.writeheader()
        writer.writerows(rows)
    (work / "big").mkdir()
    for name in ("big.jsonl", "big/part-1.jsonl"):
        with open(work / name, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row) + "\n" for row in rows)
    # the README's my.rq: a query that uses ?year without selecting it
    (work / "my.rq").write_text(
        "SELECT ?title WHERE { ?paper a pkg:Paper ; dcterms:title ?title ; pkg:year ?year }\n", encoding="utf-8"
    )
    return work


@pytest.fixture
def in_workdir(workdir, monkeypatch) -> Path:
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("PAPERKG_STORE", str(workdir / "store"))
    return workdir


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs_on_the_demo(command, in_workdir):
    for marker, reason in SKIPPED.items():
        if marker in command:
            pytest.skip(reason)
    if NEEDS_SHARED in command:
        if not SHARED.is_dir():
            pytest.skip(f"needs {SHARED} (SciERC), which this machine does not have")
        command = command.replace(NEEDS_SHARED, f"{SHARED}/")
    if not (in_workdir / "store").exists() and not command.startswith("kg build data/demo/"):
        run(["build", "data/demo/"])  # a single test run out of order still finds the demo store
    words = shlex.split(command, comments=True)
    args, rest = _split_at(words[1:], ("|", ">"))
    result = run(args)
    if rest[:1] == ["|"]:
        assert rest[1] == "jq", command
        json.loads(result.stdout)
        if shutil.which("jq"):
            subprocess.run(rest[1:], input=result.stdout, text=True, check=True, capture_output=True)
    elif rest[:1] == [">"]:
        (in_workdir / rest[1]).write_text(result.stdout, encoding="utf-8")
        assert result.stdout.startswith("<!DOCTYPE html>")


def run(args: list[str]):
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, f"kg {' '.join(args)} exited {result.exit_code}: {result.stderr}"
    return result


def _split_at(words: list[str], operators: tuple[str, ...]) -> tuple[list[str], list[str]]:
    for i, word in enumerate(words):
        if word in operators:
            return words[:i], words[i:]
    return words, []
