"""Benchmark: import a workbook of 10,000 value rows (the target is under 10 s on a 2-core machine).

Run: .venv/bin/python bench/import_xlsx.py [ROWS]
It builds a plan of ROWS / 5 indicators with five years of actuals each, writes the
full workbook, then times the import (read, build, check, compare) into the same plan.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from hyoka.formats.hyoka1 import plan_from_dict
from hyoka.formats.importing import import_file
from hyoka.formats.xlsx.write import plan_workbook, save_workbook

YEARS = (2024, 2025, 2026, 2027, 2028)
TARGET_SECONDS = 10


def synthetic_plan(rows: int) -> dict[str, Any]:
    count = rows // len(YEARS)
    goals = [{"id": f"g{g}", "parent": None, "level": "基本目標", "name": f"基本目標{g}", "departments": [f"局{g}"]} for g in range(10)]
    measures = [{"id": f"g{g}-m{m}", "parent": f"g{g}", "level": "小柱", "name": f"小柱{g}-{m}"} for g in range(10) for m in range(20)]
    indicators = [
        {
            "id": f"k{i}",
            "node": measures[i % len(measures)]["id"],
            "kind": "kpi",
            "name": f"指標{i}の件数",
            "unit": "件",
            "baseline": {"year": 2023, "value": f"{1000 + i:,}件"},
            "targets": {str(y): f"{1000 + i + 10 * (y - 2023):,}件" for y in YEARS},
            "values": {str(y): {"value": f"{1000 + i + 9 * (y - 2023):,}件"} for y in YEARS},
        }
        for i in range(count)
    ]
    plan = {"id": "bench", "name": "ベンチマーク計画", "organization": {"name": "神奈川県", "code": "140007"}}
    plan |= {"period": {"start": YEARS[0], "end": YEARS[-1]}, "levels": ["基本目標", "小柱"]}
    return {"format": "hyoka/1", "plan": plan, "rules": {"preset": "kanagawa-sousei"}, "nodes": goals + measures, "indicators": indicators}


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    plan = plan_from_dict(synthetic_plan(rows))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        start = time.perf_counter()
        save_workbook(plan_workbook(plan), path)
        written = time.perf_counter() - start
        start = time.perf_counter()
        result = import_file(path, plan)
        elapsed = time.perf_counter() - start
        size = path.stat().st_size
    values = sum(len(i.values) for i in result.plan.indicators)
    print(f"value rows: {values}, indicators: {len(plan.indicators)}, workbook: {size / 1e6:.1f} MB (written in {written:.2f} s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"import: {elapsed:.2f} s ({values / elapsed:,.0f} rows/s), peak memory of the process {peak:.0f} MiB, changes: {len(result.changes)}"
    )
    print(f"target: < {TARGET_SECONDS} s; ratio to target {elapsed / TARGET_SECONDS:.2f}")
    if result.changes:
        raise SystemExit("the import of an unchanged workbook reported changes")


if __name__ == "__main__":
    main()
