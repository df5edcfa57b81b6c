"""Convert the digitized seeds in ../shared/reference into the sample plans hyoka ships.

Run from the repository root:  python tools/convert_reference.py [REFERENCE_DIR [OUT_DIR]]

The product must not need ../shared at run time, so the sample plans are written
into hyoka/data/plans as `hyoka/1` files. Values are kept as printed (「3,451 万人」,
「21,000 件 以下」); statuses, expected dates and footnotes become fields. Every file
written is loaded back through the public loader, so a conversion mistake fails here.

Choices that are not in the sources are listed in ASSUMPTIONS and written into each
plan's ``x-source`` so that a reader of the data can tell them apart; a field the
converter filled in itself is named in its object's ``x-assumed`` (reports never print it).
The reports' own chapters (背景, 今後の取組, 市町村との連携推進), which the digitized
tables do not hold, are taken from the seeds' text beside the reference folder.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hyoka.formats.hyoka1 import FORMAT, plan_from_dict  # noqa: E402

OUT = ROOT / "hyoka" / "data" / "plans"
YEARS_000 = ["2022", "2023", "2024", "2025", "2026", "2027"]
KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"

# Seed 000 names no department per 小柱; the demo needs one to show the department
# workflow. These bureaus are an illustrative assignment by subject, not from the report.
SOUSEI_DEPARTMENTS = {
    "1-1-1": "政策局",
    "1-1-2": "産業労働局",
    "1-1-3": "産業労働局",
    "1-2-1": "産業労働局",
    "1-2-2": "環境農政局",
    "1-3-1": "産業労働局",
    "1-3-2": "産業労働局",
    "1-3-3": "産業労働局",
    "2-1-1": "文化スポーツ観光局",
    "2-1-2": "文化スポーツ観光局",
    "2-2-1": "政策局",
    "2-2-2": "政策局",
    "2-2-3": "文化スポーツ観光局",
    "2-2-4": "文化スポーツ観光局",
    "2-2-5": "環境農政局",
    "2-3-1": "政策局",
    "2-3-2": "政策局",
    "3-1-1": "福祉子どもみらい局",
    "3-1-2": "健康医療局",
    "3-2-1": "福祉子どもみらい局",
    "3-2-2": "福祉子どもみらい局",
    "3-2-3": "福祉子どもみらい局",
    "3-3-1": "教育委員会",
    "3-3-2": "教育委員会",
    "3-3-3": "教育委員会",
    "4-1-1": "健康医療局",
    "4-1-2": "福祉子どもみらい局",
    "4-1-3": "文化スポーツ観光局",
    "4-1-4": "文化スポーツ観光局",
    "4-2-1": "福祉子どもみらい局",
    "4-2-2": "福祉子どもみらい局",
    "4-2-3": "福祉子どもみらい局",
    "4-2-4": "文化スポーツ観光局",
    "4-3-1": "環境農政局",
    "4-3-2": "くらし安全防災局",
    "4-3-3": "県土整備局",
}

ASSUMPTIONS = {
    "kanagawa-sousei-3": [
        "小柱の担当局は報告書に記載がないため、デモ用に分野から割り当てたもの（demo assignment, not in the source）。",
        "達成率の算式（ratio / progress / inverse_ratio）は、2024年度の公表値を再現する算式を KPI ごとに設定。"
        "公表値のない KPI は 総数→progress、それ以外→ratio を既定とした。",
        "progress の基準値は2022年度実績値（計画期間前の最後の実績）。",
        "2024年度の数値目標・ＫＰＩの評価期限（cycles）はデモ用の日付。",
        "１人当たり月所定外労働時間の2022・2023年の実績値（11.5・12.4時間）は報告書のグラフの値で、年はグラフの並びから読んだもの。",
    ],
    "kanagawa-dx": [
        "22-29 は目標 0.0% に対し実績が２区分あり、算式では判定できないため、公表された判定「○」を評価者の判定として記録。",
        "9-1 の②③は合計の実績しか公表されていないため、目標を合算した「②・③合計」の部分として扱う。",
        "施策の記述（取組結果）は点検報告書の「主な取組」から、課題は「未達成の理由及び今後の見込み等」から転記。",
        "197施策のうち成果指標の設定がない18施策は別紙から特定できないため、施策数は点検報告書の本文（２(1) 全体）のまま記載。",
    ],
    "hiratsuka-juten": [
        "評価ルールは原典にないため、他自治体で使われる形（上限100%・100/80/60 の４段階・計画全体の平均）を例示として設定。",
        "基準値（策定時実績値）の年度は原典に記載がない。",
        "実績値は原典にない（計画文書のため）。",
    ],
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def unit_of(unit: str | None) -> str:
    return unicodedata.normalize("NFKC", unit or "").replace(" ", "")


def drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, "", [], {})}


def expected_of(pending: str | None) -> str | None:
    if not pending:
        return None
    s = unicodedata.normalize("NFKC", pending).replace(" ", "")
    m = re.search(r"(\d{4})年(\d{1,2})月", s)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    m = re.search(r"(\d{4})年", s)
    return m.group(1) if m else None


# --- the reports' own text, from the seeds -------------------------------------------------------

SENTENCE_END = ("。", "）", "」")


def seed_lines(seeds: Path, prefix: str) -> list[str]:
    path = next(seeds.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8").splitlines()


def passage(lines: list[str], start: str, end: str) -> list[str]:
    """The lines after the one that reads *start* up to the one that reads *end* (both stripped)."""
    stripped = [line.strip() for line in lines]
    first = stripped.index(start) + 1
    return stripped[first : stripped.index(end, first)]


def paragraphs(lines: list[str], *, entries: str = "") -> list[str]:
    """Paragraphs of a PDF's text: its line breaks fall inside sentences, so lines are joined
    until a sentence ends (。); a line beginning with ○ ■ ※ （※） (or matching *entries*,
    e.g. a date of the 略年表) starts a paragraph of its own."""
    out: list[str] = []
    current = ""
    starts = re.compile(r"^(?:[○■※]|（※）" + (f"|{entries}" if entries else "") + ")")
    for line in lines:
        if not line:
            continue
        if current and starts.match(line):
            out.append(current)
            current = ""
        current += line
        if current.endswith("。") or line.startswith("■"):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return [re.sub(r"^([○■])\s*", r"\1 ", p) if p[0] in "○■" else p for p in out]


def chapter(cid: str, title: str, place: str, text: list[str] | None = None, year: str = "", level: int = 2) -> dict[str, Any]:
    body = {"years": {year: text}} if year and text else {"text": text} if text else {}
    return {"id": cid, "title": title, "place": place} | ({"level": level} if level != 2 else {}) | body


def sousei_chapters(seeds: Path) -> list[dict[str, Any]]:
    lines = seed_lines(seeds, "000")
    return [
        chapter("overview", "神奈川県まち・ひと・しごと創生総合戦略の概要", "opening"),
        chapter(
            "background",
            "地方創生が始まった背景",
            "opening",
            paragraphs(passage(lines, "〔地方創生が始まった背景〕", "〔略年表〕")),
            level=3,
        ),
        chapter(
            "chronology",
            "略年表",
            "opening",
            paragraphs(passage(lines, "〔略年表〕", "〔第３期神奈川県まち・ひと・しごと創生総合戦略の全体像〕"), entries=r"\d{4} 年"),
            level=3,
        ),
        chapter(
            "purpose",
            "評価報告書作成の趣旨",
            "method",
            paragraphs(passage(lines, "〔評価報告書作成の趣旨〕", "〔第３期総合戦略の体系とロジックモデル〕")),
        ),
        chapter(
            "logic-model",
            "第３期総合戦略の体系とロジックモデル",
            "method",
            paragraphs(passage(lines, "〔第３期総合戦略の体系とロジックモデル〕", "〔今年度の評価方法〕")),
        ),
        chapter("this-year", "今年度の評価方法", "method", paragraphs(passage(lines, "〔今年度の評価方法〕", "１ 評価の概要")), "2024"),
        chapter("council", "神奈川県地方創生推進会議の評価", "council"),
        chapter(
            "municipalities",
            "地方創生に関する市町村との連携推進",
            "closing",
            paragraphs(passage([*lines, "(end)"], "地方創生に関する市町村との連携推進", "(end)")),
            "2024",
        ),
    ]


def dx_chapters(seeds: Path) -> list[dict[str, Any]]:
    lines = seed_lines(seeds, "001")
    return [
        chapter("positioning", "概要及び位置付け", "opening", paragraphs(passage(lines, "(1) 概要及び位置付け", "(2) 構成"))),
        chapter("structure", "構成", "structure", paragraphs(passage(lines, "(2) 構成", "くらしのデジタル化  行政のデジタル化"))),
        chapter("purpose", "点検報告書作成の趣旨", "method", paragraphs(passage(lines, "(3) 点検報告書作成の趣旨", "２ 令和６年度の取組"))),
        chapter(
            "overall",
            "全体",
            "summary",
            paragraphs(passage(lines, "(1) 全体", "○ 令和６年度の取組の実績が、成果指標のとおり又は上回った取組を「達成」、成果")),
            "2024",
        ),
        chapter(
            "outlook",
            "今後の取組",
            "outlook",
            paragraphs(passage(lines, "３ 今後の取組", "【「評価」欄の凡例】◎達成　◯概ね達成　△未達成　■集計中　―指標未設定")),
            "2024",
        ),
    ]


# --- seed 000: Kanagawa 総合戦略 -----------------------------------------------------------------

FORMULA_000 = {"ratio": "ratio", "progress_from_base2022": "progress", "inverse_ratio": "inverse_ratio"}


def sousei(ref: dict[str, Any], seeds: Path) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    for goal in ref["goals"]:
        gid = goal["id"]
        nodes.append(
            drop_empty(
                {
                    "id": gid,
                    "parent": None,
                    "level": "基本目標",
                    "number": f"基本目標{unicodedata.normalize('NFKC', gid).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}",
                    "name": goal["name"],
                    "description": goal["aim"],
                    "departments": ["政策局"],
                    "x-assumed": ["departments"],
                }
            )
            | {"parent": None}
        )
        for n, nt in enumerate(goal["numeric_targets"], 1):
            indicators.append(numeric_target_000(gid, n, nt))
        for mid in goal["mid_pillars"]:
            mnum = int(unicodedata.normalize("NFKC", mid["id"]).strip("()"))
            mid_id = f"{gid}-{mnum}"
            nodes.append(
                {
                    "id": mid_id,
                    "parent": gid,
                    "level": "中柱",
                    "number": mid["id"].replace("(", "（").replace(")", "）"),
                    "name": mid["name"],
                }
            )
            for small in mid["small_pillars"]:
                snum = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫".index(small["id"]) + 1
                small_id = f"{mid_id}-{snum}"
                nodes.append(
                    {
                        "id": small_id,
                        "parent": mid_id,
                        "level": "小柱",
                        "number": small["id"],
                        "name": small["name"],
                        "departments": [SOUSEI_DEPARTMENTS[small_id]],
                        "x-assumed": ["departments"],
                    }
                )
                for k, ini in enumerate(small["initiatives"], 1):
                    nodes.append(
                        drop_empty(
                            {
                                "id": f"{small_id}-{k}",
                                "parent": small_id,
                                "level": "主な取組",
                                "number": ini["id"],
                                "name": ini["name"],
                                "texts": {"2024": drop_empty({"results": ini["results"], "issues": ini["issues_and_direction"]})},
                            }
                        )
                        | {"parent": small_id}
                    )
                for k, kpi in enumerate(small["kpis"], 1):
                    indicators.append(kpi_000(small_id, k, kpi, small.get("footnotes", [])))
    return {
        "format": FORMAT,
        "plan": {
            "id": "kanagawa-sousei-3",
            "name": "第３期神奈川県まち・ひと・しごと創生総合戦略",
            "organization": {"name": "神奈川県", "code": "140007"},
            "period": {"start": 2024, "end": 2027},
            "levels": ["基本目標", "中柱", "小柱", "主な取組"],
            "description": (
                "４つの基本目標を達成するために必要な施策を、施策の方向性や取組の柱である「中柱」、施策の最小単位である"
                "「小柱」と体系的に整理し、具体的な取組を「主な取組」として位置付けている。「小柱」の進捗状況や成果を検証する"
                "指標としてＫＰＩ（重要業績評価指標）を、「基本目標」ごとに数値目標を設定している。"
            ),
            "cycles": {"2024": {"status": "published", "due": "2025-05-30"}},
            "report": {"unit_pages": True, "council": "神奈川県地方創生推進会議", "chapters": sousei_chapters(seeds)},
        },
        "rules": {"preset": "kanagawa-sousei"},
        "nodes": nodes,
        "indicators": indicators,
        "x-source": {"document": ref["title"], "file": ref["source"], "assumptions": ASSUMPTIONS["kanagawa-sousei-3"]},
    }


def footnote_text(footnotes: list[str], year_text: str) -> str:
    mark = re.search(r"※\s*(\d*)", unicodedata.normalize("NFKC", year_text))
    if not mark or not footnotes:
        return ""
    number = mark.group(1)
    for f in footnotes:
        f_n = unicodedata.normalize("NFKC", f)
        m = re.match(r"※\s*(\d*)", f_n)
        if m and m.group(1) == number:
            return f.strip()
    return footnotes[0].strip() if len(footnotes) == 1 else ""


def value_000(text: str, pending: str | None, footnotes: list[str]) -> dict[str, Any] | None:
    t = text.strip()
    if not t or t == "―":
        return None
    if pending:
        return {"value": "", "status": "pending", "expected": expected_of(pending), "note": nfc(re.sub(r"\s+", "", pending))}
    if t.startswith("―※"):
        return {"value": "―※", "status": "unmeasurable", "note": footnote_text(footnotes, t)}
    if "見込値" in t:
        return drop_empty(
            {
                "value": t,
                "status": "estimate",
                "expected": expected_of(footnote_text(footnotes, t)),
                "note": footnote_text(footnotes, t),
            }
        )
    if "※" in t:
        return drop_empty({"value": t, "status": "confirmed", "note": footnote_text(footnotes, t)})
    return {"value": t, "status": "confirmed"}


def formula_000(kpi: dict[str, Any]) -> str:
    inferred = kpi.get("inferred_formula") or ""
    if inferred in FORMULA_000:
        return FORMULA_000[inferred]
    if inferred.startswith("indeterminate"):
        return "ratio"
    if kpi.get("lower_is_better"):
        return "inverse_ratio"
    return "progress" if kpi["aggregation"] == "総数" else "ratio"


def kpi_000(node: str, k: int, kpi: dict[str, Any], footnotes: list[str]) -> dict[str, Any]:
    formula = formula_000(kpi)
    out: dict[str, Any] = {
        "id": f"{node}-k{k}",
        "node": node,
        "kind": "kpi",
        "name": kpi["name"],
        "unit": unit_of(kpi["unit"]),
        "aggregation": kpi["aggregation"],
        "period_basis": "calendar" if kpi["calendar_year"] else "fiscal",
        "direction": "lower" if kpi.get("lower_is_better") else "higher",
        "formula": formula,
    }
    groups = kpi.get("by_group")
    actual_texts = kpi["actual_texts"]
    if kpi["aggregation"] != "計画期間中の累計" and not groups:
        base = actual_texts.get("2022", "").strip()
        if base and base != "―" and "※" not in base and "把握予定" not in base:
            out["baseline"] = {"year": 2022, "value": base, "note": "2022年度実績値"}
    if groups:
        out["unit"] = "%"
        parts = []
        for label, part_id in (("小", "elementary"), ("中", "junior-high")):
            targets = {y: f"{v[label]}％" for y, v in groups["targets"].items()}
            values = {y: {"value": cell_part(actual_texts[y], label), "status": "confirmed"} for y in groups["actuals"]}
            base = cell_part(actual_texts["2022"], label)
            parts.append(
                {
                    "id": part_id,
                    "label": label,
                    "name": f"{kpi['name']}（{'公立小学校' if label == '小' else '公立中学校'}）",
                    "baseline": {"year": 2022, "value": base, "note": "2022年度実績値"},
                    "targets": targets,
                    "values": values,
                }
            )
        out["targets"] = {}
        out["values"] = {}
        out["parts"] = parts
    else:
        out["targets"] = {y: t for y, t in kpi["target_texts"].items() if t.strip() and t.strip() != "―"}
        values = {}
        for y in YEARS_000:
            v = value_000(actual_texts.get(y, ""), kpi["actual_pending"].get(y), footnotes)
            if v is not None:
                values[y] = v
        out["values"] = values
    out["final_target_year"] = 2027
    if kpi.get("added_in_revision"):
        out["added_in"] = "令和７年３月改定版で追加"
    notes = [f for f in footnotes if "単年度の実績値" in f]
    if notes and any("※" in actual_texts.get(y, "") for y in ("2022", "2023")):
        out["footnotes"] = notes
    return out


def cell_part(text: str, label: str) -> str:
    m = re.search(label + r"：\s*([\d.]+\s*[％%])", text)
    assert m, (text, label)
    return m.group(1).replace(" ", "")


def numeric_target_000(goal: str, n: int, nt: dict[str, Any]) -> dict[str, Any]:
    name = nt["name"]
    out: dict[str, Any] = {
        "id": f"{goal}-t{n}",
        "node": goal,
        "kind": "numeric_target",
        "name": name,
        "unit": unit_of(nt["unit"]),
        "aggregation": "累計" if "累計" in name else "単年度",
        "period_basis": "calendar" if nt["calendar_year"] else "fiscal",
        "direction": "lower" if nt["direction"] == "lower_is_better" else "higher",
        "final_target_year": nt.get("target_year", 2027),
    }
    if "累計" in name:  # read from the name; seed 000 prints no 〔累計〕 mark for a 数値目標
        out["x-assumed"] = ["aggregation"]
    target_year = str(nt.get("target_year", 2027))
    target_text = nt["target_2027_text"]
    actual = nt["actual_2024_text"]
    pending = nt.get("actual_2024_pending")
    if "男性" in target_text:
        m = re.match(r"男性\s*([\d.]+\s*年)\s*女性\s*([\d.]+\s*年)", target_text)
        assert m
        value = {"value": "", "status": "pending", "expected": expected_of(pending), "note": nfc(re.sub(r"\s+", "", pending or ""))}
        out["unit"] = "年"
        out["targets"] = {}
        out["values"] = {}
        out["parts"] = [
            {"id": "male", "label": "男性", "name": f"{name}（男性）", "targets": {target_year: m.group(1)}, "values": {"2024": value}},
            {"id": "female", "label": "女性", "name": f"{name}（女性）", "targets": {target_year: m.group(2)}, "values": {"2024": value}},
        ]
        return out
    out["targets"] = {target_year: re.sub(r"[（(]\d{4} 年度[)）]$", "", target_text).strip()}
    if pending:
        out["values"] = {
            "2024": {"value": "", "status": "pending", "expected": expected_of(pending), "note": nfc(re.sub(r"\s+", "", pending))}
        }
    elif "概数" in actual:
        note = re.search(r"※(.*?。.*?。)", nt["note"])
        assert note, nt["note"]
        out["values"] = {"2024": {"value": actual, "status": "estimate", "expected": "2025-09", "note": note.group(1).strip()}}
    else:
        out["values"] = {"2024": {"value": actual, "status": "confirmed"}}
    chart = re.search(r"chart data points ([\d.]+) / ([\d.]+) / ([\d.]+) / ([\d.]+) \(apparently 2022, 2023, 2024 actuals", nt["note"])
    if chart:  # the series the report draws; only the chart prints 2022 and 2023
        assert unicodedata.normalize("NFKC", actual).startswith(chart.group(3)), (actual, chart.group(3))
        for year, number in (("2022", chart.group(1)), ("2023", chart.group(2))):
            out["values"][year] = {"value": f"{number} {nt['unit']}", "status": "confirmed"}
        out["values"] = dict(sorted(out["values"].items()))
    return out


# --- seeds 001 + 002: Kanagawa DX plan ----------------------------------------------------------

SIDE_IDS = {"くらし": "kurashi", "行政": "gyosei"}


def dx(ref001: dict[str, Any], ref002: dict[str, Any], seeds: Path) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    side_text = {s["name"]: s["text"] for s in ref002["sides"]}
    area_summary = {a["no"]: a["summary"] for a in ref002["areas"]}
    featured = {m["id"]: m["text"] for m in ref001["main_initiatives"]}
    for side_key, side in ref001["plan_structure"].items():
        sid = SIDE_IDS[side_key]
        nodes.append(
            {
                "id": sid,
                "parent": None,
                "level": "視点",
                "number": "１" if sid == "kurashi" else "２",
                "name": side["name"],
                "description": side_text[side["name"]],
            }
        )
        for no, area in side["areas"].items():
            nodes.append(
                drop_empty(
                    {
                        "id": f"area-{no}",
                        "parent": sid,
                        "level": "施策分野",
                        "number": no,
                        "name": area,
                        "description": area_summary.get(int(no), ""),
                    }
                )
                | {"parent": sid}
            )
    for m in ref001["measures"]:
        node_id = f"m{m['id']}"
        texts: dict[str, Any] = {}
        if m["id"] in featured:
            texts.setdefault("2024", {})["results"] = [featured[m["id"]]]
        if m.get("shortfall_explanation"):
            texts.setdefault("2024", {})["issues"] = [line for line in m["shortfall_explanation"].split("\n") if line.strip()]
        node = {
            "id": node_id,
            "parent": f"area-{m['area_no']}",
            "level": "施策",
            "number": m["id"],
            "name": m["name"],
            "departments": [m["bureau"]],
            "texts": texts,
        }
        if m["value_kind"] == "abolished":
            node["status"] = "abolished"
            node["note"] = m.get("row_note", "施策見直しにより廃止")
        nodes.append(drop_empty(node))
        if m["value_kind"] != "abolished":
            indicators.append(measure_indicator(m, node_id))
    return {
        "format": FORMAT,
        "plan": {
            "id": "kanagawa-dx",
            "name": "神奈川ＤＸ計画",
            "organization": {"name": "神奈川県", "code": "140007"},
            "period": {"start": 2024, "end": 2027},
            "levels": ["視点", "施策分野", "施策"],
            "description": f"{ref002['vision']}。{ref002['vision_text']}",
            "cycles": {"2024": {"status": "published", "due": "2025-05-16"}},
            "report": {"layout": "inspection", "era": "japanese", "chapters": dx_chapters(seeds)},
        },
        "rules": {"preset": "kanagawa-dx"},
        "nodes": nodes,
        "indicators": indicators,
        "x-source": {
            "document": f"{ref001['title']}（{ref001['source']}）; 計画本文（{ref002['source']}）",
            "assumptions": ASSUMPTIONS["kanagawa-dx"],
        },
    }


def dx_value(actual_text: str | None, pending_note: str | None) -> dict[str, Any]:
    text = (actual_text or "").strip()
    if text == "※":
        return drop_empty({"value": "", "status": "pending", "expected": year_of(pending_note), "note": pending_note or ""})
    if text == "―":
        return {"value": "―", "status": "confirmed"}
    return {"value": text, "status": "confirmed"}


def year_of(note: str | None) -> str | None:
    if not note:
        return None
    from hyoka.core.values import parse_value

    parsed = parse_value(note)
    return parsed.expected


def numeric_text(text: str | None) -> bool:
    """False for a target written as a sentence (「…前年度比20％減」): it is judged as text."""
    from hyoka.core.errors import InputError
    from hyoka.core.values import parse_value

    try:
        parse_value(text or "")
    except InputError:
        return False
    return True


def measure_indicator(m: dict[str, Any], node_id: str) -> dict[str, Any]:
    kind = m["value_kind"]
    sentence_target = kind in ("numeric", "pending") and not numeric_text(m["target_text"])
    direction = "qualitative" if kind == "qualitative" or sentence_target else m["direction"]
    out: dict[str, Any] = {
        "id": m["id"],
        "node": node_id,
        "kind": "kpi",
        "name": (m["indicator"] or "").replace("\n", " / "),
        "unit": unit_of(m.get("unit")),
        "aggregation": "累計" if "累計" in (m["indicator"] or "") else "単年度",
        "period_basis": "fiscal",
        "direction": direction,
    }
    if kind in ("numeric", "qualitative", "pending"):
        target = (m["target_text"] or "").strip()
        out["targets"] = {"2024": target} if target and target != "―" else {}
        out["values"] = {"2024": dx_value(m["actual_text"], m.get("pending_note"))} if m["actual_text"] else {}
        if direction == "qualitative":
            out["unit"] = ""
        return out
    if kind == "none":
        out["targets"] = {}
        out["values"] = {}
        out["note"] = "成果指標の目標・実績は「―」（指標未設定）"
        return out
    parts = []
    if kind == "multi":
        subs = [s for s in m["sub_indicators"] if s.get("kind") != "combined_actual"]
        for s in subs:
            label = s["no"]
            sub_kind = s["kind"]
            part_direction = "qualitative" if sub_kind == "qualitative" else m["direction"]
            part: dict[str, Any] = {
                "id": re.sub(r"[^0-9a-z]", "", "p" + str(len(parts) + 1)),
                "label": label if not s.get("derived") else "②・③合計",
                "name": s["indicator"],
                "unit": unit_of(s.get("unit")) if part_direction != "qualitative" else "",
                "direction": part_direction,
                "targets": {"2024": s["target_text"]},
                "values": {"2024": dx_value(s.get("actual_text") or "", m.get("pending_note"))},
            }
            if s.get("derived"):
                part["note"] = "②と③は合計の実績のみ公表（目標は②3,700件＋③1,100件）"
            parts.append(part)
    else:  # compound: components printed in one cell
        for i, c in enumerate(m["components"], 1):
            label = c.get("label") or c["unit"]
            parts.append(
                {
                    "id": f"c{i}",
                    "label": label,
                    "name": f"{m['indicator']}（{label}）",
                    "unit": unit_of(c.get("unit")),
                    "targets": {"2024": c["target_text"]},
                    "values": {"2024": {"value": c["actual_text"], "status": "confirmed"}},
                }
            )
    out["targets"] = {}
    out["values"] = {}
    out["parts"] = parts
    if m["id"] == "22-29":
        out["values"] = {
            "2024": {
                "value": "",
                "judgement": "○",
                "judgement_reason": (
                    "目標 0.0% に対し実績は２区分（高等学校・中等教育学校 12.8%、特別支援学校 5.3%）で、比率では判定できないため、"
                    "点検報告書に記載された評価「○ 概ね達成」を記録"
                ),
            }
        }
    return out


# --- seed 004: Hiratsuka 重点戦略 -----------------------------------------------------------------

HIRATSUKA_BANDS = [  # the same four grades for a 施策 and a 重点戦略
    {"min": "100", "label": "順調", "symbol": "A"},
    {"min": "80", "label": "おおむね順調", "symbol": "B"},
    {"min": "60", "label": "やや遅れ", "symbol": "C"},
    {"min": None, "label": "遅れ", "symbol": "D"},
]
HIRATSUKA_RULES = {
    "name": "例示ルール（上限100%・４段階）",
    "description": "達成率は小数第２位を四捨五入し、表示と平均では100%を上限とする。施策は KPI 達成率の平均、計画全体は施策の平均で評価する。",
    "rate": {"rounding": "half_up", "decimals": 1, "cap": "100"},
    "grades": [
        {
            "level": "施策",
            "source": "indicators",
            "scope": "own",
            "kinds": ["kpi"],
            "aggregate": "mean",
            "bands": HIRATSUKA_BANDS,
            "no_data": "実績未把握",
        },
        {
            "level": "重点戦略",
            "source": "grades",
            "of_level": "施策",
            "aggregate": "mean",
            "bands": HIRATSUKA_BANDS,
            "no_data": "実績未把握",
        },
        {
            "level": "plan",
            "source": "grades",
            "of_level": "施策",
            "aggregate": "mean",
            "bands": [{"min": "90", "label": "計画どおり進捗", "symbol": "A"}, {"min": None, "label": "重点的な取組が必要", "symbol": "B"}],
            "no_data": "実績未把握",
        },
    ],
    "display": {"unit_space": True},  # seed 004 prints 「0 人」「5,000 件」, and ％ unspaced
}
LOWER_IS_BETTER_004 = ("待機児童",)


def hiratsuka(ref: dict[str, Any]) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    for s in ref["strategies"]:
        sid = f"s{s['no']}"
        nodes.append(
            drop_empty(
                {
                    "id": sid,
                    "parent": None,
                    "level": "重点戦略",
                    "number": f"重点戦略{s['no']}",
                    "name": s["name"],
                    "description": "\n".join(s["direction"] + notes_004(s)),
                }
            )
            | {"parent": None}
        )
        notes = {f["mark"]: f["text"] for f in s.get("numeric_target_footnotes", [])}
        for n, nt in enumerate(s["numeric_targets"], 1):
            indicators.append(indicator_004(f"{sid}-t{n}", sid, "numeric_target", nt, notes))
        for a_no, area in enumerate(s["areas"], 1):
            aid = f"{sid}-{a_no}"
            departments = sorted({d for ini in area["initiatives"] for p in ini["projects"] for d in p["departments"]})
            nodes.append(
                drop_empty(
                    {
                        "id": aid,
                        "parent": sid,
                        "level": "施策",
                        "number": area["id"].replace("(", "（").replace(")", "）"),
                        "name": area["name"],
                        "description": "\n".join(area["direction"] + notes_004(area)),
                        "departments": departments,
                    }
                )
            )
            knotes = {f["mark"]: f["text"] for f in area.get("kpi_footnotes", [])}
            for k, kpi in enumerate(area["kpis"], 1):
                indicators.append(indicator_004(f"{aid}-k{k}", aid, "kpi", kpi, knotes))
            for i, ini in enumerate(area["initiatives"], 1):
                tags = []
                if ini.get("digital"):
                    tags.append("デジタル")
                if ini.get("decarbonization"):
                    tags.append("脱炭素")
                nodes.append(
                    drop_empty(
                        {
                            "id": f"{aid}-{i}",
                            "parent": aid,
                            "level": "具体的な取組",
                            "number": str(i),
                            "name": ini["name"],
                            "departments": sorted({d for p in ini["projects"] for d in p["departments"]}),
                            "tags": tags,
                            "activities": ini["activities"],
                            "projects": [
                                drop_empty({"name": p["name"], "departments": p["departments"], "tags": project_tags(p)})
                                for p in ini["projects"]
                            ],
                        }
                    )
                )
    return {
        "format": FORMAT,
        "plan": {
            "id": "hiratsuka-juten",
            "name": "平塚市総合計画 重点戦略",
            "organization": {"name": "平塚市", "code": "142034"},
            "period": {"start": 2024, "end": 2031},
            "levels": ["重点戦略", "施策", "具体的な取組"],
            "description": "".join(ref["intro"]),
            "cycles": {"2024": {"status": "open", "due": "2025-06-30"}},
            "report": {"layout": "verification"},
        },
        "rules": HIRATSUKA_RULES,
        "nodes": nodes,
        "indicators": indicators,
        "x-source": {"document": "第２章 重点戦略", "file": ref["source"], "assumptions": ASSUMPTIONS["hiratsuka-juten"]},
    }


def notes_004(section: dict[str, Any]) -> list[str]:
    return [f"{n['mark']} {n['text']}" for n in section.get("direction_notes", [])]


def project_tags(p: dict[str, Any]) -> list[str]:
    inferred = p.get("tag_inferred") or {}
    tags = []
    if inferred.get("digital"):
        tags.append("デジタル")
    if inferred.get("decarbonization"):
        tags.append("脱炭素")
    return tags


def target_004(text: str | None) -> str | None:
    if text is None:
        return None
    t = text.strip()
    return None if t in ("－", "-", "―", "") else t


def indicator_004(ind_id: str, node: str, kind: str, src: dict[str, Any], notes: dict[str, str]) -> dict[str, Any]:
    lower = any(w in src["name"] for w in LOWER_IS_BETTER_004)
    out: dict[str, Any] = {
        "id": ind_id,
        "node": node,
        "kind": kind,
        "name": src["name"],
        "unit": unit_of(src.get("unit")),
        "aggregation": "累計" if src["cumulative"] else "単年度",
        "period_basis": "fiscal",
        "direction": "lower" if lower else "higher",
        "final_target_year": 2031,
    }
    if lower:
        out["formula"] = "progress"
    footnotes = [f"{f['mark']} {f['text']}" for f in src.get("footnotes", [])]
    if footnotes:
        out["footnotes"] = footnotes
    subs = src.get("sub_indicators") or []
    if subs:
        out["unit"] = unit_of(subs[0].get("unit"))
        out["targets"] = {}
        out["values"] = {}
        out["parts"] = [{"id": f"p{i}", "label": sub["label"], "name": sub["name"]} | series_004(sub) for i, sub in enumerate(subs, 1)]
        return out
    return out | series_004(src)


def series_004(src: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    base = target_004(src.get("baseline_text"))
    if base is not None:
        out["baseline"] = {"value": base, "note": "策定時実績値"}
    targets = {}
    for year in ("2027", "2031"):
        t = target_004(src.get(f"target_{year}_text"))
        if t is not None:
            targets[year] = t
    out["targets"] = targets
    out["values"] = {}
    return out


def main(argv: list[str]) -> int:
    """``convert_reference.py [REFERENCE_DIR] [OUT_DIR]``: the tests write into a temporary OUT_DIR."""
    ref_dir = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "reference"
    seeds = ref_dir.parent / "seeds"
    out = Path(argv[2]) if len(argv) > 2 else OUT
    load = lambda name: json.loads((ref_dir / name).read_text(encoding="utf-8"))  # noqa: E731
    plans = {
        "kanagawa-sousei-3": sousei(load("kanagawa_2024.json"), seeds),
        "kanagawa-dx": dx(load("kanagawa_dx_2024.json"), load("plan_dx_002.json"), seeds),
        "hiratsuka-juten": hiratsuka(load("plan_city_004.json")),
    }
    out.mkdir(parents=True, exist_ok=True)
    for plan_id, doc in plans.items():
        plan_from_dict(doc, plan_id)  # fails loudly on any conversion mistake
        path = out / f"{plan_id}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}: {len(doc['nodes'])} nodes, {len(doc['indicators'])} indicators")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
