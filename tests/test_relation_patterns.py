"""The relation patterns added for issue 26: coordination, appositives, a method's material, and
what sentences about the paper's own work say of its proposal (`kg.relations`)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from graph_papers import ent, extraction, paper

from paperkg.extract.records import ScoredRelation
from paperkg.kg.linking import link_locally
from paperkg.kg.relations import Span, sentence_relation_patterns


def found(text: str, *mentions: tuple[str, str]) -> dict[tuple[str, str, str], set[str]]:
    """(subject, relation, object) -> patterns, for mentions given as (text, type): the first
    whole-word occurrence of each, named by its text."""
    spans = []
    for name, entity_type in mentions:
        m = re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text)
        assert m is not None, name
        spans.append(Span(m.start(), m.end(), entity_type, name))
    return {(str(s), r, str(o)): p for (s, r, o), p in sentence_relation_patterns(text, spans).items()}


@pytest.mark.parametrize(
    ("text", "mentions", "expected"),
    [
        (
            "The model also outperforms strong baselines on RoboVQA and WorldPrediction.",
            [("RoboVQA", "Dataset"), ("WorldPrediction", "Dataset")],
            {("RoboVQA", "conjunctionWith", "WorldPrediction")},
        ),
        (  # a list closed by "and": each item with the next
            "For retrieval, we ensemble similarity scores from CLIP, SigLIP, and DINOv2.",
            [("CLIP", "Model"), ("SigLIP", "Model"), ("DINOv2", "Model")],
            {("CLIP", "conjunctionWith", "SigLIP"), ("SigLIP", "conjunctionWith", "DINOv2")},
        ),
        (  # methods and models are one kind
            "This fusion of ViT and dual attention enables the model to describe images.",
            [("ViT", "Model"), ("dual attention", "Method")],
            {("ViT", "conjunctionWith", "dual attention")},
        ),
        (  # used together
            "These results highlight the benefit of combining slice-based representations with volumetric modeling.",
            [("slice-based representations", "Method"), ("volumetric modeling", "Method")],
            {("slice-based representations", "conjunctionWith", "volumetric modeling")},
        ),
    ],
)
def test_coordinated_mentions_of_one_kind_are_in_conjunction(text, mentions, expected):
    relations = found(text, *mentions)
    assert {k for k, p in relations.items() if "coordinated" in p} == expected


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        # a comma that no "and" closes ends a phrase, not a list item
        ("For ViT, CLIP gives the best features.", [("ViT", "Model"), ("CLIP", "Model")]),
        # different kinds: a clause joined by "and", not a list
        ("LLSA reaches high accuracy and DiT training gets faster.", [("accuracy", "Metric"), ("DiT", "Method")]),
    ],
)
def test_no_conjunction_outside_a_list_of_one_kind(text, mentions):
    assert not any(r == "conjunctionWith" for _, r, _ in found(text, *mentions))


@pytest.mark.parametrize(
    ("text", "mentions", "expected"),
    [
        (
            "In this work, we present Voyager, a novel video diffusion framework that generates point clouds.",
            [("Voyager", "Method"), ("video diffusion framework", "Method")],
            {("Voyager", "hyponymOf", "video diffusion framework")},
        ),
        (
            "HemBLIP: A Vision-Language Model for Interpretable Leukemia Cell Morphology Analysis",
            [
                ("HemBLIP", "Model"),
                ("Vision-Language Model", "Method"),
                ("Interpretable Leukemia Cell Morphology Analysis", "Task"),
            ],
            {
                ("HemBLIP", "hyponymOf", "Vision-Language Model"),
                ("Vision-Language Model", "usedFor", "Interpretable Leukemia Cell Morphology Analysis"),
                ("HemBLIP", "usedFor", "Interpretable Leukemia Cell Morphology Analysis"),
            },
        ),
        (
            "We present MedicalPatchNet, an inherently self-explainable architecture for chest X-ray classification.",
            [("MedicalPatchNet", "Method"), ("chest X-ray classification", "Task")],
            {("MedicalPatchNet", "usedFor", "chest X-ray classification")},
        ),
        (  # the class is the whole phrase: no "MetaSpatial is a reinforcement learning"
            "We present MetaSpatial, the first reinforcement learning (RL)-based framework for layouts.",
            [("MetaSpatial", "Method"), ("reinforcement learning", "Method")],
            set(),
        ),
        (  # the long form of the name is the same thing, not its class
            "We propose MAPA: a multi-turn adaptive prompting attack that alternates attack actions.",
            [("MAPA", "Method"), ("multi-turn adaptive prompting attack", "Method")],
            set(),
        ),
        (  # the appositive describes both conjuncts, not the last
            "We combine a Hybrid Network plus ResNet18, a two-stage AI framework, for detection.",
            [("Hybrid Network", "Method"), ("ResNet18", "Model"), ("two-stage AI framework", "Method")],
            set(),
        ),
        (  # a lower-case phrase is a description, not a name with a class
            "We build a probabilistic framework, a hierarchical sparse prior over the weights.",
            [("probabilistic framework", "Method"), ("hierarchical sparse prior", "Concept")],
            set(),
        ),
    ],
)
def test_an_appositive_gives_a_name_its_class_and_purpose(text, mentions, expected):
    relations = found(text, *mentions)
    appositive = {"apposition", "described-for", "used-for"}
    assert {k for k, p in relations.items() if p & appositive and k[1] != "conjunctionWith"} == expected


def test_a_method_built_from_another_uses_it():
    text = "MambaAligner uses stacked Vision Mamba blocks as a backbone to model temporal dependencies."
    relations = found(text, ("MambaAligner", "Method"), ("Vision Mamba", "Method"))
    assert relations == {("Vision Mamba", "usedFor", "MambaAligner"): {"builds-on"}}


def proposal_relations(title: str, abstract: str, *entities) -> set[tuple[str, str, str, str]]:
    """(subject text, relation, object text, pattern) of the proposal patterns in a linked paper."""
    links = link_locally(extraction(paper("title:p", title, abstract), *entities))
    text = {lm.iri: lm.mention.text for lm in links.paper.mentions}
    return {
        (text[r.subject], r.relation, text[r.object], pattern)
        for r in links.paper.relations
        for pattern in r.patterns
        if pattern.startswith(("proposal-", "coined-"))
    }


def test_what_own_work_sentences_say_of_the_proposal():
    relations = proposal_relations(
        "DeCoNet: Prototype Detection for Open Scenes",
        "We propose DeCoNet, a detector built on CLIPSeg. "
        "Built on CLIPSeg, we reach 80% accuracy on COCO. "
        "Our method outperforms SAM on LVIS. "
        "We design a center-enhanced CAM consistency module to refine features. "
        "We also analyse GPT-4 as a judge.",
        ent("DeCoNet", "Method"),
        ent("CLIPSeg", "Model"),
        ent("SAM", "Model"),
        ent("COCO", "Dataset"),
        ent("LVIS", "Dataset"),
        ent("center-enhanced CAM consistency module", "Method"),
        ent("GPT-4", "Model"),
    )
    assert ("CLIPSeg", "usedFor", "DeCoNet", "proposal-uses") in relations
    # the method it is built with does not make the sentence about another method
    assert ("DeCoNet", "evaluatedOn", "COCO", "proposal-role") in relations
    assert ("DeCoNet", "comparedWith", "SAM", "proposal-compared") in relations
    assert ("center-enhanced CAM consistency module", "partOf", "DeCoNet", "proposal-part") in relations
    # what the paper studies is not what it is built with
    assert not any("GPT-4" in (s, o) for s, _, o, _ in relations)


@pytest.mark.parametrize(
    ("title", "abstract", "other", "expected"),
    [
        (  # a cue of use that governs another clause is not the proposal's
            "DeCoNet: Prototype Detection for Open Scenes",
            "We propose DeCoNet for detection. Using these datasets, we benchmark LLaMA-3 and DeCoNet.",
            ("LLaMA-3", "Model"),
            set(),
        ),
        (  # in a title without "for", what comes before its means is the purpose
            "Natural Human Motion Recovery by Aligning Temporal Dynamics",
            "We propose DeCoNet, which aligns temporal dynamics.",
            ("Natural Human Motion Recovery", "Task"),
            {("DeCoNet", "usedFor", "Natural Human Motion Recovery", "proposal-role")},
        ),
    ],
)
def test_what_one_sentence_says_of_the_proposal(title, abstract, other, expected):
    relations = proposal_relations(title, abstract, ent("DeCoNet", "Method"), ent(*other))
    assert {r for r in relations if other[0] in (r[0], r[2])} == expected


# the patterns added from reading sentences with two or more linked mentions and no relation: each
# case names one pattern and what it alone finds in the sentence (nothing, for the negatives)
@pytest.mark.parametrize(
    ("pattern", "text", "mentions", "expected"),
    [
        (
            "experiments-show",
            "Extensive experiments on PASCAL VOC and MS COCO validate that CPF-CTE surpasses prior methods.",
            [("PASCAL VOC", "Dataset"), ("MS COCO", "Dataset"), ("CPF-CTE", "Method")],
            {("CPF-CTE", "evaluatedOn", "PASCAL VOC"), ("CPF-CTE", "evaluatedOn", "MS COCO")},
        ),
        (
            "experiments-show",
            "On the Waterbirds dataset, LaViD substantially improves worst-group accuracy.",
            [("Waterbirds", "Dataset"), ("LaViD", "Method")],
            {("LaViD", "evaluatedOn", "Waterbirds")},
        ),
        (  # what follows "show that" is what was run, not a method the result is about
            "experiments-show",
            "Experiments on COCO show that while existing MLLMs falter, our model holds up.",
            [("COCO", "Dataset"), ("MLLMs", "Method")],
            set(),
        ),
        (  # a dataset outside a clause of experiments
            "experiments-show",
            "We release COCO-Text and show that CLIP fails on it.",
            [("COCO-Text", "Dataset"), ("CLIP", "Model")],
            set(),
        ),
        (
            "achieves-in",
            "Vision Language Models have achieved remarkable breakthroughs in the field of remote sensing.",
            [("Vision Language Models", "Method"), ("remote sensing", "Task")],
            {("Vision Language Models", "usedFor", "remote sensing")},
        ),
        (
            "achieves-in",
            "Experiments show that MIC-BEV achieves state-of-the-art performance in 3D object detection.",
            [("MIC-BEV", "Method"), ("3D object detection", "Task")],
            {("MIC-BEV", "usedFor", "3D object detection")},
        ),
        (  # a shortcoming in the task is no use for it
            "achieves-in",
            "GNNs often suffer from degree bias in node classification.",
            [("GNNs", "Method"), ("node classification", "Task")],
            set(),
        ),
        (
            "purpose-lead",
            "For decoding audio tokens in a streaming manner, we introduce a sliding-window DiT that restricts it.",
            [("decoding audio tokens", "Task"), ("sliding-window DiT", "Method")],
            {("sliding-window DiT", "usedFor", "decoding audio tokens")},
        ),
        (  # the purpose must open the sentence
            "purpose-lead",
            "Beyond segmentation, we introduce U-Net++ for detection.",
            [("segmentation", "Task"), ("U-Net++", "Model")],
            set(),
        ),
        (
            "trained-from",
            "We present Datarus-R1-14B, a 14B-parameter language model fine-tuned from Qwen to act as an analyst.",
            [("Datarus-R1-14B", "Model"), ("Qwen", "Model")],
            {("Qwen", "usedFor", "Datarus-R1-14B")},
        ),
        (  # the last of several names is not the one trained
            "trained-from",
            "We compare GPT-4 and Llama-3, fine-tuned from Llama-2.",
            [("GPT-4", "Model"), ("Llama-3", "Model"), ("Llama-2", "Model")],
            set(),
        ),
        (
            "measured-by",
            "In system-level evaluation, TASER achieves the highest soft pairwise accuracy in both settings.",
            [("TASER", "Method"), ("soft pairwise accuracy", "Metric")],
            {("TASER", "evaluatedWith", "soft pairwise accuracy")},
        ),
        (
            "measured-by",
            "Notably, DeNuC improves F1 scores by 4.2% on two datasets.",
            [("DeNuC", "Method"), ("F1 scores", "Metric")],
            {("DeNuC", "evaluatedWith", "F1 scores")},
        ),
        (  # a size with a decimal point in the appositive
            "trained-from",
            "We release Nano-R1, a 1.5B-parameter model fine-tuned from Qwen2.5.",
            [("Nano-R1", "Model"), ("Qwen2.5", "Model")],
            {("Qwen2.5", "usedFor", "Nano-R1")},
        ),
        (  # values with decimal points before the datasets
            "evaluated-on",
            "Dynin-Omni achieves 87.6 on GSM8K and 61.4 on VideoMME.",
            [("Dynin-Omni", "Model"), ("GSM8K", "Dataset"), ("VideoMME", "Dataset")],
            {("Dynin-Omni", "evaluatedOn", "GSM8K"), ("Dynin-Omni", "evaluatedOn", "VideoMME")},
        ),
        (  # a backbone a preposition governs is not what reaches the result
            "evaluated-on",
            "With ResNet-18, SaluNet-C-18 achieves 97% on CIFAR-10.",
            [("ResNet-18", "Model"), ("CIFAR-10", "Dataset")],
            set(),
        ),
        (  # ... nor a model a comparison names before the subject
            "evaluated-on",
            "Rivaling models like Qwen3-235B and o3, AM-Thinking-v1 achieves 85 on AIME 2024.",
            [("Qwen3-235B", "Model"), ("o3", "Model"), ("AIME 2024", "Dataset")],
            set(),
        ),
        (  # a value with a decimal point before the metric
            "measured-by",
            "On this benchmark, GPT-5.4 reaches 51.90% top-1 accuracy.",
            [("GPT-5.4", "Model"), ("top-1 accuracy", "Metric")],
            {("GPT-5.4", "evaluatedWith", "top-1 accuracy")},
        ),
        (  # a metric the sentence does not measure the method by
            "measured-by",
            "DeNuC, unlike methods tuned for accuracy, is fast.",
            [("DeNuC", "Method"), ("accuracy", "Metric")],
            set(),
        ),
        (
            "improves",
            "For videos, FRAG substantially improves InternVL2-76B by 5.8% on MLVU.",
            [("FRAG", "Method"), ("InternVL2-76B", "Model")],
            {("FRAG", "usedFor", "InternVL2-76B")},
        ),
        (
            "improves",
            "Recent advances in RL have strengthened the reasoning capabilities of VLMs.",
            [("RL", "Method"), ("VLMs", "Method")],
            {("RL", "usedFor", "VLMs")},
        ),
        (  # improving over a baseline is a comparison, not a use
            "improves",
            "FRAG improves over InternVL2-76B by 5.8%.",
            [("FRAG", "Method"), ("InternVL2-76B", "Model")],
            set(),
        ),
        (  # a plain list relates neighbours only, as SciERC marks conjunctions (`coordinated`)
            "listed",
            "We compare CLIP, ALIGN, and BLIP on retrieval.",
            [("CLIP", "Model"), ("ALIGN", "Model"), ("BLIP", "Model")],
            set(),
        ),
        (  # what is combined with a list is in conjunction with each of its items
            "listed",
            "The method combines CLIP with ALIGN and BLIP.",
            [("CLIP", "Model"), ("ALIGN", "Model"), ("BLIP", "Model")],
            {("CLIP", "conjunctionWith", "BLIP")},
        ),
        (  # a list closed by "and" takes no item after it
            "listed",
            "We compare CLIP and ALIGN with BLIP.",
            [("CLIP", "Model"), ("ALIGN", "Model"), ("BLIP", "Model")],
            set(),
        ),
        (  # a list of three or more, its items of several kinds
            "list-of-kinds",
            "It organizes cache, sparse attention, token pruning, and quantization into a stack.",
            [("sparse attention", "Method"), ("token pruning", "Task"), ("quantization", "Concept")],
            {
                ("sparse attention", "conjunctionWith", "token pruning"),
                ("token pruning", "conjunctionWith", "quantization"),
            },
        ),
        (  # two things of different kinds joined by "and" are two clauses' parts, not a list
            "list-of-kinds",
            "LLSA reaches high accuracy and DiT training gets faster.",
            [("accuracy", "Metric"), ("DiT", "Method")],
            set(),
        ),
        (  # what a name's appositive says it is built on
            "described-builds-on",
            "We introduce TAPO, a novel reinforcement learning framework built upon GRPO and DAPO.",
            [("TAPO", "Method"), ("reinforcement learning", "Method"), ("GRPO", "Method"), ("DAPO", "Method")],
            {("GRPO", "usedFor", "TAPO"), ("DAPO", "usedFor", "TAPO")},
        ),
        (  # ... or a title's subtitle
            "described-builds-on",
            "Geo4D: Leveraging Video Generators for Geometric 4D Scene Reconstruction",
            [("Geo4D", "Method"), ("Video Generators", "Method"), ("Geometric 4D Scene Reconstruction", "Task")],
            {("Video Generators", "usedFor", "Geo4D")},
        ),
        (  # a clause after a common phrase, not a name's appositive: "our approach" uses it
            "described-builds-on",
            "Instead of relying on parameter sampling, our approach utilizes Sequential Event-Space Calibrator.",
            [("parameter sampling", "Method"), ("Sequential Event-Space Calibrator", "Method")],
            set(),
        ),
        (  # the last of several names is not the whole subject
            "described-builds-on",
            "We pair LoRA and QLoRA, a method built on quantized weights.",
            [("LoRA", "Method"), ("QLoRA", "Method"), ("quantized weights", "Concept")],
            set(),
        ),
        (  # a relative clause of use
            "builds-on",
            "Vision-language models, notably CLIP, that utilize contrastive learning extract general features.",
            [("CLIP", "Model"), ("contrastive learning", "Method")],
            {("contrastive learning", "usedFor", "CLIP")},
        ),
    ],
)
def test_each_new_pattern_finds_its_relations_and_no_others(pattern, text, mentions, expected):
    assert {k for k, p in found(text, *mentions).items() if pattern in p} == expected


def test_a_coined_name_the_paper_proposes_is_its_proposal_when_it_proposes_no_method():
    relations = proposal_relations(
        "CoPe: Personalized Decoding",
        "We propose CoPe, a decoding approach built on LLaMA-3. CoPe is evaluated on LaMP.",
        ent("CoPe", "Concept"),
        ent("LLaMA-3", "Model"),
        ent("LaMP", "Dataset"),
    )
    assert ("LLaMA-3", "usedFor", "CoPe", "proposal-uses") in relations
    assert ("CoPe", "evaluatedOn", "LaMP", "proposal-role") in relations
    assert ("CoPe", "evaluatedOn", "LaMP", "coined-proposal") in relations  # marked, to be judged apart


def test_a_lower_case_concept_is_no_proposal():
    relations = proposal_relations(
        "Personalized decoding",
        "We propose contrastive decoding, an approach built on LLaMA-3.",
        ent("contrastive decoding", "Concept"),
        ent("LLaMA-3", "Model"),
    )
    assert relations == set()


def test_a_proposed_dataset_is_for_its_tasks_and_uses_no_model_trained_on_it():
    relations = proposal_relations(
        "V2U4Real: A Dataset for Cooperative Perception",
        "We present V2U4Real, a dataset for cooperative perception. We evaluate on V2U4Real and OPV2V. "
        "We fine-tune BEVFusion on our data, built on nuScenes.",
        ent("V2U4Real", "Dataset"),
        ent("cooperative perception", "Task"),
        ent("OPV2V", "Dataset"),
        ent("BEVFusion", "Model"),
        ent("nuScenes", "Dataset"),
    )
    assert ("V2U4Real", "usedFor", "cooperative perception", "proposal-role") in relations
    assert ("nuScenes", "usedFor", "V2U4Real", "proposal-uses") in relations
    assert not any(r[1] == "evaluatedOn" or "BEVFusion" in r for r in relations)


def test_a_coined_concept_is_not_evaluated_with_the_metrics_its_sentences_report():
    relations = proposal_relations(
        "ASI: An Agent Stability Index",
        "We propose ASI to measure drift. With ASI, we report higher accuracy on long tasks.",
        ent("ASI", "Concept"),
        ent("accuracy", "Metric"),
    )
    assert not any(r[1] == "evaluatedWith" for r in relations)


def test_a_name_built_on_another_the_paper_names_uses_it():
    links = link_locally(
        extraction(
            paper("title:p", "Agents", "LLMs plan well. We study LLM-based agents and pose-based tracking."),
            ent("LLMs", "Method"),
            ent("LLM-based agents", "Method"),
            ent("pose-based tracking", "Task"),
        )
    )
    text = {lm.iri: lm.mention.text for lm in links.paper.mentions}
    based = {(text[r.subject], r.relation, text[r.object]) for r in links.paper.relations if "name-based" in r.patterns}
    # "pose" is no method the paper names
    assert based == {("LLMs", "usedFor", "LLM-based agents")}


def title_relations(title: str, abstract: str, scored: tuple, *entities) -> dict[tuple[str, str, str], set[str]]:
    """(subject, relation, object) -> patterns of a linked paper whose title the scorer related
    `scored` in ((subject, relation, object) texts, each argument's first occurrence in the title)."""
    found = tuple(
        ScoredRelation(
            "title", (title.index(a), title.index(a) + len(a)), (title.index(b), title.index(b) + len(b)), r, 0.8
        )
        for a, r, b in scored
    )
    links = link_locally(replace(extraction(paper("title:t", title, abstract), *entities), relations=found))
    text = {lm.iri: lm.mention.text for lm in links.paper.mentions}
    return {(text[r.subject], r.relation, text[r.object]): set(r.patterns) for r in links.paper.relations}


def test_a_title_relates_its_proposal_to_what_it_is_for_and_to_what_its_description_is_related_to():
    relations = title_relations(
        "MoAlign: Motion-Centric Alignment of Optical Flow for Stable Diffusion with Flow Matching",
        "We propose MoAlign.",
        (
            ("Optical Flow", "usedFor", "Motion-Centric Alignment"),
            ("Motion-Centric Alignment", "conjunctionWith", "Flow Matching"),
        ),
        ent("MoAlign", "Method"),
        ent("Motion-Centric Alignment", "Method"),
        ent("Optical Flow", "Method"),
        ent("Stable Diffusion", "Model"),
        ent("Flow Matching", "Method"),
    )
    assert relations[("MoAlign", "usedFor", "Stable Diffusion")] == {"title-for"}
    assert relations[("Optical Flow", "usedFor", "MoAlign")] == {"title-description"}
    # what comes before "for" is what the proposal is or is made of, what comes after "with" its means
    assert not any(s == "MoAlign" and o in ("Optical Flow", "Flow Matching") for s, _, o in relations)
    # the description's conjunct is part of MoAlign, not MoAlign's conjunct
    assert not any("MoAlign" in (s, o) and r == "conjunctionWith" for s, r, o in relations)


def test_a_title_says_what_its_proposal_is_for_only_when_it_names_it_before_the_colon():
    relations = title_relations(
        "Faster Decoding: Sparse Attention for Stable Diffusion",
        "We propose MoAlign.",
        (),
        ent("MoAlign", "Method"),
        ent("Stable Diffusion", "Model"),
    )
    assert not any(p & {"title-for", "title-description"} for p in relations.values())
