"""A results folder is written whole: a review killed part-way over an old folder leaves the old
folder as it was (or the new one complete), never a mix; saved what-if plans survive."""

from __future__ import annotations

import dataclasses
import json
import pickle
import subprocess
import sys
import textwrap

import pytest

from openstp.errors import InputFileError
from openstp.folders import new_run_id
from openstp.report import load_results
from openstp.review.chain import run_chain
from openstp.risk import builtin_plans

KILLER = textwrap.dedent("""
    import os, pickle, signal, sys
    import pandas as pd
    import openstp.folders as folders
    tables, plans, out, when = pickle.load(open(sys.argv[1], "rb"))
    calls = {"n": 0}
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    if when == "swap":
        folders._swap_in = die
    else:
        to_csv = pd.DataFrame.to_csv
        def counting(self, *args, **kwargs):
            calls["n"] += 1
            if calls["n"] == when:
                die()
            return to_csv(self, *args, **kwargs)
        pd.DataFrame.to_csv = counting
    tables.write(out, plans)
""")


@pytest.fixture(scope="module")
def chain():
    plans = builtin_plans()[:2]
    run = run_chain(plans, draws=20, capacity_draws=5)
    return run.tables(), run.plans


def _again(tables):
    """The same tables stamped as another run."""
    return dataclasses.replace(tables, england={**tables.england, "run_id": new_run_id()})


def test_a_review_killed_at_any_point_leaves_the_old_folder_whole(chain, tmp_path):
    tables, plans = chain
    out = tmp_path / "results"
    tables.write(out, plans)
    (out / "plans" / "E54000005-scenario-1.yaml").write_text("saved what-if")
    old_id = load_results(out).england["run_id"]
    for when in (1, 5, "swap"):
        job = tmp_path / f"job-{when}.pickle"
        job.write_bytes(pickle.dumps((_again(tables), plans, out, when)))
        done = subprocess.run([sys.executable, "-c", KILLER, str(job)], check=False)
        assert done.returncode < 0  # killed, not finished
        assert load_results(out).england["run_id"] == old_id
    newer = _again(tables)
    newer.write(out, plans)
    assert load_results(out).england["run_id"] == newer.england["run_id"] != old_id
    assert (out / "plans" / "E54000005-scenario-1.yaml").read_text() == "saved what-if"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers
    stamp = json.loads((out / "run.json").read_text())
    assert "plans/E54000005-scenario-1.yaml" not in stamp["files"]


def test_a_folder_openstp_did_not_write_is_never_replaced(chain, tmp_path):
    tables, plans = chain
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    with pytest.raises(InputFileError, match="OpenSTP did not write"):
        tables.write(precious, plans)
    assert (precious / "thesis.tex").read_text() == "years of work"
