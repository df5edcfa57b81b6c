"""The shipped sample plans are exactly what the converter makes from the reference data."""

from __future__ import annotations

import subprocess
import sys

from checkout import ROOT, reference_dir

from hyoka.samples import sample_names, sample_path


def test_converter_reproduces_the_shipped_files(tmp_path, sousei_ref):
    before = {name: sample_path(name).read_bytes() for name in sample_names()}
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "convert_reference.py"), str(reference_dir())], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    after = {name: sample_path(name).read_bytes() for name in sample_names()}
    assert after == before, "hyoka/data/plans is out of date: run tools/convert_reference.py and commit"
    assert sorted(before) == ["hiratsuka-juten", "kanagawa-dx", "kanagawa-sousei-3"]
