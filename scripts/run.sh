#!/usr/bin/env bash
# The README's main job: install OpenSTP, then run the whole chain for England on the built-in data.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet -e .
openstp footprints --set stp2017
