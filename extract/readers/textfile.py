"""Opening a listing as text, or saying in one line why it cannot be.

Encodings: UTF-8, with or without a byte-order mark, and UTF-16 when it starts with its BOM (what
some Windows tools write). There is no guessing of legacy encodings: cp1252 or Latin-1 would
"decode" almost any bytes, turning a wrongly encoded file into silently garbled titles, so a file
that is not valid UTF-8 is refused with the line and byte offset of the first bad byte.

The whole file is checked before any record is parsed, in fixed-size chunks, so a file refused
for its encoding contributes no records at all, and memory stays flat on large inputs.

A gzip-compressed file (``papers.jsonl.gz``, or any file starting with gzip's magic bytes) is read
through `gzip` transparently: the checks above apply to its decompressed text, and a corrupt or
truncated archive is refused like a badly encoded file.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from typing import BinaryIO, NamedTuple, TextIO

from paperkg.extract.readers.problems import ReadError

__all__ = ["TextFile", "open_text"]

_CHUNK = 1 << 20
_HEAD_CHARS = 64 * 1024  # enough text to recognise a format by
_SNIFF_BYTES = 8192
_BOMS = (  # (BOM, encoding to open with, which strips the BOM, codec for the bytes after it)
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
_MAGIC = {  # common binary formats people point tools at by mistake
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a zip archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"SQLite format 3\x00": "an SQLite database",
    b"\x7fELF": "an executable",
}


class TextFile(NamedTuple):
    encoding: str
    head: str  # the first characters of the text, for sniffing the format


def open_text(source: str) -> tuple[TextIO, TextFile]:
    """Check `source` and open it for reading as text with ``newline=""``.

    ``newline=""`` splits lines at ``\\n``, ``\\r\\n`` and ``\\r`` but hands line endings through
    untranslated, which the csv module needs and line-based readers strip. Raises `ReadError`.
    """
    encoding, head = _check(source)
    try:
        stream = io.TextIOWrapper(_open_bytes(source), encoding=encoding, newline="")
    except OSError as err:
        raise ReadError(source, _os_reason(err)) from None
    return stream, TextFile(encoding, head)


_GZIP_MAGIC = b"\x1f\x8b"


def _open_bytes(source: str) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip."""
    raw = open(source, "rb")
    if raw.read(2) == _GZIP_MAGIC:
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    raw.seek(0)
    return raw


def _check(source: str) -> tuple[str, str]:
    try:
        return _check_text(source)
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        reason = "the archive ends early" if isinstance(err, EOFError) else str(err) or "corrupt data"
        raise ReadError(source, f"not a readable gzip file ({reason})") from None


def _check_text(source: str) -> tuple[str, str]:
    try:
        with _open_bytes(source) as f:
            chunk = f.read(_SNIFF_BYTES)
            encoding, codec, offset = _encoding(source, chunk)
            chunk = chunk[offset:]
            decoder = codecs.getincrementaldecoder(codec)()
            head: list[str] = []
            head_len = 0
            chars = 0
            has_text = False
            lines = 1
            while chunk:
                pending = decoder.getstate()[0]
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as err:
                    data = pending + chunk
                    line = lines + data[: err.start].decode(codec).count("\n")
                    raise ReadError(
                        source,
                        f"not valid {_name(codec)} (byte 0x{data[err.start]:02X} at offset "
                        f"{offset - len(pending) + err.start}); save the file as UTF-8",
                        line,
                    ) from None
                offset += len(chunk)
                chars += len(text)
                lines += text.count("\n")
                has_text = has_text or (text != "" and not text.isspace())
                if head_len < _HEAD_CHARS:
                    head.append(text)
                    head_len += len(text)
                chunk = f.read(_CHUNK)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise ReadError(
                    source, f"not valid {_name(codec)}: the file ends in the middle of a character", lines
                ) from None
    except gzip.BadGzipFile:
        raise
    except OSError as err:
        raise ReadError(source, _os_reason(err)) from None
    if not has_text:
        raise ReadError(source, "empty file" if chars == 0 else "empty file (only whitespace)")
    text_head = "".join(head)[:_HEAD_CHARS]
    if "\x00" in text_head:
        raise ReadError(source, "binary file (contains NUL characters), not a text listing")
    return encoding, text_head


def _encoding(source: str, first: bytes) -> tuple[str, str, int]:
    """(encoding to open the file with, codec to check it with, length of its BOM)."""
    for bom, encoding, codec in _BOMS:
        if first.startswith(bom):
            return encoding, codec, len(bom)
    for magic, what in _MAGIC.items():
        if first.startswith(magic):
            raise ReadError(source, f"binary file ({what}), not a text listing")
    if b"\x00" in first:
        raise ReadError(source, "binary file (contains NUL bytes), not a text listing")
    return "utf-8", "utf-8", 0


def _name(codec: str) -> str:
    return "UTF-8" if codec == "utf-8" else "UTF-16"


def _os_reason(err: OSError) -> str:
    return (err.strerror or str(err)).lower()
