"""Writing a file so that readers see the old one or the whole new one, never half of it.

The one way paperkg replaces a file (the store's CURRENT pointer, the label cache, exports,
`kg extract -o`, the `kg viz` page): a temporary file in the same directory (a rename is atomic
only within one file system) created with the mode any new file gets (0o666 less the umask, as
`open` makes it; `mkstemp` would make it private, and reading the umask means setting it for the
whole process, RocksDB's threads included), flushed to disk, renamed over the target, and the
directory flushed so the rename survives a crash. On any failure the temporary file is removed and
the target is left as it was.

It lives in kg, not in schema or viz: viz returns the page as text and the `kg viz` command writes
it, so every writer is on the kg side and schema stays the vocabulary and errors only.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from paperkg.schema.errors import WriteError


@contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside `path` to write to; it replaces `path` only if the block succeeds."""
    path = Path(path)
    tmp = _new_file(path.parent, f".{path.name}.")
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _sync_directory(path.parent)


def write_text(path: str | os.PathLike, text: str | Iterable[str]) -> Path:
    """Replace `path` with `text` (a string or its pieces, written as they come), as UTF-8."""
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
        out.writelines([text] if isinstance(text, str) else text)
    return Path(path)


def cannot_write(path: str | os.PathLike, exc: OSError) -> WriteError:
    """The one message for a file that could not be written, `exc` saying why."""
    return WriteError(f"cannot write {path}: {exc.strerror or exc}; nothing was written")


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_file(directory: Path, prefix: str) -> Path:
    """An empty file of a fresh name in `directory`, mode 0o666 less the umask (the kernel's doing)."""
    while True:
        tmp = directory / f"{prefix}{secrets.token_hex(6)}.tmp"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return tmp
