"""The shipped sample plans, and the printed figures the tests check, are what the digitized reports say.

This is the one test that needs the digitized reports themselves (``../shared/reference``
or ``$HYOKA_REFERENCE``): it runs the converter on them into a temporary folder and
compares the result with ``hyoka/data/plans``, and compares the copies in
``tests/data/reference`` with the originals. Every other test reads only the checkout.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from checkout import PRINTED, ROOT, reference_dir

from hyoka.samples import sample_names, sample_path

SOURCES = ("kanagawa_2024.json", "kanagawa_dx_2024.json", "plan_dx_002.json", "plan_city_004.json")


@pytest.fixture(scope="module")
def reference():
    folder = reference_dir()
    if not folder.is_dir():
        pytest.skip(
            f"needs the digitized reports in {folder} (../shared/reference or $HYOKA_REFERENCE): this test checks that "
            "the shipped sample plans and tests/data/reference are what the converter and the reports give"
        )
    missing = [name for name in SOURCES if not (folder / name).is_file()]
    assert not missing, f"{folder} lacks {missing}"
    return folder


def test_converter_reproduces_the_shipped_files(tmp_path, reference):
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "convert_reference.py"), str(reference), str(tmp_path)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert (
        sorted(p.stem for p in tmp_path.glob("*.json")) == sorted(sample_names()) == ["hiratsuka-juten", "kanagawa-dx", "kanagawa-sousei-3"]
    )
    stale = [name for name in sample_names() if (tmp_path / f"{name}.json").read_bytes() != sample_path(name).read_bytes()]
    assert stale == [], "hyoka/data/plans is out of date: run tools/convert_reference.py and commit"


def test_the_printed_figures_in_the_checkout_are_the_reports(reference):
    copies = sorted(p.name for p in PRINTED.glob("*.json"))
    assert copies == ["kanagawa_2024.json", "kanagawa_dx_2024.json"]
    stale = [name for name in copies if (PRINTED / name).read_bytes() != (reference / name).read_bytes()]
    assert stale == [], f"tests/data/reference is out of date: copy {stale} from {reference}"
