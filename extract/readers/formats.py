"""Which reader a file gets: by extension when it names a format, else by its first characters.

``.jsonl``/``.ndjson`` -> JSON Lines, ``.json`` -> JSON, ``.csv``/``.tsv`` -> CSV, ``.xml``/``.atom``
-> Atom. Any other name (``.txt``, none, ...) is recognised by content: ``[`` or ``{`` -> JSON,
``<`` -> Atom, the Daily Papers page's marks (``·`` lines, ``• N authors``, its header) -> Daily
Papers text, a delimited header row with a ``title`` column -> CSV. A ``.gz`` suffix is looked
through: ``papers.jsonl.gz`` is JSON Lines (the file is decompressed as it is read).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from typing import TextIO

from paperkg.extract.readers.atom import read_atom
from paperkg.extract.readers.csv_records import header_delimiter, read_csv
from paperkg.extract.readers.hf_daily import looks_like_hf_daily, read_hf_daily
from paperkg.extract.readers.json_records import read_json, read_json_lines
from paperkg.extract.readers.problems import ReadProblem
from paperkg.extract.records import Paper

__all__ = ["FORMATS", "detect_format"]

Reader = Callable[[TextIO, str], Iterator[Paper | ReadProblem]]

FORMATS: dict[str, Reader] = {
    "hf-daily": read_hf_daily,
    "jsonl": read_json_lines,
    "json": read_json,
    "csv": read_csv,
    "tsv": partial(read_csv, prefer_tab=True),
    "atom": read_atom,
}
"""Format name -> reader; every reader takes (text stream, source) and yields records."""

DESCRIPTIONS = {
    "hf-daily": "Hugging Face Daily Papers text",
    "jsonl": "JSON Lines",
    "json": "JSON",
    "csv": "CSV",
    "tsv": "CSV",
    "atom": "arXiv Atom XML",
}

_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".xml": "atom",
    ".atom": "atom",
}


def detect_format(path: str, head: str) -> str | None:
    """The name of the format of the file at `path` whose text starts with `head`, or None."""
    stem, extension = os.path.splitext(path)
    if extension.lower() == ".gz":
        extension = os.path.splitext(stem)[1]
    by_extension = _EXTENSIONS.get(extension.lower())
    if by_extension:
        return by_extension
    start = head.lstrip()[:1]
    if start in ("[", "{"):
        return "json"
    if start == "<":
        return "atom"
    if looks_like_hf_daily(head):
        return "hf-daily"
    first_line = head.lstrip().partition("\n")[0]
    if header_delimiter(first_line) is not None:
        return "csv"
    return None
