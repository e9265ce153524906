"""Paper identity: keys from arXiv ids, DOIs and titles; slugs; merging duplicates."""

from __future__ import annotations

import hashlib
import re

import pytest

from paperkg.extract.dedup import unique_papers
from paperkg.extract.paper_keys import normalise_arxiv_id, normalise_doi, normalise_title, paper_key, slug
from paperkg.extract.records import Paper


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2310.01234", "2310.01234"),
        ("2310.01234v2", "2310.01234"),
        ("arXiv:2310.01234v12", "2310.01234"),
        ("0704.0001", "0704.0001"),
        ("http://arxiv.org/abs/2310.01234v2", "2310.01234"),
        ("https://arxiv.org/pdf/2310.01234v3.pdf", "2310.01234"),
        ("https://export.arxiv.org/abs/2310.01234", "2310.01234"),
        ("https://arxiv.org/html/2310.01234v1/", "2310.01234"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("hep-th/9901001v2", "hep-th/9901001"),
        ("http://arxiv.org/abs/cond-mat/0102536v1", "cond-mat/0102536"),
        ("math.GT/0309136", "math/0309136"),  # the subject class is not part of the id
        ("HEP-TH/9901001", "hep-th/9901001"),
        ("10.48550/arXiv.2310.01234", "2310.01234"),  # arXiv's own DOI
        ("https://doi.org/10.48550/ARXIV.2310.01234", "2310.01234"),
        ("2310.0123", None),
        ("1234.567", None),
        ("P-17", None),
        ("https://example.org/abs/2310.01234", None),
        ("2310.01234 and more", None),
    ],
)
def test_arxiv_ids_are_found_and_versions_dropped(text, expected):
    assert normalise_arxiv_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.18653/V1/2024.ACL-LONG.7", "10.18653/v1/2024.acl-long.7"),
        ("doi:10.1000/XYZ", "10.1000/xyz"),
        ("https://doi.org/10.1000/a%2Fb", "10.1000/a/b"),
        ("http://dx.doi.org/10.1016/S0550-3213(99)00001-X", "10.1016/s0550-3213(99)00001-x"),
        ("10.1/x", None),  # registrant codes have at least four digits
        ("11.1000/x", None),
        ("not a doi", None),
    ],
)
def test_dois_are_recognised_and_lower_cased(text, expected):
    assert normalise_doi(text) == expected


def test_arxiv_id_wins_over_doi_and_title():
    assert paper_key("Any Title", "https://arxiv.org/abs/2310.01234v2", "10.1000/x") == ("arxiv:2310.01234")


def test_doi_case_does_not_change_the_key():
    assert paper_key("A", doi="10.1000/ABC") == paper_key("B", doi="https://doi.org/10.1000/abc")
    assert paper_key("A", doi="10.1000/ABC") == "doi:10.1000/abc"


def test_an_arxiv_doi_gives_the_arxiv_key():
    assert paper_key("A", doi="10.48550/arXiv.2310.01234") == paper_key("B", "2310.01234v1")


def test_unrecognised_identifiers_fall_back_to_the_title():
    assert paper_key("Same Title", "not-an-id", "not-a-doi") == "title:same title"


@pytest.mark.parametrize(
    "variant",
    [
        "Attention-based Dynamic Subspace Learners for Medical Image Analysis",
        "ATTENTION-BASED DYNAMIC SUBSPACE LEARNERS FOR MEDICAL IMAGE ANALYSIS",
        "Attention based dynamic subspace learners for medical image analysis.",
        "  Attention\u2010based Dynamic  Subspace Learners\nfor Medical Image Analysis ",
        "Attention–based: Dynamic Subspace Learners, for Medical Image Analysis!",
        "\uff21ttention-based Dynamic Subspace Learners for Medical Image Analysis",  # fullwidth A
    ],
)
def test_same_title_with_other_punctuation_case_or_spacing_is_one_key(variant):
    reference = "Attention-based Dynamic Subspace Learners for Medical Image Analysis"
    assert paper_key(variant) == paper_key(reference)
    assert paper_key(reference) == ("title:attention based dynamic subspace learners for medical image analysis")


def test_different_titles_give_different_keys():
    keys = {
        paper_key("Transcoders Find Interpretable LLM Feature Circuits"),
        paper_key("Transcoders Find Interpretable LLM Feature Circuit"),
        paper_key("Sparse Autoencoders Find Interpretable LLM Feature Circuits"),
        paper_key("\u221e"),
        paper_key("\u2211"),
    }
    assert len(keys) == 5


def test_normalise_title_casefolds_beyond_lower():
    assert normalise_title("Straße") == normalise_title("STRASSE") == "strasse"


SAFE = re.compile(r"[a-z0-9][a-z0-9.-]*")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("arxiv:2310.01234", "arxiv-2310.01234"),
        ("arxiv:hep-th/9901001", "arxiv-hep-th-9901001"),
    ],
)
def test_arxiv_slugs_read_as_the_id(key, expected):
    assert slug(key) == expected


