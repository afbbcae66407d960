"""The ``openstp`` command: a thin Typer front end over the library, one module per stage.

``app`` (``openstp.cli.app``) holds the commands; each module here registers its stage's:
``data`` (footprints, footprint, sources), ``plan`` (validate, schema), ``gap``, ``risk`` (run),
``beds``, ``access``, ``workforce`` (workforce, social-care), ``review`` (review, diff),
``report`` (report, export) and ``web`` (serve). A command parses its options and hands over to
the stage's command body (``openstp.<stage>.report`` and the like), imported only when it runs,
so ``openstp --help`` starts without the numerical stack.

Every error caused by input (a bad plan, an unknown code, a malformed parameter) is printed as one
line per problem on stderr, with exit status 2 and no traceback.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib import import_module
from typing import Any

import typer

from openstp.cli.app import app
from openstp.errors import OpenSTPError
from openstp.output import clean

STAGES = ("data", "plan", "gap", "risk", "beds", "access", "workforce", "review", "report", "web")
"""The command modules, in the order their commands are listed by ``openstp --help``."""

for _stage in STAGES:  # each module registers its commands on ``app`` as it is imported
    import_module(f"openstp.cli.{_stage}")

__all__ = ["STAGES", "app", "command", "main"]


@cache
def command() -> Any:
    """``app`` as the click command group it runs as, built once per process.

    Typer rebuilds the whole tree (every command's options, from its signature) on each call,
    about 25 ms; tests and tools that run many commands in one process reuse this one.
    """
    return typer.main.get_command(app)


def main() -> None:
    """Console entry point: run the app, turning input errors into clean one-line messages."""
    try:  # Typer 0.2x carries its own copy of click; older ones use click itself
        from typer._click import exceptions as click
    except ImportError:  # pragma: no cover
        from click import exceptions as click  # type: ignore[no-redef]

    try:
        code = command()(standalone_mode=False)
    except click.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        code = 0
    except click.UsageError as exc:  # a bad option: one line, as for a bad file
        where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        typer.echo(f"error: {clean(exc.format_message())}{where}", err=True)
        code = 2
    except typer.Abort:
        typer.echo("aborted", err=True)
        code = 130
    except OpenSTPError as exc:
        for p in exc.problems:
            typer.echo(f"error: {clean(p)}", err=True)
        code = 2
    sys.exit(code if isinstance(code, int) else 0)
