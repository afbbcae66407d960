"""The plans folder: list, read and save plan files by name, safely and never silently over.

A name is a file stem of letters, digits, '-' and '_', at most ``MAX_NAME`` characters (so no path
can escape the folder), checked before any file is touched. Every
read returns a *version* (the SHA-256 of the file's bytes); a save over an existing file must
carry the version that was read, or it is refused as a conflict.

Every page shows the list of plans, so a listing is kept in memory and made again after this
store saves or when ``check`` (which the web app runs every ``WATCH_SECONDS``) finds that a file
was added, removed or edited by hand. ``generation`` counts those changes, so anything made from
the listing can be kept until it moves. Reading one plan by name always looks at its file.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from openstp.errors import InputFileError, PlanError
from openstp.io import write_text_atomic
from openstp.plan import Plan, parse_plan_text

MAX_NAME = 80
"""Characters in a plan name (a file stem; file systems allow 255 bytes)."""
NAME_PATTERN = rf"[A-Za-z0-9][A-Za-z0-9_-]{{0,{MAX_NAME - 1}}}"
_NAME = re.compile(NAME_PATTERN)  # always with fullmatch: "$" would accept a final newline
WATCH_SECONDS = 1.0
"""How often the web app looks for plan files changed by hand."""


class BadPlanName(ValueError):
    """A plan name that is not a plain file stem (e.g. contains '/', '..' or spaces)."""


class PlanNotFound(KeyError):
    """No plan file of that name."""


class PlanConflict(Exception):
    """The file changed since it was read, or a new plan would replace an existing one.

    ``message`` says why in words that follow "Not saved: ", which the caller puts first.
    """

    def __init__(self, name: str, current: str | None, message: str):
        super().__init__(message)
        self.name, self.current, self.message = name, current, message


@dataclass(frozen=True)
class PlanFile:
    """One plan file: its name, where it lives, its version, and the plan (or why it failed)."""

    name: str
    path: Path
    version: str
    text: str
    plan: Plan | None
    problem: str | None
    editable: bool


def version_of(data: bytes) -> str:
    """The version token of a file's bytes (SHA-256, hex)."""
    return hashlib.sha256(data).hexdigest()


def _same(a: list[PlanFile], b: list[PlanFile]) -> bool:
    return [(f.path, f.version) for f in a] == [(f.path, f.version) for f in b]


def is_name(name: object) -> bool:
    """True if ``name`` is a safe plan name (length first: a huge name costs no regex)."""
    return isinstance(name, str) and len(name) <= MAX_NAME and _NAME.fullmatch(name) is not None


def check_name(name: str) -> str:
    """``name`` if it is a safe plan name; raises ``BadPlanName`` otherwise."""
    if not is_name(name):
        shown = repr(name[:MAX_NAME]) + "…" if isinstance(name, str) and len(name) > MAX_NAME \
            else repr(name)
        raise BadPlanName(f"plan names use letters, digits, '-' and '_' only (at most "
                          f"{MAX_NAME}), starting with a letter or digit; got {shown}")
    return name


