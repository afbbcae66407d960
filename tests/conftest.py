"""Shared fixtures: run the real ``openstp`` command as a user would; one real national review."""


import contextlib
import io
import os
import sys
import traceback
from dataclasses import dataclass

import pytest


@dataclass
class Completed:
    """What a finished ``openstp`` command left: its exit status and what it printed."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run_openstp(*args: str | os.PathLike[str], cwd=None) -> Completed:
    """Run ``openstp ARGS`` as its console entry point does, in this interpreter.

    The command sees the same argv, working folder and (non-terminal) stdout and stderr as from
    a shell, and exits through ``SystemExit`` with the status a shell would get; an uncaught
    exception prints its traceback on stderr with status 1, as Python would. In-process, so a
    hundred commands share one interpreter's imports and reference data.
    """
    from openstp.cli import main

    words = [str(a) for a in args]
    out, err = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="") for _ in "oe")
    argv = sys.argv
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        sys.argv = ["openstp", *words]
        try:
            main()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except Exception:  # noqa: BLE001 - what a user would see as a traceback
            traceback.print_exc(file=err)
            code = 1
        finally:
            sys.argv = argv
    texts = []
    for stream in (out, err):
        stream.flush()
        texts.append(stream.buffer.getvalue().decode("utf-8"))
    return Completed(words, code, *texts)


@pytest.fixture
def cli():
    return run_openstp


@pytest.fixture(scope="session")
def builtin_run():
    """The 44 built-in plans, a few hundred draws: shared by the what-it-takes tests."""
    from openstp.risk import builtin_plans, simulate

    return simulate(builtin_plans(), draws=400, seed=2016)


@pytest.fixture(scope="session")
def national_folder(tmp_path_factory):
    """A real review of the 44 built-in plans (200 draws), written once per test process."""
    from openstp.review import chain

    folder = tmp_path_factory.mktemp("national") / "results"
    chain.run_national(draws=200).write(folder)
    return folder
