"""LaTeX text markup in titles and abstracts, read as the words it marks.

About one arXiv abstract in ten carries markup from the authors' LaTeX source: `\\textbf{GRPO}`,
`\\emph{data-centric interpretability}`, `82.5\\%`. Left in, the recogniser reads `\\textbfGRPO` as a
word of its own, an entity's name keeps the command (`\\textbfDynamic Entropy Weighting`) and splits
from the same name written plainly. Every reader's text goes through `plain_text` once, so the
offsets of mentions, the evidence shown and the stored abstract all agree.

Only commands that style text are taken out (their argument stays), the escaped characters
`\\%`, `\\&`, `\\_` and `\\#` become the characters, and a tie before a bracket (`models~(LLMs)`)
a space. Mathematics (`$O(n^2)$`), links (`\\href`) and anything else are kept as written: they
carry meaning this module cannot read.
"""

from __future__ import annotations

import re

__all__ = ["plain_text"]

_STYLE = "textbf|textit|emph|texttt|textsc|textsf|textrm|textup|textsl|textmd|textnormal|underline|uline|mbox"
# a styling command and its argument, when the argument holds no further braces (nested styling,
# `\textbf{\textit{X}}`, is taken from the inside out)
_STYLED = re.compile(rf"\\(?:{_STYLE})\s*\{{([^{{}}]*)\}}")
_COLOURED = re.compile(r"\\textcolor\s*\{[^{}]*\}\s*\{([^{}]*)\}")
_TIE = re.compile(r"(?<=\w)~(?=[(\[])")  # LaTeX's unbreakable space: `large language models~(LLMs)`
_ESCAPED = re.compile(r"(?<!\\)\\([%&_#])")  # not after a backslash: `\\%` is a line break and a comment


def plain_text(text: str) -> str:
    """`text` with LaTeX styling commands replaced by their argument, `\\%`, `\\&`, `\\_`, `\\#`
    by the characters and a tie before a bracket by a space: `\\textbf{GRPO} gains 3.1\\%` -> `GRPO
    gains 3.1%`. Idempotent."""
    if "\\" not in text and "~" not in text:
        return text
    while True:  # each round takes out at least one command, so this ends
        plain = _COLOURED.sub(r"\1", _STYLED.sub(r"\1", text))
        if plain == text:
            break
        text = plain
    return _TIE.sub(" ", _ESCAPED.sub(r"\1", text))
