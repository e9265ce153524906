"""bench/relations.py: lenient one-to-one matching against SciERC, and the judged audit rows."""

from __future__ import annotations

import json

import numpy
import pytest
from graph_papers import build, ent, extraction, paper, scored

import bench.relations as bench_relations
from bench.relations import (
    ADDED_AUDITED,
    AUDIT,
    AUDIT_ADDED,
    AUDIT_BAND,
    AUDIT_BUILT_ON,
    AUDIT_HELD_OUT,
    AUDIT_HELD_OUT_RELIABLE,
    AUDIT_SPLIT,
    BAND,
    QUESTION_SUBJECTS,
    QUESTIONS,
    QUESTIONS_OTHERS,
    RELIABLE_AUDITED,
    Gold,
    Predicted,
    argument_losses,
    audit,
    audit_rows,
    construction,
    diagnose,
    loss_table,
    matching,
    one_to_one,
    pair_fates,
    question_audit,
    score,
    weighed,
)
from paperkg.extract.relation_scorer import RelationScorer
from paperkg.extract.scierc import running_text, spans_match
from paperkg.schema.namespaces import RELATIONS
from paperkg.schema.relations import scierc_relation

# the entities of the hand-made extractions below: two tools, their task, a generic word
TOOLS = (
    ent("GIZA++", "Method"),
    ent("machine translation", "Task"),
    ent("features", "Concept", "Features"),
    ent("Moses", "Method"),
)


class Extracted:
    """An extractor that gives extractions made by hand."""

    def __init__(self, *extractions):
        self.extractions = extractions

    def extract(self, papers):
        assert [p.key for p in papers] == [ex.paper.key for ex in self.extractions]
        return list(self.extractions)


def test_spans_match_leniently_by_containment_or_a_shared_end():
    assert spans_match((0, 10), (4, 10))  # "deep networks" for "networks"
    assert spans_match((4, 10), (0, 12))  # inside the gold span
    assert spans_match((2, 10), (5, 10))
    assert not spans_match((0, 6), (4, 10))  # overlapping, neither inside, different ends
    assert not spans_match((0, 4), (4, 10))


def test_running_text_keeps_each_tokens_offset():
    text, starts = running_text(["a", "method", "(", "AM", ")", ",", "it", "'s"])
    assert text == "a method (AM), it's"
    assert [text[s : s + len(w)] for s, w in zip(starts, ["a", "method", "(", "AM", ")", ",", "it", "'s"])] == [
        "a",
        "method",
        "(",
        "AM",
        ")",
        ",",
        "it",
        "'s",
    ]


def test_each_gold_relation_is_matched_once_and_symmetric_ones_either_way():
    gold = [Gold("p", "USED-FOR", (0, 5), (10, 15)), Gold("p", "COMPARE", (20, 25), (30, 35))]
    twice = Predicted("p", "USED-FOR", False, {(0, 5)}, {(10, 15)})
    again = Predicted("p", "USED-FOR", False, {(1, 5)}, {(10, 15)})
    reversed_compare = Predicted("p", "COMPARE", True, {(30, 35)}, {(20, 25)})
    reversed_use = Predicted("p", "USED-FOR", False, {(10, 15)}, {(0, 5)})
    other_paper = Predicted("q", "USED-FOR", False, {(0, 5)}, {(10, 15)})
    predicted = [twice, again, reversed_compare, reversed_use, other_paper]
    assert one_to_one(predicted, gold) in ({0, 2}, {1, 2})
    rows = score(predicted, gold)
    assert (rows["micro"]["found"], rows["micro"]["right"], rows["micro"]["gold"]) == (5, 2, 2)
    assert rows["USED-FOR"]["P"] == 0.25 and rows["COMPARE"]["R"] == 1.0


def test_a_graph_relation_is_put_in_sciercs_argument_order():
    for relation in RELATIONS:
        label, swapped = scierc_relation(relation)
        p = Predicted.of("p", relation)
        p.add({(0, 5)}, {(10, 15)})  # subject, object
        first, second = ((10, 15), (0, 5)) if swapped else ((0, 5), (10, 15))
        assert p.label == label and (p.firsts, p.seconds) == ({first}, {second}), relation
        assert one_to_one([p], [Gold("p", label, first, second)]) == {0}


