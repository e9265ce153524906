"""Fixtures several test modules use by name; imported here so that no module has to import a name it never calls."""

import os

from hypothesis import settings
from query_support import shared_store, store  # noqa: F401

# Property tests draw the same examples on every run and keep no example database between runs, so
# a result depends on the code alone (set HYPOTHESIS_PROFILE=explore to search with fresh randomness).
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
