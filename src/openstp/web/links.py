"""Where the web app's pages link: its own routes instead of the static site's files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WebLinks:
    """Absolute links to the app's routes (the same pages and downloads as the static site)."""

    def england(self) -> str:
        return "/"

    def footprint(self, code: str) -> str:
        return f"/footprints/{code}"

    def asset(self, name: str) -> str:
        return f"/assets/{name}"

    def data(self, scope: str, name: str) -> str:
        return f"/download/{scope}/{name}.csv"

    def plan(self, name: str) -> str:
        return f"/plans/{name}.yaml"

    def page(self, name: str) -> str:
        return f"/{name}"

    def plans(self) -> str:
        return "/plans"

    def workbook(self) -> str | None:
        return "/download/openstp-results.xlsx"
