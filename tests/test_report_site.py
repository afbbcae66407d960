"""``openstp report``: the static site's pages, downloads, offline assets and escaping."""

import hashlib
import json
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from plotly.offline import get_plotlyjs_version
from test_report_sample import copy_folder, restamp, sample, sample_folder  # noqa: F401 - fixtures

from openstp.plan import load_plan, plan_to_yaml_str
from openstp.report import load_results, write_site
from openstp.report import site as site_module
from openstp.report.site import PLOTLY_JS, asset_text


class Links(HTMLParser):
    """Every (tag, attrs) of a page, and the chart containers."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(path: Path) -> list[tuple[str, dict]]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


@pytest.fixture(scope="module")
def site(sample_folder, tmp_path_factory, cli):  # noqa: F811
    out = tmp_path_factory.mktemp("site") / "site"
    result = cli("report", "--results", str(sample_folder), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Wrote 6 pages (3 footprints)" in result.stderr
    return out


@pytest.fixture(scope="module")
def cli():
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "openstp", *args],
                              capture_output=True, check=False,
                              text=True, timeout=300)
    return run


def test_site_has_england_and_every_footprint(site, sample):  # noqa: F811
    assert "England's Sustainability and Transformation Plans, open and testable" in (
        site / "index.html").read_text(encoding="utf-8")
    assert (site / "rules.html").is_file() and (site / "assumptions.html").is_file()
    for code in sample.footprints():
        page = site / "footprints" / f"{code}.html"
        assert page.is_file()
        assert (site / "plans" / f"{code}.yaml").is_file()
    assert (site / "openstp-results.xlsx").is_file()
    assert (site / "assets" / PLOTLY_JS).read_text() == asset_text(PLOTLY_JS)


def test_the_shipped_plotly_bundle_draws_every_trace_type_the_site_uses(site):
    """The partial bundle matches its manifest and the installed plotly, and lacks no trace."""
    manifest = yaml.safe_load(asset_text("plotly-finance.yaml"))
    js = asset_text(PLOTLY_JS)
    assert manifest["version"] == get_plotlyjs_version() and f"v{manifest['version']}" in js[:200]
    assert hashlib.sha256(js.encode()).hexdigest() == manifest["sha256"]
    assert sorted(set(re.findall(r'moduleType:"trace",name:"(\w+)"', js))) == manifest["traces"]
    used = set()
    for page in site.rglob("*.html"):
        for spec in re.findall(r'class="chart-spec"[^>]*>(.*?)</script>', page.read_text(), re.DOTALL):
            used |= {trace.get("type", "scatter") for trace in json.loads(spec)["data"]}
    assert {"bar", "scatter", "waterfall"} <= used <= set(manifest["traces"])


def test_every_chart_has_a_working_csv_link_and_alt_text(site):
    for page in [site / "index.html", *sorted((site / "footprints").glob("*.html"))]:
        tags = parse(page)
        charts = [a for t, a in tags if t == "div" and "chart" in a.get("class", "").split()]
        downloads = [a["href"] for t, a in tags if t == "a" and "download" in a]
        assert charts, page
        for chart in charts:
            assert chart["role"] == "img" and len(chart["aria-label"]) > 30, chart
        for href in downloads:
            assert (page.parent / href).resolve().is_file(), (page, href)
        assert len([h for h in downloads if h.endswith(".csv")]) >= len(charts)


def test_pages_load_nothing_from_the_internet(site):
    for page in site.rglob("*.html"):
        for tag, attrs in parse(page):
            for key in ("src", "href"):
                url = attrs.get(key) or ""
                loads = tag in ("script", "link", "img", "iframe")
                if loads and url:
                    assert not re.match(r"^(https?:)?//", url), (page, tag, url)
    assert "cdn" not in (site / "assets" / "openstp.js").read_text()


def test_pages_have_headings_captions_and_a_language(site):
    html = (site / "footprints" / "E54000005.html").read_text()
    assert '<html lang="en-GB">' in html and "<h1>West Yorkshire</h1>" in html
    tables = html.count("<table")
    assert tables >= 5 and html.count("<caption") == tables
    assert "Skip to main content" in html
    for heading in ("From the do-nothing gap to the gap left", "The gap left after the plan",
                    "Which schemes carry the risk", "Beds needed and beds planned",
                    "Minutes to each service after the plan", "Staff required and supplied",
                    "Readiness verdicts for West Yorkshire", "Key assumptions"):
        assert heading in html, heading


def test_chart_data_csv_is_the_charted_table(site, sample):  # noqa: F811
    bridge = pd.read_csv(site / "data" / "E54000030" / "bridge.csv")
    stored = sample.footprint("E54000030").table("bridge")
    assert list(bridge["step"]) == list(stored["step"])
    assert bridge["amount"].tolist() == pytest.approx(stored["amount"].tolist())


def test_site_files_are_readable_by_a_web_server(site):
    for path in (site / "index.html", site / "assets" / PLOTLY_JS,
                 site / "data" / "england" / "league.csv"):
        assert path.stat().st_mode & stat.S_IROTH


def test_plan_text_is_escaped_everywhere(sample_folder, tmp_path):  # noqa: F811
    folder = copy_folder(sample_folder, tmp_path)
    evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    schemes = pd.read_csv(folder / "schemes.csv", dtype=str)
    schemes.loc[0, "name"] = evil
    schemes.to_csv(folder / "schemes.csv", index=False)
    verdicts = pd.read_csv(folder / "verdicts.csv", dtype=str)
    verdicts.loc[0, "explanation"] = evil
    verdicts.to_csv(folder / "verdicts.csv", index=False)
    plan_file = folder / "plans" / "E54000005.yaml"
    plan = load_plan(plan_file)
    plan_file.write_text(plan_to_yaml_str(plan.model_copy(update={"name": evil})))
    write_site(load_results(restamp(folder)), tmp_path / "site", workbook=False)
    html = (tmp_path / "site" / "footprints" / "E54000005.html").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "\\u0026lt;script\\u0026gt;" in html  # chart labels: HTML-escaped, then JSON


def test_a_report_that_fails_part_way_leaves_the_last_site_whole(sample, tmp_path,  # noqa: F811
                                                                   monkeypatch):
    out = tmp_path / "site"
    write_site(sample, out, workbook=False)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    calls = {"n": 0}
    real = site_module.footprint_page

    def fail_on_the_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # as a user's Ctrl-C would, after some pages are written
        return real(*args, **kwargs)

    monkeypatch.setattr(site_module, "footprint_page", fail_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        write_site(sample, out, workbook=False)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # nothing left over


def test_report_on_a_bad_folder_lists_problems(cli, tmp_path):
    (tmp_path / "england.json").write_text("{")
    result = cli("report", "--results", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "england.json: cannot read as JSON" in result.stderr
    assert "league.csv: missing file" in result.stderr
    assert "Traceback" not in result.stderr
