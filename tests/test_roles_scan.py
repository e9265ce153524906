"""The roles' cue scans: `_last` looks for a cue after a character that ends a word (a faster
search) and finds the matches `finditer` finds; `_either_case` alternations match as the plain
case-insensitive ones; a sentence's `_reach` never says a cue is absent from the words before a
mention when it is there."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from paperkg.kg import roles

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from roles import load  # noqa: E402

EDGES = [
    "We propose X.",  # a cue at the text's start
    "experiments on on the benchmark",  # a cue right where the one before ends
    "compared to versus the baseline, outperforms over SFT",
    "(using CLIP) and [via LoRA], self-using, based on-device, -via",
    "Überall we introduce é-models; MMEL introduces Ñu, this paper presents",
    "we\tpropose\nthrough  the  use, in terms of accuracy and measured by F1",
    "",
    "on",
]


def _finditer_last(cue: re.Pattern, text: str, start: int) -> int:
    ends = [m.end() for m in cue.finditer(text, start)]
    return ends[-1] if ends else -1


@pytest.mark.parametrize("name", ["_PROPOSE", "_USE", "_BUILT_WITH", "_IMPROVE", "_IN_TERMS_OF", "_ON", "_COMPARED"])
def test_last_finds_the_last_match_finditer_finds_from_every_start(name):
    cue = getattr(roles, name)
    texts = EDGES + [p["abstract"] for p in load()[:10]]
    checked = 0
    for text in texts:
        for start in range(len(text) + 1):
            assert roles._last(cue, text, start) == _finditer_last(cue, text, start), (name, text[start:][:60])
            checked += _finditer_last(cue, text, start) >= 0
    assert checked  # the texts hold matches of every cue


def test_every_cue_read_by_last_has_its_search_after_a_break():
    scanned = {c.pattern for c in (roles._PROPOSE, roles._USE, roles._BUILT_WITH, roles._IMPROVE)}
    scanned |= {c.pattern for c in (roles._IN_TERMS_OF, roles._ON, roles._COMPARED, roles._AGENT_AT, roles._EVALUATION)}
    assert set(roles._AFTER_BREAK) == scanned
    for pattern, after_break in roles._AFTER_BREAK.items():
        assert after_break.pattern == rf"\W(?:{pattern})"


def test_either_case_matches_what_the_case_insensitive_alternation_matches():
    words = r"using|utili[sz]ing|based on|build(?:ing)? (?:up)?on|via|thanks to|xz|yz"
    either = re.compile(rf"\b(?:{roles._either_case(words)})\b", re.IGNORECASE)
    plain = re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
    text = "Using USING utilising Utilizing based On BUILDING UPON build on Via thanks TO xz Yz usingx ousing"
    assert [m.span() for m in either.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(either.findall(text)) == 11
    # one test of a first letter for the alternatives that share it, in their order
    assert roles._either_case("using|via|utilising") == "(?-i:[Uu])(?:sing|tilising)|(?-i:[Vv])(?:ia)"


def test_either_case_refuses_an_alternative_that_does_not_open_with_a_letter():
    with pytest.raises(ValueError):
        roles._either_case(r"using|(?:x|y)z")
    with pytest.raises(ValueError):
        roles._either_case(r"using|\bvia")


# letters IGNORECASE matches with other characters (dotless i, the Kelvin sign, the long s), at a
# text's start, in a word, and in words that hold a cue only through such a letter
UNUSUAL = [
    "\u0130ntroduce X here; we \u0131ntroduce Y and u\u017fe Z, then te\u017ft on W",
    "a \u212ael over; overcome on\tX, vs. Y, compared  with Z in terms of F1, measured by BLEU",
    "Building on X, we build upon Y (built on Z) to address W; it relies on V",
]


def _texts() -> list[str]:
    return EDGES + UNUSUAL + [p["abstract"] for p in load()[:10]]


def test_case_extras_are_what_ignorecase_matches_with_an_ascii_letter():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        others = set(re.findall(letter, every, re.IGNORECASE)) - {letter, letter.upper()}
        assert others == set(roles._CASE_EXTRAS.get(letter, "")), letter


def test_reach_never_hides_a_cue_before_a_mention():
    skipped = 0
    for text in _texts():
        reach = roles._reach(text)
        assert set(reach) == set(roles._REACH_CUES)
        for cue in (roles._PROPOSE, roles._USE, roles._BUILT_WITH, roles._IMPROVE, roles._ON, roles._COMPARED):
            for start in range(len(text) + 1):
                before = text[:start]
                if roles._last(cue, before) >= 0:
                    assert reach[cue.pattern] <= start, (cue.pattern[:30], before[-60:])
                    assert roles._last_near(cue, before, reach) == roles._last(cue, before, roles._near_start(before))
                skipped += reach[cue.pattern] > start
        for start in range(len(text) + 1):
            if roles._IN_TERMS_OF.search(text[:start]):
                assert reach[roles._IN_TERMS_OF.pattern] <= start
    assert skipped  # and it spares some scans


def test_reach_sees_each_group_of_needed_words_where_its_word_opens():
    for words, _, cues in roles._NEEDED_WORDS:
        for word in words.split("|"):
            for text in (f"{word} ", f"x {word.upper()} y", f"({word}\t"):
                at = text.lower().index(word)
                for cue in cues:  # no other group's word hides it
                    assert roles._reach(text)[cue.pattern] <= at + len(word), (word, text)


def test_reach_is_past_the_end_without_needed_words():
    assert set(roles._reach("Large language models (LLMs).").values()) == {len("Large language models (LLMs).") + 1}


@pytest.mark.parametrize("name", ["_AGENT_AT", "_EVALUATION"])
def test_occurs_is_whether_search_finds_the_cue(name):
    cue = getattr(roles, name)
    found = 0
    for text in _texts():
        for start in range(0, len(text) + 1, 3):
            for part in (text[start:], text[:start]):
                assert roles._occurs(cue, part) == (cue.search(part) is not None), (name, part[:60])
                found += roles._occurs(cue, part)
    assert found


def _alternatives(source: str) -> list[str]:
    """The top-level alternatives of a regex source (an outer `(?:...)` removed)."""
    if source.startswith("(?:") and source.endswith(")"):
        source = source[3:-1]
    parts, depth, start = [], 0, 0
    for at, char in enumerate(source):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(source[start:at])
            start = at + 1
    return [*parts, source[start:]]


@pytest.mark.parametrize(
    "source, cue",
    [
        (roles._MAKE, roles._PROPOSE),
        (roles._BUILD_VERBS, roles._USE),
        (roles._BUILD_VERBS, roles._BUILT_WITH),
        (roles._IMPROVE.pattern.removeprefix(r"\b").removesuffix(r"\w*\b"), roles._IMPROVE),
    ],
    ids=["make", "build-use", "build-built-with", "improve"],
)
def test_every_verb_a_cue_reads_has_its_needed_word(source, cue):
    """A verb added to a cue's list without its word in `_NEEDED_WORDS` would let `_reach` hide it."""
    needed = [w for words, _, cues in roles._NEEDED_WORDS if cue in cues for w in words.split("|")]
    alternatives = _alternatives(source)
    assert len(alternatives) > 3
    for alternative in alternatives:
        lead = re.match(r"[a-z]+", alternative).group()
        assert any(lead.startswith(w) or w.startswith(lead) for w in needed), alternative
