"""The recogniser component (`paperkg_ner`): spaCy's transition-based NER, with its greedy decoder
run as array operations over the whole batch.

The model, its training and its weights are spaCy's (`EntityRecognizer`); only prediction
differs. spaCy's own decoder checks every action of every state through accessors that take the
GIL each time: with spaCy 3.8's wheels that is about a third of the recogniser's time. NER's moves
(B, I, L, U, O) each consume exactly one token, so after t steps every Doc of a batch is at its
token t, and the batch can move in lockstep: every token's move outside an entity is decided at
once, and the steps inside entities are followed for all candidate entities at once, then checked
in spaCy's own groups (one product per token position; `_InsideSteps`). It picks the same action
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
            return _best_valid(scores, valid)

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
        inside = _InsideSteps(hidden, bias, outside, breaks_after, inside_moves, is_last, best)
        entities = None
        if not len(unseen):  # else a step's scores depend on the other Docs' (their minimum)
            entities = inside.followed_at_once(next_entity, order, upper.get_param("W"), upper.get_param("b"), ops)
        if entities is None:
            entities = inside.step_by_step(next_entity, order)
        return _annotations(next_entity, labels[outside], is_unit[outside], *entities)

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


class _InsideSteps:
    """The steps inside entities: from a token whose outside move begins an entity, a step a
    token, each choosing to go on or to end the entity, until one ends it. A step's features are
    its token, the entity's first token and the token before, its valid moves follow from the
    begin's action and whether an entity must end at the token: so where an entity begun at a
    row ends depends on that row alone, save for the upper layer's product, whose rows' roundings
    depend on which Docs' steps share it (spaCy's decoder: the Docs inside an entity at the same
    token position, in its order)."""

    def __init__(self, hidden, bias, outside, breaks_after, inside_moves, is_last, best):
        self.hidden, self.bias, self.outside, self.breaks_after = hidden, bias, outside, breaks_after
        self.inside_moves, self.is_last, self.best = inside_moves, is_last, best

    def unmaxed(self, at: numpy.ndarray, begun: numpy.ndarray) -> numpy.ndarray:
        """The hidden layer's pieces at rows `at` of entities begun at rows `begun`."""
        hidden = self.hidden
        return _summed(hidden[at + 1, 0], hidden[begun + 1, 1], hidden[at, 2], self.bias)  # rows taken: a copy

    def valid(self, at: numpy.ndarray, begun: numpy.ndarray) -> numpy.ndarray:
        return self.inside_moves[self.outside[begun], self.breaks_after[at].view(numpy.uint8)]

    def step_by_step(self, next_entity: _NextEntity, order: numpy.ndarray) -> tuple[list, list]:
        """The entities' first and last rows, decided a token position at a time for every Doc
        inside an entity there, as spaCy's decoder."""
        starts_at = next_entity.starts_at
        # per Doc in spaCy's order: the batch row where its next entity begins, and the token
        # position of its first step inside (`never` if none)
        entity_start, next_step = next_entity.from_rows(starts_at[order], order)
        # the same after an entity that ends at each row of the batch
        start_after, step_after = next_entity.from_rows(numpy.arange(1, len(self.outside) + 1), next_entity.doc_of_row)
        firsts, lasts = [], []
        t = next_step.min()
        while t < next_entity.never:
            inside = numpy.flatnonzero(next_step == t)
            at = starts_at[order[inside]] + t
            begun = entity_start[inside]
            chosen = self.best(self.unmaxed(at, begun), self.valid(at, begun))
            next_step[inside] = t + 1
            ends = self.is_last[chosen]
            if ends.any():
                ended, last = inside[ends], at[ends]
                firsts.append(begun[ends])
                lasts.append(last)
                entity_start[ended] = start_after[last]
                next_step[ended] = step_after[last]
            t = next_step.min()
        return firsts, lasts

    def followed_at_once(self, next_entity: _NextEntity, order, W, b, ops) -> tuple[list, list] | None:
        """The entities of `step_by_step`, with fewer steps: every row whose outside move begins an
        entity is followed at once, a step for all of them per token inside (as many steps as the
        longest entity), and each Doc's entities chained from them. These steps' products group
        rows unlike spaCy's decoder, so the chained entities' steps are then scored again in
        spaCy's groups (one product a token position) and kept only if every one of them makes
        the same choice; None otherwise (the caller steps by step)."""
        begins = next_entity.begins[:-1]
        ends = self._ends(begins)
        first, last = self._chained(next_entity, begins, ends)
        if not self._decided_alike(next_entity, order, first, last, W, b, ops):
            return None
        return [first], [last]

    def _ends(self, begins: numpy.ndarray) -> numpy.ndarray:
        """The row where the entity begun at each of `begins` ends."""
        end = numpy.empty(len(begins), dtype=numpy.int64)
        following = numpy.arange(len(begins))  # entities not ended yet
        at = begins + 1
        while len(following):
            begun = begins[following]
            ended = self.is_last[self.best(self.unmaxed(at, begun), self.valid(at, begun))]
            end[following[ended]] = at[ended]
            following, at = following[~ended], at[~ended] + 1
        return end

    @staticmethod
    def _chained(next_entity: _NextEntity, begins, ends) -> tuple[numpy.ndarray, numpy.ndarray]:
        """The entities each Doc's outside moves and `ends` make: its first begin's, then the
        first begin after that entity's end, and so on; their first and last rows."""
        never = len(begins)
        # each begin's Doc's end, the next begin (its index) after each begin's entity, and each
        # Doc's first begin; `never` where there is none in the Doc
        doc_end = next_entity.ends_at[next_entity.doc_of_row[begins]]
        after = numpy.searchsorted(begins, ends + 1)
        after[next_entity.begins[after] >= doc_end] = never
        docs = numpy.flatnonzero(next_entity.ends_at > next_entity.starts_at)
        current = numpy.searchsorted(begins, next_entity.starts_at[docs])
        current = current[next_entity.begins[current] < next_entity.ends_at[docs]]
        chained = []
        while len(current):
            chained.append(current)
            current = after[current]
            current = current[current < never]
        entity = numpy.concatenate(chained) if chained else numpy.zeros(0, dtype=numpy.int64)
        return begins[entity], ends[entity]

    def _decided_alike(self, next_entity: _NextEntity, order, first, last, W, b, ops) -> bool:
        """Whether spaCy's decoder makes the choices that give entities `first`..`last`: their
        steps scored as it scores them, in one product a token position over the Docs inside an
        entity there, in its order of the Docs (so each row's roundings are its)."""
        steps = last - first
        begun = numpy.repeat(first, steps)
        at = begun + numpy.arange(len(begun)) - numpy.repeat(numpy.cumsum(steps) - steps, steps) + 1
        doc = next_entity.doc_of_row[at]
        rank = numpy.empty(len(order), dtype=numpy.int64)
        rank[order] = numpy.arange(len(order))
        position = at - next_entity.starts_at[doc]
        by_step = numpy.argsort(position * len(order) + rank[doc])
        at, begun, position = at[by_step], begun[by_step], position[by_step]
        pieces = best_piece(self.unmaxed(at, begun))
        scores = numpy.empty((len(at), len(b)), dtype=pieces.dtype)
        bounds = numpy.concatenate(([0], numpy.flatnonzero(numpy.diff(position)) + 1, [len(at)])).tolist()
        for start, end in zip(bounds[:-1], bounds[1:]):
            ops.gemm(pieces[start:end], W, trans2=True, out=scores[start:end])
        scores += b
        chosen = _best_valid(scores, self.valid(at, begun))
        return bool(numpy.array_equal(self.is_last[chosen], at == numpy.repeat(last, steps)[by_step]))


def _best_valid(scores: numpy.ndarray, valid: numpy.ndarray) -> numpy.ndarray:
    """Each row's best-scoring valid action (the first of equal scores, as spaCy's decoder)."""
    return numpy.where(valid, scores, -numpy.inf).argmax(axis=1)


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
