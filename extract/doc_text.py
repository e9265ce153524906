"""A Doc's token texts and its text, read once per Doc for all the pipeline's components.

`Token.text` and `Doc.text` make a new Python Token for every token they read, every time: the
sentence splitter, the rules, the abbreviations and the relation scorer each read a whole Doc,
about 0.07 ms an abstract each. These read the token texts from the vocabulary's strings once and
keep them in `doc.user_data` (plain lists and a string, as a DocBin would store them); no component
retokenizes, and a Doc of another length (retokenized after all) is read again.
"""

from __future__ import annotations

from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH, SPACY
from spacy.tokens import Doc

_TOKENS = "paperkg_token_texts"  # (each token's text, 1 where a space follows it else 0)
_TEXT = "paperkg_text"
_FLAGS = "paperkg_token_flags"  # (1 where a token is whitespace else 0, 1 where it is punctuation)


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
