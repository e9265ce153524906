"""Fixtures several test modules use by name; imported here so that no module has to import a name it never calls."""

from query_support import shared_store, store  # noqa: F401
