"""Reports, workbooks and open data downloaded from the web app; a filled-in workbook uploaded back."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from urllib.parse import quote

from django.test import Client
from opencycle import PLAN, URL, YEAR
from openpyxl import load_workbook
from reports import download, run_queued

from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan
from hyoka.web.renders.models import Rendering


def test_planner_downloads_the_report_in_every_format(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    html = download(c, f"{URL}/report.html?year=2024")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert "attachment" in html["Content-Disposition"]
    assert html["Content-Disposition"].endswith(quote(f"{PLAN}-2024-評価報告書.html"))  # FY2024 is published: no 「案」
    body = html.content.decode()
    assert "178.1" in body and "概ね順調に進んでいます" in body  # the same numbers as the pages
    docx = download(c, f"{URL}/report.docx?year=2024")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    xlsx = download(c, f"{URL}/report.xlsx?year=2024")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert c.get(f"{URL}/report.exe?year=2024").status_code == 404


def test_a_report_is_rendered_in_the_background_once_per_revision(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """The request answers at once with a progress page; the worker renders; the next download is the kept
    file (no new task), until the plan changes (a new revision renders anew)."""
    c = client_for("planner")
    url = f"{URL}/report.html?year=2024"
    first = c.get(url)
    assert first.status_code == 302 and "/reports/" in first["Location"]
    waiting = c.get(first["Location"])
    assert (
        waiting.status_code == 200 and '<meta http-equiv="refresh"' in waiting.content.decode() and "順番待ち" in waiting.content.decode()
    )
    assert c.get(url).status_code == 302  # asked again before the worker ran: the same rendering, not a second task
    assert run_queued() == 1
    done = c.get(first["Location"]).content.decode()
    assert "ダウンロード" in done and '<meta http-equiv="refresh"' not in done
    rendering = Rendering.objects.get(plan=plan, year=2024, fmt="html")
    assert rendering.status == "done" and rendering.revision == m.Plan.objects.get(pk=plan.pk).revision
    file = c.get(url)
    assert file.status_code == 200 and "178.1" in file.content.decode() and run_queued() == 0  # instant: the kept file
    c.post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "50.0%"})  # a new revision
    assert c.get(url).status_code == 302 and run_queued() == 1
    assert Rendering.objects.filter(plan=plan, year=2024, fmt="html").count() == 1  # the old revision's file is dropped


def test_a_rendering_that_finds_the_plan_changed_is_stale_and_asked_again(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    url = f"{URL}/report.html?year=2024"
    progress = c.get(url)["Location"]
    c.post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "50.0%"})  # the plan moves on before the worker runs
    run_queued()
    page = c.get(progress).content.decode()
    assert "計画が更新されました" in page
    assert c.get(url).status_code == 302 and run_queued() == 1 and c.get(url).status_code == 200


def test_pdf_report_of_a_small_plan(db: None, client_for: Callable[[str], Client]) -> None:
    pdf = download(client_for("hiratsuka"), "/plans/142034/hiratsuka-juten/report.pdf?year=2024")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"].endswith(quote("hiratsuka-juten-2024-効果検証報告書（案）.pdf"))  # the plan's kind, a draft


def test_a_department_gets_only_its_own_workbook(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("sangyo")
    response = c.get(f"{URL}/workbook.xlsx?year={YEAR}")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert "実績値" in wb.sheetnames and "指標" not in wb.sheetnames  # a department's slice, not the whole plan
    ids = {row[0] for row in wb["実績値"].iter_rows(min_row=2, values_only=True) if row[0]}
    core = core_plan(plan)
    assert ids and all(core.departments_of(core.indicator_by_id[i]) == ["産業労働局"] for i in ids)
    assert c.get(f"{URL}/workbook.xlsx?year={YEAR}&department=福祉子どもみらい局").status_code == 403


def test_planner_gets_the_whole_workbook_or_any_slice(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    whole = load_workbook(io.BytesIO(c.get(f"{URL}/workbook.xlsx").content))
    assert {"計画", "体系", "指標", "目標値", "実績値"} <= set(whole.sheetnames)
    slice_ = c.get(f"{URL}/workbook.xlsx?year={YEAR}&department=福祉子どもみらい局")
    assert slice_.status_code == 200
    assert c.get(f"{URL}/workbook.xlsx?year={YEAR}&department=存在しない局").status_code == 404


def test_the_internal_package_says_it_is_not_open_data(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """Drafts are in it, so it is named PLAN-YEAR-internal.zip, never like open data, and its README says so."""
    response = client_for("reviewer").get(f"{URL}/internal.zip?year={YEAR}")
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{PLAN}-{YEAR}-internal.zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names[0] == f"{PLAN}-internal/README.txt" and f"{PLAN}-internal/datapackage.json" in names
    readme = archive.read(names[0]).decode()
    assert readme.startswith("内部資料（公表用ではありません）") and "NOT FOR PUBLICATION" in readme
    assert "公表前の年度: なし" in readme  # nothing entered for FY2025 yet
    client_for("planner").post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "50.0%"})
    again = zipfile.ZipFile(io.BytesIO(client_for("reviewer").get(f"{URL}/internal.zip?year={YEAR}").content))
    assert "公表前の年度: 令和７年度" in again.read(names[0]).decode()
    package = json.loads(archive.read(f"{PLAN}-internal/datapackage.json"))
    assert {r["name"] for r in package["resources"]} >= {"observations", "indicators", "nodes"}


def _filled_workbook(c: Client) -> bytes:
    wb = load_workbook(io.BytesIO(c.get(f"{URL}/workbook.xlsx?year={YEAR}").content))
    ws = wb["実績値"]
    header = [cell.value for cell in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "1-3-1-k1")
    row[header.index("実績値")].value = "５０．０％"
    texts = wb["評価コメント"]
    t_header = [cell.value for cell in texts[1]]
    t_row = next(r for r in texts.iter_rows(min_row=2) if r[0].value == "1-3-1-1")
    t_row[t_header.index("取組結果")].value = "キャリアカウンセリングを実施\n就職支援セミナーを開催"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_department_uploads_its_filled_workbook(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("sangyo")
    data = _filled_workbook(c)
    preview = c.post(f"{URL}/upload/?year={YEAR}", {"file": _named(data, "産業労働局.xlsx")})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    page = preview.content.decode()
    assert "1-3-1-k1" in page and "５０．０％" in page and "キャリアカウンセリングを実施" in page
    assert Change.objects.filter(plan=plan, why__contains="産業労働局.xlsx").count() == 0  # nothing applied yet
    applied = c.post(f"{URL}/upload/apply/", {"why": "部局の入力"}, follow=True)
    assert applied.status_code == 200
    value = m.Value.objects.get(series__indicator__plan=plan, series__indicator__key="1-3-1-k1", series__part="", year=YEAR)
    assert value.text == "５０．０％"
    node_text = m.NodeText.objects.get(node__plan=plan, node__key="1-3-1-1", year=YEAR)
    assert node_text.results == ["キャリアカウンセリングを実施", "就職支援セミナーを開催"]
    assert Change.objects.filter(plan=plan, why__contains="産業労働局.xlsx").count() >= 2


def test_a_workbook_with_a_bad_cell_is_refused_with_its_place(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("sangyo")
    wb = load_workbook(io.BytesIO(c.get(f"{URL}/workbook.xlsx?year={YEAR}").content))
    ws = wb["実績値"]
    header = [cell.value for cell in ws[1]]
    next(r for r in ws.iter_rows(min_row=2) if r[0].value == "1-3-1-k1")[header.index("実績値")].value = "たくさん"
    out = io.BytesIO()
    wb.save(out)
    response = c.post(f"{URL}/upload/?year={YEAR}", {"file": _named(out.getvalue(), "dept.xlsx")})
    assert response.status_code == 400
    assert "dept.xlsx:実績値!" in response.content.decode() and "たくさん" in response.content.decode()


def _named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_a_workbook_downloaded_before_a_web_edit_yields_a_conflict_not_a_deletion(
    plan: m.Plan, client_for: Callable[[str], Client]
) -> None:
    c = client_for("sangyo")
    download = c.get(f"{URL}/workbook.xlsx?year={YEAR}")
    plan.refresh_from_db()
    wb = load_workbook(io.BytesIO(download.content))
    items = {row[0]: row[1] for row in wb["計画"].iter_rows(min_row=2, values_only=True)}
    assert items["出力時の版"] == plan.revision  # the workbook records what it was made from
    # after the download: a value entered on the web, and one row the department fills in both places
    c.post(f"{URL}/indicators/1-3-1-k2/value/", {"year": YEAR, "value": "81.0%"})
    c.post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "50.0%"})
    ws = wb["実績値"]
    header = [cell.value for cell in ws[1]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    rows["1-3-1-k1"][header.index("実績値")].value = "51.0%"
    rows["1-3-1-k3"][header.index("実績値")].value = "2.7%"
    out = io.BytesIO()
    wb.save(out)
    preview = c.post(f"{URL}/upload/?year={YEAR}", {"file": _named(out.getvalue(), "dept.xlsx")})
    assert preview.status_code == 200
    [(index, conflict, allowed)] = preview.context["conflicts"]
    assert (conflict.indicator, conflict.old, conflict.new, allowed) == ("1-3-1-k1", "50.0%（確定）", "51.0%（確定）", True)
    assert [(r.indicator, r.kind) for r, _ok in preview.context["rows"]] == [("1-3-1-k3", "added")]  # 1-3-1-k2 is not removed
    page = preview.content.decode()
    assert "いま hyoka にある内容" in page and "50.0%（確定）" in page and "51.0%（確定）" in page
    applied = c.post(f"{URL}/upload/apply/", {}, follow=True)
    assert "1 件の衝突は、hyoka の内容のまま残しました。" in applied.content.decode()

    def stored(key: str) -> str:
        return m.Value.objects.get(series__indicator__plan=plan, series__indicator__key=key, series__part="", year=YEAR).text

    assert (stored("1-3-1-k1"), stored("1-3-1-k2"), stored("1-3-1-k3")) == ("50.0%", "81.0%", "2.7%")
    c.post(f"{URL}/upload/?year={YEAR}", {"file": _named(out.getvalue(), "dept.xlsx")})  # again, and this time take the file's
    c.post(f"{URL}/upload/apply/", {"overwrite": str(index), "why": "ブックの値が正しい"})
    assert stored("1-3-1-k1") == "51.0%"