def test_title_and_doi_slugs_are_readable_prefix_plus_hash():
    title = slug("title:analysis of variational sparse autoencoders")
    assert re.fullmatch(r"analysis-of-variational-sparse-autoencoders-[0-9a-f]{8}", title)
    doi = slug("doi:10.1016/s0550-3213(99)00001-x")
    assert re.fullmatch(r"doi-10-1016-s0550-3213-99-00001-x-[0-9a-f]{8}", doi)


@pytest.mark.parametrize(
    "key",
    [
        "title:" + "very long title " * 20,
        "title:\u221e",
        "title:schr\u00f6dinger bridges",
        "title:\u6ce8\u610f\u529b\u673a\u5236",  # CJK only: nothing ASCII to keep
        "doi:10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-o",
        "title:a/b?c#d e%20f",
        "\u6ce8\u610f\u529b",  # an entity key with nothing ASCII
        ":",
    ],
)
def test_slugs_are_iri_safe_short_and_stable(key):
    value = slug(key)
    assert SAFE.fullmatch(value), value
    assert len(value) <= 80
    assert slug(key) == value


def test_entity_keys_slug_as_their_whole_name():
    assert re.fullmatch(r"sparse-autoencoder-[0-9a-f]{8}", slug("sparse autoencoder"))
    assert re.fullmatch(r"gpt-4-[0-9a-f]{8}", slug("gpt-4"))
    # a colon inside an entity's name is not a key kind: the whole name is kept and hashed
    assert re.fullmatch(r"re-rank-lora-[0-9a-f]{8}", slug("re:rank lora"))
    assert slug("arxiv 2310.01234") != slug("arxiv:2310.01234")


def test_slugs_of_different_keys_differ():
    keys = [paper_key(f"Paper number {i}") for i in range(2000)]
    keys += ["title:a b", "title:a-b", "title:a  b", "doi:10.1000/a-b", "doi:10.1000/a.b"]
    assert len({slug(k) for k in keys}) == len(set(keys))


def _paper(key: str, source: str, line: int, **fields) -> Paper:
    return Paper(
        key=key, title=fields.pop("title", "T"), abstract=fields.pop("abstract", ""), source=source, line=line, **fields
    )


def test_unique_papers_keeps_first_seen_order_and_fills_gaps_from_later_records():
    first = _paper(
        "arxiv:1",
        "a.txt",
        3,
        date_text="Oct 16",
        author_count=2,
        urls=("https://github.com/a/b",),
        code_urls=("https://github.com/a/b",),
    )
    other = _paper("title:x", "a.txt", 10)
    again = _paper(
        "arxiv:1",
        "b.jsonl",
        7,
        title="Other title",
        abstract="An abstract.",
        date="2023-10-16",
        date_text="2023-10-16",
        year=2023,
        authors=("A", "B"),
        urls=("https://example.org/",),
    )
    merged = unique_papers([first, other, again])
    assert [p.key for p in merged] == ["arxiv:1", "title:x"]
    paper = merged[0]
    assert paper.title == "T"  # the first record's own fields win
    assert paper.abstract == "An abstract."  # ... and gaps are filled from later duplicates
    assert paper.authors == ("A", "B") and paper.author_count == 2
    assert (paper.date, paper.date_text, paper.year) == (None, "Oct 16", None)  # one group
    assert paper.urls == ("https://github.com/a/b", "https://example.org/")
    assert (paper.source, paper.line) == ("a.txt", 3)
    assert paper.locations == ("a.txt:3", "b.jsonl:7")


def test_unique_papers_lists_each_location_once():
    p = _paper("arxiv:1", "a.txt", 3)
    merged = unique_papers([p, p, _paper("arxiv:1", "b.txt", 1), _paper("arxiv:1", "b.txt", 1)])
    assert merged[0].locations == ("a.txt:3", "b.txt:1")


def test_unique_papers_takes_the_whole_date_group_when_the_first_has_none():
    merged = unique_papers(
        [
            _paper("k", "a", 1),
            _paper("k", "b", 1, date="2023-06-01", date_text="Jun 1, 2023", year=2023),
            _paper("k", "c", 1, date_text="Oct 16"),
        ]
    )
    assert (merged[0].date, merged[0].date_text, merged[0].year) == ("2023-06-01", "Jun 1, 2023", 2023)


def test_slug_hashes_each_key_on_its_own_and_reads_accents_as_ascii():
    keys = ("title:schr\u00f6dinger bridges", "sparse autoencoder", "doi:10.1016/x", "sparse autoencoder")
    for key in keys:  # made anew each time: no digest state carried from one key to the next
        assert slug.__wrapped__(key).endswith("-" + hashlib.sha256(key.encode()).hexdigest()[:8])
    assert slug("title:schr\u00f6dinger bridges").startswith("schrodinger-bridges-")
