"""Acronym definitions in running text, Schwartz-Hearst style, without spaCy.

Finds `long form (SF)` and `SF (long form)` pairs, copes with nested brackets, citations in square
brackets and parentheses that define nothing, and lists the later uses of each short form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paperkg.extract.naming import is_acronym_plural

__all__ = ["Abbreviation", "find_abbreviations", "find_short_form_uses", "is_name_like", "short_form_variants"]


@dataclass(frozen=True)
class Abbreviation:
    short: str
    long: str
    short_start: int  # character offsets into the text, end exclusive
    short_end: int
    long_start: int
    long_end: int


_WORD = re.compile(r"\S+")
_PARENTHESES = re.compile(r"[()]")
_SHORT_FORM = re.compile(r"^[A-Za-z0-9][\w.&/+-]*$")
_MAX_SHORT = 12
# What no name is made of (`EMA-SAM improves \\emph{maxDice} from 0.82 (SAM2)`, `CIFAR10/100,
# ImageNet, object detection (COCO)`, `8B range often outperform best encoder model (BERT)`):
# markup, a decimal number, a list, an unbalanced bracket, or the words of a clause.
_MARKUP = re.compile(r"[\\{}$^=<>|@#%;,]|\d\.\d")
# A bracket after a space holding a short form or an enumerator inside a long form: the sentence
# defined something else on the way (`penalties (SPO) and hard-thresholding (PPO)`, `text-to-image
# (T2I) and image-to-image (I2I)`, `components: (1) a Multi-Directional Cost Map Aggregation
# (RS-CMA)`); a bracket glued to a word (`E(3)-Equivariant`, `B(asic)`) is part of a name.
_SPACED_BRACKET = re.compile(r"(?<=\s)\(([^()]*)\)")
_ENUMERATOR = re.compile(r"^(?:\d+|[ivx]+|[a-z])$")
_CLAUSE_WORDS = frozenset(  # written in lower case: `No-Reference IQA`, `Can` as a name stay names
    """we our us is are was were be been being has have had do does did can could will would should
    may might must shall this these those that which who whom whose it its they their them he she his her
    than then often also very such namely i.e e.g etc outperform outperforms outperformed improve
    improves improved achieve achieves achieved showed shown propose proposes proposed introduce
    introduces introduced yield yields yielded reach reaches reached""".split()
)


def _paren_groups(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of the balanced parenthesis pairs, nested ones too (`(R^2 = 0.91, mean
    absolute percentage error (MAPE) = 4.37%)` defines MAPE), in the order they open."""
    groups, opened = [], []
    for bracket in _PARENTHESES.finditer(text):  # the brackets only: a loop over every character cost 5x
        if bracket.group() == "(":
            opened.append(bracket.start())
        elif opened:
            groups.append((opened.pop(), bracket.start()))
    return sorted(groups)


def _first_part(text: str, start: int, end: int) -> tuple[int, int]:
    """The part of a parenthesis before `;` or `,` and before any nested bracket, stripped."""
    inner = text[start:end]
    cut = len(inner)
    for sep in (";", ",", "(", "["):
        pos = inner.find(sep)
        if pos != -1:
            cut = min(cut, pos)
    s, e = start, start + cut
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _is_short_form(s: str) -> bool:
    return (
        2 <= len(s) <= _MAX_SHORT
        and bool(_SHORT_FORM.match(s))
        and any(c.isalpha() for c in s)
        and any(c.isupper() for c in s)
        and " " not in s
    )


def is_name_like(long: str) -> bool:
    """False for a long form that is a sentence fragment, a list or markup rather than a name."""
    if _MARKUP.search(long) or long.count("(") != long.count(")") or long.count("[") != long.count("]"):
        return False
    if any(_is_short_form(inner) or _ENUMERATOR.match(inner) for inner in _SPACED_BRACKET.findall(long)):
        return False
    return not any(w.strip(".") in _CLAUSE_WORDS for w in re.findall(r"[\w.]+", long))


