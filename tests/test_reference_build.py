"""The reference-data build: one builder per table reproduces the shipped tables byte for byte,
and nothing the program runs reads the shared data folder.

The build reads ``../shared/data`` beside the repository (or ``$OPENSTP_SHARED_DATA``); where
that folder is absent (a fresh clone) the comparison is skipped.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "openstp" / "data"
SHARED = Path(os.environ.get("OPENSTP_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared data folder at {SHARED}")
def test_builders_reproduce_the_shipped_tables(tmp_path):
    pytest.importorskip("pyproj")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference_data.py"),
                    "--shared", str(SHARED), "--out", str(tmp_path)], check=True,
                   capture_output=True, timeout=600)
    shipped = sorted(p.name for p in DATA.iterdir() if p.suffix in (".parquet", ".yaml"))
    assert sorted(p.name for p in tmp_path.iterdir()) == shipped
    for name in shipped:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_one_builder_module_per_table():
    import yaml

    tables = yaml.safe_load((DATA / "manifest.yaml").read_text())["tables"]
    modules = {p.stem for p in (ROOT / "scripts" / "reference").glob("*.py")}
    assert set(tables) <= modules
    assert all(len(p.read_text().splitlines()) < 400
               for p in (ROOT / "scripts").rglob("*.py"))


def test_the_program_never_reads_the_shared_folder():
    code = list((ROOT / "src" / "openstp").rglob("*.py"))
    assert code and not [p for p in code if re.search(r"shared[/\\\\]data|\.\./shared",
                                                      p.read_text())]
