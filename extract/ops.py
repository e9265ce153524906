"""The array backend the extractor runs its models on: thinc's NumpyOps with matrix products and
the LSTM through numpy's BLAS.

thinc's NumpyOps multiplies matrices with blis, which picks its kernels by CPU model and falls back
to its generic reference kernel on a CPU it does not know (an AMD EPYC, for one, where its products
took twice numpy's time). Its LSTM also runs one blis product per time step. numpy's
OpenBLAS picks its kernels by instruction set, so it stays fast wherever it runs. Prediction only:
training keeps thinc's own backend.

numpy's BLAS would use every core for one large product; the extractor runs one process per core
instead (`n_process`), so it runs BLAS single-threaded while it extracts (`one_blas_thread`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

import numpy
from spacy.tokens import Doc
from thinc.api import Model, NumpyOps, Ragged
from thinc.types import Floats2d

__all__ = ["BlasOps", "one_blas_thread", "run_on_numpy_blas"]


class BlasOps(NumpyOps):
    """NumpyOps computing matrix products and the LSTM's prediction with numpy."""

    def gemm(self, x, y, *, out=None, trans1=False, trans2=False):
        x = x.T if trans1 else x
        y = y.T if trans2 else y
        return numpy.matmul(x, y, out=out)

    def lstm_forward_inference(self, params, H0, C0, X, size_at_t):
        """thinc's LSTM over packed sequences (the rows of step t follow those of step t - 1,
        longest sequences first), in `NumpyOps.lstm_forward_training`'s weight layout: per
        direction, input weights, input bias, recurrent weights, recurrent bias, each with the
        forget, input, output and candidate gates in that order."""
        depth, dirs, nO = C0.shape
        # Python ints: a time step's arithmetic on numpy scalars costs more than its slicing
        lengths = numpy.asarray(size_at_t).tolist()
        step_start = numpy.concatenate(([0], numpy.cumsum(lengths))).tolist()
        at = 0
        for layer in range(depth):
            weights = []
            for _ in range(dirs):
                Wx, Wh, bias, at = _layer_weights(params, at, nO, X.shape[1])
                G = numpy.matmul(X, Wx.T)
                G += bias
                weights.append((G, Wh.T))
            X = _recur(weights, lengths, step_start, H0[layer], C0[layer])
        return X


def _recur(weights, lengths, step_start, H0, C0):
    """Both directions of one layer in one pass over the time steps: step i of the forward
    direction beside step T - 1 - i of the backward one. The states of the forward direction's
    running sequences are the first rows of `h` and `c`, the backward direction's follow them,
    so each gate is computed once a step for both. Each direction's matrix product keeps its own
    rows and row count (BLAS's result for a row depends on the row count of a small product)
    and all else is elementwise: every output is bit for bit what one direction at a time gives."""
    nO = C0.shape[-1]
    steps = len(lengths)
    Y = numpy.empty((step_start[-1], len(weights) * nO), dtype="f")
    h = numpy.empty((len(weights) * lengths[0], nO), dtype="f")
    c = numpy.empty_like(h)
    gates = numpy.empty((len(h), 4 * nO), dtype="f")
    running = [0] * len(weights)  # each direction's sequences under way
    for i in range(steps):
        at = []  # each direction's step and its rows in `h`
        first = 0
        for direction, (G, WhT) in enumerate(weights):
            t = i if direction == 0 else steps - 1 - i
            n = lengths[t]
            if direction == 0 and n < running[0] and len(running) > 1:
                # sequences ended: the backward direction's states move up behind the forward's
                h[n : n + running[1]] = h[running[0] : running[0] + running[1]]
                c[n : n + running[1]] = c[running[0] : running[0] + running[1]]
            if n > running[direction]:
                # sequences begin, from the initial state (thinc passes H0 as the initial cell and
                # C0 as the initial output; so does this)
                h[first + running[direction] : first + n] = C0[direction]
                c[first + running[direction] : first + n] = H0[direction]
            running[direction] = n
            rows = slice(first, first + n)
            numpy.matmul(h[rows], WhT, out=gates[rows])
            gates[rows] += G[step_start[t] : step_start[t] + n]
            at.append((t, rows))
            first += n
        _step(gates[:first], h[:first], c[:first], nO)
        for direction, (t, rows) in enumerate(at):
            Y[step_start[t] : step_start[t + 1], direction * nO : (direction + 1) * nO] = h[rows]
    return Y


