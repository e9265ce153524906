"""`kg eval`: typed exact-span P/R/F1 of the extractor on SciERC-format gold documents."""

from __future__ import annotations

import csv
import sys

import click

from paperkg.kg.commands._options import directory_option, echo_json, fast_option, gold_option


@click.command("eval")
@gold_option(
    "--gold",
    "gold_paths",
    "SciERC-format JSON Lines with gold entities (repeat with --compare).",
    required=True,
    multiple=True,
)
@directory_option("--model", "A spaCy pipeline made by `kg train` [default: the one shipped with paperkg].")
@click.option(
    "--compare",
    is_flag=True,
    help="One table of the whole extractor on every --gold: the pipeline's default recogniser, its "
    "voting members (--accurate) and each --teacher.",
)
@directory_option(
    "--teacher",
    "With --compare: a pipeline made by `kg train teacher` (OUT/model, OUT/model-vote) to score too; "
    "opening it needs PyTorch (the training venv, README).",
    multiple=True,
)
@click.option("--recogniser-only", is_flag=True, help="Score only the statistical recogniser.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV rows: setting,label,precision,recall,f1.")
@fast_option
def eval_(
    gold_paths: tuple[str, ...],
    model: str | None,
    compare: bool,
    teacher: tuple[str, ...],
    recogniser_only: bool,
    as_json: bool,
    as_csv: bool,
    members: int | None,
) -> None:
    """Score the extractor on SciERC-format gold data: typed exact-span precision, recall, F1.

    The pipeline runs on the gold documents' own tokens. Only the labels the gold file uses are
    scored (a file annotating Task, Dataset and Metric says nothing about methods, so a
    predicted Method is neither right nor wrong there); the output names them. Gold labels may
    be SciERC's, onto which our types map back (Method+Model -> Method, Dataset -> Material,
    Concept -> OtherScientificTerm), or paperkg's own (Method, Model, Dataset, Task, Metric,
    Concept; Model counts as Method when the file has no Model). Generic is not scored. Rows:
    the statistical recogniser alone, with abbreviations, with rules, the mentions the graph
    gets (acronym definitions split into long and short form, as SciERC does not), and the
    whole extractor. --json prints {"micro": {...}, "per_label":
    {...}, "documents": N, "labels": [...], "scheme": "scierc"|"paperkg"} for the whole
    extractor, plus "settings" holding every row.

    --compare scores the whole extractor of several recognisers, one row each per --gold: the
    pipeline's default (its single model), --accurate (its voting members) and each --teacher;
    --json prints a list of {"pipeline", "gold", "micro", "per_label", ...}. Only a --teacher
    row opens PyTorch.

    \b
    Examples:
      kg eval --gold ../shared/data/scierc/dev.jsonl
      kg eval --gold dev.jsonl --json
      kg eval --gold dev.jsonl --recogniser-only --csv
      kg eval --gold ../shared/data/tdmsci/train.jsonl   # Task, Dataset, Metric only
      kg eval --gold dev.jsonl --accurate      # the three voting members instead of the default model
      kg eval --gold ../shared/data/scierc/dev.jsonl --gold runs/tdmsci/held-out.jsonl --compare \\
              --teacher runs/teacher/model-vote
    """
    from paperkg.extract.evaluation import SETTINGS, evaluate

    if compare:
        if members is not None or recogniser_only:
            raise click.UsageError(
                "--compare scores the whole extractor of every recogniser: drop --accurate, --fast, --recogniser-only"
            )
        _compare(gold_paths, model, teacher, as_json, as_csv)
        return
    if teacher or len(gold_paths) > 1:
        raise click.UsageError("--teacher and a second --gold need --compare")
    gold_path = gold_paths[0]

    settings = ["recogniser"] if recogniser_only else list(SETTINGS)
    results = evaluate(gold_path, model, settings, members)
    main = results[settings[-1]]
    if as_json:
        echo_json({**main, "setting": settings[-1], "settings": results})
        return
    if as_csv:
        _echo_csv(["setting"], [([name], res) for name, res in results.items()])
        return
    click.echo(
        f"{main['documents']} documents; typed exact-span scores (P / R / F1) of the labels the gold "
        f"file uses: {', '.join(main['labels'])}"
    )
    labels = ["micro", *main["per_label"]]
    click.echo(f"{'':26}" + "".join(f"{lab[:19]:>21}" for lab in labels))
    for name, res in results.items():
        rows = [res["micro"], *res["per_label"].values()]
        click.echo(f"{name:26}" + "".join(f"{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}" for r in rows))


def _compare(gold_paths: tuple[str, ...], model: str | None, teachers: tuple[str, ...], as_json: bool, as_csv: bool):
    """`kg eval --compare`: the whole extractor of each recogniser on each gold file."""
    from paperkg.extract.evaluation import evaluate
    from paperkg.extract.pipeline import ALL_MEMBERS
    from paperkg.schema.errors import PaperkgError

    pipelines = [("default", model, None), ("--accurate", model, ALL_MEMBERS)]
    pipelines += [(f"teacher {path}", path, None) for path in teachers]
    rows = []
    for name, path, members in pipelines:
        for gold in gold_paths:
            try:
                result = evaluate(gold, path, ["extractor"], members)["extractor"]
            except ImportError as exc:  # a teacher's classifier, outside the training venv
                raise PaperkgError(f"{path}: opening this pipeline needs PyTorch and transformers ({exc})") from None
            rows.append({"pipeline": name, "gold": gold, **result})
    if as_json:
        echo_json(rows)
        return
    if as_csv:
        _echo_csv(["pipeline", "gold"], [([row["pipeline"], row["gold"]], row) for row in rows])
        return
    click.echo("whole extractor, typed exact-span P / R / F1 of the labels each gold file uses")
    width = max(len(r["pipeline"]) for r in rows)
    for row in rows:
        m = row["micro"]
        click.echo(
            f"{row['pipeline']:{width}}  {m['precision']:.3f} {m['recall']:.3f} {m['f1']:.3f}  "
            f"{row['gold']} ({row['documents']} documents: {', '.join(row['labels'])})"
        )


def _echo_csv(keys: list[str], results: list[tuple[list[str], dict]]) -> None:
    """CSV rows `keys..., label, precision, recall, f1`: each result's micro scores, then each
    label's, after the values of its keys (quoted where they hold a comma, as a path may)."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([*keys, "label", "precision", "recall", "f1"])
    for values, result in results:
        for label, r in [("micro", result["micro"]), *result["per_label"].items()]:
            writer.writerow([*values, label, *(f"{r[k]:.4f}" for k in ("precision", "recall", "f1"))])
