"""`kg trends` and its API on a store whose entities rise, fall, burst, stay flat or arrive late."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from paperkg.kg.cli import main
from paperkg.kg.iris import entity_iri, paper_iri
from paperkg.kg.store import Store
from paperkg.kg.terms import dcterms, pkg, rdf, skos, xsd
from paperkg.kg.timeline import PaperChange, record_changes
from paperkg.kg.trend_report import BadTrendRequest, entity_trend, trend_report

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
PER_MONTH = 100
UNDATED = 3
# entity -> (type, papers in each month)
SERIES = {
    "rising": ("Method", [m for m in range(1, 13)]),
    "falling": ("Method", [13 - m for m in range(1, 13)]),
    "flat": ("Concept", [10] * 12),
    "spike": ("Dataset", [3] * 6 + [40] + [3] * 5),
    "newcomer": ("Model", [0] * 8 + [20] * 4),
    "rare": ("Model", [0] * 11 + [2]),
    # there from the start but too rare to be seen in every month: first seen in the second
    "steady": ("Method", [0] + [1] * 11),
}


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=xsd.integer)


def make_store(path) -> Store:
    """PER_MONTH papers a month, each entity in the first n of a month's papers, as SERIES says;
    UNDATED papers without a year mention "flat"."""
    store = Store(path)
    mentions: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    dates: dict[ox.NamedNode, str | None] = {}
    for month in MONTHS:
        for i in range(PER_MONTH):
            paper = paper_iri(f"{month}-{i}")
            dates[paper] = f"{month}-{i % 28 + 1:02d}"
            mentions[paper] = set()
    for i in range(UNDATED):
        paper = paper_iri(f"undated-{i}")
        dates[paper] = None
        mentions[paper] = {entity_iri("flat")}
    for name, (_, counts) in SERIES.items():
        for month, n in zip(MONTHS, counts):
            for i in range(n):
                mentions[paper_iri(f"{month}-{i}")].add(entity_iri(name))
    with store.transaction() as db:
        for paper, entities in mentions.items():
            db.add(ox.Quad(paper, rdf.type, pkg.Paper))
            date = dates[paper]
            if date:
                db.add(ox.Quad(paper, dcterms.issued, ox.Literal(date, datatype=xsd.date)))
                db.add(ox.Quad(paper, pkg.year, _int(int(date[:4]))))
            db.extend(ox.Quad(paper, pkg.mentions, e) for e in entities)
        for name, (type_, counts) in SERIES.items():
            e = entity_iri(name)
            papers = sum(counts) + (UNDATED if name == "flat" else 0)
            db.extend(
                [
                    ox.Quad(e, rdf.type, getattr(pkg, type_)),
                    ox.Quad(e, skos.prefLabel, ox.Literal(name)),
                    ox.Quad(e, pkg.paperCount, _int(papers)),
                ]
            )
        record_changes(
            db,
            [
                PaperChange(p, dates[p], int(dates[p][:4]) if dates[p] else None, frozenset(), frozenset(es))
                for p, es in mentions.items()
            ],
        )
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    return make_store(tmp_path_factory.mktemp("trends") / "store")


def labels(report) -> list[str]:
    return [r.label for r in report.records]


def test_the_window_and_the_papers_left_out(store):
    report = trend_report(store, min_papers=1)
    assert report.months == MONTHS
    assert report.totals == [PER_MONTH] * 12
    assert report.no_year == UNDATED and report.year_only == 0
    assert "3 papers without a year left out" in report.left_out
    flat = next(r for r in report.records if r.label == "flat")
    assert flat.counts == [10] * 12 and flat.papers == 120 + UNDATED  # the undated ones in no month
    assert flat.first_seen == "2025-01-01" and (flat.q1, flat.median, flat.q3) == ("2025-03", "2025-06", "2025-09")


def test_default_lists_every_entity_above_min_papers_most_papers_first(store):
    report = trend_report(store, min_papers=10)
    # "rare" has 2 papers; rising and falling have 78 each: ties by label
    assert labels(report) == ["flat", "newcomer", "falling", "rising", "spike", "steady"]
    assert [r.papers for r in report.records] == sorted((r.papers for r in report.records), reverse=True)


def test_rising_and_falling(store):
    # rising (1, 2, ... 12) agrees in every pair of months; newcomer only across its step
    assert labels(trend_report(store, select="rising")) == ["rising", "newcomer"]
    assert labels(trend_report(store, select="falling")) == ["falling"]
    falling = trend_report(store, select="falling").records[0]
    assert falling.trend is not None and falling.trend.slope < 0 and falling.trend.p < 0.05


def test_bursts(store):
    report = trend_report(store, select="bursts")
    spike = next(r for r in report.records if r.label == "spike")
    assert [(b.start, b.end) for b in spike.bursts] == [("2025-07", "2025-07")]
    newcomer = next(r for r in report.records if r.label == "newcomer")
    assert [(b.start, b.end) for b in newcomer.bursts] == [("2025-09", "2025-12")]
    assert "flat" not in labels(report)


def test_new_since(store):
    # "steady" is first seen in the second month, but one month of 100 papers at its share since
    # (1 in 100) would have missed it more often than not: not new. "newcomer" and "rare" would
    # have been seen 160 and 22 times over.
    assert labels(trend_report(store, select="new")) == ["newcomer"]
    assert labels(trend_report(store, select="new", since="2025-02")) == ["newcomer", "steady"]
    assert labels(trend_report(store, select="new", min_papers=1, type="Model")) == ["newcomer", "rare"]
    assert labels(trend_report(store, select="new", since="2025-12", min_papers=1)) == ["rare"]
    with pytest.raises(BadTrendRequest):
        trend_report(store, select="new", since="December")
    with pytest.raises(BadTrendRequest):
        trend_report(store, since="2025-12")


def test_top_and_type(store):
    assert labels(trend_report(store, top=2)) == ["flat", "newcomer"]
    assert labels(trend_report(store, type="Method")) == ["falling", "rising", "steady"]


def test_one_entity(store):
    report = entity_trend(store, entity_iri("spike").value)
    (record,) = report.records
    assert record.counts == SERIES["spike"][1]
    assert entity_trend(store, entity_iri("nobody").value).records == []


# -- the command --------------------------------------------------------------------------------------


def kg(store, *args):
    return CliRunner().invoke(main, ["trends", "--store", str(store.path), *args])


def test_json_has_one_record_per_entity(store):
    result = kg(store, "--bursts", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["papers_without_year"] == UNDATED
    assert list(data["months"]) == MONTHS
    spike = next(e for e in data["entities"] if e["label"] == "spike")
    assert list(spike["monthly"].values()) == SERIES["spike"][1]
    assert spike["bursts"][0]["start"] == "2025-07"
    assert set(spike) >= {"first_seen", "first_paper", "q1", "median", "q3", "trend"}
    assert spike["trend"]["direction"] == "flat"


def test_piped_output_is_tsv_and_says_what_was_left_out(store):
    result = kg(store, "--rising")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = lines[0].split("\t")
    assert header[:3] == ["label", "type", "papers"] and header[-12:] == MONTHS
    rows = [line.split("\t") for line in lines[1:]]
    assert [r[0] for r in rows] == ["rising", "newcomer"]
    assert rows[0][-12:] == [str(n) for n in SERIES["rising"][1]]
    assert "3 papers without a year left out" in result.stderr


def test_csv(store):
    result = kg(store, "--csv", "--type", "dataset")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == "label" and [r[0] for r in rows[1:]] == ["spike"]


def test_terminal_table_shows_a_sparkline(store, capsys, monkeypatch):
    from paperkg.kg.commands.trends import _print_table

    monkeypatch.setenv("COLUMNS", "160")
    _print_table(trend_report(store, select="rising"), "rising")
    out = capsys.readouterr().out
    assert "newcomer" in out and "▁" in out and "█" in out
    assert "3 papers without a year left out" in out


def test_bad_options(store):
    assert kg(store, "--since", "2025-05").exit_code == 1
    assert kg(store, "--json", "--csv").exit_code == 2
    assert kg(store, "--min-papers", "0").exit_code == 2


def test_needs_a_store(tmp_path):
    result = CliRunner().invoke(main, ["trends", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no graph" in result.output


# -- the per-generation cache -------------------------------------------------------------------------


def test_every_types_rows_are_kept_per_generation_and_answer_later_calls(tmp_path, monkeypatch):
    from paperkg.kg import trend_report as module

    own = make_store(tmp_path / "store")
    typed = trend_report(own, type="Method", select="rising")  # one type: read for itself, kept nowhere
    assert not own.cache_path("trends", ".json").exists()
    everything = trend_report(own, min_papers=2)
    assert own.cache_path("trends", ".json").is_file()

    def no_reading(*args):
        raise AssertionError("the kept rows should have answered")

    monkeypatch.setattr(module, "_read_rows", no_reading)
    again = Store(own.path)
    assert trend_report(again, min_papers=2).to_dict() == everything.to_dict()
    assert trend_report(again, type="Method", select="rising").to_dict() == typed.to_dict()
    assert labels(trend_report(again, select="new")) == ["newcomer"]
    with pytest.raises(AssertionError, match="kept rows"):
        trend_report(again, min_papers=1)  # below the kept floor: the store is read again


def test_a_write_makes_the_kept_rows_stale(tmp_path):
    own = make_store(tmp_path / "store")
    trend_report(own)
    old = own.cache_path("trends", ".json")
    with own.transaction() as db:
        db.add(ox.Quad(entity_iri("flat"), skos.prefLabel, ox.Literal("flat, renamed")))
    fresh = Store(own.path)
    assert "flat, renamed" in labels(trend_report(fresh))
    assert not old.exists() and fresh.cache_path("trends", ".json").is_file()


# -- the named queries over the same store ------------------------------------------------------------


def named(store, name, *binds):
    args = ["query", "--store", str(store.path), "--named", name, "--json"]
    for bind in binds:
        args += ["--bind", bind]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(result.stdout)["results"]["bindings"]]


def test_first_appearances_puts_the_names_that_were_not_there_before_first(store):
    found = named(store, "first-appearances")
    # newcomer: 80 papers in the last 400, so the 800 before would have held 160; steady (first
    # seen in the second month) and rising (in the first) could not have been seen missing
    assert (found[0]["label"], found[0]["new"]) == ("newcomer", "true")
    assert {r["label"]: r["new"] for r in found[1:]} == dict.fromkeys(
        ["flat", "falling", "rising", "spike", "steady"], "false"
    )
    assert [int(r["papers"]) for r in found[1:]] == [123, 78, 78, 73, 11]  # then most papers first
    assert found[0]["firstSeen"] == "2025-09-01" and float(found[0]["expectedBefore"]) == pytest.approx(160)
    assert "rare" not in [r["label"] for r in found]  # 2 papers: below the minimum
    assert [r["label"] for r in named(store, "first-appearances", "type=Model")] == ["newcomer"]


def test_rising_entities_lean_later_than_the_corpus(store):
    found = named(store, "rising-entities")
    # medians: newcomer 2025-10, rising 2025-09, spike and steady 2025-07 (just past the corpus's
    # own median), falling and flat before it
    assert [r["label"] for r in found] == ["newcomer", "rising", "spike", "steady"]
    assert float(found[0]["position"]) == pytest.approx(950 / 1200)
    assert float(found[0]["weight"]) == pytest.approx(80 * (950 / 1200 - 0.5))


def test_bursts_hold_half_their_papers_in_a_quarter_of_the_corpus(store):
    found = named(store, "bursts")
    # spike: Q1 and Q3 both in July (100 of 1,200 papers); newcomer: September to November (300)
    assert [(r["label"], r["q1"], r["q3"]) for r in found] == [
        ("spike", "2025-07", "2025-07"),
        ("newcomer", "2025-09", "2025-11"),
    ]
    assert float(found[0]["extra"]) == pytest.approx(73 * (0.5 - 100 / 1200))
    assert named(store, "bursts", "type=Method") == []
