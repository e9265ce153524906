"""Dates as listings write them, turned into an ISO date and a year only when the text says so.

A date without a year (``Oct 16``, as Hugging Face prints dates of the current year) keeps what
it says, month and day, as ISO 8601 writes a date whose year is unknown: ``--10-16`` (XSD's
``gMonthDay``). The year is never guessed. Every date paperkg shows (lookup, queries, extract
output) is one of these two forms, ``2024-10-16`` or ``--10-16``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

__all__ = ["ParsedDate", "parse_date", "xsd_type"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ]\S*)?")
_MONTH_DAY = re.compile(r"([A-Za-z]+)\.? (\d{1,2})(?:,? (\d{4}))?")  # Jun 1, 2023 / Oct 16
_DAY_MONTH = re.compile(r"(\d{1,2}) ([A-Za-z]+)\.?,? (\d{4})")  # 1 Jun 2023


class ParsedDate(NamedTuple):
    date: str | None  # YYYY-MM-DD when year, month and day are known and valid; --MM-DD without a year
    year: int | None


def xsd_type(date: str) -> str:
    """The XSD datatype of a `ParsedDate.date`: ``date`` or, for ``--MM-DD``, ``gMonthDay``."""
    return "gMonthDay" if date.startswith("--") else "date"


def parse_date(text: str) -> ParsedDate:
    """ISO 8601 dates and datetimes, ``YYYY``, ``YYYY-MM``, ``Mon D[, YYYY]``, ``D Mon YYYY``.

    Anything else gives ``(None, None)``; the caller keeps the text as written either way.
    """
    s = " ".join(text.split())
    if m := _ISO.fullmatch(s):
        year, month, day = m.groups()
        return _checked(int(year), month and int(month), day and int(day))
    if m := _MONTH_DAY.fullmatch(s):
        month = _MONTHS.get(m[1].lower())
        if month is not None:
            return _checked(m[3] and int(m[3]), month, int(m[2]))
    if m := _DAY_MONTH.fullmatch(s):
        month = _MONTHS.get(m[2].lower())
        if month is not None:
            return _checked(int(m[3]), month, int(m[1]))
    return ParsedDate(None, None)


def _checked(year: int | None, month: int | None, day: int | None) -> ParsedDate:
    if month is None or day is None:
        return ParsedDate(None, year)
    try:
        dt.date(year or 2000, month, day)  # 2000 is a leap year: Feb 29 stands without a year
    except ValueError:  # Feb 30: the year is still what the text says
        return ParsedDate(None, year)
    if year is None:
        return ParsedDate(f"--{month:02d}-{day:02d}", None)
    return ParsedDate(f"{year:04d}-{month:02d}-{day:02d}", year)