def test_the_matching_says_which_prediction_each_gold_relation_took():
    gold = [Gold("p", "USED-FOR", (0, 5), (10, 15)), Gold("p", "USED-FOR", (20, 25), (30, 35))]
    wide = Predicted("p", "USED-FOR", False, {(0, 5), (20, 25)}, {(10, 15), (30, 35)})  # fits both
    narrow = Predicted("p", "USED-FOR", False, {(0, 5)}, {(10, 15)})  # fits the first only
    assert matching([wide, narrow], gold) == {0: 1, 1: 0}


def test_the_diagnosis_counts_each_gold_relation_where_it_is_first_lost(tmp_path):
    sentences = [
        "GIZA++ is used for machine translation .",  # found
        "Features help Moses .",  # "features": a generic word, not linked
        "It helps Moses .",  # "It": SciERC's Generic mention
        "Parsing helps tagging .",  # no mentions
        "BLEU helps Moses .",  # the scorer's best, below its threshold
        "BLEU goes with Moses .",  # the scorer's best is a conjunction
        "BLEU , GIZA++ , Moses and Pharaoh help SRILM .",  # three mentions between: no pair scored
    ]
    words = [w for s in sentences for w in s.split()]
    text, starts = running_text(words)
    at = {}  # (sentence, word) -> token index
    for n, (i, w) in enumerate((i, w) for i, s in enumerate(sentences) for w in s.split()):
        at.setdefault((i, w), n)
    relations = [
        ((0, "GIZA++"), (0, "translation"), (0, "machine")),
        ((1, "Features"), (1, "Moses"), None),
        ((2, "It"), (2, "Moses"), None),
        ((3, "Parsing"), (3, "tagging"), None),
        ((4, "BLEU"), (4, "Moses"), None),
        ((5, "BLEU"), (5, "Moses"), None),
        ((6, "BLEU"), (6, "SRILM"), None),
    ]
    tokens = []
    for first, second, opening in relations:
        a = at[first]
        b = at[opening] if opening else at[second]
        tokens.append((a, a, b, at[second], "USED-FOR"))
    doc = {
        "doc_key": "x",
        "sentences": [words],
        "ner": [[[at[(2, "It")], at[(2, "It")], "Generic"]]],
        "relations": [[[a1, a2, b1, b2, label] for a1, a2, b1, b2, label in tokens]],
    }
    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps(doc), encoding="utf-8")
    p = paper("scierc:x", "", text)
    ex = extraction(p, *TOOLS, ent("BLEU", "Metric"), ent("Pharaoh", "Method"), ent("SRILM", "Method"))
    papers, gold = bench_relations.scierc_papers(dev)
    assert [x.abstract for x in papers] == [text] and len(gold) == 7

    # "for" between two mentions makes a use, "helps" one below the threshold, "with" a conjunction
    scorer = RelationScorer(None, "paperkg_relations", max_pairs=200, threshold=0.5)
    features = ["bias", "bw=for", "bw=helps", "bw=with"]
    weights = numpy.zeros((4, 4))
    weights[0, 0], weights[1, 1], weights[2, 1], weights[3, 3] = 2, 5, 1.5, 5
    scorer.initialize(features=features, classes=["none", "usedFor>", "usedFor<", "conjunctionWith"], weights=weights)
    giza = next(j for j, g in enumerate(gold) if g.first[0] == 0)  # the graph's statement matches it
    found = diagnose(Extracted(ex), scorer, dev, papers, gold, matched={giza})
    assert dict(found["all"]) == {
        "in the graph": 1,
        "argument dropped as generic": 1,
        "argument generic": 1,
        "argument not found": 1,
        "scored below threshold": 1,
        "scored another relation": 1,
        "pair not scored": 1,
    }
    assert found["USED-FOR"] == found["all"]
    # not matched, the first relation is what the graph states: the matching gave it to none
    assert (
        diagnose(Extracted(ex), scorer, dev, papers, gold, matched=set())["all"]["relation mention, no statement"] == 1
    )
    assert "in the graph" in loss_table(found).splitlines()[2]


