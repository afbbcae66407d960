"""Shared fixtures: run the real ``openstp`` command as a user would; one real national review."""

import subprocess
import sys

import pytest


@pytest.fixture
def cli():
    def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "openstp", *args], capture_output=True, check=False,
                              text=True, cwd=cwd, timeout=120)
    return run


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
