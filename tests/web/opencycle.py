"""The plan most web tests work on: the Kanagawa strategy with FY2025 opened for entry."""

from __future__ import annotations

ORG = "140007"  # 神奈川県: the sample plans' organization and the test users'
OTHER_ORG = "141003"  # 横浜市: another government in the same installation, with a plan of the same key
PLAN = "kanagawa-sousei-3"
YEAR = 2025
COUNCIL_YEAR = 2026  # closed in the open_cycle fixture: the council writes then
PUBLISHED_YEAR = 2024  # published in the sample plan: a record
URL = f"/plans/{ORG}/{PLAN}"
