"""The national review's headline figures tell footprints apart, and each moves with what
drives it (a real review of the 44 built-in plans: the session's ``national_folder``)."""

import json

import pandas as pd
import pytest

from openstp.review.verdict import CATALOGUE


@pytest.fixture(scope="module")
def league(national_folder):
    return pd.read_csv(national_folder / "league.csv")


def test_verdicts_are_not_clones(league, national_folder):
    patterns = league[list(CATALOGUE)].astype(str).agg("|".join, axis=1)
    assert patterns.nunique() >= 10
    assert json.loads((national_folder / "england.json").read_text())["verdict_patterns"] == (
        patterns.nunique())


def test_the_gap_left_a_head_follows_the_opening_deficit(league):
    per_head = league["residual_per_head"]
    assert per_head.max() / per_head.min() > 1.5
    opening = league["opening_position"] / league["population"]
    assert per_head.corr(opening, method="spearman") > 0.5


def test_the_do_nothing_gap_is_not_one_share_of_spend_everywhere(league):
    share = league["gap"] / league["extra_funding_p50"].div(league["extra_funding_p50_share"])
    assert share.max() - share.min() > 0.02  # gap as a share of the footprint's allocation


def test_what_it_takes_grows_with_the_gap_left(league):
    takes = league["extra_funding_p50"] / league["population"]
    assert takes.corr(league["residual_per_head"], method="spearman") > 0.7
    assert (league["probability_of_balance"] < 0.5).all()  # on the evidence none balances
    assert league["probability_of_balance"].max() > 0  # but balance is possible in some draws
