"""The write step of a build: prepared papers in, quads out, linked to the entities already in the store.

`add_prepared` (or `add_extractions`, which prepares each extraction first) runs inside
`Store.transaction()`. It works a chunk of papers at a time, so
the papers' own quads never pile up in memory, and it only ever reads the parts of the graph the
build touches: the entities its papers name, the acronyms they use, the relation nodes of their
entity pairs. A full build is the same operation as an incremental add, so both give the same
graph.

Before a chunk, each paper has been prepared on its own (`prepare`): linked by what it says
(`kg.linking.link_locally`), and its own quads (paper, sentences, mentions, relation mentions)
written as N-Quads. `kg build` has its extraction engine do this where the paper is extracted, in
the worker processes. Per chunk:
1. drop the papers the store or the build's earlier chunks already have;
2. resolve the acronyms its papers use without defining them against the definitions in the
   store and in the build so far; when a definition arrives that changes where an acronym links,
   relink the stored mentions of that acronym (and fix their papers' roles and relations);
3. put the papers' own N-Quads and what the build and the store decide of them (each mention's
   entity, the paper-entity links, the build that made them) in the build's spool (`kg.spool`: a
   file on disk, loaded into the store once after the last chunk, which costs RocksDB a fraction
   of the compaction of loading them chunk by chunk); a relinked paper of the build's gets its
   new links there, one stored before the build gets them in the store;
4. add the chunk's relation evidence to the evidence stored and spooled: sentences gained go to
   the spool, and one lost is taken from the store or, when the build added it, from the spool
   (as is an evidence node the build made and that lost its last sentence);
5. add what the chunk changes to the build's pending summaries (`_Pending`): each entity's
   mention tallies, papers and acronyms, its papers per period (`kg.timeline.TimeChanges`), and
   each relation's support (`kg.support`).

After the last chunk, the summaries are written once, in loads run on a thread of their own
(`_Loads`) while the build's thread computes what is loaded next: the spooled papers load while
every touched entity's description (each stored one read once in the build), the time data and the
relations' support are computed (they read nothing the papers hold, but for the few parts that
wait for them, `kg.nquads.PAPERS_NEEDED`); the next load holds those and the model families
(`kg.families`, linked again from the models the build described and the stored ones it did not
touch), and the parts that waited for the papers are computed while it loads and load last, with
the build's own record (with it when none waited). Nothing is written after the last load.
"""

from __future__ import annotations

import gc
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from itertools import chain, islice
from typing import IO, Any

import pyoxigraph as ox

from paperkg.extract.records import PaperExtraction
from paperkg.kg.entities import summarise
from paperkg.kg.families import refresh_families
from paperkg.kg.iris import build_iri, entity_iri, one_base, statement_iri
from paperkg.kg.label_index import EntityRef
from paperkg.kg.linking import (
    AcronymIndex,
    LinkedPaper,
    LinksWire,
    LocalLinks,
    link_locally,
    links_from_wire,
    links_to_wire,
    load_linked_paper,
    mentions_with_acronym_key,
    resolve_acronym,
)
from paperkg.kg.names import lookup_key
from paperkg.kg.nquads import PAPERS_NEEDED, iri, nquad, replace_nquads, serialized
from paperkg.kg.rdf import (
    build_quads,
    entity_nquads,
    link_nquads,
    link_quads,
    mention_nquads,
    paper_nquads,
    relation_mention_nquads,
    sentence_nquads,
    statement_nquads,
    statement_quads,
    stored_entity_quads,
    stored_tallies,
)
from paperkg.kg.relations import paper_relations
from paperkg.kg.spool import PaperSpool
from paperkg.kg.store import StoreError, load_nquads_file
from paperkg.kg.support import Key, Support, paper_support, recount, stored_support, support_nquads
from paperkg.kg.terms import named, pkg, prov, rdf, term_value
from paperkg.kg.timeline import PaperChange, TimeChanges, stored_paper_change

# A chunk's papers stay in memory until it is written (about half a million objects for 2,000).
# The size was chosen when each chunk loaded its quads into the store (2,000 papers instead of
# 1,000 halved the RocksDB compaction of a 10,000-paper build, 44 -> 28 s of CPU); since the
# chunks only spool them (`kg.spool`), it has not been measured again
CHUNK_SIZE = 2000


