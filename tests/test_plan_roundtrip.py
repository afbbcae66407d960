"""Property tests: any schema-valid plan survives dump → load unchanged, and validation of any
such plan reports problems rather than crashing. Strategies cover every model of the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openstp.plan import (
    BedChange,
    BedCondition,
    BedTestCondition,
    BedType,
    BoardMember,
    Consultation,
    Coordinates,
    Engagement,
    Event,
    EventKind,
    Evidence,
    EvidenceGrade,
    Governance,
    Lead,
    LeadKind,
    Plan,
    Scheme,
    SchemeType,
    Sector,
    Service,
    SignOff,
    SiteAction,
    SiteChange,
    StaffGroup,
    Workforce,
    WorkforceYear,
    dump_plan,
    format_fy,
    load_plan,
    parse_plan_text,
    plan_to_yaml_str,
    validate_plan,
)
from openstp.plan.common import MAX_MONEY, SLUG_PATTERN

PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Printable text incl. quotes, colons, '#', unicode letters and the odd newline.
text = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Cf", "Co", "Cn")
    )
    | st.sampled_from(["\n", ":", "#", "'", '"', "-", " ", "{", "&", "*", "!", "%", "@", "`"]),
    min_size=1,
    max_size=40,
)
words = st.sampled_from(["true", "null", "2016/17", "1e3", "0x10", "yes", "2017-01-01", "~"])
free_text = text | words
slug = st.from_regex(SLUG_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 30)
code = st.from_regex(r"[A-Z0-9]{3,9}", fullmatch=True) | st.sampled_from(
    ["02N", "RAE", "E38000001"]
)
fy = st.integers(1990, 2099).map(format_fy)
money = st.floats(min_value=0, max_value=MAX_MONEY) | st.integers(0, int(MAX_MONEY)).map(float)
fte = st.floats(min_value=0, max_value=1e6, allow_nan=False)
date = st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))
by_year = st.dictionaries(fy, money, max_size=4)


def opt(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """``strategy`` or ``None``."""
    return st.none() | strategy


@st.composite
def consultations(draw: st.DrawFn) -> Consultation:
    """A consultation whose end is on or after its start."""
    start = draw(date)
    end = start + dt.timedelta(days=draw(st.integers(0, 400)))
    return Consultation(
        start=start, end=end, description=draw(free_text), outcome=draw(opt(free_text))
    )


schemes = st.builds(
    Scheme,
    id=slug,
    name=free_text,
    type=st.sampled_from(SchemeType),
    owner=code,
    sector=opt(st.sampled_from(Sector)),
    start_year=fy,
    saving=by_year,
    investment=by_year,
    double_running=by_year,
    capital=by_year,
    activity_change=opt(st.floats(min_value=-1, max_value=5, allow_nan=False)),
    evidence=opt(st.builds(Evidence, grade=st.sampled_from(EvidenceGrade), citation=opt(text))),
    depends_on=st.lists(slug, max_size=3),
    business_case=st.booleans(),
    workforce_dependent=st.booleans(),
    description=opt(free_text),
)

bed_changes = st.builds(
    BedChange,
    id=slug,
    trust=code,
    site=opt(code),
    year=fy,
    change=st.integers(-500, 500).filter(bool),
    bed_type=st.sampled_from(BedType),
    justification=opt(free_text),
    conditions=st.lists(
        st.builds(BedCondition, condition=st.sampled_from(BedTestCondition), evidence=free_text),
        max_size=3,
    ),
    relies_on=st.lists(slug, max_size=3),
)

coordinates = st.builds(
    Coordinates,
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
) | st.builds(
    Coordinates,
    easting=st.floats(0, 700_000, allow_nan=False),
    northing=st.floats(0, 1_300_000, allow_nan=False),
)


@st.composite
def site_changes(draw: st.DrawFn) -> SiteChange:
    """A site change; coordinates only for openings."""
    action = draw(st.sampled_from(SiteAction))
    coords = draw(opt(coordinates)) if action == SiteAction.open else None
    return SiteChange(
        id=draw(slug),
        site=draw(code),
        service=draw(st.sampled_from(Service)),
        action=action,
        year=draw(fy),
        coordinates=coords,
        description=draw(opt(free_text)),
    )


workforce_years = st.builds(
    WorkforceYear,
    recruitment=fte,
    training_places=fte,
    retention_change=fte,
    agency_reduction=fte,
    new_roles=fte,
)
workforces = st.dictionaries(
    st.sampled_from([g.value for g in StaffGroup]),
    st.dictionaries(fy, workforce_years, max_size=3),
    max_size=4,
).map(lambda groups: Workforce(**groups))


@st.composite
def governances(draw: st.DrawFn) -> Governance:
    """Governance; a publication date only when published."""
    published = draw(st.booleans())
    return Governance(
        lead=draw(opt(st.builds(Lead, name=free_text, role=opt(free_text),
                                organisation_kind=opt(st.sampled_from(list(LeadKind))),
                                gp=opt(st.booleans()),
                                sources=st.lists(free_text, max_size=2)))),
        board=draw(
            st.lists(
                st.builds(BoardMember, name=free_text, role=opt(free_text), organisation=opt(code)),
                max_size=3,
            )
        ),
        decision_rights=draw(st.none() | st.booleans() | free_text),
        published=published,
        published_date=draw(opt(date)) if published else None,
    )


engagements = st.builds(
    Engagement,
    events=st.lists(
        st.builds(Event, date=date, kind=st.sampled_from(EventKind), description=opt(free_text)),
        max_size=3,
    ),
    consultations=st.lists(consultations(), max_size=2),
    sign_offs=st.lists(
        st.builds(SignOff, organisation=code, date=opt(date), signed=st.booleans()), max_size=3
    ),
)

param_path = st.from_regex(r"[a-z][a-z0-9_]{0,8}(\.[a-z0-9_]{1,8}){1,3}", fullmatch=True)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """A schema-valid plan (not necessarily consistent with the reference data)."""
    base = draw(st.integers(1990, 2090))
    return Plan(
        footprint=draw(st.sampled_from(["E54000005", "West Yorkshire", "QWO"]) | text),
        footprint_set=draw(st.sampled_from(["stp2017", "stp2018", "icb2022"])),
        name=draw(free_text),
        illustrative=draw(st.booleans()),
        description=draw(opt(free_text)),
        base_year=format_fy(base),
        horizon=format_fy(base + draw(st.integers(1, 9))),
        assumptions=draw(
            st.dictionaries(
                param_path, st.floats(allow_nan=False, allow_infinity=False), max_size=3
            )
        ),
        baseline=draw(opt(st.dictionaries(st.sampled_from(Sector), money, max_size=4))),
        governance=draw(opt(governances())),
        schemes=draw(st.lists(schemes, max_size=3)),
        bed_changes=draw(st.lists(bed_changes, max_size=2)),
        site_changes=draw(st.lists(site_changes(), max_size=2)),
        workforce=draw(opt(workforces)),
        engagement=draw(opt(engagements)),
    )


@PROFILE
@given(plans())
def test_dump_then_load_gives_the_same_plan(plan: Plan) -> None:
    text_out = plan_to_yaml_str(plan)
    again, _ = parse_plan_text(text_out, "<roundtrip>")
    assert again == plan, text_out


@settings(max_examples=25, deadline=None)
@given(plans())
def test_validation_never_crashes(plan: Plan) -> None:
    problems = validate_plan(plan, source="<random>")
    assert all(p.file == "<random>" and p.message for p in problems)


def test_dump_plan_writes_atomically(tmp_path: Path) -> None:
    plan = Plan(footprint="E54000005", name="Tiny", workforce=Workforce())
    target = tmp_path / "sub" / "tiny.yaml"
    dump_plan(plan, target)
    assert load_plan(target) == plan
    assert [p.name for p in target.parent.iterdir()] == ["tiny.yaml"]  # no temporary left


def test_no_workforce_plan_differs_from_an_empty_one() -> None:
    empty = Plan(footprint="E54000005", name="x", workforce=Workforce())
    absent = Plan(footprint="E54000005", name="x")
    assert "workforce: {}" in plan_to_yaml_str(empty)
    assert "workforce" not in plan_to_yaml_str(absent)
    assert parse_plan_text(plan_to_yaml_str(empty))[0].workforce == Workforce()
    assert parse_plan_text(plan_to_yaml_str(absent))[0].workforce is None


def test_written_yaml_is_readable() -> None:
    plan = Plan(
        footprint="E54000005",
        name="x",
        description="line one\nline two",
        schemes=[
            Scheme(
                id="a",
                name="A",
                type=SchemeType.prescribing,
                owner="02N",
                start_year="2016/17",
                saving={"2016/17": 1_000_000.0},
            )
        ],
    )
    out = plan_to_yaml_str(plan)
    assert "saving: {2016/17: 1000000}" in out  # whole pounds without '.0', one line per item
    assert "description: |-\n  line one\n  line two" in out
    assert out.startswith("footprint: E54000005\nfootprint_set: stp2017\nname: x\n")
