"""The ``openstp serve`` command: load a results folder, then serve the web app with uvicorn."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from openstp.output import plain, stderr
from openstp.report.commands import results_folder


def serve_command(results: Path | None, plans: Path | None, host: str, port: int,
                  draws: int) -> None:
    """Serve the web app until interrupted; scenarios are saved as plan files in ``plans``.

    ``plans`` defaults to the results folder's ``plans/``, or ``./plans`` when the review chain
    runs first into a temporary folder (so saved plans outlive the server).
    """
    import uvicorn

    from openstp.report import load_results
    from openstp.web.app import create_app

    if not is_loopback(host):
        stderr.print(f"[yellow]warning[/yellow]: serving on {plain(host)}: the app has no login, so "
                     "anyone who can reach it can read results and save plans.")
    with results_folder(results) as folder:
        load_results(folder)  # fail with every problem before the server starts
        plans_dir = plans or (folder / "plans" if results is not None else Path("plans"))
        stderr.print(f"OpenSTP on http://{plain(host)}:{port}/ · plans folder "
                     f"{plain(plans_dir.resolve())}")
        app = create_app(folder, plans_dir, draws=draws)
        uvicorn.run(app, host=host, port=port, log_level="warning")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
