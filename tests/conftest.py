"""Shared fixtures: run the real ``openstp`` command as a user would."""

import subprocess
import sys

import pytest


@pytest.fixture
def cli():
    def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "openstp", *args], capture_output=True, check=False,
                              text=True, cwd=cwd, timeout=120)
    return run
