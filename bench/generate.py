"""A deterministic synthetic data set at national scale: plans of N local governments.

    python bench/generate.py --organizations 100 -o var/synthetic     # writes hyoka/1 files

``stored()`` puts the same plans into a database with ``hyoka load`` for the benchmarks
that read them from there (bench/web.py, bench/evaluate.py), and reuses it when it holds
them already: the full scale takes minutes to load.

Each organization gets one plan of four levels (基本目標 → 中柱 → 小柱 → 主な取組) with
300 indicators and eight years (2024–2031) of targets and actuals, mixing what the real
plans have: the three formulas, lower-is-better indicators, targets written with 以下 and
万/億, pending values with their dates, estimates, unmeasurable values, indicators with
parts, qualitative indicators, KPIs added in a revision, and recorded judgements. The
same seed always gives the same data, so benchmark runs can be compared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hyoka.formats.hyoka1 import check_digit

PREFECTURES = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
]
FULL_SCALE = 1788  # 47 prefectures and 1,741 municipalities
YEARS = list(range(2024, 2032))
INDICATORS_PER_ORGANIZATION = 300
GOALS, MIDS, SMALLS = 4, 3, 5  # 4 × 3 × 5 = 60 小柱, five indicators each
UNITS = ("件", "人", "%", "回", "施設", "万人", "億円", "社")
TEXT_TARGETS = ("実施", "運用開始", "安定運用", "システム導入", "調達完了")
FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")

RULES: dict[str, Any] = {
    "name": "ベンチマーク用ルール（小柱・基本目標・計画全体の評価と◎○△の判定）",
    "rate": {"rounding": "truncate", "decimals": 1, "cap": None},
    "grades": [
        {
            "level": "小柱",
            "kinds": ["kpi"],
            "clamp": ["0", "100"],
            "bands": [
                {"min": "90", "label": "順調に進んでいます"},
                {"min": "75", "label": "概ね順調に進んでいます"},
                {"min": "60", "label": "やや遅れています"},
                {"min": None, "label": "遅れています"},
            ],
            "no_data": "ＫＰＩ未把握",
        },
        {
            "level": "基本目標",
            "source": "grades",
            "of_level": "小柱",
            "bands": [{"min": "90", "label": "A"}, {"min": "75", "label": "B"}, {"min": "60", "label": "C"}, {"min": None, "label": "D"}],
        },
        {
            "level": "plan",
            "source": "grades",
            "of_level": "基本目標",
            "bands": [{"min": "85", "label": "計画どおり"}, {"min": None, "label": "要改善"}],
        },
    ],
    "judgement": {
        "bands": [
            {"min": "100", "symbol": "◎", "label": "達成"},
            {"min": "80", "symbol": "○", "label": "概ね達成"},
            {"min": None, "symbol": "△", "label": "未達成"},
        ],
        "pending": {"symbol": "■", "label": "集計中"},
        "parts": "worst",
    },
}


def organizations(n: int) -> Iterator[tuple[str, str]]:
    """(全国地方公共団体コード, name): the 47 prefectures first, then municipalities."""
    for i in range(min(n, 47)):
        five = f"{i + 1:02d}000"
        yield five + check_digit(five), PREFECTURES[i]
    for j in range(max(0, n - 47)):
        pref = j % 47
        number = 201 + j // 47  # 市 codes start at 201
        five = f"{pref + 1:02d}{number:03d}"
        yield five + check_digit(five), f"{PREFECTURES[pref]}第{number - 200}市"


def _amount(rng: random.Random, unit: str) -> int:
    if unit == "%":
        return rng.randint(20, 95)
    if unit in ("万人", "億円"):
        return rng.randint(50, 9000)
    return rng.choice((rng.randint(5, 200), rng.randint(100, 5000), rng.randint(1000, 900000)))


def _print(value: int | float, unit: str, rng: random.Random) -> str:
    """A value written as departments write it: commas, sometimes full width, sometimes 万."""
    if isinstance(value, float):
        text = f"{value:.1f}"
    elif unit == "人" and value >= 10000 and value % 10000 == 0 and rng.random() < 0.5:
        return f"{value // 10000}万人"
    else:
        text = f"{value:,}"
    if rng.random() < 0.1:
        text = text.translate(FULL_WIDTH)
    spacer = " " if rng.random() < 0.5 else ""
    return f"{text}{spacer}{unit}"


def _series(rng: random.Random, unit: str, kind: str, direction: str) -> dict[str, Any]:
    base = _amount(rng, unit)
    growth = rng.uniform(0.01, 0.08)
    targets: dict[str, str] = {}
    values: dict[str, Any] = {}
    added_late = kind == "revised"
    for k, year in enumerate(YEARS):
        if direction == "lower":
            target = max(0, round(base * (1 - growth * (k + 1))))
        else:
            target = round(base * (1 + growth * (k + 1)))
        if unit == "%":
            target = min(target, 100)
        if not (added_late and k == 0):
            suffix = " 以下" if direction == "lower" and rng.random() < 0.3 else ""
            targets[str(year)] = _print(target, unit, rng) + suffix
        roll = rng.random()
        if (year == YEARS[-1] and roll < 0.4) or roll < 0.03:
            month = rng.randint(1, 12)
            values[str(year)] = {"value": "", "status": "pending", "expected": f"{year + 1 + (month < 4)}-{month:02d}"}
            continue
        if roll < 0.04:
            values[str(year)] = {"value": "―※", "status": "unmeasurable", "note": "調査が実施されなかったため把握不可"}
            continue
        actual = max(0, round(target * rng.uniform(0.4, 1.4))) if target else rng.randint(0, 3)
        entry: dict[str, Any] = {"value": _print(actual, unit, rng), "status": "confirmed"}
        if roll < 0.07:
            entry["status"] = "estimate"
        values[str(year)] = entry
    out: dict[str, Any] = {"targets": targets, "values": values}
    if kind == "progress":
        out["baseline"] = {"year": 2022, "value": _print(base, unit, rng)}
    return out


def _indicator(rng: random.Random, ind_id: str, node: str, number: int) -> dict[str, Any]:
    roll = rng.random()
    unit = rng.choice(UNITS)
    head: dict[str, Any] = {"id": ind_id, "node": node, "kind": "kpi", "name": f"指標{number}", "unit": unit}
    if roll < 0.07:  # qualitative
        text = rng.choice(TEXT_TARGETS)
        values = {str(y): {"value": text if rng.random() < 0.8 else "未実施"} for y in YEARS[:-1]}
        return head | {"unit": "", "direction": "qualitative", "targets": {str(y): text for y in YEARS}, "values": values}
    if roll < 0.12:  # two parts (小学校/中学校)
        parts = [{"id": pid, "label": label} | _series(rng, "%", "ratio", "higher") for pid, label in (("p1", "小学校"), ("p2", "中学校"))]
        return head | {"unit": "%", "direction": "higher", "targets": {}, "values": {}, "parts": parts}
    if roll < 0.27:  # stock from the baseline
        return head | {"aggregation": "総数", "direction": "higher", "formula": "progress"} | _series(rng, unit, "progress", "higher")
    if roll < 0.37:  # lower is better
        return head | {"direction": "lower", "formula": "inverse_ratio"} | _series(rng, unit, "ratio", "lower")
    if roll < 0.39:  # lower is better toward 0, measured from the baseline
        series = _series(rng, "人", "progress", "lower")
        series["targets"] = {y: "0人" for y in series["targets"]}
        return head | {"unit": "人", "direction": "lower", "formula": "progress"} | series
    kind = "revised" if roll < 0.41 else "ratio"
    out = head | {"direction": "higher", "formula": "ratio"} | _series(rng, unit, kind, "higher")
    if kind == "revised":
        out["added_in"] = "改定版で追加"
    if roll > 0.995 and "2027" in out["values"]:
        out["values"]["2027"] |= {"judgement": "○", "judgement_reason": "評価部会の判断"}
    return out


def plan_document(index: int, code: str, name: str, seed: int = 0, indicators_count: int = INDICATORS_PER_ORGANIZATION) -> dict[str, Any]:
    """The `hyoka/1` document of organization *index*; the same arguments give the same plan.

    *indicators_count* spreads that many indicators over the 60 小柱 (bench/publish.py uses 2,000)."""
    rng = random.Random(f"{seed}:{code}")
    nodes: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    count = 0
    for g in range(1, GOALS + 1):
        nodes.append(
            {"id": f"{g}", "parent": None, "level": "基本目標", "number": f"基本目標{g}", "name": f"基本目標{g}", "departments": ["企画課"]}
        )
        for m in range(1, MIDS + 1):
            mid = f"{g}-{m}"
            nodes.append({"id": mid, "parent": f"{g}", "level": "中柱", "number": f"（{m}）", "name": f"中柱{mid}"})
            for s in range(1, SMALLS + 1):
                small = f"{mid}-{s}"
                nodes.append(
                    {
                        "id": small,
                        "parent": mid,
                        "level": "小柱",
                        "number": "①②③④⑤"[s - 1],
                        "name": f"小柱{small}",
                        "departments": [f"第{(g * 7 + m * 3 + s) % 12 + 1}課"],
                    }
                )
                nodes.append(
                    {
                        "id": f"{small}-1",
                        "parent": small,
                        "level": "主な取組",
                        "number": "ア",
                        "name": f"主な取組{small}",
                        "texts": {"2027": {"results": ["取組を実施"], "issues": ["引き続き推進"]}},
                    }
                )
                smalls = GOALS * MIDS * SMALLS
                position = ((g - 1) * MIDS + m - 1) * SMALLS + s - 1
                per_small = indicators_count // smalls + (1 if position < indicators_count % smalls else 0)
                for _k in range(per_small):
                    count += 1
                    indicators.append(_indicator(rng, f"k{count}", small, count))
    return {
        "format": "hyoka/1",
        "plan": {
            "id": f"plan-{code}",
            "name": f"{name} 総合戦略",
            "organization": {"name": name, "code": code},
            "period": {"start": YEARS[0], "end": YEARS[-1]},
            "levels": ["基本目標", "中柱", "小柱", "主な取組"],
        },
        "rules": RULES,
        "nodes": nodes,
        "indicators": indicators,
    }


def documents(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    for index, (code, name) in enumerate(organizations(n)):
        yield plan_document(index, code, name, seed)


def stored(count: int, seed: int, data_dir: Path, *, sqlite: bool = False, fresh: bool = False, jobs: int | None = None) -> dict[str, str]:
    """A database holding the plans of *count* organizations, and Django set up on it in this process.

    PostgreSQL (a database of this checkout, named for *count* and *seed*) unless *sqlite*
    (a file in *data_dir*). A database that holds *count* plans already is reused unless
    *fresh*. Returns the environment (``HYOKA_*`` settings) for child processes using it.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from serving import clean_environ, create_database, database_exists, database_name, database_url

    purpose = f"bench_n{count}_s{seed}"
    if sqlite:
        file = data_dir / f"{purpose}.sqlite3"
        if fresh:
            file.unlink(missing_ok=True)
        url, reuse = f"sqlite:///{file}", file.exists()
    else:
        name = database_name(purpose)
        url, reuse = database_url(name), not fresh and database_exists(name)
        if not reuse:
            create_database(name)
    # The cache shared by all workers, as docs/deployment.md configures it (its table is made by migrate()).
    env = clean_environ() | {"HYOKA_DATABASE_URL": url, "HYOKA_DATA_DIR": str(data_dir), "HYOKA_CACHE_URL": "db://hyoka_cache"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    os.environ.update(env)
    from hyoka.web.demo import migrate, use_database

    use_database(None)
    migrate()
    from hyoka.web.plans import models as m

    held = m.Plan.objects.count()
    if reuse and held == count:
        print(f"reusing the database of {count:,} plans ({url.rsplit('/', 1)[-1]})")
        return env
    if held:
        from django.db import connections

        connections.close_all()
        if sqlite:
            file.unlink()
        else:
            create_database(name)
        migrate()
    with tempfile.TemporaryDirectory(prefix="hyoka-bench-") as folder:
        started = time.perf_counter()
        for doc in documents(count, seed):
            (Path(folder) / f"{doc['plan']['id']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        print(f"generated {count:,} plans in {time.perf_counter() - started:.1f} s")
        args = [sys.executable, "-m", "hyoka.cli", "load", folder, *(["--jobs", str(jobs)] if jobs else [])]
        started = time.perf_counter()
        subprocess.run(args, env=env, check=True, timeout=3 * 3600)
        print(f"hyoka load: {time.perf_counter() - started:.1f} s wall for {count:,} plans (load average {os.getloadavg()[0]:.1f})")
    return env


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=FULL_SCALE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    for doc in documents(args.organizations, args.seed):
        path = args.out / f"{doc['plan']['id']}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        written += 1
    print(f"wrote {written} plans ({written * INDICATORS_PER_ORGANIZATION} indicators) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
