"""The reference vocabularies' names the rules find on their own (issue 28: the shipped student
gives no span at `ScanNet`, `Kinetics-400`, `DomainNet`, `DeBERTa` in lists of names that
paperkg 5's recogniser found)."""

import pytest

spacy = pytest.importorskip("spacy")

from paperkg.extract.gazetteers import load_gazetteers  # noqa: E402
from paperkg.extract.keys import MENTIONS_KEY, RULES_KEY  # noqa: E402
from paperkg.extract.tokenizer import make_tokenizer  # noqa: E402
from paperkg.extract.vocabulary import vocabulary_names  # noqa: E402


@pytest.fixture(scope="module")
def names():
    return {e.name: e.type for e in vocabulary_names()}


@pytest.fixture(scope="module")
def nlp(names):
    from paperkg.extract.gazetteers import GazetteerEntry

    nlp = spacy.blank("en")
    nlp.tokenizer = make_tokenizer(nlp)
    nlp.add_pipe("paperkg_sentences")
    nlp.add_pipe("paperkg_abbreviations")
    rules = nlp.add_pipe("paperkg_rules")
    rules.initialize(entries=load_gazetteers(), names=[GazetteerEntry(n, t) for n, t in names.items()])
    nlp.add_pipe("paperkg_refine")
    return nlp


def test_names_of_a_names_shape_are_kept_with_the_vocabularies_type(names):
    assert names["ScanNet"] == "Dataset"
    assert names["Kinetics-400"] == "Dataset"
    assert names["Office-Home"] == "Dataset"  # the field writes `office-home` too: still a name
    assert names["SUN RGB-D"] == "Dataset"
    assert names["DeBERTa"] == "Model"  # Papers with Code's method page is outvoted by two Model entries


def test_an_even_split_between_method_and_model_names_a_method_or_a_model(names):
    from paperkg.extract.naming import lookup_key
    from paperkg.extract.vocabulary import VocabularyEntry, vocabulary_type
    from paperkg.kg.quality import load_quality

    def entry(name, type_, family="pwc"):
        return VocabularyEntry(name, type_, family, "")

    # MLSea types every Papers with Code method Method; pwc_methods types CodeT5 and Logistic
    # Regression ("Generalized Linear Models") Model
    assert vocabulary_type([entry("CodeT5", "Method"), entry("CodeT5", "Model")]) == "Model"
    assert vocabulary_type([entry("Logistic Regression", "Method"), entry("Logistic Regression", "Model")]) == "Method"
    # capitals are acronyms as often as names (PCA: "PCa" is prostate cancer, "PCB" a circuit board)
    assert vocabulary_type([entry("PCA", "Method"), entry("PCA", "Model")]) is None
    assert load_quality().type_of(lookup_key("PCa")) is None
    # Papers with Code's Method against a catalogue of systems that types everything Model (Epoch AI
    # lists ReLU); any other split stays undecided
    assert vocabulary_type([entry("ReLU", "Method"), entry("ReLU", "Model", "epoch")]) == "Method"
    assert vocabulary_type([entry("CodeT5", "Method"), entry("CodeT5", "Dataset")]) is None
    assert vocabulary_type([entry("Q", "Method"), entry("Q", "Model"), entry("Q", "Task")]) is None
    assert vocabulary_type([entry("X", "Method"), entry("X", "Method"), entry("X", "Model")]) == "Method"
    # the shipped tables under today's keys, where CodeT5+, UNet++ and PointNet++ no longer vote under
    # CodeT5's, U-Net's and PointNet's: all three stay the rules' names
    assert names["CodeT5"] == names["UNet++"] == "Model"
    assert names["PointNet"] == "Method"  # Papers with Code: Method, Epoch AI: Model
    assert load_quality().type_of(lookup_key("Logistic Regression")) == "Method"


def test_a_models_identifier_in_lower_case_is_a_name(names):
    # papers write the model they called by its API identifier: `o3`, `gpt-oss-120b`
    for name in ("o1", "o3", "o4-mini", "gpt-oss-120b", "claude-sonnet-4-5"):
        assert names[name] == "Model"
    # lower case without a digit is a word (`breakfast`), and a lower-case Dataset name is not an identifier
    assert not {n for n, t in names.items() if n == n.lower() and not any(c.isdigit() for c in n)}
    assert all(t == "Model" for n, t in names.items() if n == n.lower() and not any(c.isupper() for c in n))


