"""Corpus readers: every format on real-looking fixtures, directories, and every kind of bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from paperkg.extract.readers import (
    ReadError,
    ReadProblem,
    detect_format,
    input_files,
    iter_file,
    json_records,
    read_inputs,
    read_papers,
    textfile,
    unique_papers,
)
from paperkg.extract.readers.dates import parse_date
from paperkg.extract.readers.urls import code_urls, find_urls, is_code_url, is_web_url
from paperkg.extract.records import Paper

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SEEDS = Path(__file__).parents[1] / "data" / "demo"


def papers_and_problems(path) -> tuple[list[Paper], list[ReadProblem]]:
    items = list(iter_file(path))
    return ([i for i in items if isinstance(i, Paper)], [i for i in items if isinstance(i, ReadProblem)])


def by_title(papers: list[Paper]) -> dict[str, Paper]:
    return {p.title.split(":")[0]: p for p in papers}


# --- Hugging Face Daily Papers text ------------------------------------------------------------


def test_daily_papers_sample_reads_every_record_with_its_odd_date_line():
    papers, problems = papers_and_problems(FIXTURES / "hf_daily_sample.txt")
    assert problems == []
    assert [p.line for p in papers] == [13, 21, 29, 33, 41, 49, 57]
    p = by_title(papers)

    # "Oct 16": no year, so month and day only (ISO 8601 --MM-DD), and the text as written
    assert (p["DARTS-GT"].date_text, p["DARTS-GT"].year, p["DARTS-GT"].date) == ("Oct 16", None, "--10-16")
    assert p["DARTS-GT"].author_count == 2 and p["DARTS-GT"].upvotes is None
    # "Jun 1, 2023": a full date
    micro = p["Microstructure quality control of steels using deep learning"]
    assert (micro.date_text, micro.date, micro.year) == ("Jun 1, 2023", "2023-06-01", 2023)
    # "Sep 29 2": a yearless date followed by upvotes
    probe = p["Hyperdimensional Probe"]
    assert (probe.date_text, probe.date, probe.year, probe.upvotes) == ("Sep 29", "--09-29", None, 2)
    # "Aug 28, 2024 1": a dated line followed by upvotes
    scilit = p["SciLitLLM"]
    assert (scilit.date_text, scilit.date, scilit.upvotes, scilit.author_count) == ("Aug 28, 2024", "2024-08-28", 1, 10)


def test_daily_papers_header_is_skipped_and_titles_and_abstracts_are_whole():
    papers, _ = papers_and_problems(FIXTURES / "hf_daily_sample.txt")
    titles = [p.title for p in papers]
    assert not {"new", "Subscribe", "Daily Papers", "Dec 11"} & set(titles)
    darts = papers[0]
    assert darts.title.startswith("DARTS-GT: Differentiable Architecture Search")
    assert darts.abstract.startswith("Graph Transformers (GTs) have emerged")
    assert darts.abstract.endswith("need not choose between performance and interpretability.")
    assert darts.key == (
        "title:darts gt differentiable architecture search for graph "
        "transformers with quantifiable instance specific interpretability "
        "analysis"
    )


def test_daily_papers_record_without_byline_or_date_is_split_from_the_next():
    p = by_title(papers_and_problems(FIXTURES / "hf_daily_sample.txt")[0])
    geo = p["Geospatial Mechanistic Interpretability of Large Language Models"]
    assert geo.abstract.startswith("Large Language Models (LLMs) have demonstrated")
    assert (geo.date_text, geo.author_count) == (None, None)
    transcoders = p["Transcoders Find Interpretable LLM Feature Circuits"]
    assert transcoders.abstract.startswith("A key goal in mechanistic interpretability")
    assert (transcoders.date, transcoders.author_count) == ("2024-06-17", 3)
    assert transcoders.code_urls == ("https://github.com/jacobdunefsky/transcoder_circuits",)


def test_daily_papers_organisation_byline_is_not_abstract_text():
    adam = by_title(papers_and_problems(FIXTURES / "hf_daily_sample.txt")[0])["ADAM"]
    assert "OpenCausaLab" not in adam.abstract
    assert adam.abstract.endswith("https://opencausalab.github.io/ADAM.")
    assert adam.author_count is None and adam.date == "2024-10-29"
    assert adam.urls == ("https://opencausalab.github.io/ADAM",)
    assert adam.code_urls == ()  # a project page, not a repository


def _fields(papers):
    return [(p.title, p.abstract, p.date_text, p.date, p.upvotes, p.author_count) for p in papers]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("\n", "\r"),
        lambda t: t.replace("\n", "  \t\n"),
        lambda t: t.replace("\n\n", "\n\n\n\n"),
        lambda t: t.replace("\n\n", "\n"),
        lambda t: "\n\n" + t + "\n\n\n",
    ],
    ids=["crlf", "cr", "trailing-space", "extra-blank-lines", "no-blank-lines", "padding"],
)
def test_daily_papers_layout_noise_changes_nothing(tmp_path, mangle):
    original = (FIXTURES / "hf_daily_sample.txt").read_text(encoding="utf-8")
    noisy = tmp_path / "noisy.txt"
    noisy.write_bytes(mangle(original).encode("utf-8"))
    expected = papers_and_problems(FIXTURES / "hf_daily_sample.txt")[0]
    got, problems = papers_and_problems(noisy)
    assert problems == []
    assert _fields(got) == _fields(expected)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_daily_papers_variants_one_author_no_separator_and_a_truncated_end(tmp_path):
    path = write(
        tmp_path,
        "listing.txt",
        (
            "First Paper\n\nIts abstract.\n\n  • 1 author\n·\nMar 3, 2024\n\n"
            "Second Paper\n\nNo separator line before the date.\n\n  • 4 authors\nFeb 2\n\n"
            "Third Paper\n\nNeither byline nor separator.\nJan 5, 2021 7\n\n"
            "Fourth Paper\n\nThe file ends before the byline.\n"
        ),
    )
    papers, problems = papers_and_problems(path)
    assert problems == []
    assert [(p.title, p.line, p.author_count, p.date_text, p.upvotes) for p in papers] == [
        ("First Paper", 1, 1, "Mar 3, 2024", None),
        ("Second Paper", 9, 4, "Feb 2", None),
        ("Third Paper", 16, None, "Jan 5, 2021", 7),
        ("Fourth Paper", 21, None, None, None),
    ]


def test_daily_papers_fragments_are_problems_with_their_lines(tmp_path):
    path = write(
        tmp_path,
        "listing.txt",
        (
            "·\nOct 1\n\nGood Paper\n\nAbstract.\n\n  • 2 authors\n·\nOct 2\n\n"
            "  • 3 authors\n·\nOct 3\n\nDangling title\n"
        ),
    )
    papers, problems = papers_and_problems(path)
    assert [p.title for p in papers] == ["Good Paper"]
    assert [(p.line, p.message.split(" (")[0].split(":")[0]) for p in problems] == [
        (1, "a '·' line with no paper before it"),
        (12, "a byline with no paper before it"),
        (16, "incomplete paper at the end of the file"),
    ]


def test_seed_listings_hold_73_records_and_65_unique_papers():
    result = read_papers(SEEDS)
    assert result.problems == []
    assert [Path(f).name for f in result.files] == [
        "hf-daily-papers-interpretability-1.txt",
        "hf-daily-papers-interpretability-2.txt",
    ]
    per_file = [sum(p.source == f for p in result.papers) for f in result.files]
    assert per_file == [39, 34]
    unique = unique_papers(result.papers)
    assert len(unique) == 65
    assert len({p.key for p in result.papers}) == 65
    # The "70 entries, 62 unique" counts only records with a "• N authors" byline; the
    # other three are real papers: two whose byline, "·" and date are missing (one runs into the
    # next record) and one with an organisation name as its byline.
    with_byline = [p for p in result.papers if p.author_count is not None]
    assert len(with_byline) == 70 and len({p.key for p in with_byline}) == 62
    assert sorted(p.title.split(":")[0] for p in result.papers if p.author_count is None) == [
        "ADAM",
        "Geospatial Mechanistic Interpretability of Large Language Models",
        "Prompt-CAM",
    ]
    duplicated = [p for p in unique if p.merged_from]
    assert len(duplicated) == 8 and all(len(p.locations) == 2 for p in duplicated)


# --- JSON Lines and JSON -----------------------------------------------------------------------


def test_json_lines_fields():
    papers, problems = papers_and_problems(FIXTURES / "papers.jsonl")
    assert problems == []
    probes, heads, strings, title_only = papers
    assert probes.key == "arxiv:2310.01234" and probes.arxiv_id == "2310.01234"
    assert probes.authors == ("Ada Byron", "Alan Turing") and probes.author_count == 2
    assert (probes.date, probes.year, probes.upvotes) == ("2023-10-02", 2023, 4)
    assert probes.urls == ("https://arxiv.org/abs/2310.01234v2", "https://github.com/example-lab/sparse-probes")
    assert probes.code_urls == ("https://github.com/example-lab/sparse-probes",)
    assert heads.abstract.startswith("We show that many attention heads")  # from "summary"
    assert heads.key == "doi:10.18653/v1/2024.acl-long.7"
    assert heads.authors == ("Grace Hopper", "Edsger Dijkstra", "Barbara Liskov")
    assert heads.date == "2023-06-01"
    assert heads.code_urls == ("https://gitlab.com/heads/lookup",)
    assert strings.key == "arxiv:hep-th/9901001"
    assert strings.title == "Dualities in Toy Models of Strings"  # whitespace collapsed
    assert strings.abstract == "An older-style arXiv identifier, with line-wrapped text."
    assert (strings.date_text, strings.year) == ("Oct 16", None)
    assert title_only.key == "title:a title only paper" and title_only.abstract == ""
    assert [p.line for p in papers] == [1, 2, 3, 4]


def test_json_lines_broken_second_line_is_reported_and_the_rest_lands():
    result = read_papers(FIXTURES / "broken_line2.jsonl")
    assert [p.line for p in result.papers] == [1, 3]
    assert len(result.problems) == 1
    message = str(result.problems[0])
    assert message.startswith(f"{FIXTURES / 'broken_line2.jsonl'}:2: not valid JSON")


def test_json_lines_record_problems_name_their_lines_and_reasons():
    papers, problems = papers_and_problems(FIXTURES / "record_problems.jsonl")
    assert [p.title for p in papers] == ["The one good record"]
    assert papers[0].author_count == 2
    assert [(p.line, p.message) for p in problems] == [
        (1, "expected an object with a title, got a string"),
        (2, "record has no title"),
        (3, "arxiv_id 'not-an-id' is not an arXiv identifier"),
        (4, "doi 'doi:11.2/x' is not a DOI"),
        (5, "authors must be a list of names or a string of names"),
    ]


def test_json_array_elements_carry_the_line_they_start_on():
    papers, problems = papers_and_problems(FIXTURES / "papers.json")
    assert problems == []
    assert [p.line for p in papers] == [2, 9, 14]
    assert papers[0].authors == ("Chris Olah-Like", "Ludwig Schubert-Like")
    assert papers[0].key == papers[1].key == "arxiv:2401.00002"
    assert papers[2].code_urls == ("https://huggingface.co/spaces/example/features-demo",)
    assert (papers[2].upvotes, papers[2].date_text) == (12, "Sep 29")


@pytest.mark.parametrize(
    ("name", "indent"), [("papers.json", 1), ("papers.json", None), ("papers.jsonl", 1), ("papers.jsonl", None)]
)
def test_json_array_streams_across_chunk_boundaries(tmp_path, monkeypatch, name, indent):
    records = [{"title": f"Paper {i}", "abstract": "x" * (i * 7), "upvotes": i} for i in range(40)]
    path = tmp_path / name
    path.write_text(json.dumps(records, indent=indent), encoding="utf-8")
    whole = papers_and_problems(path)
    monkeypatch.setattr(json_records, "_CHUNK", 5)
    chunked = papers_and_problems(path)
    assert chunked == whole
    assert [p.upvotes for p in chunked[0]] == list(range(40))
    assert [p.line for p in chunked[0]][:2] == ([2, 7] if indent else [1, 1])


def test_json_lines_longer_than_a_chunk_are_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(json_records, "_CHUNK", 5)
    text = '\n{"title": "A long first line", "abstract": "words"}\n{"title": "B"}\n'
    for name in ("papers.jsonl", "papers.json"):
        papers, problems = papers_and_problems(write(tmp_path, name, text))
        assert problems == [] and [(p.line, p.title) for p in papers] == [(2, "A long first line"), (3, "B")]


@pytest.mark.parametrize(
    ("text", "titles", "problem"),
    [
        ('[{"title": "A"}, {"title": "B",}, {"title": "C"}]', ["A"], (1, "not valid JSON")),
        ('[{"title": "A"}\n {"title": "B"}]', ["A"], (2, "not valid JSON (expected ',' or ']'")),
        ('[{"title": "A"},\n {"title": "B"}', ["A", "B"], (2, "the JSON array is never closed")),
        ('[{"title": "A"}]\n{"x": 1}', ["A"], (2, "unexpected text after the JSON array")),
        ('[{"title": "A"}, 5]', ["A"], (1, "expected an object with a title, got a number")),
    ],
)
def test_json_array_errors_keep_what_came_before(tmp_path, text, titles, problem):
    papers, problems = papers_and_problems(write(tmp_path, "papers.json", text))
    assert [p.title for p in papers] == titles
    assert len(problems) == 1
    assert (problems[0].line, problems[0].message[: len(problem[1])]) == problem


def test_json_file_with_one_object_or_json_lines_inside(tmp_path):
    single = write(tmp_path, "one.json", '\n{\n  "title": "Only One",\n  "abstract": "A."\n}\n')
    assert [(p.title, p.line) for p in papers_and_problems(single)[0]] == [("Only One", 2)]
    lines = write(tmp_path, "lines.json", '{"title": "A"}\n{"title": "B"}\n')
    assert [p.title for p in papers_and_problems(lines)[0]] == ["A", "B"]
    broken = write(tmp_path, "broken.json", '{\n  "title": "Never closed"\n')
    assert [p.line for p in papers_and_problems(broken)[1]] == [3]


def test_paper_dicts_read_back_as_the_same_papers(tmp_path):
    originals = papers_and_problems(FIXTURES / "papers.jsonl")[0]
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(p.to_dict()) + "\n" for p in originals), encoding="utf-8")
    again = papers_and_problems(path)[0]
    ignore = {"source", "line", "urls", "code_urls"}
    for before, after in zip(originals, again, strict=True):
        assert {k: v for k, v in before.to_dict().items() if k not in ignore} == {
            k: v for k, v in after.to_dict().items() if k not in ignore
        }
        assert set(before.urls) <= set(after.urls)


def test_latex_styling_is_read_as_the_words_it_marks_and_reads_back_the_same(tmp_path):
    record = {
        "id": "2501.00001",
        "title": "\\textbf{GRPO}-Zero: \\emph{Simple} RL with language models~(LMs)",
        "abstract": "We train \\textbf{\\textit{Dynamic Entropy Weighting}} (DEW) on H\\&E slides: +3.1\\% at "
        "$O(n^2)$ cost; code at \\href{https://github.com/a/b}{this link}.",
    }
    path = tmp_path / "latex.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [paper], _ = papers_and_problems(path)
    assert paper.title == "GRPO-Zero: Simple RL with language models (LMs)"
    assert paper.abstract == (
        "We train Dynamic Entropy Weighting (DEW) on H&E slides: +3.1% at $O(n^2)$ cost; "
        "code at \\href{https://github.com/a/b}{this link}."  # mathematics and links kept as written
    )
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps(paper.to_dict()) + "\n", encoding="utf-8")
    assert papers_and_problems(again)[0][0].abstract == paper.abstract


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_with_quotes_multiline_cells_and_a_bad_row():
    papers, problems = papers_and_problems(FIXTURES / "papers.csv")
    assert [(p.title, p.line) for p in papers] == [
        ("Saliency Maps, Revisited", 2),
        ("Counterfactual Explanations for Tabular Models", 3),
        ("Layer-wise Relevance Propagation at Scale", 7),
    ]
    saliency, counterfactual, lrp = papers
    assert saliency.authors == ("Ruth Fong", "Andrea Vedaldi")
    assert saliency.key == "doi:10.1109/iccv.2019.00304"
    assert saliency.code_urls == ("https://github.com/example/saliency-revisited",)
    assert saliency.date == "2024-08-28"
    assert counterfactual.abstract == (
        "A survey of counterfactual explanation methods. It spans two lines inside quotes."
    )
    assert counterfactual.authors == ("Sandra Wachter", "Brent Mittelstadt")
    assert counterfactual.key == "arxiv:2106.00001"  # from the url column
    assert (counterfactual.year, counterfactual.date) == (2021, None)
    assert lrp.authors == () and lrp.doi is None
    assert [(p.line, p.message) for p in problems] == [(6, "row has 7 fields but the header has 6 fields")]


def test_csv_delimiter_is_sniffed_from_the_header(tmp_path):
    [paper] = papers_and_problems(FIXTURES / "semicolon.csv")[0]
    assert paper.title == "Concept Bottlenecks for Text"
    assert paper.abstract.endswith("and it costs little accuracy.")
    assert paper.authors == ("Pang Koh", "Percy Liang")
    tsv = write(tmp_path, "papers.tsv", "abstract\ttitle\nCommas, here; and there.\tTab Paper\n")
    assert [(p.title, p.abstract) for p in papers_and_problems(tsv)[0]] == [("Tab Paper", "Commas, here; and there.")]
    # any name: the content says CSV
    txt = write(tmp_path, "export.txt", "id|title\n2401.00002|Pipe Delimited\n")
    assert [p.key for p in papers_and_problems(txt)[0]] == ["arxiv:2401.00002"]


def test_csv_without_a_title_column_is_refused(tmp_path):
    with pytest.raises(ReadError, match=r"nothing\.csv:1: CSV header has no 'title' column"):
        list(iter_file(write(tmp_path, "nothing.csv", "name,value\na,1\n")))


def test_csv_bad_quoting_is_a_problem_and_reading_goes_on(tmp_path):
    path = write(tmp_path, "q.csv", 'title,abstract\n"A"B,x\nGood,y\n"Unclosed,z\n')
    papers, problems = papers_and_problems(path)
    assert [p.title for p in papers] == ["Good"]
    assert [p.line for p in problems] == [2, 4]
    assert all(p.message.startswith("not valid CSV") for p in problems)


# --- arXiv Atom --------------------------------------------------------------------------------


def test_atom_feed_entries():
    papers, problems = papers_and_problems(FIXTURES / "arxiv_feed.xml")
    assert problems == []
    probes, strings, patching = papers
    assert [p.line for p in papers] == [9, 32, 46]
    assert probes.key == "arxiv:2310.01234"
    assert probes.title == "Sparse Probes for Syntax in Small Transformers"  # unwrapped
    assert probes.abstract == (
        "We train sparse linear probes on the residual stream of small transformers and find "
        "that a handful of directions encode part-of-speech & depth in the parse tree. Code: "
        "https://github.com/example-lab/sparse-probes."
    )
    assert probes.authors == ("Ada Byron", "Alan Turing")  # not the affiliation
    assert (probes.date, probes.date_text) == ("2023-10-02", "2023-10-02T17:59:59Z")
    assert probes.urls == (
        "http://arxiv.org/abs/2310.01234v2",
        "http://arxiv.org/pdf/2310.01234v2",
        "https://github.com/example-lab/sparse-probes",
    )
    assert probes.code_urls == ("https://github.com/example-lab/sparse-probes",)
    assert strings.key == "arxiv:hep-th/9901001"
    assert strings.doi == "10.1016/s0550-3213(99)00001-x"
    assert patching.title == "Attribution Patching at Scale: $10^9$ Parameters"


@pytest.mark.parametrize("name", ["atom_doctype_xxe.xml", "atom_billion_laughs.xml"])
def test_atom_with_a_doctype_or_entities_is_refused_quickly(name):
    started = time.monotonic()
    with pytest.raises(ReadError) as caught:
        list(iter_file(FIXTURES / name))
    assert time.monotonic() - started < 5  # generous: refusal happens before any expansion
    assert caught.value.line == 2
    assert "DOCTYPE declaration is refused" in str(caught.value)


def test_atom_entity_declared_after_entries_stops_with_a_problem(tmp_path):
    text = (FIXTURES / "arxiv_feed.xml").read_text(encoding="utf-8")
    text = text.replace("</feed>", "<entry><title>&undefined;</title></entry></feed>")
    papers, problems = papers_and_problems(write(tmp_path, "feed.xml", text))
    assert len(papers) == 3
    assert len(problems) == 1 and "undefined entity" in problems[0].message


def test_atom_api_error_entry_is_a_problem():
    result = read_papers(FIXTURES / "arxiv_api_error.xml")
    assert result.papers == []
    assert [str(p) for p in result.problems] == [
        f"{FIXTURES / 'arxiv_api_error.xml'}:7: the arXiv API reported an error: incorrect id format for 1234.12345"
    ]


def test_xml_that_is_not_atom_or_not_xml_is_refused(tmp_path):
    with pytest.raises(ReadError, match=r"not an Atom feed \(root element <rss>\)"):
        list(iter_file(FIXTURES / "rss_not_atom.xml"))
    with pytest.raises(ReadError, match=r"broken\.xml:1: not well-formed XML"):
        list(iter_file(write(tmp_path, "broken.xml", "<feed xmlns='http://www.w3.org/2005/Atom'")))


# --- Formats, directories, problems ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.jsonl", "{}", "jsonl"),
        ("a.NDJSON", "{}", "jsonl"),
        ("a.json", "[", "json"),
        ("a.csv", "x", "csv"),
        ("a.tsv", "x", "tsv"),
        ("a.xml", "x", "atom"),
        ("a.atom", "x", "atom"),
        ("a.txt", '  [{"title": 1}]', "json"),
        ("a", '{"title": 1}', "json"),
        ("a.txt", "<?xml version='1.0'?><feed/>", "atom"),
        ("a.txt", "new\n\nGet trending papers in your email inbox!\n", "hf-daily"),
        ("a.txt", "Title\n\nAbstract.\n\n  • 3 authors\n·\nOct 1\n", "hf-daily"),
        ("a.dat", "Title,Abstract\nx,y\n", "csv"),
        ("a.txt", "Just some prose.\n", None),
    ],
)
def test_format_detection(name, head, expected):
    assert detect_format(name, head) == expected


def test_directory_walk_is_sorted_recursive_and_skips_hidden_files():
    files = list(input_files(FIXTURES / "corpus"))
    root = str(FIXTURES / "corpus")
    assert files == [f"{root}/a.jsonl", f"{root}/b/feed.xml", f"{root}/b/listing.txt"]
    seen = []
    result = read_papers([FIXTURES / "corpus"])
    papers = list(read_inputs(FIXTURES / "corpus", on_file=seen.append))
    assert seen == files == result.files
    assert result.problems == []
    assert [p.source for p in papers] == [files[0]] + [files[1]] * 3 + [files[2]] * 2
    assert len(unique_papers(result.papers)) == 5  # a.jsonl and the feed share an arXiv id


def test_directory_with_nothing_readable_explains_each_file_and_itself():
    result = read_papers(FIXTURES / "nothing_readable")
    root = FIXTURES / "nothing_readable"
    assert result.papers == []
    assert [str(p) for p in result.problems] == [
        f"{root}/blob.bin: binary file (contains NUL bytes), not a text listing",
        f"{root}/empty.txt: empty file",
        f"{root}: nothing readable in this directory (2 files skipped)",
    ]


def test_empty_directory_is_a_problem(tmp_path):
    (tmp_path / ".only-hidden").write_text('{"title": "x"}\n')
    assert [str(p) for p in read_papers(tmp_path).problems] == [f"{tmp_path}: directory has no files to read"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty.txt: empty file"),
        ("whitespace_only.txt", "whitespace_only.txt: empty file (only whitespace)"),
        ("cp1252.txt", "cp1252.txt:1: not valid UTF-8 (byte 0xF6 at offset 4); save the file as UTF-8"),
        ("binary.bin", "binary.bin: binary file (contains NUL bytes), not a text listing"),
        ("report.pdf", "report.pdf: binary file (a PDF document), not a text listing"),
        (
            "unknown_format.txt",
            "unknown_format.txt: unknown format (expected Hugging Face Daily "
            "Papers text, JSON Lines, JSON, CSV or arXiv Atom XML)",
        ),
    ],
)
def test_bad_files_get_a_one_line_explanation(name, message):
    path = FIXTURES / "bad" / name
    with pytest.raises(ReadError) as caught:
        list(iter_file(path))
    assert str(caught.value) == f"{FIXTURES / 'bad'}/{message}"
    assert "\n" not in str(caught.value)
    assert [str(p) for p in read_papers(path).problems] == [str(caught.value)]


def test_bad_files_in_a_directory_do_not_stop_the_good_ones(tmp_path):
    for name in ("binary.bin", "cp1252.txt"):
        (tmp_path / name).write_bytes((FIXTURES / "bad" / name).read_bytes())
    (tmp_path / "good.jsonl").write_text('{"title": "Good"}\n', encoding="utf-8")
    result = read_papers(tmp_path)
    assert [p.title for p in result.papers] == ["Good"]
    assert [Path(p.source).name for p in result.problems] == ["binary.bin", "cp1252.txt"]


def test_byte_offset_of_bad_utf8_is_exact_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(textfile, "_SNIFF_BYTES", 4)
    monkeypatch.setattr(textfile, "_CHUNK", 3)
    text = "Title\n\nAbstract ü, ö.\n".encode()
    bad = text + b"more \xe2\x82 broken\n"
    path = tmp_path / "bad.txt"
    path.write_bytes(bad)
    with pytest.raises(ReadError) as caught:
        list(iter_file(path))
    assert caught.value.line == 4
    assert f"byte 0xE2 at offset {len(text) + 5}" in caught.value.message
    path.write_bytes(text + b"cut \xe2\x82")
    with pytest.raises(ReadError, match="ends in the middle of a character"):
        list(iter_file(path))


@pytest.mark.parametrize("name", ["utf8_bom.jsonl", "utf16_bom.txt"])
def test_byte_order_marks_are_read(name):
    papers, problems = papers_and_problems(FIXTURES / "encodings" / name)
    assert problems == [] and papers
    assert not papers[0].title.startswith("\ufeff")
    if name == "utf16_bom.txt":
        expected = papers_and_problems(FIXTURES / "hf_daily_sample.txt")[0]
        assert _fields(papers) == _fields(expected)


@pytest.mark.parametrize(
    ("name", "text", "format_name"),
    [
        ("empty.json", "[]", "JSON"),
        ("header.csv", "title,abstract\n", "CSV"),
        ("feed.xml", '<feed xmlns="http://www.w3.org/2005/Atom"><title>q</title></feed>', "arXiv Atom XML"),
        ("page.txt", "new\n\nSubscribe\n\nDaily Papers\n", "Hugging Face Daily Papers text"),
    ],
)
def test_a_file_with_no_papers_says_so(tmp_path, name, text, format_name):
    with pytest.raises(ReadError, match=f"no papers found in this file \\(read as {format_name}\\)"):
        list(iter_file(write(tmp_path, name, text)))


def test_missing_paths_and_special_files(tmp_path):
    problems = read_papers([tmp_path / "missing.jsonl", str(tmp_path)]).problems
    assert [str(p) for p in problems] == [
        f"{tmp_path}/missing.jsonl: no such file or directory",
        f"{tmp_path}: directory has no files to read",
    ]
    with pytest.raises(ReadError, match="is a directory"):
        list(iter_file(tmp_path))


def test_strict_stops_at_the_first_problem_of_any_kind():
    paths = [FIXTURES / "papers.jsonl", FIXTURES / "broken_line2.jsonl", FIXTURES / "papers.json"]
    seen = []
    with pytest.raises(ReadError) as caught:
        for item in read_inputs(paths, strict=True):
            seen.append(item)
    assert str(caught.value).startswith(f"{FIXTURES / 'broken_line2.jsonl'}:2: not valid JSON")
    assert len(seen) == 5 and all(isinstance(p, Paper) for p in seen)
    with pytest.raises(ReadError, match="empty file"):
        read_papers([FIXTURES / "bad" / "empty.txt", FIXTURES / "papers.jsonl"], strict=True)
    relaxed = read_papers(paths)
    assert (len(relaxed.papers), len(relaxed.problems)) == (9, 1)


def test_problems_print_as_path_line_message():
    assert str(ReadProblem("a/b.jsonl", 2, "not valid JSON")) == "a/b.jsonl:2: not valid JSON"
    assert str(ReadProblem("a/b.txt", None, "empty file")) == "a/b.txt: empty file"
    error = ReadError("x.csv", "bad", 3)
    assert (str(error), error.source, error.line, error.message) == ("x.csv:3: bad", "x.csv", 3, "bad")


# --- Dates and URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "year"),
    [
        ("Oct 16", "--10-16", None),
        ("Sept 3", "--09-03", None),
        ("Feb 29", "--02-29", None),
        ("Feb 30", None, None),
        ("Jun 1, 2023", "2023-06-01", 2023),
        ("June 1 2023", "2023-06-01", 2023),
        ("1 Jun 2023", "2023-06-01", 2023),
        ("2023-10-02", "2023-10-02", 2023),
        ("2023-10-02T17:59:59Z", "2023-10-02", 2023),
        ("2023-10", None, 2023),
        ("2023", None, 2023),
        ("Feb 30, 2023", None, 2023),
        ("soon", None, None),
    ],
)
def test_dates_never_invent_a_year(text, date, year):
    assert parse_date(text) == (date, year)


def test_urls_lose_sentence_punctuation_but_keep_balanced_parentheses():
    text = (
        "Code: https://github.com/a/b. Data (https://example.org/d), see "
        "https://en.wikipedia.org/wiki/Saliency_(vision); also github.com/c/d, \\url{"
        "https://gitlab.com/g/r} and https://github.com/a/b again."
    )
    assert find_urls(text) == [
        "https://github.com/a/b",
        "https://example.org/d",
        "https://en.wikipedia.org/wiki/Saliency_(vision)",
        "https://github.com/c/d",
        "https://gitlab.com/g/r",
    ]


@pytest.mark.parametrize(
    ("url", "is_code"),
    [
        ("https://github.com/owner/repo", True),
        ("https://www.github.com/owner/repo/tree/main/src", True),
        ("https://gitlab.com/group/project", True),
        ("https://bitbucket.org/team/repo", True),
        ("https://codeberg.org/user/repo", True),
        ("https://gist.github.com/abc123", True),
        ("https://huggingface.co/spaces/owner/demo", True),
        ("https://github.com/owner", False),  # a profile, not a repository
        ("https://owner.github.io/project", False),
        ("https://huggingface.co/owner/model", False),
        ("https://huggingface.co/datasets/owner/data", False),
        ("https://example.org/github.com/a/b", False),
    ],
)
def test_code_hosts(url, is_code):
    assert is_code_url(url) is is_code
    assert code_urls([url]) == ([url] if is_code else [])


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://example.org/a(b)?q=1#frag", True),
        ("http://example.org:8080/", True),
        ("https://example.org/%41", True),
        ("https://example.org/100%", False),
        ("https://example.org/a#b#c", False),
        ("http://host:port/", False),
        ("n/a", False),
        ("ftp://example.org/x", False),
    ],
)
def test_only_urls_valid_as_iris_are_kept(url, valid):
    assert is_web_url(url) is valid


def test_record_urls_that_are_not_web_iris_are_dropped(tmp_path):
    path = write(
        tmp_path, "p.jsonl", '{"title": "T", "urls": ["n/a", "https://github.com/o/r", "https://x.org/%zz"]}\n'
    )
    [paper] = papers_and_problems(path)[0]
    assert paper.urls == paper.code_urls == ("https://github.com/o/r",)
