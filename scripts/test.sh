#!/usr/bin/env bash
# The README's test command: install OpenSTP with its test extras, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet -e ".[test]"
python -m pytest -n 2 "$@"
