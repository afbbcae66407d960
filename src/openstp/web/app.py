"""The web app: the report's pages served live, a what-if form, saved plans, and the JSON API.

``create_app(results_dir, plans_dir)`` builds it; ``openstp serve`` runs it on localhost.
Pages are rendered on the server (Jinja, autoescaped); one small script redraws the figures after
a what-if, and without JavaScript the same form posts back and the page is rendered again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from openstp._version import __version__
from openstp.errors import PlanError
from openstp.report.blocks import Cell, Table
from openstp.report.site import asset_text, plotly_js
from openstp.web.api import ServiceDep, router
from openstp.web.plans import BadPlanName, PlanConflict, PlanNotFound
from openstp.web.scenario import Engine, SaveRequest, Scenario
from openstp.web.service import Service

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' "
                               "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
ASSET_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def create_app(results_dir: str | Path, plans_dir: str | Path, *, engine: Engine | None = None,
               draws: int = 1000) -> FastAPI:
    """The app over a results folder; what-ifs are saved as plan files in ``plans_dir``.

    ``engine`` recomputes one footprint (default: ``openstp.review.chain.run_footprint``).
    """
    app = FastAPI(title="OpenSTP", version=__version__, openapi_url="/api/openapi.json",
                  docs_url=None, redoc_url=None,
                  description="England's Sustainability and Transformation Plans: the review's "
                              "results, plans and what-ifs.")
    app.state.service = Service(Path(results_dir), Path(plans_dir), engine, draws)
    app.include_router(router)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        if request.method == "POST" and not _same_origin(request):
            return PlainTextResponse("cross-site request refused", status_code=403)
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            from fastapi.exception_handlers import http_exception_handler

            return await http_exception_handler(request, exc)
        svc: Service = request.app.state.service
        return HTMLResponse(svc.env.get_template("error.html.j2").render(
            title="Not found" if exc.status_code == 404 else "Error", links=svc.links,
            england=svc.results.england, heading=_heading(exc.status_code),
            detail=str(exc.detail)), status_code=exc.status_code)

    _pages(app)
    _downloads(app)
    return app


def _heading(status: int) -> str:
    return {404: "Page not found", 400: "That request is not valid",
            409: "Not saved"}.get(status, "Something went wrong")


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


def _pages(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def england(svc: ServiceDep) -> str:
        return svc.page("england")

    @app.get("/rules", response_class=HTMLResponse, include_in_schema=False)
    def rules(svc: ServiceDep) -> str:
        return svc.page("rules")

    @app.get("/assumptions", response_class=HTMLResponse, include_in_schema=False)
    def assumptions(svc: ServiceDep) -> str:
        return svc.page("assumptions")

    @app.get("/footprints/{code}", response_class=HTMLResponse, include_in_schema=False)
    def footprint(svc: ServiceDep, code: str, plan: str | None = None,
                  saved: str | None = None) -> str:
        message = f"Saved as {saved}.yaml in the plans folder." if saved else ""
        try:
            return svc.footprint_html(code, plan, message=message)
        except (KeyError, BadPlanName):
            raise HTTPException(404, f"no footprint {code}" + (f" with a plan {plan}"
                                                                 if plan else "")) from None

    @app.post("/footprints/{code}", response_class=HTMLResponse, include_in_schema=False)
    async def footprint_form(svc: ServiceDep, code: str, request: Request) -> Response:
        form = await request.form()
        fields = {k: str(v) for k, v in form.items()}
        scenario = _scenario(fields)
        try:
            if fields.get("action") == "save":
                saved = svc.save(code, SaveRequest(**scenario.model_dump(),
                                                   name=fields.get("name", ""),
                                                   version=fields.get("version") or None))
                return RedirectResponse(f"/footprints/{code}?plan={quote(saved.name)}"
                                        f"&saved={quote(saved.name)}", status_code=303)
            return HTMLResponse(svc.footprint_html(code, scenario.plan, scenario))
        except PlanConflict as err:
            return HTMLResponse(svc.footprint_html(code, scenario.plan, error=err.message),
                                status_code=409)
        except (PlanError, BadPlanName, ValueError) as err:
            return HTMLResponse(svc.footprint_html(code, scenario.plan, error=f"Not done: "
                                                   f"{err}"), status_code=422)
        except (KeyError, PlanNotFound):
            raise HTTPException(404, f"no footprint {code} or plan {scenario.plan}") from None

    @app.get("/plans", response_class=HTMLResponse, include_in_schema=False)
    def plans(svc: ServiceDep) -> str:
        table = Table("plans", "Plan files", [("Plan", False), ("Footprint", False),
                                              ("File", False), ("Folder", False)])
        for f in svc.store.list():
            fp = f.plan.footprint if f.plan else None
            href = f"/footprints/{fp}?plan={quote(f.name)}" if fp in svc.results.footprints() \
                else None
            table.add(Cell(f.plan.name if f.plan else f"(unreadable: {f.problem})", href=href),
                      fp or "–", Cell(f"{f.name}.yaml", href=svc.links.plan(f.name)),
                      "saved" if f.editable else "reviewed")
        return svc.env.get_template("plans.html.j2").render(
            title="Plans", links=svc.links, england=svc.results.england, table=table)


def _scenario(fields: dict[str, str]) -> Scenario:
    """A what-if from the form's fields (a.PATH, s.ID.saving in £m, s.ID.grade)."""
    assumptions: dict[str, float] = {}
    schemes: dict[str, dict[str, Any]] = {}
    for key, value in fields.items():
        if not value.strip():
            continue
        parts = key.split(".")
        try:
            if parts[0] == "a" and len(parts) > 1:
                assumptions[key[2:]] = float(value)
            elif parts[0] == "s" and len(parts) == 3 and parts[2] == "saving":
                schemes.setdefault(parts[1], {})["saving"] = round(float(value) * 1e6)
            elif parts[0] == "s" and len(parts) == 3 and parts[2] == "grade":
                schemes.setdefault(parts[1], {})["grade"] = value
        except ValueError:
            raise HTTPException(422, f"{key}: {value!r} is not a number") from None
    try:
        return Scenario.model_validate({"plan": fields.get("plan") or None,
                                        "assumptions": assumptions, "schemes": schemes})
    except ValidationError as err:
        raise HTTPException(422, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                           for e in err.errors())) from None


