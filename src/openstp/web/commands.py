"""The ``openstp serve`` command: load a results folder, then serve the web app with uvicorn."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from openstp.output import plain, stderr
from openstp.report.commands import results_folder


def serve_command(results: Path | None, plans: Path | None, host: str, port: int,
                  draws: int, allowed_hosts: list[str], workers: int | None = None) -> None:
    """Serve the web app until interrupted; scenarios are saved as plan files in ``plans``.

    ``plans`` defaults to the results folder's ``plans/``, or ``./plans`` when the review chain
    runs first into a temporary folder (so saved plans outlive the server). Requests must name
    the server by a loopback name, by ``host`` or by one of ``allowed_hosts``.
    """
    import uvicorn

    from openstp.report import load_results
    from openstp.web.app import create_app

    if not is_loopback(host):
        stderr.print(f"[yellow]warning[/yellow]: serving on {plain(host)}: the app has no login, so "
                     "anyone who can reach it can read results and save plans.")
    names = [*allowed_hosts, *([] if is_wildcard(host) else [host])]
    if is_wildcard(host) and not allowed_hosts:
        stderr.print("[yellow]warning[/yellow]: only localhost names are allowed in requests; "
                     "add the names others use with --allowed-host NAME.")
    with results_folder(results) as folder:
        load_results(folder)  # fail with every problem before the server starts
        plans_dir = plans or (folder / "plans" if results is not None else Path("plans"))
        stderr.print(f"OpenSTP on http://{plain(host)}:{port}/ · plans folder "
                     f"{plain(plans_dir.resolve())}")
        app = create_app(folder, plans_dir, draws=draws, workers=workers, allowed_hosts=names)
        uvicorn.run(app, host=host, port=port, log_level="warning")


def is_wildcard(host: str) -> bool:
    """True for an address that means every interface (0.0.0.0, ::), not one name."""
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
