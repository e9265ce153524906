"""The acronym finder on the cases that break naive ones."""

import re

import pytest

from paperkg.extract.abbreviations import find_abbreviations, find_short_form_uses, short_form_variants
from paperkg.extract.naming import singular_word


def pairs(text):
    return [(a.short, a.long) for a in find_abbreviations(text)]


def test_long_form_then_short_form_with_plural():
    assert pairs("Sparse Autoencoders (SAEs) have emerged.") == [("SAEs", "Sparse Autoencoders")]


def test_capitals_inside_words():
    text = "We use Differentiable ARchiTecture Search (DARTS) and eXplainable Artificial Intelligence (XAI)."
    assert pairs(text) == [
        ("DARTS", "Differentiable ARchiTecture Search"),
        ("XAI", "eXplainable Artificial Intelligence"),
    ]


def test_every_word_of_a_long_form_its_initials_spell_belongs_to_it():
    # Schwartz-Hearst alone matches the `p` and `o` inside "Optimization" and stops at "Policy"
    text = (
        "We compare Proximal Policy Optimization (PPO) with Retrieval-Augmented Generation (RAG) and "
        "multimodal misinformation detection (MMD), and use Low-Rank Adaptation (LoRA)."
    )
    assert pairs(text) == [
        ("PPO", "Proximal Policy Optimization"),
        ("RAG", "Retrieval-Augmented Generation"),
        ("MMD", "multimodal misinformation detection"),
        ("LoRA", "Low-Rank Adaptation"),  # initials do not spell it: the letters inside words do
    ]


def test_initials_that_reach_a_word_of_the_sentence_give_way_to_the_name():
    # "introduce" and the name's initials spell ICAs; the long form is the name, not the clause
    assert pairs("we introduce Inquisitive Conversational Agents (ICAs)") == [
        ("ICAs", "Inquisitive Conversational Agents")
    ]
    assert pairs("multiple-output (MIMO)-Orthogonal Frequency-Division Multiplexing (OFDM)")[-1] == (
        "OFDM",
        "Orthogonal Frequency-Division Multiplexing",
    )


def test_short_form_then_long_form():
    assert pairs("We train a CNN (convolutional neural network) on images.") == [
        ("CNN", "convolutional neural network")
    ]


def test_a_name_then_examples_or_a_use_of_it_defines_nothing():
    # seen on the arXiv corpus: each gave "LLM" a wrong alias
    assert pairs("Experiments on popular LLMs (LLaMA2 7B, LLaMA3.1 8B, and Mistral 7B) show gains.") == []
    assert pairs("Benchmark creation using LLMs (LLM as a benchmark) has emerged.") == []
    assert pairs("We evaluate on AudioSet (AudioSet EV) clips.") == []
    # the long form alone in its parenthesis still defines the short form
    assert pairs("We fine-tune LLMs (large language models) on code.") == [("LLMs", "large language models")]


def test_citation_between_long_form_and_parenthesis():
    assert pairs("Sparse Autoencoders [1] (SAEs) work.") == [("SAEs", "Sparse Autoencoders")]


def test_nested_brackets_and_trailing_citation():
    assert pairs("Large language models (LLMs; Brown et al. (2020)) are large.") == [("LLMs", "Large language models")]
    assert pairs("the false positive rate (FPR (per class)) drops") == [("FPR", "false positive rate")]
    # a definition inside another parenthesis (20,000 arXiv abstracts: 21 such, 20 right)
    assert pairs("the best result (R^2 = 0.91, mean absolute percentage error (MAPE) = 4.37%) holds") == [
        ("MAPE", "mean absolute percentage error")
    ]
    assert pairs("three tasks (named entity recognition (NER), relation extraction (RE)) with LLMs") == [
        ("NER", "named entity recognition"),
        ("RE", "relation extraction"),
    ]
    # a closing bracket nothing opened (an enumeration) and one never closed leave the others paired
    assert pairs("1) the mean absolute error (MAE) and 2) root mean square error (RMSE) (see") == [
        ("MAE", "mean absolute error"),
        ("RMSE", "root mean square error"),
    ]


def test_parentheses_that_define_nothing():
    text = "Results (see Table 1) show gains (p < 0.05), (ii) more, and Adam (Kingma and Ba, 2015) (e.g., BERT)."
    assert pairs(text) == []


def test_long_form_stays_in_its_sentence():
    assert pairs("This is it. Retrieval-augmented generation (RAG) helps.") == [
        ("RAG", "Retrieval-augmented generation")
    ]


def test_later_uses_include_singular_and_plural_but_not_compounds():
    text = "We train Sparse Autoencoders (SAEs). SAEs are good; an SAE is small; DARTS-SAE and SAEBench are not."
    abbr = find_abbreviations(text)[0]
    assert [text[s:e] for s, e in find_short_form_uses(text, abbr)] == ["SAEs", "SAE"]


@pytest.mark.parametrize(
    "text",
    [
        "Sparse Autoencoders (SAEs). SAE-based, _SAE, SAE_x, SAEs. (SAE) SAEsSAE SAE\u00e9 SAE\u2013x SAEs",
        "the Alpha Beta Alpha (A.B.A.) A.B.A.B.A. A.B.A.s A.B.A. x",
    ],
)
def test_uses_are_the_whole_word_regex_matches(text):
    abbr = find_abbreviations(text)[0]
    names = "|".join(re.escape(v) for v in sorted(short_form_variants(abbr.short), key=len, reverse=True))
    regex = re.compile(rf"(?<![\w-])(?:{names})(?![\w-])")
    after = max(abbr.short_end, abbr.long_end)
    expected = [(m.start(), m.end()) for m in regex.finditer(text, after)]
    assert expected and find_short_form_uses(text, abbr) == expected


def test_a_citation_before_the_parenthesis_ends_where_its_brackets_and_spaces_do():
    assert pairs("Sparse Autoencoders \t[1, 2]  (SAEs) work.") == [("SAEs", "Sparse Autoencoders")]
    # brackets inside brackets are no citation: the long form reaches the parenthesis
    assert pairs("Sparse Autoencoders [a [1]] (SAEs) work.") == [("SAEs", "Sparse Autoencoders [a [1]]")]


@pytest.mark.parametrize("plural", ["SAEs", "GNNs", "T5s", "ReLUs"])
def test_short_forms_drop_a_plural_s_as_names_do(plural):
    assert short_form_variants(plural) == {plural, singular_word(plural)}
    assert singular_word(plural) == plural[:-1]


def test_prefix_letter_acronym_from_seed_abstract():
    text = "We introduce the Variational Sparse Autoencoder (vSAE), which replaces gating. The vSAE underperforms."
    abbr = find_abbreviations(text)[0]
    assert (abbr.short, abbr.long) == ("vSAE", "Variational Sparse Autoencoder")
    assert [text[s:e] for s, e in find_short_form_uses(text, abbr)] == ["vSAE"]
