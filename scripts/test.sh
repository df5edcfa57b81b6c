#!/usr/bin/env bash
# Sets up the machine and runs every test: lint, then the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check hyoka tests tools bench
.venv/bin/ruff format --check hyoka tests tools bench
.venv/bin/python -m pytest -q "$@"
# The web tests once more, against PostgreSQL (test database test_hyoka_<checkout folder>).
HYOKA_DATABASE_URL="${HYOKA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/hyoka_web}" \
  .venv/bin/python -m pytest -q tests/web "$@"
