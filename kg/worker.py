"""A local query evaluated in a worker thread while the caller waits in short steps.

Oxigraph releases the GIL while it evaluates, so the caller stays responsive: Ctrl-C interrupts at
once, and a query still computing after `timeout` seconds of waiting raises `QueryTimeout`.
Oxigraph cannot cancel an evaluation, so the worker thread finishes in the background; the CLI
ends the process instead.
"""

from __future__ import annotations

import gc
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

from paperkg.kg.query_errors import QueryTimeout

T = TypeVar("T")


def in_worker(task: Callable[[], T], timeout: float | None) -> T:
    """`task()` run in a daemon thread while this one waits in short steps.

    Waiting this way lets Ctrl-C (KeyboardInterrupt) through at once, and a task still running
    after `timeout` seconds raises `QueryTimeout` (the thread runs on: Oxigraph cannot be
    cancelled). The cyclic garbage collector is paused while this thread only waits, so that it
    never runs in the worker, where it would drop pyoxigraph objects made by this thread.
    """
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["value"] = task()
        except BaseException as exc:  # handed to the caller, who raises it
            outcome["error"] = _without_locals(exc)

    worker = threading.Thread(target=work, name="paperkg-query", daemon=True)
    collecting = gc.isenabled()
    gc.disable()
    try:
        worker.start()
        waited = 0.0
        while worker.is_alive():
            if timeout is not None and waited >= timeout:
                raise QueryTimeout(timeout)
            step = 0.05 if timeout is None else min(0.05, timeout - waited)
            worker.join(step)
            waited += step
    finally:
        if collecting:
            gc.enable()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _without_locals(exc: BaseException) -> BaseException:
    """`exc` with the local variables of its frames dropped, so that no pyoxigraph object made
    in the worker travels with it to the thread that raises it."""
    seen: BaseException | None = exc
    while seen is not None:
        traceback.clear_frames(seen.__traceback__)
        seen = seen.__cause__ or seen.__context__
    return exc
