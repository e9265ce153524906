"""Paper identity: the key a paper is known by, and the IRI-safe slug made from it.

A key is ``arxiv:<id>`` (version dropped) when an arXiv identifier is known, else ``doi:<doi>``
(lower-cased: DOIs are case-insensitive), else ``title:<normalised title>``. The same paper read
from two listings therefore gets the same key as long as both carry the same identifier, or, when
neither does, titles that differ only in case, punctuation, spacing or Unicode compatibility forms.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

__all__ = ["normalise_arxiv_id", "normalise_doi", "normalise_title", "paper_key", "slug"]

# New-style identifiers (2007 on): YYMM.NNNN, five digits from 2015. Old style: archive, an
# optional subject class (not part of the identifier proper), a slash and YYMMNNN.
_ARXIV_ID = re.compile(
    r"(?P<id>\d{4}\.\d{4,5}|(?P<archive>[a-z]+(?:-[a-z]+)*)(?:\.[a-z-]+)?/(?P<number>\d{7}))"
    r"(?:v\d+)?",
    re.IGNORECASE,
)
_ARXIV_PREFIXES = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/"
    r"|^arxiv:"
    r"|^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:)?10\.48550/arxiv\.",
    re.IGNORECASE,
)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIXES = re.compile(r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")


def normalise_arxiv_id(text: str) -> str | None:
    """The arXiv identifier in `text` without its version, or None.

    `text` may be a bare id (``2310.01234v2``, ``hep-th/9901001``), ``arXiv:...``, an arxiv.org
    abs/pdf/html URL, or arXiv's own DOI (``10.48550/arXiv.2310.01234``).
    """
    s = _ARXIV_PREFIXES.sub("", text.strip()).rstrip("/")
    if s.lower().endswith(".pdf"):
        s = s[:-4]
    m = _ARXIV_ID.fullmatch(s)
    if m is None:
        return None
    if m["archive"]:
        return f"{m['archive'].lower()}/{m['number']}"
    return m["id"] if _valid_new_style(m["id"]) else None


def _valid_new_style(identifier: str) -> bool:
    """YYMM names a month from April 2007 on; four-digit numbers until 1412, five from 1501."""
    yymm, number = identifier.split(".")
    year, month = divmod(int(yymm), 100)
    return 1 <= month <= 12 and int(yymm) >= 704 and len(number) == (4 if year < 15 else 5)


def normalise_doi(text: str) -> str | None:
    """The DOI in `text` (bare, ``doi:...`` or a doi.org URL), lower-cased, or None."""
    s = text.strip()
    prefixed = _DOI_PREFIXES.match(s)
    if prefixed:
        s = s[prefixed.end() :]
        if prefixed.group().lower().endswith("doi.org/"):
            s = unquote(s)
    return s.lower() if _DOI.fullmatch(s) else None


def normalise_title(title: str) -> str:
    """NFKC, case-folded, every run of punctuation, symbols and spaces made one space."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    words = _NON_WORD.sub(" ", folded).strip()
    # A title of nothing but symbols would otherwise collapse to "" and collide with every other.
    return words or " ".join(folded.split())


def paper_key(title: str, arxiv_id: str | None = None, doi: str | None = None) -> str:
    """The identity key of a paper; `arxiv_id` and `doi` may be raw (URLs, versions, any case).

    An unrecognisable `arxiv_id` or `doi` is ignored rather than trusted; readers report such
    fields as problems before they get here.
    """
    found = normalise_arxiv_id(arxiv_id) if arxiv_id else None
    if found is None and doi:
        found = normalise_arxiv_id(doi)  # arXiv's own DOIs name the arXiv paper
    if found:
        return f"arxiv:{found}"
    found = normalise_doi(doi) if doi else None
    if found:
        return f"doi:{found}"
    return f"title:{normalise_title(title)}"


_SHA256 = hashlib.sha256()  # copied: `hashlib.sha256()` looks the digest up in OpenSSL at every call
_SLUG_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65536)  # an entity's IRI is made for each of its mentions; a pure function of the key
def slug(key: str) -> str:
    """An IRI-safe, stable slug for a paper key or an entity key.

    arXiv keys read as themselves (``arxiv-2310.01234``, ``arxiv-hep-th-9901001``). Every other
    key (``doi:...``, ``title:...``, an entity's normalised name) gets a readable ASCII prefix plus
    the first 8 hex digits of the key's SHA-256, because free text cannot be made IRI-safe without
    losing the distinctions between keys.
    """
    kind, colon, value = key.partition(":")
    if not colon or kind not in ("arxiv", "doi", "title"):
        kind, value = "", key
    if kind == "arxiv" and normalise_arxiv_id(value) == value:
        return "arxiv-" + value.replace("/", "-")
    digest = _SHA256.copy()
    digest.update(key.encode("utf-8"))
    if not value.isascii():  # most keys: NFKD and the ASCII encoding leave ASCII as it is
        value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    words = _SLUG_WORD.findall(value.lower())
    readable = ""
    for word in words:
        if len(readable) + len(word) + 1 > 60:
            break
        readable = f"{readable}-{word}" if readable else word
    if not readable and words:
        readable = words[0][:60]
    prefix = "doi-" if kind == "doi" else ""
    hexdigest = digest.hexdigest()[:8]
    return f"{prefix}{readable}-{hexdigest}" if readable else prefix + hexdigest
