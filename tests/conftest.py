"""Shared fixtures: run the real ``openstp`` command as a user would; one real national review."""


import contextlib
import fcntl
import io
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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


def built_once(tmp_path_factory, name: str, build: Callable[[Path], object]) -> Path:
    """A results folder made by ``build(folder)`` once for the whole run, read-only after.

    Under pytest-xdist the test processes share one base folder: the first to get here builds
    (holding a lock), the others wait and read what it wrote, so a review that takes seconds is
    not run once per process. Tests copy such a folder before they change anything in it.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name) / "results"
        build(folder)
        return folder
    root = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    root.mkdir(exist_ok=True)
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "built").exists():
            build(root / "results")
            (root / "built").touch()
    return root / "results"


@pytest.fixture(scope="session")
def national_folder(tmp_path_factory):
    """A real review of the 44 built-in plans (200 draws), written once per test run."""
    from openstp.review import chain

    return built_once(tmp_path_factory, "national",
                      lambda folder: chain.run_national(draws=200).write(folder))
