"""A seeded fuzz test of the readers: whatever bytes a file holds, reading it yields papers and
one-line problems, never an exception (issue 17). Deterministic: the same cases on every run."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from paperkg.extract.readers import ReadProblem, read_papers

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SEEDS = sorted(p for p in FIXTURES.iterdir() if p.is_file())
EXTENSIONS = ["", ".txt", ".json", ".jsonl", ".csv", ".tsv", ".xml", ".atom", ".json.gz", ".jsonl.gz", ".txt.gz"]
CASES = 800


def random_text(rng: random.Random, n: int) -> str:
    """Text from every corner of Unicode: controls, markup, quotes, brackets, astral planes."""
    pools = [
        "\x00\x01\x1b\x7f\x85\u2028\u202e\ufeff\ufffe",
        "{}[]<>,;:\"'\\\n\r\t #=@·•",
        "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789",
        "éßøΩЖ中文العربية😀𝔘",
    ]
    chars = []
    for _ in range(n):
        pool = rng.choice(pools)
        chars.append(rng.choice(pool) if rng.random() < 0.9 else chr(rng.randrange(0x20, 0x10FFFF)))
    return "".join(c for c in chars if not 0xD800 <= ord(c) <= 0xDFFF)


def nested(rng: random.Random) -> str:
    depth = rng.choice([10, 500, 990, 1000, 5000, 100_000])
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}"), ('[{"title":', "}]")])
    tail = closer * depth if rng.random() < 0.5 else closer * rng.randrange(depth)
    return opener * depth + '"x"' + tail


def hostile_json(rng: random.Random) -> str:
    record = {
        "title": random_text(rng, rng.randrange(0, 40)) + rng.choice(["", "\\ud800", "\\udfff"]),
        "abstract": random_text(rng, rng.randrange(0, 200)),
        rng.choice(["authors", "date", "year", "url", "arxiv_id", "doi", "id"]): rng.choice(
            [None, 1, -3, 2.5, True, [], {}, ["a", 1], {"name": "x"}, "2401.00001", "not an id", "Feb 30, 2024"]
        ),
    }
    text = json.dumps(record, ensure_ascii=rng.random() < 0.5)
    if "\\\\ud8" in text or "\\\\udf" in text:  # put the escape back: a lone surrogate in the JSON
        text = text.replace("\\\\ud800", "\\ud800").replace("\\\\udfff", "\\udfff")
    return rng.choice([text, f"[{text}, {text}]", f"{text}\n{text}\n", text[: rng.randrange(len(text) + 1)]])


def mutated(rng: random.Random) -> bytes:
    data = bytearray(rng.choice(SEEDS).read_bytes())
    for _ in range(rng.randrange(1, 20)):
        if not data:
            break
        at = rng.randrange(len(data))
        action = rng.random()
        if action < 0.4:
            data[at] = rng.randrange(256)
        elif action < 0.7:
            del data[at : at + rng.randrange(1, 50)]
        else:
            data[at:at] = random_text(rng, rng.randrange(1, 20)).encode("utf-8")
    return bytes(data[: rng.randrange(len(data) + 1)] if rng.random() < 0.3 else data)


def case(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.randrange(5)
    if kind == 0:
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 2000)))
    elif kind == 1:
        body = nested(rng).encode("utf-8")
    elif kind == 2:
        body = hostile_json(rng).encode("utf-8")
    elif kind == 3:
        body = random_text(rng, rng.randrange(0, 3000)).encode("utf-8")
    else:
        body = mutated(rng)
    extension = rng.choice(EXTENSIONS)
    if extension.endswith(".gz"):
        body = gzip.compress(body)
        if rng.random() < 0.3:
            body = body[: rng.randrange(len(body) + 1)]
    return extension, body


@pytest.mark.parametrize("seed", range(4))
def test_no_input_makes_a_reader_raise(tmp_path, seed):
    rng = random.Random(seed)
    for i in range(CASES // 4):
        extension, body = case(rng)
        path = tmp_path / f"case{i}{extension}"
        path.write_bytes(body)
        result = read_papers([path])  # must not raise
        for problem in result.problems:
            assert isinstance(problem, ReadProblem) and "\n" not in str(problem), (path, body[:200])
        for paper in result.papers:
            for text in (paper.title, paper.abstract, *paper.authors):
                text.encode("utf-8")  # no lone surrogate survives the reader
            assert paper.title
        path.unlink()


def test_a_folder_of_fuzz_cases_still_reads_its_good_file(tmp_path):
    rng = random.Random(99)
    for i in range(30):
        extension, body = case(rng)
        (tmp_path / f"case{i}{extension}").write_bytes(body)
    (tmp_path / "good.jsonl").write_text(json.dumps({"title": "A good paper", "abstract": "Text."}) + "\n")
    titles = [p.title for p in read_papers([tmp_path]).papers]
    assert "A good paper" in titles
