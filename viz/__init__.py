"""Pictures of the graph: the interactive, self-contained HTML page (`viz.html`) and the
selection of what it shows (`viz.select`). Kept free of heavy imports: pyvis loads only when a
page is rendered."""

DEFAULT_MAX_NODES = 300
"""Nodes a page shows unless told otherwise: a few hundred stay readable and settle quickly."""
