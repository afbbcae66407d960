"""Copy plotly.js's finance bundle into the package, with its manifest.

Run from the repository root:  python scripts/vendor_plotly.py

The report and the web app draw only bar, scatter (lines, markers, filled outlines) and
waterfall traces. plotly.js publishes partial bundles; its "finance" bundle holds exactly those
(and a few more) in 1.3 MB, where the full bundle inside the plotly package is 4.8 MB, and every
page parses the bundle before it draws. This script takes the bundle from the npm package of the
same plotly.js version as the installed plotly package uses (so figures mean the same), writes
it to ``src/openstp/report/static/plotly-finance.min.js`` and writes the manifest beside it:
source, version, licence (with its text), size, SHA-256 and the trace types it registers. The
program never downloads anything; this script needs npm and the npm registry.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml
from plotly.offline import get_plotlyjs_version

STATIC = Path(__file__).resolve().parents[1] / "src" / "openstp" / "report" / "static"
BUNDLE = "plotly-finance.min.js"
TRACE = re.compile(r'moduleType:"trace",name:"(\w+)"')


def traces(js: str) -> list[str]:
    """The trace types a plotly.js bundle registers."""
    return sorted(set(TRACE.findall(js)))


def _literal_blocks(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """Multi-line text (the licence) as a YAML block, readable as written."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


def main() -> int:
    version = get_plotlyjs_version()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"plotly.js@{version}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        with tarfile.open(Path(tmp) / f"plotly.js-{version}.tgz") as tar:
            js = tar.extractfile(f"package/dist/{BUNDLE}").read()
            licence = tar.extractfile("package/LICENSE").read().decode()
    (STATIC / BUNDLE).write_bytes(js)
    manifest = {
        "file": BUNDLE,
        "title": "plotly.js, finance partial bundle (minified)",
        "package": "plotly.js",
        "version": version,
        "path_in_package": f"dist/{BUNDLE}",
        "source": f"https://www.npmjs.com/package/plotly.js/v/{version}",
        "why": "the same plotly.js version as the installed plotly package, with only the trace "
               "types the report draws (and a few more): 1.3 MB to parse per page, not 4.8 MB",
        "licence": {"name": "MIT", "text": licence},
        "bytes": len(js),
        "sha256": hashlib.sha256(js).hexdigest(),
        "traces": traces(js.decode()),
        "written_by": "scripts/vendor_plotly.py",
    }
    yaml.add_representer(str, _literal_blocks, Dumper=yaml.SafeDumper)
    (STATIC / "plotly-finance.yaml").write_text(
        yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100), "utf-8")
    print(f"plotly.js {version}: {BUNDLE}, {len(js):,} bytes, traces {manifest['traces']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
