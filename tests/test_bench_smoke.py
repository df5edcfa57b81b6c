"""Every benchmark keeps running: each script in bench/ is run here at a tiny size.

The figures come from running them by hand at full size (docs/deployment.md); this only
checks that a script completes and prints its figures, so a change that breaks one fails CI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from checkout import ROOT

# script → (tiny arguments, {tmp} for a folder of the test's own; what its output must contain: the figures it exists to print)
TINY_RUNS: dict[str, tuple[list[str], list[str]]] = {
    "evaluate.py": (
        ["-n", "2", "--sqlite", "--data-dir", "{tmp}"],
        [r"[\d.]+ s wall, [\d.]+ s CPU, peak memory [\d,]+ MiB", r"identical: .* byte for byte", r"evaluate \(batch path\) +[\d.]+"],
    ),
    "import_xlsx.py": (["200"], [r"value rows: 200,", r"import: [\d.]+ s \([\d,]+ rows/s\)", r"changes: 0"]),
    "report.py": (
        ["--plan", "hiratsuka-juten", "--repeat", "1", "--formats", "html,xlsx"],
        [r"content \(evaluation and report model\) [\d.]+ s", r"^html +[\d.]+ +[\d.]+ ", r"^xlsx +[\d.]+ +[\d.]+ "],
    ),
    "publish.py": (
        ["--indicators", "90", "--repeat", "1", "--sites", "3", "--site-indicators", "20", "--no-sdg-build"],
        [r"345 indicators", r"90 indicators", r"[\d,]+ pages", r"3-plan site: 1 plan rebuilt, [\d,]+ files rewritten of [\d,]+, [\d.]+ s"],
    ),
    "renders.py": (
        ["--format", "html", "--pages", "3", "--modes", "background", "--data-dir", "{tmp}"],
        [r"page alone +p50 [\d,]+ ms", r"page while rendering +p50 [\d,]+ ms", r"a second download: [\d,]+ ms \(status 200\)"],
    ),
    "parse.py": (["--repeat", "1"], [r"10 million letters: +[\d,.]+ µs", r"slowest hostile input: [\d,.]+ µs, [\d,.]+ ×"]),
}
# Scripts that need more than a run and a look at the output have their own test below.
OWN_TESTS = {"generate.py", "computed.py", "web.py"}


def test_every_bench_script_is_run_here():
    scripts = {p.name for p in (ROOT / "bench").glob("*.py")}
    assert scripts == set(TINY_RUNS) | OWN_TESTS


@pytest.mark.parametrize("script", sorted(TINY_RUNS))
def test_bench_script_runs_at_a_tiny_size(script, tmp_path):
    args, figures = TINY_RUNS[script]
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    out = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    for figure in figures:
        assert re.search(figure, out.stdout, re.M), (figure, out.stdout)


def test_generator_writes_loadable_plans(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "-n", "2", "-o", str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    from hyoka.formats.hyoka1 import load_path

    plans = [load_path(p) for p in sorted(tmp_path.glob("*.json"))]
    assert [p.organization.code for p in plans] == ["010006", "020001"]
    assert all(len(p.indicators) == 300 for p in plans)


def test_computed_benchmark_runs_and_checks_a_save_against_a_fresh_read(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYOKA_")} | {"HYOKA_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "computed.py"), "--indicators", "60", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert "60 indicators, sqlite" in out.stdout and "from the shared cache" in out.stdout


def test_web_benchmark_serves_two_plans_to_two_clients(tmp_path):
    """Loads, serves with gunicorn in production settings and drives it; every request must succeed."""
    sys.path.insert(0, str(ROOT / "tools"))
    from serving import database_name, drop_database

    args = [sys.executable, str(ROOT / "bench" / "web.py"), "-n", "2", "--clients", "2", "--requests", "15"]
    args += ["--workers", "2", "--jobs", "1", "--data-dir", str(tmp_path)]
    try:
        out = subprocess.run([*args, "--fresh"], capture_output=True, text=True, timeout=300)
    finally:
        drop_database(database_name("bench_n2_s0"))
    print(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "loaded 2 plans" in out.stdout + out.stderr
    assert "GROWS" not in out.stdout and out.stdout.count(" same") == 5
    for kind in ("tree", "node", "indicator", "api", "save"):
        assert re.search(rf"^{kind} +\d+ ", out.stdout, re.M), kind
    assert "throughput:" in out.stdout and "pages p95" in out.stdout


@pytest.mark.skipif(not (ROOT / ".venv-sdg").exists(), reason="sdg-build's environment is made by bench/publish.py on first use")
def test_publish_bench_runs_sdg_build_beside_hyoka():
    args = ["--only", "synthetic", "--indicators", "40", "--repeat", "1"]
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "publish.py"), *args], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"sdg-build: [\d.]+ s for the same 40 indicators .*; hyoka is [\d.]+× as fast", out.stdout), out.stdout
