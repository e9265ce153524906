"""How fast the corpus readers go on 50,000 abstracts, and how much memory they hold.

Writes the same synthetic papers as Daily Papers text, JSON Lines, a JSON array, CSV and arXiv
Atom to a temporary directory, then reads each with `extract.readers.iter_file`, counting papers
without keeping them. The baseline is the least any reader must do: `json.loads` on every line
of the JSON Lines file. Peak memory is traced (tracemalloc) in a second, untimed pass.

    python bench/bench_readers.py [--papers 50000]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
import time
import tracemalloc
from pathlib import Path
from xml.sax.saxutils import escape

from paperkg.extract.readers import iter_file
from paperkg.extract.records import Paper

WORDS = (
    "sparse attention probe circuit feature model layer transformer neuron dataset "
    "benchmark interpretability causal representation gradient saliency"
).split()


def synthetic(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    papers = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS).capitalize() for _ in range(8)) + f" {i}"
        abstract = " ".join(rng.choice(WORDS) for _ in range(220)) + "."
        if i % 10 == 0:
            abstract += f" Code: https://github.com/lab{i}/repo{i}."
        papers.append(
            {
                "id": f"{2301 + i % 9}.{i:05d}",
                "title": title,
                "abstract": abstract,
                "authors": ["Ada Byron", "Alan Turing"],
                "date": "2023-10-02",
            }
        )
    return papers


def write_all(papers: list[dict], folder: Path) -> dict[str, Path]:
    paths = {name: folder / name for name in ("listing.txt", "papers.jsonl", "papers.json", "papers.csv", "feed.xml")}
    with open(paths["listing.txt"], "w", encoding="utf-8") as f:
        for p in papers:
            f.write(f"{p['title']}\n\n{p['abstract']}\n\n  • 2 authors\n·\nOct 2, 2023 3\n\n")
    with open(paths["papers.jsonl"], "w", encoding="utf-8") as f:
        f.writelines(json.dumps(p) + "\n" for p in papers)
    with open(paths["papers.json"], "w", encoding="utf-8") as f:
        json.dump(papers, f)
    with open(paths["papers.csv"], "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "title", "abstract", "authors", "date"])
        out.writerows([p["id"], p["title"], p["abstract"], "; ".join(p["authors"]), p["date"]] for p in papers)
    with open(paths["feed.xml"], "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n')
        for p in papers:
            f.write(
                f"<entry><id>http://arxiv.org/abs/{p['id']}v1</id>"
                f"<published>{p['date']}T00:00:00Z</published>"
                f"<title>{escape(p['title'])}</title><summary>{escape(p['abstract'])}</summary>"
                + "".join(f"<author><name>{a}</name></author>" for a in p["authors"])
                + "</entry>\n"
            )
        f.write("</feed>\n")
    return paths


def measure(run) -> tuple[int, float, float]:
    """Papers, seconds, peak MiB: timed untraced, then run again under tracemalloc."""
    started = time.perf_counter()
    count = run()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return count, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_all(synthetic(args.papers), Path(tmp))

        def baseline() -> int:
            with open(paths["papers.jsonl"], encoding="utf-8") as f:
                return sum(1 for line in f if json.loads(line))

        rows = [("baseline: json.loads per line", paths["papers.jsonl"], baseline)]
        rows += [
            (f"iter_file {name}", path, lambda path=path: sum(isinstance(i, Paper) for i in iter_file(path)))
            for name, path in paths.items()
        ]
        print(f"{args.papers:,} papers, ~{len(synthetic(1)[0]['abstract'])} characters of abstract each")
        print(f"{'':34} {'MiB on disk':>11} {'papers':>8} {'seconds':>8} {'papers/s':>9} {'peak MiB':>9}")
        base = None
        for label, path, run in rows:
            count, seconds, peak = measure(run)
            base = base or seconds
            print(
                f"{label:34} {path.stat().st_size / 2**20:11.1f} {count:8,} {seconds:8.2f} "
                f"{count / seconds:9,.0f} {peak:9.1f}   x{seconds / base:.1f} baseline"
            )


if __name__ == "__main__":
    main()
