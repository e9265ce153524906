"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
import json
import sys

import click

from paperkg.kg.store import Store, StoreError, default_store_path


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
    """`--fast`: run only the first of a voting recogniser's members, passed on as `members` (1 or None)."""

    @click.option(
        "--fast",
        is_flag=True,
        help="With a --model whose recogniser is several voting members (kg train --members 3), run "
        "the first member alone. The shipped pipeline has a single recogniser, which this leaves as it is.",
    )
    @functools.wraps(func)
    def wrapper(*args, fast, **kwargs):
        return func(*args, members=1 if fast else None, **kwargs)

    return wrapper


def user_errors(func):
    """Turn the API's user-facing errors into one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def echo_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
