"""`python -m bench`: generate the corpus, measure every section, print one table, write JSON.

    python -m bench                           # 1k, 2k, 10k, 50k abstracts (long: run it in the background)
    python -m bench --quick                   # every measurement at small sizes, in about a minute
    python -m bench --sizes 1000,5000 --out bench/out/small.json
    python -m bench --only build,queries      # some sections (the others are left out of the JSON)
    python -m bench --synthetic               # the synthetic corpus even when the real one is there

The papers are real 2025-26 arXiv abstracts from ../shared/data/arxiv-ai/ (or $PAPERKG_ARXIV)
when that corpus is present, a seeded sample; otherwise, and always with --quick, a synthetic
corpus made of demo and SciERC sentences (bench/corpus.py).

Sections run in order and the JSON is rewritten after each, so a long run can be followed (and a
crash keeps what was measured). A section that fails records its error and the run goes on.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from bench import corpus
from bench.machine import cores, describe, load_average

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("extraction", "build", "queries", "lookup", "viz", "incremental")
QUERY_GRAPH_TRIPLES = 1_000_000  # queries run on the built store nearest this size
VIZ_ENTITIES = 5_000  # kg viz runs on the built store nearest this many entities


@dataclass(frozen=True)
class Plan:
    mode: str
    sizes: tuple[int, ...]
    extra: int  # papers added incrementally to the largest store
    extraction_papers: int
    extraction_runs: int
    query_runs: int
    rdflib_runs: int
    lookup_runs: int
    viz_runs: int
    build_workers: int  # kg build --workers; 0: all cores


FULL = Plan("full", (1_000, 2_000, 10_000, 50_000), 1_000, 1_000, 3, 7, 3, 5, 3, 0)
# One build worker: on a few papers, starting spaCy in more processes is all the time there is.
QUICK = Plan("quick", (10, 50), 10, 30, 1, 3, 1, 1, 1, 1)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _nearest(rows: list[dict], key: str, wanted: float) -> dict:
    return min(rows, key=lambda r: abs(math.log(max(r[key], 1) / wanted)))


def _paper_objects(records: list[dict]):
    from paperkg.extract.readers.fields import paper_from_mapping

    return [paper_from_mapping(r, "bench-corpus.jsonl", i + 1) for i, r in enumerate(records)]


def run(plan: Plan, work: Path, out: Path, workers: int, seed: int, only: set[str], synthetic: bool = False) -> dict:
    from bench import building, extraction, querying, shell, targets

    work.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "machine": describe(ROOT),
        "config": {
            "mode": plan.mode,
            "sizes": list(plan.sizes),
            "incremental_papers": plan.extra,
            "workers": workers,
            "seed": seed,
            "work": str(work),
        },
    }

    def save() -> None:
        results["machine"]["load_average_now"] = load_average()
        results["targets"] = targets.judge(results)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    largest = max(plan.sizes)
    real = None if synthetic or plan.mode == "quick" else corpus.real_papers(largest + plan.extra, seed)
    if real is not None and len(real) < largest + plan.extra:
        log(
            f"the real corpus holds {len(real):,} papers, fewer than {largest + plan.extra:,}: synthetic papers instead"
        )
        real = None
    if real is not None:
        records = real
        results["corpus"] = {"kind": "real", "source": str(corpus.arxiv_path()), "seed": seed}
        log(f"corpus: {len(records):,} real arXiv papers from {corpus.arxiv_path()}")
    else:
        pool = corpus.load_pool()
        records = corpus.papers(largest + plan.extra, pool, seed)
        results["corpus"] = {
            "kind": "synthetic",
            "sources": pool.sources,
            "sentences": len(pool.sentences),
            "seed": seed,
        }
        log(f"corpus: {len(records):,} papers from {len(pool.sentences):,} sentences of {pool.sources}")
    corpora = {n: corpus.write_jsonl(work / f"corpus-{n}.jsonl", records[:n]) for n in plan.sizes}
    extra_file = corpus.write_jsonl(work / f"corpus-extra-{plan.extra}.jsonl", records[largest:])
    results["corpus"].update(
        {
            "words_per_paper": round(corpus.word_count(records) / len(records), 1),
            "files": {str(n): str(p) for n, p in corpora.items()} | {"extra": str(extra_file)},
        }
    )

    def section(name: str, measure) -> None:
        if name not in only:
            return
        log(f"{name} ...")
        try:
            results[name] = measure()
        except Exception as exc:  # one broken section must not lose the others' numbers
            results[name] = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
            log(f"{name} FAILED: {type(exc).__name__}: {exc}")
        save()

    section(
        "extraction",
        lambda: extraction.measure(_paper_objects(records[: plan.extraction_papers]), cores(), plan.extraction_runs),
    )

    def build():
        rows = building.build_sizes(corpora, work, workers, log)
        return {"workers": workers, "rows": rows, "growth": building.growth(rows)}

    section("build", build)
    built = results.get("build", {}).get("rows", [])

    def need_builds() -> list[dict]:
        if not built:
            raise RuntimeError("needs the build section's stores (run it too)")
        return built

    section(
        "queries",
        lambda: querying.measure(
            work / f"store-{_nearest(need_builds(), 'triples', QUERY_GRAPH_TRIPLES)['papers_in']}",
            work,
            plan.query_runs,
            plan.rdflib_runs,
            log,
        ),
    )
    section(
        "lookup",
        lambda: shell.measure_lookup(
            work / f"store-{max(r['papers_in'] for r in need_builds())}", plan.lookup_runs, log
        ),
    )
    section(
        "viz",
        lambda: shell.measure_viz(
            work / f"store-{_nearest(need_builds(), 'entities', VIZ_ENTITIES)['papers_in']}", work, plan.viz_runs, log
        ),
    )
    section(
        "incremental",
        lambda: building.incremental(
            work / f"store-{max(r['papers_in'] for r in need_builds())}",
            corpora[largest],
            extra_file,
            plan.extra,
            work,
            workers,
            log,
        ),
    )
    save()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: every measurement in about a minute")
    parser.add_argument(
        "--sizes", help=f"corpus sizes for kg build, comma-separated [{','.join(map(str, FULL.sizes))}]"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "results.json", help="JSON results file")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument("--work", type=Path, help="corpora and stores [bench/out/work or bench/out/quick]")
    parser.add_argument("--workers", type=int, help="kg build --workers [all cores; 1 with --quick]")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed [0]")
    parser.add_argument("--only", help=f"comma-separated sections of: {', '.join(SECTIONS)}")
    parser.add_argument(
        "--synthetic", action="store_true", help="the synthetic corpus even when the real arXiv corpus is present"
    )
    args = parser.parse_args(argv)

    plan = QUICK if args.quick else FULL
    if args.sizes:
        sizes = tuple(sorted({int(s) for s in args.sizes.split(",") if s.strip()}))
        if not sizes or min(sizes) < 1:
            parser.error("--sizes takes positive whole numbers, e.g. 1000,10000")
        plan = Plan(**{**plan.__dict__, "sizes": sizes})
    only = set(SECTIONS) if not args.only else {s.strip() for s in args.only.split(",")}
    if only - set(SECTIONS):
        parser.error(f"unknown section(s) {', '.join(sorted(only - set(SECTIONS)))}; choose from {', '.join(SECTIONS)}")
    work = args.work or ROOT / "bench" / "out" / plan.mode
    workers = args.workers or plan.build_workers or cores()
    results = run(plan, work, args.out, max(1, workers), args.seed, only, synthetic=args.synthetic)

    from bench.table import markdown

    table = markdown(results)
    print(table)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(table, encoding="utf-8")
    log(f"results in {args.out}")
    return 1 if any("error" in results.get(s, {}) for s in only) else 0
