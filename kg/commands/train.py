"""`kg train`: train the statistical recogniser on SciERC-format data and assemble the pipeline."""
from __future__ import annotations

import click

from kg.commands._options import user_errors


@click.command()
@click.option("--train", "train_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="SciERC-format JSON Lines to train on.")
@click.option("--dev", "dev_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="SciERC-format JSON Lines for model selection.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Output directory; the finished pipeline is OUT/model.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same model).")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=str), default=None,
              help="spaCy training config [default: extract/config/ner.cfg].")
@user_errors
def train(train_path: str, dev_path: str, out_dir: str, seed: int, config: str | None) -> None:
    """Train paperkg's entity recogniser and assemble the full extraction pipeline.

    Converts the SciERC-format files (on their own tokens), trains spaCy's CNN NER with the
    config, keeps the best model on the dev set, and adds paperkg's sentence, abbreviation, rule
    and type-refinement components. Copy OUT/model to extract/model to ship it. On 2 cores
    this takes about 15-25 minutes.

    \b
    Examples:
      kg train --train ../shared/data/scierc/train.jsonl --dev ../shared/data/scierc/dev.jsonl --out runs/ner
      kg train --train train.jsonl --dev dev.jsonl --out runs/s1 --seed 1
    """
    from extract.training import DEFAULT_CONFIG, train as run_train

    try:
        model = run_train(train_path, dev_path, out_dir, seed=seed, config=config or DEFAULT_CONFIG)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"pipeline written to {model}", err=True)