def _is_definition(short: str, long: str) -> bool:
    """A name-like long form; one word only for a short form of two or three capitals
    (`autoencoder (AE)`, `backpropagation (BP)`) or one its capitals spell (`ResNet (RN)`), not
    `transformers (ToMe)`."""
    if not is_name_like(long):
        return False
    if any(ch.isspace() or ch == "-" for ch in long):
        return True
    letters = [ch for ch in (short[:-1] if is_acronym_plural(short) else short) if ch.isalnum()]
    capitals = sum(ch.isupper() or ch.isdigit() for ch in long)
    return (len(letters) <= 3 and "".join(letters).isupper()) or capitals >= len(letters)


def _match_long_form(short: str, candidate: str) -> int | None:
    """Offset in `candidate` where the long form for `short` begins, or None (Schwartz-Hearst).

    Characters of the short form are matched right to left; the first must begin a word, or be an
    upper-case letter inside the first word (`eXplainable AI` -> XAI). A trailing plural `s`
    on the short form may go unmatched (`SAEs`).
    """
    chars = [c.lower() for c in short if c.isalnum()]
    if is_acronym_plural(short) and len(chars) > 2:
        chars = chars[:-1]
    if not chars:
        return None
    li = len(candidate) - 1
    for si in range(len(chars) - 1, -1, -1):
        c = chars[si]
        while li >= 0:
            ch = candidate[li]
            hit = ch.lower() == c
            if hit and si == 0:
                at_word_start = li == 0 or not candidate[li - 1].isalnum()
                # eXplainable -> X: a capital inside the word, or the x of a leading "ex"
                ex_prefix = (
                    c == "x" and li >= 1 and candidate[li - 1] in "eE" and (li == 1 or not candidate[li - 2].isalnum())
                )
                hit = at_word_start or ch.isupper() or ex_prefix
            if hit:
                break
            li -= 1
        if li < 0:
            return None
        li -= 1
    start = li + 1
    # the word's start, and the start of a compound it ends (`self-supervised` for SSL, not
    # `supervised`: the letters match either way, the meaning only with the whole compound)
    while start > 0 and (
        candidate[start - 1].isalnum() or (candidate[start - 1] == "-" and start > 1 and candidate[start - 2].isalpha())
    ):
        start -= 1
    return start


def _initials_start(short: str, candidate: str) -> int | None:
    """Offset in `candidate` of the fewest last words whose initials spell `short` exactly, the
    parts of a hyphenated word each giving one (`Proximal Policy Optimization` for PPO, where
    Schwartz-Hearst takes the `p` and `o` inside `Optimization` and stops at `Policy`;
    `Retrieval-Augmented Generation` for RAG), or None."""
    spelled = "".join(c.lower() for c in short if c.isalnum())
    if is_acronym_plural(short) and len(spelled) > 2:
        spelled = spelled[:-1]
    initials = ""
    for word in reversed(list(_WORD.finditer(candidate))):
        parts = [m for m in re.finditer(r"[^-/]+", word.group()) if m.group()[0].isalnum()]
        if not parts:
            continue
        initials = "".join(m.group()[0].lower() for m in parts) + initials
        if initials == spelled:
            return word.start() + parts[0].start()
        if len(initials) >= len(spelled):
            return None
    return None


def _long_form_window(text: str, end: int, short: str) -> int:
    """Start offset of the words Schwartz-Hearst allows before `end`: min(|SF| + 5, 2|SF|)."""
    limit = min(len(short) + 5, 2 * len(short))
    period = text.rfind(". ", 0, end)
    sentence_start = max(period + 2 if period != -1 else 0, text.rfind("\n", 0, end) + 1)
    words = list(_WORD.finditer(text, sentence_start, end))
    words = words[-limit:]
    return words[0].start() if words else end


