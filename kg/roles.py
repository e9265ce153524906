"""The role a sentence gives an entity in its paper: proposes, uses, evaluatesOn, reports, addresses.

Cues read from the mention's own sentence; anything without a cue is a plain `mentions`. Roles
depend only on the paper's own text and the type its extractor gave the mention, so a paper's
roles never change when other papers are added. The cues, in the order they are tried:

- the title: `NAME: subtitle` names what the paper proposes when the mention is all of NAME (not
  `Structure-Aware RAG`, `Rethinking SFT`, nor a survey's NAME), and so does the phrase that opens
  the subtitle (`PixNerd: Pixel Neural Field Diffusion`); a task in the title is addressed;
- proposal: an agent (we, this paper, our method, a system's name such as `MMEL`) with a verb of
  making (propose, introduce, present, develop, derive, ...) governs the words that follow, up to
  a word that starts another phrase (`for`, `on`, `which`, ...); also `X is proposed`, `called X`,
  and an acronym in brackets right after what was proposed. What the proposal is made of is not
  proposed: a modifier (`an RL-based framework`, `a MoE compression framework`), a word inside a
  longer name (`Visual Mamba`), and what the proposal uses or studies (`we propose utilizing
  X`, `an evaluation of five LLMs`), nor an established term (LLM, RAG) the proposal is described
  by in an appositive or a subtitle (`X, a specialized LLM`); a method or model there is used;
- evaluation: a sentence about experiments, results or evaluation, with the mention after `on`,
  `across` or `with` (`experiments on Y`, `achieves ... on Y`, `evaluate on Y`), or a name
  followed by `dataset`, `benchmark` or `tasks`: a dataset, benchmark or task is evaluated on, a
  model or method used;
- metrics: a metric in a sentence that states a result, or anything `in terms of` which results
  are given, is reported;
- aims: a task or concept the paper's agent or a verb of improving governs (`to address Y`,
  `enhances Y`, `for Y` after we/our) is addressed;
- use: an agent with a verb of using (use, employ, leverage, train, combine, ...), or a
  preposition of means (`using X`, `via X`, `through X`, `based on X`); a model named in a sentence
  about the paper's own work is used, and so is a method or model named as what the paper's work
  is compared with (`evaluate X against a standard TopK SAE`, `outperforms standard OPD`,
  `gains over SFT`): a baseline the paper runs. Only a name counts (`SAE`, not `existing methods`).
"""

from __future__ import annotations

import re
from functools import lru_cache


def _either_case(words: str) -> str:
    """The alternation `words` (`using|via|based on`: each alternative opens with a lower-case
    letter, no `|` outside brackets) with each alternative's first letter matched in either case
    outside the IGNORECASE flag, alternatives of the same first letter grouped in their order.
    Python's regex engine tests an alternative's first character before it enters the alternative
    only when that character is a literal or a set compared as it is, not one compared ignoring
    case: at a word no alternative can open, a set test per first letter instead of entering each
    alternative, with the same matches (alternatives of different first letters never match at the
    same place, so their order does not matter)."""
    groups: dict[str, list[str]] = {}
    depth, start = 0, 0
    for at, char in enumerate(words + "|"):
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            word = words[start:at]
            if not ("a" <= word[:1] <= "z"):
                raise ValueError(f"an alternative that does not open with a lower-case letter: {word!r}")
            groups.setdefault(word[0], []).append(word[1:])
            start = at + 1
    return "|".join(f"(?-i:[{first.upper()}{first}])(?:{'|'.join(rests)})" for first, rests in groups.items())


