"""Readiness review: every plan scored against the published critiques, with reasons."""

from openstp.review.overall import Review, overall_readiness, review_plan
from openstp.review.verdict import CATALOGUE, Evidence, Rating, Rule, Verdict

__all__ = ["CATALOGUE", "Evidence", "Rating", "Review", "Rule", "Verdict", "overall_readiness",
           "review_plan"]
