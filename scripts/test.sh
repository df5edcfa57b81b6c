#!/usr/bin/env bash
# Sets up the machine and runs every test: lint, then the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check hyoka tests tools bench
.venv/bin/ruff format --check hyoka tests tools bench
.venv/bin/python -m pytest -q "$@"
