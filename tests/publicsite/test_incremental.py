"""Incremental ``hyoka publish``: only the plans whose published copy changed are rewritten, and the
result is the site a full publication makes, byte for byte."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hyoka.cli import app
from hyoka.core.model import Plan
from hyoka.formats.hyoka1 import dumps, plan_from_dict, plan_to_dict
from hyoka.samples import load_sample, sample_names
from hyoka.site import paths
from hyoka.site.publish import MARKER, TAKE, _Shares, publish
from hyoka.site.render import Site

Snapshot = dict[str, tuple[bytes, int, int]]  # path: (content, inode, mtime)


def _snapshot(folder: Path) -> Snapshot:
    out = {}
    for f in folder.rglob("*"):
        if f.is_file():
            st = f.stat()
            out[str(f.relative_to(folder))] = (f.read_bytes(), st.st_ino, st.st_mtime_ns)
    return out


def _tree(folder: Path) -> tuple[dict[str, bytes], set[str]]:
    """Every file's bytes and every folder of a site."""
    files = {str(f.relative_to(folder)): f.read_bytes() for f in folder.rglob("*") if f.is_file()}
    return files, {str(d.relative_to(folder)) for d in folder.rglob("*") if d.is_dir()}


def _changed(plan: Plan, indicator: str, year: str, value: str) -> Plan:
    doc = plan_to_dict(plan)
    spec = next(i for i in doc["indicators"] if i["id"] == indicator)
    spec.setdefault("values", {})[year] = spec["values"].get(year, {"status": "confirmed"}) | {"value": value}
    return plan_from_dict(doc, plan.id)


def _other_organization(plan: Plan, code: str, name: str) -> Plan:
    doc: dict[str, Any] = plan_to_dict(plan)
    doc["plan"]["organization"] = {"name": name, "code": code}
    return plan_from_dict(doc, plan.id)


def _in_plan(path: str, root: str) -> bool:
    return any(path.startswith(folder + "/") for folder in paths.plan_folders(root))


@pytest.fixture
def plans() -> list[Plan]:
    samples = [load_sample(name) for name in sample_names()]
    return [*samples, _other_organization(load_sample("kanagawa-dx"), "141003", "横浜市")]


def test_one_changed_value_rewrites_only_that_plans_files_and_the_lists(plans, tmp_path):
    out = tmp_path / "site"
    first = publish(plans, out)
    assert first.plans == len(plans)
    before = _snapshot(out)
    dx = plans.index(next(p for p in plans if p.id == "kanagawa-dx"))
    plans[dx] = _changed(plans[dx], "1-1", "2024", "55,261人")
    root = paths.of_plan(plans[dx])

    result = publish(plans, out)

    after = _snapshot(out)
    rewritten = {p for p in after if p not in before or after[p][1:] != before[p][1:]}
    own = {p for p in after if _in_plan(p, root)}
    manifest = json.loads((out / MARKER).read_text(encoding="utf-8"))
    listed = next(e for e in manifest["plans"] if e["root"] == root)
    assert result.plans == 1 and result.removed == 0
    assert own == set(listed["files"]) <= rewritten
    shared = rewritten - own - {MARKER}
    # the pages that list plans show the plan's figures (its search rows carry the rate), nothing else
    assert shared <= set(Site([]).shared_files())
    assert result.files == len(own) + len(shared)
    assert all(after[p][0] == before[p][0] for p in after if p not in rewritten)
    assert after[f"data/{root}/indicators/1-1.json"][0] != before[f"data/{root}/indicators/1-1.json"][0]
    full = tmp_path / "full"
    publish(plans, full)
    assert _tree(out) == _tree(full)


def test_a_change_to_a_draft_year_rewrites_nothing(plans, tmp_path):
    out = tmp_path / "site"
    publish(plans, out)
    before = _snapshot(out)
    hiratsuka = plans.index(next(p for p in plans if p.id == "hiratsuka-juten"))
    indicator = plans[hiratsuka].indicators[0]
    plans[hiratsuka] = _changed(plans[hiratsuka], indicator.id, "2024", f"1{indicator.unit}")  # 2024 is open: not public

    result = publish(plans, out)

    assert (result.plans, result.files) == (0, 0)
    assert _snapshot(out) == before


