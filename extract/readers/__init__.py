"""Corpus readers: files of paper listings in, `Paper` records out.

Formats: the Hugging Face Daily Papers page as text, JSON Lines, JSON arrays, CSV/TSV and arXiv
API Atom XML, chosen by extension and content (see `formats`), each possibly gzip-compressed. A
directory means every file in it. Typical use::

    for item in read_inputs(paths, strict=strict):
        if isinstance(item, ReadProblem):
            print(item, file=sys.stderr)  # "path:line: message"; the record was skipped
        else:
            ...  # a Paper

A whole file that cannot be read (empty, binary, not UTF-8, unknown format, no papers) arrives
as a `ReadProblem` with no line or the line at fault; with ``strict=True`` the first problem of
any kind is raised as `ReadError`. Records stream: nothing holds a whole file's papers.
`unique_papers` (from `extract.dedup`) merges the same paper read more than once.
"""

from paperkg.extract.dedup import unique_papers
from paperkg.extract.readers.formats import FORMATS, detect_format
from paperkg.extract.readers.inputs import ReadResult, input_files, iter_file, read_inputs, read_papers
from paperkg.extract.readers.problems import ReadError, ReadProblem

__all__ = [
    "FORMATS",
    "ReadError",
    "ReadProblem",
    "ReadResult",
    "detect_format",
    "input_files",
    "iter_file",
    "read_inputs",
    "read_papers",
    "unique_papers",
]
