"""Time of ``hyoka publish``: the Kanagawa plans, a synthetic plan beside Open SDG's sdg-build, an incremental publication.

Three cases, each the median of --repeat runs after a warm-up run that loads the libraries
and templates:

* kanagawa: the two Kanagawa plans (seed 000's and seed 001's, 345 indicators, every page
  in Japanese and English); target under 10 s on the reference machine (2 cores).
* synthetic: one plan of --indicators indicators from bench/generate.py with three published
  years, so every indicator page has a chart, a table of rates and an outlook; beside it
  sdg-build (Open SDG's build tool, ../shared/vendor/open-sdg) building the data of the same
  indicators and series: per indicator a CSV of the published actuals and every target (a
  row per year, part and kind) and its metadata, built by the core Open SDG output
  (``OutputOpenSdg.execute_per_language``) in two languages, as hyoka writes two. Each side is
  timed inside its own process, without importing the libraries; the ratio is printed.
* incremental: a site of --sites plans of --site-indicators indicators each, published in
  full, then again after one published value of one plan changed: the files rewritten
  (counted) and the seconds, against a target of 5 s.

Every run's output, on both sides, stays on disk until the bench ends, and the two sides run in
turns (hyoka, sdg-build, hyoka, …). On an ext4 without a journal (the development machines') the
kernel passes over every inode deleted in the last minute (five, while the inode table is not yet
written back) when it allocates a new one (``recently_deleted`` took 10-12 % of a run's samples
under perf): right after many files were deleted, creating files costs several times more (0.5 ms
a file instead of 0.07 ms). Deleting a site before the next run made each run pay for the one
before; a deletion before the bench (a test run's temporary folders, the last bench's output) slows
the runs of its first minutes, which in turns both sides share. And before each run the bench waits
for what earlier runs wrote to reach the disk (``os.sync``, not timed): otherwise the kernel writes
out one run's files during the next (83 MB for hyoka's 2,000 indicators), on a core the run needs.

sdg-build is not on PyPI and its pins clash with hyoka's, so it lives in an environment of
its own, .venv-sdg beside .venv, made on first use from the vendored sources (offline).

    .venv/bin/python bench/publish.py [--indicators 2000 10000] [--repeat 3] [--sites 100]
        [--only kanagawa|synthetic|incremental] [--no-sdg-build] [--folder /dev/shm]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import organizations, plan_document

from hyoka.core.model import Plan
from hyoka.formats.hyoka1 import plan_from_dict, plan_to_dict
from hyoka.samples import load_sample
from hyoka.site.publish import Published, default_jobs, publish
from hyoka.site.published import published_plan

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT.parent / "shared" / "vendor" / "open-sdg"
SDG_PYTHON = ROOT / ".venv-sdg" / "bin" / "python"
KANAGAWA_TARGET = 10.0
INCREMENTAL_TARGET = 5.0
RATIO_TARGET = 10.0
PUBLISHED_YEARS = (2024, 2025, 2026)
SDG_LANGUAGES = ("en", "es")  # the vendored translations; two, as hyoka's Japanese and English

# Runs inside .venv-sdg: the core Open SDG output of the data repository in the current folder.
SDG_BUILD = """
import sys, time
from sdg.open_sdg import (open_sdg_config, open_sdg_indicator_options_defaults, open_sdg_indicator_options_from_dict,
    open_sdg_prep, open_sdg_schema_defaults, open_sdg_schema_from_options, open_sdg_translations_from_options)
start = time.perf_counter()
options = open_sdg_config("config_data.yml", {
    "src_dir": "", "site_dir": "_site", "logging": ["warn"], "indicator_options": open_sdg_indicator_options_defaults(),
    "reporting_status_extra_fields": [], "indicator_downloads": None, "indicator_export_filename": "all_indicators",
    "ignore_out_of_scope_disaggregation_stats": False, "map_layers": [], "datapackage": None, "csvw": None,
    "data_schema": None, "alter_data": None, "alter_meta": None, "alter_indicator": None})
options["schema"] = open_sdg_schema_defaults(options["schema_file"])
options["translations"] = open_sdg_translations_from_options(options)
options["schema"] = open_sdg_schema_from_options(options)
options["indicator_options"] = open_sdg_indicator_options_from_dict(options["indicator_options"])
if not open_sdg_prep(options)[0].execute_per_language(options["languages"]):
    sys.exit("sdg-build failed")