@dataclass
class IngestReport:
    papers: int = 0  # papers added
    mentions: int = 0  # mentions added
    relinked: int = 0  # stored papers whose acronym mentions moved to another entity
    generic_dropped: int = 0  # extracted names that name nothing, not made entities
    build: ox.NamedNode | None = None  # the build node, when anything was added
    extractors: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class PreparedPaper:
    """A paper linked on its own, with the quads of it that neither the store nor the build
    decide (the paper, its sentences, its mentions without their bodies, its relation mentions),
    written as N-Quads: an extraction worker makes them, and bytes cost next to nothing to send
    to the writing process and nothing to turn back into terms there (Oxigraph parses them)."""

    links: LocalLinks
    nquads: bytes

    def __reduce__(self) -> tuple:
        # sent as plain values (`kg.linking.links_to_wire`): the pool's result thread in the writing
        # process unpickles every paper the workers send, beside the write, under the same lock
        return _received, (links_to_wire(self.links), self.nquads)


def _received(links: LinksWire, nquads: bytes) -> PreparedPaper:
    """A `PreparedPaper` as the writing process receives it: its paper without sentences."""
    return PreparedPaper(links_from_wire(links), nquads)


def prepare(ex: PaperExtraction) -> PreparedPaper:
    """Link a paper on its own and write its own quads: `kg build`'s finish step, run where the
    paper was extracted (`kg.engines`)."""
    links = link_locally(ex)
    return PreparedPaper(links, _own_nquads(links))


def _own_nquads(links: LocalLinks) -> bytes:
    """The paper's description, sentences, mentions and relation mentions as N-Quads
    (`kg.rdf.paper_nquads`, `kg.rdf.sentence_nquads`): every IRI in them is the paper's or
    under it, so none is minted here (`kg.iris.one_base`)."""
    paper, at = links.paper, links.paper.iri.value
    lines = [paper_nquads(links.record, at)]
    lines += [sentence_nquads(at, s) for s in paper.sentences.values()]
    lines += [mention_nquads(at, lm) for lm in paper.mentions]
    lines += relation_mention_nquads(paper)
    return "".join(lines).encode()


def add_extractions(db: ox.Store, extractions: Iterable[PaperExtraction], **options: Any) -> IngestReport:
    """Add the papers of `extractions` to `db` (papers already there are skipped), preparing
    each here; `add_prepared` takes papers an extraction engine has prepared already, and the
    same `options` (`chunk_size`, `clock`)."""
    return add_prepared(db, map(prepare, extractions), **options)


def add_prepared(
    db: ox.Store,
    papers: Iterable[PreparedPaper],
    *,
    chunk_size: int = CHUNK_SIZE,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    spool_dir: str | os.PathLike[str] | None = None,
) -> IngestReport:
    """Add `papers`, each made by `prepare`, to `db` (papers already there are skipped). The
    papers' own quads wait in a file under `spool_dir` (`kg.spool`) until the last chunk."""
    with one_base(), _settled_objects_frozen() as settle, closing(PaperSpool(spool_dir)) as spool:
        _require_surface_forms(db)
        started = clock()
        build = build_iri(sum(1 for _ in db.quads_for_pattern(None, rdf.type, pkg.Build)) + 1)
        report = IngestReport()
        pending = _Pending(Descriptions(db), stored_statements=any(db.quads_for_pattern(None, rdf.type, rdf.Statement)))
        iterator = iter(papers)
        with _collector_paused():
            while chunk := list(islice(iterator, chunk_size)):
                fresh = _new_papers(db, chunk, spool)
                if fresh:
                    _add_chunk(db, fresh, build, report, pending, spool)
                del chunk, fresh  # freed here, not walked by `settle`
                settle()
        spool.settle()  # here, before the descriptions take this thread (`PaperSpool.settle`)
        with _Loads(spool_dir) as loads:
            papers_loaded = loads.run(spool.load_into, db)
            if report.papers:
                report.build = build
                pending.write(db, loads, papers_loaded, _build_record(report, started, clock))
        return report


