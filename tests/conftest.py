"""Shared fixtures: the printed figures of the published reports (tests/data/reference) and the sample plans."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from checkout import PRINTED, ROOT

from hyoka.core.model import Plan
from hyoka.samples import load_sample


def load_reference(name: str) -> dict[str, Any]:
    """A digitized report whose printed figures the tests check: part of the checkout, so a missing one fails."""
    return json.loads((PRINTED / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sousei_ref() -> dict[str, Any]:
    return load_reference("kanagawa_2024.json")


@pytest.fixture(scope="session")
def dx_ref() -> dict[str, Any]:
    return load_reference("kanagawa_dx_2024.json")


@pytest.fixture(scope="session")
def sousei_plan() -> Plan:
    return load_sample("kanagawa-sousei-3")


@pytest.fixture(scope="session")
def dx_plan() -> Plan:
    return load_sample("kanagawa-dx")


@pytest.fixture(scope="session")
def city_plan() -> Plan:
    return load_sample("hiratsuka-juten")


@pytest.fixture(scope="session")
def report_file() -> Callable[[str, str], Path]:
    """The FY2024 report of a sample plan in a format, rendered once for the session (through the
    command line, as a planner would) and kept under artifacts/reports/ for people to look at."""
    folder = ROOT / "artifacts" / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[tuple[str, str], Path] = {}

    def get(name: str, fmt: str) -> Path:
        if (name, fmt) not in made:
            path = folder / f"{name}-2024.{fmt}"
            command = [sys.executable, "-m", "hyoka.cli", "report", name, "--year", "2024", "-o", str(path)]
            subprocess.run(command, check=True, capture_output=True)
            made[(name, fmt)] = path
        return made[(name, fmt)]

    return get


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Engineers run the suite side by side on one PostgreSQL server: each checkout gets its own
    test database (test_hyoka_web_<folder>), so two runs never drop each other's database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        folder = "".join(ch if ch.isalnum() else "_" for ch in ROOT.name.lower())
        database["TEST"]["NAME"] = f"{database['TEST']['NAME']}_{folder}"[:63]
