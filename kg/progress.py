"""Progress on stderr for long work, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable


def progress_bar(description: str) -> Callable[[Iterable, int], Iterable]:
    def wrap(items: Iterable, total: int) -> Iterable:
        if not sys.stderr.isatty() or total < 20:
            yield from items
            return
        from rich.console import Console
        from rich.progress import Progress

        with Progress(transient=True, console=Console(stderr=True)) as bar:
            task = bar.add_task(description, total=total)
            for item in items:
                yield item
                bar.advance(task)

    return wrap