def _build_record(report: IngestReport, started: datetime, clock: Callable[[], datetime]) -> Iterator[str]:
    """The build's own record (a generator: it ends when the last load's file reaches it)."""
    assert report.build is not None
    yield serialized(build_quads(report.build, started, clock(), report.extractors, report.generic_dropped)).decode()


@contextmanager
def _settled_objects_frozen() -> Iterator[Callable[[], None]]:
    """Yield `settle`, which takes every object alive now out of the cyclic garbage collector's
    sight (`gc.freeze`); they are handed back when the block ends.

    What a build keeps from chunk to chunk (`_Pending`: a description and time data per entity)
    only grows and holds no reference cycles (a 2,000-paper build left no cyclic garbage), yet
    every full collection walked all of it: a sixth of the writing process's CPU on 10,000
    papers. Objects freed by their reference counts are freed as before. A caller who froze
    objects of their own keeps them frozen.

    The young objects' garbage is collected once, as the block begins (what came before it may
    have left some: a test's setup did), not before each freeze: a chunk leaves none (a
    collection after each chunk of 10,000 arXiv papers found none, and walked every object the
    chunk kept, 0.1 s of CPU a chunk), and whatever one left would only wait for the block's end.
    """
    owned = gc.get_freeze_count() == 0
    gc.collect(1)

    def settle() -> None:
        gc.freeze()

    try:
        yield settle
    finally:
        if owned:
            gc.unfreeze()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Turn the cyclic garbage collector's own runs off for the block (`settle` still collects).

    A chunk's papers as they arrive (about half a million objects for 2,000 papers: links,
    mentions, sentences) stay alive until the chunk is written, and every full collection
    meanwhile walked them all: eight a chunk, longer as it grows, an eighth of the writing
    thread's CPU on 4,000 papers. Off, nothing is walked until `settle` collects the young
    objects once a chunk (a 4,000-paper build left no cyclic garbage there, nor in the rest of
    the build).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _require_surface_forms(db: ox.Store) -> None:
    """Refuse a graph whose entities have no `pkg:surfaceForm` tallies (written by paperkg before
    they existed): adding to their empty tallies would quietly rewrite every entity's label, type
    and counts from the new papers alone."""
    if any(db.quads_for_pattern(None, pkg.key, None)) and not any(db.quads_for_pattern(None, pkg.surfaceForm, None)):
        raise StoreError(
            "this store was built by an earlier paperkg, whose entities lack the mention tallies a "
            "build adds to; build your listings into a new store (kg build INPUT... --store NEW_DIR)"
        )


def _new_papers(db: ox.Store, chunk: list[PreparedPaper], spool: PaperSpool) -> list[PreparedPaper]:
    seen = set()
    fresh = []
    for prepared in chunk:
        iri = prepared.links.paper.iri
        if iri in seen or iri in spool or any(db.quads_for_pattern(iri, rdf.type, pkg.Paper)):
            continue
        seen.add(iri)
        fresh.append(prepared)
    return fresh


