"""Links in abstracts, and which of them point at code.

`find_urls` takes every http(s) URL, trimming the punctuation that ends the sentence around it
(``.``, ``,``, an unbalanced ``)``). It also takes bare ``github.com/owner/repo``-style links on
the code hosts below, since abstracts often write them without a scheme; those come back as
``https://``.

A code URL is one on a code host that names a repository: github.com, gitlab.com,
bitbucket.org, codeberg.org, gitee.com and sr.ht with at least ``owner/repo`` in the path,
gist.github.com with a path, and Hugging Face Spaces (``huggingface.co/spaces/owner/name``: a
Space is a git repository of application code). Project pages such as ``owner.github.io`` and
model or data set pages on huggingface.co are not code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = ["code_urls", "find_urls", "is_code_url", "is_web_url"]

_REPO_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "git.sr.ht", "sr.ht")
_BARE_HOSTS = ("github.com/", "gitlab.com/", "bitbucket.org/", "codeberg.org/", "gitee.com/")
_URL_CHAR = r"[^\s\x00-\x1f\x7f<>\"'`{}|\\^\[\]]"
_SCHEME_URL = re.compile(rf"https?://{_URL_CHAR}+", re.IGNORECASE)
_BARE_PATH = re.compile(rf"[\w.-]+/[\w.-]+{_URL_CHAR}*")  # owner/repo and whatever follows
_TRAILING = ".,;:!?'\"*"
_WEB_IRI = re.compile(
    r"https?://[^\s\x00-\x1f\x7f/?#@\[\]<>\"{}|\\^`%:]+(?::\d+)?"
    r"(?:[/?#][^\s\x00-\x1f\x7f<>\"{}|\\^`]*)?",
    re.IGNORECASE,
)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def find_urls(text: str) -> list[str]:
    """The URLs in `text`, in order, each once."""
    # Plain substring tests first: most abstracts have no URL, and scanning every position with
    # a case-insensitive pattern costs ~20x more than these.
    found = [(m.start(), m.group()) for m in _SCHEME_URL.finditer(text)] if "://" in text else []
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two; keep offsets aligned
        lowered = text
    if any(host in lowered for host in _BARE_HOSTS):
        found += _bare_code_urls(text, lowered)
    urls: dict[str, None] = {}
    for _, url in sorted(found):
        url = _trim(url)
        if not url.lower().startswith(("http://", "https://")):
            url = "https://" + url
        if is_web_url(url):
            urls.setdefault(url)
    return list(urls)


def _bare_code_urls(text: str, lowered: str) -> list[tuple[int, str]]:
    """``github.com/owner/repo`` and the like written without a scheme (not inside a URL)."""
    found = []
    for host in _BARE_HOSTS:
        at = lowered.find(host)
        while at != -1:
            start = at - 4 if at >= 4 and lowered.startswith("www.", at - 4) else at
            before = text[start - 1] if start > 0 else " "
            path = _BARE_PATH.match(text, at + len(host))
            if path and not (before.isalnum() or before in "_.@/-"):
                found.append((start, text[start : path.end()]))
            at = lowered.find(host, at + 1)
    return found


def is_web_url(url: str) -> bool:
    """An http(s) URL that is also a valid IRI (the graph stores URLs as IRIs): a host, an
    optional numeric port, no spaces or characters IRIs forbid, well-formed %-escapes, at most
    one ``#``."""
    return bool(_WEB_IRI.fullmatch(url)) and not _BAD_ESCAPE.search(url) and url.count("#") < 2


def _trim(url: str) -> str:
    while url:
        if url[-1] in _TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            break
    return url


def is_code_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # e.g. a malformed port or IPv6 literal
        return False
    host = host.removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host in _REPO_HOSTS:
        return len(segments) >= 2
    if host == "gist.github.com":
        return len(segments) >= 1
    if host == "huggingface.co":
        return len(segments) >= 3 and segments[0] == "spaces"
    return False


def code_urls(urls: Iterable[str]) -> list[str]:
    return [u for u in urls if is_code_url(u)]
