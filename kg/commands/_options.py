"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
import json
import sys

import click

from paperkg.kg.store import Store, default_store_path


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
    """`--fast`: run one of the recogniser's voting members, passed on as `members` (1 or None)."""

    @click.option(
        "--fast",
        is_flag=True,
        help="Run one of the recogniser's three voting members instead of all of them: about 2.5x "
        "faster extraction, about 3 F1 points lower on SciERC (docs/extraction.md).",
    )
    @functools.wraps(func)
    def wrapper(*args, fast, **kwargs):
        return func(*args, members=1 if fast else None, **kwargs)

    return wrapper


def echo_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
