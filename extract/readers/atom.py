"""arXiv API results: an Atom feed of ``<entry>`` elements.

Parsed with the standard library's expat, driven directly rather than through ElementTree so
that the document type declaration can be refused outright: any ``<!DOCTYPE`` (and so any
``<!ENTITY``, which only a DOCTYPE can hold) ends the file with a problem, which rules out
entity-expansion bombs and external entities, and expat itself never fetches anything. Entries
are yielded as each one closes, feeding the parser a chunk at a time.

Per entry: ``id`` (an arxiv.org/abs URL gives the arXiv id), ``title``, ``summary``,
``published`` (else ``updated``), ``author/name``, ``arxiv:doi`` or a ``link`` titled ``doi``,
and every ``link`` href. Titles and summaries are line-wrapped in the feed; their whitespace is
collapsed. The arXiv API reports a bad query as a one-entry feed whose id is an
``arxiv.org/api/errors`` URL; that entry becomes a problem carrying its message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO
from xml.parsers import expat

from paperkg.extract.paper_keys import normalise_arxiv_id, normalise_doi
from paperkg.extract.readers.fields import make_paper
from paperkg.extract.readers.problems import ReadError, ReadProblem
from paperkg.extract.records import Paper

__all__ = ["read_atom"]

_ATOM = "http://www.w3.org/2005/Atom"
_ARXIV = "http://arxiv.org/schemas/atom"
_CHUNK = 1 << 16
_FIELDS = {f"{_ATOM} {n}" for n in ("id", "title", "summary", "published", "updated")}
_FIELDS.add(f"{_ARXIV} doi")


class _Refused(Exception):
    """Raised from an expat handler to stop at a DOCTYPE; carries the line it was on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _Entry:
    def __init__(self, line: int) -> None:
        self.line = line
        self.fields: dict[str, str] = {}  # local name -> collapsed text
        self.authors: list[str] = []
        self.links: list[str] = []
        self.doi_links: list[str] = []


class _FeedParser:
    """expat callbacks that collect finished entries in `done`."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._entity
        self.parser.ExternalEntityRefHandler = self._external
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.depth = 0  # of the element being parsed: the feed is 1, its entries 2
        self.entry: _Entry | None = None
        self.in_author = False
        self.text: list[str] | None = None  # the text of the field being collected
        self.text_depth = 0
        self.done: list[_Entry] = []

    def _doctype(self, *_: object) -> None:
        raise _Refused(
            self.parser.CurrentLineNumber, "XML with a DOCTYPE declaration is refused (no DTDs or entities in a feed)"
        )

    def _entity(self, *_: object) -> None:
        raise _Refused(self.parser.CurrentLineNumber, "XML entity declarations are refused")

    def _external(self, *_: object) -> int:
        raise _Refused(self.parser.CurrentLineNumber, "external XML entities are refused")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1 and name != f"{_ATOM} feed":
            raise _Refused(
                self.parser.CurrentLineNumber, f"XML but not an Atom feed (root element <{name.split(' ')[-1]}>)"
            )
        if self.text is not None:  # markup inside a title or summary: keep only its text
            return
        if self.entry is None:
            if name == f"{_ATOM} entry" and self.depth == 2:
                self.entry = _Entry(self.parser.CurrentLineNumber)
        elif name == f"{_ATOM} author" and self.depth == 3:
            self.in_author = True
        elif name == f"{_ATOM} link" and (href := attrs.get("href", "").strip()):
            self.entry.links.append(href)
            if attrs.get("title") == "doi":
                self.entry.doi_links.append(href)
        elif (self.depth == 3 and name in _FIELDS) or (self.in_author and self.depth == 4 and name == f"{_ATOM} name"):
            self.text, self.text_depth = [], self.depth

    def _text(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _end(self, name: str) -> None:
        self.depth -= 1
        if self.entry is None:
            return
        if self.text is not None:
            if self.depth + 1 == self.text_depth:
                self._field(name, " ".join("".join(self.text).split()))
        elif name == f"{_ATOM} author" and self.depth == 2:
            self.in_author = False
        elif name == f"{_ATOM} entry" and self.depth == 1:
            self.done.append(self.entry)
            self.entry = None

    def _field(self, name: str, value: str) -> None:
        assert self.entry is not None  # _end reads fields inside an entry only
        self.text = None
        if name == f"{_ATOM} name":
            self.entry.authors.append(value)
        else:
            self.entry.fields.setdefault(name.split(" ")[-1], value)


def read_atom(stream: TextIO, source: str) -> Iterator[Paper | ReadProblem]:
    """Raises `ReadError` when the file fails before its first entry (a DOCTYPE, another kind
    of XML, broken markup); a failure later yields a problem after the entries before it."""
    feed = _FeedParser()
    read_any = False
    while True:
        chunk = stream.read(_CHUNK)
        try:
            feed.parser.Parse(chunk, not chunk)
            problem = None
        except _Refused as refused:
            problem = ReadProblem(source, refused.line, str(refused))
        except expat.ExpatError as err:
            problem = ReadProblem(source, err.lineno, f"not well-formed XML ({expat.ErrorString(err.code)})")
        for entry in feed.done:
            read_any = True
            yield _paper(entry, source)
        feed.done.clear()
        if problem is not None and not read_any:
            raise ReadError.from_problem(problem)
        if problem is not None:
            yield problem
        if problem is not None or not chunk:
            return


def _paper(entry: _Entry, source: str) -> Paper | ReadProblem:
    fields = entry.fields
    entry_id = fields.get("id", "")
    if "arxiv.org/api/errors" in entry_id:
        message = fields.get("summary") or fields.get("title") or entry_id
        return ReadProblem(source, entry.line, f"the arXiv API reported an error: {message}")
    if not fields.get("title"):
        return ReadProblem(source, entry.line, "entry has no title")
    doi = next(filter(None, map(normalise_doi, [fields.get("doi", ""), *entry.doi_links])), None)
    urls = entry.links
    if entry_id.startswith(("http://", "https://")) and entry_id not in urls:
        urls = [entry_id, *urls]
    return make_paper(
        source,
        entry.line,
        fields["title"],
        fields.get("summary", ""),
        date_text=fields.get("published") or fields.get("updated"),
        authors=entry.authors,
        arxiv_id=normalise_arxiv_id(entry_id) if entry_id else None,
        doi=doi,
        urls=urls,
    )
