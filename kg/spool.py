"""What a build adds to the store, kept in a file on disk and loaded into the store once, at its end.

Two kinds of quads wait there. A paper's own quads (`kg.ingest.PreparedPaper.nquads`: the paper,
its sentences, its mentions without their bodies, its relation mentions) are about 60% of what a
build writes, and the build never changes them. What the build decides (each mention's body, the
paper-entity links and roles, the build that made the paper, the relations' evidence nodes and
the sentences they derive from) can change before the build ends: an acronym's link that moves
relinks the papers that use it, and a relinked paper takes evidence sentences (and with the last
one, the evidence node) away.

Loaded a chunk at a time, each load is a set of files whose keys (Oxigraph's term hashes) overlap
the whole database, and RocksDB compacts each into all that is stored: the compaction grew as
n^1.6 with the papers (14.8 s of CPU at 10,000, 136.4 s at 40,000). Spooled to a file and
bulk-loaded in one go at the end, the same quads cost about a third of that compaction (8M quads
of a 40,000-paper graph: 10.7 s in one load against 32.2 s in loads of 660,000). The price is
memory at the build's end: a load of more than a million quads makes Oxigraph build its batches
on two threads at once (a few hundred MiB more; bench/results/2026-12-06-issue27-spool.md).

The file is only ever appended to. A paper's decided quads follow its own; a relinked paper's
new ones are appended and the old extent is skipped by the end load. A chunk's evidence is one
extent; a line the build takes back is counted as killed, and the end load skips that many of
its copies (a line is only killed after it was spooled, and spooled again only after it was
killed, so the copies skipped are the dead ones). Both are rare (relinks): the end load blanks what
it skips in place and reads the file whole.

The build reads its earlier papers' quads in one place only, when an acronym's link moves and the
papers that use it are relinked (`kg.ingest`); the spool answers that from the file
(`mentions_with_acronym_key`, `view`), so nothing is loaded early.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from paperkg.kg.linking import LinkedMention
from paperkg.kg.nquads import serialized
from paperkg.kg.store import load_nquads_file


class PaperSpool:
    """The N-Quads a build adds (the papers' own, what it decides of them, the relations'
    evidence), in an unnamed file under `directory` (the system's temporary directory when None)
    that vanishes when the spool is closed or the process ends, whatever happens."""

    def __init__(self, directory: str | os.PathLike[str] | None = None):
        self._directory = directory
        self._file = tempfile.TemporaryFile(dir=directory)
        # paper -> offset and length of its own N-Quads, then of its decided ones
        self._extent: dict[ox.NamedNode, tuple[int, int, int, int]] = {}
        self._dead: list[tuple[int, int]] = []  # decided N-Quads of papers relinked since
        self._evidence: list[tuple[int, int]] = []  # each chunk's evidence N-Quads
        self._killed: Counter[bytes] = Counter()  # evidence lines taken back -> copies to skip
        # acronym key -> {mention -> paper} for the spooled mentions of an acronym their paper does not define
        self._acronyms: dict[str, dict[ox.NamedNode, ox.NamedNode]] = defaultdict(dict)

    def __contains__(self, paper: ox.NamedNode) -> bool:
        return paper in self._extent

    def _append(self, nquads: bytes) -> tuple[int, int]:
        self._file.seek(0, os.SEEK_END)
        offset = self._file.tell()
        self._file.write(nquads)
        return offset, len(nquads)

    def _read(self, offset: int, length: int) -> bytes:
        self._file.seek(offset)
        return self._file.read(length)

    def add(self, paper: ox.NamedNode, nquads: bytes, decided: bytes, mentions: Iterable[LinkedMention]) -> None:
        """Keep `paper`'s own `nquads` (its `mentions` as `kg.rdf.mention_nquads` wrote them) and
        the quads the build `decided` of it."""
        self._extent[paper] = self._append(nquads) + self._append(decided)
        for lm in mentions:
            if lm.acronym_key is not None:
                self._acronyms[lm.acronym_key][lm.iri] = paper

    def relink(self, paper: ox.NamedNode, decided: bytes) -> None:
        """Replace what the build decided of the spooled `paper` with `decided`."""
        offset, length, *old = self._extent[paper]
        self._dead.append((old[0], old[1]))
        self._extent[paper] = (offset, length) + self._append(decided)

    def add_evidence(self, nquads: bytes) -> None:
        if nquads:
            self._evidence.append(self._append(nquads))

    def kill(self, quads: Iterable[ox.Quad]) -> None:
        """Take back quads of spooled evidence (`add_evidence`): the end load leaves them out."""
        self._killed.update(serialized([q]) for q in quads)

    def mentions_with_acronym_key(self, acronym_key: str) -> dict[ox.NamedNode, ox.NamedNode]:
        """Mention IRI -> paper IRI for the spooled mentions of the undefined acronym `acronym_key`
        (`kg.linking.mentions_with_acronym_key` for the store's)."""
        return dict(self._acronyms.get(acronym_key, {}))

    def view(self, paper: ox.NamedNode) -> ox.Store:
        """An in-memory graph of the spooled `paper` as the store would hold it: its own quads and
        what the build decided of it (what `kg.linking.load_linked_paper` and
        `kg.timeline.stored_paper_change` read)."""
        offset, length, decided_offset, decided_length = self._extent[paper]
        graph = ox.Store()
        nquads = self._read(offset, length) + self._read(decided_offset, decided_length)
        graph.bulk_load(nquads, ox.RdfFormat.N_QUADS, lenient=True)
        return graph

    def settle(self) -> None:
        """Blank in place what the end load skips (rare: relinks), each byte of it made a line
        break (blank lines are valid N-Quads), so nothing is copied: a copy through Python at the
        build's end took the GIL turn about with the descriptions computed meanwhile (~35 s at
        the whole corpus, the loader idle). The killed evidence lines are found by reading the
        evidence back (~1.3 s of CPU at the whole corpus): done on its own, before the
        descriptions begin, it holds the loader back that long; beside them, twice as long."""
        self._file.flush()
        for offset, length in self._dead:
            os.pwrite(self._file.fileno(), b"\n" * length, offset)
        self._dead.clear()
        if self._killed:
            self._blank_killed()
            self._killed.clear()

    def load_into(self, db: ox.Store) -> None:
        """Bulk-load every live spooled quad into `db` (one load: Oxigraph reads the file by its
        path, without the GIL), settled first if it was not, and close the spool."""
        if self._extent or self._evidence:
            self.settle()
            load_nquads_file(db, self._file)
        self.close()

    def _blank_killed(self) -> None:
        """Blank the first copies of each killed evidence line, as many as were killed: a line
        is only killed after it was spooled, and spooled again only after it was killed, so the
        first copies in the file are the dead ones."""
        for offset, length in self._evidence:  # in the order they were appended
            extent = self._read(offset, length)
            lines = extent.splitlines(keepends=True)
            if self._killed.keys().isdisjoint(lines):  # most extents: one pass in C
                continue
            kept = b"".join(self._unkilled(lines))
            if len(kept) < len(extent):
                os.pwrite(self._file.fileno(), kept + b"\n" * (len(extent) - len(kept)), offset)

    def _unkilled(self, lines: list[bytes]) -> Iterator[bytes]:
        for line in lines:
            if self._killed[line] > 0:
                self._killed[line] -= 1
            else:
                yield line

    def close(self) -> None:
        self._file.close()
        self._extent.clear()
        self._dead.clear()
        self._evidence.clear()
        self._killed.clear()
        self._acronyms.clear()
