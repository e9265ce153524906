"""The extractor's array backend (extract/ops.py) against thinc's own NumpyOps."""

from types import SimpleNamespace

import numpy
import pytest

pytest.importorskip("spacy")

from thinc.api import LSTM, NumpyOps, with_padded  # noqa: E402
from threadpoolctl import threadpool_info  # noqa: E402

from paperkg.extract.ops import BlasOps, one_blas_thread  # noqa: E402
from paperkg.extract.pipeline import MODEL_DIR, load_nlp  # noqa: E402


@pytest.mark.parametrize("trans1, trans2", [(False, False), (True, False), (False, True), (True, True)])
def test_gemm_matches_thincs(trans1, trans2):
    rng = numpy.random.default_rng(0)
    x = rng.normal(size=(7, 5) if not trans1 else (5, 7)).astype("f")
    y = rng.normal(size=(5, 3) if not trans2 else (3, 5)).astype("f")
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    out = numpy.zeros((7, 3), dtype="f")
    got = BlasOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
    assert got is out
    numpy.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("depth", [1, 2])
@pytest.mark.parametrize("bi", [False, True])
def test_the_lstm_matches_thincs(depth, bi):
    # sequences of unequal lengths (the backward direction starts the longer ones first) and
    # non-zero initial states and weights, which thinc initialises to zero or near it
    rng = numpy.random.default_rng(depth)
    model = with_padded(LSTM(8, 6, bi=bi, depth=depth))
    sequences = [rng.normal(size=(n, 6)).astype("f") for n in (5, 17, 3, 17, 1, 9)]
    model.initialize(X=sequences)
    lstm = model.layers[0]
    for name in ("LSTM", "HC0"):
        lstm.set_param(name, rng.normal(scale=0.5, size=lstm.get_param(name).shape).astype("f"))
    expected = model.predict(sequences)
    for layer in model.walk():
        layer.ops = BlasOps()
    got = model.predict(sequences)
    for a, b in zip(got, expected):
        numpy.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert max(float(abs(e).max()) for e in expected) > 0.1  # the outputs are not all near zero


def test_extraction_runs_blas_on_one_thread():
    with one_blas_thread():
        inside = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert inside and set(inside) == {1}


@pytest.mark.skipif(not (MODEL_DIR / "config.cfg").is_file(), reason="no shipped model in extract/model")
def test_the_shipped_pipeline_computes_with_blas_ops():
    nlp = load_nlp()
    layers = [layer for _, pipe in nlp.components if hasattr(pipe, "model") for layer in pipe.model.walk()]
    assert layers and all(isinstance(layer.ops, BlasOps) for layer in layers)


def _one_direction_at_a_time(params, H0, C0, X, size_at_t):
    """The LSTM's inference as BlasOps computed it before both directions ran in one pass."""
    from paperkg.extract.ops import _layer_weights

    depth, dirs, nO = C0.shape
    lengths = numpy.asarray(size_at_t)
    step_start = numpy.concatenate(([0], numpy.cumsum(lengths)))
    at = 0
    for layer in range(depth):
        Y = numpy.empty((X.shape[0], dirs * nO), dtype="f")
        for direction in range(dirs):
            Wx, Wh, bias, at = _layer_weights(params, at, nO, X.shape[1])
            G = numpy.matmul(X, Wx.T)
            G += bias
            h = numpy.repeat(C0[layer, direction][None, :], lengths[0], axis=0)
            c = numpy.repeat(H0[layer, direction][None, :], lengths[0], axis=0)
            steps = range(len(lengths)) if direction == 0 else range(len(lengths) - 1, -1, -1)
            for t in steps:
                n = lengths[t]
                rows = slice(step_start[t], step_start[t] + n)
                gates = G[rows] + numpy.matmul(h[:n], Wh.T)
                gates[:, : 3 * nO] = 1.0 / (1.0 + numpy.exp(-gates[:, : 3 * nO]))
                c[:n] = gates[:, :nO] * c[:n] + gates[:, nO : 2 * nO] * numpy.tanh(gates[:, 3 * nO :])
                h[:n] = numpy.tanh(c[:n]) * gates[:, 2 * nO : 3 * nO]
                Y[rows, direction * nO : (direction + 1) * nO] = h[:n]
        X = Y
    return X


