"""The sample plans shipped in the package (the demo data; users have no ../shared).

They are written by tools/convert_reference.py from the digitized seeds.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .core.model import Plan
from .formats.hyoka1 import load_path


def _folder() -> Path:
    return Path(str(resources.files("hyoka") / "data" / "plans"))


def sample_names() -> list[str]:
    return sorted(p.stem for p in _folder().glob("*.json"))


def sample_path(name: str) -> Path:
    return _folder() / f"{name}.json"


def load_sample(name: str) -> Plan:
    return load_path(sample_path(name))