def test_a_benchmark_arxiv_papers_name_and_no_vocabulary_lists_is_a_dataset(names):
    from paperkg.kg.quality import load_quality

    for name in ("LIBERO", "OSWorld", "GenEval", "MMMU", "MathVista"):
        assert names[name] == "Dataset"
        assert load_quality().type_of(name.lower()) == "Dataset"
    # papers write them in lists (`benchmarks such as POPE, MME and AMBER`, `on MathVista and MMMU`);
    # MME, capitals of three letters, is no name the rules find on their own, but it is a Dataset
    assert "MME" not in names and load_quality().type_of("mme") == "Dataset"


def test_words_text_writes_by_chance_are_not_names(names):
    # an English word in capitals or capitalised (`COIN`, `Breakfast`, `PaLM`), an acronym arXiv
    # papers define for other words (`SAR`, `NeRF`), capitals of three letters (`TUM`)
    assert not {"COIN", "Breakfast", "PaLM", "SAR", "NeRF", "TUM"} & set(names)


def test_rules_find_a_vocabularys_name_where_the_recogniser_gives_no_span(nlp):
    text = (
        "VideoMAP outperforms existing models across datasets including Kinetics-400, Something-Something V2, "
        "Breakfast, and COIN. We compare o3 and gpt-oss-120b with DeBERTa on ScanNet. "
        "We propose EMMA (Efficient Multi-Modal Adaptation), and EMMA is fast."
    )
    doc = nlp(text)  # a blank pipeline: no recogniser spans at all
    rules = {(s.text, s.label_) for s in doc.spans[RULES_KEY] if s.id_ == "rule:vocabulary"}
    assert rules == {
        ("Kinetics-400", "Dataset"),
        ("Something-Something V2", "Dataset"),
        ("DeBERTa", "Model"),
        ("ScanNet", "Dataset"),
        ("o3", "Model"),
        ("gpt-oss-120b", "Model"),
    }
    mentions = {(s.text, s.label_) for s in doc.spans[MENTIONS_KEY]}
    assert {("Kinetics-400", "Dataset"), ("DeBERTa", "Model"), ("ScanNet", "Dataset")} <= mentions
    # the paper's own EMMA is not the vocabulary's dataset of that name
    assert ("EMMA", "Dataset") not in mentions


def test_the_shipped_pipeline_carries_todays_names(names):
    """`kg train rules` compiles the names into extract/model; run it after data/quality changes."""
    from paperkg.extract.pipeline import load_nlp

    shipped = load_nlp().get_pipe("paperkg_rules")
    assert {e.name: e.type for e in shipped.names} == names


def test_a_vocabularys_name_never_cuts_or_splits_a_recognisers_span(nlp, names):
    assert names["AIME"] == "Dataset" and names["RadGraph"] == "Dataset"
    text = "We report RadGraph F1 and accuracy on AIME 2024 and on AIME."
    doc = nlp.make_doc(text)
    doc.ents = [
        doc.char_span(text.index(t), text.index(t) + len(t), label=label)
        for t, label in (("RadGraph F1", "Metric"), ("AIME 2024", "Material"))
    ]
    mentions = [(s.text, s.label_) for s in nlp(doc).spans[MENTIONS_KEY]]
    assert mentions == [
        ("RadGraph F1", "Metric"),
        ("accuracy", "Metric"),
        ("AIME 2024", "Dataset"),
        ("AIME", "Dataset"),
    ]


def test_the_papers_own_name_is_not_the_vocabularys(nlp, names):
    # issue 28: a 2,000-abstract build typed two papers' own methods Dataset by a vocabulary's
    # dataset of the same name
    assert names["CAMEO"] == "Dataset" and names["CellNet"] == "Dataset"
    for text in (
        "CellNet -- Localizing Cells using Sparse Point Annotations\n\nCellNet finds cells.",
        "Motion video\n\nWe propose CAMEO, a cascaded framework. CAMEO is fast.",
    ):
        assert not [s for s in nlp(text).spans[RULES_KEY] if s.id_ == "rule:vocabulary"]
