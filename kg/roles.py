"""The role a sentence gives an entity in its paper: proposes, uses, evaluatesOn, reports, addresses.

A small set of precise cues, read from the mention's own sentence; anything without a cue is a
plain `mentions`. Roles depend only on the paper's own text and the type its extractor gave the
mention, so a paper's roles never change when other papers are added.
"""

from __future__ import annotations

import re

ROLES = ("proposes", "uses", "evaluatesOn", "reports", "addresses", "mentions")

_AGENT = r"(?:we|this (?:paper|work|study|article)|our (?:paper|work|study))"
_FILLER = r"(?:\w+\s+){0,3}?"
# "we propose", "we first introduce", "this paper presents"; the proposal is what follows
_PROPOSE = re.compile(
    rf"\b{_AGENT}\s+{_FILLER}(?:propos|introduc|present|develop|design|devis|contribut|releas|"
    r"creat|build|construct|formulat)\w*\b|\b(?:called|named|dubbed|termed|coined)\b|\bour proposed\b",
    re.IGNORECASE,
)
_USE = re.compile(
    rf"\b{_AGENT}\s+{_FILLER}(?:use|utili[sz]e|employ|leverag|adopt|apply|exploit|rely on|build on|"
    r"fine-?tun|train|analy[sz]|prob|examin|investigat|stud)\w*\b|"
    r"\b(?:using|utili[sz]ing|employing|leveraging|adopting|applying|based on|built on|via|"
    r"with the help of|by means of|through)\b",
    re.IGNORECASE,
)
# words that end the stretch of a sentence a propose/use cue governs
_STOP = re.compile(
    r"[;:]|,\s*(?:which|where|while|whereas)\b|\b(?:which|that|where|whose|to|for|on|using|with|"
    r"based|via|by|than|against|over|from|into|such as|including|like|compared|unlike|while|"
    r"whereas|across|through|under|within|between|versus|vs)\b",
    re.IGNORECASE,
)
_EVALUATE = re.compile(
    r"\b(?:evaluat|experiment|benchmark|test|validat|result|achiev|outperform|state-of-the-art|"
    r"sota|accuracy|score)\w*",
    re.IGNORECASE,
)
_TRAIN = re.compile(r"\b(?:train|fine-?tun|pre-?train)\w*\s+(?:\w+\s+){0,4}?(?:on|with)\b", re.IGNORECASE)
_RESULT = re.compile(
    r"\d+(?:\.\d+)?\s*%|\b(?:achiev|improv|outperform|gain|reach|obtain|scor|increas|reduc|boost|"
    r"surpass|exceed|match|result|evaluat|measur|report|state-of-the-art|sota)\w*",
    re.IGNORECASE,
)
_AIM = re.compile(
    rf"\b{_AGENT}\b|\bour (?:method|approach|framework|model|system)\b|"
    r"\b(?:address|tackl|solv|improv|towards?|task of|problem of)\w*",
    re.IGNORECASE,
)
_TASK_LEAD = re.compile(r"\b(?:for|on|to|towards?|of)\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)


def mention_role(sentence: str, start: int, end: int, entity_type: str, *, in_title: bool = False) -> str:
    """The role of the mention at `sentence[start:end]` (offsets within the sentence)."""
    before = sentence[:start]
    if in_title and _names_title(sentence, end):
        return "proposes"
    if _governed(_PROPOSE, before):
        return "proposes"
    if entity_type == "Dataset":
        if _TRAIN.search(before):
            return "uses"
        return "evaluatesOn" if _EVALUATE.search(sentence) else "mentions"
    if entity_type == "Metric":
        return "reports" if _RESULT.search(sentence) else "mentions"
    if entity_type == "Task":
        if in_title or _AIM.search(sentence) or _TASK_LEAD.search(before):
            return "addresses"
        return "mentions"
    if _governed(_USE, before):
        return "uses"
    return "mentions"


def _names_title(title: str, end: int) -> bool:
    """A title `NAME: what it is` names what the paper proposes; the mention lies in NAME."""
    colon = title.find(":")
    return 0 < colon and end <= colon and len(title[:colon].split()) <= 4


def _governed(cue: re.Pattern, before: str) -> bool:
    """Is the mention inside the stretch that the last `cue` in `before` governs?"""
    last = None
    for last in cue.finditer(before):  # noqa: B007 (keeps the last match)
        pass
    if last is None:
        return False
    stretch = before[last.end() :]
    return _STOP.search(stretch) is None and len(stretch.split()) <= 8
