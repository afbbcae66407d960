"""The web app's stated limits: request size, plan size, worker pool and caches.

Each is a bound on what one request can make the server do, chosen from measurements on a
two-core machine; a request over a limit is refused with a message that names it.
"""

from __future__ import annotations

import os

MAX_BODY = 1_000_000
"""Bytes in one request body (JSON, YAML or a form); more is refused with 413 before parsing.
A reviewed plan file is 5–20 kB; 1 MB holds a plan with every list at its file limit."""
MAX_SCHEMES = 200
"""Schemes in a plan uploaded or changed through the web app (plan files allow 1,000). Reading
and writing a plan cost under 1 ms a scheme, but every what-if recomputes every scheme through
the whole chain, so a plan of 1,000 schemes would hold a worker far longer than a page waits."""
MAX_ASSUMPTIONS = 1_000
"""Assumptions changed in one what-if (the parameter tree has a few hundred)."""
MAX_YEARS = 30
"""Years of one scheme's saving changed in one what-if (a plan runs five to ten years)."""
QUEUE_PER_WORKER = 1
"""What-ifs waiting per worker before more are refused with 503 (a short queue: a client told
to retry soon is better served than one left waiting behind many others; with two waiting per
worker, 10 clients on 2 cores waited 1.5 s at p95, with one 1.0 s)."""
PAGE_CACHE = 256
"""Rendered pages kept (England, rules, assumptions, each footprint with each of its plans)."""
TEXT_CACHE = 4_096
"""JSON and CSV answers kept (every table of every footprint fits)."""
SCENARIO_CACHE = 128
"""What-if results kept (most recently used)."""


def default_workers() -> int:
    """Worker threads for recomputation: one per core available, at most four."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))
