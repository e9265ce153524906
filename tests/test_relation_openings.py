"""The gap patterns of `kg.relations.sentence_relation_patterns` are tried only when the word a gap
opens with allows them (`_OPENINGS`): that gate must never rule out a gap its pattern matches."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from paperkg.kg import relations
from paperkg.kg.relations import Span, sentence_relation_patterns

# each gated name with the patterns it gates
GATED = {
    "such-as": [relations._SUCH_AS],
    "and-other": [relations._AND_OTHER],
    "is-a": [relations._IS_A],
    "compare": [relations._COMPARE],
    "pair-mid": [relations._PAIR_MID],
    "part-of": [relations._PART_OF],
    "used-for": [relations._USED_FOR],
    "using": [relations._USED_BY],
    "builds-on": [relations._BUILDS_ON],
    "described-builds-on": [relations._DESCRIBED_BUILDS_ON],
    "appositive": [relations._APPOSITION, relations._DESCRIBED_FOR],
    "achieves-in": [relations._ACHIEVES_IN],
    "trained-from": [relations._TRAINED_FROM],
    "improves": [relations._IMPROVES],
}
FIXTURES = Path(__file__).parent / "fixtures" / "relations"
TYPES = ("Method", "Dataset", "Task", "Model", "Metric", "Concept")


def real_sentences() -> list[str]:
    """The sentences of the hand-judged arXiv relations (tests/fixtures/relations/audit*.jsonl)."""
    rows = (json.loads(line) for f in sorted(FIXTURES.glob("audit*.jsonl")) for line in f.open() if line.strip())
    return sorted({row["sentence"] for row in rows})


def word_spans(text: str) -> list[Span]:
    """A mention on every word, of every type in turn: pairs with every gap the sentence has."""
    words = re.finditer(r"[\w-]+", text)
    return [Span(m.start(), m.end(), TYPES[k % len(TYPES)], m.group()) for k, m in enumerate(words)]


def test_the_gates_name_every_entry():
    assert set(GATED) == set(relations._OPENINGS)


@pytest.mark.parametrize(
    ("name", "gap"),
    [
        ("such-as", " architectures such as "),
        ("such-as", " (CNNs), such as the "),
        ("such-as", " modelsuch as "),  # the pattern's spaces may be empty
        ("such-as", ", e.g., "),
        ("and-other", ", and other "),
        ("is-a", " is a variant of the "),
        ("is-a", " (SAE) one form of "),
        ("compare", " significantly Outperforms the "),
        ("compare", " vs. "),
        ("compare", " performs on par with "),
        ("pair-mid", " (RL) against "),
        ("part-of", " encoders of the "),
        ("used-for", " is widely used for the task of "),
        ("used-for", " to "),
        ("using", ", leveraging "),
        ("using", " by means of "),
        ("builds-on", " which fine-tunes "),
        ("builds-on", " integrating the specific frozen "),
        ("described-builds-on", ": Leveraging "),
        ("described-builds-on", ", a framework built upon "),
        ("appositive", ", a novel video "),
        ("appositive", " is a "),
        ("appositive", ": A Benchmark Dataset for "),
        ("achieves-in", " consistently achieves state-of-the-art performance in "),
        ("achieves-in", " sets new results on "),
        ("trained-from", ", a 14B-parameter model fine-tuned from "),
        ("trained-from", " pre-trained on "),
        ("improves", " substantially improves "),
        ("improves", " can EQUIP "),
    ],
)
def test_a_gap_its_pattern_matches_passes_the_gate(name, gap):
    assert any(p.match(gap) for p in GATED[name])
    assert name in relations._gap_openers(gap)


@pytest.mark.parametrize(
    ("gap", "closed"),
    [
        (" and ", ["such-as", "is-a", "compare", "part-of", "appositive", "trained-from", "improves"]),
        (" (LLMs) in ", ["pair-mid", "part-of", "appositive", "described-builds-on", "using"]),
        (" (A) (B) such as ", list(GATED)),  # one parenthesis belongs to the mention, not two
        (", we ", list(GATED)),  # a comma opens only the patterns whose next word may follow it
        (": the ", [name for name in GATED if name != "appositive"]),
    ],
)
def test_the_gate_rules_out_what_a_gap_cannot_open(gap, closed):
    assert not set(closed) & relations._gap_openers(gap)


def test_no_gap_of_real_sentences_is_ruled_out_by_its_pattern():
    """Every gap between two words of the judged sentences (at most 160 characters, as
    `sentence_relation_patterns` reads): a pattern that matches it passes its gate."""
    missed = []
    for text in real_sentences():
        ends = [m.end() for m in re.finditer(r"[\w-]+", text)]
        starts = [m.start() for m in re.finditer(r"[\w-]+", text)]
        for end in ends:
            for start in (s for s in starts if end <= s <= end + 160):
                gap = text[end:start]
                opens = relations._gap_openers(gap)
                missed += [
                    (name, gap) for name, ps in GATED.items() if name not in opens and any(p.match(gap) for p in ps)
                ]
    assert missed == []


def test_the_gated_patterns_find_what_all_patterns_tried_find(monkeypatch):
    """The same relations with the gate as with every pattern tried for every pair, over a mention
    on every word of the judged sentences."""
    sentences = real_sentences()
    assert len(sentences) > 500
    gated = [sentence_relation_patterns(text, word_spans(text)) for text in sentences]
    assert sum(map(len, gated)) > 1000  # the sentences state many relations
    monkeypatch.setattr(relations, "_openers", lambda word: frozenset(relations._OPENINGS))
    assert gated == [sentence_relation_patterns(text, word_spans(text)) for text in sentences]
