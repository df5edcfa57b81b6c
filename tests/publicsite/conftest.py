"""The public site of the three sample plans and of the planted plan, each published once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from planted import planted_plan

from hyoka.samples import load_sample, sample_names
from hyoka.site.publish import publish


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    publish([load_sample(name) for name in sample_names()], out)
    return out


@pytest.fixture(scope="session")
def planted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("planted") / "site"
    publish([planted_plan()], out)
    return out
