"""Pictures of the graph: the interactive, self-contained HTML page (`viz.html`) and the
selection of what it shows (`viz.select`). Kept free of heavy imports: pyvis loads only when a
page is rendered."""

DEFAULT_MAX_NODES = 300
"""Nodes a page shows unless told otherwise: a few hundred stay readable and settle quickly."""

SHARED_ENOUGH = 30
"""Entities seen in two or more papers that a map needs before its default leaves out the
entities of one paper only (`viz.select.select`). Below that (a small listing, a single source)
the shared entities make two or three small regions and the single-paper ones still carry most
of what the graph knows; the demo has 51 of 789, enough for several named communities."""

STRONGEST_LINKS = 4
"""Pairs of entities each node of a page keeps the links of, its strongest by association strength
(`viz.select.weak_links`): 300 hubs of a large graph share papers nearly pairwise and are joined
by thousands of typed relations stated once; all those lines make a page of megabytes that shows
nothing; VOSviewer draws about 1,000."""

TYPED_STRENGTH = 2
"""How much more a pair of entities joined by a typed relation counts than one that only shares
papers, when a page keeps each node's strongest pairs and when the layout pulls them together: a
sentence that relates two entities says more than a paper that names both."""
