"""The JSON API under ``/api``: results, plans and what-ifs for scripts and the page's own JS.

Its OpenAPI schema is served at ``/api/openapi.json``. Reads of the stored results are answered
from memory on the event loop once made, and made (encoded) in a thread the first time; the
other routes are plain ``def`` (FastAPI runs them in a thread). What-ifs, uploads and saves run
in the service's bounded pool and answer 503 when it is full.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from openstp.errors import InputFileError, OpenSTPError, PlanError
from openstp.gap.checks import check_plan
from openstp.output import dumps, records
from openstp.plan import parse_plan_text
from openstp.web.limits import MAX_SCHEMES
from openstp.web.plans import BadPlanName, PlanConflict, PlanFile, PlanNotFound, check_name
from openstp.web.scenario import SaveRequest, Scenario
from openstp.web.service import Service

router = APIRouter(prefix="/api", tags=["api"])


class PlanInfo(BaseModel):
    """A plan file: name, footprint, title, version and whether the app may save over it."""

    name: str
    footprint: str | None
    title: str | None
    version: str
    editable: bool
    problem: str | None = None


class PlanDocument(PlanInfo):
    """A plan file with its YAML text and the plan as JSON."""

    yaml: str
    plan: dict[str, Any] | None


class PlanUpload(BaseModel):
    """A plan to save: its YAML, and the version it was loaded at (none for a new plan)."""

    yaml: str = Field(description="the plan file's text (YAML)")
    version: str | None = Field(None, description="version read with GET; none for a new plan")


class Saved(BaseModel):
    """Where a plan was saved and its new version."""

    name: str
    version: str
    url: str


class ScenarioResult(BaseModel):
    """A what-if's results: the league row, chart specs by element id, and HTML fragments."""

    footprint: str
    seconds: float
    league: dict[str, Any]
    html: dict[str, str]
    charts: dict[str, Any]


async def service(request: Request) -> Service:
    """The app's ``Service`` (a FastAPI dependency; async, as FastAPI runs a plain one in a
    thread)."""
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(service)]


def json_response(text: str, status: int = 200) -> Response:
    """Pre-serialised JSON (the big tables are encoded once, not per request)."""
    return Response(text, status_code=status, media_type="application/json")


async def stored_json(svc: Service, key: tuple[str, ...], build: Callable[[], Any]) -> Response:
    """An answer made from the stored results: from memory on the event loop once made; made
    (``build``: checks and encoding, CPU work) in a thread the first time."""
    text = svc.ready_json(key)
    if text is None:
        text = await run_in_threadpool(svc.api_json, key, build)
    return json_response(text)


def problems_detail(err: OpenSTPError) -> dict[str, Any]:
    """An error's problems as an HTTP detail."""
    return {"message": "invalid input", "problems": [str(p) for p in err.problems]}


def _info(f: PlanFile) -> PlanInfo:
    return PlanInfo(name=f.name, footprint=f.plan.footprint if f.plan else None,
                    title=f.plan.name if f.plan else None, version=f.version,
                    editable=f.editable, problem=f.problem)


def _footprint(svc: Service, code: str) -> Any:
    try:
        return svc.footprint(code)
    except KeyError:
        raise HTTPException(404, f"no footprint {code} in these results") from None


@router.get("/health")
async def health(svc: ServiceDep) -> dict[str, Any]:
    """Liveness and what is loaded."""
    return {"status": "ok", "footprints": len(svc.results.league),
            "horizon": svc.results.horizon, "results_version": svc.version}


@router.get("/england")
async def england(svc: ServiceDep) -> Response:
    """England's figures (the results folder's ``england.json``)."""
    return await stored_json(svc, ("england",), lambda: svc.results.england)


@router.get("/footprints")
async def footprints(svc: ServiceDep) -> Response:
    """The league table: one row per footprint."""
    return await stored_json(svc, ("league",), lambda: records(svc.results.league))


@router.get("/footprints/{code}")
async def footprint(svc: ServiceDep, code: str) -> Response:
    """One footprint's league row and verdicts."""
    def build() -> dict[str, Any]:
        fp = _footprint(svc, code)
        return {"league": records(svc.results.league[svc.results.league["footprint"] == code]
                                  )[0], "verdicts": records(fp.table("verdicts"))}

    return await stored_json(svc, ("footprint", code), build)


@router.get("/footprints/{code}/tables/{table}")
async def footprint_table(svc: ServiceDep, code: str, table: str) -> Response:
    """One results table (gap, bridge, residual, schemes, beds, …) for one footprint."""
    def build() -> list[dict[str, Any]]:
        fp = _footprint(svc, code)
        if table not in fp.tables:
            raise HTTPException(404, f"no table {table}; tables: {', '.join(sorted(fp.tables))}")
        return records(fp.table(table))

    return await stored_json(svc, ("table", code, table), build)


@router.get("/tables/{table}")
async def whole_table(svc: ServiceDep, table: str) -> Response:
    """A whole results table (all footprints), e.g. rules or assumptions."""
    def build() -> list[dict[str, Any]]:
        tables = svc.results.tables
        if table not in tables:
            raise HTTPException(404, f"no table {table}; tables: {', '.join(sorted(tables))}")
        return records(tables[table])

    return await stored_json(svc, ("table", table), build)


