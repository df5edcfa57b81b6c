#!/usr/bin/env bash
# Debian packages hyoka uses (fonts and pango for PDF, chromium for browser tests,
# poppler for checking PDFs, PostgreSQL for the web tests and the private cluster of the
# fault test). Installs only what is missing; needs root or sudo.
set -euo pipefail

PACKAGES=(python3-venv fonts-noto-cjk poppler-utils chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 postgresql)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
