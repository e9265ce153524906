"""The results as one Markdown table (printed, and pasted into bench/results/)."""

from __future__ import annotations

from bench.machine import label


def _n(x, digits: int = 1) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _mark(met) -> str:
    return {True: "met", False: "MISSED", None: ""}[met]


def rows(results: dict) -> list[tuple[str, str, str, str]]:
    """(section, measurement, value, note) for everything measured."""
    out = []
    ex = results.get("extraction", {})
    for name, r in ex.get("rows", {}).items():
        out.append(
            (
                "extraction",
                name.replace("_", " "),
                f"{_n(r['abstracts_per_s'])} abstracts/s, {_n(r['words_per_s'])} words/s",
                f"{ex['papers']:,} papers, {r['clock'].removesuffix('_s')} time, median of {r['runs']}",
            )
        )
    if ex.get("share_of_tokenizer_ceiling") is not None:
        out.append(("extraction", "extractor / bare tokenizer", f"{ex['share_of_tokenizer_ceiling']:.1%}", "words/s"))

    build = results.get("build", {})
    for r in build.get("rows", []):
        out.append(
            (
                "build",
                f"{r['papers_in']:,} abstracts",
                f"{_n(r['wall_s'])} s wall (idle estimate >= {_n(r['idle_wall_estimate_s'])} s), "
                f"{_n(r['cpu_s'])} s CPU ({_n(r['main_cpu_s'])} s main process), peak {_n(r['peak_pss_mib'], 0)} MiB "
                f"(largest process {_n(r['max_rss_mib'], 0)} MiB), {_n(r['store_mib'], 0)} MiB on disk",
                f"{_n(r['triples'])} triples, {_n(r['entities'])} entities; "
                f"load {r['load_average'][0] if r['load_average'] else '-'}",
            )
        )
    for s in build.get("growth", []):
        out.append(
            (
                "build growth",
                f"{s['from']:,} -> {s['to']:,} ({s['input_ratio']}x input)",
                f"wall x{s['wall_ratio']}, CPU x{s['cpu_ratio']}, memory x{s['memory_ratio']}, "
                f"disk x{s['disk_ratio']}, triples x{s['triples_ratio']}",
                f"per 5x input: wall x{s['wall_per_5x']}, CPU x{s['cpu_per_5x']}, memory x{s['memory_per_5x']}, "
                f"disk x{s['disk_per_5x']}",
            )
        )

    inc = results.get("incremental", {})
    if "add" in inc:
        add, full = inc["add"], inc["rebuild"]
        out.append(
            (
                "incremental",
                f"add {inc['added_papers']:,} to {full['papers'] - inc['added_papers']:,}",
                f"{_n(add['wall_s'])} s wall, {_n(add['cpu_s'])} s CPU, peak {_n(add['peak_pss_mib'], 0)} MiB",
                f"{_n(add['triples'])} triples",
            )
        )
        out.append(
            (
                "incremental",
                f"full rebuild of {full['papers']:,}",
                f"{_n(full['wall_s'])} s wall, {_n(full['cpu_s'])} s CPU, peak {_n(full['peak_pss_mib'], 0)} MiB",
                f"{_n(full['triples'])} triples ({inc['triples_difference']:+,} in the incremental store)",
            )
        )
        out.append(("incremental", "speedup", f"{inc['speedup_wall']}x wall, {inc['speedup_cpu']}x CPU", ""))

    q = results.get("queries", {})
    for r in q.get("queries", []):
        if "error" in r:
            out.append(("queries", r["query"], "error", r["error"]))
            continue
        out.append(
            (
                "queries",
                r["query"],
                f"{_n(r['paperkg_ms'])} ms vs rdflib {_n(r['rdflib_ms'])} ms = {_n(r['ratio'])}x",
                f"{_n(r['rows_paperkg'])} rows",
            )
        )
    if q.get("triples"):
        out.append(
            (
                "queries",
                "graph",
                f"{q['triples']:,} triples ({q['store']})",
                f"median of {q['runs']} (rdflib {q['rdflib_runs']}); rdflib parse {q['rdflib_parse_s']} s",
            )
        )

    lk = results.get("lookup", {})
    for name, r in lk.get("rows", {}).items():
        term = f" {r['term']!r}" if "term" in r else ""
        out.append(
            (
                "lookup",
                f"{name}{term}",
                f"{_n(r['median_s'], 3)} s",
                f"min {_n(r['min_s'], 3)}, max {_n(r['max_s'], 3)}, {r['runs']} runs; {lk['store']}",
            )
        )

    viz = results.get("viz", {})
    if "median_s" in viz:
        out.append(
            (
                "viz",
                f"kg viz ({_n(viz['entities_total'])} entities, {_n(viz['entities_shown'])} shown)",
                f"{_n(viz['median_s'], 2)} s, {_n(viz['html_mib'], 2)} MiB HTML",
                f"{viz['runs']} runs; {viz['store']}" + (f"; {viz['note']}" if viz.get("note") else ""),
            )
        )

    for section in ("extraction", "build", "incremental", "queries", "lookup", "viz"):
        err = results.get(section, {}).get("error")
        if err:
            out.append((section, "error", err.splitlines()[0][:200], ""))
    for t in results.get("targets", []):
        out.append(("target", t["target"], f"{_n(t['measured'])} ({t['wanted']})", _mark(t["met"])))
    return out


def markdown(results: dict) -> str:
    machine = results["machine"]
    lines = [
        f"Machine: {label(machine)}. {machine['note']}.",
        f"Run: {results['config']['mode']}, sizes {results['config']['sizes']}, "
        f"--workers {results['config']['workers']}, git {machine['git']['commit']}"
        f"{' (dirty)' if machine['git']['dirty'] else ''}, {machine['date']}.",
        "",
        "| section | measurement | value | note |",
        "|---|---|---|---|",
    ]
    for row in rows(results):
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |")
    return "\n".join(lines) + "\n"
