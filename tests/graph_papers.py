"""Hand-made extractions of real papers from the seeds, for the graph tests (no model involved).

Titles and abstract sentences are copied from /work/shared/data/seeds; a few sentences are
written from them with another spelling (`ResNet-50`, `Naive Bayes`) or a different acronym
definition (`sentiment analysis (SA)`) to exercise the merge rules across papers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pyoxigraph as ox

from paperkg.extract.readers.dates import parse_date
from paperkg.extract.records import ExtractedEntity, Mention, Paper, PaperExtraction, ScoredRelation, Sentence
from paperkg.kg.ingest import add_extractions
from paperkg.kg.store import Store

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")


@dataclass(frozen=True)
class E:
    """An entity as the extractor would group it: name, type, the surface forms to find, acronym."""

    name: str
    type: str
    forms: tuple[str, ...]
    acronym: str | None = None


def ent(name: str, type_: str, *forms: str, acronym: str | None = None) -> E:
    return E(name, type_, forms or (name,), acronym)


def paper(key: str, title: str, abstract: str, line: int = 1) -> Paper:
    return Paper(key=key, title=title, abstract=abstract, source="seeds.txt", line=line)


def sentences(p: Paper) -> list[Sentence]:
    found = [Sentence("title", 0, 0, len(p.title), p.title)]
    start = 0
    for i, part in enumerate(_SENTENCE_END.split(p.abstract)):
        start = p.abstract.index(part, start)
        found.append(Sentence("abstract", i, start, start + len(part), part))
        start += len(part)
    return found


def extraction(
    p: Paper, *entities: E, abbreviations: Iterable[tuple[str, str]] = (), extractor: str = "hand-made 1"
) -> PaperExtraction:
    """Every occurrence of every form (whole words, longest first, no overlaps) becomes a mention."""
    sents = sentences(p)
    taken: list[tuple[str, int, int]] = []
    by_entity: dict[E, list[Mention]] = {e: [] for e in entities}
    candidates = []
    for e in entities:
        for form in e.forms:
            pattern = re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])")
            for fld in ("title", "abstract"):
                for m in pattern.finditer(getattr(p, fld)):
                    candidates.append((-(m.end() - m.start()), fld, m.start(), m.end(), e))
    for _, fld, start, end, e in sorted(candidates, key=lambda c: c[:4]):
        if any(f == fld and start < e2 and s2 < end for f, s2, e2 in taken):
            continue
        taken.append((fld, start, end))
        s = next(s for s in sents if s.field == fld and s.start <= start < s.end)
        by_entity[e].append(Mention(getattr(p, fld)[start:end], fld, start, end, s.index, e.type, "hand"))
    grouped = tuple(
        ExtractedEntity(
            e.name,
            e.type,
            tuple(f for f in e.forms if f != e.name),
            tuple(sorted(ms, key=lambda m: (m.field != "title", m.start))),
            e.acronym,
        )
        for e, ms in by_entity.items()
        if ms
    )
    return PaperExtraction(p, grouped, tuple(sents), tuple(abbreviations), extractor)


def build(path, *batches: list[PaperExtraction], chunk_size: int = 1000) -> Store:
    """A store at `path` with each batch added in its own transaction, as separate builds would."""
    store = Store(path)
    for batch in batches:
        with store.transaction() as db:
            add_extractions(db, batch, chunk_size=chunk_size)
    return store


def triples(store: Store, *, without_builds: bool = True) -> set[str]:
    """The store's triples as N-Triples lines; build nodes dropped and build IRIs blanked."""
    lines = set()
    for q in store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        s, p, o = str(q.subject), str(q.predicate), str(q.object)
        if without_builds:
            if "/build/" in s:
                continue
            o = re.sub(r"<[^>]*/build/\d+>", "<BUILD>", o)
        lines.add(f"{s} {p} {o}")
    return lines


# -- the papers ------------------------------------------------------------------------------------

