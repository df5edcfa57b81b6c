#!/usr/bin/env bash
# Sets up hyoka and runs the main job on the sample plans.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
for plan in kanagawa-sousei-3 kanagawa-dx hiratsuka-juten; do
  .venv/bin/hyoka evaluate "$plan" --year 2024
done