_SYSTEM = r"(?:method|approach|framework|model|system|pipeline|algorithm|architecture|technique)"
# who acts in a sentence about the paper's own work: we, this paper, our method (a few words may
# come before the verb: "we first introduce"), or a system's name right before it ("MMEL introduces")
_AGENT = (
    r"\b(?:"
    + _either_case(
        rf"we\b|this (?:paper|work|study|article)|our (?:paper|work|study|[\w-]+ )?{_SYSTEM}|the proposed \w+"
    )
    + ")"
)
_NAME = r"(?-i:\b[A-Z][\w+]*[A-Z][\w+-]*)"
_FILLER = r"(?:[\w-]+,?\s+){0,3}?"
_ACTS = rf"(?:{_AGENT}\s+{_FILLER}|{_NAME}\s+(?:\w+ly\s+)?)"
_MAKE = r"(?:propos|introduc|present|develop|design|devis|contribut|releas|creat|build|construct|formulat)"
# Every cue below opens at the start of a word (`\b` and a letter: an agent, a name, a verb of
# means), so a scan that first checks for a word start tries the same places and finds the same
# matches; it skips the other positions at once instead of trying a dozen alternatives at each,
# a third to a half of these cues' time. The letter is checked too: a capital (a system's name,
# `_NAME`, is case-sensitive) or, in any case, the first letter of one of the cue's other
# alternatives, so a word none of them can open (`models`, `results`) costs one test.


def _cue_start(openers: str) -> str:
    """Where a cue whose alternatives other than `_NAME` open with one of `openers` can match."""
    return rf"\b(?=(?-i:[A-Z])|[{openers}])"


