"""Fixtures several test modules use by name; imported here so that no module has to import a name it never calls."""

import os

import pytest
from hypothesis import settings
from query_support import shared_store, store  # noqa: F401

from paperkg.kg.quality import Quality

# Property tests draw the same examples on every run and keep no example database between runs, so
# a result depends on the code alone (set HYPOTHESIS_PROFILE=explore to search with fresh randomness).
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture
def sa_settled(monkeypatch):
    """Acronyms as the store moves them when the corpus reads an acronym one way or not at all. The
    hand-made papers' SA is one the shipped tables read several ways (sentiment analysis in 6 of 43),
    which keeps every paper's definition of it to that paper."""
    monkeypatch.setattr(Quality, "is_contested", lambda self, acronym: False)
