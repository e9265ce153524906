"""The entities' descriptions at a build's end (`Descriptions.changes`) alone, two Pythons in turns.

    python -m bench.descriptions --before /path/to/old/venv/bin/python [--papers 10000] [--runs 3] [--reuse]

The papers' extractions are those `bench.write_path` keeps in --work (made there when missing).
This checkout's code adds them to a fresh store (`add_prepared`, not timed) and keeps what the
build's `Descriptions` holds after its last chunk (each entity's key, form tallies, acronyms and
papers, and the forms' keys): a first build's, which reads no stored description. Then each Python
makes every line of `changes` from that state, in turns (--runs each, alternating), into an empty
store: its CPU (`process_time`) and a digest of the lines, which must be the same on both sides.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

from bench.write_path import kept_extractions, sides_parser

# Run by this checkout's Python: argv = extractions pickle, store directory, state pickle.
CAPTURE = """
import pickle, shutil, sys
from paperkg.kg import ingest
from paperkg.kg.store import Store

class Captured(Exception):
    pass

def capture(pending, db, loads, papers_loaded, last):
    d = pending.descriptions
    entities = {e.value: (x.key, dict(x.tallies), x.acronyms, x.papers) for e, x in d._entities.items()}
    with open(sys.argv[3], "wb") as fh:
        pickle.dump({"entities": entities, "other_keys": d._other_keys}, fh)
    papers_loaded.result()
    raise Captured

with open(sys.argv[1], "rb") as fh:
    prepared = [ingest.prepare(ex) for ex in pickle.load(fh)]
ingest._Pending.write = capture
shutil.rmtree(sys.argv[2], ignore_errors=True)
try:
    with Store(sys.argv[2]).transaction(compact=False) as db:
        ingest.add_prepared(db, prepared)
except Captured:
    pass
shutil.rmtree(sys.argv[2], ignore_errors=True)
"""

# Run by each side's Python: argv = state pickle.
REPLAY = """
import hashlib, json, pickle, sys, time
from collections import Counter
import pyoxigraph as ox
from paperkg.kg import ingest
from paperkg.kg.iris import one_base

with open(sys.argv[1], "rb") as fh:
    state = pickle.load(fh)
with one_base():
    d = ingest.Descriptions(ox.Store())
    for e, (key, tallies, acronyms, papers) in state["entities"].items():
        d._entities[ox.NamedNode(e)] = ingest._Described(key, Counter(tallies), set(acronyms), papers, set())
    d._other_keys.update(state["other_keys"])
    digest = hashlib.sha1()
    started = time.process_time()
    for lines in d.changes():  # a line, or (since h42) a new entity's lines as one string
        digest.update(lines.encode())
    cpu = time.process_time() - started
print(json.dumps({"changes_cpu_s": round(cpu, 3), "digest": digest.hexdigest()[:16], "entities": len(d._entities)}))
"""


def main(argv: list[str] | None = None) -> None:
    parser = sides_parser(__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of each side, alternating [3]")
    args = parser.parse_args(argv)
    kept = kept_extractions(args)
    state = args.work / f"descriptions-{args.papers}.pickle"
    if not (args.reuse and state.exists()):
        store = args.work / "store-descriptions"
        subprocess.run([sys.executable, "-c", CAPTURE, str(kept), str(store), str(state)], check=True)
    sides = {"before": args.before, "after": args.after}
    runs: dict[str, list[dict]] = {which: [] for which in sides}
    for _ in range(args.runs):
        for which, python in sides.items():
            out = subprocess.run([python, "-c", REPLAY, str(state)], check=True, capture_output=True, text=True)
            runs[which].append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"{which}: {runs[which][-1]}", flush=True)
    medians = {which: statistics.median(r["changes_cpu_s"] for r in runs[which]) for which in sides}
    digests = {r["digest"] for side in runs.values() for r in side}
    print(json.dumps({"papers": args.papers, "median_cpu_s": medians, "same_lines": len(digests) == 1}))


if __name__ == "__main__":
    main()
