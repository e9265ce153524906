"""CSV (and TSV) with a header row naming the same fields as JSON records (see `fields`).

The delimiter is the first of ``,``, tab, ``;`` and ``|`` that splits the header into several
columns one of which is ``title``; files ending ``.tsv`` try tab first. A row whose number of
fields differs from the header's is reported, not guessed at: an unquoted delimiter inside an
abstract shifts every later column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from paperkg.extract.readers.fields import paper_from_mapping
from paperkg.extract.readers.problems import ReadError, ReadProblem
from paperkg.extract.records import Paper

__all__ = ["header_delimiter", "read_csv"]

_DELIMITERS = (",", "\t", ";", "|")


def header_delimiter(header: str, prefer_tab: bool = False) -> str | None:
    """The delimiter that makes `header` a row of several columns including ``title``."""
    for delimiter in ("\t", *_DELIMITERS) if prefer_tab else _DELIMITERS:
        try:
            names = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:  # e.g. a "header" longer than the csv module's field limit
            continue
        if len(names) > 1 and "title" in (n.strip().lower() for n in names):
            return delimiter
    return None


def read_csv(stream: TextIO, source: str, prefer_tab: bool = False) -> Iterator[Paper | ReadProblem]:
    header_line = stream.readline()
    delimiter = header_delimiter(header_line, prefer_tab)
    if delimiter is None:
        raise ReadError(source, "CSV header has no 'title' column", 1)
    header = [n.strip().lower() for n in next(csv.reader([header_line], delimiter=delimiter))]
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 2  # the header line was read before the reader started
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield ReadProblem(source, start, f"not valid CSV ({err})")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield ReadProblem(source, start, f"row has {_fields(len(row))} but the header has {_fields(len(header))}")
            continue
        yield paper_from_mapping(dict(zip(header, row)), source, start)


def _fields(n: int) -> str:
    return "1 field" if n == 1 else f"{n} fields"