def test_each_gold_argument_is_counted_where_the_graph_loses_it(tmp_path):
    words = "GIZA++ uses statistical machine translation features . The method helps Moses . Our method wins .".split()
    text, starts = running_text(words)
    dev = tmp_path / "dev.jsonl"
    # token spans, SciERC's inclusive ends: GIZA++ 0, the translation 2-4, features 5, method 8, Moses 10,
    # "Our method" 12-13
    doc = {
        "doc_key": "x",
        "sentences": [words],
        "ner": [
            [
                [0, 0, "Method"],
                [2, 4, "Task"],
                [5, 5, "OtherScientificTerm"],
                [8, 8, "Generic"],
                [10, 10, "Method"],
                [12, 13, "Generic"],
            ]
        ],
        "relations": [
            [
                [0, 0, 2, 4, "USED-FOR"],
                [5, 5, 0, 0, "FEATURE-OF"],
                [8, 8, 10, 10, "USED-FOR"],
                [12, 13, 0, 0, "COMPARE"],
            ]
        ],
    }
    dev.write_text(json.dumps(doc), encoding="utf-8")
    p = paper("scierc:x", "", text)
    # the extractor runs the task on into "features" (which it contains) and finds no Moses; the graph
    # leaves that mention out
    ex = extraction(p, ent("GIZA++", "Method"), ent("machine translation features", "Task"))
    giza = (starts[0], starts[0] + len("GIZA++"))
    found = argument_losses(Extracted(ex), dev, [p], {p.key: [giza]})
    losses = ("arguments", "in the graph", "generic", "own work", "not found", "boundary", "not linked")
    assert {k: found[k] for k in losses} == {
        "arguments": 6,
        "in the graph": 1,
        "generic": 1,
        "own work": 1,
        "not found": 1,
        "boundary": 1,
        "not linked": 1,
    }
    assert found["by label"]["Task"]["boundary"] == 1 and found["by label"]["Method"]["not found"] == 1
    assert found["examples"]["own work"] == ["Our method"] and found["examples"]["generic"] == ["method"]