@pytest.mark.parametrize("depth", [1, 2])
@pytest.mark.parametrize("bi", [False, True])
def test_both_directions_in_one_pass_are_bit_identical_to_one_at_a_time(depth, bi):
    # the recogniser's widths (48), many sequences of unequal and equal lengths: the backward
    # direction's states move as forward sequences end, and begin as the longer ones start
    rng = numpy.random.default_rng(depth)
    model = with_padded(LSTM(48, 48, bi=bi, depth=depth))
    sequences = [rng.normal(size=(n, 48)).astype("f") for n in rng.integers(1, 60, size=40)]
    sequences += [rng.normal(size=(n, 48)).astype("f") for n in (59, 1, 1, 30)]
    model.initialize(X=sequences)
    lstm = model.layers[0]
    for name in ("LSTM", "HC0"):
        lstm.set_param(name, rng.normal(scale=0.5, size=lstm.get_param(name).shape).astype("f"))
    captured = []

    class Capturing(BlasOps):
        def lstm_forward_inference(self, *args):
            captured.append(args)
            return super().lstm_forward_inference(*args)

    for layer in model.walk():
        layer.ops = Capturing()
    model.predict(sequences)
    (args,) = captured
    assert numpy.array_equal(BlasOps().lstm_forward_inference(*args), _one_direction_at_a_time(*args))


def test_the_lstm_over_a_list_predicts_packed_as_thinc_does_padded():
    # equal lengths (thinc takes the later of two first), a one-token sequence, a 2-layer BiLSTM
    from paperkg.extract.ops import _packed_lstm_forward

    rng = numpy.random.default_rng(3)
    model = with_padded(LSTM(48, 48, bi=True, depth=2))
    sequences = [rng.normal(size=(n, 48)).astype("f") for n in (7, 30, 7, 1, 30, 12, 7)]
    model.initialize(X=sequences)
    lstm = model.layers[0]
    for name in ("LSTM", "HC0"):
        lstm.set_param(name, rng.normal(scale=0.5, size=lstm.get_param(name).shape).astype("f"))
    for layer in model.walk():
        layer.ops = BlasOps()
    expected = model.predict(sequences)
    got, _ = _packed_lstm_forward(model._func, model, sequences, False)
    assert len(got) == len(expected)
    assert all(numpy.array_equal(a, b) for a, b in zip(got, expected))


@pytest.mark.parametrize("pieces", [2, 3])
def test_maxouts_prediction_is_thincs_best_piece(pieces):
    from thinc.api import Maxout

    from paperkg.extract.ops import _best_piece_forward

    rng = numpy.random.default_rng(pieces)
    X = rng.normal(size=(300, 144)).astype("f")
    model = Maxout(48, 144, nP=pieces)
    model.initialize(X=X)
    model.set_param("b", rng.normal(size=model.get_param("b").shape).astype("f"))
    for layer in model.walk():
        layer.ops = BlasOps()
    expected = model.predict(X)
    got, _ = _best_piece_forward(model._func, model, X, False)
    assert numpy.array_equal(got, expected)


def test_layernorms_prediction_is_thincs():
    from thinc.api import LayerNorm

    from paperkg.extract.ops import _layernorm_forward

    rng = numpy.random.default_rng(4)
    X = (rng.normal(size=(300, 48)) * rng.uniform(0.01, 100, size=(300, 1)) + 3).astype("f")
    model = LayerNorm(48)
    model.initialize(X=X)
    for name in ("G", "b"):
        model.set_param(name, rng.normal(size=48).astype("f"))
    expected = model.predict(X)
    got, _ = _layernorm_forward(model._func, model, X, False)
    assert got.dtype == expected.dtype and numpy.array_equal(got, expected)


@pytest.mark.skipif(not (MODEL_DIR / "config.cfg").is_file(), reason="no shipped model in extract/model")
@pytest.mark.parametrize(
    ("layer_name", "forward"),
    [
        ("with_padded(lstm)", "_packed_lstm_forward"),
        ("maxout", "_best_piece_forward"),
        ("layernorm", "_layernorm_forward"),
        ("static_vectors", "_static_vectors_forward"),
    ],
)
def test_the_shipped_recognisers_layers_predict_with_paperkgs_forward(layer_name, forward):
    """The LSTM predicts packed, the maxouts their best pieces alone, the layer normalisations
    with their arrays reused, the static vectors with their rows found at once (`run_on_numpy_blas`)."""
    nlp = load_nlp()
    layers = [layer for _, pipe in nlp.components if hasattr(pipe, "model") for layer in pipe.model.walk()]
    named = [layer for layer in layers if layer.name == layer_name]
    assert named and all(layer._func.func.__name__ == forward for layer in named)


