"""One error type per kind of bad input, each carrying file, line and field.

The CLI turns any ``OpenSTPError`` into one line per problem on stderr and exit status 2,
so users never see a traceback for input they can fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class OpenSTPError(Exception):
    """Base for every error caused by user input; holds one or more problems."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class InputFileError(OpenSTPError):
    """A file is missing, unreadable or not valid YAML/CSV."""


class PlanError(OpenSTPError):
    """A plan file breaks the schema or disagrees with the reference data."""


class ParameterError(OpenSTPError):
    """A parameter file or override is malformed, unknown or out of range."""


class UnknownCodeError(OpenSTPError):
    """A footprint, organisation or site code that the reference data do not know."""


def problem(file: str, message: str, line: int | None = None, field: str | None = None) -> Problem:
    """Shorthand for building a ``Problem``."""
    return Problem(file=str(file), message=message, line=line, field=field)
