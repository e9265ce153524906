"""What goes wrong while reading: a `ReadProblem` for one bad record, a `ReadError` for a whole file.

Both print as ``path:line: message`` (``path: message`` when no line applies), the form the CLI
shows on stderr.
"""

from __future__ import annotations

from dataclasses import dataclass

from paperkg.schema.errors import PaperkgError


@dataclass(frozen=True)
class ReadProblem:
    """A record (or a file, when it stands in for a `ReadError`) that was skipped, and why.

    With ``skipped=False`` it is a warning about a record that was still read (an abstract cut
    to the length limit): strict mode does not stop for it.
    """

    source: str  # the path as given (or as found under a directory that was given)
    line: int | None  # 1-based line where the problem starts, when one applies
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


class ReadError(PaperkgError):
    """A file that cannot be read at all (empty, binary, badly encoded, unknown format, ...).

    In strict mode a per-record `ReadProblem` is raised as a `ReadError` too, so callers catch one
    type.
    """

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.problem = ReadProblem(source, line, message)
        super().__init__(str(self.problem))

    @classmethod
    def from_problem(cls, problem: ReadProblem) -> ReadError:
        return cls(problem.source, problem.message, problem.line)

    @property
    def source(self) -> str:
        return self.problem.source

    @property
    def line(self) -> int | None:
        return self.problem.line

    @property
    def message(self) -> str:
        return self.problem.message