# an agent opens with w (we), t (this, the proposed) or o (our); the naming words with c, n, d
# or t; a verb of means (`_MEANS`) with one of the other letters
_AGENT_OPENERS = "wto"
_MEANS_OPENERS = _AGENT_OPENERS + "auelhicbv"
_PROPOSE = re.compile(
    rf"{_cue_start(_AGENT_OPENERS + 'cnd')}"
    rf"(?:{_ACTS}{_MAKE}\w*\b|\b(?:called|named|dubbed|termed|coined(?: as)?)\b|\bour proposed\b)",
    re.IGNORECASE,
)
_PROPOSED_AFTER = re.compile(rf"^\s*(?:\([^()]*\)\s*)?(?:is|are|was|were)\s+(?:\w+ly\s+)?{_MAKE}\w*ed\b", re.IGNORECASE)
# verbs of building with something: what they govern becomes part of the work
_BUILD_VERBS = (
    r"use|utili[sz]|employ|leverag|adopt|appl(?:y|ie)|exploit|rel(?:y|ie)s? on|build on|fine-?tun|train|"
    r"incorporat|integrat|combin|harness|implement|extend"
)
_MEANS = (
    rf"\b(?:(?:{_either_case('which|that|and')}) "
    r"(?:uses|employs|leverages|utili[sz]es|incorporates|integrates|combines|applies)|"
    + _either_case(
        r"using|utili[sz]ing|employing|leveraging|adopting|applying|harnessing|incorporating|integrating|"
        r"combining|implementing|based on|built on|build(?:ing)? (?:up)?on|via|with the help of|by means of|through|"
        r"thanks to|owing to"
    )
    + r")\b"
)
_USE = re.compile(
    rf"{_cue_start(_MEANS_OPENERS)}(?:{_ACTS}(?:{_BUILD_VERBS}|analy[sz]|prob|examin|investigat|stud|select)\w*\b|{_MEANS})",
    re.IGNORECASE,
)
# the same cues without the verbs of study: "we analyse LLMs" uses them as objects, not as parts
_BUILT_WITH = re.compile(rf"{_cue_start(_MEANS_OPENERS)}(?:{_ACTS}(?:{_BUILD_VERBS})\w*\b|{_MEANS})", re.IGNORECASE)
# words that end the stretch of a sentence a cue governs
_STOP = re.compile(
    r";|,\s*(?:which|where|while|whereas)\b|\b(?:which|that|where|whose|to|for|on|using|with|"
    r"based|via|by|than|against|over|from|into|compared|unlike|while|"
    r"whereas|across|through|under|within|between|versus|vs)\b",
    re.IGNORECASE,
)
_EVALUATION = re.compile(
    r"\b(?:evaluat|experiment|benchmark|test|validat|results?\b|achiev|outperform|surpass|state-of-the-art|"
    r"sota|accuracy|score)\w*",
    re.IGNORECASE,
)
_ON = re.compile(r"\b(?:on|across)\s+(?:the\s+|a\s+|an\s+)?", re.IGNORECASE)
_DATA_NOUN = re.compile(
    r"^(?:[\s,]+(?:and|or)?\s*[\w-]+){0,3}?\s*(?:datasets?|benchmarks?|corpus|corpora|suites?|tasks?)\b", re.IGNORECASE
)
_TRAIN = re.compile(r"\b(?:train|fine-?tun|pre-?train)\w*\s+(?:\w+\s+){0,4}?(?:on|with)\b", re.IGNORECASE)
_RESULT = re.compile(
    r"\d+(?:\.\d+)?\s*%|\b(?:achiev|improv|outperform|gain|reach|obtain|scor|increas|reduc|boost|"
    r"surpass|exceed|result|evaluat|measur|report|state-of-the-art|sota)\w*",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d")
_IN_TERMS_OF = re.compile(r"\bin terms of\b|\bmeasured (?:by|in)\b", re.IGNORECASE)
_IMPROVE = re.compile(r"\b(?:address|tackl|solv|enhanc|improv|advanc|overcom|mitigat)\w*\b", re.IGNORECASE)
_TASK_LEAD = re.compile(r"\b(?:for|to|towards?|task of|problem of)\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)
# what a result is compared with: a few words (`a standard TopK`) may stand between cue and name
_COMPARED = re.compile(
    r"\b(?:against|compared (?:to|with)|in comparison (?:to|with)|versus|vs\.?|outperform\w*|surpass\w*|over)\s+",
    re.IGNORECASE,
)
_AGENT_AT = re.compile(_AGENT, re.IGNORECASE)
_TWO_CAPITALS = re.compile(r"[A-Z].*[A-Z]")  # a name (`SAE`, `TopK vSAE`), not `existing methods`
_NEGATION = re.compile(r"\b(?:not|never|no|without)\b|n't\b", re.IGNORECASE)


# a sentence on the paper's own experiments that names no agent: "Extensive experiments on X show ..."
_OWN_EXPERIMENTS = re.compile(
    r"^\W*(?:(?:extensive|comprehensive|experimental|empirical|our)\s+)?(?:experiments?|results?|evaluations?)\b",
    re.IGNORECASE,
)


def about_own_work(sentence: str) -> bool:
    """Whether the sentence speaks of the paper's own work: through an agent (we, this paper, our
    method) or as an opening on its experiments or results."""
    return bool(_occurs(_AGENT_AT, sentence) or _OWN_EXPERIMENTS.match(sentence))


def mention_role(
    sentence: str, start: int, end: int, entity_type: str, *, in_title: bool = False, established: bool = False
) -> str:
    """The role of the mention at `sentence[start:end]` (offsets within the sentence). `established`:
    the mention names a term the field already has (the shipped vocabularies or arXiv's acronym
    definitions know it: LLM, RAG, CLIP), which a paper builds on rather than proposes when it
    describes its proposal by it (`X, a specialized LLM`, `SPD-RAG: Sub-Agent Per Document RAG`)."""
    before, after = sentence[:start], sentence[end:]
    context = before + " " + after  # the sentence without the mention's own words
    reach = _reach(sentence)
    if in_title:
        named = _title_role(sentence, start, end, entity_type, established)
        if named:
            return named
    proposal = _governed(_PROPOSE, before, reach) or _bracketed_proposal(before, after, reach)
    if proposal and (
        _describes_proposal(before, after, reach) or (established and _described_by(before, after, reach))
    ):
        return "uses" if entity_type in ("Method", "Model") else "mentions"
    if proposal or _PROPOSED_AFTER.match(after):
        return "proposes"
    if reach[_IN_TERMS_OF.pattern] <= start and _IN_TERMS_OF.search(before):
        if not _STOP.search(before[_last(_IN_TERMS_OF, before) :]):
            return "reports"
    if _evaluated_on(before, after, context, reach):
        if entity_type == "Model":
            return "uses"
        if entity_type in ("Dataset", "Task", "Concept") or _DATA_NOUN.match(after):
            return "evaluatesOn"
    if entity_type == "Dataset":
        if _TRAIN.search(before):
            return "uses"
        if _occurs(_EVALUATION, context):
            return "evaluatesOn"
        return "uses" if _governed(_USE, before, reach) else "mentions"
    if entity_type == "Metric":
        stated = _RESULT.search(context) and (_NUMBER.search(context) or _occurs(_AGENT_AT, context))
        return "reports" if stated else "mentions"
    if entity_type in ("Task", "Concept") and _aimed_at(before, reach):
        return "addresses"
    if _governed(_USE, before, reach) or (
        entity_type in ("Method", "Model") and _baseline(before, sentence[start:end], reach)
    ):
        return "uses"
    if entity_type == "Model" and (_occurs(_AGENT_AT, context) or _occurs(_EVALUATION, context)):
        return "uses"
    return "mentions"


def own_work_link(sentence: str, start: int, end: int, entity_type: str) -> str | None:
    """What the method, model or dataset at `sentence[start:end]`, named in a sentence about the
    paper's own work, is to the proposal: "usedFor" when a cue of building governs it (`we
    fine-tune LLaMA`, `based on CLIP`, `we train on ImageNet`), "comparedWith" when it is a
    baseline the work is measured against (`outperforms SAM`), else None (`we study LLMs`)."""
    before, reach = sentence[:start], _reach(sentence)
    if entity_type in ("Method", "Model") and _compared(before, reach):
        return "comparedWith"
    # a cue that governs another clause ("Using these datasets, we benchmarked 41 LLMs") is not it
    built = _governed(_BUILT_WITH, before, reach)
    built = built and not _occurs(_AGENT_AT, before[_last_near(_BUILT_WITH, before, reach) :])
    if built or (entity_type == "Dataset" and _TRAIN.search(before)):
        return "usedFor"
    return None


def _title_role(title: str, start: int, end: int, entity_type: str, established: bool) -> str | None:
    """A title `NAME: subtitle`: NAME, and a method or dataset opening the subtitle, are the
    paper's own; a task anywhere in a title is what the paper addresses. NAME is a name only when
    the mention is all of it (`Structure-Aware RAG` is built on RAG) and it does not open with a
    verb or a preposition (`Rethinking SFT`, `Beyond Accuracy`); a survey's NAME is studied, and
    an established term opening the subtitle describes the proposal named before the colon."""
    colon = title.find(":")
    name = title[:colon].split()
    if 0 < colon and len(name) <= 3:
        kind = "uses" if entity_type in ("Method", "Model") else None
        if end <= colon:
            whole = _NAME_OPENS.search(title, 0, start) is not None and _KIND_ONLY.match(title, end, colon) is not None
            if not whole or _NOT_A_NAME.match(title) or _SURVEY.match(title, colon + 1):
                return kind
            return "proposes"
        opening = title[colon + 1 : start].split()
        if len(name) == 1 and entity_type != "Task" and len(opening) <= 3 and not _LEADS.intersection(opening):
            return kind if established else "proposes"
    return "addresses" if entity_type == "Task" else None


_LEADS = {"for", "on", "with", "via", "through", "using", "of", "in", "to", "towards", "and", "or", "from"}


# a word that makes a phrase a description of a system: `a MoE compression framework`
_HEAD_NOUN = (
    r"(?:method|approach|framework|model|system|pipeline|algorithm|architecture|technique|agent|module|network|"
    r"mechanism|strategy|scheme|paradigm|toolkit|platform|tool|benchmark|dataset|data|corpus|metric|loss|policy|"
    r"encoder|decoder|backbone|layer|workflow|evaluator|compression|training|fusion|detector|classifier)s?"
)
_PHRASE_WORD = (
    r"(?!(?:for|on|to|with|of|in|and|or|by|via|that|which|who|whose|where|while|using|from|as|at|than|into|"
    r"between|across|through|within|under|over|against|versus)\b)[\w-]+"
)
# the mention goes on into a longer phrase that names the proposal (`RL-based`, `MoE language
# model`; after a bracketed acronym too)
_CONTINUED = re.compile(
    rf"^(?:\)\s*)?(?:-[a-z]|(?:\s+{_PHRASE_WORD}){{1,2}}\s+{_HEAD_NOUN}\b)",
    re.IGNORECASE,
)
# a title that opens with a verb or a preposition names no system: `Rethinking SFT: ...`
_NOT_A_NAME = re.compile(r"^\W*(?:(?-i:[A-Z][a-z]+ing)|beyond|towards?|on|when|why|how|what|from)\b", re.IGNORECASE)
_KIND_ONLY = re.compile(rf"(?:\s+{_HEAD_NOUN})?\s*$", re.IGNORECASE)  # `The MixCount Dataset: ...`
# where a name before the colon may start: the title's start, after `The`, or after another name and
# `and` or a comma (`Quantum-RAG and PunGPT2: ...`)
_NAME_OPENS = re.compile(r"(?:^(?:The\s+)?|(?:\s+and|,)\s+)$")
# a subtitle that says the paper surveys what stands before the colon: `RAG: A Comprehensive Survey of ...`
_SURVEY = re.compile(
    r"\s*(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:survey|review|overview|tutorial|primer)\b", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_][\w-]*")
_DETERMINERS = frozenset({"a", "an", "the", "our", "its", "their", "this", "these"})
_NAMING = re.compile(r"\b(?:called|named|dubbed|termed|coined(?: as)?)\s*$", re.IGNORECASE)
# an established term right before a head noun modifies it: `a two-stream CLIP model`, `an RL framework`
_MODIFIES = re.compile(rf"^(?:\s*\([^()]*\))?(?:\s+{_PHRASE_WORD}){{0,2}}?\s+{_HEAD_NOUN}\b", re.IGNORECASE)
# part of a longer name: `Visual Mamba`, `Contextual LVLM Agent`
_IN_NAME = re.compile(r"(?!(?:The|This|These|Our|Its|Their|An|In|For)\s)(?-i:\b[A-Z][\w-]*[a-z][\w-]*)\s+$")
# what is studied rather than made: `a comprehensive evaluation of five LLMs`
_STUDIED = re.compile(
    r"\b(?:evaluation|study|analysis|survey|comparison|investigation|assessment|review|audit)\s+of\b", re.IGNORECASE
)


def _describes_proposal(before: str, after: str, reach: _Reach) -> bool:
    """Whether a mention that a proposal governs is not the thing proposed but says what it is
    made of: a modifier (`an RL-based framework`, `a MoE compression framework`), part of a
    longer name (`Visual Mamba`), what the proposal uses (`we propose utilizing knowledge
    graphs`) or studies (`we present an evaluation of five LLMs`). The class in an appositive
    (`OpenVoxel, a training-free algorithm`) stays proposed, as the role fixture labels it."""
    at = _last_near(_PROPOSE, before, reach)
    stretch = before[at:] if at >= 0 else before
    return bool(_CONTINUED.match(after) or _IN_NAME.search(stretch) or _USE.search(stretch) or _STUDIED.search(stretch))


def _described_by(before: str, after: str, reach: _Reach) -> bool:
    """Whether an established term that a proposal governs describes the proposal rather than being
    it: a word other than a determiner stands between the cue and the term (another name or an
    appositive: `we propose X, a specialized LLM`, `PERL (Parameter-Efficient Reasoning in CLIP`; a
    qualifier: `a difficulty-aware GRPO`, a variant of it), it modifies a head noun (`a two-stream
    CLIP model`), or it is the name of something the paper uses (`using an algorithm called GRPO`)."""
    if _MODIFIES.match(after):
        return True
    at = _last_near(_PROPOSE, before, reach)
    if at < 0:
        return False
    # `using an algorithm called GRPO`: the name of what the paper uses, not one it coins
    named = _NAMING.search(before, 0, at)
    qualified = any(w.lower() not in _DETERMINERS for w in _WORD.findall(before, at))
    return qualified or (named is not None and _governed(_USE, before[: named.start()], reach))


def _bracketed_proposal(before: str, after: str, reach: _Reach) -> bool:
    """`we introduce contextual decomposition for transformers (CD-T)`: a name in brackets right
    after a short stretch that a proposal governs."""
    opened = before.rstrip()
    if not opened.endswith("(") or not after.lstrip().startswith(")"):
        return False
    stretch_from = _last_near(_PROPOSE, opened[:-1], reach)
    return stretch_from >= 0 and len(opened[stretch_from:-1].split()) <= 6


def _evaluated_on(before: str, after: str, context: str, reach: _Reach) -> bool:
    """`experiments on Y`, `achieves ... on Y`, `we evaluate the model on Y`, `on the Y dataset`."""
    at = _last_near(_ON, before, reach)
    if at < 0:
        return False
    stretch = before[at:]
    if _STOP.search(stretch) or len(stretch.split()) > 6:
        return False
    return bool(_occurs(_EVALUATION, context) or _DATA_NOUN.match(after))


def _baseline(before: str, mention: str, reach: _Reach) -> bool:
    """`against a standard TopK SAE`: a name (two capitals or more) a few words after a cue of comparison."""
    return _compared(before, reach) and _TWO_CAPITALS.search(mention) is not None


def _compared(before: str, reach: _Reach) -> bool:
    """A mention a few words after a cue of comparison: `outperforms existing SSL methods`."""
    at = _last_near(_COMPARED, before, reach)
    return at >= 0 and len(before[at:].split()) <= 3 and not _STOP.search(before[at:])


def _aimed_at(before: str, reach: _Reach) -> bool:
    """`we ... to address Y`, `MMEL enhances Y`, `we ... for Y`: the paper's own aim."""
    return _occurs(_AGENT_AT, before) and (_governed(_IMPROVE, before, reach) or bool(_TASK_LEAD.search(before)))


def _last(cue: re.Pattern, text: str, start: int = 0) -> int:
    """Where the last match of `cue` in `text` (from `start`) ends, or -1: the matches `finditer`
    finds, each the first one opening at or after the end of the one before."""
    end = -1
    after_break = _AFTER_BREAK[cue.pattern]
    while (found := cue.match(text, start) or after_break.search(text, start)) is not None:
        end = start = found.end()
    return end


# The cues `_last` looks for open at the start of a word (`\b` then a letter), so a match that does
# not open where the search starts opens right after a character that is not a word's (`\W`). A
# pattern that opens with such a character lets Python's regex engine skip the text to the next one
# in C before it tries the cue (a pattern that opens with `\b` is tried at every character): the
# same matches, tried at about one character in six of an English sentence.
_AFTER_BREAK = {
    cue.pattern: re.compile(rf"\W(?:{cue.pattern})", cue.flags)
    for cue in (_PROPOSE, _USE, _BUILT_WITH, _IMPROVE, _IN_TERMS_OF, _ON, _COMPARED, _AGENT_AT, _EVALUATION)
}


def _occurs(cue: re.Pattern, text: str) -> bool:
    """Whether `cue` (one that opens with `\\b` and a letter) occurs in `text`: `cue.search(text)`,
    tried where the text starts and after the characters that are not a word's."""
    return cue.match(text) is not None or _AFTER_BREAK[cue.pattern].search(text) is not None


# The cues `_last_near` looks for are a few words long (an agent, three words, a verb: `_ACTS`),
# and what they govern is at most eight words (`_governed`, fewer elsewhere), so any cue that can
# still reach a mention lies in the last `_NEAR` words before it. Scanning only those gives the
# same roles and keeps a long sentence with many mentions from costing its length once per mention.
_NEAR = 24


def _last_near(cue: re.Pattern, before: str, reach: _Reach) -> int:
    """`_last(cue, before)` for a cue whose stretch is a few words: read the last `_NEAR` words.
    `before` opens the sentence `reach` was taken of; a cue that cannot end in it is not looked for."""
    if reach[cue.pattern] > len(before):
        return -1
    # every cue starts at a word boundary (`\b`): from the space before the first word read, it
    # matches there as it does in the whole text
    return _last(cue, before, _near_start(before))


@lru_cache(maxsize=16)  # a mention's role asks up to five cues about the same text before it
def _near_start(before: str) -> int:
    """Where the last `_NEAR` words of `before` start (the space before them), or 0."""
    words = before.rsplit(maxsplit=_NEAR)
    return len(words[0]) if len(words) > _NEAR else 0


def _governed(cue: re.Pattern, before: str, reach: _Reach) -> bool:
    """Is the mention inside the stretch that the last `cue` in `before` governs (and the cue not
    negated: "does not introduce")?"""
    at = _last_near(cue, before, reach)
    if at < 0 or _NEGATION.search(before[max(0, at - 40) : at]):
        return False
    stretch = before[at:]
    return _STOP.search(stretch) is None and len(stretch.split()) <= 8


# Sharing a sentence's scans among its mentions (~2.4 a sentence): each mention asks whether a cue
# occurs in the words before it, and most of the time none does. Every match of a cue holds a word
# it cannot do without (`_PROPOSE` a verb of making or naming, `_ON` `on` or `across`, ...) at the
# start of a word, and a match in the words before a mention holds that word where it ends no later
# than the mention starts. One scan of the sentence for the first place each cue's needed words
# occur tells all its mentions which cues need no scan: a mention that starts before the shortest
# of them could end there has no match of that cue before it. The words are letters only, looked
# for after a character that is not a word's (as `\b` and a letter open the cues), with the cues'
# IGNORECASE, so they match whatever the cues' letters match.
_NEEDED_WORDS = (
    # (the words, what must follow them, the cues that each hold one of them); no word is another
    # group's word's prefix where both can match, so the scan sees each group's first word
    (
        "propos|introduc|present|develop|design|devis|contribut|releas|creat|construct|formulat|"
        "called|named|dubbed|termed|coined",
        "",
        (_PROPOSE,),
    ),
    ("build", "", (_PROPOSE, _USE, _BUILT_WITH)),
    (
        "use|using|utili|employ|leverag|adopt|appl|exploit|rely|relie|built|based|fine|train|incorporat|"
        "integrat|combin|harness|implement|extend|analy|prob|examin|investigat|stud|select|via|help|means|"
        "through|thanks|owing",
        "",
        (_USE, _BUILT_WITH),
    ),
    ("on|across", r"(?=\s)", (_ON,)),  # the cues need a space after these (`_ON`, `_COMPARED`)
    ("against|compared|comparison|versus|vs|outperform|surpass", "", (_COMPARED,)),
    ("over", r"(?=\s)", (_COMPARED,)),
    ("address|tackl|solv|enhanc|improv|advanc|overcom|mitigat", "", (_IMPROVE,)),
    ("terms|measured", "", (_IN_TERMS_OF,)),
)
# Python's IGNORECASE matches an ASCII letter with these characters besides its two cases
_CASE_EXTRAS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def _needed_pattern() -> tuple[re.Pattern, dict[str, int], dict[str, tuple[str, ...]]]:
    """One pattern for all groups of `_NEEDED_WORDS`, a named group for each group's words of one
    first letter, that letter a set of what IGNORECASE matches with it (the regex engine tests a set
    before it enters an alternative, not a letter compared ignoring case); the fewest characters a
    group's word takes; the cues each named group stands for."""
    by_letter: dict[str, list[str]] = {}
    fewest, cues_of = {}, {}
    for i, (words, after, cues) in enumerate(_NEEDED_WORDS):
        firsts: dict[str, list[str]] = {}
        for word in words.split("|"):
            firsts.setdefault(word[0], []).append(word[1:])
        for letter, rests in firsts.items():
            name = f"g{i}{letter}"
            by_letter.setdefault(letter, []).append(f"(?P<{name}>(?:{'|'.join(rests)}){after})")
            fewest[name] = min(len(rest) + 1 for rest in rests)
            cues_of[name] = tuple(cue.pattern for cue in cues)
    either = (f"(?-i:[{x}{x.upper()}{_CASE_EXTRAS.get(x, '')}])(?:{'|'.join(g)})" for x, g in by_letter.items())
    return re.compile(rf"\W(?:{'|'.join(either)})", re.IGNORECASE), fewest, cues_of


_NEEDED, _FEWEST, _CUES_OF = _needed_pattern()
_REACH_CUES = tuple(dict.fromkeys(cue.pattern for _, _, cues in _NEEDED_WORDS for cue in cues))
_Reach = dict[str, int]  # by the cue's pattern (a compiled pattern's hash reads all its code)


@lru_cache(maxsize=16)  # a sentence's mentions are asked one after another, and its paper's again by the relations
def _reach(sentence: str) -> _Reach:
    """For each cue, how far into `sentence` a match of it reaches at the least: where its needed
    words first occur plus the shortest one's length (past the sentence's end when they do not)."""
    reach = dict.fromkeys(_REACH_CUES, len(sentence) + 1)
    # a space before the sentence lets its first word open a match; a match's start in the longer
    # text is then its word's start in the sentence
    for found in _NEEDED.finditer(" " + sentence):
        group = str(found.lastgroup)  # every alternative is a named group
        for cue in _CUES_OF[group]:
            reach[cue] = min(reach[cue], found.start() + _FEWEST[group])
    return reach