def _add_chunk(
    db: ox.Store,
    chunk: list[PreparedPaper],
    build: ox.NamedNode,
    report: IngestReport,
    pending: _Pending,
    spool: PaperSpool,
) -> None:
    local = [prepared.links for prepared in chunk]
    ex_dropped = {links.paper.iri: links.generic_dropped for links in local}
    keys: dict[ox.NamedNode, str] = {}
    form_keys: dict[str, str] = {}  # mention text -> its key, as the workers computed it
    defined_here: dict[str, set[str]] = defaultdict(set)  # acronym key -> long-form keys
    new_acronyms: dict[str, set[str]] = defaultdict(set)  # long-form key -> short forms
    for links in local:
        keys.update(links.keys)
        form_keys.update(links.form_keys)
        for short_key, long_keys in links.definitions.items():
            defined_here[short_key] |= long_keys
        for long_key, shorts in links.acronyms.items():
            new_acronyms[long_key] |= shorts

    # 2. acronyms used without a definition: where they link now, and what moves
    targets: dict[str, ox.NamedNode] = {}
    moves: dict[ox.NamedNode, dict[ox.NamedNode, ox.NamedNode]] = defaultdict(dict)
    used = {k for links in local for k in links.pending.values()}
    for k in sorted(used | set(defined_here)):
        known = pending.descriptions.defined_for(k)
        before, after = resolve_acronym(k, known), resolve_acronym(k, known | defined_here[k])
        targets[k] = entity_iri(after)
        keys[targets[k]] = after
        if before != after:
            keys[entity_iri(before)] = before
            stored = mentions_with_acronym_key(db, k) | spool.mentions_with_acronym_key(k)
            for mention, paper in stored.items():
                moves[paper][mention] = targets[k]

    papers = []
    for links in local:
        mentions = [
            replace(lm, entity=targets[lm.acronym_key]) if lm.acronym_key else lm for lm in links.paper.mentions
        ]
        papers.append((links, replace(links.paper, mentions=mentions)))

    delta = _Delta()
    # relink stored papers whose acronym mentions move
    stale: set[ox.Quad] = set()
    fixed: set[ox.Quad] = set()
    for paper in sorted(moves, key=lambda p: p.value):
        graph = spool.view(paper) if paper in spool else db
        old = load_linked_paper(graph, paper)
        new = old.relinked(moves[paper])
        if paper in spool:
            spool.relink(paper, _decided_nquads(new, build))
        else:
            before_q, after_q = link_quads(old), link_quads(new)
            stale |= before_q - after_q
            fixed |= after_q - before_q
        delta.count(old, -1)
        delta.count(new, 1)
        delta.changes.append(stored_paper_change(graph, paper, old.entities(), new.entities()))
        said, says = paper_support(old, None), paper_support(new, None)
        pending.recounted.update(k for k in said.keys() | says.keys() if said.get(k) != says.get(k))
        report.relinked += 1
    for links, linked in papers:
        delta.count(linked, 1)
        delta.changes.append(
            PaperChange(linked.iri, links.record.date, links.record.year, frozenset(), frozenset(linked.entities()))
        )
        for key, added in paper_support(linked, links.record.year).items():
            if (summed := pending.support.get(key)) is None:
                pending.support[key] = added  # a paper's own, made for it: nothing else holds it
            else:
                summed.add(added)
        report.papers += 1
        report.mentions += len(linked.mentions)
        report.generic_dropped += ex_dropped[linked.iri]
        if links.extractor:
            report.extractors.add(links.extractor)
    # 3. the new papers' links, and 4. relation evidence, wait in the spool with the papers' own
    # quads for one load at the build's end: each load is a set of files that RocksDB compacts
    # into the rest of the database, and a load a chunk was compacted into an ever larger one;
    # only the links of papers stored before the build are changed in the store
    for q in sorted(stale, key=str):
        db.remove(q)
    db.extend(fixed)
    for prepared, (_, linked) in zip(chunk, papers):
        spool.add(linked.iri, prepared.nquads, _decided_nquads(linked, build), linked.mentions)
    evidence = _apply_evidence(db, delta.evidence, build, pending, spool)
    spool.add_evidence("".join(evidence).encode())
    pending.time_data.add(delta.changes)

    # 5. what the chunk changes in the description of every entity it touched
    pending.descriptions.update(delta, keys, new_acronyms, form_keys)


@dataclass
class _Delta:
    """What a chunk's papers change in the counts of entities and relations: a new paper counts
    once as it is; a relinked stored paper is taken away as it was and counted as it is."""

    evidence: Counter = field(default_factory=Counter)  # (subject, relation, object, sentence) -> gained
    papers: Counter = field(default_factory=Counter)  # entity -> papers that name it now and did not before
    tallies: Counter = field(default_factory=Counter)  # (entity, text, extractor type) -> mentions gained
    touched: set[ox.NamedNode] = field(default_factory=set)
    changes: list[PaperChange] = field(default_factory=list)  # each paper's entities before and after

    def count(self, paper: LinkedPaper, sign: int) -> None:
        """Count `paper` in (`sign` 1) or take it away (-1). Counter.update and subtract count an
        iterable's items in C: a tally a mention, not a Counter an entity, is what a chunk makes."""
        entities = paper.entities()
        counted = (
            (self.evidence, paper_relations(paper)),
            (self.papers, entities),
            (self.tallies, [(lm.entity, lm.mention.text, lm.type) for lm in paper.mentions]),
        )
        for counter, items in counted:
            if sign > 0:
                counter.update(items)
            else:
                counter.subtract(items)
        self.touched |= entities


