"""The writing process of `kg build` alone, on real extractions, before and after, in one run.

    python -m bench.write_path --before /path/to/old/venv/bin/python [--papers 10000] [--pace 8]

The papers (a seeded sample of the shared arXiv corpus, as `bench.full_corpus` takes them) are
extracted once, by this checkout's pipeline with --workers, and kept (--reuse takes those an
earlier run kept in --work). Then, for each Python (the one given with --before, and this
environment's), one fresh process links each paper and writes
its own quads as the extraction workers do (`kg.ingest.prepare`, not timed), empties the name
caches (a build's writing process never linked a paper, so its caches start cold) and times
`add_prepared` into a fresh store, compacted at the end as `kg build` compacts a first build: the
process's CPU, of which the end-of-build write (`_Pending.write`), the Python thread's and
RocksDB's compaction threads' (`rocksdb:*`), and wall; the build's end after the last chunk
(`end_cpu_s`, `end_wall_s`: the spool's load, the summaries and their loads, the families;
not the compaction of the commit); the Python thread's CPU in the
parts of the build's end (`end_write_thread_s`: the entities' descriptions, with its load into
the store where the code loads it on the build's thread (since h39-endp the loads run on a
thread of their own; since h41 its lines go into the last load's file), and the model
families' refresh; the time data are made as the last load's
file is written, since h40, and are not timed apart). After each chunk the writer waits --pace
seconds per 1,000 papers, as it waits for the extraction workers in a real build (about 8 s on
two workers): RocksDB compacts meanwhile, and how often it compacts depends on that pace. Each
chunk's cost per paper is kept beside the papers written before it (`per_chunk`), so a cost that
grows with the store shows. The two sides run at the same time, so a machine shared with other
jobs loads both alike; compare CPU seconds.

This is the main process of `kg build --workers N` without the extraction it waits for and
without receiving the workers' results: what makes it the bottleneck of a large build.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
from pathlib import Path

from bench.corpus import real_papers, write_jsonl
from bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent

# Run by each side's Python: argv = extractions pickle, store directory, pace (s per 1,000 papers).
CHILD = """
import json, os, pickle, shutil, sys, time
from paperkg.extract import naming
from paperkg.kg import ingest
from paperkg.kg.store import Store

with open(sys.argv[1], "rb") as fh:
    prepared = [ingest.prepare(ex) for ex in pickle.load(fh)]
for f in vars(naming).values():
    if hasattr(f, "cache_clear"):
        f.cache_clear()
pace = float(sys.argv[3])

