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

_REPO_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com",
               "git.sr.ht", "sr.ht")
_URL = re.compile(
    r"https?://[^\s\x00-\x1f\x7f<>\"'`{}|\\^\[\]]+"
    r"|(?<![\w.@/-])(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|gitee\.com)"
    r"/[\w.-]+/[\w.-]+[^\s\x00-\x1f\x7f<>\"'`{}|\\^\[\]]*",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"*"
_WEB_IRI = re.compile(
    r"https?://[^\s\x00-\x1f\x7f/?#@\[\]<>\"{}|\\^`%:]+(?::\d+)?"
    r"(?:[/?#][^\s\x00-\x1f\x7f<>\"{}|\\^`]*)?",
    re.IGNORECASE,
)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def find_urls(text: str) -> list[str]:
    """The URLs in `text`, in order, each once."""
    found: dict[str, None] = {}
    for m in _URL.finditer(text):
        url = _trim(m.group())
        if not url.lower().startswith(("http://", "https://")):
            url = "https://" + url
        if is_web_url(url):
            found.setdefault(url)
    return list(found)


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
