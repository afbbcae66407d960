"""The Typer application every command module registers on, and the examples ending each
command's ``--help``."""

from __future__ import annotations

from typing import Annotated

import typer

from openstp._version import __version__

ABOUT = "OpenSTP: England's Sustainability and Transformation Plans, open and testable."


def examples(*commands: str) -> str:
    """A ``--help`` epilog: each example command on its own line, to copy and run."""
    return "Examples:\n\n" + "\n\n".join(commands)


app = typer.Typer(
    name="openstp",
    help=ABOUT,
    epilog=examples("openstp review --draws 200 --out quick-results",
                    "openstp report --results quick-results --out site"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"openstp {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """OpenSTP: England's Sustainability and Transformation Plans, open and testable."""
