"""`kg eval`: typed exact-span P/R/F1 of the extractor on SciERC-format gold documents."""

from __future__ import annotations

import click

from paperkg.kg.commands._options import directory_option, echo_json, fast_option, gold_option


@click.command("eval")
@gold_option("--gold", "gold_path", "SciERC-format JSON Lines with gold entities.", required=True)
@directory_option("--model", "A spaCy pipeline made by `kg train` [default: the one shipped with paperkg].")
@click.option("--recogniser-only", is_flag=True, help="Score only the statistical recogniser.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV rows: setting,label,precision,recall,f1.")
@fast_option
def eval_(
    gold_path: str, model: str | None, recogniser_only: bool, as_json: bool, as_csv: bool, members: int | None
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

    \b
    Examples:
      kg eval --gold ../shared/data/scierc/dev.jsonl
      kg eval --gold dev.jsonl --json
      kg eval --gold dev.jsonl --recogniser-only --csv
      kg eval --gold ../shared/data/tdmsci/train.jsonl   # Task, Dataset, Metric only
      kg eval --gold dev.jsonl --accurate      # the three voting members instead of the default model
    """
    from paperkg.extract.evaluation import SETTINGS, evaluate

    settings = ["recogniser"] if recogniser_only else list(SETTINGS)
    results = evaluate(gold_path, model, settings, members)
    main = results[settings[-1]]
    if as_json:
        echo_json({**main, "setting": settings[-1], "settings": results})
        return
    if as_csv:
        click.echo("setting,label,precision,recall,f1")
        for name, res in results.items():
            for label, row in [("micro", res["micro"]), *res["per_label"].items()]:
                click.echo(f"{name},{label},{row['precision']:.4f},{row['recall']:.4f},{row['f1']:.4f}")
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