def _strip_edges(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and not text[s].isalnum():
        s += 1
    while e > s and not (text[e - 1].isalnum() or text[e - 1] in ")]"):
        e -= 1
    return s, e


def _citation_start(before: str) -> int | None:
    r"""Where a citation in square brackets (`[1]`, `[3, 4]`) that ends `before` starts, with the
    whitespace before it, or None: what `\s*\[[^\[\]]*\]\s*$` finds, read from the end
    instead of searched for from every offset of the text (once a parenthesis)."""
    tail = before.rstrip()
    opening = tail.rfind("[")
    if not tail.endswith("]") or opening == -1 or tail.find("]", opening) != len(tail) - 1:
        return None
    while opening > 0 and before[opening - 1].isspace():
        opening -= 1
    return opening


def _long_then_short(text: str, open_: int, close: int) -> Abbreviation | None:
    s, e = _first_part(text, open_ + 1, close)
    short = text[s:e]
    if not _is_short_form(short):
        return None
    before = text[:open_]
    citation = _citation_start(before)
    end = citation if citation is not None else len(before.rstrip())
    window = _long_form_window(text, end, short)
    for rel in (_initials_start(short, text[window:end]), _match_long_form(short, text[window:end])):
        if rel is None:
            continue
        ls, le = _strip_edges(text, window + rel, end)
        long = text[ls:le]
        if len(long) <= len(short) or long.lower() == short.lower() or long.count(" ") > len(short) + 4:
            continue
        if _is_definition(short, long):
            return Abbreviation(short, long, s, e, ls, le)
    return None


def _short_then_long(text: str, open_: int, close: int) -> Abbreviation | None:
    s, e = _first_part(text, open_ + 1, close)
    long = text[s:e]
    # `LLMs (LLaMA2 7B, Mistral 7B)`: a list of examples after a name, not its long form
    if " " not in long or text[e:close].lstrip().startswith(","):
        return None
    # the last word before the parenthesis (`(\S+)\s*$`), read from the end
    short_end = len(text[:open_].rstrip())
    short = text[:short_end].rsplit(None, 1)[-1] if short_end else ""
    if not _is_short_form(short) or _match_long_form(short, long) != 0 or not _is_definition(short, long):
        return None
    # `LLMs (LLM as a benchmark)`: a long form that starts with the short form explains a use of it
    if _word_key(long.split()[0]) == _word_key(short):
        return None
    return Abbreviation(short, long, short_end - len(short), short_end, s, e)


def _word_key(word: str) -> str:
    """A word as short forms are compared: letters and digits, lower case, a plural `s` dropped."""
    word = word[:-1] if is_acronym_plural(word) else word
    return "".join(ch for ch in word if ch.isalnum()).lower()


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Every acronym definition in `text`, in order (a short form may be defined more than once)."""
    found: list[Abbreviation] = []
    for open_, close in _paren_groups(text):
        abbr = _long_then_short(text, open_, close) or _short_then_long(text, open_, close)
        if abbr:
            found.append(abbr)
    return found


def short_form_variants(short: str) -> set[str]:
    """The short form with and without a plural `s` (`SAE` <-> `SAEs`)."""
    if is_acronym_plural(short):
        return {short, short[:-1]}
    return {short, short + "s"}


def find_short_form_uses(text: str, abbr: Abbreviation) -> list[tuple[int, int]]:
    r"""Offsets of whole-word uses of the short form (or its plural) after its definition: where
    neither a word character nor a hyphen touches it, the longer form first where both are, none
    overlapping (what `(?<![\w-])(?:SAEs|SAE)(?![\w-])` finds, without a regex compiled for
    every short form: that was a tenth of `paperkg_abbreviations`' time)."""
    after = max(abbr.short_end, abbr.long_end)
    found = []
    for variant in short_form_variants(abbr.short):
        at = text.find(variant, after)
        while at != -1:
            end = at + len(variant)
            if not _joins(text, at - 1) and not _joins(text, end):
                found.append((at, end))
            at = text.find(variant, at + 1)
    uses: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda use: (use[0], -use[1])):  # at one start, the longer
        if not uses or start >= uses[-1][1]:
            uses.append((start, end))
    return uses


def _joins(text: str, i: int) -> bool:
    r"""Whether the character at `i` (none outside the text) joins a word: `[\w-]`."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_-")
