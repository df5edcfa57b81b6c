"""Benchmark: parse_value on hostile input, against an ordinary value (no input may make the parser hang).

Run: .venv/bin/python bench/parse.py [--repeat N]
Prints, for each hostile text of tests/security/test_hostile_inputs.py's kind, the median time
of N parses and its ratio to the median of an ordinary value (「3,451 万人」). The test only checks
what the parser answers; how long it takes is measured here.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time

from hyoka.core.errors import InputError
from hyoka.core.values import parse_value

ORDINARY = "3,451 万人"
HOSTILE = {
    "NaN": "NaN",
    "1e309": "1e309",
    "31 nines": "9" * 31,
    "5,000 full-width ones": "１" * 5000,
    "10 million letters": "x" * 10_000_000,
    "NUL": "\x00",
    "right-to-left mark": "\u202e123",
    "formula": '=HYPERLINK("http://x","y")',
}


def median_seconds(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with contextlib.suppress(InputError):
            parse_value(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    base = median_seconds(ORDINARY, max(args.repeat, 50))
    print(f"ordinary value {ORDINARY!r}: {base * 1e6:.1f} µs (median of {max(args.repeat, 50)})")
    worst = 0.0
    for name, text in HOSTILE.items():
        seconds = median_seconds(text, args.repeat)
        worst = max(worst, seconds)
        print(f"{name:>24}: {seconds * 1e6:12,.1f} µs  {seconds / base:10,.2f} × the ordinary value")
    print(f"slowest hostile input: {worst * 1e6:,.1f} µs, {worst / base:,.2f} × the ordinary value")


if __name__ == "__main__":
    main()
