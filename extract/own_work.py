"""A paper's references to its own work without its name: "our method", "the proposed framework".

The relation scorer scores them as mentions of a method, and the graph attaches what it finds for
them to the entity the paper proposes (`kg.relations`). Free of spaCy, so both sides can use it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

# the nouns a paper calls its own method by; "our encoder" or "our loss" names a part, not the whole
OWN_WORK = re.compile(
    r"\b(?:our|the proposed|this) (?:(?:new|novel|proposed) )?(?:method|approach|model|framework|system|"
    r"architecture|algorithm|technique|pipeline|network|scheme|strategy|solution|agent|procedure|"
    r"paradigm|toolkit|estimator)\b",
    re.IGNORECASE,
)

Mention = tuple[int, int, str]  # start, end (characters), graph type


def with_own_work(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """`mentions` and the references to the paper's own work in `text` that overlap none of them
    (as Method mentions), by start."""
    taken = sorted(mentions)
    found = list(taken)
    for m in OWN_WORK.finditer(text):
        i = bisect.bisect_left(taken, (m.end(),))
        if not any(s < m.end() and m.start() < e for s, e, _ in taken[max(0, i - 3) : i]):
            found.append((m.start(), m.end(), "Method"))
    return sorted(found)
