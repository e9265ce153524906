"""A Doc's token texts and its text, read once per Doc for all the pipeline's components.

`Token.text` and `Doc.text` make a new Python Token for every token they read, every time: the
sentence splitter, the rules, the abbreviations and the relation scorer each read a whole Doc,
about 0.07 ms an abstract each. These read the token texts from the vocabulary's strings once and
keep them in `doc.user_data` (plain lists and a string, as a DocBin would store them); no component
retokenizes, and a Doc of another length (retokenized after all) is read again.

The graph's mentions are kept the same way where `paperkg_refine` sets them: a Span read from a span
group makes three Tokens and each of its string fields a lookup in the vocabulary's strings, and the
relation scorer and `doc_to_extraction` each read every mention of a Doc.
"""

from __future__ import annotations

from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH, SPACY
from spacy.tokens import Doc, Span

from paperkg.extract.keys import MENTIONS_KEY

_TOKENS = "paperkg_token_texts"  # (each token's text, 1 where a space follows it else 0)
_TEXT = "paperkg_text"
_FLAGS = "paperkg_token_flags"  # (1 where a token is whitespace else 0, 1 where it is punctuation)
_MENTIONS = "paperkg_mention_fields"  # `MentionFields` of each span of `MENTIONS_KEY`, in its order

MentionFields = tuple[int, int, str, str, str]  # start_char, end_char, label_, id_, kb_id_


def _tokens(doc: Doc) -> tuple[list[str], list[int]]:
    read = doc.user_data.get(_TOKENS)
    if read is None or len(read[0]) != len(doc):
        strings = doc.vocab.strings
        texts = [strings[orth] for orth in doc.to_array(ORTH).tolist()]
        read = doc.user_data[_TOKENS] = (texts, doc.to_array(SPACY).tolist() if texts else [])
        doc.user_data.pop(_TEXT, None)
    return read


def token_texts(doc: Doc) -> list[str]:
    """`[t.text for t in doc]` (the same list for every caller: not to be changed)."""
    return _tokens(doc)[0]


def doc_text(doc: Doc) -> str:
    """`doc.text`: each token's text, and a space after it where the Doc has one."""
    texts, spaces = _tokens(doc)
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = "".join([t + " " if s else t for t, s in zip(texts, spaces)])
    return text


def token_flags(doc: Doc) -> tuple[list[int], list[int]]:
    """`([t.is_space for t in doc], [t.is_punct for t in doc])` as 0 and 1, read once per Doc (the
    same lists for every caller: not to be changed)."""
    read = doc.user_data.get(_FLAGS)
    if read is None or len(read[0]) != len(doc):
        flags = doc.to_array([IS_SPACE, IS_PUNCT])
        read = doc.user_data[_FLAGS] = (flags[:, 0].tolist(), flags[:, 1].tolist()) if len(doc) else ([], [])
    return read


def set_mentions(doc: Doc, mentions: list[Span]) -> None:
    """Set the graph's mentions (span group `MENTIONS_KEY`) and keep their fields for
    `mention_fields`, read from the Spans at hand."""
    doc.spans[MENTIONS_KEY] = mentions
    doc.user_data[_MENTIONS] = [_fields(m) for m in mentions]


def mention_fields(doc: Doc) -> list[MentionFields]:
    """`(start_char, end_char, label_, id_, kb_id_)` of each span of `doc.spans[MENTIONS_KEY]` (a
    KeyError without it), in its order: as `set_mentions` kept them, or read from the span group
    when it was set otherwise (a group of another length, or other first or last spans). The same
    list for every caller: not to be changed."""
    group = doc.spans[MENTIONS_KEY]
    kept = doc.user_data.get(_MENTIONS)
    if (
        kept is None
        or len(kept) != len(group)
        or (group and (kept[0], kept[-1]) != (_fields(group[0]), _fields(group[-1])))
    ):
        kept = [_fields(m) for m in group]
    return kept


def _fields(span: Span) -> MentionFields:
    return (span.start_char, span.end_char, span.label_, span.id_, span.kb_id_)
