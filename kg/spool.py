"""A build's papers' own quads, kept in a file on disk and loaded into the store once, at its end.

A paper's own quads (`kg.ingest.PreparedPaper.nquads`: the paper, its sentences, its mentions
without their bodies, its relation mentions) are about 60% of what a build writes, and the build
never changes them. Loaded a chunk at a time, each load is a set of files whose keys (Oxigraph's
term hashes) overlap the whole database, and RocksDB compacts each into all that is stored: the
compaction grew as n^1.6 with the papers (14.8 s of CPU at 10,000, 136.4 s at 40,000). Spooled to
a file and bulk-loaded in one go at the end, the same quads cost about a third of that compaction
(8M quads of a 40,000-paper graph: 10.7 s in one load against 32.2 s in loads of 660,000).
The price is memory at the build's end: a load of more than a million quads makes Oxigraph build
its batches on two threads at once (a few hundred MiB more; bench/results/2026-12-06-issue27-spool.md).

The build reads its earlier papers' own quads in one place only, when an acronym's link moves
and the papers that use it are relinked (`kg.ingest`); the spool answers that from the file
(`mentions_with_acronym_key`, `view`), so nothing is loaded early.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from paperkg.kg.linking import LinkedMention
from paperkg.kg.store import load_nquads_file
from paperkg.kg.terms import named, oa, pkg, rdf


class PaperSpool:
    """The own N-Quads of the papers a build added, in an unnamed file under `directory` (the
    system's temporary directory when None) that vanishes when the spool is closed or the process
    ends, whatever happens."""

    def __init__(self, directory: str | os.PathLike[str] | None = None):
        self._file = tempfile.TemporaryFile(dir=directory)
        self._extent: dict[ox.NamedNode, tuple[int, int]] = {}  # paper -> offset and length of its N-Quads
        # acronym key -> {mention -> paper} for the spooled mentions of an acronym their paper does not define
        self._acronyms: dict[str, dict[ox.NamedNode, ox.NamedNode]] = defaultdict(dict)

    def __contains__(self, paper: ox.NamedNode) -> bool:
        return paper in self._extent

    def add(self, paper: ox.NamedNode, nquads: bytes, mentions: Iterable[LinkedMention]) -> None:
        """Keep `paper`'s own `nquads` (its `mentions` as `kg.rdf.mention_nquads` wrote them)."""
        self._file.seek(0, os.SEEK_END)
        self._extent[paper] = (self._file.tell(), len(nquads))
        self._file.write(nquads)
        for lm in mentions:
            if lm.acronym_key is not None:
                self._acronyms[lm.acronym_key][lm.iri] = paper

    def mentions_with_acronym_key(self, acronym_key: str) -> dict[ox.NamedNode, ox.NamedNode]:
        """Mention IRI -> paper IRI for the spooled mentions of the undefined acronym `acronym_key`
        (`kg.linking.mentions_with_acronym_key` for the store's)."""
        return dict(self._acronyms.get(acronym_key, {}))

    def view(self, db: ox.Store, paper: ox.NamedNode) -> ox.Store:
        """An in-memory graph of the spooled `paper` as the store would hold it: its own quads
        and its mentions' bodies as they are in `db` now (what `kg.linking.load_linked_paper` and
        `kg.timeline.stored_paper_change` read)."""
        offset, length = self._extent[paper]
        self._file.seek(offset)
        graph = ox.Store()
        graph.bulk_load(self._file.read(length), ox.RdfFormat.N_QUADS, lenient=True)
        mentions = [named(q.subject) for q in graph.quads_for_pattern(None, rdf.type, pkg.Mention)]
        graph.extend([q for m in mentions for q in db.quads_for_pattern(m, oa.hasBody, None)])
        return graph

    def load_into(self, db: ox.Store) -> None:
        """Bulk-load every spooled paper's quads into `db` (one load: Oxigraph streams the file,
        without the GIL) and close the spool."""
        if self._extent:
            load_nquads_file(db, self._file)
        self.close()

    def close(self) -> None:
        self._file.close()
        self._extent.clear()
        self._acronyms.clear()
