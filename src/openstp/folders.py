"""Folders written as one: a results folder or a report site is built beside its target and
swapped in with one rename, and stamped so a reader can tell it is whole.

A run killed half-way therefore leaves the old folder as it was, or the new one complete; never a
mix. ``run.json`` lists every file the run wrote with its SHA-256 and the run's id;
``verify_stamp`` refuses a folder whose files do not match it (files mixed from two runs, or
changed since).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from openstp.errors import InputFileError, Problem, problem
from openstp.io import DIR_MODE, unwritable

STAMP = "run.json"
_RENAME_EXCHANGE = 2  # renameat2(2) flag: swap two paths atomically (Linux 3.15+)
_AT_FDCWD = -100


def new_run_id() -> str:
    """A fresh id for one run: every file it writes carries it in ``run.json``."""
    return uuid.uuid4().hex


@contextmanager
def atomic_folder(target: str | os.PathLike[str], keep: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on success it replaces ``target`` in one step.

    ``keep`` names sub-folders of the old ``target`` whose files the new run did not write
    (saved what-if plans in ``plans/``, say) to carry over into the new folder.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise unwritable(target, NotADirectoryError(20, "a file is in the way"))
    if target.is_dir() and any(target.iterdir()) and not (target / STAMP).is_file():
        # Replacing it would delete whatever it holds: only a folder OpenSTP wrote is replaced.
        raise InputFileError([problem(str(target), "this folder has files OpenSTP did not "
                                      "write (no run.json); give a new or empty folder")])
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as err:
        raise unwritable(target, err) from None
    try:
        yield tmp
        for sub in keep:
            _carry_over(target / sub, tmp / sub)
        os.chmod(tmp, DIR_MODE)  # mkdtemp makes it private; outputs are shared as usual
        _swap_in(tmp, target)
        for stale in target.parent.glob(f".{target.name}.*.tmp*"):  # left by killed runs
            if stale != tmp:
                shutil.rmtree(stale, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _carry_over(old: Path, new: Path) -> None:
    if not old.is_dir():
        return
    for path in old.iterdir():
        if path.is_file() and not (new / path.name).exists():
            new.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, new / path.name)


def _swap_in(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; what was there ends up at ``new`` (removed by the caller)."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        return
    # No atomic swap on this system: move the old folder aside, then the new one in.
    aside = new.with_name(new.name + ".old")
    os.rename(target, aside)
    os.rename(new, target)
    os.rename(aside, new)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one system call where the kernel allows it (Linux renameat2)."""
    name = ctypes.util.find_library("c")
    try:
        renameat2 = ctypes.CDLL(name, use_errno=True).renameat2 if name else None
    except AttributeError:
        renameat2 = None
    if renameat2 is None:
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                     _RENAME_EXCHANGE) == 0


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def stamp(folder: Path, run_id: str, what: str) -> None:
    """Write ``run.json``: the run id and the SHA-256 of every file now in ``folder``."""
    files = {str(p.relative_to(folder)): _digest(p) for p in sorted(folder.rglob("*"))
             if p.is_file() and p.name != STAMP}
    document = {"run_id": run_id, "what": what,
                "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "files": files}
    (folder / STAMP).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def verify_stamp(folder: Path) -> tuple[str | None, list[Problem]]:
    """The folder's run id and the problems if any file differs from what that run wrote."""
    where = folder / STAMP
    try:
        document = json.loads(where.read_text(encoding="utf-8"))
        run_id, files = str(document["run_id"]), dict(document["files"])
    except FileNotFoundError:
        return None, [problem(str(where), "missing: this folder was not written whole by "
                              "OpenSTP (write it again)")]
    except (OSError, ValueError, KeyError, TypeError) as err:
        return None, [problem(str(where), f"unreadable ({err}); write the folder again")]
    problems = []
    for name, digest in files.items():
        path = folder / name
        if not path.is_file():
            problems.append(problem(str(path), f"missing, though run {run_id[:8]} wrote it"))
        elif _digest(path) != digest:
            problems.append(problem(str(path), f"not the file run {run_id[:8]} wrote: the "
                                    "folder mixes runs or was edited; write it again"))
    return run_id, problems