print(time.perf_counter() - start)
"""


def published(doc: dict[str, Any]) -> Plan:
    doc["plan"]["cycles"] = {str(y): {"status": "published"} for y in PUBLISHED_YEARS}
    return plan_from_dict(doc, "synthetic")


def synthetic(indicators: int) -> Plan:
    return published(plan_document(0, "140007", "神奈川県", indicators_count=indicators))


def hyoka_once(plans: list[Plan], folder: Path, jobs: int) -> tuple[float, Published]:
    out = Path(tempfile.mkdtemp(dir=folder)) / "site"  # kept until the bench ends (the docstring says why)
    os.sync()  # the runs before this one written out first, not while it runs (the docstring says why)
    start = time.perf_counter()
    result = publish(plans, out, jobs=jobs)
    return time.perf_counter() - start, result


def hyoka_time(plans: list[Plan], folder: Path, repeat: int, jobs: int) -> tuple[float, Published]:
    runs = [hyoka_once(plans, folder, jobs) for _ in range(repeat)]
    return statistics.median(seconds for seconds, _ in runs), runs[-1][1]


def report(name: str, seconds: float, result: Published, indicators: int, target: float | None) -> None:
    verdict = "" if target is None else f" target {target:.0f} s, ratio {seconds / target:.2f} {'ok' if seconds <= target else 'SLOW'}"
    print(
        f"{name}: {seconds:.2f} s for {indicators:,} indicators ({seconds / indicators * 1000:.2f} ms each), "
        f"{result.pages:,} pages, {result.files:,} files, {result.bytes / 1e6:.1f} MB "
        f"({result.bytes / indicators / 1000:.1f} KB an indicator){verdict}"
    )


# --- sdg-build ---------------------------------------------------------------------------


def sdg_python() -> Path:
    """The environment of sdg-build, made from the vendored sources when it is missing."""
    if not SDG_PYTHON.exists():
        print(f"making {SDG_PYTHON.parent.parent} for sdg-build (once) …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(SDG_PYTHON.parent.parent)], check=True)
        packages = [str(VENDOR / "yamlmd"), str(VENDOR / "sdg-build")]
        subprocess.run([str(SDG_PYTHON), "-m", "pip", "install", "-q", "numpy<2", *packages], check=True)
    return SDG_PYTHON


def sdg_repository(plan: Plan, folder: Path) -> int:
    """The data-starter layout of *plan*'s published copy: a CSV and a metadata file per indicator."""
    (folder / "data").mkdir(parents=True)
    (folder / "meta").mkdir()
    rows = 0
    for i, ind in enumerate(published_plan(plan).indicators):
        goal = ind.node.split("-")[0]
        sdg_id = f"{goal}-{i // 100 + 1}-{i % 100 + 1}"  # Open SDG's ids are goal-target-indicator
        with (folder / "data" / f"indicator_{sdg_id}.csv").open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["Year", "Series", "Units", "Type", "Value"])
            for series in ind.series():
                part = "" if series is ind else (series.label or series.id)
                for year, value in sorted(series.values.items()):
                    if value.number is not None:
                        out.writerow([year, part, series.unit, "Actual", value.number])
                        rows += 1
                for year, target in sorted(series.targets.items()):
                    if target.parsed.number is not None:
                        out.writerow([year, part, series.unit, "Target", target.parsed.number])
                        rows += 1
        (folder / "meta" / f"{sdg_id}.yml").write_text(
            f"indicator_name: {json.dumps(ind.name, ensure_ascii=False)}\nindicator_number: '{sdg_id.replace('-', '.')}'\n"
            f"reporting_status: complete\npublished: true\ndata_non_statistical: false\ngraph_type: line\n"
            f"graph_title: {json.dumps(ind.name, ensure_ascii=False)}\n",
            encoding="utf-8",
        )
    shutil.copy(VENDOR / "metadata_schema.yml", folder)
    (folder / "config_data.yml").write_text(
        f"schema_file: metadata_schema.yml\nlanguages: [{', '.join(SDG_LANGUAGES)}]\n"
        "inputs:\n  - class: InputCsvData\n    path_pattern: data/*-*.csv\n"
        "  - class: InputYamlMeta\n    path_pattern: meta/*-*.yml\n    git: false\n"
        f"translations:\n  - class: TranslationInputYaml\n    source: {VENDOR / 'translations'}\n",
        encoding="utf-8",
    )
    return rows