def test_the_audit_fixture_is_judged_row_by_row(tmp_path):
    rows = [json.loads(line) for line in AUDIT.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 100
    assert {r["judged"] for r in rows} <= {"correct", "wrong type", "wrong arguments"}
    assert all(r["relation"] in RELATIONS and r["subject"] in r["sentence"] for r in rows)
    judged = tmp_path / "audit.jsonl"
    judged.write_text(
        "\n".join(
            json.dumps({"relation": "usedFor", "reliable": reliable, "score": 0.9, "patterns": [], "judged": j})
            for reliable, j in [(True, "correct"), (True, "wrong type"), (False, "correct"), (False, "correct")]
        ),
        encoding="utf-8",
    )
    found = audit(judged)
    assert (found["all"]["precision"], found["reliable"]["precision"], found["not reliable"]["precision"]) == (
        0.75,
        0.5,
        1.0,
    )
    assert found["patterns only"]["rows"] == 0 and found["patterns only"]["precision"] is None
    assert list(found["by relation"]) == ["usedFor"] and found["by relation"]["usedFor"]["rows"] == 4


def test_the_audit_counts_each_relations_rows_apart(tmp_path):
    judged = _write(
        tmp_path / "audit.jsonl",
        [
            {"relation": relation, "reliable": False, "score": 0.9, "patterns": [], "judged": j}
            for relation, j in [("usedFor", "correct"), ("usedFor", "wrong arguments"), ("hyponymOf", "wrong type")]
        ],
    )
    found = audit(judged)["by relation"]
    assert found["usedFor"] == {"rows": 2, "precision": 0.5, "wrong type": 0, "wrong arguments": 1}
    assert found["hyponymOf"] == {"rows": 1, "precision": 0.0, "wrong type": 1, "wrong arguments": 0}


@pytest.mark.parametrize(
    ("path", "rows", "precision"), [(AUDIT_HELD_OUT, 100, 0.75), (AUDIT_HELD_OUT_RELIABLE, 50, 0.94)]
)
def test_the_held_out_audits_are_judged_row_by_row(path, rows, precision):
    judged = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(judged) == rows and {r["judged"] for r in judged} <= {"correct", "wrong type", "wrong arguments"}
    assert all(r["relation"] in RELATIONS for r in judged)  # a proposal's argument is written elsewhere
    assert audit(path)["all"]["precision"] == precision


def test_the_reliable_draw_takes_only_reliable_statements_rows(tmp_path):
    # GIZA++ for machine translation in two papers is reliable; Moses for it, in one, is not
    text = "GIZA++ is used for machine translation. Moses helps machine translation."
    first = scored(extraction(paper("x:1", "", text), *TOOLS), "GIZA++", "usedFor", "machine translation", 0.9)
    second = scored(extraction(paper("x:2", "", text), *TOOLS), "GIZA++", "usedFor", "machine translation", 0.9)
    build(tmp_path / "s", [scored(first, "Moses", "usedFor", "machine translation", 0.9), second])
    every = audit_rows(tmp_path / "s")
    assert {r["subject"] for r in every} == {"GIZA++", "Moses"}
    drawn = audit_rows(tmp_path / "s", RELIABLE_AUDITED, reliable=True)
    assert [(r["subject"], r["reliable"]) for r in drawn] == [("GIZA++", True), ("GIZA++", True)]
    assert drawn == audit_rows(tmp_path / "s", RELIABLE_AUDITED, reliable=True)  # seeded


def test_the_question_audit_judges_every_asked_answer(tmp_path):
    for path in [QUESTIONS, *QUESTIONS_OTHERS.values()]:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert {r["judged"] for r in rows} == {"right", "wrong"}, path.name
        assert {(r["question"], r["subject"]) for r in rows} == {
            (q, s) for q, (_, subjects) in QUESTION_SUBJECTS.items() for s in subjects
        }, path.name
    judged = tmp_path / "questions.jsonl"
    # methods-for-task: 3 right of 4 answers over 5 subjects' 50 places; most-used-datasets: 1 of 1 of 50
    judged.write_text(
        "\n".join(
            json.dumps({"question": q, "judged": j})
            for q, j in [("methods-for-task", "right")] * 3
            + [("methods-for-task", "wrong"), ("most-used-datasets", "right")]
        ),
        encoding="utf-8",
    )
    found = question_audit(judged)
    assert found["methods-for-task"] == {"answers": 4, "precision": 0.75, "right of 10": 0.6}
    assert found["most-used-datasets"] == {"answers": 1, "precision": 1.0, "right of 10": 0.2}
    assert found["mean precision"] == 0.875 and found["mean right of 10"] == 0.4


def test_the_band_fixture_holds_rows_the_scorer_alone_found_in_the_band():
    rows = [json.loads(line) for line in AUDIT_BAND.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 40
    assert {r["judged"] for r in rows} <= {"correct", "wrong type", "wrong arguments"}
    assert all(BAND[0] <= r["score"] < BAND[1] and not r["patterns"] for r in rows)
    assert all(r["relation"] in RELATIONS and r["subject"] in r["sentence"] for r in rows)


def test_the_added_fixture_holds_judged_rows_of_what_the_change_added():
    rows = [json.loads(line) for line in AUDIT_ADDED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == ADDED_AUDITED and {r["drawn for"] for r in rows} == {"added"}
    assert {r["judged"] for r in rows} <= {"correct", "wrong type", "wrong arguments"}
    assert all(r["relation"] in RELATIONS and r["subject"] in r["sentence"] for r in rows)
    assert bench_relations.pattern_audit(AUDIT_ADDED)["added"]["rows"] == ADDED_AUDITED


@pytest.mark.parametrize(("path", "rows", "precision"), [(AUDIT_BUILT_ON, 22, 0.955), (AUDIT_SPLIT, 40, 0.65)])
def test_the_fixtures_of_added_rows_are_judged_row_by_row(path, rows, precision):
    judged = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(judged) == rows and {r["drawn for"] for r in judged} == {"added"}
    assert {r["judged"] for r in judged} <= {"correct", "wrong type", "wrong arguments"}
    assert all(r["relation"] in RELATIONS for r in judged)  # a proposal's argument is written elsewhere
    assert bench_relations.pattern_audit(path)["added"]["precision"] == precision


def test_the_built_on_fixture_holds_rows_of_the_pattern_it_audits():
    rows = [json.loads(line) for line in AUDIT_BUILT_ON.read_text(encoding="utf-8").splitlines()]
    assert all(r["patterns"] == ["described-builds-on"] and r["relation"] == "usedFor" for r in rows)


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def test_a_builds_rows_are_weighed_by_the_precision_of_what_found_them(tmp_path, monkeypatch):
    correct, wrong = {"judged": "correct"}, {"judged": "wrong type"}
    # audit.jsonl: patterns 1 of 2 right, the scorer alone 1 of 4
    monkeypatch.setattr(
        bench_relations,
        "AUDIT",
        _write(
            tmp_path / "a.jsonl",
            [{"patterns": ["using"], **correct}, {"patterns": ["using"], **wrong}]
            + [{"patterns": [], **correct}]
            + [{"patterns": [], **wrong}] * 3,
        ),
    )
    # per pattern: coordinated 1 of 1, apposition 0 of 1
    monkeypatch.setattr(
        bench_relations,
        "AUDIT_PATTERNS",
        _write(tmp_path / "p.jsonl", [{"drawn for": "coordinated", **correct}, {"drawn for": "apposition", **wrong}]),
    )
    # the second round's rows of a pattern count with the first's: apposition 1 of 2 in all
    monkeypatch.setattr(
        bench_relations, "AUDIT_PATTERNS_2", _write(tmp_path / "p2.jsonl", [{"drawn for": "apposition", **correct}])
    )
    # the band: 0.2 to 0.3 none right, 0.3 to 0.45 1 of 1
    monkeypatch.setattr(
        bench_relations,
        "AUDIT_BAND",
        _write(tmp_path / "b.jsonl", [{"score": 0.25, **wrong}, {"score": 0.3, **correct}]),
    )
    rows = [
        {"patterns": ["coordinated", "using"], "score": None},  # an audited pattern's: 1.0
        {"patterns": ["coordinated", "apposition"], "score": 0.9},  # the mean of two: 0.75
        {"patterns": ["using"], "score": None},  # another pattern's: 0.5
        {"patterns": [], "score": 0.5},  # the scorer alone: 0.25
        {"patterns": [], "score": 0.35},  # in the band: 0.5 for 0.2-0.45
    ]
    found = weighed(rows, (0.2, 0.45))
    assert found["precision"] == round((1.0 + 0.75 + 0.5 + 0.25 + 0.5) / 5, 3)
    assert found["audited patterns"] == {"rows": 2, "precision": 0.875}
    assert found["scorer alone, band"] == {"rows": 1, "precision": 0.5}
    assert weighed(rows, (0.3, 0.45))["scorer alone, band"]["precision"] == 1.0
    assert "scorer alone, band" not in weighed(rows[:4], (0.45, 0.45))
    with pytest.raises(ValueError, match="below the band"):
        weighed(rows, (0.4, 0.45))
    with pytest.raises(ValueError, match="no judged row"):
        weighed([{"patterns": [], "score": 0.1}], (0.1, 0.2))


def test_the_scorers_relations_are_counted_by_what_linking_leaves_of_their_arguments():
    text = "GIZA++ is used for machine translation. Features help Moses. Our method helps Moses."
    p = paper("x:1", "", text)
    ex = extraction(p, *TOOLS)
    ex = scored(scored(ex, "GIZA++", "usedFor", "machine translation", 0.9), "Features", "usedFor", "Moses", 0.9)
    ex = scored(ex, "Our method", "usedFor", "Moses", 0.9)  # the paper proposes nothing
    found = bench_relations.scorer_fates(Extracted(ex), [p])
    assert found == {"arguments linked": 1, "argument generic": 1, "own work, no proposal": 1}


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        (", ", "list"),
        (" (LLMs), and ", "list"),  # the first mention's acronym is its own, not a bracket between
        (" (", "bracket"),
        (", a training-free framework built on ", "apposition"),
        (" significantly outperforms ", "comparison"),
        (" achieves 80.1% ", "achieves, reports"),
        (" is evaluated on the ", "on, across (a dataset)"),
        (" is fine-tuned with ", "with, using, built on"),
        (" is used for ", "for, to"),
        (" remains limited because ", "other"),
        ("x" * 121, "far apart"),
    ],
)
def test_the_wording_between_two_mentions_is_named_by_the_first_construction_that_applies(gap, expected):
    assert construction(gap) == expected


def test_the_pairs_of_a_sentences_mentions_are_counted_related_or_by_what_stands_between():
    text = "GIZA++ is used for machine translation, unlike Moses. Moses remains limited because of GIZA++."
    p = paper("x:1", "", text)
    found = pair_fates(Extracted(extraction(p, *TOOLS)), [p])
    assert found["pairs"] == 4 and found["related"] == 1  # GIZA++ usedFor machine translation
    assert found["by linked mentions between"] == {"0": {"pairs": 3, "related": 1}, "1": {"pairs": 1}}
    assert found["unrelated, by the wording between"] == {"other": 1, "in, of, from": 1, "for, to": 1}
    assert found["unrelated, by types"] == {"Method / Method": 2, "Task / Method": 1}


def test_each_relation_is_counted_right_and_kept_at_each_threshold():
    from paperkg.extract.relation_training import PairSet

    scorer = RelationScorer(None, "paperkg_relations", max_pairs=200, threshold=0.5)
    # "for" makes a sure use, "with" a conjunction at 0.49; a pair of no feature is a use at 0.25
    # (every class alike), the wrong way round here
    weights = numpy.zeros((3, 4))
    weights[1, 1], weights[2, 0], weights[2, 3] = 6, 1.0, 1.5
    scorer.initialize(
        features=["bias", "bw=for", "bw=with"],
        classes=["none", "usedFor>", "usedFor<", "conjunctionWith"],
        weights=weights,
    )
    pairs = PairSet(
        [["bias", "bw=for"], ["bias", "bw=for"], ["bias", "bw=with"], ["bias"]],
        ["usedFor>", "none", "conjunctionWith", "usedFor<"],
    )
    rows = bench_relations.label_thresholds(scorer, pairs)
    assert rows["usedFor"]["gold"] == 2 and (rows["usedFor"]["0.25"], rows["usedFor"]["0.70"]) == ("1/3", "1/2")
    assert rows["conjunctionWith"]["gold"] == 1
    assert (rows["conjunctionWith"]["0.45"], rows["conjunctionWith"]["0.50"]) == ("1/1", "0/0")


def test_the_rows_a_change_adds_are_those_the_builds_before_it_lack(tmp_path):
    text = "GIZA++ is used for machine translation. Moses helps machine translation."
    ex = extraction(paper("x:1", "", text), *TOOLS)
    before = scored(ex, "GIZA++", "usedFor", "machine translation", 0.9)
    after = scored(before, "Moses", "usedFor", "machine translation", 0.9)
    build(tmp_path / "before", [before])
    build(tmp_path / "after", [after])
    rows = bench_relations.added_rows([tmp_path / "after"], [tmp_path / "before"])
    assert [(r["subject"], r["relation"], r["object"]) for r in rows] == [("Moses", "usedFor", "machine translation")]
    assert rows[0]["sentence"] == "Moses helps machine translation." and rows[0]["judged"] is None
    assert bench_relations.added_rows([tmp_path / "before"], [tmp_path / "before"]) == []