@pytest.mark.skipif(not (MODEL_DIR / "config.cfg").is_file(), reason="no shipped model in extract/model")
def test_static_vectors_predict_as_spacys_and_find_their_rows_as_find():
    from paperkg.extract.ops import _VectorRows

    nlp = load_nlp()
    layer = next(layer for layer in nlp.get_pipe("ner").model.walk() if layer.name == "static_vectors")
    docs = [nlp.make_doc(text) for text in ("We train BERT on SQuAD.", "qzxv-unseen wordz 42", "", "A")]
    keys = numpy.concatenate([doc.to_array(nlp.vocab.vectors.attr) for doc in docs])
    rows = nlp.vocab.vectors.find(keys=keys)
    assert (rows < 0).any() and (rows >= 0).any()  # words with and without a vector
    assert numpy.array_equal(_VectorRows(nlp.vocab.vectors).rows_of(keys), rows)
    got = layer.predict(docs)
    expected = layer._func.args[-1](layer, docs, False)[0]  # spaCy's own forward
    assert numpy.array_equal(got.data, expected.data) and numpy.array_equal(got.lengths, expected.lengths)


def test_vector_rows_give_way_to_find_once_the_table_changes():
    from spacy.vectors import Vectors

    from paperkg.extract.ops import _VectorRows

    vectors = Vectors(data=numpy.eye(3, dtype="f"), keys=[11, 7, 5])
    rows = _VectorRows(vectors)
    keys = numpy.array([5, 6, 11, 0, 7, 99], dtype="uint64")
    assert rows.rows_of(keys).tolist() == [2, -1, 0, -1, 1, -1] == vectors.find(keys=keys).tolist()
    vectors.add(6, row=1)
    assert rows.rows_of(keys) is None


def _shipped_token_embedding(nlp):
    from paperkg.extract.ops import _distinct_tokens_forward

    layers = nlp.get_pipe("ner").model.walk()
    layer = next(layer for layer in layers if getattr(layer._func, "func", None) is _distinct_tokens_forward)
    return layer, layer._func.args[0], layer._func.args[-1]  # the layer, its parts, spaCy's forward


@pytest.mark.skipif(not (MODEL_DIR / "config.cfg").is_file(), reason="no shipped model in extract/model")
def test_the_token_embedding_embeds_each_distinct_token_once_with_spacys_rows(monkeypatch):
    from paperkg.extract.pipeline import text_of
    from paperkg.extract.readers import read_papers
    from paperkg.extract.resources import data_dir

    nlp = load_nlp()
    layer, embedding, spacys_forward = _shipped_token_embedding(nlp)
    docs = [nlp.make_doc(text_of(paper)) for paper in read_papers(data_dir() / "demo").papers]
    docs += [nlp.make_doc(text) for text in ("", "qzxv-unseen wordz 42", "We train BERT on SQuAD.")]
    embedded = []
    maxout = embedding.maxout
    counted = SimpleNamespace(predict=lambda X: embedded.append(len(X)) or maxout.predict(X))
    monkeypatch.setattr(embedding, "maxout", counted)
    with one_blas_thread():
        got = layer.predict(docs)
        expected = spacys_forward(layer, docs, False)[0]
    tokens = sum(len(doc) for doc in docs)
    assert embedded and embedding.fewest_rows <= embedded[0] < tokens / 2  # each distinct token once
    # bitwise where OpenBLAS's kernels give a row the same result wherever it falls (AVX-512), to a
    # float32's last bits where they do not (its Haswell kernels): `extract.ops._SMALL_PRODUCT_BOUND`
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        numpy.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.skipif(not (MODEL_DIR / "config.cfg").is_file(), reason="no shipped model in extract/model")
def test_too_few_distinct_tokens_for_blass_large_products_take_spacys_way(monkeypatch):
    nlp = load_nlp()
    layer, embedding, spacys_forward = _shipped_token_embedding(nlp)
    # a row's result from OpenBLAS's small-matrix kernels depends on the product's row count
    assert embedding.fewest_rows * 48 * 64 > 100 * 100 * 100  # the static vectors' product, the smallest
    docs = [nlp.make_doc("We train BERT on SQuAD. We train BERT again.")]
    monkeypatch.setattr(embedding, "maxout", None)  # not called
    got = layer.predict(docs)
    assert numpy.array_equal(got[0], spacys_forward(layer, docs, False)[0][0])


def test_distinct_rows_sort_whole_rows_where_the_first_column_does_not_decide():
    from paperkg.extract.ops import _distinct_rows

    keys = numpy.array([[5, 1], [3, 2], [5, 1], [3, 2]], dtype="uint64")
    first, inverse = _distinct_rows(keys)
    assert numpy.array_equal(keys[first][inverse], keys) and len(first) == 2
    keys = numpy.array([[5, 1], [3, 2], [5, 7], [3, 2]], dtype="uint64")  # token 2 shares token 0's text only
    first, inverse = _distinct_rows(keys)
    assert numpy.array_equal(keys[first][inverse], keys) and len(first) == 3