def _layer_weights(params, at: int, nO: int, nI: int):
    Wx = params[at : at + 4 * nO * nI].reshape((4 * nO, nI))
    at += 4 * nO * nI
    bias = params[at : at + 4 * nO]
    at += 4 * nO
    Wh = params[at : at + 4 * nO * nO].reshape((4 * nO, nO))
    at += 4 * nO * nO
    return Wx, Wh, bias + params[at : at + 4 * nO], at + 4 * nO


def _step(g, h, c, nO: int) -> None:
    """One time step's gates `g` (forget, input, output, candidate) into the states `h` and `c`:
    c = f * c + i * tanh(candidate), h = tanh(c) * o, with sigmoid(x) = 1 / (1 + exp(-x)) for f,
    i and o. Each row's operations are thinc's, in thinc's order (so its roundings). The sigmoid
    runs in place on one contiguous copy (numpy's exp over the gates' strided rows would loop
    row by row), the states in place: a step costs ten numpy calls and two temporary arrays."""
    sigmoid = numpy.negative(g[:, : 3 * nO])
    numpy.exp(sigmoid, out=sigmoid)
    sigmoid += 1.0
    numpy.divide(1.0, sigmoid, out=sigmoid)
    c *= sigmoid[:, :nO]
    candidate = numpy.tanh(g[:, 3 * nO :])
    candidate *= sigmoid[:, nO : 2 * nO]
    c += candidate
    numpy.tanh(c, out=h)
    h *= sigmoid[:, 2 * nO :]


def run_on_numpy_blas(nlp) -> None:
    """Every layer of the pipeline's models computes with `BlasOps` from now on, a token embedding
    embeds each distinct token of a batch once (`_distinct_tokens_forward`), an LSTM over a list
    of sequences predicts from them packed directly (`_packed_lstm_forward`), maxout and layer
    normalisation predict without what only training needs, and static vectors find their rows
    in one search (`_VectorRows`)."""
    ops = BlasOps()
    vector_rows = _VectorRows(nlp.vocab.vectors)
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for layer in model.walk():
                layer.ops = ops
                embedding = _TokenEmbedding.of(layer, vector_rows)
                if embedding is not None:
                    layer._func = functools.partial(_distinct_tokens_forward, embedding, layer._func)
                elif layer.name == "with_padded(lstm)":
                    layer._func = functools.partial(_packed_lstm_forward, layer._func)
                elif layer.name == "maxout":
                    layer._func = functools.partial(_best_piece_forward, layer._func)
                elif layer.name == "layernorm":
                    layer._func = functools.partial(_layernorm_forward, layer._func)
                elif layer.name == "static_vectors":
                    layer._func = functools.partial(_static_vectors_forward, vector_rows, layer._func)


def _best_piece_forward(maxout_forward, model: Model, X, is_train: bool):
    """thinc's Maxout's prediction, its best pieces alone: thinc's `ops.maxout` also records
    which piece won, for training's backprop, in a loop three times slower than `best_piece`."""
    if is_train:
        return maxout_forward(model, X, is_train)
    nO, nP, nI = (model.get_dim(dim) for dim in ("nO", "nP", "nI"))
    W = numpy.asarray(model.get_param("W")).reshape((nO * nP, nI))
    Y = numpy.matmul(X, W.T)  # as `BlasOps.gemm(X, W, trans2=True)`
    Y += numpy.asarray(model.get_param("b")).reshape((nO * nP,))
    return best_piece(Y.reshape((len(Y), nO, nP))), _prediction_only


class _VectorRows:
    """The rows of a vector table's keys, found for a whole batch in one sorted search: spaCy's
    `Vectors.find` looks each key up in Python (about 0.3 us a token). Taken from the table as
    the extractor loads; `rows` answers None once the table's keys are no longer those."""

    def __init__(self, vectors):
        self.vectors, self.size = vectors, len(vectors.key2row)
        keys = numpy.fromiter(vectors.key2row.keys(), dtype=numpy.uint64, count=self.size)
        rows = numpy.fromiter(vectors.key2row.values(), dtype=numpy.int64, count=self.size)
        by_key = numpy.argsort(keys)
        self.keys = numpy.append(keys[by_key], numpy.uint64(0))  # one past the end: no match
        self.rows = numpy.append(rows[by_key], -1)

    def rows_of(self, keys: numpy.ndarray) -> numpy.ndarray | None:
        """`vectors.find(keys=keys)` (int32, -1 for a key without a vector)."""
        if len(self.vectors.key2row) != self.size or self.vectors.mode != "default":
            return None
        at = numpy.searchsorted(self.keys[:-1], keys)
        return numpy.where(self.keys[at] == keys, self.rows[at], -1).astype("i")


