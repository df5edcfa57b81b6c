#!/usr/bin/env bash
# Sets up the machine and runs every test: lint, then the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check hyoka tests tools bench
.venv/bin/ruff format --check hyoka tests tools bench
# One test process per core (pytest-xdist); a file's tests stay in one process, which renders the
# sample reports its tests read once. Each process has its own test database (suffix _gw0, _gw1 …).
.venv/bin/python -m pytest -q -n auto --dist loadfile --durations=15 "$@"
# The web tests once more, against PostgreSQL (test database test_hyoka_<checkout folder>). Left out: the walks through the
# pages in Chromium, which test the pages and not the database, and the tests that run on SQLite
# whatever the settings say (the demo, the embedded database under load); they only run above.
HYOKA_DATABASE_URL="${HYOKA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/hyoka_web}" \
  .venv/bin/python -m pytest -q -n auto --dist loadfile --durations=15 tests/web \
  --ignore=tests/web/test_browser.py --ignore=tests/web/test_entry_browser.py --ignore=tests/web/test_public_browser.py \
  --ignore=tests/web/test_demo.py --ignore=tests/web/test_live_sqlite.py "$@"
