"""bench/hubs.py: the judged top hubs of a built graph, and carrying verdicts to another build."""

from __future__ import annotations

import pytest
from graph_papers import build, ent, extraction, paper

from bench.hubs import FIXTURES, VERDICTS, carry, hubs, read, tally
from paperkg.schema.namespaces import ENTITY_TYPES


def test_every_fixture_row_is_judged_and_says_what_it_should_be():
    for path in sorted(FIXTURES.glob("*.tsv")):
        rows = read(path)
        labels = {r["label"] for r in rows}
        first = int(rows[0]["rank"])  # 1, or 151 for a file of the hubs below the first 150
        assert [int(r["rank"]) for r in rows] == list(range(first, first + len(rows))), path.name
        for r in rows:
            assert r["verdict"] in VERDICTS, (path.name, r["label"])
            if r["verdict"] == "wrong type":
                assert r["should"] in ENTITY_TYPES and r["should"] != r["type"], (path.name, r["label"])
            if r["verdict"] == "duplicate":  # of a hub in the file, or of one above it
                assert r["should"] and r["should"] != r["label"], (path.name, r["label"])
                assert first > 1 or r["should"] in labels, (path.name, r["label"])


def test_an_unjudged_row_stops_the_count():
    rows = [{"verdict": "right", "label": "LoRA"}, {"verdict": "", "label": "SOTA"}]
    with pytest.raises(SystemExit, match="SOTA"):
        tally(rows)
    assert tally(rows[:1]) == {"right": 1}


def test_verdicts_carry_over_by_label_and_type():
    judged = [
        {"label": "VQA", "type": "Dataset", "verdict": "wrong type", "should": "Task", "note": "n"},
        {"label": "LoRA", "type": "Method", "verdict": "right", "should": "", "note": ""},
    ]
    rows = [
        {"label": "VQA", "type": "Task", "papers": 9},
        {"label": "LoRA", "type": "Method", "papers": 8},
        {"label": "QLoRA", "type": "Method", "papers": 7},
    ]
    carried = carry(rows, judged)
    assert [(r["label"], r["verdict"]) for r in carried] == [("VQA", ""), ("LoRA", "right"), ("QLoRA", "")]
    assert carried[0]["note"] == "was Dataset: wrong type"


def test_hubs_are_the_entities_in_the_most_papers(tmp_path):
    papers = [paper(f"arxiv:2501.2000{i}", f"Paper {i}", "We fine-tune LoRA adapters on COCO.") for i in range(3)]
    extractions = [extraction(p, ent("LoRA", "Method"), ent("COCO", "Dataset")) for p in papers[:2]]
    extractions.append(extraction(papers[2], ent("LoRA", "Method")))
    build(tmp_path / "s", extractions)
    found = hubs(tmp_path / "s", 2)
    assert [(h["rank"], h["label"], h["type"], h["papers"]) for h in found] == [
        (1, "LoRA", "Method", 3),
        (2, "COCO", "Dataset", 2),
    ]
    assert [(h["rank"], h["label"]) for h in hubs(tmp_path / "s", 2, skip=1)] == [(2, "COCO")]
