"""Defaults every stage shares, so a seed means the same futures in every command."""

DEFAULT_SEED = 2016  # the year the STPs were written
