"""The web app: the report's pages served live, a what-if form, saved plans, and the JSON API.

``create_app(results_dir, plans_dir)`` builds it; ``openstp serve`` runs it on localhost.
Pages are rendered on the server (Jinja, autoescaped); one small script redraws the figures after
a what-if, and without JavaScript the same form posts back and the page is rendered again.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from openstp._version import __version__
from openstp.defaults import WHAT_IF_DRAWS
from openstp.errors import OpenSTPError
from openstp.report.site import ASSETS, asset_text
from openstp.web.api import ServiceDep, plan_name, router
from openstp.web.form import form_scenario
from openstp.web.guard import Guard
from openstp.web.limits import QUEUE_PER_WORKER, default_workers
from openstp.web.plans import BadPlanName, PlanConflict, PlanNotFound
from openstp.web.pool import Busy, WorkPool
from openstp.web.scenario import Engine, SaveRequest
from openstp.web.service import Service

ASSET_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def create_app(results_dir: str | Path, plans_dir: str | Path, *, engine: Engine | None = None,
               draws: int = WHAT_IF_DRAWS, workers: int | None = None, queue: int | None = None,
               allowed_hosts: Iterable[str] = ()) -> FastAPI:
    """The app over a results folder; what-ifs are saved as plan files in ``plans_dir``.

    ``engine`` recomputes one footprint (default: ``openstp.review.chain.run_footprint``) on one
    of ``workers`` threads (default: one per core, at most four), with ``queue`` more waiting
    (default: two per worker) before a what-if is refused with 503. Requests must name the
    server by a loopback name or one of ``allowed_hosts`` (see ``openstp.web.guard``).
    """
    workers = workers or default_workers()
    pool = WorkPool(workers, QUEUE_PER_WORKER * workers if queue is None else queue)

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        # The loaded results live as long as the app, so a full collection need not walk them
        # again: unfrozen, each took ~100 ms of a what-if every 20 or so.
        gc.collect()
        gc.freeze()
        yield
        running.state.service.close()
        gc.unfreeze()

    app = FastAPI(title="OpenSTP", version=__version__, openapi_url="/api/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="England's Sustainability and Transformation Plans: the review's "
                              "results, plans and what-ifs.")
    app.state.service = Service(Path(results_dir), Path(plans_dir), engine, draws, pool)
    app.include_router(router)
    app.add_middleware(Guard, allowed_hosts=allowed_hosts)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            from fastapi.exception_handlers import http_exception_handler

            return await http_exception_handler(request, exc)
        return _error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's own handler echoes each bad input, and JSON cannot hold Infinity or NaN
        errors = [{k: e[k] for k in ("loc", "msg", "type") if k in e} for e in exc.errors()]
        return JSONResponse({"detail": errors}, 422)

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> Response:
        headers = {"Retry-After": str(exc.retry_after)}
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, 503, headers=headers)
        return _error_page(request, 503, str(exc), headers)

    _pages(app)
    _downloads(app)
    return app


def _error_page(request: Request, status: int, detail: str,
                headers: dict[str, str] | None = None) -> Response:
    svc: Service = request.app.state.service
    return HTMLResponse(svc.env.get_template("error.html.j2").render(
        title="Not found" if status == 404 else "Error", links=svc.links,
        england=svc.results.england, heading=_heading(status), detail=detail),
        status_code=status, headers=headers)


def _heading(status: int) -> str:
    return {404: "Page not found", 400: "That request is not valid", 409: "Not saved",
            422: "That request is not valid", 503: "The server is busy"
            }.get(status, "Something went wrong")


def _pages(app: FastAPI) -> None:
    async def page(svc: Service, name: str) -> HTMLResponse:
        """From memory on the event loop once rendered; rendered in a thread the first time."""
        html = svc.ready_page(name)
        return HTMLResponse(html if html is not None else
                            await run_in_threadpool(svc.page, name))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def england(svc: ServiceDep) -> HTMLResponse:
        return await page(svc, "england")

    @app.get("/rules", response_class=HTMLResponse, include_in_schema=False)
    async def rules(svc: ServiceDep) -> HTMLResponse:
        return await page(svc, "rules")

    @app.get("/assumptions", response_class=HTMLResponse, include_in_schema=False)
    async def assumptions(svc: ServiceDep) -> HTMLResponse:
        return await page(svc, "assumptions")

    @app.get("/footprints/{code}", response_class=HTMLResponse, include_in_schema=False)
    async def footprint(svc: ServiceDep, code: str, plan: str | None = None,
                        saved: str | None = None) -> HTMLResponse:
        if plan is not None:
            plan_name(plan)
        html = svc.fresh_footprint_html(code, plan, saved)
        if html is None:
            try:
                html = await run_in_threadpool(svc.footprint_html, code, plan, saved=saved)
            except KeyError:
                raise HTTPException(404, f"no footprint {code}" + (
                    f" with a plan {plan}" if plan else "")) from None
        return HTMLResponse(html)

    @app.post("/footprints/{code}", response_class=HTMLResponse, include_in_schema=False)
    async def footprint_form(svc: ServiceDep, code: str, request: Request) -> Response:
        form = await request.form()  # the guard has read the body: at most MAX_BODY bytes
        fields = {k: str(v) for k, v in form.items()}
        return await run_in_threadpool(_form_post, svc, code, fields)

    @app.get("/diff", response_class=HTMLResponse, include_in_schema=False)
    async def diff(svc: ServiceDep, old: str | None = None, new: str | None = None
                   ) -> HTMLResponse:
        for name in (old, new):
            if name:
                plan_name(name)
        return HTMLResponse(await run_in_threadpool(svc.diff_html, old, new))

    @app.get("/plans", response_class=HTMLResponse, include_in_schema=False)
    async def plans(svc: ServiceDep) -> HTMLResponse:
        html = svc.fresh(("plans",))
        return HTMLResponse(html if html is not None else await run_in_threadpool(svc.plans_html))


def _form_post(svc: Service, code: str, fields: dict[str, str]) -> Response:
    """The form without JavaScript: update the figures (a page) or save (a redirect)."""
    scenario = form_scenario(fields)
    try:
        if fields.get("action") == "save":
            name = fields.get("name", "")
            saved = svc.save(code, SaveRequest(**scenario.model_dump(), name=name,
                                               version=fields.get("version") or None))
            return RedirectResponse(f"/footprints/{code}?plan={quote(saved.name)}"
                                    f"&saved={quote(saved.name)}", status_code=303)
        return HTMLResponse(svc.what_if_html(code, scenario))
    except PlanConflict as err:
        return HTMLResponse(svc.error_html(code, scenario.plan, f"Not saved: {err.message}"),
                            status_code=409)
    except (OpenSTPError, BadPlanName, ValueError) as err:
        return HTMLResponse(svc.error_html(code, scenario.plan, f"Not done: {err}"),
                            status_code=422)
    except (KeyError, PlanNotFound):
        raise HTTPException(404, f"no footprint {code} or plan {scenario.plan}") from None


def _downloads(app: FastAPI) -> None:
    @app.get("/plans/{name}.yaml", include_in_schema=False)
    def plan_yaml(svc: ServiceDep, name: str) -> Response:
        try:
            f = svc.store.get(plan_name(name))
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


@cache  # four names at most (an unknown one raises, which is not kept)
def _asset(name: str) -> bytes:
    """A static file as sent (plotly.js is 1.3 MB: encoded once, not per request)."""
    if name == "whatif.js":
        from importlib import resources

        return resources.files("openstp.web").joinpath("static", name).read_bytes()
    if name in ASSETS:
        return asset_text(name).encode()
    raise HTTPException(404, f"no asset {name}")
