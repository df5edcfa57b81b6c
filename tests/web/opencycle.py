"""The plan most web tests work on: the Kanagawa strategy with FY2025 opened for entry."""

from __future__ import annotations

PLAN = "kanagawa-sousei-3"
YEAR = 2025
URL = f"/plans/{PLAN}"
