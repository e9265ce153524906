"""IRIs for what the graph holds, derived from stable keys so rebuilding gives the same graph."""
from __future__ import annotations

import hashlib
import re
import unicodedata

import pyoxigraph as ox

from schema.vocab import base_iri


def _slug(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-").lower()[:limit].strip("-")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else digest


def paper_iri(paper_key: str) -> ox.NamedNode:
    return ox.NamedNode(f"{base_iri()}paper/{_slug(paper_key)}")


def entity_iri(entity_key: str) -> ox.NamedNode:
    return ox.NamedNode(f"{base_iri()}entity/{_slug(entity_key)}")