def test_a_removed_plan_takes_its_files_and_its_organizations_folder_with_it(plans, tmp_path):
    out = tmp_path / "site"
    publish(plans, out)
    yokohama = paths.of_plan(plans[-1])

    result = publish(plans[:-1], out)

    assert (result.plans, result.removed) == (0, 1)
    assert not any((out / folder).exists() for folder in paths.plan_folders(yokohama))
    assert not (out / "141003").exists() and not (out / "en" / "141003").exists()
    assert "横浜市" not in (out / "index.html").read_text(encoding="utf-8")
    full = tmp_path / "full"
    publish(plans[:-1], full)
    assert _tree(out) == _tree(full)


def test_a_failed_publication_leaves_the_site_as_it_was(plans, tmp_path, monkeypatch):
    out = tmp_path / "site"
    publish(plans, out)
    before = _snapshot(out)
    plans[1] = _changed(plans[1], "1-1", "2024", "1人")

    def broken(self, ps, ind, lang):
        if ind.id == "1-3":
            raise OSError("disk full")
        return rendered(self, ps, ind, lang)

    rendered = Site._indicator
    monkeypatch.setattr(Site, "_indicator", broken)
    with pytest.raises(OSError, match="disk full"):
        publish(plans, out)

    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left behind


def test_full_rewrites_every_file_and_an_older_sites_marker_means_a_full_publication(plans, tmp_path):
    out = tmp_path / "site"
    first = publish(plans, out)
    assert publish(plans, out, full=True).files == first.files
    (out / MARKER).write_text("hyoka publish\n", encoding="utf-8")  # what hyoka wrote before the manifest
    assert publish(plans, out).plans == len(plans)


def test_cli_publish_reports_the_plans_it_rewrote_and_takes_full(tmp_path):
    plan = load_sample("kanagawa-dx")
    source = tmp_path / "dx.json"
    source.write_text(dumps(plan), encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(app, ["publish", str(source), "hiratsuka-juten", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "書き直した計画 2/2" in result.output
    source.write_text(dumps(_changed(plan, "1-1", "2024", "1人")), encoding="utf-8")
    stamp = os.stat(out / "search.html").st_ino
    result = runner.invoke(app, ["publish", str(source), "hiratsuka-juten", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "書き直した計画 1/2" in result.output and os.stat(out / "search.html").st_ino == stamp
    result = runner.invoke(app, ["publish", str(source), "hiratsuka-juten", "-o", str(out), "--full"])
    assert "書き直した計画 2/2" in result.output


def test_the_site_is_the_same_whether_one_process_writes_it_or_several(plans, tmp_path):
    one, three = tmp_path / "one", tmp_path / "three"
    assert publish(plans, one, jobs=1).files == publish(plans, three, jobs=3).files
    assert _tree(one) == _tree(three)


def test_processes_that_finish_their_share_take_from_the_end_of_the_largest_left():
    shares = _Shares(multiprocessing.get_context("fork"), 100, 3)  # shares 0–32, 33–65, 66–99
    taken = [shares.take(0), shares.take(0)]  # its own share, from the front
    assert taken == [slice(0, TAKE), slice(TAKE, 2 * TAKE)]
    for _ in range(3):
        taken.append(shares.take(2))
    assert taken[-1] == slice(66 + 2 * TAKE, 100)  # the last of its own share is shorter
    taken.append(shares.take(2))  # its share done: from the end of the largest left (process 1's)
    assert taken[-1] == slice(66 - TAKE, 66)
    while (run := shares.take(1)) is not None:
        taken.append(run)
    indices = sorted(i for run in taken for i in range(100)[run])
    assert indices == list(range(100))  # every file once, whoever took it
    assert shares.take(0) is None


def test_a_failed_process_leaves_nothing_for_the_others_to_take():
    shares = _Shares(multiprocessing.get_context("fork"), 100, 2)
    shares.take(0)
    shares.stop()
    assert shares.take(0) is None and shares.take(1) is None


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_runs_only_between_plans_and_is_left_as_it_was(plans, tmp_path, enabled):
    """A publication pauses Python's cycle collector (its walks cost a tenth of the time) and, so that
    a national site's memory stays flat, collects the youngest objects before each plan but the first."""
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    (gc.enable if enabled else gc.disable)()
    gc.callbacks.append(seen)
    try:
        publish(plans, tmp_path / "site", jobs=1)
        assert gc.isenabled() is enabled
    finally:
        gc.callbacks.remove(seen)
        gc.enable()
    assert collections == [0] * (len(plans) - 1)
