"""The JSON API under ``/api``: results, plans and what-ifs for scripts and the page's own JS.

Its OpenAPI schema is served at ``/api/openapi.json``. Every route is a plain ``def`` (FastAPI
runs it in a thread), so a first read that encodes a table never holds up the event loop;
what-ifs, uploads and saves run in the service's bounded pool and answer 503 when it is full.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field

from openstp.errors import InputFileError, OpenSTPError, PlanError
from openstp.output import records
from openstp.plan import parse_plan_text, validate_plan
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


def service(request: Request) -> Service:
    """The app's ``Service`` (a FastAPI dependency)."""
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(service)]


def json_response(text: str, status: int = 200) -> Response:
    """Pre-serialised JSON (the big tables are encoded once, not per request)."""
    return Response(text, status_code=status, media_type="application/json")


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
def health(svc: ServiceDep) -> dict[str, Any]:
    """Liveness and what is loaded."""
    return {"status": "ok", "footprints": len(svc.results.footprints()),
            "horizon": svc.results.horizon, "results_version": svc.version}


@router.get("/england")
def england(svc: ServiceDep) -> dict[str, Any]:
    """England's figures (the results folder's ``england.json``)."""
    return svc.results.england


@router.get("/footprints")
def footprints(svc: ServiceDep) -> Response:
    """The league table: one row per footprint."""
    return json_response(svc.api_json(("league",), lambda: records(svc.results.league)))


@router.get("/footprints/{code}")
def footprint(svc: ServiceDep, code: str) -> Response:
    """One footprint's league row and verdicts."""
    fp = _footprint(svc, code)
    return json_response(svc.api_json(("footprint", code), lambda: {
        "league": records(svc.results.league[svc.results.league["footprint"] == code])[0],
        "verdicts": records(fp.table("verdicts"))}))


@router.get("/footprints/{code}/tables/{table}")
def footprint_table(svc: ServiceDep, code: str, table: str) -> Response:
    """One results table (gap, bridge, residual, schemes, beds, …) for one footprint."""
    fp = _footprint(svc, code)
    if table not in fp.tables:
        raise HTTPException(404, f"no table {table}; tables: {', '.join(sorted(fp.tables))}")
    return json_response(svc.api_json(("table", code, table),
                                      lambda: records(fp.table(table))))


@router.get("/tables/{table}")
def whole_table(svc: ServiceDep, table: str) -> Response:
    """A whole results table (all footprints), e.g. rules or assumptions."""
    tables = svc.results.tables
    if table not in tables:
        raise HTTPException(404, f"no table {table}; tables: {', '.join(sorted(tables))}")
    return json_response(svc.api_json(("table", table), lambda: records(tables[table])))


@router.get("/plans", response_model=list[PlanInfo])
def plans(svc: ServiceDep, footprint: str | None = None) -> list[PlanInfo]:
    """Plan files: saved what-ifs first, then the reviewed plans."""
    return [_info(f) for f in svc.store.list(footprint)]


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
    found = [str(p) for p in validate_plan(parsed, f"{name}.yaml", smap)]
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

