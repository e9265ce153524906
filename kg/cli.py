"""The `kg` command: a click group whose commands are imported only when used.

Lazy loading keeps `kg lookup` and `kg query` from paying for spaCy, pyvis or anything else a
command they do not run would import.

This is also the one place where errors become exit codes: a `PaperkgError` from any command
prints as ``Error: MESSAGE`` (control characters escaped) and exits with its `exit_code`; any
other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import importlib

import click

from paperkg.kg.allocator import relaunch_if_worth_it
from paperkg.kg.terminal import printable
from paperkg.schema.errors import PaperkgError

# name -> "module:attribute" of the click command
COMMANDS = {
    "build": "paperkg.kg.commands.build:build",
    "lookup": "paperkg.kg.commands.lookup:lookup",
    "stats": "paperkg.kg.commands.stats:stats",
    "viz": "paperkg.kg.commands.viz:viz",
    "query": "paperkg.kg.commands.query:query",
    "queries": "paperkg.kg.commands.queries:queries",
    "push": "paperkg.kg.commands.push:push",
    "extract": "paperkg.kg.commands.extract:extract",
    "train": "paperkg.kg.commands.train:train",
    "label": "paperkg.kg.commands.label:label",
    "eval": "paperkg.kg.commands.eval:eval_",
    "validate": "paperkg.kg.commands.validate:validate",
    "export": "paperkg.kg.commands.export:export",
    "trends": "paperkg.kg.commands.trends:trends",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PaperkgError as exc:
            raise UserFailure(exc) from exc


class UserFailure(click.ClickException):
    """A `PaperkgError` as click shows it: one ``Error: ...`` line (more only if the message has
    them, like a syntax error's caret line), and the error's exit code."""

    def __init__(self, error: PaperkgError):
        super().__init__(printable(str(error), newlines=True))
        # click reads the exit code from the instance
        self.exit_code = error.exit_code  # type: ignore[misc]


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="paperkg")
def main() -> None:
    """paperkg: a knowledge graph of papers, methods, models, datasets, tasks, metrics and concepts.

    \b
    Build a graph from paper listings, then explore it:
      kg build data/demo/              # read listings, extract entities, write the store
      kg stats                         # what is in it
      kg lookup SAE                    # one entity: papers, evidence, related entities
      kg query --named entities-per-type
      kg viz -o graph.html             # an interactive map that works offline

    The store lives at $PAPERKG_STORE, else ~/.local/share/paperkg/store; every command
    takes --store PATH.
    """


def run() -> None:
    """The `kg` console command: `main`, with `kg build` started again under a faster allocator
    (`kg.allocator`) first."""
    relaunch_if_worth_it()
    main()
