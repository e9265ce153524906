"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
import json
import sys

import click

from paperkg.kg.store import Store, default_store_path


def gold_option(flag: str, dest: str, help: str, **extra):
    """An option naming an existing SciERC-format JSON Lines file (gold data to train or score on)."""
    return click.option(flag, dest, type=click.Path(exists=True, dir_okay=False, path_type=str), help=help, **extra)


def directory_option(flag: str, help: str, **extra):
    """An option naming an existing directory (a pipeline, silver shards); None when not given."""
    return click.option(flag, type=click.Path(exists=True, file_okay=False, path_type=str), help=help, **extra)


def out_dir_option(help: str):
    """`--out DIR`, a required output directory."""
    return click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str), help=help)


def store_option(func):
    """`--store PATH`, passed to the command as a `Store`."""

    @click.option(
        "--store",
        "store",
        type=click.Path(file_okay=False, path_type=str),
        default=None,
        help=f"Graph store directory [default: $PAPERKG_STORE or {default_store_path()}].",
    )
    @functools.wraps(func)
    def wrapper(*args, store, **kwargs):
        return func(*args, store=Store(store), **kwargs)

    return wrapper


def fast_option(func):
    """`--accurate` and `--fast`: which recogniser runs, passed on as `members` (see
    `paperkg.extract.pipeline.load_nlp`): None for the pipeline's default, ALL_MEMBERS for
    every voting member, 1 for the fastest."""

    @click.option(
        "--accurate",
        is_flag=True,
        help="Run the three voting recogniser members the pipeline also ships (the default before "
        "paperkg 3.0, and the teacher of the default model) instead of its single model: 4-5 times "
        "slower, and 0.4 points of F1 below it on SciERC dev (docs/extraction.md).",
    )
    @click.option(
        "--fast",
        is_flag=True,
        help="The fastest recogniser: the single model (the default), or with a --model of voting "
        "members only (kg train --members 3), the first member alone.",
    )
    @functools.wraps(func)
    def wrapper(*args, fast, accurate, **kwargs):
        if fast and accurate:
            raise click.UsageError("--fast and --accurate contradict each other")
        from paperkg.extract.pipeline import ALL_MEMBERS

        members = ALL_MEMBERS if accurate else 1 if fast else None
        return func(*args, members=members, **kwargs)

    return wrapper


def echo_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
