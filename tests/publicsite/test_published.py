"""Only what is published reaches the public: the published copy, and every file of a built site."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from planted import DRAFT_TEXT, DRAFT_VALUE, RELEASED_TEXT, planted_indicator, planted_plan

from hyoka.formats.hyoka1 import load_path
from hyoka.samples import load_sample
from hyoka.site.published import published_plan, released_years


def _contents(folder: Path) -> dict[str, bytes]:
    """Every file of the site, and every member of every ZIP in it."""
    out = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            out[str(path.relative_to(folder))] = data
            if path.suffix == ".zip":
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    for name in archive.namelist():
                        out[f"{path.name}!{name}"] = archive.read(name)
    return out


def test_released_years_are_published_cycles_and_history_before_the_period():
    assert released_years(load_sample("kanagawa-sousei-3")) == {2022, 2023, 2024}
    assert released_years(load_sample("kanagawa-dx")) == {2024}
    assert released_years(load_sample("hiratsuka-juten")) == set()
    assert released_years(planted_plan()) == {2024}


def test_the_published_copy_drops_draft_years_texts_reviews_and_extensions():
    plan = planted_plan()
    indicator = planted_indicator(plan)
    public = published_plan(plan)
    assert 2025 in plan.indicator_by_id[indicator].values
    assert 2025 not in public.indicator_by_id[indicator].values
    assert 2025 in public.indicator_by_id[indicator].targets  # targets belong to the adopted plan
    node = public.node_by_id[public.indicator_by_id[indicator].node]
    assert set(node.reviews) == {2024} and 2025 not in node.texts
    assert set(public.cycles) == {2024}
    outlook = next(c for c in public.report.chapters if c.id == "planted-outlook")
    assert outlook.years == {2024: ["公表済み"]}
    assert "x-internal" in plan.extras and public.extras == {}
    assert public.indicator_by_id[indicator].values[2024] == plan.indicator_by_id[indicator].values[2024]


def test_an_unpublished_city_plan_keeps_its_targets_and_loses_its_values():
    public = published_plan(load_sample("hiratsuka-juten"))
    assert all(not s.values for i in public.indicators for s in i.series())
    assert sum(len(s.targets) for i in public.indicators for s in i.series()) > 0


def test_no_draft_is_in_any_file_of_the_site(planted_site):
    files = _contents(planted_site)
    assert len(files) > 500
    markers = [DRAFT_TEXT.encode(), DRAFT_VALUE.encode(), f"{int(DRAFT_VALUE):,}".encode()]
    leaks = [(name, m) for name, data in files.items() for m in markers if m in data]
    assert leaks == []
    released = [name for name, data in files.items() if RELEASED_TEXT.encode() in data]
    # the control: the published year's review is on the node pages (ja, en), in the plan file, the package and its ZIP
    assert any(name.endswith(".html") for name in released)
    assert any(name.endswith(".hyoka1.json") for name in released)
    assert any("reviews.csv" in name for name in released)
    assert any("!" in name for name in released)


def test_the_plan_file_of_the_site_is_the_published_copy(planted_site):
    (path,) = planted_site.glob("data/*/planted-dx/planted-dx.hyoka1.json")  # under its organization's folder
    plan = load_path(path)
    assert plan.cycles.keys() == {2024}
    assert all(set(s.values) <= {2024} for i in plan.indicators for s in i.series())


def test_fields_a_converter_assumed_are_not_published():
    plan = load_sample("kanagawa-sousei-3")
    small = plan.node_by_id["1-1-1"]
    assert small.departments == ["政策局"] and small.extras["x-assumed"] == ["departments"]  # kept for the workflow
    public = published_plan(plan)
    assert all(n.departments == [] and n.extras == {} for n in public.nodes)
    dx = published_plan(load_sample("kanagawa-dx"))
    assert dx.node_by_id["m1-1"].departments == ["福祉子どもみらい局"]  # the 別紙's とりまとめ局: from the source
