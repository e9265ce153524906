"""Registered model architectures for the recogniser's token encoder."""

from __future__ import annotations

from spacy.util import registry
from thinc.api import LSTM, Model, chain, with_padded

__all__ = ["window_bilstm_encoder"]


@registry.architectures("paperkg.WindowBiLSTMEncoder.v1")
def window_bilstm_encoder(window: Model, lstm_depth: int = 1, dropout: float = 0.0) -> Model:
    """A CNN window encoder followed by a bidirectional LSTM over the whole sentence.

    The CNN sees a few tokens either side; the LSTM carries context from the rest of the
    abstract. thinc's LSTM runs on numpy, so no torch is needed to train or run it.
    """
    width = window.get_dim("nO")
    model = chain(window, with_padded(LSTM(width, width, bi=True, depth=lstm_depth, dropout=dropout)))
    model.set_dim("nO", width)
    return model
