"""HTTP requests to a SPARQL server, retried with backoff on transient failures (stdlib only).

Transient: a dropped or reset connection, a timeout, HTTP 429 and 5xx. A refused connection or
an unknown host is not retried: the server is not there, and the user should hear so at once.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from paperkg.schema.errors import PaperkgError

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_MAX_DELAY = 60.0


class HttpError(PaperkgError):
    """A request that failed for good; the message is meant for the user."""


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 5  # attempts after the first
    backoff: float = 0.5  # seconds before the first retry, doubled each time
    timeout: float = 120.0  # seconds per attempt
    sleep: Callable[[float], None] = time.sleep


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    policy: RetryPolicy = RetryPolicy(),
    on_retry: Callable[[str], None] = lambda reason: None,
) -> bytes:
    """The response body of a 2xx answer to `method url`; retries transient failures."""
    attempt = 0
    while True:
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=policy.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRY_STATUS or attempt == policy.retries:
                raise HttpError(f"{method} {url}: HTTP {exc.code} {exc.reason}{_detail(exc)}") from exc
            reason, delay = f"HTTP {exc.code}", _retry_after(exc) or _delay(policy, attempt)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            if not _transient(cause):
                raise HttpError(f"cannot reach {url}: {_describe(cause)}") from exc
            if attempt == policy.retries:
                raise HttpError(f"{method} {url}: {_describe(cause)} (gave up after {attempt + 1} attempts)") from exc
            reason, delay = _describe(cause), _delay(policy, attempt)
        on_retry(f"{reason}; retrying in {delay:.1f}s")
        policy.sleep(delay)
        attempt += 1


def _transient(cause) -> bool:
    if isinstance(cause, (ConnectionRefusedError, socket.gaierror)):
        return False
    return isinstance(cause, (ConnectionError, TimeoutError, socket.timeout, http.client.HTTPException))


def _describe(cause) -> str:
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(cause, socket.gaierror):
        return f"unknown host ({cause.strerror})"
    return str(cause) or type(cause).__name__


def _delay(policy: RetryPolicy, attempt: int) -> float:
    return min(_MAX_DELAY, policy.backoff * 2**attempt)


def _retry_after(exc: urllib.error.HTTPError) -> float | None:
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return min(_MAX_DELAY, max(0.0, float(value))) if value else None
    except ValueError:  # an HTTP date: fall back to our own backoff
        return None


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(300).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return f": {' '.join(text.split())}" if text else ""