def _decided_nquads(paper: LinkedPaper, build: ox.NamedNode) -> bytes:
    """What the build and the store decide of a new paper (its own quads are its
    `PreparedPaper.nquads`), as N-Quads."""
    lines = [nquad(iri(paper.iri), prov.wasGeneratedBy, iri(build)), *link_nquads(paper)]
    return "".join(lines).encode()


def _stored_int(db: ox.Store, node: ox.NamedNode, predicate: ox.NamedNode) -> ox.Quad | None:
    return next(iter(db.quads_for_pattern(node, predicate, None)), None)


_DERIVED_FROM = f"<{prov.wasDerivedFrom.value}> "


def _apply_evidence(
    db: ox.Store, deltas: Counter, build: ox.NamedNode, pending: _Pending, spool: PaperSpool
) -> list[str]:
    """Remove the sentences each relation's evidence node no longer derives from (from the store,
    or from the spool when the build added them), and return the quads to add for those it
    gained (N-Quads lines, as `PaperSpool.kill` matches them), noting in `pending` the evidence
    nodes the build made and removed and the sentences each has in the spool."""
    by_statement: dict[tuple, dict[ox.NamedNode, int]] = defaultdict(dict)
    for (s, relation, o, sentence), delta in deltas.items():
        if delta:
            by_statement[(s, relation, o)][sentence] = delta
    add: list[str] = []
    for (s, relation, o), sentences in by_statement.items():
        node = statement_iri(s, getattr(pkg, relation), o)
        exists = pending.has_statement(db, node)
        gained = [sentence for sentence, delta in sentences.items() if delta > 0]
        for sentence, delta in sentences.items():
            if delta < 0:
                lost = ox.Quad(node, prov.wasDerivedFrom, sentence)
                if pending.stored_statements and lost in db:
                    db.remove(lost)
                else:
                    spool.kill([lost])
                    pending.spooled_evidence[node] -= 1
        if gained:
            at = f"<{node.value}> {_DERIVED_FROM}"
            add.extend(f"{at}<{sentence.value}> .\n" for sentence in gained)
            pending.spooled_evidence[node] += len(gained)
        # a frequent relation has many sentences: they are only read when some went away
        if (
            exists
            and not gained
            and not pending.spooled_evidence[node]
            and not any(db.quads_for_pattern(node, prov.wasDerivedFrom, None))
        ):
            made_by = _stored_int(db, node, prov.wasGeneratedBy)
            if made_by:
                for q in statement_quads(s, relation, o, named(made_by.object)):
                    db.remove(q)
            else:  # the build made it: it waits in the spool
                spool.kill(statement_quads(s, relation, o, build))
            pending.statements[node] = False
            pending.unread[node] = False
        elif not exists and gained:
            add.extend(statement_nquads(s, relation, o, build, node))
            pending.statements[node] = True
            pending.unread.setdefault(node, True)
    return add


def _support_changes(
    db: ox.Store,
    added: dict[Key, Support],
    recounted: set[Key],
    created: set[ox.NamedNode],
) -> Iterator[str]:
    """Add the new papers' support to the stored support of each relation; count the relations in
    `recounted` again from their relation mentions (which already include the new papers').
    Relations `created` by this build have no stored support to read. Yields the quads to add as
    N-Quads lines (streamed into the store: a large build's relations are many); removes on the way.
    The relations that read the build's papers (their relation mentions, or evidence nodes the
    spool holds) come last, after `PAPERS_NEEDED`: most of a first build's read nothing."""
    later: list[Key] = []  # the relations that read the build's papers
    for key in sorted(set(added) | recounted, key=lambda k: (k[0].value, k[1], k[2].value)):
        node = _statement_node(key)
        if key in recounted or node not in created:
            later.append(key)
        else:  # most of a large build's: nothing stored or spooled to read, add to or remove
            yield from support_nquads(node, added[key])
    if later:
        yield PAPERS_NEEDED
    for key in later:
        node = _statement_node(key)
        if node in created:
            yield from support_nquads(node, recount(db, key, node))
            continue
        support, old = stored_support(db, node)
        # one the build created is there: only a relation that had evidence before may have lost it
        if not any(db.quads_for_pattern(node, rdf.type, None)):
            new: list[str] = []  # the relation lost its last sentence
        elif key in recounted:
            new = support_nquads(node, recount(db, key, node))
        else:
            support.add(added[key])
            new = support_nquads(node, support)
        yield from replace_nquads(db, old, new)


