"""The garbage collector around the spaCy pipeline: loading it (`extract.pipeline.load_nlp`) leaves the
collector as it was; an extraction worker (`start_worker`) sets its own."""

from __future__ import annotations

import gc

import pytest

from paperkg.extract.pipeline import WORKER_GC_THRESHOLD, load_nlp, start_worker


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


def test_a_worker_collects_though_it_was_forked_with_the_collector_paused(collector_paused):
    threshold = gc.get_threshold()
    try:
        start_worker()
        assert gc.isenabled()
        assert gc.get_threshold()[0] == WORKER_GC_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        gc.disable()  # as the fixture found it
