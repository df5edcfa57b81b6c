"""Setting a plan up without JSON: from the Excel template, then nodes and indicators edited in forms with history."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from django.test import Client
from opencycle import URL
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan


def _named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def append(ws: Worksheet, cells: dict[str, str]) -> None:
    """A row typed under the given headers."""
    header = [c.value for c in ws[1]]
    ws.append([cells.get(h) for h in header])


def filled_template(c: Client) -> bytes:
    response = c.get("/plans/new/template.xlsx", {"start": "R7", "end": "2027"})
    assert response.status_code == 200
    return fill_template(response.content)


def fill_template(template: bytes) -> bytes:
    """The template of FY2025–2027 with a plan of one goal and one KPI typed in, as a planner would in Excel."""
    wb = load_workbook(io.BytesIO(template))
    plan = wb["計画"]
    items = {row[0].value: row[1] for row in plan.iter_rows(min_row=2)}
    for key, value in {
        "計画ID": "town-plan",
        "計画名": "テスト町総合戦略",
        "団体名": "神奈川県",
        "団体コード": "140007",
        "階層": "基本目標\n施策",
    }.items():
        items[key].value = value
    append(wb["体系"], {"ID": "g1", "階層": "基本目標", "番号": "１", "名称": "にぎわいのあるまち"})
    append(wb["体系"], {"ID": "g1-1", "親ID": "g1", "階層": "施策", "番号": "(1)", "名称": "商店街の活性化", "担当部局": "産業労働局"})
    append(wb["指標"], {"指標ID": "g1-1-k1", "ノードID": "g1-1", "種別": "ＫＰＩ", "指標名": "空き店舗の活用件数", "単位": "件"})
    append(wb["目標値"], {"指標ID": "g1-1-k1", "R7(2025)": "10件", "R9(2027)": "30件"})
    rules = wb["評価ルール"]
    for r in range(2, rules.max_row + 1):
        rules.cell(r, 1).value = None
    grade = {"level": "施策", "bands": [{"min": "90", "label": "順調"}, {"min": None, "label": "遅れ"}]}
    rules.cell(2, 1).value = json.dumps({"preset": "kanagawa-sousei", "grades": [grade]}, ensure_ascii=False)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_planner_makes_a_plan_from_the_excel_template(db: None, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    response = c.post("/plans/import/", {"file": _named(filled_template(c), "town.xlsx")})
    assert response.status_code == 302 and response["Location"] == "/plans/140007/town-plan/", response.content.decode()[:3000]
    plan = m.Plan.objects.get(organization__code="140007", key="town-plan")
    core = core_plan(plan)
    assert [n.id for n in core.nodes] == ["g1", "g1-1"] and core.indicator_by_id["g1-1-k1"].targets[2027].text == "30件"
    assert Change.objects.filter(plan=plan, kind="import").exists()


def test_a_bad_template_is_refused_beside_the_file_with_its_cells(db: None, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    wb = load_workbook(io.BytesIO(filled_template(c)))
    header = [cell.value for cell in wb["目標値"][1]]
    wb["目標値"].cell(2, header.index("R7(2025)") + 1).value = "たくさん"
    out = io.BytesIO()
    wb.save(out)
    response = c.post("/plans/import/", {"file": _named(out.getvalue(), "town.xlsx")})
    assert response.status_code == 400
    errors = response.context["upload"].errors["file"]
    assert any(e.startswith("town.xlsx:目標値!") and "たくさん" in e and "数値として解釈できません" in e for e in errors)
    assert not m.Plan.objects.filter(key="town-plan").exists()


def test_a_node_and_an_indicator_are_edited_with_history(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    form = c.get(f"{URL}/indicators/1-3-1-k1/edit/").context["form"]
    data = {k: v for k, v in form.initial.items()} | {"unit": "件", "why": "単位の誤り"}
    response = c.post(f"{URL}/indicators/1-3-1-k1/edit/", data)
    assert response.status_code == 302
    assert core_plan(m.Plan.objects.get(pk=plan.pk)).indicator_by_id["1-3-1-k1"].unit == "件"
    change = Change.objects.get(plan=plan, kind="indicator", indicator_key="1-3-1-k1")
    assert (change.old, change.new, change.why) == ("単位: %", "単位: 件", "単位の誤り")
    refused = c.post(f"{URL}/indicators/1-3-1-k1/edit/", data | {"baseline": "たくさん", "why": "x"})
    assert refused.status_code == 400 and refused.context["form"].errors["baseline"][0].startswith("数値として解釈できません")
    node = c.get(f"{URL}/nodes/1-3-1/edit/").context["form"]
    response = c.post(f"{URL}/nodes/1-3-1/edit/", dict(node.initial) | {"name": "新しい名称", "why": "名称変更"})
    assert response.status_code == 302 and core_plan(m.Plan.objects.get(pk=plan.pk)).node_by_id["1-3-1"].name == "新しい名称"
    assert Change.objects.get(plan=plan, kind="node", node_key="1-3-1").new == "名称: 新しい名称"
    assert client_for("sangyo").get(f"{URL}/nodes/1-3-1/edit/").status_code == 403


def test_the_rules_are_edited_in_a_form_that_previews_the_grades(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    form = c.get(f"{URL}/rules/?year=2024").context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    assert data["grade_0_bands"] == "90 順調に進んでいます\n75 概ね順調に進んでいます\n60 やや遅れています\n- 遅れています"
    stricter = data | {"grade_0_bands": "95 順調に進んでいます\n75 概ね順調に進んでいます\n60 やや遅れています\n- 遅れています"}
    preview = c.post(f"{URL}/rules/?year=2024", stricter | {"action": "preview"})
    assert preview.status_code == 200 and m.RuleSetVersion.objects.filter(plan=plan).count() == 1  # nothing saved
    shifts = preview.context["preview"]["shifts"]
    assert shifts and all((s.before, s.after) == ("順調に進んでいます", "概ね順調に進んでいます") for s in shifts)
    assert "評価への影響を確認" in preview.content.decode() and shifts[0].name in preview.content.decode()
    refused = c.post(
        f"{URL}/rules/?year=2024", stricter | {"grade_0_bands": "90 順調\n95 もっと順調\n- 遅れ", "action": "save", "why": "x"}
    )
    assert refused.status_code == 400 and refused.context["form"].errors["grade_0_bands"]
    saved = c.post(f"{URL}/rules/?year=2024", stricter | {"action": "save", "why": "基準を厳しく", "correction": "基準の改定"})
    assert saved.status_code == 302 and m.RuleSetVersion.objects.filter(plan=plan).count() == 2
    assert Change.objects.get(plan=plan, kind="rules").why == "基準を厳しく"