@router.get("/plans", response_model=list[PlanInfo])
async def plans(svc: ServiceDep, footprint: str | None = None) -> Response:
    """Plan files: saved what-ifs first, then the reviewed plans."""
    text = svc.fresh(("api-plans", footprint))
    if text is None:
        text = await run_in_threadpool(svc.plans_json, footprint,
                                       lambda f: _info(f).model_dump())
    return json_response(text)


def plan_name(name: str) -> str:
    """``name`` if it is a plan name; HTTP 422 otherwise (checked before any file is touched)."""
    try:
        return check_name(name)
    except BadPlanName as err:
        raise HTTPException(422, str(err)) from None


def _get_plan(svc: Service, name: str) -> PlanFile:
    try:
        return svc.store.get(plan_name(name))
    except PlanNotFound:
        raise HTTPException(404, f"no plan called {name}") from None


@router.get("/plans/{name}", response_model=PlanDocument)
def plan(svc: ServiceDep, name: str) -> PlanDocument:
    """One plan file: its YAML, the plan as JSON, and the version to send back when saving."""
    f = _get_plan(svc, name)
    return PlanDocument(**_info(f).model_dump(), yaml=f.text,
                        plan=f.plan.model_dump(mode="json", exclude_defaults=True)
                        if f.plan else None)


@router.put("/plans/{name}", response_model=Saved, status_code=201,
            responses={409: {"description": "the file changed since it was read, or exists"},
                       422: {"description": "not a valid plan"}})
def put_plan(svc: ServiceDep, name: str, body: PlanUpload, response: Response) -> Saved:
    """Save a plan file; over an existing one only with the version it was read at."""
    existed = svc.store.saved(plan_name(name))
    saved = _save(lambda: svc.pool.run(_upload, svc, name, body))
    response.status_code = 200 if existed else 201
    return Saved(name=saved.name, version=saved.version, url=f"/plans/{saved.name}.yaml")


def _upload(svc: Service, name: str, body: PlanUpload) -> PlanFile:
    """Parse, check and save an uploaded plan (on a worker: a big plan takes a while)."""
    try:
        parsed, smap = parse_plan_text(body.yaml, f"{name}.yaml")
    except (InputFileError, PlanError) as err:
        raise HTTPException(422, problems_detail(err)) from None
    found = [str(p) for p in check_plan(parsed, source=f"{name}.yaml", source_map=smap)[1]]
    if len(parsed.schemes) > MAX_SCHEMES:
        found.insert(0, f"{name}.yaml: schemes: a plan saved through the web app has at most "
                        f"{MAX_SCHEMES} schemes; this one has {len(parsed.schemes):,}")
    if found:
        raise HTTPException(422, {"message": "invalid plan", "problems": found})
    return svc.store.save(name, body.yaml, body.version)


def _save(do: Any) -> PlanFile:
    try:
        return do()
    except BadPlanName as err:
        raise HTTPException(422, str(err)) from None
    except PlanConflict as err:
        raise HTTPException(409, {"message": err.message, "current_version": err.current}
                            ) from None


def run_scenario(svc: Service, code: str, scenario: Scenario) -> str:
    """A what-if as JSON text; input problems become HTTP errors."""
    _footprint(svc, code)
    try:
        return svc.what_if_json(code, scenario)
    except PlanError as err:
        raise HTTPException(422, problems_detail(err)) from None
    except InputFileError as err:  # the engine broke the results contract
        raise HTTPException(500, {"message": "the review chain returned incomplete tables",
                                  "problems": [str(p) for p in err.problems]}) from None
    except BadPlanName as err:
        raise HTTPException(422, str(err)) from None
    except OpenSTPError as err:  # e.g. a delivery median set below its P10
        raise HTTPException(422, problems_detail(err)) from None
    except KeyError:
        raise HTTPException(404, f"no plan {scenario.plan or code} for {code}") from None


@router.post("/footprints/{code}/scenario", response_model=ScenarioResult,
             responses={422: {"description": "a changed value is invalid"}})
def scenario(svc: ServiceDep, code: str, body: Scenario) -> Response:
    """Recompute a footprint with changed assumptions and schemes (nothing is saved)."""
    return json_response(run_scenario(svc, code, body))


@router.post("/footprints/{code}/scenario/save", response_model=Saved, status_code=201,
             responses={409: {"description": "a plan with that name exists or changed"}})
def save_scenario(svc: ServiceDep, code: str, body: SaveRequest) -> Saved:
    """Save a what-if as a new plan file in the plans folder."""
    _footprint(svc, code)
    try:
        saved = _save(lambda: svc.save(code, body))
    except PlanError as err:
        raise HTTPException(422, problems_detail(err)) from None
    except KeyError:
        raise HTTPException(404, f"no plan {body.plan or code} for {code}") from None
    return Saved(name=saved.name, version=saved.version, url=f"/plans/{saved.name}.yaml")



@router.get("/diff", responses={404: {"description": "no plan of that name"},
                                422: {"description": "plans of two footprints"}})
def diff(svc: ServiceDep, old: str, new: str) -> Response:
    """What changed between two plans of one footprint, as ``openstp diff``: the plan's fields,
    the footprint's figures old → new, and the verdicts that changed (both plans run alike)."""
    try:
        result = svc.diff(plan_name(old), plan_name(new))
    except PlanNotFound as err:
        raise HTTPException(404, f"no plan called {err.args[0]}") from None
    except (ValueError, OpenSTPError) as err:
        raise HTTPException(422, str(err)) from None
    return json_response(dumps(result.json(), "diff"))
