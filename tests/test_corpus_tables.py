"""The shipped quality tables' builder (`extract.corpus_tables`) on a few abstracts of its own."""

from paperkg.extract.corpus_tables import (
    benchmark_names,
    benchmark_papers,
    corpus_counts,
    papers_writing,
    write_benchmarks,
)
from paperkg.extract.naming import lookup_key


def test_benchmarks_are_names_papers_write_as_a_benchmark_or_dataset(tmp_path):
    texts = [
        "We evaluate on the OSWorld benchmark and on the MRI dataset, a magnetic resonance imaging (MRI) set.",
        "Results on OSWorld dataset and the Qwen3 dataset. Two MRI datasets. Magnetic resonance imaging (MRI).",
        "On the OSWorld benchmark, agents fail. We use the MRI dataset of magnetic resonance imaging (MRI) scans.",
        "the ChatGPT benchmark, the ChatGPT benchmark, the ChatGPT benchmark",
    ]
    texts += ["the ChatGPT benchmark"] * 3 + ["the Tiny benchmark"] * 3 + ["on the OSWorld 256x256 benchmark"] * 3
    n, _, longs, benchmarks, on_lists = corpus_counts(texts)
    assert n == 13
    assert benchmarks["OSWorld"] == 3  # one vote a paper
    assert "Tiny" not in benchmarks  # no name's shape
    vocabulary = {(lookup_key("ChatGPT"), "ChatGPT", "Model", "epoch", "")}
    # MRI is an acronym papers define (a kind of data); ChatGPT a vocabulary's Model; Qwen3 in one
    # paper; OSWorld 256x256 is OSWorld at a resolution
    assert table(tmp_path, texts, benchmark_papers(benchmarks, longs, vocabulary, on_lists)) == ["OSWorld"]


def table(directory, texts, papers):
    write_benchmarks(directory / "benchmarks.tsv", papers, papers_writing(texts, papers))
    return [line.split("\t")[0] for line in (directory / "benchmarks.tsv").read_text().splitlines()[1:] if line]


def test_names_in_a_list_a_kind_word_or_a_known_dataset_types_are_benchmarks(tmp_path):
    texts = [
        "Evaluations on POPE, CHAIR, and MME benchmarks across LLaVA-1.5 and InstructBLIP show gains.",
        "Results on public benchmarks such as POPE, MME and AMBER. We train on LAION and CC3M data.",
        "It scores 67.5 on MathVista and 61.7 on MMMU, and is strong on general benchmarks like MME.",
        "We evaluate on MMLU, GSM8K and MathVista. Baselines on GPT-4o, Claude-3 and Qwen3 agree.",
        "On MathVista, MathVerse and ScienceQA it leads. Results on LLaDA and GSM8K models hold.",
        "Gains on MathVista and MathVerse hold. Experiments on LAION and CC3M follow. Two MRI datasets.",
    ]
    assert benchmark_names(texts[0])[0] == {"POPE", "CHAIR", "MME"}  # a kind word after a list of names
    assert benchmark_names("Two MRI datasets, three CT datasets.") == (set(), [])  # kinds of data
    assert benchmark_names(texts[4])[1] == [["MathVista", "MathVerse", "ScienceQA"]]  # not `LLaDA and GSM8K models`
    n, _, longs, benchmarks, on_lists = corpus_counts(texts)
    assert benchmarks["MME"] == 3 and benchmarks["POPE"] == 2  # a kind word before or after a list
    vocabulary = {(lookup_key(n), n, "Dataset", "pwc", "") for n in ("MMLU", "GSM8K", "ScienceQA")}
    vocabulary.add((lookup_key("Qwen3"), "Qwen3", "Model", "epoch", ""))
    # MathVista in a list with a known dataset in papers 4 and 5, and with MathVerse (known from
    # neither) in paper 6: two papers; MathVerse one; models in a list of models (LLaDA before
    # `models`), LAION and CC3M in a list of names no one knows as datasets: none
    assert table(tmp_path, texts, benchmark_papers(benchmarks, longs, vocabulary, on_lists)) == ["MME"]
    texts.append("We report results on MathVista, MathVerse and GSM8K.")
    *_, benchmarks, on_lists = corpus_counts(texts)
    papers = benchmark_papers(benchmarks, longs, vocabulary, on_lists)
    assert table(tmp_path, texts, papers) == ["MME", "MathVista"]
    # a name most papers write otherwise is not a benchmark (`COVID-19 datasets`): 3 of 31 papers
    texts += ["MathVista in a sentence of its own."] * 28
    assert table(tmp_path, texts, papers) == ["MME"]
