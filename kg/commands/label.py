"""`kg label`: a teacher pipeline labels corpus abstracts as silver training data for `kg train --silver`."""

from __future__ import annotations

import click

from paperkg.kg.commands._options import directory_option, out_dir_option


@click.command()
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False, path_type=str))
@out_dir_option("Directory for the labelled shards (silver-000.spacy, ...).")
@directory_option(
    "--teacher",
    "The pipeline whose most accurate recogniser labels (its voting members if it has them, else its "
    "single model) [default: the shipped pipeline's three voting members, as --accurate runs them].",
)
@click.option(
    "--abstracts",
    "n",
    type=click.IntRange(min=1),
    default=10000,
    show_default=True,
    help="How many abstracts to label (a seeded random sample of the corpus).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the sample.")
@click.option(
    "--shard-size",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="Abstracts per shard; finished shards are kept, so a stopped run resumes.",
)
def label(corpus: str, out_dir: str, teacher: str | None, n: int, seed: int, shard_size: int) -> None:
    """Label unlabelled abstracts with a teacher pipeline, for training a student on them.

    CORPUS is JSON Lines (gzipped or not) with `title` and `abstract`, such as
    ../shared/data/arxiv-ai/arxiv-ai-2025-2026.jsonl.gz. The teacher reads each sampled paper
    as `kg extract --accurate` does (title and abstract as one text, paperkg's tokenizer) and
    its recogniser's entities (SciERC labels, after the members' vote) are saved with the tokens
    as spaCy DocBin shards in OUT. One process: about 35 abstracts/s with the three-member
    teacher on an idle core, 25-30 beside another job (10,000 abstracts in 5-7 minutes).

    \\b
    Examples:
      kg label ../shared/data/arxiv-ai/arxiv-ai-2025-2026.jsonl.gz --out runs/silver \\
               --abstracts 10000 --seed 1
      kg train ... --silver runs/silver --gold-copies 10
    """
    from paperkg.extract.silver import label_corpus

    shards = label_corpus(
        corpus, out_dir, n, seed=seed, teacher=teacher, shard_size=shard_size, log=lambda msg: click.echo(msg, err=True)
    )
    click.echo(f"{len(shards)} shards in {out_dir}", err=True)
