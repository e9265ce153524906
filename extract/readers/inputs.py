"""From the paths a user gives (files and directories) to a stream of papers and problems."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from paperkg.extract.readers.formats import DESCRIPTIONS, FORMATS, detect_format
from paperkg.extract.readers.limits import within_limits
from paperkg.extract.readers.problems import ReadError, ReadProblem
from paperkg.extract.readers.textfile import open_text
from paperkg.extract.records import Paper

__all__ = ["ReadResult", "input_files", "iter_file", "read_inputs", "read_papers"]

PathLike = str | os.PathLike
_EXPECTED = "Hugging Face Daily Papers text, JSON Lines, JSON, CSV or arXiv Atom XML"


@dataclass
class ReadResult:
    papers: list[Paper] = field(default_factory=list)  # in reading order, duplicates included
    problems: list[ReadProblem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file read or tried, in order


def iter_file(path: PathLike, fmt: str | None = None) -> Iterator[Paper | ReadProblem]:
    """The papers in one file, and the problems with records that were skipped.

    `fmt` forces a format (a key of `FORMATS`); by default it is detected. Raises `ReadError`
    when the file as a whole cannot be read, including when it holds no papers at all.
    """
    source = os.fspath(path)
    if os.path.exists(source) and not os.path.isfile(source):
        raise ReadError(source, "is a directory" if os.path.isdir(source) else "not a regular file")
    stream, text = open_text(source)
    with stream:
        fmt = fmt or detect_format(source, text.head)
        if fmt is None:
            raise ReadError(source, f"unknown format (expected {_EXPECTED})")
        found = False
        for item in FORMATS[fmt](stream, source):
            found = True
            if isinstance(item, Paper):
                yield from within_limits(item)
            else:
                yield item
    if not found:
        raise ReadError(source, f"no papers found in this file (read as {DESCRIPTIONS[fmt]})")


def input_files(paths: PathLike | Iterable[PathLike]) -> Iterator[str | ReadProblem]:
    """The files to read for `paths`: a file as given, a directory as every file under it.

    Inside directories, hidden files and directories (names starting with ``.``) and anything
    that is not a regular file are left out, symbolic links to directories are not followed, and
    files come sorted by path, so the order never depends on the file system. A directory
    yields a problem instead when it has nothing to read or cannot be listed.
    """
    for path in _as_list(paths):
        source = os.fspath(path)
        if not os.path.isdir(source):
            yield source
            continue
        files, problems = _walk(source)
        yield from problems
        yield from files
        if not files and not problems:
            yield ReadProblem(source, None, "directory has no files to read")


def read_inputs(
    paths: PathLike | Iterable[PathLike],
    strict: bool = False,
    on_file: Callable[[str], None] | None = None,
) -> Iterator[Paper | ReadProblem]:
    """Every paper in `paths`, streamed, with a `ReadProblem` for each skipped record or file.

    With `strict`, the first problem of any kind is raised as a `ReadError` instead. `on_file`
    is called with each file's path before it is read (for progress display).
    """
    for item in _records(paths, on_file):
        if strict and isinstance(item, ReadProblem) and item.skipped:
            raise ReadError.from_problem(item)
        yield item


def read_papers(paths: PathLike | Iterable[PathLike], strict: bool = False) -> ReadResult:
    """`read_inputs` collected into lists; for small inputs, notebooks and tests."""
    result = ReadResult()
    for item in read_inputs(paths, strict, on_file=result.files.append):
        (result.papers if isinstance(item, Paper) else result.problems).append(item)
    return result


def _records(
    paths: PathLike | Iterable[PathLike], on_file: Callable[[str], None] | None
) -> Iterator[Paper | ReadProblem]:
    for path in _as_list(paths):
        source = os.fspath(path)
        files = list(input_files([source]))
        tried = read_any = 0
        for entry in files:
            if isinstance(entry, ReadProblem):
                yield entry
                continue
            tried += 1
            if on_file is not None:
                on_file(entry)
            try:
                for item in iter_file(entry):
                    read_any = read_any or isinstance(item, Paper)
                    yield item
            except ReadError as err:
                yield err.problem
        if os.path.isdir(source) and tried and not read_any:
            yield ReadProblem(
                source, None, f"nothing readable in this directory ({tried} file{'s' if tried > 1 else ''} skipped)"
            )


def _walk(root: str) -> tuple[list[str], list[ReadProblem]]:
    files: list[tuple[list[str], str]] = []
    problems: list[ReadProblem] = []

    def unlistable(err: OSError) -> None:
        where = err.filename or root
        problems.append(ReadProblem(where, None, f"cannot list directory: {(err.strerror or str(err)).lower()}"))

    for directory, subdirs, names in os.walk(root, onerror=unlistable):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        for name in names:
            full = os.path.join(directory, name)
            if not name.startswith(".") and os.path.isfile(full):
                files.append((os.path.relpath(full, root).split(os.sep), full))
    files.sort()
    return [full for _, full in files], problems


def _as_list(paths: PathLike | Iterable[PathLike]) -> list[PathLike]:
    return [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
