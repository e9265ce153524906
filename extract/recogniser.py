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
from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.pipeline.ner import DEFAULT_NER_MODEL, EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from paperkg.extract.ops import best_piece

__all__ = ["LockstepRecognizer"]

_BEGIN, _IN, _LAST, _UNIT, _OUT = range(5)
_MOVE_OF = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT, "O": _OUT}


class _Entities(list):
    """One list of (start, end, label) per Doc: the lockstep decoder's prediction."""


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
        if not self._lockstep_applies(docs):
            return super().predict(docs)
        return _Entities(self._decode(docs))

    def set_annotations(self, docs, predictions) -> None:
        if not isinstance(predictions, _Entities):
            super().set_annotations(docs, predictions)
            return
        for doc, entities in zip(docs, predictions):
            doc.set_ents([Span(doc, start, end, label=label) for start, end, label in entities], default="outside")

    def _lockstep_applies(self, docs: list[Doc]) -> bool:
        model = self.model
        return (
            self.cfg.get("beam_width", 1) == 1
            and model.attrs.get("has_upper", False)
            and model.get_ref("lower").get_dim("nF") == 3
            and any(len(doc) for doc in docs)
            and not any(doc.to_array(ENT_IOB).any() for doc in docs)  # no preset entities
        )

    def _decode(self, docs: list[Doc]) -> list[list[tuple[int, int, int]]]:
        moves, labels = self._moves()
        model = self.model
        lower, upper = model.get_ref("lower"), model.get_ref("upper")
        # rows of `hidden`: row 0 is the learned padding of each feature, token r of the batch is
        # row r + 1 (spaCy's precompute); the features are the token, the open entity's first
        # token and the token before (the last two are padding while no entity is open)
        hidden = lower.predict(model.get_ref("tok2vec").predict(docs))
        bias = lower.get_param("b")
        ops = model.ops

        unseen = ~self._seen()

        def best(unmaxed, valid):
            scores = ops.gemm(best_piece(unmaxed), upper.get_param("W"), trans2=True) + upper.get_param("b")
            scores[:, unseen] = scores.min()  # as spaCy's decoder scores them
            return numpy.where(valid, scores, -numpy.inf).argmax(axis=1)

        is_begin, is_in, is_last, is_unit, is_out = (moves == move for move in range(5))
        possible = labels != 0
        space, breaks_after = _token_constraints(docs)
        # outside an entity a state is its token alone, so every token's move from there is
        # decided at once; only the tokens inside an entity are decided step by step
        outside = best(
            hidden[1:, 0] + hidden[0, 1] + hidden[0, 2] + bias,
            is_out | (possible & ((is_begin & ~(space | breaks_after)[:, None]) | (is_unit & ~space[:, None]))),
        )

        lengths = numpy.array([len(doc) for doc in docs])
        order = numpy.argsort(-lengths, kind="stable")  # longest first: the active Docs are a prefix
        starts_at = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))[order]
        active = numpy.searchsorted(-lengths[order], -numpy.arange(lengths.max()), side="left")
        open_label = numpy.zeros(len(docs), dtype=labels.dtype)  # 0: no entity open
        entity_start = numpy.zeros(len(docs), dtype=numpy.int64)  # batch row of its first token
        found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        for t, n in enumerate(active):
            rows = starts_at[:n] + t
            label = open_label[:n]
            chosen = outside[rows]
            inside = numpy.flatnonzero(label)
            if len(inside):
                at = rows[inside]
                chosen[inside] = best(
                    hidden[at + 1, 0] + hidden[entity_start[inside] + 1, 1] + hidden[at, 2] + bias,
                    possible & (labels == label[inside, None]) & ((is_in & ~breaks_after[at, None]) | is_last),
                )
            move, chosen_label = moves[chosen], labels[chosen]
            for i in numpy.flatnonzero(move == _UNIT):
                found[order[i]].append((t, t + 1, int(chosen_label[i])))
            for i in numpy.flatnonzero(move == _LAST):
                found[order[i]].append((int(entity_start[i] - starts_at[i]), t + 1, int(label[i])))
            begun = move == _BEGIN
            entity_start[:n][begun] = rows[begun]
            label[begun] = chosen_label[begun]
            label[move == _LAST] = 0
        return found

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


def _token_constraints(docs: list[Doc]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Per token of the batch: whether it is whitespace (no entity starts there), and whether an
    entity must end there (the Doc's last token, or the next one starts a sentence)."""
    space, breaks_after = [], []
    for doc in docs:
        if not len(doc):
            continue
        values = doc.to_array([IS_SPACE, SENT_START]).astype(numpy.int64)
        space.append(values[:, 0] != 0)
        breaks_after.append(numpy.append(values[1:, 1] == 1, True))
    return numpy.concatenate(space), numpy.concatenate(breaks_after)


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
