"""Defaults every stage shares, so a seed means the same futures in every command, and each kind
of command has one number of simulated futures (``--draws``), defined here only."""

DEFAULT_SEED = 2016  # the year the STPs were written

FOOTPRINT_SETS = ("stp2017", "stp2018", "stp2019", "stp2020", "icb2022", "icb2023", "icb2026")
"""The footprint sets shipped in the reference data (``openstp.data``): the STPs of 2017-2020,
the ICBs of July 2022 and April 2023 (42) and of April 2026 (36, after the mergers)."""

ICB_SETS = ("icb2023", "icb2026")
"""The sets of today's ICBs, with the ICB series (``openstp.data.icb``) and the MTPF rules."""

ICB_YEARS = ("2025/26", "2030/31")
"""Base year and horizon of a run on an ICB set without a plan: the MTPF's years and five."""

RISK_DRAWS = 10_000
"""Delivery risk (``openstp run``, ``review``; ``report``/``export`` when the review runs first):
random draws after the central one, P(balance) to within ±0.5 percentage points."""

CAPACITY_DRAWS = 1_000
"""Beds, workforce and social care (``openstp beds``, ``workforce``, ``social-care``); in a review,
the first draws of the risk run that also go through the bed and workforce models."""

DIFF_DRAWS = 2_000
"""``openstp diff`` of two plans: simulated futures per plan, both with the same seed."""

WHAT_IF_DRAWS = 1_000
"""The web app's "what if" (``openstp serve``): simulated futures per recomputed footprint."""

TAKES_DRAWS = 1_000
"""``openstp what-it-takes``: random draws behind every root (each re-run of the engine)."""

SOBOL_DRAWS = 100
"""``openstp sensitivity`` and ``review --sensitivity``: draws per Sobol sample; the indices
need many samples more than many draws."""

SWEEP_DRAWS = 200
"""``openstp sweep``: draws per variant, unless the grid file sets its own."""