VSAE = paper(
    "title:analysis of variational sparse autoencoders",
    "Analysis of Variational Sparse Autoencoders",
    "Sparse Autoencoders (SAEs) have emerged as a promising approach for interpreting neural network "
    "representations by learning sparse, human-interpretable features from dense activations. We "
    "introduce the Variational Sparse Autoencoder (vSAE), which replaces deterministic ReLU gating "
    "with stochastic sampling from learned Gaussian posteriors and incorporates KL divergence "
    "regularization toward a standard normal prior. We evaluate a TopK vSAE against a standard TopK "
    "SAE on Pythia-70M transformer residual stream activations using comprehensive benchmarks "
    "including SAE Bench, individual feature interpretability analysis, and global latent space "
    "visualization through t-SNE. The vSAE underperforms standard SAE across core evaluation "
    "metrics, though excels at feature independence and ablation metrics.",
    line=21,
)
TRANSCODERS = paper(
    "arxiv:2406.11944",
    "Transcoders Find Interpretable LLM Feature Circuits",
    "In particular, interpretable features -- such as those found by sparse autoencoders (SAEs) -- "
    "are typically linear combinations of extremely many neurons, each with its own nonlinearity to "
    "account for. We successfully train transcoders on language models with 120M, 410M, and 1.4B "
    "parameters, and find them to perform at least on par with SAEs in terms of sparsity, "
    "faithfulness, and human-interpretability. Finally, we apply transcoders to reverse-engineer "
    "unknown circuits in the model, and we obtain novel insights regarding the greater-than circuit "
    "in GPT2-small.",
    line=89,
)
PROBE = paper(
    "title:hyperdimensional probe decoding llm representations via vector symbolic architectures",
    "Hyperdimensional Probe: Decoding LLM Representations via Vector Symbolic Architectures",
    "Current interpretability methods, such as direct logit attribution (DLA) and sparse "
    "autoencoders (SAEs), provide restricted insight due to limitations such as the model's output "
    "vocabulary or unclear feature names. This probe combines the strengths of SAEs and conventional "
    "probes while overcoming their key limitations.",
    line=293,
)
# SAEs with no definition: links to sparse autoencoders once a paper defines them, and only then
PROBE_UNDEFINED = paper(
    "title:hyperdimensional probe (excerpt)",
    "Hyperdimensional Probe (excerpt)",
    "This probe combines the strengths of SAEs and conventional probes while overcoming their key limitations.",
    line=294,
)
ANCHORED = paper(
    "arxiv:2405.03205",
    "Anchored Answers: Unravelling Positional Bias in GPT-2's Multiple-Choice Questions",
    "Large Language Models (LLMs), such as the GPT-4 and LLaMA families, have demonstrated "
    "considerable success across diverse tasks, including multiple-choice questions (MCQs). However, "
    "these models exhibit a positional bias, particularly an even worse anchored bias in the GPT-2 "
    "family, where they consistently favour the first choice 'A' in MCQs during inference. This work "
    "represents the first comprehensive mechanistic analysis of anchored bias in MCQs within the "
    "GPT-2 models, introducing targeted, minimal-intervention strategies that significantly enhance "
    "GPT2 model robustness and accuracy in MCQs.",
    line=109,
)
SONAR = paper(
    "arxiv:2408.12837",
    "Underwater SONAR Image Classification and Analysis using LIME-based Explainable Artificial Intelligence",
    "An extensive analysis of transfer learning techniques for image classification using benchmark "
    "Convolutional Neural Network (CNN) architectures such as VGG16, ResNet50, InceptionV3, "
    "DenseNet121, etc. is carried out. On top of this classification model, a post-hoc XAI technique, "
    "viz. Local Interpretable Model-Agnostic Explanations (LIME) are incorporated to provide "
    "transparent justifications for the model's decisions by perturbing input data locally to see how "
    "predictions change. Furthermore, Submodular Picks LIME (SP-LIME) a version of LIME particular to "
    "images, that perturbs the image based on the submodular picks is also extensively studied.",
    line=121,
)
# the same sentence with another spelling of the model
SONAR_VARIANT = paper(
    "title:sonar variant",
    "Transfer Learning for SONAR Images",
    "An extensive analysis of transfer learning techniques for image classification using benchmark "
    "CNN architectures such as VGG16 and ResNet-50 is carried out.",
    line=2,
)
TSETLIN = paper(
    "arxiv:1809.04547",
    "Using the Tsetlin Machine to Learn Human-Interpretable Rules for High-Accuracy Text "
    "Categorization with Medical Applications",
    'Our empirical comparison with Na\\"ive Bayes, decision trees, linear support vector machines '
    "(SVMs), random forest, long short-term memory (LSTM) neural networks, and other techniques, is "
    "quite conclusive. The Tsetlin Machine either performs on par with or outperforms all of the "
    "evaluated methods on both the 20 Newsgroups and IMDb datasets, as well as on a non-public "
    "clinical dataset.",
    line=245,
)
TSETLIN_PLAIN = paper(
    "title:naive bayes baseline",
    "A Naive Bayes Baseline",
    "We compare the Tsetlin Machine with Naive Bayes on the IMDb dataset.",
    line=3,
)
PROTOPNET = paper(
    "arxiv:2212.05946",
    "Evaluation and Improvement of Interpretability for Self-Explainable Part-Prototype Networks",
    "Furthermore, we propose an elaborated part-prototype network with a shallow-deep feature "
    "alignment (SDFA) module and a score aggregation (SA) module to improve the interpretability of "
    "prototypes.",
    line=37,
)
SELF_EXPLAIN = paper(
    "arxiv:2310.11207",
    "Can Large Language Models Explain Themselves? A Study of LLM-Generated Self-Explanations",
    "In this paper, we investigate this question on the task of sentiment analysis (SA) and for "
    "feature attribution explanation, one of the most commonly studied settings in the "
    "interpretability literature. We compare self-explanations to traditional explanation methods "
    "such as occlusion or LIME saliency maps.",
    line=277,
)
# SA used without a definition while two papers define it differently: stays on its own
SA_UNDEFINED = paper(
    "title:sa without definition",
    "Explaining Scores",
    "The SA module aggregates the similarity scores of the prototypes.",
    line=4,
)