def _statement_node(key: Key) -> ox.NamedNode:
    s, relation, o = key
    return statement_iri(s, getattr(pkg, relation), o)


class _Loads:
    """Bulk loads into the store at the build's end, run one at a time in the order given on a
    thread of their own, while the build's thread computes what is loaded next.

    Oxigraph loads without the GIL (`kg.store.load_nquads_file`), on one to two cores, beside the
    build's thread computing the summaries. One load at a time keeps the loader's batches in
    memory once (two at once took 1.8 GB more at the whole corpus). The quads to load wait in
    unnamed files under `directory` (a large build's descriptions do not fit in memory at once).
    """

    def __init__(self, directory: str | os.PathLike[str] | None):
        self._directory = directory
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paperkg-load")
        self._queued: list[Future] = []

    def __enter__(self) -> _Loads:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self._thread.shutdown()  # every load queued runs to its end, whatever happened here
        if exc_type is None:  # a load that failed raises here: none is left unsaid
            for future in self._queued:
                future.result()

    def run(self, load: Callable[..., None], *args: Any) -> Future:
        """Queue `load(*args)`; the future's `result()` waits for it and raises what it raised."""
        future = self._thread.submit(load, *args)
        self._queued.append(future)
        return future

    def nquads(self, db: ox.Store, lines: Iterable[str]) -> Future:
        """Write `lines` (as `kg.store.bulk_write_nquads` takes them) to a file, here, and queue its
        load (`run`)."""
        file = tempfile.TemporaryFile(dir=self._directory)
        try:
            file.writelines(line.encode() for line in lines)
        except BaseException:
            file.close()
            raise
        return self.run(_load_and_close, db, file)


def _load_and_close(db: ox.Store, file: IO[bytes]) -> None:
    with file:
        load_nquads_file(db, file)


@dataclass
class _Pending:
    """What a build's chunks change in summaries of many papers, kept from chunk to chunk and
    written once at the build's end: the entities' descriptions and time data, and the support
    of the relations. A summary a chunk rewrote would be read and rewritten again by every later
    chunk that touches it, and the hubs are touched by all of them."""

    descriptions: Descriptions
    time_data: TimeChanges = field(default_factory=TimeChanges)
    support: dict[Key, Support] = field(default_factory=dict)  # the new papers' support
    recounted: set[Key] = field(default_factory=set)  # relations stored papers gained or lost: counted again
    # evidence nodes the build made (True) or removed (False): only one made and never removed is
    # known to have no support stored
    unread: dict[ox.NamedNode, bool] = field(default_factory=dict)
    # whether each evidence node the build made or removed is there now; the others are as stored
    statements: dict[ox.NamedNode, bool] = field(default_factory=dict)
    # whether the store held any evidence node before the build (a first build's hold none: never asked)
    stored_statements: bool = True
    # evidence node -> sentences the build added to it that wait in the spool
    spooled_evidence: Counter = field(default_factory=Counter)

    def has_statement(self, db: ox.Store, node: ox.NamedNode) -> bool:
        if node in self.statements:
            return self.statements[node]
        return self.stored_statements and any(db.quads_for_pattern(node, rdf.type, None))

    def write(self, db: ox.Store, loads: _Loads, papers_loaded: Future, record: Iterator[str]) -> None:
        """After the last chunk, while `loads` loads the spooled papers (`papers_loaded`): the
        descriptions, the time data and the support, of which only what reads the papers (an
        entity's dated papers when it lost one, the relation mentions of a relation counted
        again) waits for them, then the model families (linked from the descriptions), and last
        the build's `record`.

        What waits for the papers loads apart, after the rest: that rest then loads as soon as the
        papers have, while the build's thread reads them (at the whole corpus ~1,700 relations
        counted again and ~800 entities' first papers: 5.5 s the next load waited for). When
        nothing waits (most builds, and every first build without relinks), all of it is one load.

        Every load is a set of files RocksDB merges into the database (so the parts that waited
        load apart only when there are some); and nothing is written after the last: a few quads
        written to the database after its bulk loads overlap every index file, and the commit's
        compaction then rewrote them all (44 s of one core at the whole corpus)."""
        described = self.descriptions.changes()
        time_data = self.time_data.changes(db, self.descriptions.new_entities())
        made = {n for n, new in self.unread.items() if new}
        support = _support_changes(db, self.support, self.recounted, made)
        waiting: list[Iterator[str]] = []

        def ready() -> Iterator[str]:
            yield from _until_papers_needed((described, time_data, support), waiting)
            yield self.descriptions.families()
            if not waiting:
                yield from record

        loads.nquads(db, ready())
        if waiting:
            papers_loaded.result()
            loads.nquads(db, chain(*waiting, record))