class PlanStore:
    """Plan files in ``folder`` (saved scenarios) and, read-only, in ``reviewed`` (the results').

    A name in ``folder`` hides the same name in ``reviewed``.
    """

    def __init__(self, folder: Path, reviewed: Path | None = None):
        self.folder = Path(folder)
        self.reviewed = Path(reviewed) if reviewed is not None else None
        self._lock = threading.Lock()
        self._cache: dict[Path, tuple[tuple[int, int], PlanFile]] = {}
        self._separate = self.reviewed is not None and (self.reviewed.resolve()
                                                        != self.folder.resolve())
        self._generation = 0
        self._listing: tuple[int, list[PlanFile]] | None = None

    def _candidates(self, name: str) -> list[tuple[Path, bool]]:
        out = [(self.folder / f"{name}.yaml", True)]
        if self.reviewed is not None and self._separate:
            out.append((self.reviewed / f"{name}.yaml", False))
        return out

    def get(self, name: str) -> PlanFile:
        """The plan file called ``name``; raises ``BadPlanName`` or ``PlanNotFound``."""
        check_name(name)
        for path, editable in self._candidates(name):
            try:
                found = path.stat()
            except (FileNotFoundError, NotADirectoryError):
                continue
            if stat.S_ISREG(found.st_mode):
                return self._read(name, path, editable, found)
        raise PlanNotFound(name)

    def _read(self, name: str, path: Path, editable: bool, info: os.stat_result) -> PlanFile:
        key = (info.st_mtime_ns, info.st_size)
        cached = self._cache.get(path)
        if cached and cached[0] == key:
            return cached[1]
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        try:
            plan, problem = parse_plan_text(text, path.name)[0], None
        except (InputFileError, PlanError) as err:
            plan, problem = None, str(err)
        entry = PlanFile(name, path, version_of(data), text, plan, problem, editable)
        self._cache[path] = (key, entry)
        return entry

    @property
    def generation(self) -> int:
        """Changes to the plan files seen so far: each save, and each change ``check`` found."""
        return self._generation

    def list(self, footprint: str | None = None) -> list[PlanFile]:
        """Every plan file (saved first, then reviewed), optionally only one footprint's."""
        kept = self._listing
        if kept is None or kept[0] != self._generation:  # a save since: read the folders
            kept = self._listing = (self._generation, self._scan())
        if footprint is None:
            return list(kept[1])
        return [f for f in kept[1] if f.plan is not None and f.plan.footprint == footprint]

    def check(self) -> bool:
        """Look at the folders now; True (and one more ``generation``) if a file was added,
        removed or changed since the listing was made. A directory scan and a stat a file."""
        start = self._generation
        files = self._scan()
        with self._lock:
            kept = self._listing
            if self._generation != start or (kept is not None and _same(kept[1], files)):
                return False  # unchanged, or saved meanwhile (so listed again when next asked)
            self._generation += 1
            self._listing = (self._generation, files)
        return True

    def _scan(self) -> list[PlanFile]:
        """One directory scan and one ``stat`` a file; a file is parsed again only if changed."""
        seen: dict[str, PlanFile] = {}
        for folder, editable in ((self.folder, True), (self.reviewed, False)):
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name) if folder else []
            except (FileNotFoundError, NotADirectoryError):
                continue
            for entry in entries:
                stem, _, ext = entry.name.rpartition(".")
                if ext != "yaml" or stem in seen or not is_name(stem) or not entry.is_file():
                    continue
                seen[stem] = self._read(stem, Path(entry.path), editable, entry.stat())
        return list(seen.values())

    def saved(self, name: str) -> bool:
        """True if the plans folder has a file called ``name``; raises ``BadPlanName``."""
        return (self.folder / f"{check_name(name)}.yaml").is_file()

    def save(self, name: str, text: str, version: str | None) -> PlanFile:
        """Write ``text`` as plan ``name`` in the plans folder and return the new file.

        A new name is created exclusively; an existing file is replaced only if ``version``
        equals its current version. Anything else raises ``PlanConflict``.
        """
        path = self.folder / f"{check_name(name)}.yaml"
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock:
            if path.exists():
                current = version_of(path.read_bytes())
                if version != current:
                    why = ("it has changed since you loaded it; reload it or choose another "
                           "name" if version else "a plan with that name exists; choose another "
                           "name")
                    raise PlanConflict(name, current, why)
                write_text_atomic(path, text)
            else:
                self._create(path, text, name)
            os.chmod(path, 0o644)
            self._generation += 1
        return self._read(name, path, True, path.stat())

    @staticmethod
    def _create(path: Path, text: str, name: str) -> None:
        """Create ``path`` only if it does not exist (atomic: link fails on an existing name)."""
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.link(tmp, path)
        except FileExistsError:
            raise PlanConflict(name, None, "a plan with that name was just created; choose "
                                           "another name") from None
        finally:
            os.unlink(tmp)
