"""hyoka (評価): the PDCA cycle of Japanese local governments' strategic plans.

The public Python API: load a `hyoka/1` plan, evaluate it for a year, explain it.
"""

from .core.engine import Evaluation, evaluate
from .core.errors import HyokaError, InputError
from .core.rules import PRESETS, parse_rules
from .core.values import parse_value
from .formats.hyoka1 import dumps, load_path, loads, plan_from_dict, plan_to_dict
from .samples import load_sample, sample_names

__version__ = "0.1.0"

__all__ = [
    "PRESETS",
    "Evaluation",
    "HyokaError",
    "InputError",
    "dumps",
    "evaluate",
    "load_path",
    "load_sample",
    "loads",
    "parse_rules",
    "parse_value",
    "plan_from_dict",
    "plan_to_dict",
    "sample_names",
]