def _static_vectors_forward(vector_rows: _VectorRows, static_vectors_forward, model: Model, docs, is_train: bool):
    """spaCy's StaticVectors' prediction (`spacy.ml.staticvectors.forward`, its default mode),
    with the tokens' rows found by `vector_rows`: the same rows, so the same product."""
    vectors = vector_rows.vectors
    Y = None
    if not is_train and any(len(doc) for doc in docs) and docs[0].vocab.vectors is vectors:
        Y = _static_vectors_of(vector_rows, model, model.ops.flatten([doc.to_array(vectors.attr) for doc in docs]))
    if Y is None:
        return static_vectors_forward(model, docs, is_train)
    return Ragged(cast(Floats2d, Y), model.ops.asarray1i([len(doc) for doc in docs])), _prediction_only


def _static_vectors_of(vector_rows: _VectorRows, model: Model, keys: numpy.ndarray) -> numpy.ndarray | None:
    """StaticVectors' output rows for the tokens' `keys` (None when `vector_rows` no longer fits)."""
    rows = vector_rows.rows_of(keys)
    if rows is None:
        return None
    V = numpy.ascontiguousarray(numpy.asarray(vector_rows.vectors.data)[rows])
    Y = numpy.matmul(V, numpy.ascontiguousarray(model.get_param("W")).T)  # as `BlasOps.gemm(V, W, trans2=True)`
    Y[rows < 0] = 0  # no vector: zeros
    return Y


# OpenBLAS multiplies a product of at most this many multiply-adds (M * N * K) with its small-matrix
# kernels, whose result for a row depends on the row count M; above it each row's result is the same
# whatever M (its `gemm_small_kernel_permit`; measured: from 9 rows at 192x144, from 26 at 64x48) on
# CPUs with AVX-512. Where OpenBLAS runs its Haswell kernels (AVX2 only: AMD Zen 3, for one) a row's
# result also depends on where it falls among the rows, so it can differ in the last bits of a float32
# (measured: 6th digit; no entity of 2,000 arXiv abstracts changed)
_SMALL_PRODUCT_BOUND = 100 * 100 * 100


class _TokenEmbedding:
    """The parts of spaCy's MultiHashEmbed with static vectors, `chain(concatenate(chain(
    extract_features, list2ragged, with_array(hash embeddings)), static_vectors), with_array(
    maxout), ragged2list)`: what a token's row there depends on (its vector key and its features'
    columns), and the layers that compute the rows from those."""

    def __init__(self, features: Model, hash_embeddings: Model, static_vectors: Model, maxout: Model, vector_rows):
        self.attrs = [static_vectors.attrs["key_attr"], *features.attrs["columns"]]
        self.hash_embeddings, self.static_vectors, self.maxout = hash_embeddings, static_vectors, maxout
        self.vector_rows = vector_rows
        # the fewest distinct tokens whose products all stay above OpenBLAS's small-matrix kernels
        # (and so those of the whole batch, which has at least as many rows)
        smallest = min(layer.get_param("W").size for layer in (static_vectors, *maxout.walk()) if layer.has_param("W"))
        self.fewest_rows = _SMALL_PRODUCT_BOUND // smallest + 1

    @classmethod
    def of(cls, layer: Model, vector_rows: _VectorRows) -> _TokenEmbedding | None:
        """`layer`'s parts if it is such an embedding, else None."""
        if [part.name for part in layer.layers][2:] != ["ragged2list"] or len(layer.layers) != 3:
            return None
        inputs, maxout = layer.layers[0].layers, layer.layers[1]
        if len(inputs) != 2 or inputs[1].name != "static_vectors" or not maxout.name.startswith("with_array("):
            return None
        hashed = inputs[0].layers
        if [part.name for part in hashed][:2] != ["extract_features", "list2ragged"] or len(hashed) != 3:
            return None
        if not hashed[2].name.startswith("with_array("):
            return None
        return cls(hashed[0], hashed[2].layers[0], inputs[1], maxout.layers[0], vector_rows)


