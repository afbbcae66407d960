"""Commands over plan files: ``validate`` and ``schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from openstp.cli.app import app, examples
from openstp.output import clean, plain, stderr


@app.command(epilog=examples(
    "openstp validate examples/west_yorkshire_example.yaml",
    "openstp validate src/openstp/plan/builtin/*.yaml"))
def validate(
    plans: Annotated[list[Path], typer.Argument(help="Plan files (YAML) to check.")],
) -> None:
    """Check plan files against the schema, the reference data and the models' data.

    Every problem is one line with file, line and field, and the exit status is 2: the same checks
    `openstp run` makes before it runs.
    """
    from openstp.gap.checks import check_plan

    failed = False
    for path in plans:
        plan, problems = check_plan(path)
        for p in problems:
            typer.echo(clean(p), err=True)
        if problems or plan is None:
            failed = True
        else:
            stderr.print(f"[green]ok[/green] {plain(path)}: {plain(plan.name or plan.footprint)}, "
                         f"{len(plan.schemes)} schemes")
    if failed:
        raise typer.Exit(2)


@app.command(epilog=examples("openstp schema", "openstp schema > plan.schema.json"))
def schema() -> None:
    """Print the JSON Schema of plan files."""
    from openstp.plan import plan_json_schema

    sys.stdout.write(json.dumps(plan_json_schema(), indent=2) + "\n")
