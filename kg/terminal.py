"""Text from papers on its way to a terminal: control characters shown, never obeyed.

A title or abstract is untrusted. An ANSI escape in it (``\\x1b[2J`` clears the screen, OSC 8
forges a link) must reach the terminal as visible text, so every C0 and C1 control character,
DEL, and the Unicode bidirectional overrides are shown as a ``\\xNN``/``\\uNNNN`` escape. Tab is
kept as a space, line breaks are kept only where the caller allows them.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the bidi controls that reorder what is displayed (Trojan Source)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile(_CONTROL.pattern[:-1] + r"\n\r\t]")


def _escape(match: re.Match) -> str:
    char = match[0]
    if char == "\t":
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = False) -> str:
    """`text` with its control characters escaped; line breaks too unless `newlines`."""
    return (_CONTROL if newlines else _CONTROL_OR_NEWLINE).sub(_escape, text)


def plural(n: int, word: str) -> str:
    """`n` and `word`, in the plural unless `n` is one: "1 paper", "2 papers"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
