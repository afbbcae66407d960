"""Chart specs are plain data that plotly.py would have made: same traces, layout and config.

``data/chart_specs_graph_objects.json`` holds, for charts of the sample results folder (and a few
awkward tables: escaped names, missing numbers, empty frames), each chart function's input and
the spec that the graph_objects implementation of the charts (commit ebd59d0) wrote for it.
"""

import json
import math
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from test_report_sample import sample, sample_folder  # noqa: F401 - fixtures

from openstp.report import charts, maps
from openstp.report.blocks import SiteLinks, spec_json
from openstp.report.footprint_blocks import footprint_charts
from openstp.report.pages import england_page

GOLDEN = json.loads((Path(__file__).parent / "data" / "chart_specs_graph_objects.json")
                    .read_text("utf-8"))
MODULES = {"charts": charts, "maps": maps}


def _argument(value):
    if isinstance(value, dict) and set(value) == {"frame"}:
        return pd.DataFrame(value["frame"]["rows"], columns=value["frame"]["columns"])
    return value


def assert_same(new, old, path="spec"):
    """Equal as parsed JSON: the same keys, lists and text; numbers within float tolerance."""
    if isinstance(old, dict):
        assert isinstance(new, dict) and set(new) == set(old), path
        for key in old:
            assert_same(new[key], old[key], f"{path}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), path
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(old, float) and not isinstance(new, bool):
        assert isinstance(new, int | float) and math.isclose(new, old, rel_tol=1e-12,
                                                             abs_tol=1e-12), path
    else:
        assert type(new) is type(old) and new == old, path


def parsed(spec: dict) -> dict:
    return json.loads(spec_json(spec))


@pytest.mark.parametrize("case", sorted(GOLDEN))
def test_spec_equals_the_graph_objects_spec(case):
    golden = GOLDEN[case]
    module, name = golden["function"].split(".")
    figure = getattr(MODULES[module], name)(*[_argument(a) for a in golden["args"]])
    spec = {**figure, "config": golden["spec"]["config"]}
    assert_same(parsed(spec), golden["spec"])


def _every_chart(sample):  # noqa: F811
    page = england_page(sample, SiteLinks(0))["charts"]
    for code in sample.footprints():
        page |= {f"{code}-{k}": c for k, c in footprint_charts(sample.footprint(code)).items()}
    return page


def test_graph_objects_accept_every_chart_unchanged(sample):  # noqa: F811
    """Validation raises on a property plotly.js does not know, and coerces odd values.

    The maps were drawn unvalidated before too: validation spells out the colour scale that
    plotly.js knows by name.
    """
    for key, chart in _every_chart(sample).items():
        spec = chart.spec()
        figure = go.Figure(data=spec["data"], layout=spec["layout"])
        if chart.id not in ("map", "access-map"):
            assert_same(parsed({**figure.to_plotly_json(), "config": spec["config"]}),
                        parsed(spec), key)


def test_json_is_safe_inside_a_script_and_strict():
    spec = {"data": [{"type": "bar", "x": ["</script><b>&amp;"], "y": [float("nan")]}]}
    text = spec_json(spec)
    assert not any(c in text for c in "<>&") and "NaN" not in text
    assert json.loads(text) == {"data": [{"type": "bar", "x": ["</script><b>&amp;"],
                                          "y": [None]}]}


def test_a_name_like_nan_stays_text():
    text = spec_json({"data": [{"name": "NaN", "y": [float("inf"), 1]}]})
    assert json.loads(text) == {"data": [{"name": "NaN", "y": [None, 1]}]}
