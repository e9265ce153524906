"""The errors of running a query, each with a message meant for the user.

`syntax_error` turns the engine's own report of malformed SPARQL into a `QuerySyntaxError` that
shows the line and column where the parser stopped.
"""

from __future__ import annotations

import re

from paperkg.schema.errors import PaperkgError


class QueryError(PaperkgError):
    """A query that cannot be run; the message is meant for the user."""


class QuerySyntaxError(QueryError):
    """Malformed SPARQL, with the 1-based line and column where the parser stopped."""

    exit_code = 2

    def __init__(self, message: str, text: str, line: int | None, column: int | None, *, undeclared_prefix=False):
        super().__init__(message)
        self.message, self.text, self.line, self.column = message, text, line, column
        self.undeclared_prefix = undeclared_prefix

    @property
    def source_line(self) -> str | None:
        lines = self.text.splitlines()
        if self.line is None or not 1 <= self.line <= len(lines):
            return None
        return lines[self.line - 1]

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line else ""
        report = f"syntax error at {where}{self.message}"
        if self.source_line is not None:
            before = self.source_line[: max(0, (self.column or 1) - 1)]
            caret = "".join("\t" if ch == "\t" else " " for ch in before) + "^"
            report += f"\n  {self.source_line}\n  {caret}"
        return report


class QueryTimeout(QueryError):
    def __init__(self, seconds: float):
        super().__init__(
            f"the query was stopped after {seconds:g} s (give more time with --timeout SECONDS, 0 for no limit)"
        )


class ServiceRefused(QueryError):
    def __init__(self) -> None:
        super().__init__(
            "refused: the query uses SERVICE, which makes the engine fetch another server's data over "
            "the network; pass --allow-service to allow federation"
        )


class UpdateRefused(QueryError):
    def __init__(self, operation: str):
        super().__init__(
            f"refused: this is a SPARQL update ({operation}) and kg query is read-only; "
            "nothing was changed (pass --allow-update to apply it to the store)"
        )
        self.operation = operation


_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def syntax_error(exc: SyntaxError, text: str) -> QuerySyntaxError:
    """Oxigraph's "error at L:C: expected one of ..." as a `QuerySyntaxError`."""
    message = str(exc)
    match = _OXIGRAPH_POSITION.match(message)
    line = column = None
    if match:
        line, column, message = int(match[1]), int(match[2]), match[3]
    undeclared = "Prefix not found" in message
    if undeclared:
        message = "undeclared prefix (the predeclared ones are listed by `kg query --prefixes`)"
    message = " ".join(message.split())
    if len(message) > 200:  # Oxigraph lists every token it could have accepted
        message = message[:200].rsplit(" ", 1)[0] + " ..."
    return QuerySyntaxError(message, text, line, column, undeclared_prefix=undeclared)