def _until_papers_needed(parts: Iterable[Iterator[str]], waiting: list[Iterator[str]]) -> Iterator[str]:
    """The lines of `parts`, each up to its `PAPERS_NEEDED`; the parts that stopped there are
    added to `waiting`, their other lines unread: no part's lines that read nothing wait behind
    another's that wait for the papers."""
    for part in parts:
        for line in part:
            if line == PAPERS_NEEDED:
                waiting.append(part)
                break
            yield line


@dataclass
class _Described:
    """An entity's description as this build has made it so far."""

    key: str
    tallies: Counter  # (text, extractor type) -> mentions
    acronyms: set[str]
    papers: int
    stored: set[ox.Quad]  # the description the store holds (from before the build)


class Descriptions:
    """The descriptions of the entities a build touches, kept in memory and written once at its end.

    A stored entity keeps its mentions tallied by surface form and type (`pkg:surfaceForm`), so
    its description after a build is the stored tallies plus what the build's chunks add or move,
    and its paper count the stored count plus the papers it gained: the same numbers as counting
    all its mentions again, without reading them. Each stored entity is read once, when a chunk
    first touches it, and each entity is summarised and written once, in `write`: a hub that
    every chunk names costs the same as an entity named once.

    Between chunks, the store's descriptions are those from before the build; `defined_for` reads
    them together with the build's own, as a chunk-by-chunk write would have left them.
    """

    def __init__(self, db: ox.Store):
        self._db = db
        self._index = AcronymIndex(db)  # the store's descriptions do not change during the build
        # a first build's entities are all new: none is looked up in the store
        self._stored_any = any(db.quads_for_pattern(None, pkg.key, None))
        self._entities: dict[ox.NamedNode, _Described] = {}
        self._by_acronym: dict[str, set[ox.NamedNode]] = defaultdict(set)  # acronym key -> entities
        # the key of every form whose key is not that of an entity it names; every other form's key
        # is its entity's (most forms: they were grouped by key), so the keys of all forms cost
        # little memory
        self._other_keys: dict[str, str] = {}
        # the models among the descriptions `changes` made: IRI, label and papers, and their lookup keys
        self._models: list[EntityRef] = []
        self._model_keys: list[tuple[str, str]] = []

    def defined_for(self, acronym_key: str) -> set[str]:
        """Keys of the entities that some paper, stored or added so far, defines `acronym_key` for."""
        stored = {k for k, e in self._index.stored(acronym_key).items() if e not in self._entities}
        return stored | {self._entities[e].key for e in self._by_acronym[acronym_key]}

    def update(
        self,
        delta: _Delta,
        keys: dict[ox.NamedNode, str],
        new_acronyms: dict[str, set[str]],
        form_keys: dict[str, str],
    ) -> None:
        """Apply one chunk's mention tallies, papers gained and defined acronyms; `form_keys`
        holds the key of the new papers' mention texts."""
        for e in sorted(delta.touched - self._entities.keys(), key=lambda e: e.value):
            self._entities[e] = self._read(e, keys.get(e))
        emptied = set()  # entities a form of which lost mentions: only a relinked paper takes them away
        described, other_keys = self._entities, self._other_keys
        for (e, text, type_), n in delta.tallies.items():  # a form at a time: kept inline
            d = described[e]
            d.tallies[text, type_] = d.tallies.get((text, type_), 0) + n
            # `_note_key`, inline: most forms' keys are their entity's, and kept nowhere
            if text not in other_keys and (form_key := form_keys.get(text) or lookup_key(text)) != d.key:
                other_keys[text] = form_key
            if n <= 0:
                emptied.add(e)
        for e in delta.touched:
            d = self._entities[e]
            if e in emptied:
                d.tallies = +d.tallies  # forms whose mentions all moved away are gone
            if d.tallies:
                if d.key in new_acronyms:  # few entities gain an acronym
                    gained = new_acronyms[d.key] - d.acronyms
                    d.acronyms |= gained
                    self._index_acronyms(e, gained)
                d.papers += delta.papers[e]
            else:  # no mention names it any more: it has no description, nor acronyms
                d.acronyms, d.papers = set(), 0
                for entities in self._by_acronym.values():
                    entities.discard(e)

    def _index_acronyms(self, e: ox.NamedNode, acronyms: Iterable[str]) -> None:
        for a in acronyms:
            self._by_acronym[lookup_key(a)].add(e)

    def _read(self, e: ox.NamedNode, key: str | None) -> _Described:
        # most entities of a large build are new to it: one lookup tells, the description takes a dozen
        if not (self._stored_any and any(self._db.quads_for_pattern(e, pkg.key, None))):
            assert key is not None, e  # an entity the build did not decide is a stored one
            return _Described(key, Counter(), set(), 0, set())
        old = stored_entity_quads(self._db, e)
        if key is None:  # a stored entity no paper of the build links to by its own name
            key = next(term_value(q.object) for q in old if q.predicate == pkg.key)
        acronyms = {term_value(q.object) for q in old if q.predicate == pkg.acronym}
        papers = sum(int(term_value(q.object)) for q in old if q.predicate == pkg.paperCount)
        tallies = stored_tallies(old)
        for text, _ in tallies:
            self._note_key(text, key, lookup_key(text))
        self._index_acronyms(e, acronyms)
        return _Described(key, tallies, acronyms, papers, old)

    def _note_key(self, text: str, entity_key: str, form_key: str) -> None:
        """Keep `form_key`, the key of the form `text` of the entity keyed `entity_key`, when it
        differs from it (and none was kept for `text` before)."""
        if form_key != entity_key:
            self._other_keys.setdefault(text, form_key)

    def _form_keys(self, d: _Described) -> dict[str, str]:
        return {text: self._other_keys.get(text, d.key) for text, _ in d.tallies}

    def new_entities(self) -> set[ox.NamedNode]:
        """The entities the build touched that had no description before it."""
        return {e for e, d in self._entities.items() if not d.stored}

    def changes(self) -> Iterator[str]:
        """Every touched entity's description (only what changed), as N-Quads lines to add (as
        `kg.store.bulk_write_nquads` takes them), streamed: the quads of all the entities of a
        large build would not fit in memory at once. What is no longer true is removed from the
        store as the lines are made: it reads nothing else. The models among them are kept for
        `families`."""
        for e, d in sorted(self._entities.items(), key=lambda item: item[0].value):
            lines = []
            if d.tallies:
                summary = summarise(d.key, d.tallies, d.acronyms, d.papers, self._form_keys(d))
                lines = entity_nquads(e, summary)
                if summary.type == "Model":
                    self._models.append(EntityRef(e.value, summary.label, "Model", summary.papers))
                    self._model_keys.extend((e.value, k) for k in summary.lookup_keys)
            if d.stored:
                yield from replace_nquads(self._db, d.stored, lines)
            elif lines:  # a new entity's lines as one string: the load's file takes it as it takes a line
                yield "".join(lines)

    def families(self) -> str:
        """The model families' links as `kg.families.refresh_families` makes them, once `changes`
        is spent: from the models described here (their descriptions are not in the store until
        the build's last load) and the stored models the build did not touch."""
        return refresh_families(self._db, self._models, self._model_keys, described=self._entities)
