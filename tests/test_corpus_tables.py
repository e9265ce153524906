"""The shipped quality tables' builder (`extract.corpus_tables`) on a few abstracts of its own."""

from paperkg.extract.corpus_tables import corpus_counts, write_benchmarks
from paperkg.extract.naming import lookup_key


def test_benchmarks_are_names_papers_write_as_a_benchmark_or_dataset(tmp_path):
    texts = [
        "We evaluate on the OSWorld benchmark and on the MRI dataset, a magnetic resonance imaging (MRI) set.",
        "Results on OSWorld dataset and the Qwen3 dataset. Two MRI datasets. Magnetic resonance imaging (MRI).",
        "On the OSWorld benchmark, agents fail. We use the MRI dataset of magnetic resonance imaging (MRI) scans.",
        "the ChatGPT benchmark, the ChatGPT benchmark, the ChatGPT benchmark",
    ]
    texts += ["the ChatGPT benchmark"] * 3 + ["the Tiny benchmark"] * 3 + ["on the OSWorld 256x256 benchmark"] * 3
    n, _, longs, benchmarks = corpus_counts(texts)
    assert n == 13
    assert benchmarks["OSWorld"] == 3  # one vote a paper
    assert "Tiny" not in benchmarks  # no name's shape
    vocabulary = {(lookup_key("ChatGPT"), "ChatGPT", "Model", "epoch", "")}
    write_benchmarks(tmp_path / "benchmarks.tsv", benchmarks, longs, vocabulary)
    rows = [line.split("\t")[0] for line in (tmp_path / "benchmarks.tsv").read_text().splitlines()[1:] if line]
    # MRI is an acronym papers define (a kind of data); ChatGPT a vocabulary's Model; Qwen3 in one
    # paper; OSWorld 256x256 is OSWorld at a resolution
    assert rows == ["OSWorld"]
