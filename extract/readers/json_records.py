"""JSON Lines, and JSON documents holding an array of paper objects (or a single one).

Both stream: JSON Lines one line at a time, an array one element at a time through
`json.JSONDecoder.raw_decode` over a sliding buffer, so a 50,000-paper array is never one parsed
list in memory. A bad line in JSON Lines is reported with its number and the other lines still
land; a syntax error inside an array ends that file after the elements before it, since there is
no telling where the next element would start.

JSON is the one format that can carry text no file could: a ``\\ud800`` escape decodes to a lone
surrogate, which no encoder accepts downstream, so those become U+FFFD as each record is parsed.
Nesting deeper than Python's parser can follow is a problem with that record, not a crash.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from typing import TextIO

from paperkg.extract.readers.fields import paper_from_mapping
from paperkg.extract.readers.problems import ReadProblem
from paperkg.extract.records import Paper

__all__ = ["read_json", "read_json_lines"]

_CHUNK = 1 << 20
_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"
_SURROGATE = re.compile("[\ud800-\udfff]")
_TOO_DEEP = "not valid JSON (nested too deeply)"


def read_json_lines(stream: TextIO, source: str) -> Iterator[Paper | ReadProblem]:
    """JSON Lines; a file that starts with a ``[`` not closed on its first line (a pretty-printed
    or long minified array) is read as a JSON array."""
    number, first = _first_line(stream)
    if first.lstrip(_SPACE).startswith("[") and not _is_json(first):
        yield from _array(number, first, stream, source)
    else:
        yield from _lines(number, first, stream, source)


def read_json(stream: TextIO, source: str) -> Iterator[Paper | ReadProblem]:
    """A ``.json`` file: an array of objects, JSON Lines (which many tools write as ``.json``),
    or one object, possibly spread over many lines."""
    number, first = _first_line(stream)
    if first.lstrip(_SPACE).startswith("["):
        yield from _array(number, first, stream, source)
        return
    if not first.endswith(("\n", "\r")):
        first += stream.readline()  # an object's line, needed whole whatever it turns out to be
    if _is_object(first):
        yield from _lines(number, first, stream, source)
    else:
        try:
            data = json.loads(first + stream.read())
        except json.JSONDecodeError as err:
            yield _invalid(source, number + err.lineno - 1, err)
            return
        except RecursionError:
            yield ReadProblem(source, number, _TOO_DEEP)
            return
        yield _paper(data, source, number)


def _first_line(stream: TextIO) -> tuple[int, str]:
    """The first non-blank line and its number; at most `_CHUNK` characters of it, so that a
    minified array (one line of the whole file) is not read in one go."""
    number = 1
    while (line := stream.readline(_CHUNK)) and not line.strip(_SPACE):
        number += line.endswith(("\n", "\r"))
    return number, line


def _lines(first_number: int, first: str, rest: TextIO, source: str) -> Iterator[Paper | ReadProblem]:
    if not first.endswith(("\n", "\r")):
        first += rest.readline()
    for number, line in enumerate(itertools.chain([first], rest), first_number):
        if not line.strip(_SPACE):
            continue
        try:
            data = json.loads(line.rstrip("\r\n"))  # so columns in messages are on this line
        except json.JSONDecodeError as err:
            yield _invalid(source, number, err)
            continue
        except RecursionError:
            yield ReadProblem(source, number, _TOO_DEEP)
            continue
        # A line holding an array is a (mislabelled) minified JSON array: its elements are the
        # records, as they are when the line is too long to check and is streamed as an array.
        for record in data if isinstance(data, list) else [data]:
            yield _paper(record, source, number)


def _paper(data: object, source: str, line: int) -> Paper | ReadProblem:
    try:
        return paper_from_mapping(_valid_text(data), source, line)
    except RecursionError:  # a record nested almost as deep as the parser goes
        return ReadProblem(source, line, _TOO_DEEP)


def _valid_text(value: object) -> object:
    """`value` with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_valid_text(k): _valid_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_valid_text(v) for v in value]
    return value


def _invalid(source: str, line: int, err: json.JSONDecodeError) -> ReadProblem:
    return ReadProblem(source, line, f"not valid JSON ({_reason(err)} at column {err.colno})")


def _reason(err: json.JSONDecodeError) -> str:
    return err.msg.removesuffix(" at")  # "Unterminated string starting at" names no place


def _is_object(line: str) -> bool:
    return _is_json(line) and line.lstrip(_SPACE).startswith("{")


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    except RecursionError:  # parsed this far, it is one line's value, nested too deep: reported by line
        return True
    return True


class _Buffer:
    """A window on a text stream: `text` from some point on, and line numbers into it."""

    def __init__(self, line: int, head: str, rest: TextIO) -> None:
        self.text = head
        self._rest = rest
        self.eof = False
        self._line = line  # line number at `_cursor`
        self._cursor = 0

    def line(self, pos: int) -> int:
        """Line number of `pos`; positions asked for must not go backwards."""
        self._line += self.text.count("\n", self._cursor, pos)
        self._cursor = pos
        return self._line

    def load(self, keep_from: int) -> int:
        """Drop text before `keep_from`, append more; returns `keep_from`'s new position (0)."""
        chunk = self._rest.read(_CHUNK)
        if not chunk:
            self.eof = True
            return keep_from
        self.line(keep_from)
        self.text = self.text[keep_from:] + chunk
        self._cursor = 0
        return 0

    def skip_space(self, pos: int) -> int:
        """Position of the next non-space character (len(text) at the end), loading as needed."""
        while True:
            while pos < len(self.text) and self.text[pos] in _SPACE:
                pos += 1
            if pos < len(self.text) or self.eof:
                return pos
            pos = self.load(pos)


def _array(number: int, head: str, rest: TextIO, source: str) -> Iterator[Paper | ReadProblem]:
    buf = _Buffer(number, head, rest)
    pos = buf.skip_space(0) + 1  # past the "["
    expect_value = True
    first = True
    while True:
        pos = buf.skip_space(pos)
        if pos >= len(buf.text):
            yield ReadProblem(source, buf.line(pos), "the JSON array is never closed")
            return
        char = buf.text[pos]
        if char == "]" and (first or not expect_value):
            break
        if char == "," and not expect_value:
            pos, expect_value = pos + 1, True
            continue
        if not expect_value:
            yield ReadProblem(source, buf.line(pos), "not valid JSON (expected ',' or ']' after an array element)")
            return
        line = buf.line(pos)
        while True:
            try:
                value, end = _DECODER.raw_decode(buf.text, pos)
            except json.JSONDecodeError as err:
                if buf.eof:
                    yield ReadProblem(source, buf.line(err.pos), f"not valid JSON ({_reason(err)})")
                    return
                pos = buf.load(pos)
                continue
            except RecursionError:
                yield ReadProblem(source, line, _TOO_DEEP)
                return
            if end < len(buf.text) or buf.eof:  # a number at the end might continue
                break
            pos = buf.load(pos)
        yield _paper(value, source, line)
        pos, expect_value, first = end, False, False
    if buf.skip_space(pos + 1) < len(buf.text):
        yield ReadProblem(source, buf.line(buf.skip_space(pos + 1)), "unexpected text after the JSON array")
