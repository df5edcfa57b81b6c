#!/usr/bin/env bash
# Sets up everything hyoka needs on a fresh Debian machine: system packages,
# a virtualenv in .venv with hyoka and its test tools, and a running PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-system.sh

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'

# PostgreSQL: the web tests also run against it; start the local cluster if it is not running.
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
fi

# axe-core for the accessibility tests (tests/a11y), installed from the committed lock file.
if [ ! -d tests/a11y/node_modules ] && command -v npm >/dev/null 2>&1; then
  npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error
fi
