"""The records that flow out of `extract`: papers read from files, and what the pipeline finds in them.

They are plain, frozen dataclasses so they pickle across processes and serialise to JSON as they are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Field = Literal["title", "abstract"]


@dataclass(frozen=True)
class Paper:
    """One paper as read from a listing.

    `key` is the identity used for the paper's IRI: ``arxiv:<id>`` or ``doi:<doi>`` when known,
    else ``title:<normalised title>`` (see `extract.paper_keys.paper_key`).
    """

    key: str
    title: str
    abstract: str
    source: str  # the file it was read from
    line: int  # 1-based line (or record number) of the record in that file
    date: str | None = None  # ISO 8601: YYYY-MM-DD, or --MM-DD when the year is unknown
    date_text: str | None = None  # the date exactly as written, e.g. "Oct 16"
    year: int | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    upvotes: int | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    urls: tuple[str, ...] = ()
    code_urls: tuple[str, ...] = ()  # code repositories (GitHub, GitLab, ...) among `urls`
    # "path:line" of the duplicates `extract.dedup.unique_papers` merged into this record
    merged_from: tuple[str, ...] = ()

    @property
    def locations(self) -> tuple[str, ...]:
        """Every "path:line" this paper was read from, this record's own first."""
        return (f"{self.source}:{self.line}", *self.merged_from)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Mention:
    """One span of text that names an entity, with everything needed to trace it back."""

    text: str
    field: Field
    start: int  # character offsets into the field's text, end exclusive
    end: int
    sentence: int  # index of the sentence within the field
    type: str  # graph type: one of schema.ENTITY_TYPES
    source: str  # what produced it: "ner", "spancat", "rule:model", "abbreviation", ...
    score: float | None = None


@dataclass(frozen=True)
class Sentence:
    field: Field
    index: int
    start: int  # character offsets into the field's text
    end: int
    text: str


@dataclass(frozen=True)
class ScoredRelation:
    """A typed relation the relation scorer found between two mentions of one sentence."""

    field: Field
    subject: tuple[int, int]  # the subject mention's character offsets into the field's text
    object: tuple[int, int]
    relation: str  # local name of a schema RELATIONS term
    score: float  # the scorer's probability for it


@dataclass(frozen=True)
class ExtractedEntity:
    """A paper's mentions of one thing, grouped under one canonical name."""

    name: str  # canonical name: the long form when an acronym is defined, singular otherwise
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]
    acronym: str | None = None  # the short form defined for it in this paper, if any


@dataclass(frozen=True)
class PaperExtraction:
    paper: Paper
    entities: tuple[ExtractedEntity, ...]
    sentences: tuple[Sentence, ...] = ()
    abbreviations: tuple[tuple[str, str], ...] = ()  # (short form, long form) defined in the paper
    extractor: str = ""  # name and version of the extractor that produced this
    relations: tuple[ScoredRelation, ...] = ()

    def to_json(self) -> dict:
        """The `kg extract` JSON Lines object for this paper.

        A mention's `sentence` is the text of its sentence (for human readers); the record keeps
        the index. Without sentence records the index is written.
        """
        texts = {(s.field, s.index): s.text for s in self.sentences}
        return {
            "id": self.paper.key,
            "title": self.paper.title,
            "entities": [
                {
                    "name": e.name,
                    "type": e.type,
                    "aliases": list(e.aliases),
                    "mentions": [
                        {
                            "text": m.text,
                            "field": m.field,
                            "start": m.start,
                            "end": m.end,
                            "sentence": texts.get((m.field, m.sentence), m.sentence),
                        }
                        for m in e.mentions
                    ],
                }
                for e in self.entities
            ],
        }
