"""From the fields a listing gives to a `Paper`: shared by every reader.

`make_paper` takes values already picked out of a record; `paper_from_mapping` first picks them
out of a JSON object or CSV row (keys case-insensitive):

- ``title`` (required), ``abstract`` or ``summary``;
- ``arxiv_id`` or ``arxiv``, ``doi``, and ``id`` when it is an arXiv id, a DOI or a URL
  (any other ``id`` is the listing's own and is ignored);
- ``date_text`` (the form `Paper.to_dict` writes), ``date`` or ``published``, else ``year``;
- ``authors``: a list of names (or of objects with a ``name``), or one string split at ``;`` when
  it has one, else at ``,`` and `` and ``; ``author_count``; ``upvotes``;
- ``url``, ``urls`` or ``link``: a string or a list of strings.

Other keys are ignored, so `Paper.to_dict()` output reads back in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from paperkg.extract.paper_keys import normalise_arxiv_id, normalise_doi, paper_key
from paperkg.extract.readers.dates import parse_date
from paperkg.extract.readers.markup import plain_text
from paperkg.extract.readers.problems import ReadProblem
from paperkg.extract.readers.urls import code_urls, find_urls, is_web_url
from paperkg.extract.records import Paper

__all__ = ["make_paper", "paper_from_mapping"]


def make_paper(
    source: str,
    line: int,
    title: str,
    abstract: str = "",
    *,
    date_text: str | None = None,
    authors: Iterable[str] = (),
    author_count: int | None = None,
    upvotes: int | None = None,
    arxiv_id: str | None = None,
    doi: str | None = None,
    urls: Iterable[str] = (),
) -> Paper:
    """A Paper with its key, parsed date and URLs worked out, its title and abstract as plain text
    (LaTeX styling read as the words it marks, runs of white space as one space).

    `arxiv_id` and `doi` must already be normalised. When absent they are taken from the
    record's own `urls` (an arxiv.org or doi.org link), never from URLs in the abstract, which
    usually cite other work. Values of `urls` that are not http(s) URLs valid as IRIs (``n/a``,
    a bare file name) are dropped: the graph can only hold URLs as IRIs.
    """
    title = " ".join(plain_text(title).split())
    abstract = " ".join(plain_text(abstract).split())
    own_urls = list(dict.fromkeys(u for u in urls if is_web_url(u)))
    if arxiv_id is None:
        arxiv_id = next(filter(None, map(normalise_arxiv_id, own_urls)), None)
    if doi is None:
        doi = next(filter(None, (normalise_doi(u) for u in own_urls if "doi.org/" in u)), None)
    if arxiv_id is None and doi is not None:
        arxiv_id = normalise_arxiv_id(doi)
    all_urls = tuple(dict.fromkeys([*own_urls, *find_urls(abstract)]))
    authors = tuple(authors)
    date, year = parse_date(date_text) if date_text else (None, None)
    return Paper(
        key=paper_key(title, arxiv_id, doi),
        title=title,
        abstract=abstract,
        source=source,
        line=line,
        date=date,
        date_text=date_text,
        year=year,
        authors=authors,
        author_count=len(authors) if author_count is None and authors else author_count,
        upvotes=upvotes,
        arxiv_id=arxiv_id,
        doi=doi,
        urls=all_urls,
        code_urls=tuple(code_urls(all_urls)),
    )


class _BadField(ValueError):
    pass


def paper_from_mapping(data: object, source: str, line: int) -> Paper | ReadProblem:
    """The Paper in one JSON object or CSV row, or the problem that keeps it out."""
    if not isinstance(data, Mapping):
        return ReadProblem(source, line, f"expected an object with a title, got {_kind(data)}")
    fields = {str(k).strip().lower(): v for k, v in data.items()}
    try:
        title = _text(fields, "title")
        if not title:
            return ReadProblem(source, line, "record has no title")
        urls = _strings(fields, "url", "urls", "link")
        arxiv_id, doi = _identifiers(fields, urls)
        date_text = _text(fields, "date_text", "date", "published")
        if date_text is None and (year := _whole_number(fields, "year")) is not None:
            date_text = str(year)
        return make_paper(
            source,
            line,
            title,
            _text(fields, "abstract", "summary") or "",
            date_text=date_text,
            authors=_authors(fields.get("authors")),
            author_count=_whole_number(fields, "author_count"),
            upvotes=_whole_number(fields, "upvotes"),
            arxiv_id=arxiv_id,
            doi=doi,
            urls=urls,
        )
    except _BadField as bad:
        return ReadProblem(source, line, str(bad))


def _identifiers(fields: dict, urls: list[str]) -> tuple[str | None, str | None]:
    arxiv_id = doi = None
    if raw := _text(fields, "arxiv_id", "arxiv"):
        arxiv_id = normalise_arxiv_id(raw)
        if arxiv_id is None:
            raise _BadField(f"arxiv_id {raw!r} is not an arXiv identifier")
    if raw := _text(fields, "doi"):
        doi = normalise_doi(raw)
        if doi is None:
            raise _BadField(f"doi {raw!r} is not a DOI")
    if raw := _text(fields, "id"):
        if arxiv_id is None:
            arxiv_id = normalise_arxiv_id(raw)
        if arxiv_id is None and doi is None:
            doi = normalise_doi(raw)
        if raw.lower().startswith(("http://", "https://")):
            urls.append(raw)
    return arxiv_id, doi


def _first(fields: dict, names: tuple[str, ...]) -> tuple[str, object]:
    """The first of `names` with a value that is not null or empty."""
    for name in names:
        value = fields.get(name)
        if value is not None and value != "":
            return name, value
    return names[0], None


def _text(fields: dict, *names: str) -> str | None:
    name, value = _first(fields, names)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _BadField(f"{name} must be text, got {_kind(value)}")
    return str(value).strip() or None


def _whole_number(fields: dict, *names: str) -> int | None:
    name, value = _first(fields, names)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _BadField(f"{name} must be a whole number, got {value!r}")


def _strings(fields: dict, *names: str) -> list[str]:
    name, value = _first(fields, names)
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _BadField(f"{name} must be a string or a list of strings")
    return [v.strip() for v in values if v.strip()]


def _authors(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        parts = re.split(r";" if ";" in value else r",|\band\b", value)
        return [" ".join(p.split()) for p in parts if p.strip()]
    if isinstance(value, list):
        names = [v.get("name") if isinstance(v, Mapping) else v for v in value]
        strings = [n for n in names if isinstance(n, str)]
        if len(strings) == len(names):
            return [" ".join(n.split()) for n in strings if n.strip()]
    raise _BadField("authors must be a list of names or a string of names")


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )
