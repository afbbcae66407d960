"""Publishing the review: an offline HTML report site, an Excel workbook, and the charts they share.

Everything here reads a *results folder* written by ``openstp review --out DIR`` (see
``openstp.report.results`` for its files and columns); nothing earlier in the chain imports it.
"""

from openstp.report.results import FootprintResults, Results, load_results
from openstp.report.site import write_site
from openstp.report.workbook import write_workbook

__all__ = ["FootprintResults", "Results", "load_results", "write_site", "write_workbook"]
