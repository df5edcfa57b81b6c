#!/usr/bin/env bash
# Sets up hyoka and runs the demo: the sample plans in a fresh database, served on
# http://127.0.0.1:8000 with one user per role (their passwords are printed).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/hyoka demo "$@"
