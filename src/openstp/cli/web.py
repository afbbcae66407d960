"""The ``serve`` command: the web app over a results folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openstp.cli.app import app, examples
from openstp.cli.options import draws_option
from openstp.cli.report import ResultsOption
from openstp.defaults import WHAT_IF_DRAWS


@app.command(epilog=examples("openstp serve --results quick-results",
                             "openstp serve --results quick-results --port 8080 --draws 500"))
def serve(
    results: ResultsOption = None,
    plans: Annotated[Path | None, typer.Option(
        metavar="DIR", show_default=False,
        help="Folder where scenarios are saved as plan files (default: the results' plans/, "
             "or ./plans).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on (local only by default).")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    draws: Annotated[int, draws_option(WHAT_IF_DRAWS, "each what-if", minimum=10)
                     ] = WHAT_IF_DRAWS,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", metavar="NAME", help="Another name the server may be reached by (the "
        "Host header), besides localhost, 127.0.0.1, ::1 and --host; repeatable.")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, max=64, help="What-ifs computed at once (default: one per core, at most 4); "
                            "a few more wait, the rest are answered 503.")] = None,
) -> None:
    """Serve the web app: browse the results, try "what if", save scenarios as plans."""
    from openstp.web.commands import serve_command

    serve_command(results, plans, host, port, draws, allowed_hosts=allowed_host or [],
                  workers=workers)
