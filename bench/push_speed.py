"""`kg push` throughput into Oxigraph's server beside Oxigraph's own bulk loader, on one graph.

A synthetic paper/entity graph of N triples is written to a paperkg store; then it is pushed to
`oxigraph serve` on 127.0.0.1 (a free port, a temporary directory) at each batch size (a fresh server
each time), and the same triples are loaded with `oxigraph load` into a fresh directory for comparison.

    python -m bench.push_speed --triples 500000
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from paperkg.kg.push import push
from paperkg.kg.store import Store

EX = "https://w3id.org/paperkg/id/"
PKG = "https://w3id.org/paperkg/ns#"


def synthetic_quads(n: int):
    mentions, title = ox.NamedNode(f"{PKG}mentions"), ox.NamedNode("http://purl.org/dc/terms/title")
    for i in range(n):
        paper = ox.NamedNode(f"{EX}paper/p{i // 10}")
        if i % 10 == 0:
            yield ox.Quad(paper, title, ox.Literal(f"Paper number {i // 10} about sparse autoencoders"))
        else:
            yield ox.Quad(paper, mentions, ox.NamedNode(f"{EX}entity/e{(i * 7919) % (n // 20 + 1)}"))


def oxigraph_exe() -> str:
    exe = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if exe is None:
        raise SystemExit("needs the oxigraph server: pip install oxigraph")
    return exe


def serve(exe: str, location: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
            return proc, base
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("oxigraph serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=500_000)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    args = parser.parse_args()
    exe = oxigraph_exe()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = Store(tmp / "store")
        with store.transaction() as db:
            db.extend(synthetic_quads(args.triples))
        n = len(store)
        print(f"{n:,} triples; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        for size in args.batch_sizes:  # each into a fresh, empty server
            proc, base = serve(exe, tmp / f"server-{size}")
            try:
                report = push(store, f"{base}/store", batch_size=size)
            finally:
                proc.terminate()
                proc.wait()
            print(
                f"kg push, batch {size:>7,}: {report.seconds:6.1f} s {n / report.seconds:>10,.0f} triples/s"
                f" ({report.batches} requests, count check {report.server_triples:,})"
            )
        dump = tmp / "graph.nt"
        ox.serialize(
            (q.triple for q in store.oxigraph.quads_for_pattern(None, None, None)), str(dump), ox.RdfFormat.N_TRIPLES
        )
        started = time.perf_counter()
        subprocess.run(
            [exe, "load", "--location", str(tmp / "bulk"), "--file", str(dump)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - started
        print(f"oxigraph load (bulk):    {seconds:6.1f} s {n / seconds:>10,.0f} triples/s")


if __name__ == "__main__":
    main()
