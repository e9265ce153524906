"""The roles' cue scans: `_last` looks for a cue after a character that ends a word (a faster
search) and finds the matches `finditer` finds; `_either_case` alternations match as the plain
case-insensitive ones."""

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
    scanned |= {c.pattern for c in (roles._IN_TERMS_OF, roles._ON, roles._COMPARED)}
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
