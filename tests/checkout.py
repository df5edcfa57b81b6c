"""Where the checkout and the published reference data are, for tests in any folder.

A module of its own, not conftest: ``from conftest import`` finds whichever conftest.py
pytest imported last, which depends on the folders collected.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def reference_dir() -> Path:
    """../shared/reference beside the project (where developers and CI have it), or $HYOKA_REFERENCE."""
    if "HYOKA_REFERENCE" in os.environ:
        return Path(os.environ["HYOKA_REFERENCE"])
    for candidate in (ROOT.parent / "shared" / "reference", Path("/work/shared/reference")):
        if candidate.exists():
            return candidate
    return ROOT.parent / "shared" / "reference"
