"""The long fuzz run: thousands of hostile plan files through the real `openstp validate` (and
every tenth through `openstp run`), in-process, counting how each ended.

Run:  python benchmarks/fuzz_plans.py [--cases 5000] [--seed 1]

Prints tried / clean / refused (exit 2, one line per problem naming its file) / tracebacks /
hangs (over 20 s) / bad errors / bad output, with an example of each failure. Target: no
tracebacks, hangs, bad errors or bad output. The hostile files come from ``tests/hostile.py``.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hostile import mutate, trial


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    counts: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for case in range(args.cases):
            text = mutate(rng)
            for command, verdict in trial(text, Path(folder), f"case{case}",
                                          run=case % 10 == 0).items():
                counts[f"{command}: {verdict}"] += 1
                if verdict not in ("clean", "refused"):
                    examples.setdefault(f"{command}: {verdict}", text[:300])
            (Path(folder) / f"case{case}.yaml").unlink()
    seconds = time.perf_counter() - start
    print(f"tried {args.cases:,} hostile plans in {seconds:.0f} s "
          f"({seconds / args.cases * 1e3:.1f} ms each)")
    for key in sorted(counts):
        print(f"  {key:<26} {counts[key]:6,d}")
    failures = sum(n for k, n in counts.items() if not k.endswith(("clean", "refused")))
    print(f"failures (tracebacks, hangs, bad errors, bad output): {failures}  (target 0)")
    for key, text in examples.items():
        print(f"--- first {key}:\n{text}")


if __name__ == "__main__":
    main()