def sdg_once(python: Path, repository: Path, run: int) -> float:
    if (repository / "_site").exists():  # kept until the bench ends, as hyoka's sites
        (repository / "_site").rename(repository / f"_site-{run}")
    os.sync()
    done = subprocess.run(
        [str(python), "-c", SDG_BUILD], cwd=repository, capture_output=True, text=True, env=os.environ | {"PYTHONWARNINGS": "ignore"}
    )
    if done.returncode != 0:
        raise SystemExit(f"sdg-build failed:\n{done.stderr[-3000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def synthetic_case(indicators: int, repeat: int, folder: Path, python: Path | None, jobs: int) -> None:
    start = time.perf_counter()
    plan = synthetic(indicators)
    built = time.perf_counter() - start
    repository = folder / f"sdg-{indicators}"
    rows = sdg_repository(plan, repository) if python is not None else 0
    hyoka_runs, sdg_runs = [], []
    for run in range(repeat):  # the two sides in turns, so that both meet the disk in the same state (see the docstring)
        hyoka_runs.append(hyoka_once([plan], folder, jobs))
        if python is not None:
            sdg_runs.append(sdg_once(python, repository, run))
    seconds = statistics.median(s for s, _ in hyoka_runs)
    report(f"synthetic plan ({len(PUBLISHED_YEARS)} published years)", seconds, hyoka_runs[-1][1], len(plan.indicators), None)
    print(f"  (generating and loading the synthetic plan took {built:.2f} s, not counted; runs {_runs(s for s, _ in hyoka_runs)})")
    if python is None:
        return
    sdg = statistics.median(sdg_runs)
    files = sum(len(names) for _d, _s, names in os.walk(repository / "_site"))
    size = sum(f.stat().st_size for f in (repository / "_site").rglob("*") if f.is_file())
    ratio = sdg / seconds
    print(
        f"  sdg-build: {sdg:.2f} s for the same {indicators:,} indicators ({rows:,} rows, {len(SDG_LANGUAGES)} languages), "
        f"{files:,} files, {size / 1e6:.1f} MB; hyoka is {ratio:.1f}× as fast "
        f"(target {RATIO_TARGET:.0f}× {'ok' if ratio >= RATIO_TARGET else 'SLOW'}; runs {_runs(sdg_runs)})"
    )


def _runs(seconds: Iterable[float]) -> str:
    return ", ".join(f"{s:.2f}" for s in seconds) + " s"


# --- incremental ---------------------------------------------------------------------------


def one_value_changed(plan: Plan) -> Plan:
    """*plan* with the newest published actual of its first numeric indicator one higher."""
    doc = plan_to_dict(plan)
    year = str(PUBLISHED_YEARS[-1])
    spec = next(i for i in doc["indicators"] if "parts" not in i and str(i.get("values", {}).get(year, {}).get("value", ""))[:1].isdigit())
    value = spec["values"][year]
    digits = "".join(ch for ch in value["value"] if ch.isdigit())
    value["value"] = f"{int(digits) + 1}{spec.get('unit', '')}"
    return plan_from_dict(doc, plan.id)


def incremental_case(sites: int, indicators: int, folder: Path, jobs: int) -> None:
    plans = [published(plan_document(i, code, name, indicators_count=indicators)) for i, (code, name) in enumerate(organizations(sites))]
    out = folder / "national"
    start = time.perf_counter()
    first = publish(plans, out, jobs=jobs)
    full = time.perf_counter() - start
    print(
        f"incremental: the first publication of {sites} plans ({sites * indicators:,} indicators) took {full:.2f} s, {first.files:,} files"
    )
    plans[sites // 2] = one_value_changed(plans[sites // 2])
    start = time.perf_counter()
    result = publish(plans, out, jobs=jobs)
    seconds = time.perf_counter() - start
    verdict = "ok" if seconds <= INCREMENTAL_TARGET and result.plans == 1 else "SLOW"
    print(
        f"incremental: one value changed in a {sites}-plan site: {result.plans} plan rebuilt, {result.files:,} files rewritten "
        f"of {first.files:,}, {seconds:.2f} s (target {INCREMENTAL_TARGET:.0f} s {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, nargs="+", default=[2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sites", type=int, default=100, help="plans of the incremental case")
    parser.add_argument("--site-indicators", type=int, default=300, help="indicators of each plan of the incremental case")
    parser.add_argument("--only", choices=("kanagawa", "synthetic", "incremental"))
    parser.add_argument("--no-sdg-build", action="store_true", help="time hyoka alone")
    parser.add_argument("--folder", type=Path, help="where both sides write (default: the system's temporary folder); /dev/shm: memory")
    parser.add_argument("--jobs", type=int, default=None, help="hyoka's processes (default: one per core)")
    args = parser.parse_args()
    jobs = args.jobs or default_jobs()
    print(f"hyoka publishes with {jobs} process{'es' if jobs > 1 else ''}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        folder = Path(tmp)
        publish([load_sample("hiratsuka-juten")], folder / "warm-up")
        if args.only in (None, "kanagawa"):
            plans = [load_sample("kanagawa-sousei-3"), load_sample("kanagawa-dx")]
            seconds, result = hyoka_time(plans, folder, args.repeat, jobs)
            report("kanagawa-sousei-3 + kanagawa-dx", seconds, result, sum(len(p.indicators) for p in plans), KANAGAWA_TARGET)
        if args.only in (None, "synthetic"):
            python = None if args.no_sdg_build else sdg_python()
            for indicators in args.indicators:
                synthetic_case(indicators, args.repeat, folder, python, jobs)
        if args.only in (None, "incremental"):
            incremental_case(args.sites, args.site_indicators, folder, jobs)


if __name__ == "__main__":
    main()
