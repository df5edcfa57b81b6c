#!/usr/bin/env bash
# Sets up the machine and runs every test: lint, then the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check hyoka tests tools bench
.venv/bin/ruff format --check hyoka tests tools bench
.venv/bin/python -m pytest -q "$@"
# The web tests once more, against PostgreSQL.
# The database name carries the checkout's folder name, so that two checkouts can test at once.
checkout="$(basename "$PWD" | tr -c 'a-zA-Z0-9\n' '_' | tr 'A-Z' 'a-z')"
HYOKA_DATABASE_URL="${HYOKA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/hyoka_web_${checkout}}" \
  .venv/bin/python -m pytest -q tests/web "$@"
