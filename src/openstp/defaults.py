"""Defaults every stage shares, so a seed means the same futures in every command."""

DEFAULT_SEED = 2016  # the year the STPs were written

FOOTPRINT_SETS = ("stp2017", "stp2018", "stp2019", "stp2020", "icb2022")
"""The footprint sets shipped in the reference data (``openstp.data``)."""
