"""The plan most web tests work on: the Kanagawa strategy with FY2025 opened for entry."""

from __future__ import annotations

PLAN = "kanagawa-sousei-3"
YEAR = 2025
COUNCIL_YEAR = 2026  # closed in the open_cycle fixture: the council writes then
PUBLISHED_YEAR = 2024  # published in the sample plan: a record
URL = f"/plans/{PLAN}"
