"""Writing the tables: one Parquet file each, and ``manifest.yaml`` with every table's title,
kind, rows, columns, method, sources and checksum."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import yaml

from reference.common import catalogue as read_catalogue


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> None:
    """Write each table as Parquet into ``out`` and the manifest naming its sources, licence and
    kind."""
    catalogue = read_catalogue()
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"about": catalogue["about"], "licence": catalogue["licence"], "tables": {}}
    for name, df in tables.items():
        spec = catalogue["tables"][name]
        path = out / f"{name}.parquet"
        df.to_parquet(path, index=False, compression="zstd")
        manifest["tables"][name] = {
            "file": path.name,
            "title": spec["title"],
            "kind": spec["kind"],
            "rows": len(df),
            "columns": list(map(str, df.columns)),
            "description": spec["description"],
            "method": spec.get("method"),
            "sources": [catalogue["sources"][s] for s in spec["sources"]],
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
    with open(out / "manifest.yaml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(manifest, fh, sort_keys=False, allow_unicode=True, width=100)

