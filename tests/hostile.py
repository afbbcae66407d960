"""Hostile and careless plan files, made from the example plan, and a way to run the real CLI on
them in-process and say how it behaved. Used by ``tests/test_fuzz_plans.py`` and by
``benchmarks/fuzz_plans.py`` (the long run)."""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "west_yorkshire_example.yaml"
TEXT = EXAMPLE.read_text(encoding="utf-8")
SCALAR = re.compile(r"(?m)^(\s*(?:- )?[a-z_]+:) ([^\n{\[|>#][^\n#]*?)\s*(#.*)?$")
MONEY = re.compile(r"(\d{4}/\d{2}): (\d+)")

VALUES = [
    "9.9e307", "1e40", "-1e9", "-1000000000", ".inf", "-.inf", ".nan", "0", "-0.0", "1e-320",
    "'[/bold] [link=http://x]y[/link]'", '"\\x1b[31mred\\x1b[0m"', '"\\x00nul"', "''", "~",
    "[]", "{}", "[1, [2, [3]]]", "{a: {b: {c: d}}}", "true", "'yes'", "2016/17", "2020/19",
    "2030/31", "1990/91", "E99999999", "ZZZ99", "RWY99", "'2017-02-30'", "x" * 100_000,
    "ünïcödé ✓", "'" + "[" * 50 + "'", "!!python/object/apply:os.system ['id']",
    "!!python/tuple [1, 2]", "!!omap [{a: 1}]", "!custom {a: 1}", "!!binary aGk=", "*nowhere",
    "&a x", "<<", "12:30:00", "0x7fffffffffffffff", "1" * 400,
]
SNIPPETS = [
    "bomb: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b]\n",
    "self: &s [*s]\n", "deep: " + "[" * 400 + "]" * 400 + "\n", "deep: " + "{a: " * 70 + "1"
    + "}" * 70 + "\n", "---\nsecond: document\n", "name: again\n", "\tbad: tab\n", "? [k]\n: v\n",
    "merge:\n  <<: {a: 1}\n", "weird: !!set {a, b}\n", "x: %\n", "x: @y\n", "x: `y`\n",
]
STRUCTURE = ["drop a line", "truncate", "duplicate a section", "binary noise", "bom", "empty",
             "only comments", "a list"]


def mutate(rng: random.Random) -> str:
    """One hostile variant of the example plan: a changed value, an inserted construct, a
    damaged structure, or a few of these together."""
    text = TEXT
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.random()
        pattern, values = (SCALAR, VALUES) if kind < 0.45 else (MONEY, VALUES[:12])
        spots = list(pattern.finditer(text)) if kind < 0.6 else []
        if spots:
            spot = rng.choice(spots)
            text = text[:spot.start(2)] + rng.choice(values) + text[spot.end(2):]
        elif 0.6 <= kind < 0.8:
            lines = text.splitlines(keepends=True)
            at = rng.randrange(len(lines) + 1)
            text = "".join([*lines[:at], rng.choice(SNIPPETS), *lines[at:]])
        elif kind >= 0.8:
            text = _damage(text, rng.choice(STRUCTURE), rng)
    return text


def _damage(text: str, how: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    if how == "drop a line":
        del lines[rng.randrange(len(lines))]
        return "".join(lines)
    if how == "truncate":
        return text[:rng.randrange(len(text))]
    if how == "duplicate a section":
        at = rng.randrange(len(lines))
        return "".join([*lines[:at], *lines[at:at + 12], *lines[at:]])
    if how == "binary noise":
        at = rng.randrange(len(text))
        return text[:at] + "".join(chr(rng.randrange(0, 32)) for _ in range(5)) + text[at:]
    if how == "bom":
        return "\ufeff" + text
    if how == "empty":
        return ""
    if how == "only comments":
        return "# nothing here\n"
    return "- " + text.replace("\n", "\n  ")


LINE = re.compile(r"^error: \S.*?: |^\S.*?: ")
"""A problem line: the file (and line, field) first, then what is wrong."""


def run_cli(args: list[str], seconds: int = 20) -> tuple[int | str, str, str]:
    """``openstp ARGS`` in this process: (exit status or 'traceback'/'hang', stdout, stderr)."""
    from openstp.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(seconds)
    argv, sys.argv = sys.argv, ["openstp", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
        code: int | str = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except _Hang:
        code = "hang"
    except Exception as exc:  # noqa: BLE001 - what a traceback would be
        code = "traceback"
        err.write(f"{type(exc).__name__}: {exc}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


class _Hang(Exception):
    pass


def _hang(*_: object) -> None:
    raise _Hang


def judge(code: int | str, out: str, err: str, json_out: bool = False) -> str:
    """'clean' (ran, valid output), 'refused' (exit 2, every line names its file), or the
    failure: 'traceback', 'hang', 'bad error' or 'bad output'."""
    if code in ("traceback", "hang"):
        return str(code)
    if code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        return "refused" if lines and all(LINE.match(line) for line in lines) else "bad error"
    if code != 0:
        return "bad error"
    if json_out:
        try:
            json.loads(out, parse_constant=_no_constant)
        except ValueError:
            return "bad output"
    return "clean"


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def trial(text: str, folder: Path, name: str, run: bool,
          write: Callable[[Path, str], None] | None = None) -> dict[str, str]:
    """Write ``text`` as a plan and put it through ``validate`` (and ``run``): how each went."""
    path = folder / f"{name}.yaml"
    (write or (lambda p, t: p.write_bytes(t.encode("utf-8", "surrogatepass"))))(path, text)
    verdicts = {"validate": judge(*run_cli(["validate", str(path)]))}
    if run:
        verdicts["run"] = judge(*run_cli(["run", str(path), "--draws", "20", "--format",
                                          "json"]), json_out=True)
    return verdicts
