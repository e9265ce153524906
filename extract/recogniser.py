"""The recogniser component (`paperkg_ner`): spaCy's transition-based NER, with its greedy decoder
run as array operations over the whole batch.

The model, its training and its weights are spaCy's (`EntityRecognizer`); only prediction
differs. spaCy's own decoder checks every action of every state through accessors that take the
GIL each time: with spaCy 3.8's wheels that is about a third of the recogniser's time. NER's moves
(B, I, L, U, O) each consume exactly one token, so after t steps every Doc of a batch is at its
token t, and the batch can move in lockstep: per token position, one gather of the precomputed
hidden-layer rows, one maxout, one matrix product and one masked argmax. It picks the same action
as spaCy's decoder at every step; Docs that already carry entities (preset entities constrain the
moves) and beam search go to spaCy's decoder unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy
from spacy.attrs import ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.pipeline.ner import DEFAULT_NER_MODEL, EntityRecognizer
from spacy.tokens import Doc
from spacy.util import minibatch

from paperkg.extract.ops import best_piece

__all__ = ["LockstepRecognizer"]

_BEGIN, _IN, _LAST, _UNIT, _OUT = range(5)
_MOVE_OF = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT, "O": _OUT}
# a token's entity annotation as `Doc.set_ents(spans, default="outside")` leaves it: inside an
# entity (I 1, B 3) or outside (O 2), the entity's label; no knowledge-base or entity id
_ANNOTATION = [ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]
_I, _O, _B = 1, 2, 3
# what the decoder reads of a token: preset entities, whitespace, sentence starts
_TOKEN_ATTRS = [ENT_IOB, IS_SPACE, SENT_START]


class _Entities(list):
    """One array of its tokens' `_ANNOTATION` per Doc: the lockstep decoder's prediction."""


class LockstepRecognizer(EntityRecognizer):
    """spaCy's EntityRecognizer whose greedy prediction runs in lockstep over the batch."""

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        # spaCy's Parser.pipe splits each batch into quarters for its decoder; the lockstep one
        # wants the whole batch (one encoder call, fewer steps per Doc)
        error_handler = self.get_error_handler()
        for batch in minibatch(docs, size=batch_size):
            batch = list(batch)
            try:
                self.set_annotations(batch, self.predict(batch))
                yield from batch
            except Exception as e:
                error_handler(self.name, self, batch, e)

    def predict(self, docs):
        if isinstance(docs, Doc):
            docs = [docs]
        tokens = numpy.zeros((0, len(_TOKEN_ATTRS)), dtype=numpy.uint64)  # one row a token of the batch
        if docs:
            tokens = numpy.concatenate([doc.to_array(_TOKEN_ATTRS) for doc in docs])
        if not self._lockstep_applies(tokens):
            return super().predict(docs)
        return _Entities(self._decode(docs, tokens))

    def set_annotations(self, docs, predictions) -> None:
        if not isinstance(predictions, _Entities):
            super().set_annotations(docs, predictions)
            return
        for doc, annotation in zip(docs, predictions):
            doc.from_array(_ANNOTATION, annotation)  # as set_ents, without a Span an entity

    def _lockstep_applies(self, tokens: numpy.ndarray) -> bool:
        model = self.model
        return (
            self.cfg.get("beam_width", 1) == 1
            and model.attrs.get("has_upper", False)
            and model.get_ref("lower").get_dim("nF") == 3
            and len(tokens) > 0
            and not tokens[:, 0].any()  # no preset entities
        )

    def _decode(self, docs: list[Doc], tokens: numpy.ndarray) -> list[numpy.ndarray]:
        moves, labels = self._moves()
        model = self.model
        lower, upper = model.get_ref("lower"), model.get_ref("upper")
        # rows of `hidden`: row 0 is the learned padding of each feature, token r of the batch is
        # row r + 1 (spaCy's precompute); the features are the token, the open entity's first
        # token and the token before (the last two are padding while no entity is open)
        hidden = lower.predict(model.get_ref("tok2vec").predict(docs))
        bias = lower.get_param("b")
        ops = model.ops

        unseen = numpy.flatnonzero(~self._seen())

        def best(unmaxed, valid):
            scores = ops.gemm(best_piece(unmaxed), upper.get_param("W"), trans2=True) + upper.get_param("b")
            if len(unseen):
                scores[:, unseen] = scores.min()  # as spaCy's decoder scores them
            return numpy.where(valid, scores, -numpy.inf).argmax(axis=1)

        is_begin, is_in, is_last, is_unit, is_out = (moves == move for move in range(5))
        possible = labels != 0
        lengths = numpy.array([len(doc) for doc in docs])
        space, breaks_after = _token_constraints(tokens, lengths)
        # the moves valid outside an entity by the token's kind (2 if whitespace, + 1 if an entity
        # must end there): four rows, one gathered for each token instead of masks over the batch
        is_space, must_break = numpy.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=bool)[:, :, None]
        valid_outside = is_out | (possible & ((is_begin & ~(is_space | must_break)) | (is_unit & ~is_space)))
        # outside an entity a state is its token alone, so every token's move from there is
        # decided at once; only the tokens inside an entity are decided step by step
        outside = best(
            _summed(hidden[1:, 0].copy(), hidden[0, 1], hidden[0, 2], bias),
            valid_outside[2 * space + breaks_after],
        )
        # the moves inside an entity begun by action `a` ([a, 0]), and at a token that must end it ([a, 1])
        must_end = numpy.array([[False], [True]])
        inside_moves = possible & (labels == labels[:, None])[:, None, :] & ((is_in & ~must_end) | is_last)

        # a Doc's outside moves are the precomputed ones up to the next that begins an entity;
        # from there each step is decided inside the entity, together with the other Docs
        # inside one at that token, in spaCy's order of the Docs, until it ends
        order = numpy.argsort(-lengths, kind="stable")  # spaCy's order: longest first
        starts_at = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))
        next_entity = _NextEntity(numpy.flatnonzero(is_begin[outside]), starts_at, lengths)
        # per Doc in spaCy's order: the batch row where its next entity begins, and the token
        # position of its first step inside (`never` if none)
        entity_start, next_step = next_entity.from_rows(starts_at[order], order)
        # the same after an entity that ends at each row of the batch
        start_after, step_after = next_entity.from_rows(numpy.arange(1, len(outside) + 1), next_entity.doc_of_row)
        firsts, lasts = [], []
        t = next_step.min()
        while t < next_entity.never:
            inside = numpy.flatnonzero(next_step == t)
            at = starts_at[order[inside]] + t
            begun = entity_start[inside]
            unmaxed = _summed(hidden[at + 1, 0], hidden[begun + 1, 1], hidden[at, 2], bias)  # rows taken: a copy
            chosen = best(unmaxed, inside_moves[outside[begun], breaks_after[at].view(numpy.uint8)])
            next_step[inside] = t + 1
            ends = is_last[chosen]
            if ends.any():
                ended, last = inside[ends], at[ends]
                firsts.append(begun[ends])
                lasts.append(last)
                entity_start[ended] = start_after[last]
                next_step[ended] = step_after[last]
            t = next_step.min()
        return _annotations(next_entity, labels[outside], is_unit[outside], firsts, lasts)

    def _moves(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Each action's move (B, I, L, U, O) and label (a string id; 0 for none)."""
        names = [self.moves.get_class_name(i).split("-", 1) for i in range(self.moves.n_moves)]
        strings = self.vocab.strings
        moves = numpy.array([_MOVE_OF[name[0]] for name in names])
        labels = [strings.add(name[1]) if len(name) > 1 and name[1] else 0 for name in names]
        return moves, numpy.array(labels, dtype="uint64")

    def _seen(self) -> numpy.ndarray:
        """False for the actions training never saw."""
        seen = numpy.ones(self.moves.n_moves, dtype=bool)
        seen[list(self.model.attrs.get("unseen_classes", ()))] = False
        return seen


def _summed(total: numpy.ndarray, *terms: numpy.ndarray) -> numpy.ndarray:
    """`total` plus each of `terms` in turn, added into `total` (an array of the caller's own): the
    hidden layer's three feature rows and its bias, summed in spaCy's order, so its roundings."""
    for term in terms:
        total += term
    return total


class _NextEntity:
    """Where each Doc's outside moves next begin an entity: the batch rows whose outside move
    is a begin (`begins`), and each Doc's rows."""

    def __init__(self, begins: numpy.ndarray, starts_at: numpy.ndarray, lengths: numpy.ndarray):
        self.never = int(lengths.sum()) + 1  # past every row and every token position
        self.begins = numpy.append(begins, self.never)
        self.starts_at, self.ends_at = starts_at, starts_at + lengths
        self.doc_of_row = numpy.repeat(numpy.arange(len(lengths)), lengths)

    def from_rows(self, rows: numpy.ndarray, docs: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
        """For outside states at `rows` of `docs`: the row of the next begin there, and the token
        position of the step after it, the first inside the entity (`never` if the Doc has none)."""
        begin = self.begins[numpy.searchsorted(self.begins, rows)]
        return begin, numpy.where(begin < self.ends_at[docs], begin + 1 - self.starts_at[docs], self.never)


def _annotations(next_entity, outside_labels, outside_unit, firsts, lasts) -> list[numpy.ndarray]:
    """Each Doc's tokens' `_ANNOTATION`, from the entities begun and ended step by step (their
    first and last rows) and the units among the outside moves of the tokens outside them."""
    first = numpy.concatenate(firsts) if firsts else numpy.zeros(0, dtype=numpy.int64)
    last = numpy.concatenate(lasts) if lasts else numpy.zeros(0, dtype=numpy.int64)
    # each row's entity (its index + 1; 0 outside): entities do not overlap
    entity = numpy.zeros(len(outside_labels) + 1, dtype=numpy.int64)
    entity[first] = numpy.arange(1, len(first) + 1)
    entity[last + 1] -= numpy.arange(1, len(first) + 1)
    entity = numpy.cumsum(entity[:-1])
    units = numpy.flatnonzero(outside_unit & (entity == 0))
    annotation = numpy.zeros((len(outside_labels), len(_ANNOTATION)), dtype=numpy.uint64)
    annotation[:, 0] = numpy.where(entity == 0, _O, _I)
    annotation[first, 0] = _B
    annotation[units, 0] = _B
    annotation[:, 1] = numpy.concatenate((numpy.zeros(1, dtype=outside_labels.dtype), outside_labels[first]))[entity]
    annotation[units, 1] = outside_labels[units]
    return numpy.split(annotation, next_entity.ends_at[:-1])


def _token_constraints(tokens: numpy.ndarray, lengths: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Per token of the batch (`tokens`: its rows of `_TOKEN_ATTRS`, Docs of `lengths`): whether
    it is whitespace (no entity starts there), and whether an entity must end there (the Doc's
    last token, or the next one starts a sentence)."""
    breaks_after = numpy.empty(len(tokens), dtype=bool)
    breaks_after[:-1] = tokens[1:, 2] == 1
    breaks_after[numpy.cumsum(lengths)[lengths > 0] - 1] = True
    return tokens[:, 1] != 0, breaks_after


@Language.factory(
    "paperkg_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "model": DEFAULT_NER_MODEL,
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_recogniser(nlp, name, model, moves, update_with_oracle_cut_size, incorrect_spans_key, scorer):
    """spaCy's `ner` with the lockstep greedy decoder; configured and trained exactly as `ner`."""
    return LockstepRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )
