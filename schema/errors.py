"""The one base of every error paperkg means for its user, and the exit code each one gets.

It lives in `schema`, the leaf package every other one may import (extract, kg and viz alike).
An error of this kind carries a message written for the user; the CLI (`kg.cli`) prints it as one
line and exits with `exit_code`. Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations


class PaperkgError(Exception):
    """A failure the user can act on; `str(error)` is the whole message."""

    exit_code = 1


class InputError(PaperkgError, ValueError):
    """A file or value the user gave that paperkg cannot use (also a ValueError, as it was before)."""


class NotFoundError(PaperkgError, FileNotFoundError):
    """A file or directory paperkg needs (a model, a gold file) is not there."""


class WriteError(PaperkgError):
    """A file paperkg was asked to write cannot be written (a missing directory, a full disk).

    Every command that writes a file the user named says so with this one error and leaves the
    file as it was (see `kg.files`).
    """


class NothingFound(PaperkgError):
    """A search that found nothing, not even approximately: the command's answer is an error."""
