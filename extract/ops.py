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

from collections.abc import Iterator
from contextlib import contextmanager

import numpy
from thinc.api import Model, NumpyOps

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
        lengths = numpy.asarray(size_at_t)
        step_start = numpy.concatenate(([0], numpy.cumsum(lengths)))
        at = 0
        for layer in range(depth):
            Y = numpy.empty((X.shape[0], dirs * nO), dtype="f")
            for direction in range(dirs):
                Wx, Wh, bias, at = _layer_weights(params, at, nO, X.shape[1])
                G = numpy.matmul(X, Wx.T)
                G += bias
                # a sequence starts from the initial state: the backward pass meets the longer
                # sequences first, so the rows past the previous step's still hold it. (thinc
                # passes H0 as the initial cell and C0 as the initial output; so does this.)
                h = numpy.repeat(C0[layer, direction][None, :], lengths[0], axis=0)
                c = numpy.repeat(H0[layer, direction][None, :], lengths[0], axis=0)
                steps = range(len(lengths)) if direction == 0 else range(len(lengths) - 1, -1, -1)
                for t in steps:
                    n = lengths[t]
                    rows = slice(step_start[t], step_start[t] + n)
                    gates = G[rows] + numpy.matmul(h[:n], Wh.T)
                    gates[:, : 3 * nO] = _sigmoid(gates[:, : 3 * nO])
                    c[:n] = gates[:, :nO] * c[:n] + gates[:, nO : 2 * nO] * numpy.tanh(gates[:, 3 * nO :])
                    h[:n] = numpy.tanh(c[:n]) * gates[:, 2 * nO : 3 * nO]
                    Y[rows, direction * nO : (direction + 1) * nO] = h[:n]
            X = Y
        return X


def _layer_weights(params, at: int, nO: int, nI: int):
    Wx = params[at : at + 4 * nO * nI].reshape((4 * nO, nI))
    at += 4 * nO * nI
    bias = params[at : at + 4 * nO]
    at += 4 * nO
    Wh = params[at : at + 4 * nO * nO].reshape((4 * nO, nO))
    at += 4 * nO * nO
    return Wx, Wh, bias + params[at : at + 4 * nO], at + 4 * nO


def _sigmoid(x):
    return 1.0 / (1.0 + numpy.exp(-x))


def run_on_numpy_blas(nlp) -> None:
    """Every layer of the pipeline's models computes with `BlasOps` from now on."""
    ops = BlasOps()
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for layer in model.walk():
                layer.ops = ops


@contextmanager
def one_blas_thread() -> Iterator[None]:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
