"""Are the biggest entities things a researcher would name, typed right, one entity per thing?

The fixtures (tests/fixtures/hubs/, judging rule in its README) hold the top hubs of a built graph
(`kg stats --quality --top 150`: the entities in the most papers), each judged by hand. Scoring
reads only the fixtures, so it needs no store and no model:

    python bench/hubs.py                                  # share right of every fixture
    python bench/hubs.py sample STORE OUT.tsv             # the store's top hubs, unjudged
    python bench/hubs.py sample STORE OUT.tsv --judged FIXTURE.tsv   # ... with the verdicts a judged
                                                          # fixture gives the same label and type
    python bench/hubs.py sample STORE OUT.tsv --skip 150 --top 400   # hubs 151-400, the ones a
                                                          # user meets below the first 150

A hub is `right`, of the `wrong type` (`should` says which), `not an entity` (a generic phrase, a
fragment), or a `duplicate` of another hub (`should` names it; the hub in more papers is the one
judged on its own).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hubs"
TOP = 150
VERDICTS = ("right", "wrong type", "not an entity", "duplicate")
COLUMNS = ["verdict", "rank", "papers", "type", "label", "should", "entity", "note"]


def hubs(store_dir: Path, top: int = TOP, skip: int = 0) -> list[dict]:
    """The store's `top` entities by papers, as `kg stats --quality --top` lists them, without the
    first `skip` (ranks stay the store's: `skip=150, top=400` gives ranks 151-400)."""
    from paperkg.kg.stats import quality_stats
    from paperkg.kg.store import Store

    found = quality_stats(Store(store_dir), top)["hubs"]
    return [
        {"rank": i, "papers": h["papers"], "type": h["type"], "label": h["label"], "entity": h["entity"]}
        for i, h in enumerate(found, 1)
        if i > skip
    ]


def carry(rows: list[dict], judged: list[dict]) -> list[dict]:
    """`rows` with the verdict (and `should`, `note`) of the judged row of the same label and type;
    a label judged under another type is left unjudged, its old verdict in the note."""
    by_name = {(r["label"], r["type"]): r for r in judged}
    by_label = {r["label"]: r for r in judged}
    out = []
    for r in rows:
        old = by_name.get((r["label"], r["type"]))
        if old:
            out.append({**r, "verdict": old["verdict"], "should": old["should"], "note": old["note"]})
        elif r["label"] in by_label:
            was = by_label[r["label"]]
            out.append({**r, "verdict": "", "should": "", "note": f"was {was['type']}: {was['verdict']}"})
        else:
            out.append({**r, "verdict": "", "should": "", "note": ""})
    return out


def write(rows: list[dict], out: Path) -> None:
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([r.get(c, "") for c in COLUMNS])


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def tally(rows: list[dict]) -> Counter:
    """Hubs per verdict; an unjudged or unknown verdict stops the count."""
    for r in rows:
        if r["verdict"] not in VERDICTS:
            raise SystemExit(f"unjudged or unknown verdict {r['verdict']!r}: {r['label']}")
    return Counter(r["verdict"] for r in rows)


def report(fixtures: Path = FIXTURES) -> None:
    for path in sorted(fixtures.glob("*.tsv")):
        rows = read(path)
        counts = tally(rows)
        papers = Counter()
        for r in rows:
            papers[r["verdict"]] += int(r["papers"])
        print(
            f"{path.name}: {counts['right']}/{len(rows)} right = {counts['right'] / len(rows):.1%}"
            f" (by papers {papers['right'] / sum(papers.values()):.1%})"
        )
        for verdict in VERDICTS[1:]:
            names = ", ".join(f"{r['label']} ({r['type']})" for r in rows if r["verdict"] == verdict)
            print(f"    {verdict:<14} {counts[verdict]:>3}  {names}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("sample")
    p.add_argument("store", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--top", type=int, default=TOP, help="the last rank listed")
    p.add_argument("--skip", type=int, default=0, help="ranks left out at the top (150: list from rank 151)")
    p.add_argument("--judged", type=Path, default=None, help="a judged fixture whose verdicts to carry over")
    args = parser.parse_args(argv)
    if args.command == "sample":
        rows = hubs(args.store, args.top, args.skip)
        write(carry(rows, read(args.judged)) if args.judged else rows, args.out)
    else:
        report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
