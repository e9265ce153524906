"""The Hugging Face Daily Papers page, copied as plain text.

After a page header (``new``, ``Get trending papers in your email inbox!``, ``Subscribe``,
``Daily Papers``, ``byAK and the research community`` and the page's date), each paper is::

    Title

    Abstract, one paragraph.

      • 5 authors
    ·
    Jun 1, 2023 2

The date has no year for dates in the current year (``Oct 16``), and an upvote count follows it
when the paper has any (``Sep 29 2``, ``Aug 28, 2024 1``): a number after a comma-separated year,
or straight after the day, is upvotes. Blank lines carry no meaning here, so extra or missing ones
are harmless. The byline may be an organisation's handle (``OpenCausaLab``) instead of an author
count; it is then ignored.

The byline, the ``·`` and the date may all be missing, so that one paper runs straight into the
next (the first seed listing has one). The page prints each abstract as one paragraph, so in the
lines before a date, title and abstract lines alternate; a line that could not be a title
(longer than 300 characters, or ending with a full stop), or that ends the lines, continues the
abstract instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from paperkg.extract.readers.fields import make_paper
from paperkg.extract.readers.problems import ReadProblem
from paperkg.extract.records import Paper

__all__ = ["looks_like_hf_daily", "read_hf_daily"]

_HEADER = frozenset(
    line.casefold()
    for line in (
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    )
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = re.compile(rf"(?P<date>{_MONTH} \d{{1,2}}(?:, \d{{4}})?)(?: (?P<upvotes>\d+))?")
_AUTHORS = re.compile(r"•\s*(?P<count>\d+)\s+authors?")
_HANDLE = re.compile(r"[\w.-]{1,96}")  # a Hugging Face user or organisation name
_SEPARATOR = "·"


def looks_like_hf_daily(head: str) -> bool:
    lines = [line.strip() for line in head.splitlines()]
    return (
        _SEPARATOR in lines
        or any(_AUTHORS.fullmatch(line) for line in lines)
        or (bool(lines) and lines[0].casefold() in _HEADER)
    )


def read_hf_daily(stream: TextIO, source: str) -> Iterator[Paper | ReadProblem]:
    block: list[tuple[int, str]] = []  # (line number, text) of the lines being collected
    finished: list[tuple[int, str]] | None = None  # lines whose byline or "·" has been seen
    expect_date = False
    for number, raw in enumerate(stream, 1):
        line = raw.strip()
        if not line:
            continue
        if finished is not None:
            if line == _SEPARATOR and not expect_date:
                expect_date = True
                continue
            date = _DATE.fullmatch(line)
            yield from _papers(finished, source, date)
            finished, expect_date = None, False
            if date:
                continue
        if line == _SEPARATOR:
            if block:
                finished, block, expect_date = block, [], True
            else:
                yield ReadProblem(source, number, "a '·' line with no paper before it")
            continue
        if not block and (line.casefold() in _HEADER or _DATE.fullmatch(line)):
            continue  # the page header, or the page's own date
        if len(block) > 1 and (date := _DATE.fullmatch(line)):  # no byline and no "·"
            yield from _papers(block, source, date)
            block = []
            continue
        block.append((number, line))
        if _AUTHORS.fullmatch(line):
            finished, block = block, []
    if finished is not None:
        yield from _papers(finished, source, None)
    if len(block) > 1:
        yield from _papers(block, source, None)
    elif block:
        number, line = block[0]
        yield ReadProblem(source, number, f"incomplete paper at the end of the file: {line[:60]!r}")


def _papers(block: list[tuple[int, str]], source: str, date: re.Match | None) -> Iterator[Paper | ReadProblem]:
    """The paper(s) in the lines before one date; the byline and date belong to the last one."""
    lines = list(block)
    author_count = None
    if byline := _AUTHORS.fullmatch(lines[-1][1]):
        author_count = int(byline["count"])
        lines.pop()
    elif len(lines) > 2 and _HANDLE.fullmatch(lines[-1][1]):
        lines.pop()
    if not lines:
        yield ReadProblem(source, block[0][0], "a byline with no paper before it")
        return
    papers = _split(lines)
    for (number, title), abstract in papers[:-1]:
        yield make_paper(source, number, title, " ".join(abstract))
    (number, title), abstract = papers[-1]
    yield make_paper(
        source,
        number,
        title,
        " ".join(abstract),
        date_text=date["date"] if date else None,
        author_count=author_count,
        upvotes=int(date["upvotes"]) if date and date["upvotes"] else None,
    )


def _split(lines: list[tuple[int, str]]) -> list[tuple[tuple[int, str], list[str]]]:
    """(title, abstract lines) pairs: a paper whose byline and date are both missing runs into the
    next one, and a title-like line followed by more text after an abstract starts a new paper."""
    papers: list[tuple[tuple[int, str], list[str]]] = [(lines[0], [])]
    for i, (number, text) in enumerate(lines[1:], 1):
        abstract = papers[-1][1]
        if abstract and i + 1 < len(lines) and _looks_like_title(text):
            papers.append(((number, text), []))
        else:
            abstract.append(text)
    return papers


def _looks_like_title(line: str) -> bool:
    return len(line) <= 300 and not line.endswith(".")
