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
