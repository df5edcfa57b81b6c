"""Where the checkout is, and where the published reference data are, for tests in any folder.

A module of its own, not conftest: ``from conftest import`` finds whichever conftest.py
pytest imported last, which depends on the folders collected.

The printed figures the tests check are copies in ``tests/data/reference`` (the tests
need nothing outside the checkout); only the converter's test reads the digitized
reports themselves, from ``../shared/reference`` or ``$HYOKA_REFERENCE``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINTED = ROOT / "tests" / "data" / "reference"


def reference_dir() -> Path:
    """The digitized reports the sample plans are converted from: $HYOKA_REFERENCE, else ../shared/reference."""
    if "HYOKA_REFERENCE" in os.environ:
        return Path(os.environ["HYOKA_REFERENCE"])
    return ROOT.parent / "shared" / "reference"