SAE = ent("sparse autoencoders", "Method", "Sparse Autoencoders", "sparse autoencoders", "SAEs", "SAE", acronym="SAE")
SAES_ONLY = ent("SAEs", "Method", "SAEs")


def vsae() -> PaperExtraction:
    return extraction(
        VSAE,
        SAE,
        ent(
            "Variational Sparse Autoencoder",
            "Method",
            "Variational Sparse Autoencoders",
            "Variational Sparse Autoencoder",
            "vSAE",
            acronym="vSAE",
        ),
        ent("Pythia-70M", "Model"),
        ent("SAE Bench", "Dataset"),
        ent("evaluation metrics", "Metric"),
        abbreviations=[("SAEs", "Sparse Autoencoders"), ("vSAE", "Variational Sparse Autoencoder")],
    )


def transcoders() -> PaperExtraction:
    return extraction(
        TRANSCODERS,
        ent("sparse autoencoders", "Method", "sparse autoencoders", "SAEs", acronym="SAEs"),
        ent("transcoders", "Method", "Transcoders", "transcoders"),
        ent("GPT2-small", "Model"),
        abbreviations=[("SAEs", "sparse autoencoders")],
    )


def probe() -> PaperExtraction:
    return extraction(
        PROBE,
        ent("interpretability methods", "Method"),
        ent("direct logit attribution", "Method", "direct logit attribution", "DLA", acronym="DLA"),
        ent("sparse autoencoders", "Method", "sparse autoencoders", "SAEs", acronym="SAEs"),
        abbreviations=[("DLA", "direct logit attribution"), ("SAEs", "sparse autoencoders")],
    )


def probe_undefined() -> PaperExtraction:
    return extraction(PROBE_UNDEFINED, SAES_ONLY)


def anchored() -> PaperExtraction:
    return extraction(
        ANCHORED,
        ent("Large Language Models", "Method", "Large Language Models", "LLMs", acronym="LLMs"),
        ent("GPT-4", "Model"),
        ent("LLaMA", "Model"),
        ent("GPT-2", "Model", "GPT-2", "GPT2"),
        ent("multiple-choice questions", "Task", "multiple-choice questions", "MCQs", acronym="MCQs"),
        ent("accuracy", "Metric"),
        abbreviations=[("LLMs", "Large Language Models"), ("MCQs", "multiple-choice questions")],
    )


def anchored_split() -> PaperExtraction:
    """The same paper with `GPT2` grouped apart from `GPT-2`, as an extractor might."""
    return extraction(ANCHORED, ent("GPT-2", "Model"), ent("GPT2", "Model"), ent("GPT-4", "Model"))