def threads_cpu():  # CPU seconds of this process's live threads, summed by thread name
    found = {}
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/stat") as fh:
            stat = fh.read()
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        found[name] = found.get(name, 0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found

def compaction():
    return sum(cpu for name, cpu in threads_cpu().items() if name.startswith("rocksdb"))

end, per_chunk = [], []
write, add_chunk = ingest._Pending.write, ingest._add_chunk

def timed(self, *args):
    started = time.process_time()
    write(self, *args)
    end.append(time.process_time() - started)

chunked = {}  # the process's CPU and wall when the last chunk was written: the build's end starts there

def paced(db, chunk, *args):
    before, python, compacted = args[1].papers, time.thread_time(), compaction()
    add_chunk(db, chunk, *args)
    python = time.thread_time() - python
    time.sleep(pace * len(chunk) / 1000)
    chunked.update(cpu=time.process_time(), wall=time.perf_counter())
    n = len(chunk) / 1000
    per_chunk.append([before, round(python / n, 2), round((compaction() - compacted) / n, 2)])

ingest._Pending.write, ingest._add_chunk = timed, paced
parts = {}  # the end write's parts: the Python thread's CPU, their loads into the store included

def thread_timed(name, write):
    def timed_part(*args, **kwargs):
        started = time.thread_time()
        made = write(*args, **kwargs)
        parts[name] = round(parts.get(name, 0) + time.thread_time() - started, 1)
        return made
    return timed_part

def lines_timed(name, lines):  # a generator's lines, timed as they are asked for
    def timed_lines(*args, **kwargs):
        started = time.thread_time()
        yield from lines(*args, **kwargs)
        parts[name] = round(parts.get(name, 0) + time.thread_time() - started, 1)
    return timed_lines

if hasattr(ingest.Descriptions, "changes"):  # since h41 the descriptions' lines go into the last load's file
    ingest.Descriptions.changes = lines_timed("descriptions", ingest.Descriptions.changes)
else:
    ingest.Descriptions.write = thread_timed("descriptions", ingest.Descriptions.write)
ingest.refresh_families = thread_timed("families", ingest.refresh_families)
shutil.rmtree(sys.argv[2], ignore_errors=True)
cpu, wall, python = time.process_time(), time.perf_counter(), time.thread_time()
with Store(sys.argv[2]).transaction(compact=True) as db:
    ingest.add_prepared(db, prepared)
    end_cpu, end_wall = time.process_time() - chunked["cpu"], time.perf_counter() - chunked["wall"]
print(json.dumps({
    "end_cpu_s": round(end_cpu, 1),  # after the last chunk: loads, summaries and families, every thread's
    "end_wall_s": round(end_wall, 1),
    "cpu_s": round(time.process_time() - cpu, 1),
    "python_thread_cpu_s": round(time.thread_time() - python, 1),
    "compaction_cpu_s": round(compaction(), 1),
    "end_write_cpu_s": round(sum(end), 1),
    "end_write_thread_s": parts,
    "wall_s": round(time.perf_counter() - wall, 1),
    # papers written before the chunk, its Python thread's and RocksDB's compaction CPU (s per 1,000 papers)
    "per_chunk": per_chunk,
}))
"""


def extract(papers: int, workers: int, work: Path) -> Path:
    from paperkg.kg.build import read
    from paperkg.kg.engines import LocalEngine

    records = real_papers(papers)
    if records is None:
        raise SystemExit("the shared arXiv corpus is not there (bench.corpus.arxiv_path)")
    corpus = write_jsonl(work / f"corpus-{papers}.jsonl", records)
    found, _, _ = read([str(corpus)], strict=False, on_problem=lambda p: None)
    kept = work / f"extractions-{papers}.pickle"
    with open(kept, "wb") as fh:
        pickle.dump(list(LocalEngine(workers=workers).extract(found)), fh)
    return kept


def sides_parser(description: str | None) -> argparse.ArgumentParser:
    """The arguments of a bench that runs two Pythons on the extractions this one keeps in --work
    (`bench.descriptions` too)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="the Python of the code to compare with (its venv's)")
    parser.add_argument("--after", default=sys.executable, help="the Python measured [this one]")
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="extraction processes (extraction is not timed)")
    parser.add_argument(
        "--reuse", action="store_true", help="take what an earlier run kept in --work (the extractions), if there"
    )
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "write-path")
    return parser


def kept_extractions(args: argparse.Namespace) -> Path:
    """The extractions of --papers kept in --work: made there, unless --reuse finds them."""
    args.work.mkdir(parents=True, exist_ok=True)
    kept = args.work / f"extractions-{args.papers}.pickle"
    if not (args.reuse and kept.exists()):
        kept = extract(args.papers, args.workers, args.work)
    return kept


def main(argv: list[str] | None = None) -> None:
    parser = sides_parser(__doc__)
    parser.add_argument(
        "--pace", type=float, default=8.0, help="seconds the writer waits after each chunk, per 1,000 papers [8]"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "write-path.json")
    args = parser.parse_args(argv)
    kept = kept_extractions(args)
    sides = {"before": args.before, "after": args.after}
    running = {
        which: subprocess.Popen(
            [python, "-c", CHILD, str(kept), str(args.work / f"store-{which}"), str(args.pace)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for which, python in sides.items()
    }
    results: dict = {"machine": describe(ROOT), "python": sides, "papers": args.papers}
    for which, child in running.items():
        out, _ = child.communicate()
        if child.returncode:
            raise SystemExit(f"{which}: the write failed (exit {child.returncode})")
        results[which] = json.loads(out.strip().splitlines()[-1])
        print(f"{which}: {json.dumps(results[which])}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
