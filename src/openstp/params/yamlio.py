"""Read parameter YAML with line numbers (``openstp.safeyaml``) and walk the built-in tree.

A parameter's path is its name: the file's path under ``params/`` (``gap/growth.yaml`` →
``gap.growth``) followed by the nested keys down to the leaf (a mapping with a ``unit`` key).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openstp.errors import Problem, problem
from openstp.params.leaf import parse_leaf
from openstp.params.model import Parameter, key_line
from openstp.safeyaml import YAMLInputError, load_yaml

PARAMS_DIR = Path(__file__).resolve().parent
"""Folder holding the built-in parameter tree (``*.yaml`` files below it)."""

SEGMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PATH_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def read_yaml(path: str | os.PathLike[str]) -> tuple[Any, list[Problem]]:
    """Parse one YAML file; a missing or malformed file becomes a problem, not a traceback."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [problem(name, "file not found")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [problem(name, f"cannot read file: {exc}")]
    try:
        return load_yaml(text, aliases=True), []
    except YAMLInputError as exc:
        what = f"malformed YAML: {exc.message}" if exc.syntax else exc.message
        return None, [problem(name, what, exc.line, exc.field)]


def walk(
    node: Any,
    prefix: str,
    file: str,
    out: dict[str, Parameter],
    problems: list[Problem],
    line: int | None = None,
) -> None:
    """Collect every leaf under ``node`` into ``out``, keyed by dotted path."""
    if isinstance(node, Mapping) and "unit" in node:
        param, found = parse_leaf(node, prefix, file)
        problems.extend(found)
        if param is not None:
            if prefix in out:
                problems.append(
                    problem(
                        file,
                        f"{prefix} is defined twice (also in {out[prefix].file})",
                        line,
                        prefix,
                    )
                )
            out[prefix] = param
        return
    if not isinstance(node, Mapping):
        problems.append(
            problem(
                file,
                f"{prefix} is neither a group of parameters nor a "
                "parameter (a parameter is a mapping with a unit)",
                line,
                prefix,
            )
        )
        return
    for key, child in node.items():
        child_line = key_line(node, key)
        if not isinstance(key, str) or not SEGMENT_RE.fullmatch(key):
            problems.append(
                problem(
                    file,
                    f"{key!r} is not a valid name: use letters, digits and underscores",
                    child_line,
                    str(key),
                )
            )
            continue
        walk(child, f"{prefix}.{key}" if prefix else key, file, out, problems, child_line)


def tree_files(root: Path = PARAMS_DIR) -> list[Path]:
    """Every parameter file of the built-in tree, in a stable order."""
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


def file_prefix(path: Path, root: Path = PARAMS_DIR) -> str:
    """Dotted prefix of a tree file: ``gap/growth.yaml`` → ``gap.growth``."""
    return ".".join(path.relative_to(root).with_suffix("").parts)


def load_tree(root: Path = PARAMS_DIR) -> tuple[dict[str, Parameter], list[Problem]]:
    """Load and check every leaf of the tree below ``root``."""
    out: dict[str, Parameter] = {}
    problems: list[Problem] = []
    for path in tree_files(root):
        data, found = read_yaml(path)
        problems.extend(found)
        if data is None:
            continue
        label = str(path.relative_to(root.parent)) if root == PARAMS_DIR else str(path)
        walk(data, file_prefix(path, root), label, out, problems)
    return out, problems
