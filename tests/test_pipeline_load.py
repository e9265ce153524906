"""Loading the spaCy pipeline (`extract.pipeline.load_nlp`) leaves the garbage collector as it was."""

from __future__ import annotations

import gc

import pytest

from paperkg.extract.pipeline import load_nlp


@pytest.fixture
def collector_paused():
    enabled = gc.isenabled()
    gc.disable()
    yield
    if enabled:
        gc.enable()


def test_loading_a_pipeline_leaves_the_collector_paused(tmp_path, collector_paused):
    # `kg build` loads the model inside its write, which pauses the collector for its whole length
    spacy = pytest.importorskip("spacy")
    spacy.blank("en").to_disk(tmp_path / "blank")
    spacy.load(tmp_path / "blank")
    assert gc.isenabled()  # what spaCy's own load does (srsly's msgpack reader), so this test can fail
    gc.disable()
    load_nlp(tmp_path / "blank")
    assert not gc.isenabled()
