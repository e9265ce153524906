"""What the graph says about an entity is true (issue 30) and names hold at scale (issue 27):
merges are earned, links agree with the entity's type, labels are written as the field writes
them, every defined long form finds its entity, and benchmarks are Datasets."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from graph_papers import build, ent, extraction, paper

from paperkg.extract.abbreviations import find_abbreviations
from paperkg.kg.entities import merge_rules, summarise
from paperkg.kg.iris import entity_iri
from paperkg.kg.lookup import lookup
from paperkg.kg.names import lookup_key
from paperkg.kg.quality import load_quality
from paperkg.kg.terms import oa, pkg, rdf, skos


def entities_keyed(store, name: str) -> set[str]:
    return {
        q.subject.value for q in store.oxigraph.quads_for_pattern(None, pkg.lookupKey, ox.Literal(lookup_key(name)))
    }


def values(store, s, p) -> set[str]:
    return {q.object.value for q in store.oxigraph.quads_for_pattern(s, p, None)}


def bodies(store, text: str) -> set[str]:
    """The entities the mentions written `text` link to."""
    return {
        b.object.value
        for q in store.oxigraph.quads_for_pattern(None, oa.exact, ox.Literal(text))
        for b in store.oxigraph.quads_for_pattern(q.subject, oa.hasBody, None)
    }


PLANNING = (
    "We study sequential decision-making (DM) for robots. DM needs long horizons. "
    "We build multimodal large language models (MLMs) for robots, and MLMs plan well."
)
AGENTS = (
    "Our agent achieves state-of-the-art results on benchmarks such as Frontier Puzzle Exam (FPE). "
    "It also scores 20% on the Zeta Quiz benchmark."
)


def one_paper(tmp_path, abstract: str, *entities):
    """A store built from one hand-made paper with `abstract` and the extractor's `entities`; the
    paper defines the acronym of each entity that has one."""
    p = paper("arxiv:2501.10001", "A paper", abstract)
    defined = [(e.acronym, e.name) for e in entities if e.acronym]
    return build(tmp_path / "g", [extraction(p, *entities, abbreviations=defined)])


def defined(long: str, short: str, type_: str):
    """An entity the paper names by a long form and the acronym it defines for it."""
    return ent(long, type_, long, short, acronym=short)


def merges(store, e: ox.NamedNode) -> dict[str, set[str]]:
    return {
        next(iter(values(store, m.object, pkg.alias))): values(store, m.object, pkg.mergeRule)
        for m in store.oxigraph.quads_for_pattern(e, pkg.hasMerge, None)
    }


# -- names that hold (issue 27, item 2) ------------------------------------------------------------


@pytest.mark.parametrize(
    "variant, name",
    [
        ("Group Relative Policy Optimisation", "Group Relative Policy Optimization"),  # British spelling
        ("Group-relative Policy Optimization's", "Group Relative Policy Optimization"),  # possessive
        ("Large Language Model's", "large language models"),
        ("large language mod-els", "large language model"),  # a line-break hyphen
        ("large language mod- els", "large language model"),
        ("behaviour modelling", "behavior modeling"),
        ("Transformers'", "transformer"),
    ],
)
def test_spelling_possessives_and_line_breaks_do_not_split_a_name(variant, name):
    assert lookup_key(variant) == lookup_key(name)


@pytest.mark.parametrize(
    "a, b",
    [
        ("LoRA+", "LoRA"),  # a distinct method
        ("SAM2", "SAM"),
        ("RAG datasets", "RAG"),  # datasets for RAG, not RAG
        ("AI models", "AI"),
        ("noise", "noize"),  # -ise words that are American too keep their spelling
        ("supervised learning", "supervized learning"),
    ],
)
def test_a_suffix_a_head_noun_or_a_plus_makes_a_different_name(a, b):
    assert lookup_key(a) != lookup_key(b)


@pytest.mark.parametrize(
    "text",
    [
        "We find EMA-SAM improves \\emph{maxDice} from 0.82 (SAM2) on polyps.",  # markup, a number
        "It reports CIFAR10/100, ImageNet, object detection (COCO) results.",  # a list
        "Models in the 8B range often outperform best encoder model (BERT) baselines.",  # a clause
        "We apply Token Merging for vision transformers (ToMe).",  # one word, no capitals to spell ToMe
        "Points in 3) three-dimensional (3D) space.",  # an unbalanced bracket
        # a bracketed short form or an enumerator inside: the sentence defined something else on the way
        "We move from monotonic penalties (SPO) and hard-thresholding (PPO) to outlier suppression.",
        "It handles text-to-image (T2I) and image-to-image (I2I) generation.",
        "RSKT-Seg integrates three key components: (1) a Multi-Directional Cost Map Aggregation (RS-CMA).",
    ],
)
def test_a_fragment_a_list_or_markup_is_no_long_form(text):
    assert find_abbreviations(text) == []


@pytest.mark.parametrize(
    "text, short, long",
    [
        ("We use self-supervised learning (SSL) here.", "SSL", "self-supervised learning"),  # not `supervised learning`
        ("We train Group Relative Policy Optimization(GRPO) agents.", "GRPO", "Group Relative Policy Optimization"),
        ("Bidirectional Encoder Representations from Transformers (BERT)", "BERT", None),
        ("the ResNet (RN) backbone", "RN", "ResNet"),
        # a bracket glued to a word is part of the name
        ("Thickness-aware E(3)-Equivariant 3D Mesh Neural Network (T-EMNN)", "T-EMNN", None),
    ],
)
def test_a_definition_is_read_whole(text, short, long):
    (found,) = find_abbreviations(text)
    assert found.short == short
    assert found.long == (long or text[: text.index(" (")])


# -- merges that are earned ------------------------------------------------------------------------


def test_a_kind_of_thing_after_a_name_joins_it_only_when_the_name_is_that_kind(tmp_path):
    store = one_paper(
        tmp_path,
        "We train on the ImageNet dataset and compare with ImageNet baselines. "
        "We also release RAG datasets built for RAG pipelines.",
        ent("ImageNet dataset", "Dataset"),
        ent("ImageNet", "Dataset"),
        ent("RAG datasets", "Dataset"),
        ent("RAG", "Method"),
    )
    (imagenet,) = entities_keyed(store, "ImageNet")
    assert bodies(store, "ImageNet dataset") == {imagenet}
    assert merges(store, ox.NamedNode(imagenet))["ImageNet dataset"] == {"kind-head"}
    assert bodies(store, "RAG datasets") != bodies(store, "RAG")


def test_a_curated_alias_names_its_entity_in_every_paper(tmp_path):
    # the whole corpus had `ASR` (274 papers) and `speech recognition` (254) apart: only where the
    # rules found the gazetteer's alias were the two grouped; `MSCOCO` (25 papers) apart from COCO
    papers = [
        paper("arxiv:2501.10011", "Speech", "We study automatic speech recognition (ASR) for Welsh."),
        paper("arxiv:2501.10012", "Speech 2", "Speech recognition in noise remains hard for ASR systems."),
        paper("arxiv:2501.10013", "Detection", "We train on MSCOCO and report results on COCO."),
    ]
    store = build(
        tmp_path / "g",
        [
            extraction(
                papers[0],
                defined("automatic speech recognition", "ASR", "Task"),
                abbreviations=[("ASR", "automatic speech recognition")],
            ),
            extraction(papers[1], ent("Speech recognition", "Task"), ent("ASR", "Task")),
            extraction(papers[2], ent("MSCOCO", "Dataset"), ent("COCO", "Dataset")),
        ],
    )
    speech = {entity_iri("speechrecognition").value}
    for text in ("automatic speech recognition", "ASR", "Speech recognition"):
        assert bodies(store, text) == speech, text
    assert bodies(store, "MSCOCO") == bodies(store, "COCO") == {entity_iri("coco").value}
    assert merges(store, ox.NamedNode(entity_iri("coco").value))["MSCOCO"] == {"curated"}
    assert entities_keyed(store, "automatic speech recognition") == entities_keyed(store, "ASR") == speech
    # a curated acronym the corpus spells out keeps its long form's key (its IRI as ever)
    quality = load_quality()
    assert quality.curated_key("sam") == quality.curated_key("segmentanythingmodel") == "segmentanythingmodel"
    assert quality.curated_key("auroc") == quality.curated_key("auc") == "areaunderthecurve"


def test_a_thing_built_on_a_name_is_that_name_before_its_head(tmp_path):
    # the whole corpus had `LLM-based agent` (260 papers) beside `LLM agent` (770)
    store = one_paper(
        tmp_path,
        "LLM-based agents plan tools. An LLM agent acts. LLM based Agents err. "
        "LLM-based inference is slow, unlike LLM inference on GPUs.",
        ent("LLM-based agents", "Method"),
        ent("LLM agent", "Method"),
        ent("LLM based Agents", "Method"),
        ent("LLM-based inference", "Task"),
        ent("LLM inference", "Task"),
    )
    (agent,) = entities_keyed(store, "LLM agent")
    assert bodies(store, "LLM-based agents") == bodies(store, "LLM based Agents") == {agent}
    assert merges(store, ox.NamedNode(agent))["LLM-based agents"] == {"based"}
    assert bodies(store, "LLM-based inference") != bodies(store, "LLM inference")  # inference by, not of, an LLM
    assert entities_keyed(store, "LLM-based agent") == {agent}


def test_an_acronym_the_corpus_reads_otherwise_is_no_alias_of_a_papers_long_form(tmp_path):
    # arXiv papers define DM as diffusion model (83 of 103), and MLM several ways (data/quality/acronyms.tsv)
    named = (defined("decision-making", "DM", "Task"), defined("multimodal large language models", "MLMs", "Method"))
    store = one_paper(tmp_path, PLANNING, *named)
    (decision,) = entities_keyed(store, "decision-making")
    (mllm,) = entities_keyed(store, "multimodal large language model")
    assert bodies(store, "DM") == {decision}  # in this paper, DM is what the paper says
    assert bodies(store, "MLMs") == {mllm}
    assert "DM" not in values(store, ox.NamedNode(decision), skos.altLabel)
    assert not {"MLM", "MLMs"} & values(store, ox.NamedNode(mllm), skos.altLabel)
    assert entities_keyed(store, "DM") == entities_keyed(store, "MLM") == set()


@pytest.mark.parametrize(
    "name, variant",
    [
        ("BERT", "BERT-base"),
        ("T5", "Flan-T5"),
        ("GPT-3.5", "ChatGPT"),
        ("ROUGE", "ROUGE-L"),
        ("SQuAD", "SQuAD 2.0"),
        ("LAION-5B", "LAION-400M"),
        ("F1", "macro-F1"),
        ("pass@1", "pass@k"),
        ("accuracy", "top-5 accuracy"),
        ("LLaVA", "LLaVA-1.5"),
    ],
)
def test_the_curated_gazetteer_never_makes_a_variant_an_alias(name, variant):
    from paperkg.extract.gazetteers import load_gazetteers

    (entry,) = [e for e in load_gazetteers() if e.name == name]
    assert variant not in entry.aliases


def test_every_alias_keeps_the_reason_it_merged():
    assert merge_rules("Group Relative Policy Optimisation", "Group Relative Policy Optimization", []) == ("spelling",)
    assert merge_rules("Large Language Model's", "Large Language Model", []) == ("possessive",)
    assert merge_rules("ImageNet dataset", "ImageNet", [], load_quality()) == ("kind-head",)
    assert merge_rules("OpenAI's o3 model", "o3", [], load_quality()) == ("maker", "kind-head")
    assert merge_rules("RAG datasets", "RAG", [], load_quality()) == ("extractor-group",)
    assert merge_rules("automatic speech recognition", "ASR", [], load_quality()) == ("curated",)
    assert merge_rules("Transformer-based encoders", "Transformer encoder", [], load_quality()) == ("based",)
    assert merge_rules("agent-based model", "agent model", [], load_quality()) == ("extractor-group",)


@pytest.mark.parametrize(
    "forms",
    [
        ["Sparse Autoencoders"],
        ["LLMs"],
        ["LLMs+"],  # `+` is a word of its own: `LLMs plus` keys apart from `LLM plus`
        ["x-buses"],
        ["mod-els"],
        ["Vision-Language Models"],
        ["GPT-4s"],
        ["analyses"],
        ["foo_bars"],
        ['Na\\"ive Bayes classifiers'],
        ["Transformers'"],
        ["Modèles génératifs"],
        ["ABSs"],
        ["processes"],
        ["(LLMs)"],
        ["data- sets"],
        ["LLM", "LLMs"],
        ["Large Language Models", "LLMs"],
    ],
)
def test_a_plural_names_keys_and_merge_rules_are_those_its_singular_label_is_given(forms):
    # `summarise` takes a plain plural's key and rule (`plural`) for its singular label without
    # asking for them: the same answers as asking
    quality = load_quality()
    key = lookup_key(forms[0])
    summary = summarise(key, Counter({(f, "Method"): 2 for f in forms}), [], 1)
    names = (summary.label, *summary.aliases)
    assert summary.lookup_keys == tuple(sorted({key, *(lookup_key.__wrapped__(n) for n in names)} - {""}))
    assert summary.merges == tuple((a, merge_rules(a, summary.label, [], quality)) for a in summary.aliases)


# -- links that agree with the entity --------------------------------------------------------------


def _links(key: str, type_: str, *forms: str, acronyms=()) -> tuple[tuple[str, str], ...]:
    return summarise(key, Counter({(f, type_): 2 for f in forms}), acronyms, 2).links


@pytest.mark.parametrize(
    "key, type_, forms, acronym",
    [
        ("singularvaluedecomposition", "Method", ("singular value decomposition", "SVD"), "SVD"),  # not dataset SVD
        ("languagemodel", "Method", ("language model", "LM"), "LM"),  # not dataset LM
    ],
)
def test_an_acronym_alone_is_no_link(key, type_, forms, acronym):
    q = load_quality()
    assert any(e.iri for e in q.vocabulary(lookup_key(acronym))), "the vocabulary has an entry for the acronym"
    links = {iri for _, iri in _links(key, type_, *forms, acronyms=[acronym])}
    assert not links & {e.iri for e in q.vocabulary(lookup_key(acronym))}


def test_a_link_points_at_a_page_of_the_entitys_type():
    assert any("/dataset/" in e.iri for e in load_quality().vocabulary("ssd")), "PwC lists a dataset SSD"
    assert not any("/dataset/" in iri for _, iri in _links("ssd", "Method", "SSD"))  # the detector
    imagenet = _links("imagenet", "Dataset", "ImageNet")
    pwc = [(rel, iri) for rel, iri in imagenet if "paperswithcode.com" in iri]
    assert pwc and all(rel == "exactMatch" and "/dataset/" in iri for rel, iri in pwc)


def test_a_name_links_to_its_own_page_not_to_narrower_ones():
    # Papers with Code lists "Domain Adaptation" under universal-, source-free-, ... domain adaptation too
    links = {iri for _, iri in _links("domainadaptation", "Task", "domain adaptation")}
    assert "https://paperswithcode.com/task/domain-adaptation" in links
    assert not any("universal" in iri or "source-free" in iri for iri in links)
    ner = {iri for _, iri in _links("namedentityrecognition", "Task", "named entity recognition")}
    assert "https://paperswithcode.com/task/low-resource-named-entity-recognition" not in ner
    assert "https://paperswithcode.com/task/named-entity-recognition" in ner


def test_a_name_on_several_narrower_pages_links_to_the_one_that_holds_it():
    # "Action Recognition" is also an alias of task/early-action-prediction
    links = {iri for _, iri in _links("actionrecognition", "Task", "action recognition")}
    assert "https://paperswithcode.com/task/early-action-prediction" not in links
    assert links


def test_an_acronym_papers_define_links_nowhere_by_its_spelling():
    # arXiv papers define GRASP (a segmentation method, a skill proposer, ...); PwC has a dataset GraSP
    assert any("/dataset/" in e.iri for e in load_quality().vocabulary("grasp")), "PwC lists GraSP"
    assert _links("grasp", "Dataset", "GRASP") == ()


def test_a_short_name_alone_makes_no_close_link():
    assert any(e.iri for e in load_quality().vocabulary("ssl")), "the vocabulary has an entry named SSL"
    assert _links("ssl", "Concept", "SSL") == ()


# -- labels, long forms and spacing ----------------------------------------------------------------


def test_a_proper_name_keeps_its_number_and_case():
    tallies = Counter({("natural questions", "Dataset"): 2, ("Natural Questions", "Dataset"): 3})
    assert summarise("naturalquestion", tallies, [], 3).label == "Natural Questions"
    # papers write "natural questions" more often, but the field names the dataset Natural Questions
    tallies = Counter({("natural questions", "Dataset"): 5, ("Natural Questions", "Dataset"): 2})
    assert summarise("naturalquestion", tallies, [], 6).label == "Natural Questions"
    tallies = Counter({("Open Images", "Dataset"): 2})
    assert summarise("openimage", tallies, [], 2).label == "Open Images"
    assert summarise("vit", Counter({("ViTs", "Model"): 2}), [], 2).label == "ViT"  # an acronym's plural
    # a common noun still reads in the singular, even when a title capitalised it
    tallies = Counter({("chat logs", "Dataset"): 3, ("Chat Logs", "Dataset"): 1})
    assert summarise("chatlog", tallies, [], 3).label == "chat log"
    assert summarise("sparseautoencoder", Counter({("sparse autoencoders", "Method"): 2}), [], 1).label == (
        "sparse autoencoder"
    )


def test_a_defined_long_form_finds_its_entity(tmp_path):
    # the demo's EMMA: the long form was never a mention of its own
    summary = summarise("efficientmultimodaladaptation", Counter({("EMMA", "Method"): 3}), ["EMMA"], 1)
    assert lookup_key("Efficient Multi-Modal Adaptation") in summary.lookup_keys


def test_lookup_ignores_spacing_inside_a_name(tmp_path):
    store = one_paper(tmp_path, "We evaluate detectors on the OpenImages benchmark.", ent("OpenImages", "Dataset"))
    assert [m.name for m in lookup(store, "Open Images").matches] == ["OpenImages"]
    assert [m.name for m in lookup(store, "OpenImages").matches] == ["OpenImages"]


# -- benchmarks are datasets -----------------------------------------------------------------------


def test_a_name_papers_evaluate_on_as_a_benchmark_is_a_dataset(tmp_path):
    store = one_paper(tmp_path, AGENTS, defined("Frontier Puzzle Exam", "FPE", "Concept"), ent("Zeta Quiz", "Concept"))
    for name in ("Frontier Puzzle Exam", "Zeta Quiz"):
        (e,) = entities_keyed(store, name)
        assert values(store, ox.NamedNode(e), rdf.type) >= {str(pkg.Dataset.value)}, name