def _distinct_tokens_forward(embedding: _TokenEmbedding, embed_forward, model: Model, docs, is_train: bool):
    """The token embedding's prediction, each distinct token of the batch embedded once: a token's
    row depends only on its vector key and features, and a batch of 64 arXiv abstracts has about
    one distinct token in four. Each row is computed as spaCy computes it, in products that stay
    above OpenBLAS's small-matrix kernels (`_TokenEmbedding.fewest_rows`), so each row is the same
    (to a float32's last bits on CPUs without AVX-512, `_SMALL_PRODUCT_BOUND`)."""
    if is_train or not docs or not all(isinstance(doc, Doc) for doc in docs):
        return embed_forward(model, docs, is_train)
    keys = numpy.concatenate([doc.to_array(embedding.attrs) for doc in docs])
    first, inverse = _distinct_rows(keys)
    Y = None
    if len(first) >= embedding.fewest_rows and docs[0].vocab.vectors is embedding.vector_rows.vectors:
        distinct = keys[first]
        Y = _static_vectors_of(embedding.vector_rows, embedding.static_vectors, distinct[:, 0])
    if Y is None:
        return embed_forward(model, docs, is_train)
    X = numpy.hstack((embedding.hash_embeddings.predict(numpy.ascontiguousarray(distinct[:, 1:])), Y))
    Y = embedding.maxout.predict(X)[inverse]
    return numpy.split(Y, numpy.cumsum([len(doc) for doc in docs])[:-1]), _prediction_only


def _distinct_rows(keys: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The first row of each distinct row of `keys`, and each row's distinct row. A sort of the
    first column alone where the other columns follow from it (a token's features from its text),
    of whole rows otherwise."""
    _, first, inverse = numpy.unique(keys[:, 0], return_index=True, return_inverse=True)
    if not numpy.array_equal(keys[first][inverse], keys):
        _, first, inverse = numpy.unique(keys, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _layernorm_forward(layernorm_forward, model: Model, X, is_train: bool):
    """thinc's LayerNorm's prediction with its arrays reused: the variance from the mean already
    taken (numpy's `var` takes the same mean again otherwise), the scaled values in place. The
    same operations on the same values as thinc's, so the same result."""
    if is_train:
        return layernorm_forward(model, X, is_train)
    mean = X.mean(axis=1, keepdims=True)
    variance = X.var(axis=1, keepdims=True, mean=mean)
    variance += 1e-08
    Y = X - mean
    Y *= variance ** (-1.0 / 2.0)
    Y *= model.get_param("G")
    Y += model.get_param("b")
    return Y, _prediction_only


def best_piece(unmaxed: numpy.ndarray) -> numpy.ndarray:
    """`unmaxed.max(axis=2)`, piece by piece: numpy reduces a short last axis (two or three
    pieces in the shipped model) several times slower than it takes the maximum of two arrays.
    The first two pieces' maximum is a new array, not a copy of the first piece compared in place:
    one pass less over the strided pieces."""
    if unmaxed.shape[2] == 1:
        return unmaxed[:, :, 0].copy()
    out = numpy.maximum(unmaxed[:, :, 0], unmaxed[:, :, 1])
    for piece in range(2, unmaxed.shape[2]):
        numpy.maximum(out, unmaxed[:, :, piece], out=out)
    return out


def _packed_lstm_forward(padded_forward, model: Model, Xs, is_train: bool):
    """`with_padded(LSTM)`'s prediction over a list of sequences, gathered into the LSTM's packed
    layout at once: thinc's way pads them (`list2padded`), then unpads each time step into the
    packed rows and back in Python loops, a few numpy calls a token position. The same rows in
    the same order (thinc's: longest first, the later of equal lengths first), so the same
    result; training, and any other input, take thinc's way."""
    if is_train or not isinstance(Xs, list) or len(Xs) < 2:
        return padded_forward(model, Xs, is_train)
    lstm = model.layers[0]
    lengths = numpy.array([len(x) for x in Xs])
    order = sorted(range(len(Xs)), key=lambda i: (lengths[i], i), reverse=True)
    starts = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))[order]
    size_at_t = (lengths[order][None, :] > numpy.arange(lengths.max())[:, None]).sum(axis=1)
    step_start = numpy.concatenate(([0], numpy.cumsum(size_at_t)[:-1]))
    step_of_row = numpy.repeat(numpy.arange(len(size_at_t)), size_at_t)
    packed_rows = starts[numpy.arange(len(step_of_row)) - step_start[step_of_row]] + step_of_row
    HC0 = lstm.get_param("HC0")
    packed = cast(BlasOps, lstm.ops).lstm_forward_inference(
        lstm.get_param("LSTM"), HC0[0], HC0[1], numpy.concatenate(Xs)[packed_rows], size_at_t
    )
    Y = numpy.empty_like(packed)
    Y[packed_rows] = packed
    return numpy.split(Y, numpy.cumsum(lengths)[:-1]), _prediction_only


def _prediction_only(dY):
    raise ValueError("this LSTM forward predicts only: training runs thinc's own")


@contextmanager
def one_blas_thread() -> Iterator[None]:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