def _downloads(app: FastAPI) -> None:
    @app.get("/plans/{name}.yaml", include_in_schema=False)
    def plan_yaml(svc: ServiceDep, name: str) -> Response:
        try:
            f = svc.store.get(name)
        except BadPlanName as err:
            raise HTTPException(400, str(err)) from None
        except PlanNotFound:
            raise HTTPException(404, f"no plan called {name}") from None
        return Response(f.text, media_type="application/yaml; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{f.name}.yaml"', "ETag": f.version})

    @app.get("/download/openstp-results.xlsx", include_in_schema=False)
    def workbook(svc: ServiceDep) -> Response:
        return Response(svc.workbook, media_type="application/vnd.openxmlformats-officedocument."
                                                 "spreadsheetml.sheet", headers={
            "Content-Disposition": 'attachment; filename="openstp-results.xlsx"'})

    @app.get("/download/{scope}/{name}.csv", include_in_schema=False)
    def data_csv(svc: ServiceDep, scope: str, name: str) -> Response:
        try:
            text = svc.csv(scope, name)
        except KeyError:
            raise HTTPException(404, f"no data {name} for {scope}") from None
        return Response(text, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{scope}-{name}.csv"'})

    @app.get("/assets/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        return Response(_asset(name), media_type=ASSET_TYPES[Path(name).suffix],
                        headers={"Cache-Control": "public, max-age=3600"})


def _asset(name: str) -> str:
    if name == "plotly.min.js":
        return plotly_js()
    if name == "whatif.js":
        from importlib import resources

        return resources.files("openstp.web").joinpath("static", name).read_text("utf-8")
    if name in ("openstp.css", "openstp.js"):
        return asset_text(name)
    raise HTTPException(404, f"no asset {name}")
