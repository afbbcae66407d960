"""Every command's ``--help`` ends with two real examples, and each one works as printed.

Each example is parsed by the command it names (options, types and checks as the command line
makes them); then all are run, in the order ``openstp --help`` lists their commands (so the
review examples write the results folders that report, export and diff read), from a folder that
holds the repository's ``examples/`` and ``src/``, with the shell's quoting, globs and ``>``
as a user would paste them.
"""

from __future__ import annotations

import contextlib
import glob
import io
import shlex
import sys
import traceback
from pathlib import Path

import pytest

from openstp import cli as openstp_cli
from openstp.cli import main

ROOT = Path(__file__).resolve().parents[1]
GROUP = openstp_cli.command()
COMMANDS = list(GROUP.commands)
RUNS_UNTIL_STOPPED = {"serve"}


def examples(help_epilog: str | None) -> list[str]:
    """The example commands of an epilog (its lines that start with ``openstp``)."""
    return [line.strip() for line in (help_epilog or "").splitlines()
            if line.strip().startswith("openstp ")]


def test_every_command_and_the_app_have_two_examples():
    assert examples(GROUP.epilog) and len(examples(GROUP.epilog)) == 2
    for name, command in GROUP.commands.items():
        assert len(examples(command.epilog)) == 2, name
        assert all(e.split()[1] == name for e in examples(command.epilog)), name


@pytest.mark.parametrize("name", COMMANDS)
def test_help_ends_with_the_examples(cli, name):
    result = cli(name, "--help")
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    after = lines[len(lines) - 1 - lines[::-1].index("Examples:") + 1:]
    assert " ".join(after) == " ".join(examples(GROUP.commands[name].epilog))


def arguments(example: str) -> list[str]:
    """An example's arguments after ``openstp COMMAND``, as the shell would pass them."""
    words = shlex.split(example)
    if ">" in words:
        words = words[: words.index(">")]
    out = []
    for word in words[2:]:
        out += sorted(glob.glob(str(ROOT / word))) if "*" in word else [word]
    return out


@pytest.mark.parametrize("example", [e for c in GROUP.commands.values()
                                     for e in examples(c.epilog)] + examples(GROUP.epilog))
def test_every_example_parses(example):
    command = GROUP.commands[example.split()[1]]
    ctx = command.make_context(example.split()[1], arguments(example))
    assert ctx.params is not None


def run_in_process(example: str, cwd: Path) -> tuple[int, str]:
    """Run one example as the shell would hand it to ``openstp``: quotes, globs and ``>``.

    In-process, so the thirty examples share one interpreter's imports and reference data rather
    than starting Python thirty times; the exit status and stderr are what the shell would see.
    """
    words = shlex.split(example)
    target = words[words.index(">") + 1] if ">" in words else None
    args = [words[1], *arguments(example)]
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        sys.argv = ["openstp", *args]
        try:
            main()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 0
        except Exception:  # noqa: BLE001 - a traceback fails the example, reported with its text
            code, _ = 1, err.write(traceback.format_exc())
        finally:
            sys.argv = argv
    if target:
        (cwd / target).write_text(out.getvalue(), encoding="utf-8")
    return code, err.getvalue()


CHAINED = ("review", "diff", "report", "export")
"""Commands whose examples read the results folders the review examples write, run in order."""
DASK = ("what-it-takes", "sensitivity", "sweep")
GROUPS = {"chain": [c for c in COMMANDS if c in CHAINED],
          "dask": [c for c in COMMANDS if c in DASK],
          "stages": [c for c in COMMANDS if c not in (*CHAINED, *DASK, *RUNS_UNTIL_STOPPED)]}
"""Three independent groups, so the test processes share the work."""


@pytest.mark.parametrize("group", GROUPS)
def test_every_example_runs(group, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    for name in ("examples", "src"):
        (work / name).symlink_to(ROOT / name)
    failed = []
    for name in GROUPS[group]:
        for example in examples(GROUP.commands[name].epilog):
            code, stderr = run_in_process(example, work)
            if code != 0 or "Traceback" in stderr:
                failed.append(f"{example}: exit {code}: {stderr[-500:]}")
    assert not failed, "\n".join(failed)
    if group == "stages":
        assert (work / "plan.schema.json").stat().st_size > 1000
    if group == "chain":
        assert (work / "site" / "index.html").exists() and (work / "results.xlsx").exists()
        # the last report example ran the review itself (no --results): a page per footprint
        assert len(list((work / "site" / "footprints").glob("*.html"))) == 44


def test_the_groups_hold_every_command_but_serve():
    grouped = [name for names in GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(set(COMMANDS) - RUNS_UNTIL_STOPPED)