def sonar() -> PaperExtraction:
    return extraction(
        SONAR,
        ent("Convolutional Neural Network", "Method", "Convolutional Neural Network", "CNN", acronym="CNN"),
        ent("VGG16", "Model"),
        ent("ResNet50", "Model"),
        ent("InceptionV3", "Model"),
        ent("DenseNet121", "Model"),
        ent(
            "Local Interpretable Model-Agnostic Explanations",
            "Method",
            "Local Interpretable Model-Agnostic Explanations",
            "LIME",
            acronym="LIME",
        ),
        ent("Submodular Picks LIME", "Method", "Submodular Picks LIME", "SP-LIME", acronym="SP-LIME"),
        ent("image classification", "Task"),
        abbreviations=[
            ("CNN", "Convolutional Neural Network"),
            ("LIME", "Local Interpretable Model-Agnostic Explanations"),
            ("SP-LIME", "Submodular Picks LIME"),
        ],
    )


def sonar_variant() -> PaperExtraction:
    return extraction(
        SONAR_VARIANT,
        ent("CNN", "Method"),
        ent("VGG16", "Model"),
        ent("ResNet-50", "Model"),
        ent("image classification", "Task"),
    )


def tsetlin() -> PaperExtraction:
    return extraction(
        TSETLIN,
        ent('Na\\"ive Bayes', "Method"),
        ent("decision trees", "Method"),
        ent("Tsetlin Machine", "Method"),
        ent("20 Newsgroups", "Dataset"),
        ent("IMDb", "Dataset"),
    )


def tsetlin_plain() -> PaperExtraction:
    return extraction(
        TSETLIN_PLAIN, ent("Naive Bayes", "Method"), ent("Tsetlin Machine", "Method"), ent("IMDb", "Dataset")
    )


def protopnet() -> PaperExtraction:
    return extraction(
        PROTOPNET,
        ent("part-prototype network", "Method"),
        ent("shallow-deep feature alignment", "Method", "shallow-deep feature alignment", "SDFA", acronym="SDFA"),
        ent("score aggregation", "Method", "score aggregation", "SA", acronym="SA"),
        abbreviations=[("SDFA", "shallow-deep feature alignment"), ("SA", "score aggregation")],
    )


def self_explain() -> PaperExtraction:
    return extraction(
        SELF_EXPLAIN,
        ent("sentiment analysis", "Task", "sentiment analysis", "SA", acronym="SA"),
        ent("feature attribution explanation", "Method"),
        ent("LIME saliency maps", "Method"),
        abbreviations=[("SA", "sentiment analysis")],
    )


def sa_undefined() -> PaperExtraction:
    return extraction(SA_UNDEFINED, ent("SA", "Method"))


def all_papers() -> list[PaperExtraction]:
    return [
        vsae(),
        transcoders(),
        probe(),
        probe_undefined(),
        anchored(),
        sonar(),
        sonar_variant(),
        tsetlin(),
        tsetlin_plain(),
        protopnet(),
        self_explain(),
        sa_undefined(),
    ]


# Dates in the order of all_papers(): a year-only one ("2025") and one without a year ("Oct 16").
# The paper that uses "SAEs" undefined comes early, so a later definition relinks it.
DATES = [
    "2025-03-10",
    "2025-05-02",
    "2025-05-20",
    "2025-02-01",
    "2025-06-11",
    "2025",
    "2025-07-01",
    "Oct 16",
    "2025-08-08",
    "2025-09-09",
    "2025-09-30",
    "2025-02-14",
]
DATE_OF = {ex.paper.key: text for ex, text in zip(all_papers(), DATES)}


def dated(ex: PaperExtraction) -> PaperExtraction:
    """`ex` with its paper dated as DATES says."""
    text = DATE_OF[ex.paper.key]
    date, year = parse_date(text)
    return replace(ex, paper=replace(ex.paper, date=date, date_text=text, year=year))


def all_dated() -> list[PaperExtraction]:
    return [dated(ex) for ex in all_papers()]


def scored(ex: PaperExtraction, subject: str, relation: str, obj: str, score: float) -> PaperExtraction:
    """`ex` with the relation scorer having found `subject relation obj` in its abstract."""
    text = ex.paper.abstract
    s, o = text.index(subject), text.index(obj)
    found = ScoredRelation("abstract", (s, s + len(subject)), (o, o + len(obj)), relation, score)
    return replace(ex, relations=(*ex.relations, found))
